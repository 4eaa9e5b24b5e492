"""Running the selected rules over a prompt and its negative, and fixing until nothing changes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from animagine_prompt.lint._context import LintContext, Resources, TextFacts
from animagine_prompt.lint._fix import apply_fixes
from animagine_prompt.lint._noqa import drop_silenced
from animagine_prompt.lint._rule import FIELDS, Finding, Rule
from animagine_prompt.lint._settings import LintSettings
from animagine_prompt.lint.rules import load_rule, select_codes

if TYPE_CHECKING:  # pragma: no cover
    from animagine_prompt.syntax import Prompt
    from animagine_prompt.tokens import ChunkPlan

__all__ = ["FixResult", "LintRun", "Linter", "fix", "lint"]

#: Rounds of fix-then-lint before giving up on reaching a fixed point.
MAX_FIX_ROUNDS = 10


@dataclass(frozen=True)
class FixResult:
    """The fixed prompt and negative, how many fixes were applied, and what is left to report.

    >>> FixResult("1girl", None, 1, ()).changed
    True
    """

    prompt: str
    negative: str | None
    applied: int
    remaining: tuple[Finding, ...]

    @property
    def changed(self) -> bool:
        """Whether any fix was applied."""
        return self.applied > 0


@dataclass(frozen=True)
class LintRun:
    """One lint of a prompt and its negative: the findings, and what the rules worked from.

    Whoever shows the prompt next (the preview, the analysis) takes the parse and the chunk plan
    from here instead of parsing and planning the text again.

    >>> run = Linter().run("1girl,, smile", "lowres")
    >>> [f.code for f in run.findings], run.parsed().text, run.parsed("negative_prompt").text
    (['S101'], '1girl,, smile', 'lowres')
    >>> run.plan().token_count  # '1', 'girl', ',,', 'smile'
    4
    """

    findings: tuple[Finding, ...]
    #: One context per linted field, the prompt's first.
    contexts: tuple[LintContext, ...]

    def context(self, field: str = FIELDS[0]) -> LintContext:
        """The context the rules saw for ``field`` (``prompt`` or ``negative_prompt``)."""
        for ctx in self.contexts:
            if ctx.field == field:
                return ctx
        raise KeyError(f"no {field} was linted")

    def parsed(self, field: str = FIELDS[0]) -> Prompt:
        """The parsed prompt of ``field``, in the linter's dialect."""
        return self.context(field).prompt

    def plan(self, field: str = FIELDS[0]) -> ChunkPlan:
        """The 75-token chunk plan of ``field``: the one a chunk rule made, or made now and kept."""
        plan: ChunkPlan = self.context(field).plan
        return plan


