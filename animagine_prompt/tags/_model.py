"""Value types of the tag database: categories, special tags and lookup results."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from typing import Any, Literal

from animagine_prompt.tags._normalize import to_prompt_form

__all__ = ["CONFIDENT", "Category", "Match", "SpecialTag", "category_name"]

#: A ``Match`` at or above this confidence is safe to offer as a correction.
CONFIDENT = 0.8

How = Literal["exact", "alias", "character", "fuzzy"]


class Category(IntEnum):
    """Danbooru tag categories, numbered as Danbooru and tagcomplete number them.

    >>> Category(4).name.lower(), int(Category.META)
    ('character', 5)
    """

    GENERAL = 0
    ARTIST = 1
    COPYRIGHT = 3
    CHARACTER = 4
    META = 5


def category_name(category: int) -> str:
    """The lowercase name of a category number; numbers outside Danbooru's set are ``"other"``.

    >>> category_name(3), category_name(7)
    ('copyright', 'other')
    """
    try:
        return Category(category).name.lower()
    except ValueError:
        return "other"


@dataclass(frozen=True, slots=True)
class SpecialTag:
    """One of Animagine XL 2.0's own training tags (not a Danbooru tag).

    ``kind`` is ``"quality"`` or ``"rating"``. For quality tags ``rank`` orders them from best
    (0, ``masterpiece``) to worst; ``criterion`` is the aesthetic-score range from the model card.

    >>> SpecialTag("best_quality", "quality", 1, "100-150").is_negative
    False
    """

    tag: str
    kind: Literal["quality", "rating"]
    rank: int
    criterion: str

    @property
    def is_negative(self) -> bool:
        """Whether this quality tag describes bad images and belongs in a negative prompt.

        >>> SpecialTag("worst_quality", "quality", 6, "<-5").is_negative
        True
        """
        return self.kind == "quality" and self.rank >= 4


@dataclass(frozen=True, slots=True)
class Match:
    """What a lookup found for one item.

    ``how`` says how the item matched: ``"exact"`` (same canonical key), ``"alias"`` (a known
    variant), ``"character"`` (a character name written without its series qualifier) or
    ``"fuzzy"`` (a likely typo). ``confidence`` is in 0..1; only matches at or above
    :data:`CONFIDENT` should be offered as corrections. ``post_count`` 0 means unknown.

    >>> m = Match("hu_tao_(genshin_impact)", 4, 11823, "character", 0.9)
    >>> print(m.prompt_form)
    hu tao \\(genshin impact\\)
    >>> m.category_name, m.confident
    ('character', True)
    """

    tag: str
    category: int
    post_count: int
    how: How
    confidence: float
    special: SpecialTag | None = None
    explicit: bool = False

    @property
    def prompt_form(self) -> str:
        """The tag as it should be written in a prompt (see ``to_prompt_form``).

        >>> Match("^_^", 0, 1, "exact", 1.0).prompt_form
        '^_^'
        """
        return to_prompt_form(self.tag)

    @property
    def category_name(self) -> str:
        """``general``, ``artist``, ``copyright``, ``character``, ``meta`` or ``other``.

        >>> Match("highres", 5, 0, "exact", 1.0).category_name
        'meta'
        """
        return category_name(self.category)

    @property
    def confident(self) -> bool:
        """Whether the match is sure enough to be offered as a correction.

        >>> Match("blush", 0, 1, "fuzzy", 0.5).confident
        False
        """
        return self.confidence >= CONFIDENT

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict; its keys are part of the documented CLI output.

        >>> sorted(Match("blush", 0, 5, "exact", 1.0).to_dict())  # doctest: +NORMALIZE_WHITESPACE
        ['category', 'category_name', 'confidence', 'explicit', 'how', 'post_count', 'prompt_form',
         'special', 'tag']
        """
        special = None
        if self.special is not None:
            kind, rank, criterion = self.special.kind, self.special.rank, self.special.criterion
            special = {"kind": kind, "rank": rank, "criterion": criterion}
        return {
            "tag": self.tag,
            "prompt_form": self.prompt_form,
            "category": self.category,
            "category_name": self.category_name,
            "post_count": self.post_count,
            "how": self.how,
            "confidence": round(self.confidence, 3),
            "special": special,
            "explicit": self.explicit,
        }
