"""A qualified tag written with bare brackets gets one finding from all the default rules, not one per rule."""

from __future__ import annotations

import pytest

from animagine_prompt.lint import fix, lint


@pytest.mark.parametrize(
    ("prompt", "fixed"),
    [
        ("kafka_(honkai:_star_rail)", r"kafka \(honkai: star rail\)"),
        ("hu_tao_(genshin_impact)", r"hu tao \(genshin impact\)"),
        ("hu tao (genshin impact)", r"hu tao \(genshin impact\)"),
        ("artoria pendragon (lancer alter) (fate)", r"artoria pendragon \(lancer alter\) \(fate\)"),
    ],
)
def test_one_finding_and_one_fix(prompt: str, fixed: str) -> None:
    text = f"1girl, {prompt}, smile"
    found = lint(text)
    assert [f.code for f in found] == ["T001"], [(f.code, f.message) for f in found]
    result = fix(text, unsafe=True)
    assert result.prompt == f"1girl, {fixed}, smile"
    assert lint(result.prompt) == ()
