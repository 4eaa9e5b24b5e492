"""S011: ``[tag:0.9]`` written as if it were a weight."""

from __future__ import annotations

from collections.abc import Iterator

from animagine_prompt.lint._context import LintContext
from animagine_prompt.lint._fix import Applicability, Edit, Fix, FixAvailability
from animagine_prompt.lint._rule import Finding, Rule
from animagine_prompt.syntax import Schedule, render


class ScheduleWrittenAsWeight(Rule):
    """Schedule written as a weight: `[tag:0.9]` adds the tag late in sampling, it does not weight it.

    ## What it does
    Reports `[tag:N]` where N is a decimal number such as `0.9` or `1.2`: the shape of a weight
    written with square brackets.

    ## Why it matters
    In A1111 `[tag:0.9]` is prompt editing: the tag is absent for the first 90% of the steps and
    then appears, so it has almost no effect. Weights use round brackets: `(tag:0.9)`. A number
    above 1 with a decimal point (`[tag:1.2]`) is a fraction past the end: the tag never appears.

    A prompt that also holds `[from:to:when]` or `[from::when]` edits prompts on purpose: there
    `[tag:0.4]` is taken as the schedule it is, and only a `when` of 1 or more is reported.

    ## Example
    ```text
    1girl, [blurry:0.8]
    ```
    Reports:

    - `[blurry:0.8]`: [...:0.8] is a schedule (the text appears after step 0.8), not a weight: write (tag:weight)
      to weight it

    Use instead:
    ```text
    1girl, (blurry:0.8)
    ```

    ## Fix safety
    The fix rewrites it as `(tag:N)`. It is unsafe: a late schedule may have been intended.
    """

    code = "S011"
    name = "schedule-written-as-weight"
    fix_availability = FixAvailability.ALWAYS

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        """Report ``[to:when]`` schedules whose ``when`` is written as a decimal."""
        if not ctx.prompt.dialect.schedules or "[" not in ctx.text:
            return
        schedules = [v.node for v in ctx.visits if isinstance(v.node, Schedule)]
        # `[a:b:0.5]` or `[a::0.5]` elsewhere: the author edits prompts on purpose.
        deliberate = any(node.before is not None for node in schedules)
        for node in schedules:
            if node.before is not None or node.span is None:
                continue
            if "." not in node.when_text or not node.after or not render(node.after).strip():
                continue
            if deliberate and node.when < 1:
                continue
            start, end = node.span
            fix = Fix(
                f"write it as a weight: ({render(node.after).strip()}:{node.when_text.strip()})",
                (Edit(start, start + 1, "("), Edit(end - 1, end, ")")),
                Applicability.UNSAFE,
            )
            yield self.finding(
                ctx,
                f"[...:{node.when_text}] is a schedule (the text appears after step {node.when_text}), "
                "not a weight: write (tag:weight) to weight it",
                (start, end),
                fix,
            )
