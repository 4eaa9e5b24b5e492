"""Batch files against hostile and out-of-range input: an InputError with the line, never a traceback."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from animagine_prompt.batch import read_batch_file, read_batch_text
from animagine_prompt.errors import InputError

BOMB = "".join(
    f"- &{name} [{', '.join([f'*{prev}'] * 9) if prev else ', '.join(['lol'] * 9)}]\n"
    for prev, name in zip(["", "a", "b", "c", "d", "e", "f"], "abcdefg", strict=True)
)


@pytest.mark.parametrize(
    ("text", "kind", "line", "fragment"),
    [
        (BOMB, "yaml", 5, "aliases expand"),
        ("- prompt: &p {prompt: *p}\n", "yaml", 1, "inside its own anchor"),
        ("- {[a]: 1}\n", "yaml", 1, "a key is a list or a mapping"),
        ("- a\n- " + "[" * 100_000 + "\n", "yaml", 2, "levels deep"),
        ('"a"\n' + "[" * 100_000 + "\n", "jsonl", 2, "levels deep"),
        ('"a"\n{"prompt": "b", "seed": ' + "1" * 5000 + "}\n", "jsonl", 2, "digits"),
        ("- prompt: a\n  steps: 1000000000000\n", "yaml", 2, "steps: expected a whole number from 1 to 1000"),
        ("- prompt: a\n\n  n: 1000000000000\n", "yaml", 3, "n: expected a whole number from 1 to 100000"),
        ("- prompt: a\n  guidance: .nan\n", "yaml", 2, "guidance: expected a number from 0 to 100"),
        ("- prompt: a\n  hires_strength: 2\n", "yaml", 2, "hires_strength: expected a number from 0 to 1"),
        ("- prompt: a\n  seed: 1.5\n", "yaml", 2, "seed: expected a whole number"),
        ("- prompt: a\n  size: -64x0\n", "yaml", 2, "size"),
        ("- prompt: a\n  size: 64x9000\n", "yaml", 2, "each side must be a whole number of pixels from 64 to 8192"),
        ("- prompt: a\n  size: " + "9" * 5000 + "x64\n", "yaml", 2, "each side must be"),
        ("- prompt: a\n  seeds: '" + "9" * 5000 + "'\n", "yaml", 2, "above the largest seed"),
    ],
)
def test_hostile_batch_files(text: str, kind: str, line: int, fragment: str) -> None:
    with pytest.raises(InputError) as info:
        read_batch_text(text, kind, path=f"b.{kind}")
    assert fragment in info.value.reason and info.value.line == line


def test_sizes_names_and_ratios_pass_through_to_the_presets() -> None:
    items = read_batch_text(
        "- prompt: a\n  size: 832x1216\n- prompt: b\n  size: '3:4'\n- {prompt: c, size: tall}\n", "yaml"
    )
    assert [s["size"] for _, s in items] == ["832x1216", "3:4", "tall"]


def test_prompts_are_plain_strings() -> None:
    ((prompt, settings),) = read_batch_text("- prompt: 1girl\n  style: anime\n", "yaml")
    assert type(prompt) is str and all(type(k) is str for k in settings) and type(settings["style"]) is str


def test_a_folder_or_an_unreadable_file(tmp_path: Path) -> None:
    (tmp_path / "b.yaml").mkdir()
    with pytest.raises(InputError, match="is a folder"):
        read_batch_file(tmp_path / "b.yaml")
    if sys.platform != "win32" and os.geteuid() != 0:
        locked = tmp_path / "locked.txt"
        locked.write_text("1girl\n")
        locked.chmod(0)
        with pytest.raises(InputError, match="cannot read"):
            read_batch_file(locked)
