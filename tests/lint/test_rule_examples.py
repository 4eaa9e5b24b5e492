"""Every rule page's example produces exactly the findings the page lists under "Reports:", and
its "Use instead:" text none of that rule."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from animagine_prompt.lint import Linter, LintSettings
from animagine_prompt.lint.rules import CODES, load_rule

_BLOCK = re.compile(r"```text\n(.*?)\n```", re.S)
_NETWORK = re.compile(r"<lora:([^:>]+)")


def _section(code: str) -> str:
    text = load_rule(code).explanation()
    return text.split("## Example", 1)[1].split("\n## ", 1)[0]


def _prompts(block: str) -> tuple[str, str | None]:
    prompt, negative = [], None
    for line in block.splitlines():
        if line.startswith("Negative prompt: "):
            negative = line.removeprefix("Negative prompt: ")
        else:
            prompt.append(line)
    return "\n".join(prompt), negative


def _linter(code: str, good: str, tmp_path: Path) -> Linter:
    lora_dir = None
    if code == "S105":  # the LoRAs of the corrected example exist
        for name in _NETWORK.findall(good):
            (tmp_path / f"{name}.safetensors").write_bytes(b"")
        lora_dir = str(tmp_path)
    return Linter(LintSettings(select=(code,), lora_dir=lora_dir), user_presets=False)


def _shown(linter: Linter, code: str, prompt: str, negative: str | None) -> list[str]:
    """The findings of ``code`` as a page lists them: ``- `source`: message`` (the LoRA folder as LORA_DIR)."""
    out = []
    for f in linter.lint(prompt, negative):
        if f.code != code:
            continue
        source = (prompt if f.field == "prompt" else negative or "")[f.span[0] : f.span[1]]
        where = "negative " if f.field == "negative_prompt" else ""
        message = f.message.replace(str(linter.settings.lora_dir), "LORA_DIR")
        out.append(f"- {where}`{source}`: {message}")
    return out


def _documented(section: str) -> tuple[str, list[str], str | None]:
    blocks = _BLOCK.findall(section)
    assert blocks, "the example has no ```text block"
    reports = section.split("Reports:", 1)
    assert len(reports) == 2, 'the example lists no "Reports:"'
    listed: list[str] = []
    for line in reports[1].split("\n\n", 2)[1].splitlines():
        if line.startswith("- "):
            listed.append(line)
        elif line.startswith("  ") and listed:  # a long entry wrapped onto the next line
            listed[-1] += " " + line.strip()
    after = section.split("Use instead:", 1)
    good = _BLOCK.findall(after[1]) if len(after) == 2 else []
    return blocks[0], listed, good[0] if good else None


@pytest.mark.parametrize("code", sorted(CODES))
def test_rule_example_reports_what_its_page_says(code: str, tmp_path: Path) -> None:
    if code == "K002":
        pytest.skip("K002's example is a prompt of 300 tokens, described rather than shown")
    bad, listed, good = _documented(_section(code))
    linter = _linter(code, good or "", tmp_path)
    assert _shown(linter, code, *_prompts(bad)) == listed
    if good is not None:
        assert _shown(linter, code, *_prompts(good)) == []