class Linter:
    """The selected rules, built once from settings and reused for every prompt.

    ``tag_paths`` and ``preset_paths`` are the command line's ``--tags`` and ``--presets`` files;
    ``user_presets`` says whether the user's preset folder is read.

    >>> linter = Linter(LintSettings(select=("S1",)))
    >>> [f.code for f in linter.lint("1girl, , solo,")]
    ['S101', 'S102']
    """

    def __init__(
        self,
        settings: LintSettings | None = None,
        *,
        tag_paths: tuple[str, ...] = (),
        preset_paths: tuple[str, ...] = (),
        user_presets: bool = True,
    ) -> None:
        self.settings = settings or LintSettings()  # its rule keys are checked: each names a rule
        codes = select_codes(
            self.settings.select, self.settings.ignore, self.settings.extend_select, self.settings.preview
        )
        self.rules: list[Rule] = []
        for code in codes:
            cls = load_rule(code)
            self.rules.append(cls(self.settings.rule_options(code, cls.name)))
        # Tags and presets are loaded by the first rule that asks for them, never here.
        self.resources = Resources(self.settings, tuple(tag_paths), tuple(preset_paths), user_presets)
        # Bulk lint pairs many prompts with one negative: that text is parsed and walked once.
        self._facts = TextFacts()

    def _parse(self, text: str | Prompt) -> Prompt:
        from animagine_prompt.syntax import Prompt, parse

        if isinstance(text, Prompt):
            if text.dialect.name == self.settings.dialect:
                return text  # parsed already (a BuiltPrompt's parse, say): not parsed again
            text = text.text
        return self._facts.prompt(text) or parse(text, dialect=self.settings.dialect)

    def lint(self, prompt: str, negative: str | None = None) -> tuple[Finding, ...]:
        """Findings for ``prompt`` and, when given, ``negative``, in source order per field; none
        that a ``# noqa`` comment on its line silences.

        >>> [f.code for f in Linter().lint("1girl, solo", negative="lowres,, blurry")]
        ['S101']
        >>> Linter().lint("1girl,, solo  # noqa: S101")
        ()
        """
        return self.run(prompt, negative).findings

    def run(self, prompt: str | Prompt, negative: str | Prompt | None = None) -> LintRun:
        """:meth:`lint`, handing out the parsed prompts and their contexts with the findings.

        Either text may be given parsed already (a ``Prompt``): in the linter's dialect it is
        used as it is.

        >>> run = Linter().run("1girl, (smile:1.2)")
        >>> [round(t.weight, 2) for t in run.parsed().tags()]
        [1.0, 1.2]
        """
        parsed = self._parse(prompt)
        parsed_negative = None if negative is None else self._parse(negative)
        findings: list[Finding] = []
        contexts: list[LintContext] = []
        for field, this, other in (
            (FIELDS[0], parsed, parsed_negative),
            (FIELDS[1], parsed_negative, parsed),
        ):
            if this is None:
                continue
            ctx = self._facts.context(this, field, other, self.resources)
            contexts.append(ctx)
            found: list[Finding] = []
            kept = self._facts.findings(ctx)
            own: dict[int, tuple[Finding, ...]] = {}  # what the text alone decided, by rule
            for number, rule in enumerate(self.rules):
                if field not in rule.fields:
                    continue
                known = kept.get(number)
                if known is None:
                    ctx.read_other = False
                    known = tuple(rule.check(ctx))
                    if not ctx.read_other:
                        own[number] = known
                found.extend(known)
            findings.extend(drop_silenced(this, found))
            self._facts.keep(ctx, own)
        findings.sort(key=lambda f: (FIELDS.index(f.field), f.span, f.code))
        return LintRun(tuple(findings), tuple(contexts))

    def fix(self, prompt: str, negative: str | None = None, *, unsafe: bool = False) -> FixResult:
        """Apply the safe fixes (and the unsafe ones with ``unsafe=True``) until none is left.

        Each round applies non-overlapping fixes and lints again, so fixes that touched the same
        text are retried on the new text; the result is a fixed point, so fixing again changes nothing.

        >>> result = Linter().fix("1girl,, solo ,")
        >>> result.prompt, result.applied
        ('1girl, solo', 2)
        """
        texts = {FIELDS[0]: prompt, FIELDS[1]: negative}
        applied = 0
        findings = self.lint(prompt, negative)
        for _ in range(MAX_FIX_ROUNDS):
            round_applied = 0
            for field in FIELDS:
                text = texts[field]
                fixes = [f.fix for f in findings if f.field == field and f.fix and f.fix.is_applicable(unsafe)]
                if text is None or not fixes:
                    continue
                texts[field], count = apply_fixes(text, fixes)
                round_applied += count
            if not round_applied:
                break
            applied += round_applied
            findings = self.lint(texts[FIELDS[0]] or "", texts[FIELDS[1]])
        return FixResult(texts[FIELDS[0]] or "", texts[FIELDS[1]], applied, findings)


_DEFAULT: list[Linter] = []


def _default() -> Linter:
    if not _DEFAULT:
        _DEFAULT.append(Linter())
    return _DEFAULT[0]


def lint(prompt: str, negative: str | None = None, settings: LintSettings | None = None) -> tuple[Finding, ...]:
    """Lint a prompt (and its negative) with the default rules or the given settings.

    >>> [(f.code, f.span) for f in lint("1girl, , solo")]
    [('S101', (5, 8))]
    """
    linter = _default() if settings is None else Linter(settings)
    return linter.lint(prompt, negative)


def fix(
    prompt: str, negative: str | None = None, settings: LintSettings | None = None, *, unsafe: bool = False
) -> FixResult:
    """Fix a prompt (and its negative): safe fixes only unless ``unsafe`` is set.

    >>> fix("1girl, , solo").prompt
    '1girl, solo'
    """
    linter = _default() if settings is None else Linter(settings)
    return linter.fix(prompt, negative, unsafe=unsafe)
