"""S101: an empty item between two separators."""

from __future__ import annotations

from collections.abc import Iterator

from animagine_prompt.lint._context import LintContext
from animagine_prompt.lint._fix import Edit, Fix, FixAvailability
from animagine_prompt.lint._rule import Finding, Rule


class EmptyItem(Rule):
    """Empty item: two commas with nothing between them (`, ,`), or a comma that starts the prompt.

    ## What it does
    Reports a comma preceded only by whitespace since the previous comma or the start of the prompt.

    ## Why it matters
    Each extra comma is a token of its own: it takes space in the 75-token chunk and nudges the
    image for nothing. Doubled commas are usually left over from deleting a tag.

    ## Example
    ```text
    1girl, , green hair,, smile
    ```
    Reports:

    - `, ,`: empty item between separators: remove the extra comma
    - `,,`: empty item between separators: remove the extra comma

    Use instead:
    ```text
    1girl, green hair, smile
    ```

    ## Fix safety
    The fix removes the extra comma and the space after it. It is safe.
    """

    code = "S101"
    name = "empty-item"
    fix_availability = FixAvailability.ALWAYS

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        """Report commas with only whitespace before them, back to the previous comma or the start."""
        text = ctx.text
        previous: int | None = None  # end of the previous comma
        for start in ctx.commas:
            end = start + 1
            if not text[0 if previous is None else previous : start].strip():
                if previous is None:
                    # A leading comma: drop it and the spaces after it.
                    gap = len(text[end:]) - len(text[end:].lstrip(" "))
                    span, edit = (start, end), Edit.delete(0, end + gap)
                else:
                    span, edit = (previous - 1, end), Edit.delete(previous - 1, start)
                yield self.finding(
                    ctx,
                    "empty item between separators: remove the extra comma",
                    span,
                    Fix("remove the empty item", (edit,)),
                )
            previous = end
