"""Lint settings: which rules run, per-rule options, the fail level, and where tags, presets and LoRAs are.

They come from the project configuration (:mod:`animagine_prompt.config`, the one loader every
command shares): the ``[tool.animagine-prompt.lint]`` table of ``pyproject.toml`` or ``[lint]`` of
``animagine-prompt.toml`` is checked here, while ``tags``, ``presets`` and ``lora-dir`` sit in the
table above it, shared with the other commands. Command-line flags override both.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from animagine_prompt.diagnostics import Severity
from animagine_prompt.errors import ConfigError

if TYPE_CHECKING:  # pragma: no cover
    from animagine_prompt.config import Config

__all__ = ["LintSettings", "load_settings"]

# A plain dataclass rather than a pydantic model: `animagine-prompt lint` must start fast, and
# building a model class costs more than the whole lint of a prompt.


def _codes(key: str, value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [v for v in value.split(",") if v.strip()]
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"{key}: expected a list of rule codes")
    return tuple(v.strip() for v in value)


def _paths(key: str, value: Any) -> tuple[Path, ...]:
    if isinstance(value, (str, Path)):
        value = [value]
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, (str, Path)) for v in value):
        raise ValueError(f"{key}: expected a list of paths")
    return tuple(Path(v) for v in value)


def _optional_path(key: str, value: Any) -> Path | None:
    if value is not None and not isinstance(value, (str, Path)):
        raise ValueError(f"{key}: expected a path")
    return None if value is None else Path(value)


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


def _dialect(key: str, value: Any) -> str:
    if value not in ("a1111", "comfy", "novelai"):
        raise ValueError(f"{key}: expected a1111, comfy or novelai, got {value!r}")
    return str(value)


#: Keys of the lint table, each with its check.
_LINT_KEYS = {
    "select": lambda k, v: None if v is None else _codes(k, v),
    "extend_select": _codes,
    "ignore": _codes,
    "preview": _bool,
    "fail_on": _severity,
    "rules": _rules,
    "dialect": _dialect,
}
#: Fields filled from the shared table above the lint table (``Config``), never from the lint table.
_SHARED_KEYS = {"tags": _paths, "presets": _paths, "lora_dir": _optional_path}
_CHECKS = {**_LINT_KEYS, **_SHARED_KEYS}


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
    #: The config file's tag files (CSV or word lists) on top of the bundled vocabulary.
    tags: tuple[Path, ...] = ()
    #: The config file's preset files or folders, read over the bundled and user presets.
    presets: tuple[Path, ...] = ()
    #: A folder of LoRA files; when set, ``<lora:name>`` must name one of them (S105).
    lora_dir: Path | None = None

    def __post_init__(self) -> None:
        for name, check in _CHECKS.items():
            object.__setattr__(self, name, check(name, getattr(self, name)))

    @classmethod
    def from_mapping(cls, raw: Mapping[str, Any], *, source: object = None, table: str = "") -> LintSettings:
        """Settings from a lint table; keys may use ``-`` or ``_``; errors name the file, table and key.

        ``table`` is how the file names the lint table (default ``[tool.animagine-prompt.lint]``).

        >>> LintSettings.from_mapping({"selct": ["T"]}, source="pyproject.toml")
        Traceback (most recent call last):
        ...
        animagine_prompt.errors.ConfigError: pyproject.toml: [tool.animagine-prompt.lint] selct: unknown key; \
the known keys are select, extend-select, ignore, preview, fail-on, rules, dialect
        >>> LintSettings.from_mapping({"tags": ["my.csv"]}, table="[lint]")
        Traceback (most recent call last):
        ...
        animagine_prompt.errors.ConfigError: [lint] tags: set it at the top level of the file, \
where every command reads it, not in the lint table
        """
        table = table or "[tool.animagine-prompt.lint]"
        data = {str(key).replace("-", "_"): value for key, value in raw.items()}
        for key in data:
            if key in _SHARED_KEYS:
                where = "at the top level of the file" if table == "[lint]" else "in [tool.animagine-prompt]"
                raise _error(
                    f"{table} {key.replace('_', '-')}: set it {where}, where every command reads it, "
                    "not in the lint table",
                    source,
                    key,
                )
            if key not in _LINT_KEYS:
                known = ", ".join(k.replace("_", "-") for k in _LINT_KEYS)
                raise _error(f"{table} {key}: unknown key; the known keys are {known}", source, key)
        try:
            return cls(**data)
        except ValueError as exc:
            key = str(exc).split(":", 1)[0]
            raise _error(f"{table} {str(exc).replace(key, key.replace('_', '-'), 1)}", source, key) from None

    @classmethod
    def from_config(cls, config: Config) -> LintSettings:
        """Settings from a loaded project configuration: its lint table plus its tag, preset and LoRA paths.

        >>> from animagine_prompt.config import Config
        >>> s = LintSettings.from_config(Config(tags=("a.csv",), lint={"ignore": "T004"}))
        >>> s.ignore, s.tags
        (('T004',), (PosixPath('a.csv'),))
        """
        source = config.source
        table = "[lint]" if source is not None and source.name != "pyproject.toml" else ""
        settings = cls.from_mapping(config.lint, source=source, table=table)
        return replace(settings, tags=config.tags, presets=config.presets, lora_dir=config.lora_dir)

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


def _error(message: str, source: object, key: str) -> ConfigError:
    """A ConfigError naming the file and, when the key can be found in it, its line."""
    return ConfigError(message, path=source, line=_key_line(source, key))


def _key_line(source: object, key: str) -> int | None:
    # Read again only on this error path: the loader hands over values, not their positions.
    if source is None:
        return None
    try:
        lines = Path(str(source)).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    header = re.compile(r"^\s*\[\s*(tool\s*\.\s*[\"']?animagine-prompt[\"']?\s*\.\s*)?lint\s*[.\]]")
    spelled = "|".join(re.escape(k) for k in {key, key.replace("_", "-")})
    assignment = re.compile(rf"^\s*[\"']?({spelled})[\"']?\s*[=.]")
    inside = False
    for number, line in enumerate(lines, start=1):
        if line.lstrip().startswith("["):
            inside = bool(header.match(line))
            # `[lint.rules.S007]`-style tables name the key in the header itself.
            if inside and re.search(rf"\blint\s*\.\s*[\"']?({spelled})\b", line):
                return number
            continue
        if inside and assignment.match(line):
            return number
    return None


def load_settings(path: str | Path | None = None, *, start: str | Path | None = None) -> LintSettings:
    """Settings from the configuration file at ``path``, or from the closest one above ``start``
    (default: the current folder); defaults when there is none.

    Both are read by :mod:`animagine_prompt.config`, so relative paths in a file are taken from
    its folder. ``path`` may be any TOML file written as an ``animagine-prompt.toml`` is, or a
    ``pyproject.toml`` with a ``[tool.animagine-prompt]`` table.

    >>> import tempfile, pathlib
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (root / "pyproject.toml").write_text('[tool.animagine-prompt.lint]\\nfail-on = "warning"\\n')
    >>> load_settings(start=root).fail_on.value
    'warning'
    >>> _ = (root / "strict.toml").write_text('[lint]\\nfail-on = "info"\\n')
    >>> load_settings(root / "strict.toml").fail_on.value
    'info'
    """
    from animagine_prompt.config import load_config, read_config

    if path is None:
        return LintSettings.from_config(load_config(None if start is None else Path(start)))
    named = Path(path).expanduser()
    if not named.is_file():
        raise ConfigError("no such configuration file; check the --config path", path=named)
    return LintSettings.from_config(read_config(named))
