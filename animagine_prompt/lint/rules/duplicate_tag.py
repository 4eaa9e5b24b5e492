"""T005: the same tag twice in one prompt."""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import repeat

from animagine_prompt.lint._context import LintContext
from animagine_prompt.lint._fix import Applicability, Fix, FixAvailability
from animagine_prompt.lint._message import quoted
from animagine_prompt.lint._rule import Finding, Rule
from animagine_prompt.lint.rules._items import removal
from animagine_prompt.lint.rules._regions import branches_of, exclusive, regions_of_items
from animagine_prompt.syntax import TagItem


class DuplicateTag(Rule):
    """Duplicate tag: the same tag appears twice in one prompt.

    ## What it does
    Reports an item whose tag (compared in Danbooru form: case, spaces and underscores folded)
    already appears in the same part of the prompt. A repeat in another part is not reported:
    with Regional Prompter or composable diffusion each part (after `BREAK` or `AND`) describes
    its own region or subject, and so does each line when several lines start with the same
    subject count (`2girls, ...` per line, as Forge Couple reads them). The two branches of a
    schedule (`[god rays:(god rays):0.4]`) or an alternation are never in the prompt together,
    so a tag in both is no repeat either. Tags typed between full-width commas (`，`) count as
    separate items.

    ## Why it matters
    The repeat costs tokens and quietly strengthens the tag; when the two copies have different
    weights it is unclear which one was meant.

    ## Example
    ```text
    1girl, green hair, smile, (green hair:1.2)
    ```
    Reports:

    - `(green hair:1.2)`: 'green hair' appears more than once: keep one

    Use instead:
    ```text
    1girl, smile, (green hair:1.2)
    ```

    ## Fix safety
    The fix removes the copy with the lower weight (the later one when they are equal). It is
    safe when both copies are written the same way and sit in the same schedule branches (so
    the model sees them at the same steps), unsafe otherwise.
    """

    code = "T005"
    name = "duplicate-tag"
    fix_availability = FixAvailability.SOMETIMES

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        """Report the later copy of each repeated item."""
        branches = branches_of(ctx)
        entries = list(_entries(ctx))
        # (region, key) -> the copies kept so far (entry positions): one, or one per schedule branch.
        kept: dict[tuple[int, str], list[int]] = {}
        for at, (item, key, region, index, whole) in enumerate(entries):
            if not key:
                continue
            copies = kept.get((region, key))
            if copies is None:
                kept[region, key] = [at]
                continue
            if branches is None:
                rivals = copies
            else:
                rivals = [i for i in copies if not exclusive(branches[entries[i][3]], branches[index])]
            if not rivals:
                copies.append(at)
                continue
            earlier, _, _, earlier_index, earlier_whole = entries[rivals[0]]
            weaker = item if item.weight <= earlier.weight else earlier
            # A piece between full-width commas is no item of its own: it has no clean cut.
            edit = removal(ctx.text, weaker) if whole and earlier_whole else None
            fix = None
            if edit is not None:
                # Copies in different schedule branches are present at different steps.
                in_step = branches is None or branches[index] == branches[earlier_index]
                same = item.source == earlier.source and in_step
                fix = Fix(
                    f"remove the copy at weight {weaker.weight:.3g}",
                    (edit,),
                    Applicability.SAFE if same else Applicability.UNSAFE,
                )
            if weaker is earlier:
                copies[copies.index(rivals[0])] = at
            yield self.finding(ctx, f"{quoted(item.text)} appears more than once: keep one", item.span, fix)


#: Full-width commas, which people typing with a Chinese or Japanese keyboard put between tags.
_WIDE = re.compile("[\uff0c\u3001]")


def _entries(ctx: LintContext) -> Iterator[tuple[TagItem, str, int, int, bool]]:
    """Each item with its key, region and position, and whether it is a whole item; an item
    written as tags between full-width commas gives each of those tags instead."""
    from animagine_prompt.tags import canonical

    regions = regions_of_items(ctx)
    if not _WIDE.search(ctx.text):
        yield from zip(ctx.tags, ctx.keys, regions, range(len(regions)), repeat(True))
        return
    for index, (item, key, region) in enumerate(zip(ctx.tags, ctx.keys, regions, strict=True)):
        start, end = item.text_span
        if not _WIDE.search(item.text) or ctx.text[start:end] != item.text:
            yield item, key, region, index, True
            continue
        at = start
        for piece in _WIDE.split(item.text):
            text = piece.strip()
            if text:
                lead = at + len(piece) - len(piece.lstrip())
                span = (lead, lead + len(text))
                yield TagItem(text, item.weight, span, span, text), canonical(text), region, index, False
            at += len(piece) + 1
