"""The public surface of animagine_prompt.tags."""

from __future__ import annotations

import subprocess
import sys

import animagine_prompt.tags as tags


def test_all_is_sorted_and_exported() -> None:
    assert tags.__all__ == sorted(tags.__all__)
    for name in tags.__all__:
        obj = getattr(tags, name)
        if isinstance(obj, type) or callable(obj):
            assert obj.__module__ == "animagine_prompt.tags", name


def test_importing_tags_pulls_no_heavy_or_ui_modules() -> None:
    code = (
        "import sys, animagine_prompt.tags as t; t.load_database().lookup('gren hair');"
        "print(sorted(m for m in ('torch', 'transformers', 'diffusers', 'rich', 'numpy') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
