"""S004: a prompt-editing schedule that does not parse."""

from __future__ import annotations

from animagine_prompt.lint.rules._parser_rule import ParserRule


class MalformedSchedule(ParserRule):
    """Malformed schedule: a `[...:N]` that is not a valid schedule is read as literal text.

    ## What it does
    Reports square brackets ending in `:number]` whose content is not `[to:when]`,
    `[from:to:when]` or `[from::when]`, such as `[a:b:c:5]` or `[a|b:5]`.

    ## Why it matters
    The schedule does nothing: the brackets, colons and the number reach the model as text.

    ## Example
    ```text
    1girl, [red hair:blue hair:green hair:10]
    ```
    Reports:

    - `[red hair:blue hair:green hair:10]`: this schedule does not parse and is read as text: write [to:when],
      [from:to:when] or [from::when], with no '|' and at most two ':' before the number

    Use instead:
    ```text
    1girl, [red hair:blue hair:10]
    ```

    ## Fix safety
    No automatic fix.
    """

    code = "S004"
    name = "malformed-schedule"
