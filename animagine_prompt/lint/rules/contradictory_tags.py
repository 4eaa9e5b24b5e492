"""T007: tags that cannot both be true of one image."""

from __future__ import annotations

from collections.abc import Iterator

from animagine_prompt.lint._context import LintContext
from animagine_prompt.lint._message import quoted
from animagine_prompt.lint._rule import Finding, Rule

_GROUPS = ("2girls", "3girls", "4girls", "5girls", "6+girls", "multiple_girls")
_BOYS = ("2boys", "3boys", "4boys", "5boys", "6+boys", "multiple_boys")
_LONG = ("long_hair", "very_long_hair", "absurdly_long_hair")

#: Pairs that contradict each other, in Danbooru form.
CONTRADICTIONS: frozenset[frozenset[str]] = frozenset(
    frozenset(pair)
    for pair in (
        *(("solo", other) for other in (*_GROUPS, *_BOYS, "multiple_others", "group")),
        *(("1girl", other) for other in _GROUPS),
        *(("1boy", other) for other in _BOYS),
        *(("short_hair", other) for other in _LONG),
        ("very_short_hair", "long_hair"),
        ("closed_eyes", "open_eyes"),
        ("open_mouth", "closed_mouth"),
        ("indoors", "outdoors"),
        ("day", "night"),
        ("monochrome", "colorful"),
        ("greyscale", "colorful"),
        ("upper_body", "full_body"),
        ("portrait", "full_body"),
        ("sitting", "standing"),
        ("smile", "frown"),
    )
)

# Each tag's partners in sorted order: iterating the frozenset would follow the hash seed.
_PARTNERS: dict[str, tuple[str, ...]] = {}
for _a, _b in sorted(tuple(sorted(pair)) for pair in CONTRADICTIONS):
    _PARTNERS[_a] = (*_PARTNERS.get(_a, ()), _b)
    _PARTNERS[_b] = (*_PARTNERS.get(_b, ()), _a)


class ContradictoryTags(Rule):
    """Contradictory tags: `solo` with `2girls`, `long hair` with `short hair`, `day` with `night`.

    ## What it does
    Reports the second tag of a pair that cannot both describe one image: subject counts
    (`solo`, `1girl` against `2girls`, `multiple girls`, ...), hair length, open and closed eyes
    or mouth, indoors and outdoors, day and night, framing (`upper body`, `full body`).

    ## Why it matters
    The model averages contradictory tags: the result often satisfies neither (extra people
    cut off at the edge, hair of no clear length).

    ## Example
    ```text
    1girl, solo, 2girls, long hair, short hair
    ```
    Reports:

    - `2girls`: '2girls' contradicts '1girl': keep the one that describes the image
    - `short hair`: 'short hair' contradicts 'long hair': keep the one that describes the image

    Use instead:
    ```text
    2girls, long hair
    ```

    ## Fix safety
    No automatic fix.
    """

    code = "T007"
    name = "contradictory-tags"
    fields = ("prompt",)

    def check(self, ctx: LintContext) -> Iterator[Finding]:
        """Report each item that contradicts an earlier one."""
        # Each key's first item and its position: the partner named is the earliest in the prompt.
        seen: dict[str, tuple[int, str]] = {}
        for position, (item, key) in enumerate(zip(ctx.tags, ctx.keys, strict=True)):
            earlier = [seen[other] for other in _PARTNERS.get(key, ()) if other in seen]
            if earlier:
                partner = min(earlier)[1]
                yield self.finding(
                    ctx,
                    f"{quoted(item.text)} contradicts {quoted(partner)}: keep the one that describes the image",
                    item.span,
                )
            seen.setdefault(key, (position, item.text))
