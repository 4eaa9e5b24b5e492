"""``animagine-prompt tokens``: tables, JSON, exit codes."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from animagine_prompt.cli import main

LONG = "1girl, " + "very " * 80 + "long tag, smile BREAK green hair"


def run_json(capsys, *argv):
    code = main(["tokens", "--json", *argv])
    return code, json.loads(capsys.readouterr().out)


def test_table_shows_counts_and_counter(capsys):
    assert main(["tokens", "1girl, smile"]) == 0
    out = capsys.readouterr().out
    assert "4/75" in out and "4/75 tokens in 1 chunk" in out


def test_table_names_the_cut_tag_and_boundaries(capsys):
    assert main(["tokens", LONG]) == 0
    out = capsys.readouterr().out
    assert "89/225 tokens in 3 chunks" in out
    assert "chunks 1|2: cuts 'very very" in out and f"(chars 7-{LONG.index(', smile')})" in out
    assert "BREAK" in out and "75 tokens" in out


def test_json_carries_chunks_and_boundaries(capsys):
    code, data = run_json(capsys, LONG)
    assert code == 0
    assert (data["token_count"], data["capacity"], data["chunk_length"]) == (89, 225, 75)
    assert [c["used"] for c in data["chunks"]] == [75, 12, 2]
    assert all(len(c["ids"]) == len(c["weights"]) == len(c["spans"]) == c["used"] for c in data["chunks"])
    first, second = data["boundaries"]
    assert first["reason"] == "full" and first["cut"]["text"].endswith("very long tag")
    assert (first["cut"]["start"], first["cut"]["end"]) == (LONG.index("very"), LONG.index(", smile"))
    assert second == {"after_chunk": 1, "reason": "break", "moved": 0, "offset": LONG.index("green"),
                      "cut": None, "pushed": []}


def test_json_reports_tags_pushed_by_back_tracking(capsys):
    text = "cat " * 60 + ", " + "dog " * 30
    _, data = run_json(capsys, text)
    (boundary,) = data["boundaries"]
    assert boundary["reason"] == "comma" and boundary["moved"] == 14
    assert [t["text"] for t in boundary["pushed"]] == ["dog " * 29 + "dog"]
    _, data = run_json(capsys, "--comma-window", "0", text)
    assert data["boundaries"][0]["reason"] == "full"


def test_tokens_flag_lists_tokens(capsys):
    _, data = run_json(capsys, "--tokens", "Best quality, 1girl")
    assert data["chunks"][0]["tokens"] == ["best ", "quality ", ", ", "1 ", "girl "]
    assert main(["tokens", "--tokens", "Best quality, 1girl"]) == 0
    assert "1: best quality , 1 girl" in capsys.readouterr().out


def test_tokenizer_2_counts_exclamation_marks_apart(capsys):
    _, l_data = run_json(capsys, "wow!! great!!")
    _, g_data = run_json(capsys, "--tokenizer", "clip_g", "wow!! great!!")
    assert (l_data["token_count"], g_data["token_count"]) == (4, 6)


def test_check_exits_1_when_a_tag_is_cut(capsys):
    assert main(["tokens", "--check", LONG]) == 1
    assert main(["tokens", "--check", "1girl, smile"]) == 0
    assert main(["tokens", "--check", "--json", "cat " * 60 + ", " + "dog " * 30]) == 0


def test_usage_errors_exit_2(capsys):
    assert main(["tokens", "--step", "3", "[a:b:5]"]) == 2
    assert "--step needs --steps" in capsys.readouterr().err
    assert main(["tokens", "--comma-window", "-1", "a"]) == 2
    assert "--comma-window" in capsys.readouterr().err


def test_schedules_and_stdin(capsys, monkeypatch):
    _, early = run_json(capsys, "--step", "2", "--steps", "10", "[cat:dog cat:5]")
    _, late = run_json(capsys, "--step", "8", "--steps", "10", "[cat:dog cat:5]")
    assert (early["token_count"], late["token_count"]) == (1, 2)
    monkeypatch.setattr(sys, "stdin", io.StringIO("1girl, smile\n"))
    _, data = run_json(capsys, "-")
    assert data["token_count"] == 4


def test_installed_console_script():
    script = shutil.which("animagine-prompt") or str(Path(sys.executable).parent / "animagine-prompt")
    if not Path(script).is_file():
        pytest.skip("the animagine-prompt script is not installed")
    out = subprocess.run([script, "tokens", "--json", "masterpiece, 1girl"], capture_output=True, text=True,
                         check=True, env={"NO_COLOR": "1", "PATH": "/usr/bin:/bin"}).stdout
    assert json.loads(out)["chunks"][0]["ids"] == [12066, 267, 272, 1611]
