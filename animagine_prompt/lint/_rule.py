"""What a rule is: a stable code, a name, a default severity, options, and a ``check`` yielding findings."""

from __future__ import annotations

import inspect
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from animagine_prompt._checks import CheckError, for_default
from animagine_prompt.diagnostics import Diagnostic, Severity, Span
from animagine_prompt.errors import ConfigError
from animagine_prompt.lint._fix import Fix, FixAvailability

if TYPE_CHECKING:  # pragma: no cover
    from animagine_prompt.lint._context import LintContext

__all__ = ["FIELDS", "Finding", "Option", "Rule"]

#: The two prompts a record can hold, as named in JSON output and config.
FIELDS = ("prompt", "negative_prompt")


@dataclass(frozen=True)
class Finding(Diagnostic):
    """A lint diagnostic: a :class:`Diagnostic` plus the rule's name, the prompt field and an optional fix.

    >>> f = Finding("S101", "remove the empty item", (6, 8), name="empty-item")
    >>> f.code, f.name, f.field, f.fix is None
    ('S101', 'empty-item', 'prompt', True)
    """

    name: str = ""
    field: str = "prompt"
    fix: Fix | None = None


@dataclass(frozen=True)
class Option:
    """A per-rule setting: its default, type and meaning (shown in the rule's documentation).

    >>> Option(2.0, "largest weight that is not reported").validate("S005", "max", 3)
    3.0
    """

    default: Any
    help: str

    def validate(self, code: str, key: str, value: Any) -> Any:
        """``value`` converted to the default's type, or a ConfigError naming the rule and key.

        >>> Option(3, "n").validate("K002", "max_chunks", "x")
        Traceback (most recent call last):
        ...
        animagine_prompt.errors.ConfigError: K002.max_chunks: expected a whole number, got 'x'
        """
        try:
            return for_default(self.default)(value)
        except CheckError as exc:
            raise ConfigError(f"{code}.{key}: {exc.problem}") from None


class Rule:
    """Base class of the lint rules; each subclass lives in its own module under ``lint/rules``.

    Subclasses set the class attributes below and implement :meth:`check`. The docstring is the
    rule's documentation: its first line is the summary, then the sections *What it does*,
    *Why it matters*, *Example* and *Fix safety*.
    """

    code: ClassVar[str]
    name: ClassVar[str]
    severity: ClassVar[Severity] = Severity.WARNING
    fix_availability: ClassVar[FixAvailability] = FixAvailability.NONE
    #: ``stable`` rules run by default; ``preview`` ones only when selected by their full code.
    status: ClassVar[str] = "stable"
    #: Earlier codes of this rule, still accepted by ``--select``/``--ignore``.
    aliases: ClassVar[tuple[str, ...]] = ()
    #: Which prompts of a record the rule looks at.
    fields: ClassVar[tuple[str, ...]] = FIELDS
    #: What the rule needs besides the parsed prompt: ``"tags"`` (tag database), ``"tokens"`` (chunk plan).
    needs: ClassVar[frozenset[str]] = frozenset()
    options: ClassVar[Mapping[str, Option]] = {}

    def __init__(self, settings: Mapping[str, Any] | None = None) -> None:
        given = dict(settings or {})
        unknown = sorted(set(given) - set(self.options))
        if unknown:
            known = ", ".join(sorted(self.options)) or "none"
            raise ConfigError(f"{self.code} ({self.name}) has no option {unknown[0]!r}; its options: {known}")
        self.config = {
            key: option.validate(self.code, key, given[key]) if key in given else option.default
            for key, option in self.options.items()
        }

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        """Yield the findings of this rule for the prompt in ``ctx``."""
        raise NotImplementedError(f"{type(self).__name__} must implement check()")

    def finding(
        self, ctx: LintContext, message: str, span: Span, fix: Fix | None = None, severity: Severity | None = None
    ) -> Finding:
        """A finding of this rule in ``ctx``'s field, with the rule's severity unless ``severity`` is given
        (a rule that is unsure of one case reports it as information).

        >>> from types import SimpleNamespace
        >>> from animagine_prompt.lint.rules import load_rule
        >>> rule = load_rule("S101")()
        >>> rule.finding(SimpleNamespace(field="prompt"), "remove it", (1, 2)).severity.value
        'warning'
        """
        level = self.severity if severity is None else severity
        return Finding(self.code, message, span, level, name=self.name, field=ctx.field, fix=fix)

    @classmethod
    def summary(cls) -> str:
        """The first line of the rule's docstring.

        >>> from animagine_prompt.lint.rules import load_rule
        >>> load_rule("S101").summary().startswith("Empty item")
        True
        """
        return inspect.cleandoc(cls.__doc__ or "").split("\n", 1)[0].strip()

    @classmethod
    def explanation(cls) -> str:
        """The docstring after its first line: what it does, why, examples, fix safety.

        >>> from animagine_prompt.lint.rules import load_rule
        >>> "## What it does" in load_rule("S101").explanation()
        True
        """
        parts = inspect.cleandoc(cls.__doc__ or "").split("\n", 1)
        return parts[1].strip() if len(parts) > 1 else ""
