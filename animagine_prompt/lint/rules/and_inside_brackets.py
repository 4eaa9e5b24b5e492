"""S005: AND inside brackets."""

from __future__ import annotations

from animagine_prompt.lint.rules._parser_rule import ParserRule


class AndInsideBrackets(ParserRule):
    """AND inside brackets: it is the word "AND", not a split into composable sub-prompts.

    ## What it does
    Reports `AND` written inside `(...)` or `[...]`.

    ## Why it matters
    Composable diffusion splits the prompt only at a top-level `AND`; inside a group the word is
    plain text, which is rarely what was meant.

    ## Example
    ```text
    (a cat AND a dog:1.2)
    ```
    Reports:

    - `AND`: AND inside brackets is read as the word 'AND', not as a sub-prompt split: move it outside the brackets

    Use instead:
    ```text
    (a cat:1.2) AND (a dog:1.2)
    ```

    ## Fix safety
    No automatic fix.
    """

    code = "S005"
    name = "and-inside-brackets"
