"""Shared base of the rules that report the parser's own recoveries (``Prompt.diagnostics``)."""

from __future__ import annotations

from collections.abc import Iterator

from animagine_prompt.lint._context import LintContext
from animagine_prompt.lint._fix import Fix
from animagine_prompt.lint._rule import Finding, Rule

__all__ = ["ParserRule"]


class ParserRule(Rule):
    """A rule whose findings are the parser's diagnostics with the same code; subclasses may add a
    fix, or leave out a diagnostic that misreads what the author wrote."""

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        """Yield one finding per parser diagnostic carrying this rule's code."""
        for diagnostic in ctx.prompt.diagnostics:
            if diagnostic.code == self.code and self.keeps(ctx, diagnostic.span):
                yield self.finding(ctx, diagnostic.message, diagnostic.span, self.fix_for(ctx, diagnostic.span))

    def keeps(self, ctx: LintContext, span: tuple[int, int]) -> bool:
        """Whether the diagnostic at ``span`` is reported (the default: always)."""
        return True

    def fix_for(self, ctx: LintContext, span: tuple[int, int]) -> Fix | None:
        """The fix for one diagnostic, or ``None`` (the default)."""
        return None
