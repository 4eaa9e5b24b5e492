"""Syntax spans: every construct where it is written, with its weight, in each dialect
(animagine_prompt/analysis/_spans.py)."""

import pytest

from animagine_prompt.analysis import analyze
from animagine_prompt.lint import Linter, LintSettings


def spans_of(text, dialect="a1111"):
    view = analyze(text, linter=Linter(LintSettings(dialect=dialect))).prompt
    return [(s.kind, text[s.span[0] : s.span[1]], s.depth, s.detail) for s in view.spans]


def test_each_construct_in_source_order():
    text = "a, ((b)), [c:d:10], [e|f], <lora:x:0.5>, \\(g\\), # note\nh) BREAK i AND j :0.5"
    assert spans_of(text) == [
        ("part", "a, ((b)), [c:d:10], [e|f], <lora:x:0.5>, \\(g\\), # note\nh) BREAK i ", 0, ""),
        ("group", "((b))", 0, "round"),
        ("bracket", "(", 0, "open"),
        ("group", "(b)", 1, "round"),
        ("bracket", "(", 1, "open"),
        ("bracket", ")", 1, "close"),
        ("bracket", ")", 0, "close"),
        ("schedule", "[c:d:10]", 0, "10"),
        ("switch", "[", 0, "open"),
        ("switch", ":", 0, "mid"),
        ("switch", ":10]", 0, "close"),
        ("alternation", "[e|f]", 0, ""),
        ("switch", "[", 0, "open"),
        ("switch", "|", 0, "mid"),
        ("switch", "]", 0, "close"),
        ("network", "<lora:x:0.5>", 0, "lora"),
        ("escape", "\\(", 0, "("),
        ("escape", "\\)", 0, ")"),
        ("comment", "# note", 0, ""),
        ("stray", ")", 0, ""),
        ("break", "BREAK", 0, ""),
        ("and", "AND", 0, ""),
        ("part", " j :0.5", 0, ""),
    ]


def test_group_weights_are_the_weights_of_their_text():
    view = analyze("((a:1.5)), [[b]], (c, [d]), (e").prompt
    groups = {view.text[s.span[0] : s.span[1]]: (s.weight, s.factor) for s in view.spans if s.kind == "group"}
    tags = {t.text: t.weight for t in view.tags}
    assert groups["((a:1.5))"] == (None, 1.1)  # its only child is a group: no text of its own
    assert groups["(a:1.5)"] == (tags["a"], 1.5) and tags["a"] == pytest.approx(1.65)
    assert groups["[b]"][0] == tags["b"] == pytest.approx(1 / 1.1**2)
    assert groups["(c, [d])"][0] == tags["c"] and groups["[d]"][0] == tags["d"]
    assert groups["(e"][0] == tags["e"]  # unclosed: A1111 applies it to the end
    unclosed = [s for s in view.spans if s.kind == "bracket" and s.span[0] >= view.text.index("(e")]
    assert [s.detail for s in unclosed] == ["open"]  # no closing bracket to mark


def test_and_spans_carry_the_weight_of_the_part_they_start():
    view = analyze("a AND b :0.3 AND c").prompt
    assert [(s.kind, s.weight) for s in view.spans if s.kind in ("and", "part")] == [
        ("part", 1.0),
        ("and", 0.3),
        ("part", 0.3),
        ("and", 1.0),
        ("part", 1.0),
    ]
    assert not [s for s in analyze("a, b").prompt.spans if s.kind == "part"]


def test_dialects_mark_only_what_they_give_a_meaning():
    text = "(a:1.2), [b], {c}, [d:e:5], BREAK, <lora:x:1>"
    comfy = {kind for kind, *_ in spans_of(text, "comfy")}
    assert comfy == {"group", "bracket"}  # only (a:1.2): comfy reads the rest as text
    novelai = [(kind, source) for kind, source, _, _ in spans_of(text, "novelai") if kind == "group"]
    assert novelai == [("group", "[b]"), ("group", "{c}"), ("group", "[d:e:5]")]
    assert [k for k, *_ in spans_of(text)].count("group") == 2  # a1111: (a:1.2) and [b]; {c} is text


def test_schedules_without_a_before_text_and_empty_options():
    assert spans_of("[b:5], [a::3], [|x]") == [
        ("schedule", "[b:5]", 0, "5"),
        ("switch", "[", 0, "open"),
        ("switch", ":5]", 0, "close"),
        ("schedule", "[a::3]", 0, "3"),
        ("switch", "[", 0, "open"),
        ("switch", ":", 0, "mid"),
        ("switch", ":3]", 0, "close"),
        ("alternation", "[|x]", 0, ""),
        ("switch", "[", 0, "open"),
        ("switch", "|", 0, "mid"),
        ("switch", "]", 0, "close"),
    ]


def test_nesting_depth_counts_groups_schedules_and_alternations():
    text = "([a:(b):3]), [x|[y|z]]"
    depths = [(kind, source, depth) for kind, source, depth, _ in spans_of(text) if kind != "bracket"]
    assert ("group", "(b)", 2) in depths
    assert ("schedule", "[a:(b):3]", 1) in depths
    assert ("alternation", "[y|z]", 1) in depths


TEXT_OF = {
    "bracket": lambda s: s in ("(", ")", "[", "]", "{", "}") or (s.startswith(":") and s.endswith(")")),
    "switch": lambda s: s in ("[", "]", ":", "|") or (s.startswith(":") and s.endswith("]")),
    "break": lambda s: s == "BREAK",
    "and": lambda s: s == "AND",
    "network": lambda s: s.startswith("<") and s.endswith(">"),
    "escape": lambda s: s.startswith("\\"),
    "comment": lambda s: s.startswith("#"),
    "embedding": lambda s: s.startswith("embedding:"),
    "stray": lambda s: s[:1] in (")", "]", "}", ":"),
    "group": lambda s: s[:1] in "([{",
    "schedule": lambda s: s.startswith("[") and s.endswith("]"),
    "alternation": lambda s: s.startswith("[") and s.endswith("]") and "|" in s,
    "part": lambda s: True,
}


def test_real_prompts_spans_hold_the_text_of_their_kind(real_prompts):
    linter = Linter()
    seen = set()
    for record in real_prompts:
        for text in (record.get("prompt") or "", record.get("negative") or ""):
            view = analyze(text, linter=linter).prompt
            assert list(view.spans) == sorted(view.spans, key=lambda s: (s.span[0], -s.span[1]))
            for span in view.spans:
                source = text[span.span[0] : span.span[1]]
                assert TEXT_OF[span.kind](source), (span.kind, source, text)
                seen.add(span.kind)
    assert {"group", "bracket", "network", "break", "escape"} <= seen
