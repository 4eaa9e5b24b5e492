"""The rule reference in docs/ is generated from the registry and must be current."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _generator():
    spec = importlib.util.spec_from_file_location("gen_rules", ROOT / "docs" / "gen_rules.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_generated_rule_docs_are_current() -> None:
    stale = _generator().stale()
    assert not stale, f"run `python docs/gen_rules.py`; stale: {[str(p) for p in stale]}"


def test_every_rule_has_a_page_and_a_table_row() -> None:
    from animagine_prompt.lint.rules import CODES

    lint_md = (ROOT / "docs" / "lint.md").read_text(encoding="utf-8")
    for code in CODES:
        assert (ROOT / "docs" / "rules" / f"{code}.md").is_file()
        assert f"[{code}](rules/{code}.md)" in lint_md
