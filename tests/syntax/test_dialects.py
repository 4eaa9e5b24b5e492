from animagine_prompt.syntax import convert, parse


def weights(text, dialect):
    return [(f.text, round(f.weight, 6)) for f in parse(text, dialect).fragments()]


def test_comfy_explicit_weight_replaces_outer_ones():
    assert weights("((a:1.5))", "comfy") == [("a", 1.5)]
    assert weights("((a):1.5)", "comfy") == [("a", 1.65)]
    assert weights("((a:1.5))", "a1111") == [("a", 1.65)]


def test_comfy_square_brackets_break_and_and_are_text():
    assert weights("[a] BREAK b AND c", "comfy") == [("[a] BREAK b AND c", 1.0)]


def test_novelai_braces_and_brackets():
    assert weights("{a}, [b], {{c}}, (d)", "novelai") == [
        ("a", 1.05),
        (", ", 1.0),
        ("b", round(1 / 1.05, 6)),
        (", ", 1.0),
        ("c", 1.1025),
        (", (d)", 1.0),
    ]


def test_a1111_braces_are_literal():
    assert weights("{a}", "a1111") == [("{a}", 1.0)]


def test_convert_novelai_to_a1111_keeps_weights():
    assert convert("{{a}}", "novelai", "a1111").text == "(a:1.1025)"
    assert convert("{a}, hu tao (genshin impact)", "novelai", "a1111").text == ("(a:1.05), hu tao \\(genshin impact\\)")


def test_convert_a1111_to_novelai_reports_approximations_and_missing_constructs():
    result = convert("(a:1.2), [b:c:5], <lora:x:1>, d BREAK e", "a1111", "novelai")
    assert result.text == "{{{{a}}}}, c, , d  e"
    codes = sorted(n.code for n in result.notes)
    assert codes == ["C001", "C001", "C001", "C002"]


def test_convert_round_trip_keeps_meaning():
    for text in ["1girl, (green hair:1.3), [blurry], ((smile))", "a, (b, (c:0.8)), d"]:
        comfy = convert(text, "a1111", "comfy").text
        # weights are written with four decimals
        assert [(t, round(w, 4)) for t, w in weights(comfy, "comfy")] == [
            (t, round(w, 4)) for t, w in weights(text, "a1111")
        ]


def test_convert_to_comfy_uses_absolute_weights():
    assert convert("((a:1.5))", "a1111", "comfy").text == "(a:1.65)"
