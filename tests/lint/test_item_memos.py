"""What a rule works out from an item's text alone is remembered per text for a linter's run;
what also depends on where the item stands (the field, its place in the source) is not."""

from __future__ import annotations

from animagine_prompt.lint import Linter
from animagine_prompt.lint._settings import LintSettings
from animagine_prompt.tags import _normalize, canonical

S103 = LintSettings(select=("S103",))


def fresh(prompt: str, negative: str | None = None) -> tuple:
    return Linter(S103).lint(prompt, negative)


def test_a_run_of_words_is_judged_once_and_reported_by_field() -> None:
    # `uglylongbody` is reported in the negative prompt only: the memo must not carry the
    # prompt's silence (or the negative's finding) over to the other field
    linter = Linter(S103)
    in_prompt = linter.lint("1girl, uglylongbody", "lowres")
    in_negative = linter.lint("1girl", "lowres, uglylongbody")
    assert in_prompt == fresh("1girl, uglylongbody", "lowres") == ()
    assert [f.field for f in in_negative] == ["negative_prompt"]
    assert in_negative == fresh("1girl", "lowres, uglylongbody")
    assert linter.lint("1girl, uglylongbody", "lowres") == ()


def test_tags_run_together_get_a_fix_only_where_the_source_holds_them() -> None:
    linter = Linter(S103)
    plain = "1girl, green hair blue eyes"
    escaped = r"1girl, gr\een hair blue eyes"  # read as `green hair blue eyes`, not held as such
    bracketed = "woman (green hair blue eyes:1.1)"
    again = "1girl, smile, green hair blue eyes"
    for prompt in (plain, escaped, bracketed, again, plain):
        found = linter.lint(prompt)
        assert found == fresh(prompt), prompt
    assert linter.lint(escaped)[0].fix is None
    (first,) = linter.lint(plain)
    (moved,) = linter.lint(again)
    assert first.fix is not None and moved.fix is not None
    assert first.fix.edits[0].start != moved.fix.edits[0].start  # each at its own offset


def test_canonical_keys_are_remembered_but_stay_those_of_the_text() -> None:
    long = "a " * 150 + "Green_Hair"
    for text in ("Green Hair", "  green_ hair ", long, "Green Hair"):
        assert canonical(text) == _normalize._canonical(text)
    assert "Green Hair" in _normalize._KEYS
    assert long not in _normalize._KEYS  # long texts (prose, whole prompts) are not kept


def test_a_typo_is_judged_once_but_fixed_and_skipped_by_place() -> None:
    settings = LintSettings(select=("T003",))
    linter = Linter(settings)
    prompts = [
        "1girl, gren hair",
        "1girl, gren hair, <lora:grenhair:0.8>",  # the LoRA's trigger word: not a typo here
        "1girl, smile, gren hair",
        "1girl, (gren hair:1.2)",
    ]
    for prompt in prompts:
        assert linter.lint(prompt) == Linter(settings).lint(prompt), prompt
    assert linter.lint(prompts[1]) == ()
    assert [f.fix.edits[0].start for f in linter.lint(prompts[2]) if f.fix] == [14]


def test_copies_are_found_by_key_whatever_the_spelling() -> None:
    linter = Linter(LintSettings(select=("T005", "T006")))
    cases = [
        (("green hair, 1girl, green_hair", "lowres"), [("T005", (19, 29), "prompt")]),  # one key, two spellings
        (("1girl\uff0csmile\uff0c1girl", "lowres"), [("T005", (12, 17), "prompt")]),  # pieces of one item
        (("1girl, smile", "lowres, Smile, blurry"), [("T006", (8, 13), "negative_prompt")]),
        (("1girl, smile", "lowres, blurry"), []),
    ]
    for (prompt, negative), expected in cases:
        assert [(f.code, f.span, f.field) for f in linter.lint(prompt, negative)] == expected, prompt


def test_plain_items_are_those_without_unescaped_brackets_inside() -> None:
    from animagine_prompt.lint._context import LintContext, Resources
    from animagine_prompt.lint.rules._items import has_inner_brackets
    from animagine_prompt.syntax import parse

    for text in [
        "1girl, smile",
        r"(a b:1.2), c (d), e \(f\), \[g], [h:i:3], j\\(k), (l)",
        r"hu tao \(genshin impact\), (smile), [[x]], y (z",
        r"\(lead, trail\), ((w))",
    ]:
        prompt = parse(text)
        ctx = LintContext(prompt, "prompt", None, Resources(LintSettings()))
        assert ctx.plain == [not has_inner_brackets(text, item) for item in ctx.tags], text


def test_a_remembered_resolution_does_not_leak_into_series_lookups() -> None:
    from animagine_prompt.tags import load_database

    db = load_database()
    assert db.lookup("amber") is None and db.category_of("amber") is None
    assert db.lookup("amber", series=["genshin impact"]).tag == "amber_(genshin_impact)"
    assert db.lookup("amber") is None
    assert db.category_of("blond hair") == db.lookup("blond hair").category == 0
