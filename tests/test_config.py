"""Configuration discovery and validation."""

from __future__ import annotations

from pathlib import Path

import pytest

from animagine_prompt.config import Config, find_config_file, load_config
from animagine_prompt.errors import ConfigError, InputError


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_no_file_gives_defaults(tmp_path: Path) -> None:
    config = load_config(tmp_path)
    assert config == Config()
    assert config.source is None and config.lora_dir is None and config.lint == {}


def test_dedicated_file_keys_at_top_level(tmp_path: Path) -> None:
    write(
        tmp_path / "animagine-prompt.toml",
        'tags = ["data/danbooru.csv", "/abs/extra.txt"]\npresets = "presets"\nlora-dir = "loras"\n'
        '[lint]\nselect = ["T"]\nignore = ["S001"]\n',
    )
    config = load_config(tmp_path)
    root = tmp_path.resolve()
    assert config.tags == (root / "data" / "danbooru.csv", Path("/abs/extra.txt"))
    assert config.presets == (root / "presets",)
    assert config.lora_dir == root / "loras"
    assert config.lint == {"select": ["T"], "ignore": ["S001"]}
    assert config.source == root / "animagine-prompt.toml"


def test_pyproject_table_and_walk_up(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[tool.animagine-prompt]\ntags = ["t.csv"]\n')
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    config = load_config(deep)
    assert config.tags == (tmp_path.resolve() / "t.csv",)
    assert config.source == tmp_path.resolve() / "pyproject.toml"


def test_start_may_be_a_file(tmp_path: Path) -> None:
    write(tmp_path / "animagine-prompt.toml", 'tags = ["t.csv"]\n')
    prompt = write(tmp_path / "prompt.txt", "1girl")
    assert load_config(prompt).source == tmp_path.resolve() / "animagine-prompt.toml"


def test_pyproject_without_table_is_skipped(tmp_path: Path) -> None:
    write(tmp_path / "animagine-prompt.toml", 'tags = ["outer.csv"]\n')
    write(tmp_path / "inner" / "pyproject.toml", '[project]\nname = "x"\n[tool.ruff]\nline-length = 80\n')
    config = load_config(tmp_path / "inner")
    assert config.tags == (tmp_path.resolve() / "outer.csv",)


def test_closest_file_wins_without_merging(tmp_path: Path) -> None:
    write(tmp_path / "animagine-prompt.toml", 'tags = ["outer.csv"]\nlora-dir = "loras"\n')
    write(tmp_path / "inner" / "pyproject.toml", '[tool.animagine-prompt.lint]\nselect = ["S"]\n')
    config = load_config(tmp_path / "inner")
    assert config.tags == () and config.lora_dir is None
    assert config.lint == {"select": ["S"]}


def test_dedicated_file_beats_pyproject_in_same_folder(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[tool.animagine-prompt]\ntags = ["py.csv"]\n')
    write(tmp_path / "animagine-prompt.toml", 'tags = ["own.csv"]\n')
    assert find_config_file(tmp_path) == tmp_path.resolve() / "animagine-prompt.toml"
    assert load_config(tmp_path).tags == (tmp_path.resolve() / "own.csv",)


def test_unknown_key_names_file_key_and_line(tmp_path: Path) -> None:
    path = write(tmp_path / "pyproject.toml", '[tool.animagine-prompt]\ntags = []\ntgas = ["x.csv"]\n')
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path)
    error = info.value
    assert isinstance(error, InputError) and isinstance(error, ValueError)
    assert error.path == str(path) and error.line == 3
    assert "tool.animagine-prompt.tgas: unknown key; the known keys are tags, presets, lint, lora-dir" in str(error)


def test_source_is_not_a_file_key(tmp_path: Path) -> None:
    write(tmp_path / "animagine-prompt.toml", 'source = "x"\n')
    with pytest.raises(ConfigError, match="source: unknown key"):
        load_config(tmp_path)


def test_wrong_type_is_reported(tmp_path: Path) -> None:
    write(tmp_path / "animagine-prompt.toml", "\n\nlint = 3\n")
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path)
    assert info.value.line == 3 and "lint" in str(info.value)


def test_invalid_toml_gives_line(tmp_path: Path) -> None:
    write(tmp_path / "animagine-prompt.toml", 'tags = ["a.csv"]\ntags = [\n')
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path)
    assert info.value.line is not None and "invalid TOML" in str(info.value)


def test_config_is_frozen(tmp_path: Path) -> None:
    config = load_config(tmp_path)
    with pytest.raises(AttributeError):  # dataclasses.FrozenInstanceError
        config.tags = (Path("x"),)  # type: ignore[misc]


def test_snake_case_lora_dir_is_accepted(tmp_path: Path) -> None:
    write(tmp_path / "animagine-prompt.toml", 'lora_dir = "~/loras"\n')
    assert load_config(tmp_path).lora_dir == Path("~/loras").expanduser()


@pytest.mark.parametrize(
    ("text", "fragment", "line"),
    [
        ("x = 1\nlint = " + "[" * 50_000 + "\n", "levels deep", 2),
        ("[lint]\n" + "a" + ".a" * 50_000 + " = 1\n", "levels deep", 2),
        ("x = 1\n[lint]\nn = " + "1" * 5000 + "\n", "digits", 3),
        ('tags = ["a"]\nlint = {select = "T", rules = ' + "{a = " * 50_000 + "\n", "levels deep", 2),
    ],
)
def test_hostile_files_give_a_config_error_with_the_line(tmp_path: Path, text: str, fragment: str, line: int) -> None:
    # TOML nested 50,000 deep overflowed the parser's recursion (or took tomllib over a minute)
    write(tmp_path / "animagine-prompt.toml", text)
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path)
    assert fragment in info.value.reason and info.value.line == line


def test_unreadable_file(tmp_path: Path) -> None:
    (tmp_path / "animagine-prompt.toml").mkdir()
    (tmp_path / "pyproject.toml").write_text("[tool.animagine-prompt]\n")
    assert load_config(tmp_path).source == (tmp_path / "pyproject.toml").resolve()


def test_nested_key_errors_point_at_their_line(tmp_path: Path) -> None:
    path = write(tmp_path / "pyproject.toml", '[tool."animagine-prompt"]\ntags = []\n\npresets = 3\n')
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path)
    assert info.value.path == str(path) and info.value.line == 4
    assert "tool.animagine-prompt.presets: expected a path or a list of paths (strings), got 3" in str(info.value)
