"""Isolate preset tests from the machine: no user preset folder, no config file above the cwd."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _isolated_user(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    xdg = tmp_path / "xdg"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(xdg))
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return xdg


@pytest.fixture
def user_dir(_isolated_user: Path) -> Path:
    """The (created) user preset folder ``$XDG_CONFIG_HOME/animagine-prompt/presets``."""
    folder = _isolated_user / "animagine-prompt" / "presets"
    folder.mkdir(parents=True)
    return folder
