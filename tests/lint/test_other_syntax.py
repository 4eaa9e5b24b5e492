"""Syntax of A1111 extensions is left alone by every default rule but S014's notes, and messages do
not depend on the hash seed."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from animagine_prompt.diagnostics import Severity
from animagine_prompt.lint import lint


@pytest.mark.parametrize(
    "prompt",
    [
        "1girl, <lora:style:0.5:lbw=1,0,0,0,1,1,1,1,0,0,0,1>",
        "1girl, <lora:style:0.5:1,0,0,0,1,1,1,1,0,0,0,1>",
        "1girl, <lora:style:0.5:MIDD>",
        "1girl, <lyco:foo:0.7>, <hypernet:bar:1>",
        "1girl, {red|blue} hair, __season__",
    ],
)
def test_extension_syntax_gets_notes_only(prompt: str) -> None:
    found = lint(prompt)
    assert found and all(f.code == "S014" and f.severity is Severity.INFO for f in found), [
        (f.code, f.message) for f in found
    ]


def test_messages_do_not_depend_on_the_hash_seed() -> None:
    script = (
        "from animagine_prompt.lint import lint\n"
        "print([f.message for f in lint('1girl, solo, 2girls, multiple girls, short hair, long hair')])"
    )
    outputs = set()
    for seed in ("1", "2", "3"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True)
        outputs.add(done.stdout)
    assert len(outputs) == 1, outputs
