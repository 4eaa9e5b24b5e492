"""S103: two tags written without a comma between them."""

from __future__ import annotations

import re
from collections.abc import Iterator

from animagine_prompt.lint._context import LintContext
from animagine_prompt.lint._fix import Applicability, Edit, Fix, FixAvailability
from animagine_prompt.lint._message import quoted
from animagine_prompt.lint._rule import Finding, Rule

_COUNT = re.compile(r"^(?:\d\+?(?:girl|boy|other)s?|solo)$")


class MissingSeparator(Rule):
    """Missing separator: `green hair blue eyes` is two tags run together.

    ## What it does
    Reports an item that is not a tag but splits into two known tags at a space, where each
    part has at least two words or is a subject count such as `1girl` or `solo`.

    ## Why it matters
    Without the comma the model reads one long phrase; the two tags it was trained on are
    weaker, and the phrase may bind the wrong attributes together.

    ## Example
    ```text
    1girl, green hair blue eyes, smile
    ```
    Use instead:
    ```text
    1girl, green hair, blue eyes, smile
    ```

    ## Fix safety
    The fix inserts a comma. It is unsafe: the phrase may be deliberate prose.
    """

    code = "S103"
    name = "missing-separator"
    needs = frozenset({"tags"})
    fix_availability = FixAvailability.SOMETIMES

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        """Report items that are two known multi-word tags joined by a space."""
        db = ctx.database
        for item, plain in zip(ctx.tags, ctx.plain, strict=True):
            if not plain:
                continue
            words = item.text.split(" ")
            if len(words) < 2 or len(words) > 8 or db.category_of(item.text) is not None:
                continue
            for cut in range(1, len(words)):
                left, right = " ".join(words[:cut]), " ".join(words[cut:])
                if not (_strong(left) and _strong(right)):
                    continue
                if db.category_of(left) is None or db.category_of(right) is None:
                    continue
                start, end = item.text_span
                fix = None
                if ctx.text[start:end] == item.text:
                    at = start + len(left)
                    fix = Fix("insert a comma", (Edit(at, at, ","),), Applicability.UNSAFE)
                yield self.finding(
                    ctx,
                    f"{quoted(left)} and {quoted(right)} are two tags: separate them with a comma",
                    (start, end),
                    fix,
                )
                break


def _strong(part: str) -> bool:
    return " " in part or bool(_COUNT.match(part))
