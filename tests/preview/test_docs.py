"""docs/preview.md: the sample is the code's current output, and the style table is the theme's."""

import re
from pathlib import Path

from animagine_prompt.cli.preview import STYLES
from animagine_prompt.cli.preview._docs import BEGIN, END, sample_block

DOC = Path(__file__).resolve().parents[2] / "docs" / "preview.md"


def test_sample_is_current():
    text = DOC.read_text(encoding="utf-8")
    committed = text[text.index(BEGIN) : text.index(END) + len(END)]
    assert committed == sample_block(), "stale: run python -m animagine_prompt.cli.preview._docs"


def test_style_table_lists_every_style_with_its_default():
    rows = re.findall(r"^\| `(animagine\.[a-z.]+)` \| `([^`]*)` \|", DOC.read_text(encoding="utf-8"), re.M)
    assert dict(rows) == dict(STYLES)
