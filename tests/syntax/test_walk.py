"""The shared walks: named events with weights, and the structural walk with depth."""

from animagine_prompt.syntax import parse
from animagine_prompt.syntax._walk import EDGE, BreakEvent, SepEvent, TextEvent, walk, walk_with_depth


def test_events_are_named_and_carry_weights_and_offsets():
    p = parse("a (b:1.5) BREAK <lora:x:1>")
    events = list(walk(p.tree.children, p.dialect))
    texts = [e for e in events if isinstance(e, TextEvent)]
    assert [(e.value, e.weight, e.start, e.end) for e in texts] == [
        ("a ", 1.0, 0, 2),
        ("b", 1.5, 3, 4),
        (" ", 1.0, 9, 10),
        (" ", 1.0, 15, 16),
    ]
    assert EDGE in events
    assert [e.leaf.raw for e in events if isinstance(e, BreakEvent)] == ["BREAK"]
    assert [e.node.raw for e in events if isinstance(e, SepEvent)] == ["<lora:x:1>"]


def test_walk_with_depth_goes_deeper_than_the_recursion_limit():
    depth = 50_000
    deepest = max(d for _, d in walk_with_depth(parse("[" * depth + "x").tree))
    assert deepest == depth
