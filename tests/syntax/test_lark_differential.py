"""The parser driver against lark's own LALR parser on the same grammar.

Two checks on generated text:

- wherever ``Lark(parser="lalr")`` accepts the text, both give the same tree;
- on every text, lark's parser fed the driver's own token sequence (through its interactive
  parser) accepts it and builds the driver's tree: the driver derives nothing the grammar does not.

Deliberate differences, where lark rejects the text and the driver does not (docs/syntax.md):

1. the input ends inside brackets: the driver closes them with zero-width closers (A1111 applies
   an open bracket to the end of the prompt);
2. a ``:``, ``|`` or text right after a closing bracket, such as ``[]|`` or ``(a):``: after a
   closer, LALR shares one state between the top level and ``[...]``, where lark's contextual
   lexer reads ``|`` as PIPE and then fails; the driver makes the pending reduction first, so the
   lexer works in the enclosing context (top level: ``|`` is text).
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lark import Token, Tree
from lark.exceptions import LarkError

from animagine_prompt.syntax._parser import get_parser, parse_tree
from animagine_prompt.syntax.nodes import Alternate, ExtraNetwork, Group, Leaf, Node, Schedule

_PIECES = list("()[]{}<>:|,\\# a1.\n") + ["BREAK", "AND", ":1.2)", ":5]", ": 0.5 ]", "<lora:x:1>", "embedding:e"]
texts = st.lists(st.sampled_from(_PIECES), max_size=14).map("".join)

_LEAF_TYPES = {
    "escape": "ESCAPE",
    "backslash": "BACKSLASH",
    "colon": "COLON",
    "pipe": "PIPE",
    "hash": "HASH",
    "break": "BREAK",
    "and": "AND",
    "embedding": "EMBEDDING",
    "comment": "COMMENT",
}
_OPEN = {"round": "LPAR", "square": "LSQB", "brace": "LBRACE"}
_CLOSE = {"round": "RPAR", "square": "RSQB", "brace": "RBRACE"}


def _closer_type(raw: str, kind: str | None = None) -> str:
    if not raw:
        return _CLOSE[kind or "round"]
    if len(raw) > 1:
        return "WEIGHT" if raw.endswith(")") else "WHEN"
    return {")": "RPAR", "]": "RSQB", "}": "RBRACE"}[raw]


def _events(nodes: tuple[Node, ...], out: list) -> list:
    """The driver's tree as a flat list: ("open", rule), ("tok", type, value), ("close", rule).
    Text tokens have type None: TEXT or SQTEXT depending on the context."""
    stack = [iter(nodes)]
    while stack:
        node = next(stack[-1], None)
        if node is None:
            stack.pop()
        elif isinstance(node, tuple):
            out.append(node)
        elif isinstance(node, ExtraNetwork):
            out.append(("tok", "EXTRA", node.raw))
        elif isinstance(node, Leaf):
            if node.kind == "stray":
                out.append(("tok", _closer_type(node.raw), node.raw))
            else:
                out.append(("tok", _LEAF_TYPES.get(node.kind), node.raw))
        elif isinstance(node, Group):
            items = [("open", node.kind), ("tok", _OPEN[node.kind], node.open), *node.children]
            items += [("tok", _closer_type(node.close, node.kind), node.close), ("close", node.kind)]
            stack.append(iter(items))
        elif isinstance(node, Schedule):
            before = [] if node.before is None else [*node.before, ("tok", "COLON", ":")]
            items = [("open", "square"), ("tok", "LSQB", "["), *before, *node.after]
            stack.append(iter([*items, ("tok", "WHEN", node.close), ("close", "square")]))
        elif isinstance(node, Alternate):
            items = [("open", "square"), ("tok", "LSQB", "[")]
            for i, option in enumerate(node.options):
                if i:
                    items.append(("tok", "PIPE", "|"))
                items.extend(option)
            stack.append(iter([*items, ("tok", "RSQB", "]"), ("close", "square")]))
    return out


def _lark_events(tree: Tree) -> list:
    out: list = []
    stack: list = [iter([tree])]
    while stack:
        item = next(stack[-1], None)
        if item is None:
            stack.pop()
        elif isinstance(item, Token):
            kind = None if item.type in ("TEXT", "SQTEXT") else item.type
            out.append(("tok", kind, str(item)))
        elif isinstance(item, tuple):
            out.append(item)
        elif item.data == "start":
            stack.append(iter(item.children))
        else:
            stack.append(iter([("open", item.data), *item.children, ("close", item.data)]))
    return out


def _feed(text: str) -> Tree:
    """lark's LALR parser run on the driver's tokens instead of its own lexer."""
    parser = get_parser()
    interactive = parser.parse_interactive("")
    for event in _events(parse_tree(text).children, []):
        if event[0] != "tok":
            continue
        _, kind, value = event
        if kind is None:
            accepts = interactive.accepts()
            kind = "SQTEXT" if "SQTEXT" in accepts and "TEXT" not in accepts else "TEXT"
        interactive.feed_token(Token(kind, value))
    return interactive.feed_eof()


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_same_tree_as_lark_wherever_lark_accepts(text):
    try:
        expected = get_parser().parse(text)
    except LarkError:
        return
    assert _events(parse_tree(text).children, []) == _lark_events(expected)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_lark_builds_the_drivers_tree_from_its_tokens(text):
    assert _lark_events(_feed(text)) == _events(parse_tree(text).children, [])


def test_the_deliberate_differences():
    for text in ["(a", "[b:c", "[]|", "(a):", "{}:"]:
        try:
            get_parser().parse(text)
        except LarkError:
            pass
        else:  # pragma: no cover - the test documents a difference that no longer exists
            raise AssertionError(f"lark now accepts {text!r}: update docs/syntax.md and this test")
        assert _lark_events(_feed(text)) == _events(parse_tree(text).children, [])


def test_installed_lark_is_in_the_pinned_range():
    # the driver reads lark's tables through attributes that are not public API
    import re
    from importlib.metadata import version
    from pathlib import Path

    pyproject = (Path(__file__).resolve().parents[2] / "pyproject.toml").read_text(encoding="utf-8")
    low, high = re.search(r'"lark>=([\d.]+),<([\d.]+)"', pyproject).groups()

    def key(v: str) -> tuple[int, ...]:
        return tuple(int(x) for x in re.findall(r"\d+", v)[:3])

    assert key(low) <= key(version("lark")) < key(high)


def test_an_unsupported_lark_fails_loudly():
    import pytest

    from animagine_prompt.syntax._parser import _Tables

    class Changed:
        parser = object()

    with pytest.raises(RuntimeError, match="is not supported by the prompt parser"):
        _Tables(Changed())
