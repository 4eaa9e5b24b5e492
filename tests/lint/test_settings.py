"""Lint settings: one checker for the lint table, rule options and rule keys, errors with the file's line."""

from __future__ import annotations

from pathlib import Path

import pytest

from animagine_prompt.errors import ConfigError
from animagine_prompt.lint import Linter
from animagine_prompt.lint._rule import Option
from animagine_prompt.lint._settings import LintSettings, load_settings
from animagine_prompt.syntax import DIALECTS


def settings_error(tmp_path: Path, text: str) -> ConfigError:
    (tmp_path / "animagine-prompt.toml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_settings(start=tmp_path)
    return info.value


def test_an_unknown_rule_key_is_reported_with_its_line(tmp_path: Path) -> None:
    # the check ran in the linter, after the file was closed: no file, no line
    error = settings_error(tmp_path, '[lint]\nselect = ["S"]\n\n[lint.rules.S999x]\nmax = 1\n')
    assert error.line == 4 and error.path is not None
    assert "[lint] rules: 'S999x' is neither a rule code nor a rule name" in str(error)


def test_rule_keys_may_be_codes_in_any_case_or_names(tmp_path: Path) -> None:
    (tmp_path / "animagine-prompt.toml").write_text(
        "[lint.rules.s007]\nmax = 3\n[lint.rules.too-many-chunks]\nmax_chunks = 4\n"
    )
    settings = load_settings(start=tmp_path)
    assert Linter(settings).settings.rule_options("K002", "too-many-chunks") == {"max_chunks": 4}


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ('tags = []\n[lint]\npreview = "yes"\n', 3, "[lint] preview: expected true or false, got 'yes'"),
        ("[lint]\n\nfail_on = 3\n", 3, "[lint] fail_on: expected info, warning or error, got 3"),
        ('[lint]\nselect = "S"\ndialect = "nai"\n', 3, "[lint] dialect: expected a1111, comfy or novelai, got 'nai'"),
        ('[lint]\nrules = ["S007"]\n', 2, "[lint] rules: expected a table of rule options per code"),
    ],
)
def test_wrong_values_name_key_and_line(tmp_path: Path, text: str, line: int, fragment: str) -> None:
    error = settings_error(tmp_path, text)
    assert error.line == line and fragment in str(error)


def test_dialects_come_from_the_syntax_table() -> None:
    for name in DIALECTS:
        assert LintSettings(dialect=name).dialect == name


def test_constructed_settings_are_checked_too() -> None:
    assert LintSettings(ignore="T004, S1").ignore == ("T004", "S1")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="fail-on: expected info, warning or error"):
        LintSettings(fail_on="fatal")  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="preview: expected true or false"):
        LintSettings().merged(preview="no")


@pytest.mark.parametrize(("default", "value"), [(2.0, float("nan")), (2.0, True), (3, 3.5), (True, 1), (("a",), "a")])
def test_rule_options_keep_their_defaults_kind(default: object, value: object) -> None:
    with pytest.raises(ConfigError, match="^S005.max: expected "):
        Option(default, "").validate("S005", "max", value)
