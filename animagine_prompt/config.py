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

import re
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from animagine_prompt.errors import ConfigError

__all__ = ["CONFIG_FILE", "Config", "find_config_file", "load_config", "read_config"]

#: Name of the dedicated configuration file.
CONFIG_FILE = "animagine-prompt.toml"
_TOOL_KEY = "animagine-prompt"
_PYPROJECT = "pyproject.toml"
_KNOWN = "tags, presets, lint, lora-dir"


def _paths(value: Any) -> tuple[Path, ...]:
    # `tags = "danbooru.csv"` is as natural as a list of one.
    return tuple(Path(v) for v in ((value,) if isinstance(value, (str, Path)) else value))


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
        object.__setattr__(self, "tags", _paths(self.tags))
        object.__setattr__(self, "presets", _paths(self.presets))
        if self.lora_dir is not None:
            object.__setattr__(self, "lora_dir", Path(self.lora_dir))


def _check(key: str, value: Any) -> str | None:
    """Why ``value`` does not fit ``key``, or None."""
    if key in ("tags", "presets"):
        ok = isinstance(value, str) or (isinstance(value, list) and all(isinstance(v, str) for v in value))
        return None if ok else "expected a path or a list of paths (strings)"
    if key == "lint":
        return None if isinstance(value, dict) else "expected a table of lint options"
    return None if isinstance(value, str) else "expected a path (a string)"


def _toml_loads(text: str) -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on Python 3.10 only
        import tomli as tomllib
    return tomllib.loads(text)


def _read_toml(path: Path) -> tuple[str, dict[str, Any]]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot read the configuration file ({exc.strerror})", path=path) from None
    except UnicodeDecodeError:
        raise ConfigError("not UTF-8 text: save the file as UTF-8", path=path) from None
    try:
        return text, _toml_loads(text)
    except ValueError as exc:  # tomllib.TOMLDecodeError subclasses ValueError
        message = str(exc)
        found = re.search(r"\(at line (\d+), column \d+\)|\(at end of document\)", message)
        line = None
        if found:
            line = int(found.group(1)) if found.group(1) else text.count("\n") + (not text.endswith("\n"))
        reason = message[: found.start()].strip() if found else message
        raise ConfigError(f"invalid TOML: {reason}", path=path, line=line) from None


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


def _key_line(text: str, key: str) -> int | None:
    pattern = re.compile(rf"^[ \t]*[\"']?{re.escape(key)}[\"']?\s*=", re.MULTILINE)
    found = pattern.search(text)
    return text.count("\n", 0, found.start()) + 1 if found else None


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
    prefix = "" if path.name != _PYPROJECT else f"tool.{_TOOL_KEY}."
    if "source" in table:
        # `source` is filled in by the loader, never read from the file.
        raise ConfigError(
            f"unknown key {prefix}'source': the known keys are {_KNOWN}",
            path=path,
            line=_key_line(text, "source"),
        )
    fields: dict[str, Any] = {}
    for key, value in table.items():
        name = key.replace("-", "_")
        if name not in ("tags", "presets", "lint", "lora_dir"):
            raise ConfigError(
                f"unknown key {prefix}{key!r}: the known keys are {_KNOWN}",
                path=path,
                line=_key_line(text, key),
            )
        problem = _check(name, value)
        if problem is not None:
            raise ConfigError(f"{prefix}{key}: {problem}", path=path, line=_key_line(text, key))
        fields[name] = value
    config = Config(**fields)
    base = path.parent
    return replace(
        config,
        tags=tuple(_resolve(base, p) for p in config.tags),
        presets=tuple(_resolve(base, p) for p in config.presets),
        lora_dir=None if config.lora_dir is None else _resolve(base, config.lora_dir),
        source=path,
    )
