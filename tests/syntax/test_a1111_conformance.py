"""Conformance with A1111's documented behaviour (the doctests of its prompt parser), plus the
recoveries it performs and the cases where we deliberately differ."""

import pytest

from animagine_prompt.compat.a1111 import get_learned_conditioning_prompt_schedules, parse_prompt_attention
from animagine_prompt.syntax import parse

ATTENTION = [
    ("normal text", [("normal text", 1.0)]),
    ("an (important) word", [("an ", 1.0), ("important", 1.1), (" word", 1.0)]),
    ("(unbalanced", [("unbalanced", 1.1)]),
    ("\\(literal\\]", [("(literal]", 1.0)]),
    ("(unnecessary)(parens)", [("unnecessaryparens", 1.1)]),
    (
        "a (((house:1.3)) [on] a (hill:0.5), sun, (((sky))).",
        [
            ("a ", 1.0),
            ("house", 1.5730000000000004),
            (" ", 1.1),
            ("on", 1.0),
            (" a ", 1.1),
            ("hill", 0.55),
            (", sun, ", 1.1),
            ("sky", 1.4641000000000006),
            (".", 1.1),
        ],
    ),
    ("", [("", 1.0)]),
    ("[a]", [("a", 1 / 1.1)]),
    ("((a:1.5))", [("a", 1.5 * 1.1)]),
    ("(a: 1.5 )", [("a", 1.5)]),
    ("(a:+1.5)", [("a", 1.5)]),
    ("(a:.5)", [("a", 0.5)]),
    ("(a:5.)", [("a", 5.0)]),
    ("(a:-1)", [("a", -1.0)]),
    # colon not followed by a number and ")" is text
    ("(honkai: star rail)", [("honkai: star rail", 1.1)]),
    # stray closers are literal
    ("a) b]", [("a) b]", 1.0)]),
    # escapes; a lone backslash disappears
    ("\\\\ \\x", [("\\ x", 1.0)]),
    ("a BREAK b", [("a", 1.0), ("BREAK", -1.0), ("b", 1.0)]),
    ("BREAK", [("", 1.0), ("BREAK", -1.0), ("", 1.0)]),
    ("a, BREAK, b", [("a,", 1.0), ("BREAK", -1.0), (", b", 1.0)]),
    ("a BREAK BREAK b", [("a", 1.0), ("BREAK", -1.0), ("", 1.0), ("BREAK", -1.0), ("b", 1.0)]),
    ("(a) BREAK b", [("a", 1.1), ("", 1.0), ("BREAK", -1.0), ("b", 1.0)]),
    ("BREAKFAST, breakfast", [("BREAKFAST, breakfast", 1.0)]),
    # in parse_prompt_attention, schedules and extra networks are still plain text
    ("[a:b:5]", [("a:b:5", 1 / 1.1)]),
    ("<lora:x:1>", [("<lora:x:1>", 1.0)]),
    ("x AND y", [("x AND y", 1.0)]),
    ("[(a:1.2):b:5]", [("a", 1.2 / 1.1), (":b:5", 1 / 1.1)]),
]


@pytest.mark.parametrize("text, expected", ATTENTION)
def test_parse_prompt_attention_matches_a1111(text, expected):
    got = parse_prompt_attention(text)
    assert [t for t, _ in got] == [t for t, _ in expected]
    # A1111 multiplies in a fixed order: the results are bit-identical, not just close
    assert [w for _, w in got] == [w for _, w in expected]


SCHEDULES_10 = [
    ("test", [[10, "test"]]),
    ("a [b:3]", [[3, "a "], [10, "a b"]]),
    ("a [b: 3]", [[3, "a "], [10, "a b"]]),
    ("a [[[b]]:2]", [[2, "a "], [10, "a [[b]]"]]),
    ("[(a:2):3]", [[3, ""], [10, "(a:2)"]]),
    ("a [b : c : 1] d", [[1, "a b  d"], [10, "a  c  d"]]),
    ("a[b:[c:d:2]:1]e", [[1, "abe"], [2, "ace"], [10, "ade"]]),
    ("a [unbalanced", [[10, "a [unbalanced"]]),
    ("a [b:.5] c", [[5, "a  c"], [10, "a b c"]]),
    ("((a][:b:c [d:3]", [[3, "((a][:b:c "], [10, "((a][:b:c d"]]),
    (
        "[a|(b:1.1)]",
        [[i, "a" if i % 2 else "(b:1.1)"] for i in range(1, 11)],
    ),
    ("[fe|]male", [[i, "female" if i % 2 else "male"] for i in range(1, 11)]),
    ("[fe|||]male", [[i, "female" if i % 4 == 1 else "male"] for i in range(1, 11)]),
]


@pytest.mark.parametrize("text, expected", SCHEDULES_10)
def test_schedules_match_a1111(text, expected):
    assert get_learned_conditioning_prompt_schedules([text], 10)[0] == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("a [b:.5] c", [[10, "a b c"]]),
        ("a [b:1.5] c", [[5, "a  c"], [10, "a b c"]]),
    ],
)
def test_schedules_with_hires_steps_match_a1111(text, expected):
    assert get_learned_conditioning_prompt_schedules([text], 10, 10)[0] == expected


