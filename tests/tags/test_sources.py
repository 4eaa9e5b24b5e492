"""Which tag files a command uses: --tags, then the environment, then the config file."""

from __future__ import annotations

import os
from pathlib import Path

from animagine_prompt.config import load_config
from animagine_prompt.tags import TAGS_ENV, resolve_tag_paths


def test_precedence(tmp_path: Path) -> None:
    (tmp_path / "animagine-prompt.toml").write_text('tags = ["from-config.csv"]\n', encoding="utf-8")
    config = load_config(tmp_path)
    env = {TAGS_ENV: os.pathsep.join(["e1.csv", "e2.txt"])}
    assert resolve_tag_paths(["cli.csv", "cli2.csv"], config, env) == (Path("cli.csv"), Path("cli2.csv"))
    assert resolve_tag_paths([], config, env) == (Path("e1.csv"), Path("e2.txt"))
    assert resolve_tag_paths(None, config, {TAGS_ENV: " "}) == (tmp_path.resolve() / "from-config.csv",)
    assert resolve_tag_paths(None, None, {}) == ()


def test_environment_is_read_by_default(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv(TAGS_ENV, str(tmp_path / "x.csv"))
    assert resolve_tag_paths(None) == (tmp_path / "x.csv",)
