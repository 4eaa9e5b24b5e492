"""T005: the same tag twice in one prompt."""

from __future__ import annotations

from collections.abc import Iterator

from animagine_prompt.lint._context import LintContext
from animagine_prompt.lint._fix import Applicability, Fix, FixAvailability
from animagine_prompt.lint._rule import Finding, Rule
from animagine_prompt.lint.rules._items import removal


class DuplicateTag(Rule):
    """Duplicate tag: the same tag appears twice in one prompt.

    ## What it does
    Reports an item whose tag (compared in Danbooru form: case, spaces and underscores folded)
    already appears in the same prompt.

    ## Why it matters
    The repeat costs tokens and quietly strengthens the tag; when the two copies have different
    weights it is unclear which one was meant.

    ## Example
    ```text
    1girl, green hair, smile, (green hair:1.2)
    ```
    Use instead:
    ```text
    1girl, smile, (green hair:1.2)
    ```

    ## Fix safety
    The fix removes the copy with the lower weight (the later one when they are equal). It is
    safe when both copies are written the same way, unsafe otherwise.
    """

    code = "T005"
    name = "duplicate-tag"
    fix_availability = FixAvailability.SOMETIMES

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        """Report the later copy of each repeated item."""
        first: dict[str, object] = {}
        for item, key in zip(ctx.tags, ctx.keys, strict=True):
            if not key:
                continue
            earlier = first.get(key)
            if earlier is None:
                first[key] = item
                continue
            weaker = item if item.weight <= earlier.weight else earlier  # type: ignore[attr-defined]
            edit = removal(ctx.text, weaker)
            fix = None
            if edit is not None:
                same = item.source == earlier.source  # type: ignore[attr-defined]
                fix = Fix(
                    f"remove the copy at weight {weaker.weight:.3g}",
                    (edit,),
                    Applicability.SAFE if same else Applicability.UNSAFE,
                )
            if weaker is earlier:
                first[key] = item
            yield self.finding(ctx, f"{item.text!r} appears more than once: keep one", item.span, fix)
