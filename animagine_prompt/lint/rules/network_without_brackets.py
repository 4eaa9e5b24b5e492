"""S016: ``lora:name:1`` written without its angle brackets."""

from __future__ import annotations

import re
from collections.abc import Iterator

from animagine_prompt.lint._context import LintContext
from animagine_prompt.lint._fix import Applicability, Edit, Fix, FixAvailability
from animagine_prompt.lint._message import quoted
from animagine_prompt.lint._rule import Finding, Rule

_BARE = re.compile(r"(?:lora|lyco|hypernet):[^:<>\s][^:<>]*(?::[-+]?[\d.]+){0,2}", re.IGNORECASE)
# A1111 reads a ":number" that ends the prompt (or an AND part) as that part's weight, so the
# last item loses it: `1girl, lora:x:0.6` has the item `lora:x`.
_PART_WEIGHT = re.compile(r"\s*:\s*[-+]?(?:\d+\.?\d*|\.\d+)")

_KIND = re.compile(r"(?<!<)(?:lora|lyco|hypernet):", re.IGNORECASE)


class NetworkWithoutBrackets(Rule):
    """Network without brackets: `lora:name:1` is text; `<lora:name:1>` loads the LoRA.

    ## What it does
    Reports an item that is an extra network written without `<` and `>`: a kind (`lora`,
    `lyco`, `hypernet`), a colon and a name, and up to two weights.

    ## Why it matters
    Without the angle brackets A1111 loads nothing: the model reads the words "lora", the
    file name and the number as part of the prompt.

    ## Example
    ```text
    1girl, lora:add_detail:0.6
    ```
    Reports:

    - `lora:add_detail:0.6`: 'lora:add_detail:0.6' is read as text, not as a network: write <lora:add_detail:0.6>
      to load it

    Use instead:
    ```text
    1girl, <lora:add_detail:0.6>
    ```

    ## Fix safety
    The fix adds the angle brackets. It is unsafe: it loads a network the prompt did not load
    before.
    """

    code = "S016"
    name = "network-without-brackets"
    fix_availability = FixAvailability.ALWAYS

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        """Report plain items shaped like ``kind:name:weight``."""
        if not _KIND.search(ctx.text):
            return
        for item, plain in zip(ctx.tags, ctx.plain, strict=True):
            start, end = item.text_span
            weight = _PART_WEIGHT.match(ctx.text, end)
            if weight and not ctx.text[weight.end() :].strip(" \t\n,"):
                end = weight.end()
            raw = ctx.text[start:end]
            if not plain or not _BARE.fullmatch(raw):
                continue
            fix = Fix(f"write <{raw}>", (Edit(start, start, "<"), Edit(end, end, ">")), Applicability.UNSAFE)
            yield self.finding(
                ctx,
                f"{quoted(raw)} is read as text, not as a network: write <{raw}> to load it",
                (start, end),
                fix,
            )
