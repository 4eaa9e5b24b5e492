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
            # each object names the module that defines it: doctest collects a class's methods
            # only there (renamed to the namespace, TagDatabase's examples were never run)
            assert getattr(sys.modules[obj.__module__], obj.__name__) is obj, name


def test_importing_tags_pulls_no_heavy_or_ui_modules() -> None:
    code = (
        "import sys, animagine_prompt.tags as t; t.load_database().lookup('gren hair');"
        "print(sorted(m for m in ('torch', 'transformers', 'diffusers', 'rich', 'numpy') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
