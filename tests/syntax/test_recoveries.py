"""Bugs found in the recoveries and in canonical(): each test failed before its fix."""

import pytest

from animagine_prompt.syntax import convert, parse


@pytest.mark.parametrize("dst", ["a1111", "comfy", "novelai"])
def test_convert_inside_a_zero_weight_does_not_divide_by_zero(dst):
    assert "a" in convert("(a ():0)", "a1111", dst).text


def test_convert_notes_a_weight_lost_inside_a_zero_weight():
    result = convert("(a (b:2):0)", "comfy", "a1111")
    assert result.text == "(a b:0)"
    assert any("inside a zero weight" in n.message for n in result.notes)


@pytest.mark.parametrize("text", ["[|:3]", "[a|b:3]", "[a:b:c:3]", "x, [a|:0.5]"])
@pytest.mark.parametrize("dialect", ["a1111", "comfy", "novelai"])
def test_tag_text_spans_are_ordered_and_inside_the_item(text, dialect):
    for item in parse(text, dialect).tags():
        start, end = item.text_span
        assert item.span[0] <= start <= end <= item.span[1], item


def test_a_failed_schedule_keeps_its_number_in_the_tag():
    (item,) = parse("[|:3]").tags()
    assert (item.text, item.text_span) == ("|:3", (1, 4))


@pytest.mark.parametrize(
    "text",
    [
        "(red hair:1.2",  # text at 1.1; closing it would make a weight of 1.2
        "[cat|dog",  # text at 1/1.1; closing it would make an alternation
        "[a:b:5",  # closing it would make a schedule
        "((x [y:0.5",  # an inner group that stays open keeps the outer ones open
        "(:1.",
        "( a :1.2 ",
    ],
)
def test_canonical_keeps_text_of_groups_left_open(text):
    once = parse(text).canonical()
    assert [(f.text.strip(), f.weight) for f in parse(once).fragments()] == [
        (f.text.strip(), f.weight) for f in parse(text).fragments()
    ]
    assert parse(once).canonical() == once


def test_canonical_closes_groups_where_that_keeps_the_meaning():
    assert parse("((x").canonical() == "((x))"
    assert parse("(a, [b").canonical() == "(a, [b])"


@pytest.mark.parametrize(
    ("text", "expected"), [("(a:01.50)", "(a:1.5)"), ("(a:+2.)", "(a:2)"), ("(a: -.5 )", "(a:-0.5)")]
)
def test_canonical_weights_are_the_numbers_as_written(text, expected):
    assert parse(text).canonical() == expected


def test_canonical_keeps_a_weight_too_precise_for_four_decimals():
    assert parse("(a:1.00001)").canonical() == "(a:1.00001)"


def test_unicode_whitespace_around_a_weight_is_read_as_a1111_reads_it():
    # A1111's weight regex is ":\s*([+-]?[.\d]+)\s*\)" on str: any Unicode whitespace
    frags = parse("(red hair:\u30001.2\u3000)").fragments()
    assert [(f.text, f.weight) for f in frags] == [("red hair", 1.2)]


@pytest.mark.parametrize("text", ["[" * 30_000, "(" * 10_000 + "x" + ")" * 10_000, "(a:1." * 5_000])
def test_deep_nesting_needs_no_recursion_anywhere(text):
    p = parse(text)
    assert p.render() == text
    p.fragments()
    p.tags()
    assert isinstance(p.diagnostics, tuple)
    assert parse(p.canonical()).canonical() == p.canonical()
    for dst in ("comfy", "novelai"):
        convert(text, "a1111", dst)


@pytest.mark.parametrize("text", ["(a {b) c}", "[x {y] z", "{(a}:1.2)", "(a:1.2{)}"])
def test_braces_in_a1111_are_text_and_swallow_no_closer(text):
    from animagine_prompt.compat.a1111 import parse_prompt_attention

    ours = [(f.text, round(f.weight, 6)) for f in parse(text).fragments()]
    assert ours == [(t, round(w, 6)) for t, w in parse_prompt_attention(text)]
    assert parse(text).canonical().count("}") == text.count("}")


