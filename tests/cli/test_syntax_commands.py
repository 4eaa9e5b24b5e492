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


def test_parse_table_shows_tags_and_both_sides_of_a_schedule(capsys):
    assert main(["parse", "1girl, (green hair:1.2), [day:night:0.5], [cat|dog], [hat:5]"]) == 0
    out = capsys.readouterr().out
    assert "tags" in out and "green hair" in out and "1.2" in out
    assert "schedule: 'day' until 50% of the steps, then 'night'" in out
    assert "alternation: 'cat' | 'dog'" in out
    assert "schedule: (nothing) until step 5, then 'hat'" in out


def test_parse_json_lists_schedules(capsys):
    assert main(["parse", "--json", "[a:(b:1.2):3]"]) == 0
    (schedule,) = json.loads(capsys.readouterr().out)["schedules"]
    assert (schedule["before"], schedule["after"], schedule["when"]) == ("a", "(b:1.2)", "3")


def test_a_bad_flag_shows_the_subcommand_usage(capsys):
    import pytest

    with pytest.raises(SystemExit) as exit_info:
        main(["lint", "--bogus", "1girl"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: animagine-prompt lint") and "unrecognized arguments: --bogus" in err
