"""Lint settings: which rules run, per-rule options, the fail level, and where tags, presets and LoRAs are.

They come from the project configuration (:mod:`animagine_prompt.config`, the one loader every
command shares): the ``[tool.animagine-prompt.lint]`` table of ``pyproject.toml`` or ``[lint]`` of
``animagine-prompt.toml`` is checked here, while ``tags``, ``presets`` and ``lora-dir`` sit in the
table above it, shared with the other commands. Command-line flags override both.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from animagine_prompt._checks import (
    Check,
    CheckError,
    Flag,
    Maybe,
    OneOf,
    OnePath,
    Paths,
    Table,
    Words,
    check_fields,
    shown,
)
from animagine_prompt._datafiles import key_line
from animagine_prompt.diagnostics import Severity
from animagine_prompt.errors import ConfigError
from animagine_prompt.syntax.dialects import DIALECTS

if TYPE_CHECKING:  # pragma: no cover
    from animagine_prompt.config import Config

__all__ = ["LintSettings", "load_settings"]

# A plain dataclass with the package's small checks rather than a pydantic model: `animagine-prompt
# lint` must start fast, and building a model class costs more than the whole lint of a prompt.


class _Level:
    """A severity name, in any case."""

    @property
    def expected(self) -> str:
        return "info, warning or error"

    def __call__(self, value: object) -> Severity:
        if isinstance(value, Severity):
            return value
        try:
            return Severity(str(value).lower())
        except ValueError:
            raise CheckError(f"expected {self.expected}, got {shown(value)}") from None


class _RuleOptions:
    """Options per rule: a table of tables, each under a rule's code (or old code) or name."""

    @property
    def expected(self) -> str:
        return "a table of rule options per code, e.g. [rules.S007]"

    def __call__(self, value: object) -> dict[str, dict[str, Any]]:
        tables: dict[str, dict[str, Any]] = Table(Table(), what=self.expected)(value)
        from animagine_prompt.lint.rules import ALIASES, CODES

        names: set[str] | None = None
        for key in tables:
            if key.upper() in CODES or key.upper() in ALIASES:
                continue
            if names is None:  # loading every rule to learn its name costs: only for a key that is no code
                from animagine_prompt.lint.rules import load_rule

                names = {load_rule(code).name for code in CODES}
            if key not in names:
                raise CheckError(f"{key!r} is neither a rule code nor a rule name; `animagine-prompt rules` lists them")
        return tables


#: Keys of the lint table, each with its check.
_LINT_KEYS: dict[str, Check[object]] = {
    "select": Maybe(Words("rule codes")),
    "extend_select": Words("rule codes"),
    "ignore": Words("rule codes"),
    "preview": Flag(),
    "fail_on": _Level(),
    "rules": _RuleOptions(),
    "dialect": OneOf(tuple(DIALECTS)),
}
#: Fields filled from the shared table above the lint table (``Config``), never from the lint table.
_SHARED_KEYS: dict[str, Check[object]] = {"tags": Paths(), "presets": Paths(), "lora_dir": Maybe(OnePath())}
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
            try:
                object.__setattr__(self, name, check(getattr(self, name)))
            except CheckError as exc:
                raise CheckError(exc.problem, key=name.replace("_", "-")) from None

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
        within = ("lint",) if table == "[lint]" else ("tool", "animagine-prompt", "lint")
        for key in raw:
            if str(key).replace("-", "_") in _SHARED_KEYS:
                where = "at the top level of the file" if table == "[lint]" else "in [tool.animagine-prompt]"
                raise _error(
                    f"{table} {key}: set it {where}, where every command reads it, not in the lint table",
                    source,
                    (*within, str(key)),
                )
        try:
            return cls(**check_fields(raw, _LINT_KEYS))
        except CheckError as exc:
            raise _error(f"{table} {exc}", source, (*within, exc.key or "")) from None

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
        except CheckError as exc:
            raise ConfigError(str(exc)) from None


def _error(message: str, source: object, keys: tuple[str, ...]) -> ConfigError:
    """A ConfigError naming the file and, when the key can be found in it, its line."""
    # Read again only on this error path: the loader hands over values, not their positions.
    line = None
    if source is not None:
        try:
            line = key_line(Path(str(source)).read_text(encoding="utf-8"), "toml", keys)
        except (OSError, UnicodeDecodeError):
            pass
    return ConfigError(message, path=source, line=line)


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
