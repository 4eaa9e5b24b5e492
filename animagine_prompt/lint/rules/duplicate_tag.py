"""T005: the same tag twice in one prompt."""

from __future__ import annotations

from collections.abc import Iterator

from animagine_prompt.diagnostics import Severity
from animagine_prompt.lint._context import LintContext
from animagine_prompt.lint._fix import Applicability, Fix, FixAvailability
from animagine_prompt.lint._message import quoted
from animagine_prompt.lint._rule import Finding, Rule
from animagine_prompt.lint.rules._items import removal


class DuplicateTag(Rule):
    """Duplicate tag: the same tag appears twice in one prompt.

    ## What it does
    Reports an item whose tag (compared in Danbooru form: case, spaces and underscores folded)
    already appears in the same part of the prompt. A repeat in another part (after `BREAK` or
    `AND`) is only information: with Regional Prompter or composable diffusion each part
    describes its own region or subject, and repeating a tag there is deliberate.

    ## Why it matters
    The repeat costs tokens and quietly strengthens the tag; when the two copies have different
    weights it is unclear which one was meant.

    ## Example
    ```text
    1girl, green hair, smile, (green hair:1.2)
    ```
    Reports:

    - `(green hair:1.2)`: 'green hair' appears more than once: keep one

    Use instead:
    ```text
    1girl, smile, (green hair:1.2)
    ```

    ## Fix safety
    The fix removes the copy with the lower weight (the later one when they are equal). It is
    safe when both copies are written the same way, unsafe otherwise. A repeat in another part
    has no fix.
    """

    code = "T005"
    name = "duplicate-tag"
    fix_availability = FixAvailability.SOMETIMES

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        """Report the later copy of each repeated item."""
        first: dict[tuple[int, str], object] = {}
        elsewhere: dict[str, int] = {}
        for item, key, region in zip(ctx.tags, ctx.keys, ctx.regions, strict=True):
            if not key:
                continue
            earlier = first.get((region, key))
            if earlier is None:
                first[(region, key)] = item
                if key in elsewhere:
                    yield self.finding(
                        ctx,
                        f"{quoted(item.text)} is also in part {elsewhere[key] + 1} of the prompt (parts are split "
                        "by BREAK and AND): fine when each part describes its own subject, else keep one",
                        item.span,
                        severity=Severity.INFO,
                    )
                elsewhere.setdefault(key, region)
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
                first[(region, key)] = item
            yield self.finding(ctx, f"{quoted(item.text)} appears more than once: keep one", item.span, fix)
