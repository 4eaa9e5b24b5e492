import json
import subprocess
import sys

from animagine_prompt.cli import main


def test_parse_json(capsys):
    assert main(["parse", "--json", "1girl, (green hair:1.2), (oops"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [f["weight"] for f in data["fragments"]][1] == 1.2
    assert data["diagnostics"][0]["code"] == "S001"
    assert [t["text"] for t in data["tags"]] == ["1girl", "green hair", "oops"]


def test_parse_table(capsys):
    assert main(["parse", "a BREAK b"]) == 0
    assert "BREAK" in capsys.readouterr().out


def test_step_without_steps_is_a_usage_error(capsys):
    assert main(["parse", "--step", "3", "[a:b:5]"]) == 2
    assert capsys.readouterr().err.startswith("error: --step needs --steps")


def test_convert(capsys):
    assert main(["convert", "--from", "novelai", "--to", "a1111", "{{a}}"]) == 0
    assert capsys.readouterr().out.strip() == "(a:1.1025)"


def test_console_script_runs():
    out = subprocess.run(
        [sys.executable, "-m", "animagine_prompt", "convert", "--from", "novelai", "--to", "a1111", "{{a}}, [b]"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == "(a:1.1025), (b:0.9524)"
