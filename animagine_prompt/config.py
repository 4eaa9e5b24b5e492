"""Project configuration: ``[tool.animagine-prompt]`` in ``pyproject.toml``, or ``animagine-prompt.toml``.

The closest file wins, walking up from the starting folder, and nothing is merged from files
further up. In ``animagine-prompt.toml`` the keys sit at the top level::

    tags = ["tags/danbooru.csv"]        # tag files merged over the bundled set
    presets = ["presets/"]              # preset files or folders
    lora-dir = "~/models/lora"          # where <lora:name:w> files live
    [lint]                              # options for the linter, checked by the linter
    select = ["S", "T"]

In ``pyproject.toml`` the same keys go under ``[tool.animagine-prompt]`` and
``[tool.animagine-prompt.lint]``. Relative paths are relative to the file's folder.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from animagine_prompt._checks import Check, CheckError, Maybe, OnePath, Paths, Table, check_fields
from animagine_prompt._datafiles import key_line, load_data
from animagine_prompt.errors import ConfigError

__all__ = ["CONFIG_FILE", "Config", "find_config_file", "load_config", "read_config"]

#: Name of the dedicated configuration file.
CONFIG_FILE = "animagine-prompt.toml"
_TOOL_KEY = "animagine-prompt"
_PYPROJECT = "pyproject.toml"

#: Each key of the table, with its check (the lint table is checked by the linter).
_CHECKS: dict[str, Check[object]] = {
    "tags": Paths(),
    "presets": Paths(),
    "lint": Table(what="a table of lint options"),
    "lora_dir": Maybe(OnePath()),
}


@dataclass(frozen=True)
class Config:
    """Settings read from a configuration file; every field has a default.

    A plain dataclass checked by hand: every linter start reads it, and pydantic would add
    tens of milliseconds to that.

    >>> Config().tags, Config().source
    ((), None)
    >>> Config(tags="a.csv").tags
    (PosixPath('a.csv'),)
    """

    tags: tuple[Path, ...] = ()
    presets: tuple[Path, ...] = ()
    lint: dict[str, Any] = field(default_factory=dict)
    lora_dir: Path | None = None
    #: The file these settings came from; ``None`` when no file was found.
    source: Path | None = None

    def __post_init__(self) -> None:
        for name in ("tags", "presets", "lora_dir"):
            object.__setattr__(self, name, _CHECKS[name](getattr(self, name)))


def _read_toml(path: Path) -> tuple[str, dict[str, Any]]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot read the configuration file ({exc.strerror or exc})", path=path) from None
    except UnicodeDecodeError:
        raise ConfigError("not UTF-8 text: save the file as UTF-8", path=path) from None
    data: dict[str, Any] = load_data(text, "toml", path=path, error=ConfigError)
    return text, data


def _tool_table(path: Path, data: dict[str, Any]) -> dict[str, Any] | None:
    if path.name != _PYPROJECT:
        return data
    tool = data.get("tool")
    table = tool.get(_TOOL_KEY) if isinstance(tool, dict) else None
    return table if isinstance(table, dict) else None


def find_config_file(start: Path | None = None) -> Path | None:
    """The closest ``animagine-prompt.toml``, or ``pyproject.toml`` with a ``[tool.animagine-prompt]``
    table, in ``start`` (default: the current folder) or a folder above it.

    In one folder ``animagine-prompt.toml`` wins over ``pyproject.toml``.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     _ = (Path(d) / "pyproject.toml").write_text('[tool.animagine-prompt]\\ntags = []\\n')
    ...     (Path(d) / "sub").mkdir()
    ...     find_config_file(Path(d) / "sub") == Path(d).resolve() / "pyproject.toml"
    True
    """
    folder = (Path.cwd() if start is None else Path(start)).resolve()
    if folder.is_file():
        folder = folder.parent
    for candidate in (folder, *folder.parents):
        dedicated = candidate / CONFIG_FILE
        if dedicated.is_file():
            return dedicated
        pyproject = candidate / _PYPROJECT
        if pyproject.is_file():
            # A pyproject.toml without our table belongs to someone else: keep looking.
            _, data = _read_toml(pyproject)
            if _tool_table(pyproject, data) is not None:
                return pyproject
    return None


def _resolve(base: Path, value: Path) -> Path:
    value = value.expanduser()
    return value if value.is_absolute() else base / value


def load_config(start: Path | None = None) -> Config:
    """Settings from the closest configuration file (see :func:`find_config_file`), or the
    defaults when there is none. Unknown keys and wrong types raise ``ConfigError`` naming the
    file, the key and, where it can be found, the line.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     toml = 'tags = "danbooru.csv"\\n[lint]\\nselect = ["T"]\\n'
    ...     _ = (Path(d) / "animagine-prompt.toml").write_text(toml)
    ...     config = load_config(Path(d))
    ...     config.tags == (Path(d).resolve() / "danbooru.csv",), config.lint
    (True, {'select': ['T']})
    """
    path = find_config_file(start)
    return Config() if path is None else read_config(path)


def read_config(path: Path) -> Config:
    """Settings from the configuration file at ``path`` (a ``--config`` option's file): a
    ``pyproject.toml`` is read for its ``[tool.animagine-prompt]`` table, any other TOML file is
    read as an ``animagine-prompt.toml`` is. Paths in it are taken from its folder.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     _ = (Path(d) / "strict.toml").write_text('[lint]\\nfail-on = "info"\\n')
    ...     read_config(Path(d) / "strict.toml").lint
    {'fail-on': 'info'}
    """
    path = Path(path).resolve()
    text, data = _read_toml(path)
    table = _tool_table(path, data)
    if table is None:
        raise ConfigError(
            f"no [tool.{_TOOL_KEY}] table: add one, or name an {CONFIG_FILE}-style file instead",
            path=path,
        )
    within: tuple[str, ...] = () if path.name != _PYPROJECT else ("tool", _TOOL_KEY)
    try:
        fields = check_fields(table, _CHECKS)
    except CheckError as exc:
        prefix = "".join(f"{part}." for part in within)
        line = key_line(text, "toml", (*within, exc.key or ""))
        raise ConfigError(f"{prefix}{exc}", path=path, line=line) from None
    config = Config(**fields)
    base = path.parent
    return replace(
        config,
        tags=tuple(_resolve(base, p) for p in config.tags),
        presets=tuple(_resolve(base, p) for p in config.presets),
        lora_dir=None if config.lora_dir is None else _resolve(base, config.lora_dir),
        source=path,
    )
