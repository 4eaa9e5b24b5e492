"""``animagine-prompt tags lookup|search``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from animagine_prompt.cli import main
from animagine_prompt.tags import TAGS_ENV


@pytest.fixture(autouse=True)
def _isolated(monkeypatch, tmp_path: Path) -> None:
    # No config file or environment from the machine running the tests.
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(TAGS_ENV, raising=False)
    monkeypatch.setenv("NO_COLOR", "1")


def test_lookup_json(capsys) -> None:
    code = main(["tags", "lookup", "hu tao", "gren hair", "a girl standing in the rain", "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 1  # one item is unknown
    assert [row["query"] for row in out] == ["hu tao", "gren hair", "a girl standing in the rain"]
    assert set(out[0]) == {"query", "match", "suggestions"}
    assert out[0]["match"]["tag"] == "hu_tao_(genshin_impact)"
    assert out[0]["match"]["prompt_form"] == r"hu tao \(genshin impact\)"
    # Danbooru lists "hu_tao" as an alias of the qualified tag; either way no suggestions.
    assert out[0]["match"]["how"] in ("character", "alias") and out[0]["suggestions"] == []
    assert out[1]["match"]["how"] == "fuzzy" and out[1]["match"]["tag"] == "green_hair"
    assert out[2]["match"] is None


def test_lookup_all_known_exits_0(capsys) -> None:
    assert main(["tags", "lookup", "1girl", "masterpiece", "blond hair"]) == 0
    out = capsys.readouterr().out
    assert "1girl" in out and "quality (Animagine)" in out and "blonde hair" in out and "alias" in out


def test_lookup_unknown_shows_suggestions(capsys) -> None:
    assert main(["tags", "lookup", "cute"]) == 1
    out = capsys.readouterr().out
    assert "unknown" in out and "did you mean" in out


def test_search_table_and_json(capsys) -> None:
    assert main(["tags", "search", "twintails", "--limit", "3"]) == 0
    table = capsys.readouterr().out
    assert "twintails" in table and "twin_tails" in table and "general" in table
    assert main(["tags", "search", "genshin", "--category", "character", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows and all(r["category_name"] == "character" for r in rows)
    assert all("aliases" in r for r in rows)


def test_lookup_series_makes_common_words_characters(capsys) -> None:
    assert main(["tags", "lookup", "amber", "--json"]) == 1
    out = json.loads(capsys.readouterr().out)[0]
    assert out["match"] is None and out["suggestions"][0]["tag"] == "amber_(genshin_impact)"
    assert main(["tags", "lookup", "amber", "--series", "genshin impact", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["match"]["tag"] == "amber_(genshin_impact)"


def test_search_category_character(capsys) -> None:
    assert main(["tags", "search", "kafka", "--category", "character", "--limit", "3", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows[0]["tag"] == "kafka_(honkai:_star_rail)"
    assert len(rows) == 3 and all(r["category_name"] == "character" for r in rows)


def test_search_nothing_exits_1(capsys) -> None:
    assert main(["tags", "search", "qqqqqqqqqqqqqqqqqqqq"]) == 1


def test_tags_option_env_and_config(capsys, monkeypatch, tmp_path: Path) -> None:
    mine = tmp_path / "mine.csv"
    mine.write_text('my_oc_(original),4,7,"my_oc"\n', encoding="utf-8")
    assert main(["tags", "lookup", "my oc", "--tags", str(mine), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["match"]["tag"] == "my_oc_(original)"
    monkeypatch.setenv(TAGS_ENV, str(mine))
    assert main(["tags", "lookup", "my oc"]) == 0
    monkeypatch.delenv(TAGS_ENV)
    (tmp_path / "animagine-prompt.toml").write_text('tags = ["mine.csv"]\n', encoding="utf-8")
    assert main(["tags", "lookup", "my oc", "--no-bundled"]) == 0
    assert main(["tags", "lookup", "green hair", "--no-bundled"]) == 1


def test_malformed_file_is_a_usage_error(capsys, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("1girl,0,5\nsolo,general,3\n", encoding="utf-8")
    assert main(["tags", "lookup", "1girl", "--tags", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and f"{bad}:2:" in err and "category" in err


def test_no_bundled_without_files(capsys) -> None:
    assert main(["tags", "lookup", "1girl", "--no-bundled"]) == 2
    assert "--tags" in capsys.readouterr().err


def test_console_script(tmp_path: Path) -> None:
    script = Path(sys.executable).with_name("animagine-prompt")
    if not script.is_file():
        pytest.skip("console script not installed")
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop(TAGS_ENV, None)
    result = subprocess.run(
        [str(script), "tags", "lookup", "kafka", "--json"], capture_output=True, text=True, env=env, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)[0]["match"]["tag"] == "kafka_(honkai:_star_rail)"
