"""T007: tags that cannot both be true of one image."""

from __future__ import annotations

from collections.abc import Iterator

from animagine_prompt.lint._context import LintContext
from animagine_prompt.lint._message import quoted
from animagine_prompt.lint._rule import Finding, Rule
from animagine_prompt.lint.rules._regions import regions_of_items

_GROUPS = ("2girls", "3girls", "4girls", "5girls", "6+girls", "multiple_girls")
_BOYS = ("2boys", "3boys", "4boys", "5boys", "6+boys", "multiple_boys")
_LONG = ("long_hair", "very_long_hair", "absurdly_long_hair")

#: Pairs that contradict each other, in Danbooru form, by what they describe.
_PICTURE = (
    *(("solo", other) for other in (*_GROUPS, *_BOYS, "multiple_others", "group")),
    *(("1girl", other) for other in _GROUPS),
    *(("1boy", other) for other in _BOYS),
    ("indoors", "outdoors"),
    ("day", "night"),
    ("monochrome", "colorful"),
    ("greyscale", "colorful"),
)
#: How the picture is framed: one framing per panel.
_FRAMING = (
    ("upper_body", "full_body"),
    ("portrait", "full_body"),
    ("cowboy_shot", "full_body"),
)
#: What one person looks like or does: two people, or two faces of a chart, may differ.
_PERSON = (
    *(("short_hair", other) for other in _LONG),
    ("very_short_hair", "long_hair"),
    ("closed_eyes", "open_eyes"),
    ("open_mouth", "closed_mouth"),
    ("sitting", "standing"),
    ("smile", "frown"),
)
CONTRADICTIONS: frozenset[frozenset[str]] = frozenset(frozenset(pair) for pair in (*_PICTURE, *_FRAMING, *_PERSON))
_PER_PANEL = frozenset(frozenset(pair) for pair in (*_FRAMING, *_PERSON))
_PER_PERSON = frozenset(frozenset(pair) for pair in _PERSON)

#: Tags that put several people in the picture.
_SEVERAL = frozenset((*_GROUPS, *_BOYS, "multiple_others", "group", "2others", "3others", "4others", "5others"))
_ONE_EACH = frozenset(("1girl", "1boy", "1other"))
#: Tags of pictures made of panels or views, each with its own framing, pose and face.
_PANELS = frozenset(
    (
        "expression_chart",
        "character_sheet",
        "reference_sheet",
        "multiple_views",
        "comic",
        "4koma",
        "split_screen",
        "variations",
        "multiple_persona",
        "before_and_after",
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
    or mouth, indoors and outdoors, day and night, framing (`upper body`, `cowboy shot`, `full
    body`).

    Tags are compared within one region only (a `BREAK` or `AND` part, or one line per subject):
    each region describes its own subject. What one person looks like (hair length, eyes,
    mouth, expression, pose) is not compared when the prompt has several people (`2girls`,
    `1girl, 1boy`, and no `solo`); in a picture of panels or views (`expression chart`, `character sheet`,
    `comic`) neither are those nor the framing.

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
        """Report each item that contradicts an earlier one in the same region."""
        keys = set(ctx.keys)
        if len(keys.intersection(_PARTNERS)) < 2:
            return  # no pair to compare
        panels = not keys.isdisjoint(_PANELS)
        # `solo` beside `2girls` leaves the count in doubt: then one person is assumed.
        people = not keys.isdisjoint(_SEVERAL) or len(keys & _ONE_EACH) > 1
        several = panels or (people and "solo" not in keys)
        # Each key's first item and its position, per region: the partner named is the earliest.
        seen: dict[tuple[int, str], tuple[int, str]] = {}
        regions = regions_of_items(ctx)
        for position, (item, key, region) in enumerate(zip(ctx.tags, ctx.keys, regions, strict=True)):
            earlier = [
                seen[region, other]
                for other in _PARTNERS.get(key, ())
                if (region, other) in seen
                and not (several and frozenset((key, other)) in _PER_PERSON)
                and not (panels and frozenset((key, other)) in _PER_PANEL)
            ]
            if earlier:
                partner = min(earlier)[1]
                yield self.finding(
                    ctx,
                    f"{quoted(item.text)} contradicts {quoted(partner)}: keep the one that describes the image",
                    item.span,
                )
            seen.setdefault((region, key), (position, item.text))
