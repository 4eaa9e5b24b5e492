"""T002: a tag written with underscores."""

from __future__ import annotations

from collections.abc import Iterator

from animagine_prompt.lint._context import LintContext
from animagine_prompt.lint._fix import Edit, Fix, FixAvailability
from animagine_prompt.lint._message import quoted
from animagine_prompt.lint._rule import Finding, Rule


class UnderscoreInTag(Rule):
    """Underscore in tag: `green_hair` is Danbooru's spelling; Animagine was trained on `green hair`.

    ## What it does
    Reports a known tag written with underscores instead of spaces. Kaomoji such as `^_^` or
    `>_<` are left alone, and so are unknown words (they may be embeddings or LoRA triggers).

    ## Why it matters
    Animagine XL 2.0's captions use spaces; the CLIP tokenizer splits `green_hair` into
    different tokens than `green hair`, so the model recognises the tag less well.

    ## Example
    ```text
    1girl, green_hair, looking_at_viewer
    ```
    Reports:

    - `green_hair`: 'green_hair' uses underscores: write 'green hair' with spaces
    - `looking_at_viewer`: 'looking_at_viewer' uses underscores: write 'looking at viewer' with spaces

    Use instead:
    ```text
    1girl, green hair, looking at viewer
    ```

    ## Fix safety
    The fix replaces the underscores with spaces. It is safe: the tag stays the same tag.
    """

    code = "T002"
    name = "underscore-in-tag"
    needs = frozenset({"tags"})
    fix_availability = FixAvailability.ALWAYS

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        """Report known tags whose source holds underscores."""
        from animagine_prompt.tags import is_kaomoji

        for item in ctx.tags:
            start, end = item.text_span
            raw = ctx.text[start:end]
            if "_" not in raw or "embedding:" in raw or is_kaomoji(item.text) or ctx.category_of(item.text) is None:
                continue
            edits = tuple(Edit(start + i, start + i + 1, " ") for i, ch in enumerate(raw) if ch == "_")
            yield self.finding(
                ctx,
                f"{quoted(item.text)} uses underscores: write {quoted(item.text.replace('_', ' '))} with spaces",
                (start, end),
                Fix("replace underscores with spaces", edits),
            )