@pytest.mark.parametrize("text", ["\ud800", "a \udfff b, (c\ud800:1.2), [d|\udc80]", "\ud83d(x)"])
def test_lone_surrogates_pass_through_every_layer(text):
    from animagine_prompt.lint import lint
    from animagine_prompt.tokens import plan

    p = parse(text)
    assert p.render() == text
    p.fragments()
    p.tags()
    assert parse(p.canonical()).canonical() == p.canonical()
    convert(text, "a1111", "novelai")
    assert plan(text).token_count > 0
    lint(text, text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a BREAK b", "a b"),
        ("a, BREAK, b", "a, b"),
        ("a, <lora:x:1>, b", "a, b"),
        ("<lora:x:1>, a", "a"),
        ("a, <lora:x:1>", "a"),
        ("x, [a::5], y", "x, y"),
        ("a AND b", "a b"),
    ],
)
def test_convert_leaves_no_empty_items(text, expected):
    assert convert(text, "a1111", "comfy").text == expected


def test_canonical_keeps_a_break_after_a_lone_backslash():
    # the backslash means nothing and is dropped; the BREAK after it must stay a word of its own
    text = "a\\BREAK b"
    once = parse(text).canonical()
    assert once == "a BREAK b"
    assert [f.text for f in parse(once).fragments()] == [f.text for f in parse(text).fragments()]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("(a:1\\.2)", "(a:1\\.2)"),  # text "a:1.2" at 1.1, not a weight of 1.2
        ("BRE\\AK", "BRE\\AK"),  # the word, not a BREAK
        ("A\\ND b", "A\\ND b"),  # the word, not an AND
        ("<a\\:(>", "<a\\:(>)"),  # text and a group, not a LoRA
        ("a\\ b", "a b"),  # before a space the backslash goes
        ("[a:2):2]", "[a:2):2]"),  # ":2)" is text: escaping its ")" would free the ":" to split a schedule
        ("embedding: 2)", "embedding: 2)"),  # without its space, an embedding's name
        (":0\\", ":0\\"),  # text: without the backslash, the part's weight
        ("a:\\\n2", "a:\\\n2"),
        ("(a:0\\ )", "(a:0\\ )"),  # "a:0" at 1.1: stripped, "(a:0)" weighs it 0
        (":\\BREAK", ":\\ BREAK"),
    ],
)
def test_canonical_keeps_what_a_lone_backslash_or_a_stray_weight_separates(text, expected):
    once = parse(text).canonical()
    assert once == expected
    assert parse(once).canonical() == once
    for step in (None, 1, 5):
        assert [(f.text, f.weight) for f in parse(once).fragments(step=step)] == [
            (f.text, f.weight) for f in parse(text).fragments(step=step)
        ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[1 :5]g", "[1 :5]g"),  # "1 g" from step 5 and "g" before: the space stays inside
        ("x[ a:5]y", "x[ a:5]y"),
        ("[a :b:5]c", "[a :b:5]c"),  # "a c" before step 5
        ("x, [c: d :0.5] , e", "x, [c:d:0.5], e"),  # commas keep them apart: tidied
        ("2[) :5]e", "2[\\) :5]e"),
        ("[D :2]( g", "[D:2] (g)"),  # the space moved out of the group separates the schedule
        ("2([ N", "2 ([N])"),  # the two groups cancel out: "2 N" at 1.0; a group's space moves out
        ("(a )(b)", "(a) (b)"),  # "a b" at 1.1
        ("a, ( b ), c", "a, (b), c"),  # a comma already keeps them apart
    ],
)
def test_canonical_keeps_apart_the_words_a_space_inside_a_bracket_separated(text, expected):
    once = parse(text).canonical()
    assert once == expected
    assert parse(once).canonical() == once
    def words(prompt: str, step: int | None) -> list[tuple[str, float]]:
        # fragments as the tokenizer reads them: spaces around a comma do not count, a fragment
        # of spaces is nothing, equal-weight neighbours are one text
        out: list[tuple[str, float]] = []
        for f in parse(prompt).fragments(step=step, steps=10):
            text = " ".join(f.text.replace(",", " , ").split())
            if out and out[-1][1] == pytest.approx(f.weight):
                out[-1] = (f"{out[-1][0]} {text}".strip(), out[-1][1])
            elif text:
                out.append((text, f.weight))
        return out

    for step in (None, 1, 5, 9):
        assert words(once, step) == words(text, step)
