"""Lint settings: which rules run, per-rule options, the fail level, and where tag data and LoRAs are.

They come from the ``[tool.animagine-prompt.lint]`` table of the closest ``pyproject.toml`` or
``animagine-prompt.toml``; command-line flags override them.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from animagine_prompt.diagnostics import Severity
from animagine_prompt.errors import ConfigError

__all__ = ["LintSettings", "find_config", "load_settings"]

# A plain dataclass rather than a pydantic model: `animagine-prompt lint` must start fast, and
# building a model class costs more than the whole lint of a prompt.


def _codes(key: str, value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [v for v in value.split(",") if v.strip()]
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"{key}: expected a list of rule codes")
    return tuple(v.strip() for v in value)


def _paths(key: str, value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"{key}: expected a list of paths")
    return tuple(value)


def _severity(key: str, value: Any) -> Severity:
    try:
        return value if isinstance(value, Severity) else Severity(str(value).lower())
    except ValueError:
        raise ValueError(f"{key}: expected info, warning or error, got {value!r}") from None


def _rules(key: str, value: Any) -> dict[str, dict[str, Any]]:
    if not isinstance(value, dict) or not all(isinstance(v, dict) for v in value.values()):
        raise ValueError(f"{key}: expected a table of rule options per code, e.g. [rules.S007]")
    return {str(k): dict(v) for k, v in value.items()}


def _bool(key: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"{key}: expected true or false")
    return value


def _optional_str(key: str, value: Any) -> str | None:
    if value is not None and not isinstance(value, str):
        raise ValueError(f"{key}: expected a string")
    return value


def _dialect(key: str, value: Any) -> str:
    if value not in ("a1111", "comfy", "novelai"):
        raise ValueError(f"{key}: expected a1111, comfy or novelai, got {value!r}")
    return str(value)


_CHECKS = {
    "select": lambda k, v: None if v is None else _codes(k, v),
    "extend_select": _codes,
    "ignore": _codes,
    "preview": _bool,
    "fail_on": _severity,
    "rules": _rules,
    "dialect": _dialect,
    "tags": _paths,
    "lora_dir": _optional_str,
}


@dataclass(frozen=True)
class LintSettings:
    """Validated lint configuration.

    >>> s = LintSettings.from_mapping({"ignore": ["T004"], "rules": {"S005": {"max": 2.5}}})
    >>> s.ignore, s.rule_options("S005")
    (('T004',), {'max': 2.5})
    >>> LintSettings.from_mapping({"fail-on": "warning"}).fail_on.value
    'warning'
    """

    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    preview: bool = False
    fail_on: Severity = Severity.ERROR
    #: Per-rule options, keyed by code or rule name: ``{"S005": {"max": 2.5}}``.
    rules: dict[str, dict[str, Any]] = field(default_factory=dict, hash=False)
    dialect: str = "a1111"
    #: Extra tag files (CSV or word lists) on top of the bundled vocabulary.
    tags: tuple[str, ...] = ()
    #: A folder of LoRA files; when set, ``<lora:name>`` must name one of them (S105).
    lora_dir: str | None = None

    def __post_init__(self) -> None:
        for name, check in _CHECKS.items():
            object.__setattr__(self, name, check(name, getattr(self, name)))

    @classmethod
    def from_mapping(cls, raw: Mapping[str, Any], *, source: object = None) -> LintSettings:
        """Settings from a config table; keys may use ``-`` or ``_``; errors name the file.

        >>> LintSettings.from_mapping({"selct": ["T"]}, source="pyproject.toml")
        Traceback (most recent call last):
        ...
        animagine_prompt.errors.ConfigError: pyproject.toml: [tool.animagine-prompt.lint] selct: unknown key
        """
        data = {str(key).replace("-", "_"): value for key, value in raw.items()}
        for key in data:
            if key not in _CHECKS:
                raise ConfigError(f"[tool.animagine-prompt.lint] {key}: unknown key", path=source)
        try:
            return cls(**data)
        except ValueError as exc:
            raise ConfigError(f"[tool.animagine-prompt.lint] {exc}", path=source) from None

    def rule_options(self, code: str, name: str = "") -> dict[str, Any]:
        """The options configured for a rule, found by its code or its name.

        >>> LintSettings(rules={"too-many-chunks": {"max_chunks": 4}}).rule_options("K002", "too-many-chunks")
        {'max_chunks': 4}
        """
        found: dict[str, Any] = {}
        for key, options in self.rules.items():
            if key.upper() == code or key == name:
                found.update({str(k).replace("-", "_"): v for k, v in options.items()})
        return found

    def merged(self, **overrides: Any) -> LintSettings:
        """A copy with the given fields replaced, skipping ``None`` values (flags not given).

        >>> LintSettings(ignore=("T",)).merged(ignore=None, fail_on="warning").fail_on.value
        'warning'
        """
        given = {k: v for k, v in overrides.items() if v is not None}
        try:
            return replace(self, **given)
        except ValueError as exc:
            raise ConfigError(str(exc)) from None


def _read_toml(path: Path) -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except OSError as exc:
        raise ConfigError(f"cannot read the config file ({exc.strerror})", path=path) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"invalid TOML: {exc}", path=path) from None


def _tool_table(path: Path, data: dict[str, Any]) -> dict[str, Any] | None:
    """The animagine-prompt table of a config file, or ``None`` when a pyproject.toml has none."""
    if path.name == "pyproject.toml":
        table = data.get("tool", {}).get("animagine-prompt")
        return table if isinstance(table, dict) else None
    return data


def find_config(start: str | Path | None = None) -> Path | None:
    """The closest ``animagine-prompt.toml``, or ``pyproject.toml`` with a ``[tool.animagine-prompt]``
    table, in ``start`` (default: the current directory) or a folder above it. The closest wins;
    nothing is merged from further up.

    >>> import tempfile, pathlib
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (root / "animagine-prompt.toml").write_text("[lint]\\nignore = ['T004']\\n")
    >>> (root / "sub").mkdir(); find_config(root / "sub") == root / "animagine-prompt.toml"
    True
    """
    folder = Path(start or Path.cwd()).resolve()
    for candidate in (folder, *folder.parents):
        own = candidate / "animagine-prompt.toml"
        if own.is_file():
            return own
        project = candidate / "pyproject.toml"
        if project.is_file() and _tool_table(project, _read_toml(project)) is not None:
            return project
    return None


def load_settings(path: str | Path | None = None, *, start: str | Path | None = None) -> LintSettings:
    """Settings from ``path``, or from the closest config file; defaults when there is none.

    The lint table is ``[tool.animagine-prompt.lint]`` in pyproject.toml and ``[lint]`` in
    animagine-prompt.toml; ``tags`` and ``lora-dir`` may also sit in the table above it, shared
    with the other commands. Relative paths in them are taken from the config file's folder.

    >>> import tempfile, pathlib
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (root / "pyproject.toml").write_text('[tool.animagine-prompt.lint]\\nfail-on = "warning"\\n')
    >>> load_settings(start=root).fail_on.value
    'warning'
    """
    config = Path(path) if path is not None else find_config(start)
    if config is None:
        return LintSettings()
    table = _tool_table(config, _read_toml(config)) or {}
    lint = table.get("lint", {})
    if not isinstance(lint, dict):
        raise ConfigError("the lint table must be a table of settings", path=config)
    raw = dict(lint)
    for key in ("tags", "lora-dir", "lora_dir", "dialect"):
        if key in table and key.replace("_", "-") not in raw and key.replace("-", "_") not in raw:
            raw[key] = table[key]
    settings = LintSettings.from_mapping(raw, source=config)
    base = config.parent
    tags = tuple(str(base / t) if not Path(t).is_absolute() else t for t in settings.tags)
    lora_dir = settings.lora_dir
    if lora_dir is not None and not Path(lora_dir).expanduser().is_absolute():
        lora_dir = str(base / lora_dir)
    return settings.merged(tags=tags, lora_dir=lora_dir)
