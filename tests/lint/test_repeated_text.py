"""A linter that sees a text again (one negative prompt beside many prompts) reuses its parse,
its facts and the findings the text alone decided: the findings are those of a fresh linter."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from animagine_prompt.lint import Linter
from animagine_prompt.lint._context import TextFacts
from animagine_prompt.lint._settings import LintSettings

REAL = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "real-prompts.jsonl"
NEGATIVES = [
    "lowres, bad anatomy, bad hands, text, error, missing fingers, worst quality, low quality, blurry",
    "masterpiece, (worst quality:1.4), 1girl, 1girl, nsfw BREAK smile,,",
    "blurry AND 1girl",
]
PROMPTS = [
    "1girl, solo, smile, green hair, lowres",
    "masterpiece, best quality, 1girl, blurry, (smile:1.2)",
    "hu tao (genshin impact), 1girl, smile, gren hair",
    "1boy, blurry, worst quality BREAK 1girl",
    "nsfw, 1girl, 1girl, masterpiece",
    "",
]


def fresh(prompt: str, negative: str | None, settings: LintSettings | None = None) -> tuple:
    return Linter(settings).lint(prompt, negative)


def test_a_shared_negative_gives_the_findings_of_a_fresh_linter() -> None:
    linter = Linter()
    for negative in NEGATIVES:
        for prompt in PROMPTS:
            assert linter.lint(prompt, negative) == fresh(prompt, negative), (prompt, negative)


def test_findings_that_read_the_counterpart_are_not_reused() -> None:
    # T006 reports `lowres` in both prompts: in the negative's findings only beside a prompt that has it
    linter = Linter(LintSettings(select=("T006",)))
    negative = "lowres, blurry"
    first = linter.lint("1girl, lowres", negative)
    second = linter.lint("1girl, smile", negative)
    third = linter.lint("1girl, lowres", negative)
    assert any(f.field == "negative_prompt" for f in first)
    assert second == fresh("1girl, smile", negative, LintSettings(select=("T006",))) == ()
    assert third == first


def test_findings_of_one_field_are_not_reused_in_the_other() -> None:
    # P001: `worst quality` is misplaced in the prompt, in its place in the negative
    linter = Linter()
    text = "worst quality, 1girl"
    as_negative = linter.lint("1girl", text)
    as_prompt = linter.lint(text, "1girl")
    assert as_prompt == fresh(text, "1girl")
    assert as_negative == fresh("1girl", text)
    assert "P001" in {f.code for f in as_prompt} and "P001" not in {f.code for f in as_negative}


def test_nothing_is_shared_between_linters_of_other_settings() -> None:
    text = "{smile}, (green hair:1.2), [blue eyes], 1girl,, gren hair"
    a1111 = Linter()
    novelai = Linter(LintSettings(dialect="novelai"))
    only_syntax = Linter(LintSettings(select=("S",)))
    for linter in (a1111, novelai, only_syntax):
        linter.lint(text, text)
    assert novelai.lint(text, text) == fresh(text, text, LintSettings(dialect="novelai"))
    assert only_syntax.lint(text, text) == fresh(text, text, LintSettings(select=("S",)))
    assert a1111.lint(text, text) == fresh(text, text)
    assert novelai.run(text).parsed().dialect.name == "novelai"


def test_nothing_is_shared_between_linters_of_other_tag_data(tmp_path: Path) -> None:
    tags = tmp_path / "mine.csv"
    tags.write_text("zorblax_armor,0,5000,\n", encoding="utf-8")
    text = "1girl, zorblax armr"
    bundled = Linter()
    mine = Linter(tag_paths=(str(tags),))
    assert not any(f.code == "T003" for f in bundled.lint(text, text))
    found = mine.lint(text, text)
    assert [f.code for f in found if f.code == "T003"] == ["T003", "T003"]
    assert bundled.lint(text, text) == fresh(text, text)


def test_the_kept_texts_are_bounded() -> None:
    linter = Linter(LintSettings(select=("S101",)))
    for i in range(TextFacts.SIZE * 3):
        linter.lint(f"tag{i},, smile", "lowres")
    assert len(linter._facts._entries) == TextFacts.SIZE
    long_text = "smile, " * (TextFacts.LONGEST // 7 + 1)
    linter.lint(long_text)
    assert long_text not in linter._facts._entries


def test_a_prompt_given_parsed_is_linted_as_given() -> None:
    from animagine_prompt.syntax import parse

    linter = Linter()
    linter.lint("1girl,, smile", "lowres")
    parsed = parse("1girl,, smile")
    run = linter.run(parsed, "lowres")
    assert run.parsed() is parsed
    assert run.findings == fresh("1girl,, smile", "lowres")


def _real_pairs() -> list[tuple[str, str | None]]:
    if not REAL.is_file():
        pytest.skip("../shared/data/real-prompts.jsonl is not here")
    records = [json.loads(line) for line in REAL.read_text(encoding="utf-8").splitlines() if line.strip()]
    negatives = [r["negative"] for r in records if r.get("negative")][:4]
    return [(r["prompt"], negatives[i % len(negatives)]) for i, r in enumerate(records)]


def test_real_prompts_with_a_few_negatives_give_the_findings_of_fresh_linters() -> None:
    pairs = _real_pairs()
    shared = Linter()
    got = [shared.lint(prompt, negative) for prompt, negative in pairs]
    # one fresh linter per negative: the same prompt/negative pairs, nothing kept between them
    for i, (prompt, negative) in enumerate(pairs):
        assert got[i] == fresh(prompt, negative), prompt
