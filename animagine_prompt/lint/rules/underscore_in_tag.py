"""T002: a tag written with underscores."""

from __future__ import annotations

import re
from collections.abc import Iterator

from animagine_prompt.lint._context import LintContext
from animagine_prompt.lint._fix import Edit, Fix, FixAvailability
from animagine_prompt.lint._message import quoted
from animagine_prompt.lint._rule import Finding, Rule


class UnderscoreInTag(Rule):
    """Underscore in tag: `green_hair` is Danbooru's spelling; Animagine was trained on `green hair`.

    ## What it does
    Reports a known tag written with underscores instead of spaces, also where it is one part of
    an item that is not a tag (`red hair_ribbon`, or tags joined by full-width commas such as
    `smile，game_cg`; there only general and meta tags, not names). Kaomoji such as `^_^` or
    `>_<` are left alone, and so are unknown words (they may be embeddings or LoRA triggers)
    and the name of a LoRA the prompt loads (its trigger word).

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

        # A LoRA's trigger word is typed as its name is (`<lora:santa_outfit:0.3>`, `santa_outfit`).
        networks = {n.name.lower() for n in ctx.networks}
        for item in ctx.tags:
            start, end = item.text_span
            raw = ctx.text[start:end]
            if "_" not in raw or "embedding:" in raw or is_kaomoji(item.text) or item.text.lower() in networks:
                continue
            if ctx.category_of(item.text) is not None:
                yield self._report(ctx, item.text, start, raw)
                continue
            # An item that is no tag may hold a general tag (`red hair_ribbon`, or tags joined
            # by full-width commas: `smile，game_cg，rim light`); names there are left alone.
            for match in _RUN.finditer(raw):
                word = match.group()
                if word.lower() not in networks and ctx.category_of(word) in (0, 5) and not is_kaomoji(word):
                    yield self._report(ctx, word, start + match.start(), word)

    def _report(self, ctx: LintContext, text: str, start: int, raw: str) -> Finding:
        edits = tuple(Edit(start + i, start + i + 1, " ") for i, ch in enumerate(raw) if ch == "_")
        return self.finding(
            ctx,
            f"{quoted(text)} uses underscores: write {quoted(text.replace('_', ' '))} with spaces",
            (start, start + len(raw)),
            Fix("replace underscores with spaces", edits),
        )


#: A run of word characters joined by underscores, inside an item that is not a tag.
_RUN = re.compile(r"[^\W_]+(?:_[^\W_]+)+")
