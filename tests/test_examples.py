"""The scripts in examples/ run and print what their docstrings promise."""

import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = sorted((Path(__file__).resolve().parents[1] / "examples").glob("*.py"))


@pytest.mark.parametrize("script", EXAMPLES, ids=lambda p: p.name)
def test_example_runs(script: Path) -> None:
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120, check=True)
    assert out.stdout.strip()
    # each example opens with a titled docstring
    assert script.read_text(encoding="utf-8").startswith('"""')


def test_card_example_is_lint_clean() -> None:
    script = next(p for p in EXAMPLES if p.name == "card_prompts.py")
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, check=True).stdout
    assert out.count("lint: clean") == 2


def test_novelai_example_keeps_weights() -> None:
    script = next(p for p in EXAMPLES if p.name == "convert_novelai.py")
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, check=True).stdout
    assert "(masterpiece:1.1025)" in out and "hu tao \\(genshin impact\\)" in out
