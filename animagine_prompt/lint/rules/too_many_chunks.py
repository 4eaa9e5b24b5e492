"""K002: a prompt longer than the configured number of 75-token chunks."""

from __future__ import annotations

from collections.abc import Iterator

from animagine_prompt.lint._context import LintContext
from animagine_prompt.lint._rule import Finding, Option, Rule


class TooManyChunks(Rule):
    """Too many chunks: the prompt needs more than `max_chunks` 75-token chunks (default 3).

    ## What it does
    Counts the 75-token chunks the prompt is encoded in (BREAK and AND start new ones) and
    reports the text from the first chunk past the limit.

    ## Why it matters
    Every chunk dilutes the others: the model attends to all of them together, so tags in a
    fourth or fifth chunk add little, and some tools (diffusers without a long-prompt encoder)
    drop everything after the first 77 tokens. Long prompts are also slower to encode.

    ## Example
    A prompt of 300 tokens of tags, or one with four BREAKs.

    Use instead: remove repeated or weak tags until the prompt fits in `max_chunks` chunks.

    ## Fix safety
    No automatic fix.
    """

    code = "K002"
    name = "too-many-chunks"
    needs = frozenset({"tokens"})
    options = {"max_chunks": Option(3, "most 75-token chunks a prompt may use")}

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        """Report the prompt when its chunk plan has more chunks than allowed."""
        limit = self.config["max_chunks"]
        if ctx.short_segments is not None and ctx.short_segments <= limit:
            return  # each part fits in one chunk, and there are few enough parts
        plan = ctx.plan
        if len(plan.chunks) <= limit:
            return
        boundary = plan.boundaries[limit - 1] if 0 < limit <= len(plan.boundaries) else None
        start = boundary.offset if boundary is not None and boundary.offset is not None else 0
        end = len(ctx.text.rstrip())
        yield self.finding(
            ctx,
            f"the prompt needs {len(plan.chunks)} chunks of 75 tokens ({plan.token_count} tokens), more "
            f"than {limit}: shorten it (chunk {limit + 1} starts here)",
            (start, max(end, start)),
        )
