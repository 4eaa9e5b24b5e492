"""T004: a character name without its series qualifier."""

from __future__ import annotations

from collections.abc import Iterator

from animagine_prompt.diagnostics import Severity
from animagine_prompt.lint._context import LintContext
from animagine_prompt.lint._fix import Applicability, Edit, Fix, FixAvailability
from animagine_prompt.lint._rule import Finding, Rule


class UnqualifiedCharacter(Rule):
    """Unqualified character: `kafka` is the Danbooru tag `kafka (honkai: star rail)`.

    ## What it does
    Reports an item that is a character's name without the series qualifier of its Danbooru
    tag, and suggests the qualified tag.

    ## Why it matters
    The model learned characters under their full tag. A bare name also matches other meanings
    (`kafka` the writer) and other characters of the same name. Writing the series as a separate
    tag, as the Animagine XL 2.0 model card does (`stelle, honkai: star rail`), also works, so
    this is information, not a warning.

    ## Example
    ```text
    1girl, kafka, city
    ```
    Use instead:
    ```text
    1girl, kafka \\(honkai: star rail\\), city
    ```

    ## Fix safety
    The fix writes the qualified tag. It is unsafe: another character of that name may be meant.
    """

    code = "T004"
    name = "unqualified-character"
    severity = Severity.INFO
    needs = frozenset({"tags"})
    fix_availability = FixAvailability.SOMETIMES

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        """Report items that the database resolves as a character without qualifier."""
        db = ctx.database
        for item, plain in zip(ctx.tags, ctx.plain, strict=True):
            if not plain:
                continue
            match = db.lookup(item.text)
            if match is None or match.how != "character":
                continue
            start, end = item.text_span
            fix = None
            if ctx.text[start:end] == item.text:
                fix = Fix(
                    f"write {match.prompt_form!r}",
                    (Edit(start, end, match.prompt_form),),
                    Applicability.UNSAFE,
                )
            yield self.finding(
                ctx,
                f"{item.text!r} is the character tag {match.prompt_form!r}: write the qualified tag",
                (start, end),
                fix,
            )
