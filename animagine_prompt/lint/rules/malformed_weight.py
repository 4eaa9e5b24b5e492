"""S003: a weight that is not one finite number."""

from __future__ import annotations

import re
from collections.abc import Iterator

from animagine_prompt.diagnostics import Severity
from animagine_prompt.lint._context import LintContext
from animagine_prompt.lint._message import quoted
from animagine_prompt.lint._rule import Finding
from animagine_prompt.lint.rules._parser_rule import ParserRule
from animagine_prompt.syntax import Group, Leaf

# What Python's float() reads but A1111's weight pattern (":[+-]?[.\d]+") does not: infinity,
# not-a-number and exponents such as 1e3.
_NOT_A_WEIGHT = re.compile(r":\s*([+-]?(?:inf(?:inity)?|nan|(?:\d+\.?\d*|\.\d+)e[+-]?\d+))\s*$", re.IGNORECASE)

_ANYWHERE = re.compile(r":\s*[+-]?(?:inf|nan|[\d.]+e)", re.IGNORECASE)


class MalformedWeight(ParserRule):
    """Malformed weight: `(tag:1.2.3)` or a non-finite weight is read as text, not as a weight.

    ## What it does
    Reports a `(text:weight)` group whose weight is not a single finite number: several dots
    (`1.2.3`), or a number only Python would read, such as `inf`, `nan` or an exponent (`1e3`).

    ## Why it matters
    A1111 crashes on some of these and reads others as literal text; either way the tag does not
    get the weight the author wrote. `(tag:inf)` is the text "tag:inf" at weight 1.1, and a
    weight of 1000 would wreck the image anyway.

    ## Example
    ```text
    1girl, (green hair:1.2.3), (smile:inf)
    ```
    Reports:

    - `(green hair:1.2.3)`: malformed weight ':1.2.3' is read as text: write one number, e.g. ':1.2'
    - `(smile:inf)`: weight 'inf' is not a number A1111 reads: it weights the text 'smile:inf' by 1.1 instead;
      write a number such as 1.2

    Use instead:
    ```text
    1girl, (green hair:1.2), (smile:1.2)
    ```

    ## Fix safety
    No automatic fix: the intended number cannot be guessed.
    """

    code = "S003"
    name = "malformed-weight"
    severity = Severity.ERROR

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        """The parser's S003 diagnostics, then groups whose weight is a non-finite or exponent number."""
        reported = []
        for finding in super().check(ctx):
            reported.append(finding.span)
            yield finding
        if ctx.prompt.dialect.round is None or not ctx.prompt.dialect.explicit_weights:
            return
        if not _ANYWHERE.search(ctx.text):
            return  # no such weight in the text: skip the walk
        for v in ctx.visits:
            group = v.node
            if not isinstance(group, Group) or group.kind != "round" or not group.closed or group.weight is not None:
                continue
            last = group.children[-1] if group.children else None
            if not isinstance(last, Leaf) or last.kind != "text" or group.span in reported or group.span is None:
                continue
            match = _NOT_A_WEIGHT.search(last.raw)
            if match:
                source = ctx.text[group.span[0] + 1 : group.span[1] - 1]
                yield self.finding(
                    ctx,
                    f"weight {quoted(match.group(1))} is not a number A1111 reads: it weights the text "
                    f"{quoted(source)} by 1.1 instead; write a number such as 1.2",
                    group.span,
                )
