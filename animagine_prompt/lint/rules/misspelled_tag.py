"""T003: an unknown tag that is a likely typo of a known one."""

from __future__ import annotations

from collections.abc import Iterator

from animagine_prompt.lint._context import LintContext
from animagine_prompt.lint._fix import Applicability, Edit, Fix, FixAvailability
from animagine_prompt.lint._message import quoted
from animagine_prompt.lint._rule import Finding, Rule


class MisspelledTag(Rule):
    """Misspelled tag: an unknown item with a confident correction (`gren hair` → `green hair`).

    ## What it does
    Looks every item up in the tag database (the bundled vocabulary plus `--tags` files) and
    reports the unknown ones for which the database has a confident typo correction. Unknown
    words without a confident correction are not reported: natural language is fine.

    ## Why it matters
    A misspelled tag is read as a few unrelated tokens; the model never sees the tag it was
    trained on.

    ## Example
    ```text
    1girl, gren hair, lokking at viewer
    ```
    Use instead:
    ```text
    1girl, green hair, looking at viewer
    ```

    ## Fix safety
    The fix replaces the item with the suggestion. It is unsafe: the word may be deliberate.
    """

    code = "T003"
    name = "misspelled-tag"
    needs = frozenset({"tags"})
    fix_availability = FixAvailability.ALWAYS

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        """Report items whose lookup is a confident fuzzy match."""
        db = ctx.database
        for item, plain in zip(ctx.tags, ctx.plain, strict=True):
            if not plain:
                continue
            match = db.lookup(item.text)
            if match is None or match.how != "fuzzy" or not match.confident:
                continue
            start, end = item.text_span
            suggestion = match.prompt_form
            fix = None
            if ctx.text[start:end] == item.text:  # only plain text can be replaced in place
                fix = Fix(f"replace with {quoted(suggestion)}", (Edit(start, end, suggestion),), Applicability.UNSAFE)
            yield self.finding(
                ctx, f"unknown tag {quoted(item.text)}: did you mean {quoted(suggestion)}?", (start, end), fix
            )
