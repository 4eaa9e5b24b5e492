"""Lint settings: which rules run, per-rule options, the fail level, and where tag data and LoRAs are.

They come from the ``[tool.animagine-prompt.lint]`` table of the closest ``pyproject.toml`` or
``animagine-prompt.toml``; command-line flags override them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from animagine_prompt.diagnostics import Severity
from animagine_prompt.errors import ConfigError

__all__ = ["LintSettings"]


class LintSettings(BaseModel):
    """Validated lint configuration.

    >>> s = LintSettings.from_mapping({"ignore": ["T004"], "rules": {"S005": {"max": 2.5}}})
    >>> s.ignore, s.rule_options("S005")
    (('T004',), {'max': 2.5})
    >>> LintSettings.from_mapping({"fail-on": "warning"}).fail_on.value
    'warning'
    """

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    preview: bool = False
    fail_on: Severity = Severity.ERROR
    #: Per-rule options, keyed by code or rule name: ``{"S005": {"max": 2.5}}``.
    rules: dict[str, dict[str, Any]] = {}
    dialect: str = "a1111"
    #: Extra tag files (CSV or word lists) on top of the bundled vocabulary.
    tags: tuple[str, ...] = ()
    #: A folder of LoRA files; when set, ``<lora:name>`` must name one of them (S105).
    lora_dir: str | None = None

    @field_validator("fail_on", mode="before")
    @classmethod
    def _lower(cls, value: Any) -> Any:
        return value.lower() if isinstance(value, str) else value

    @classmethod
    def from_mapping(cls, raw: Mapping[str, Any], *, source: object = None) -> LintSettings:
        """Settings from a config table; keys may use ``-`` or ``_``; errors name the file.

        >>> LintSettings.from_mapping({"selct": ["T"]}, source="pyproject.toml")
        Traceback (most recent call last):
        ...
        animagine_prompt.errors.ConfigError: pyproject.toml: [tool.animagine-prompt.lint] selct: unknown key
        """
        data = {str(key).replace("-", "_"): value for key, value in raw.items()}
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            message = "unknown key" if first["type"] == "extra_forbidden" else first["msg"]
            raise ConfigError(f"[tool.animagine-prompt.lint] {where}: {message}", path=source) from None

    def rule_options(self, code: str, name: str = "") -> dict[str, Any]:
        """The options configured for a rule, found by its code or its name.

        >>> LintSettings(rules={"too-many-chunks": {"max_chunks": 4}}).rule_options("K002", "too-many-chunks")
        {'max_chunks': 4}
        """
        found: dict[str, Any] = {}
        for key, options in self.rules.items():
            if key.upper() == code or key == name:
                found.update(options)
        return found

    def merged(self, **overrides: Any) -> LintSettings:
        """A copy with the given fields replaced, skipping ``None`` values (flags not given).

        >>> LintSettings(ignore=("T",)).merged(ignore=None, fail_on="warning").fail_on.value
        'warning'
        """
        given = {k: v for k, v in overrides.items() if v is not None}
        return type(self).model_validate({**self.model_dump(), **given})
