"""The model card's own prompts (its three generation-parameter examples and widget prompts) are clean."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from animagine_prompt.diagnostics import Severity
from animagine_prompt.lint import lint

CARD = Path(__file__).resolve().parents[2] / ".." / "shared" / "model-card" / "animagine-xl-2.0-README.md"


def _card_prompts() -> list[tuple[str, str]]:
    if not CARD.is_file():
        pytest.skip("the shared model card is not available")
    text = CARD.read_text(encoding="utf-8")
    front = yaml.safe_load(text.split("---", 2)[1])
    prompts = [(w["text"], w["parameter"]["negative_prompt"]) for w in front["widget"]]
    for block in re.findall(r"<pre>\s*(\{.*?\})\s*</pre>", text, re.S):
        data = json.loads(block)
        prompts.append((data["prompt"], data["negative_prompt"]))
    return prompts


def test_card_has_the_expected_prompts() -> None:
    assert len(_card_prompts()) == 5


@pytest.mark.parametrize("index", range(5))
def test_card_prompt_has_no_warning_or_error(index: int) -> None:
    prompt, negative = _card_prompts()[index]
    bad = [f for f in lint(prompt, negative) if f.severity.rank >= Severity.WARNING.rank]
    assert bad == [], [(f.code, f.message) for f in bad]
