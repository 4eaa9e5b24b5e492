"""S010: ``break`` written in lower case as an item of its own."""

from __future__ import annotations

import re
from collections.abc import Iterator

from animagine_prompt.lint._context import LintContext
from animagine_prompt.lint._fix import Applicability, Edit, Fix, FixAvailability
from animagine_prompt.lint._message import quoted
from animagine_prompt.lint._rule import Finding, Rule

_INSIDE = re.compile(r"\s(break|Break)\s")


class LowercaseBreak(Rule):
    """Lowercase break: `break` (or `Break`) between separators is the word, not a chunk break.

    ## What it does
    Reports an item that is exactly `break` in any case other than `BREAK`, and a lowercase
    `break` inside an item between two known tags (`1girl break 1boy`): `coffee break` and
    other prose are left alone.

    ## Why it matters
    Only uppercase `BREAK` starts a new 75-token chunk. An item that is just the word "break" is
    almost always a BREAK typed in the wrong case, and the model reads it as a tag.

    ## Example
    ```text
    1girl, green hair, break, city, night
    ```
    Reports:

    - `break`: 'break' is read as a word: write BREAK in capitals to start a new chunk

    Use instead:
    ```text
    1girl, green hair, BREAK, city, night
    ```

    ## Fix safety
    The fix writes `BREAK`. It is unsafe because it changes how the prompt is split into chunks.
    """

    code = "S010"
    name = "lowercase-break"
    needs = frozenset({"tags"})
    fix_availability = FixAvailability.ALWAYS

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        """Report items whose whole text is a non-uppercase ``break``."""
        if not ctx.prompt.dialect.breaks:
            return
        if "break" not in ctx.text.lower():
            return
        for item, plain in zip(ctx.tags, ctx.plain, strict=True):
            start, end = item.text_span
            if item.text.lower() == "break" and ctx.text[start:end] != "BREAK" and end - start == 5:
                at = start
            elif plain and ctx.text[start:end] == item.text:
                at = self._inside(ctx, item.text)
                if at is None:
                    continue
                at += start
            else:
                continue
            word = ctx.text[at : at + 5]
            fix = Fix("write BREAK", (Edit(at, at + 5, "BREAK"),), Applicability.UNSAFE)
            yield self.finding(
                ctx,
                f"{quoted(word)} is read as a word: write BREAK in capitals to start a new chunk",
                (at, at + 5),
                fix,
            )

    def _inside(self, ctx: LintContext, text: str) -> int | None:
        """Where a ``break`` between two known tags starts in ``text``, if there is one."""
        match = _INSIDE.search(text)
        if match is None:
            return None
        left, right = text[: match.start()].strip(), text[match.end() :].strip()
        if ctx.category_of(left) is None or ctx.category_of(right) is None:
            return None
        return match.start(1)