def test_schedule_forms():
    p = parse("[from:to:0.5] [to:3] [from::2]")
    assert p.schedules(10) == [
        (2, "from  from"),
        (3, "from  "),
        (5, "from to "),
        (10, "to to "),
    ]


def test_fragments_follow_the_schedule_per_step():
    p = parse("a [cat:dog:0.5], [x|y]")
    assert [f.text for f in p.fragments(step=1, steps=10)] == ["a cat, x"]
    assert [f.text for f in p.fragments(step=6, steps=10)] == ["a dog, y"]


def test_and_splits_sub_prompts_with_weights():
    p = parse("a cat:1.2 AND a dog AND (bird) :0.5")
    subs = p.subprompts()
    assert [(s.text, s.weight) for s in subs] == [("a cat", 1.2), (" a dog", 1.0), (" (bird)", 0.5)]
    frags = p.fragments()
    assert [(f.kind, f.text) for f in frags] == [
        ("text", "a cat"),
        ("and", "AND"),
        ("text", " a dog"),
        ("and", "AND"),
        ("text", " "),
        ("text", "bird"),
    ]
    assert frags[3].weight == 0.5


def test_extra_networks_are_removed_and_listed():
    p = parse("a, <lora:add_detail:0.8:0.5>, <lyco:style:1:unet=0.3>, <hypernet:h:1>")
    nets = p.extra_networks()
    assert [(n.kind, n.name, n.weights, n.options) for n in nets] == [
        ("lora", "add_detail", (0.8, 0.5), {}),
        ("lyco", "style", (1.0,), {"unet": "0.3"}),
        ("hypernet", "h", (1.0,), {}),
    ]
    assert [f.text for f in p.fragments()] == ["a, , , "]
    assert nets[0].span == (3, 28)


def test_comments_are_on_by_default_and_can_be_turned_off():
    assert [f.text for f in parse("a, b # c, (d)\ne").fragments()] == ["a, b \ne"]
    assert [f.text for f in parse("a #(d)", comments=False).fragments()] == ["a #", "d"]


def test_embedding_reference():
    p = parse("embedding:EasyNegative, b")
    assert [e.raw for e in p.embeddings()] == ["embedding:EasyNegative"]
    assert p.tags()[0].text == "embedding:EasyNegative"


class TestRecoveries:
    def test_unclosed_round_applies_to_the_end(self):
        p = parse("a (b, c")
        assert [(f.text, f.weight) for f in p.fragments()] == [("a ", 1.0), ("b, c", 1.1)]
        assert [(d.code, d.span) for d in p.diagnostics] == [("S001", (2, 3))]

    def test_stray_closer_is_text(self):
        p = parse("a) b")
        assert [(f.text, f.weight) for f in p.fragments()] == [("a) b", 1.0)]
        assert [(d.code, d.span) for d in p.diagnostics] == [("S002", (1, 2))]

    def test_malformed_weight_is_text_where_a1111_crashes(self):
        p = parse("(a:1.2.3)")
        assert [(f.text, f.weight) for f in p.fragments()] == [("a", 1.1), (":", 1.1), ("1.2.3", 1.1)] or [
            (f.text, f.weight) for f in p.fragments()
        ] == [("a:1.2.3", 1.1)]
        assert [d.code for d in p.diagnostics] == ["S003"]

    def test_schedule_that_does_not_parse_is_text(self):
        p = parse("[a:b:c:5]")
        assert [(f.text, f.weight) for f in p.fragments()] == [("a:b:c:5", 1 / 1.1)]
        assert [d.code for d in p.diagnostics] == ["S004"]
        assert parse("[a|b:5]").diagnostics[0].code == "S004"

    def test_and_inside_brackets_is_reported(self):
        p = parse("(a AND b)")
        assert [d.code for d in p.diagnostics] == ["S005"]
        assert [f.text for f in p.fragments()] == ["a AND b"]


class TestDeviations:
    """docs/syntax.md lists these: each is a place where A1111 crashes or mis-handles input."""

    def test_break_inside_brackets_still_breaks(self):
        # A1111 multiplies the BREAK marker by 1.1 and then encodes the word "BREAK".
        assert parse_prompt_attention("(a BREAK b)") == [("a", 1.1), ("BREAK", -1.0), ("b", 1.1)]

    def test_weight_with_two_dots_does_not_raise(self):
        assert parse_prompt_attention("(a:1.2.3)")[0][1] == 1.1

    def test_interleaved_brackets_nest_properly(self):
        # A1111 keeps separate stacks for ( and [; a tree cannot interleave: "]" inside "(" is text.
        assert parse_prompt_attention("[(a]b)") == [("a]b", 1.0)]


def test_tags_leave_out_the_sub_prompt_weight():
    p = parse("a cat, sunset :0.5 AND a dog:1.2")
    assert [(t.text, t.source) for t in p.tags()] == [("a cat", "a cat"), ("sunset", "sunset"), ("a dog", "a dog")]
