"""``animagine-prompt expand``: the diff it prints, the JSON, and its errors."""

import io
import json

import pytest

from animagine_prompt.cli import main

pytest.importorskip("torch")
pytest.importorskip("transformers")

# a seed whose answer from the tiny model is short and adds tags to "1girl, solo"
SEED = "11"


@pytest.fixture(scope="module")
def expected(tiny_lm_dir):
    from animagine_prompt.expand import LMExpander

    expansion = LMExpander(str(tiny_lm_dir), device="cpu").expand("1girl, solo", seed=int(SEED))
    assert expansion.added  # the seed still does what the tests need
    return expansion


def test_json_is_the_library_result(tiny_lm_dir, expected, capsys):
    assert (
        main(["expand", "1girl, solo", "--model", str(tiny_lm_dir), "--seed", SEED, "--device", "cpu", "--json"]) == 0
    )
    assert json.loads(capsys.readouterr().out) == expected.to_dict()


def test_the_diff_shows_old_new_added_and_dropped(tiny_lm_dir, expected, capsys):
    assert main(["expand", "1girl, solo", "--model", str(tiny_lm_dir), "--seed", SEED, "--device", "cpu"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[1:4] == [
        "- 1girl, solo",
        f"+ {expected.prompt}",
        f"added ({len(expected.added)}): {', '.join(expected.added)}",
    ]
    assert lines[4:] == ([f"dropped ({len(expected.dropped)}):"] if expected.dropped else []) + [
        f"  {d.describe()}" for d in expected.dropped
    ]


def test_added_tags_are_highlighted_in_a_terminal(expected, monkeypatch):
    from rich.console import Console

    from animagine_prompt.cli import _io
    from animagine_prompt.cli.expand import show

    buffer = io.StringIO()
    monkeypatch.setattr(_io, "console", lambda stderr=False: Console(file=buffer, force_terminal=True, width=300))
    show(expected)
    plus_line = next(line for line in buffer.getvalue().splitlines() if line.startswith("+ "))
    bold_green = "\x1b[1;32m"
    for tag in expected.added:
        assert f"{bold_green}{tag}\x1b[0m" in plus_line
    assert f"{bold_green}1girl" not in plus_line and f"{bold_green}solo" not in plus_line


def test_errors_are_one_line(tiny_lm_dir, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    assert main(["expand", "1girl", "--model", "KBlueLeaf/TIPO-500M-ft", "--device", "cpu"]) == 2
    assert "hf download KBlueLeaf/TIPO-500M-ft" in capsys.readouterr().err
    assert main(["expand", "1girl", "--model", str(tiny_lm_dir), "--aspect-ratio", "wide"]) == 2
    assert capsys.readouterr().err == "error: --aspect-ratio 'wide': write it as 3:4 or 0.75\n"
    assert main(["expand", "1girl", "--model", str(tiny_lm_dir), "--seed", "-1"]) == 2
    assert "must not be negative" in capsys.readouterr().err
