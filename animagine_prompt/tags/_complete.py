"""Completion for an item being typed: the tags whose name starts with it, most posts first, then
those only an alias of which starts with it (``blond`` finds ``blonde hair`` by name before anything
an alias leads to: ``single girl`` is ``1girl``, which no one typing ``s`` looks for first).

Names and aliases are sorted columns, so every key that starts with the typed text lies in one
run found by two binary searches; only the most popular few of each run are ranked, so a
one-letter prefix (thousands of keys) costs about as much as a whole word.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable
from dataclasses import dataclass

from animagine_prompt.tags._column import StringColumn
from animagine_prompt.tags._model import category_name
from animagine_prompt.tags._normalize import to_prompt_form
from animagine_prompt.tags._vocabulary import Vocabulary

__all__ = ["Completion", "prefix_ranked"]

# Each side (names, aliases) ranks this many times the asked-for number, so a tag reached through
# several aliases, or one filtered out afterwards, still leaves enough.
_POOL = 3


@dataclass(frozen=True, slots=True)
class Completion:
    """One completion: the tag (Danbooru form), its category and post count, and how it was found.

    ``alias`` is the alias whose beginning was typed when the tag's own name does not start with
    it (``blond hair`` for ``blonde_hair``); ``fuzzy`` marks a near match offered after the prefix
    matches ran out.

    >>> c = Completion("hu_tao_(genshin_impact)", 4, 11823, alias=None)
    >>> print(c.insert)
    hu tao \\(genshin impact\\)
    >>> c.label, c.category_name, Completion("blonde_hair", 0, 5, alias="blond_hair").alias_label
    ('hu tao (genshin impact)', 'character', 'blond hair')
    """

    tag: str
    category: int
    post_count: int
    alias: str | None = None
    fuzzy: bool = False

    @property
    def insert(self) -> str:
        """The tag as a prompt needs it: spaces, qualifier brackets escaped."""
        return to_prompt_form(self.tag)

    @property
    def label(self) -> str:
        """The tag as people read it: spaces, brackets bare."""
        return _unescape(self.insert)

    @property
    def alias_label(self) -> str | None:
        """:attr:`alias` as people read it (``blond hair``), or ``None``."""
        return None if self.alias is None else _unescape(to_prompt_form(self.alias))

    @property
    def category_name(self) -> str:
        """``general``, ``artist``, ``copyright``, ``character``, ``meta`` or ``other``."""
        return category_name(self.category)


def _unescape(prompt_form: str) -> str:
    out, escaped = [], False
    for ch in prompt_form:
        if escaped or ch != "\\":
            out.append(ch)
            escaped = False
        else:
            escaped = True
    return "".join(out)


def _prefix_range(column: StringColumn, prefix: str) -> range:
    lo = column.bisect_left(prefix)
    return range(lo, column.bisect_left(prefix[:-1] + chr(ord(prefix[-1]) + 1), lo))


def prefix_ranked(
    vocabulary: Vocabulary, key: str, limit: int, keep: Callable[[int], bool] | None = None
) -> list[tuple[int, str | None]]:
    """Up to ``limit`` tag ids whose name or alias starts with the canonical ``key``, each with the
    alias that matched (``None`` when the name did): name matches first, then alias matches, each
    most posts first (then shorter, then alphabetical). ``keep(id)`` filters tags out (explicit
    ones, say).

    >>> from animagine_prompt.tags._vocabulary import VocabularyBuilder
    >>> b = VocabularyBuilder()
    >>> b.add_rows([("blonde_hair", 0, 900, ("blond_hair",)), ("blue_hair", 0, 500, ()), ("solo", 0, 950, ("bl",))])
    >>> v = b.build()
    >>> [(v.names[i], alias) for i, alias in prefix_ranked(v, "bl", 5)]
    [('blonde_hair', None), ('blue_hair', None), ('solo', 'bl')]
    >>> [(v.names[i], alias) for i, alias in prefix_ranked(v, "blond_", 5)]
    [('blonde_hair', 'blond_hair')]
    """
    if not key or limit < 1:
        return []
    counts, targets, aliases = vocabulary.counts, vocabulary.targets, vocabulary.aliases
    pool = limit * _POOL
    found: dict[int, str | None] = {
        i: None for i in heapq.nlargest(pool, _prefix_range(vocabulary.names, key), key=counts.__getitem__)
    }
    rows = heapq.nlargest(pool, _prefix_range(aliases, key), key=lambda row: counts[targets[row]])
    for row in rows:
        i = targets[row]
        if i not in found:
            alias = aliases[row]
            if not alias.startswith("/"):  # shortcuts such as /lh are no words anyone types
                found[i] = alias
    names = vocabulary.names
    ranked = sorted(found, key=lambda i: (found[i] is not None, -counts[i], len(names[i]), names[i]))
    if keep is not None:
        ranked = [i for i in ranked if keep(i)]
    return [(i, found[i]) for i in ranked[:limit]]
