"""Parsing never raises, renders back byte for byte, and is deterministic, on any text."""

import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from animagine_prompt.syntax import parse, render
from animagine_prompt.syntax.nodes import iter_leaves

# Text that hits the grammar's special characters often, plus any unicode.
_ALPHABET = st.one_of(
    st.sampled_from(list("()[]{}<>:|,\\#\n .") + ["BREAK", "AND", "embedding:", "<lora:x:", "1.2", ":0.5]"]),
    st.sampled_from(list(string.ascii_letters + string.digits)),
    st.characters(),
)
prompts = st.lists(_ALPHABET, max_size=400).map("".join).filter(lambda s: len(s) <= 2000)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(prompts, st.sampled_from(["a1111", "comfy", "novelai"]), st.booleans())
def test_parse_is_total_lossless_and_deterministic(text, dialect, comments):
    p = parse(text, dialect, comments=comments)
    assert p.render() == text
    again = parse(text, dialect, comments=comments)
    assert [(f.text, f.weight, f.kind) for f in p.fragments()] == [
        (f.text, f.weight, f.kind) for f in again.fragments()
    ]
    assert [(d.code, d.span) for d in p.diagnostics] == [(d.code, d.span) for d in again.diagnostics]
    # spans of the tokens tile the input
    pos = 0
    for leaf in iter_leaves(p.tree):
        assert leaf.span[0] >= pos
        pos = leaf.span[1]
    for item in p.tags():
        assert 0 <= item.span[0] <= item.span[1] <= len(text)
    p.canonical()
    p.schedules(5)
    p.subprompts()


@settings(max_examples=100, deadline=None)
@given(prompts)
def test_canonical_is_stable(text):
    once = parse(text).canonical()
    assert parse(once).canonical() == once


@settings(max_examples=200, deadline=None)
@given(prompts)
def test_fragment_spans_point_into_the_source(text):
    p = parse(text)
    for f in p.fragments():
        if f.kind == "text" and f.text:
            span = f.source_span(0, len(f.text))
            assert span is not None
            assert 0 <= span[0] <= span[1] <= len(text)


def test_deep_nesting_raises_no_recursion_error():
    depth = 5000
    nested = ["(" * depth + "x", "(" * depth + "x" + ")" * depth, "[" * depth + "x" + "]" * depth, ")" * depth]
    for text in nested:
        p = parse(text)
        assert render(p.tree) == text
        p.fragments()
        p.tags()
        p.canonical()
        assert p.diagnostics is not None
    w = parse("(" * depth + "x" + ")" * depth).fragments()[0].weight
    assert w == float("inf") or w > 1e100


def test_real_prompts_round_trip(real_prompts):
    for row in real_prompts:
        for text in (row["prompt"], row.get("negative") or ""):
            p = parse(text)
            assert p.render() == text
            p.fragments()
            p.tags()


def test_canonical_keeps_nul_characters_inside_alternations():
    # found by hypothesis: an earlier version joined branches with a NUL sentinel
    text = "[|\x00"
    once = parse(text).canonical()
    assert parse(once).canonical() == once
