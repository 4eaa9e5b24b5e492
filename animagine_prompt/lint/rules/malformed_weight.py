"""S003: a weight that is not one finite number."""

from __future__ import annotations

from animagine_prompt.diagnostics import Severity
from animagine_prompt.lint.rules._parser_rule import ParserRule


class MalformedWeight(ParserRule):
    """Malformed weight: `(tag:1.2.3)` or a non-finite weight is read as text, not as a weight.

    ## What it does
    Reports a `(text:weight)` group whose weight is not a single finite number.

    ## Why it matters
    A1111 crashes on some of these and reads others as literal text; either way the tag does not
    get the weight the author wrote.

    ## Example
    ```text
    1girl, (green hair:1.2.3)
    ```
    Use instead:
    ```text
    1girl, (green hair:1.2)
    ```

    ## Fix safety
    No automatic fix: the intended number cannot be guessed.
    """

    code = "S003"
    name = "malformed-weight"
    severity = Severity.ERROR
