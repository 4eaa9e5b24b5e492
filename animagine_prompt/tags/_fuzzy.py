"""Typo search: a bucketed candidate index over the tag keys, and the rules that decide when a
near match is a confident correction rather than a different phrase.

Scoring is rapidfuzz's ``fuzz.ratio`` on canonical keys. Instead of scoring every key, a query
is scored against the keys of similar length that share its first two or its last two letters
(one letter for queries under 5): one edit cannot change both ends, so a single typo never
hides the tag it came from.
"""

from __future__ import annotations

import math
import re
from array import array
from collections.abc import Container, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from animagine_prompt.tags._vocabulary import KeyOrder, Vocabulary

__all__ = ["FuzzyIndex", "typo_confidence"]

_NON_WORD = re.compile(r"[\W_]+")
_SPLIT_WORDS = re.compile(r"[_()]+")
_EDGE_PUNCTUATION = "-.,;:!?\"'{}[]<>*~"
# Endings that turn one English word into another (plural, tense, -ist/-ism, ...): a query that
# differs from a tag only by swapping these is another word, not a misspelling.
_SUFFIXES = frozenset(
    {"", "s", "es", "d", "ed", "ing", "er", "ers", "y", "ies", "ist", "ists", "ism", "ly", "e", "al", "ic"}
)
#: Weight of popularity in the ranking, in ``fuzz.ratio`` points for the most popular tag.
POPULARITY_WEIGHT = 2.0
# Popularity is measured against a fixed scale (Danbooru's largest tag has about 6M posts), so
# that no pass over every count is needed before the first search.
_LOG_LARGEST = math.log1p(10_000_000)
# Searches made before the keys are copied out of the vocabulary's columns into one list.
_SEARCHES_IN_PLACE = 16


def _words(key: str) -> list[str]:
    # Punctuation at a word's ends is no letter of it: "-hair" is the word "hair".
    return [w for w in (w.strip(_EDGE_PUNCTUATION) for w in _SPLIT_WORDS.split(key)) if w]


def _is_suffix_variant(a: str, b: str) -> bool:
    limit = min(len(a), len(b))
    prefix = 0
    while prefix < limit and a[prefix] == b[prefix]:
        prefix += 1
    for cut in range(prefix, max(prefix - 4, 2), -1):
        if a[cut:] in _SUFFIXES and b[cut:] in _SUFFIXES:
            return True
    return False


def _word_typo(query_word: str, tag_word: str, known_words: Container[str], min_len: int) -> bool:
    from rapidfuzz.distance import OSA

    if len(query_word) < min_len or len(tag_word) < min_len or query_word in known_words:
        return False
    # Two edits are weak evidence in a short word ("lightpink" is not "lightning").
    allowed = 1 if len(tag_word) < 10 else 2
    if OSA.distance(query_word, tag_word, score_cutoff=allowed) > allowed:
        return False
    return not _is_suffix_variant(query_word, tag_word)


def typo_confidence(query: str, tag: str, score: float, known_words: Container[str]) -> float:
    """How sure we are that canonical ``query`` is a misspelling of canonical ``tag``.

    ``score`` is their ``fuzz.ratio`` (0..100). The result reaches 0.8 (confident) only when the
    two differ by separators alone (``hair clip`` / ``hairclip``), or have the same words but one
    or two of them misspelt: each changed word at least 4 letters long (5 when it is the only
    word, 3 beside an unchanged word of 4 or more), within one edit (two from 10 letters), not an
    English word or a word of another tag, and not the same word with another ending
    (``stalls``/``stall``). Anything else is capped below 0.8, so prose and rewordings are never
    "corrected".

    >>> known = frozenset({"hair", "green", "lighting", "upper", "body"})
    >>> typo_confidence("gren_hair", "green_hair", 94.7, known) >= 0.8
    True
    >>> typo_confidence("upper_bdy", "upper_body", 94.7, known) >= 0.8
    True
    >>> typo_confidence("lighting", "lightning", 94.1, known) < 0.8
    True
    >>> typo_confidence("sitting_on_a_rock", "sitting_on_rock", 93.8, known) < 0.8
    True
    """
    plain = min(0.75, score / 100 * 0.75)
    compact_query = _NON_WORD.sub("", query)
    if len(compact_query) >= 4 and compact_query == _NON_WORD.sub("", tag):
        return 0.95
    query_words, tag_words = _words(query), _words(tag)
    if len(query_words) != len(tag_words):
        return plain
    changed = [(q, t) for q, t in zip(query_words, tag_words, strict=True) if q != t]
    if not changed or len(changed) > 2:
        return plain
    # A three-letter word has many neighbours: it counts as misspelt only beside an intact word
    # of four letters or more ("upper bdy", "closed eys"), which pins down the tag.
    context = any(q == t and len(q) >= 4 for q, t in zip(query_words, tag_words, strict=True))
    min_len = 5 if len(query_words) == 1 else 3 if context else 4
    if not all(_word_typo(q, t, known_words, min_len) for q, t in changed):
        return plain
    return min(0.95, 0.8 + 0.15 * max(0.0, score - 80) / 20)


class FuzzyIndex:
    """Near-match search over the typo-search keys (names and aliases) of a vocabulary.

    >>> from animagine_prompt.tags._vocabulary import VocabularyBuilder
    >>> b = VocabularyBuilder()
    >>> b.add_rows([("green_hair", 0, 800, ()), ("grey_hair", 0, 400, ()), ("blush", 0, 900, ())])
    >>> index = FuzzyIndex(b.build())
    >>> [(key, target) for key, target, _ in index.search("gren_hair", 2)]
    [('green_hair', 1), ('grey_hair', 2)]
    """

    def __init__(self, vocabulary: Vocabulary) -> None:
        self._vocabulary = vocabulary
        self._counts = vocabulary.counts
        self._searches = 0
        #: per key order (by first letters, by last), its ids and keys as lists, once in bulk use
        self._ordered: tuple[_Ordered, _Ordered] | None = None

    def _count_search(self) -> None:
        # The first searches read keys in place; a bulk run pays once for the keys of each
        # order laid out as lists, so that a run of candidates is a slice of one.
        self._searches += 1
        if self._ordered is None and self._searches > _SEARCHES_IN_PLACE:
            vocabulary = self._vocabulary
            keys = vocabulary.names.as_list() + vocabulary.aliases.as_list()
            self._ordered = (_Ordered(vocabulary.by_first, keys), _Ordered(vocabulary.by_last, keys))

    def _ranges(self, query: str) -> list[tuple[KeyOrder, int, int]]:
        size = len(query)
        # Two short words may each have lost a letter ("gren har"): allow two from 6 letters.
        width = max(1, min(3, (size + 2) // 4))
        # One edit leaves either the first two or the last two letters of a word of 5 or more.
        ends = 2 if size >= 5 else 1
        head, tail = query[:ends], query[::-1][:ends]
        by_first, by_last = self._vocabulary.by_first, self._vocabulary.by_last
        out = []
        for length in range(max(1, size - width), size + width + 1):
            out.append((by_first, *by_first.bounds(length, head)))
            out.append((by_last, *by_last.bounds(length, tail)))
        return out

    def _candidates(self, query: str) -> list[int]:
        ids: list[int] = []
        for order, start, end in self._ranges(query):
            ids += order.ids[start:end]
        return ids

    def _candidate_keys(self, query: str) -> tuple[Sequence[int], list[str]]:
        """The candidates' key ids and their keys, in :meth:`_candidates` order."""
        if self._ordered is None:
            ids = self._candidates(query)
            return ids, self._vocabulary.keys_of(ids)
        ids_out: array[int] = array("I")
        keys: list[str] = []
        first, last = self._ordered
        for order, start, end in self._ranges(query):
            ordered = first if order is first.order else last
            ids_out += ordered.ids[start:end]
            keys += ordered.keys[start:end]
        return ids_out, keys

    def popularity(self, target: int) -> float:
        """Popularity of a tag in 0..1: the log of its post count over that of Danbooru's largest.

        >>> from animagine_prompt.tags._vocabulary import VocabularyBuilder
        >>> b = VocabularyBuilder(); b.add_rows([("a", 0, 99, ()), ("b", 0, 10**8, ())])
        >>> index = FuzzyIndex(b.build()); round(index.popularity(0), 2), index.popularity(1)
        (0.29, 1.0)
        """
        return min(1.0, math.log1p(self._counts[target]) / _LOG_LARGEST)

    def search(self, query: str, limit: int, score_cutoff: float = 60.0) -> list[tuple[str, int, float]]:
        """Best ``(key, target, ratio)`` for ``query``, one per target, ranked by ratio plus popularity.

        >>> from animagine_prompt.tags._vocabulary import VocabularyBuilder
        >>> b = VocabularyBuilder(); b.add_rows([("blush", 0, 5, ())])
        >>> FuzzyIndex(b.build()).search("blsuh", 1)
        [('blush', 0, 80.0)]
        """
        from rapidfuzz import fuzz, process

        if not query:
            return []
        self._count_search()
        ids, keys = self._candidate_keys(query)
        if not ids:
            return []
        target_of = self._vocabulary.target
        found = process.extract(query, keys, scorer=fuzz.ratio, limit=max(20, 4 * limit), score_cutoff=score_cutoff)
        best: dict[int, tuple[float, str, float]] = {}
        for found_key, score, position in found:
            target = target_of(ids[position])
            rank = score + POPULARITY_WEIGHT * self.popularity(target)
            if target not in best or rank > best[target][0]:
                best[target] = (rank, found_key, score)
        ordered = sorted(best.items(), key=lambda item: (-item[1][0], item[1][1]))
        return [(found_key, target, score) for target, (_, found_key, score) in ordered[:limit]]


class _Ordered:
    """One key order's ids and keys as flat sequences, for slicing runs of candidates."""

    __slots__ = ("ids", "keys", "order")

    def __init__(self, order: KeyOrder, keys: list[str]) -> None:
        self.order = order
        self.ids = array("I", order.ids)
        self.keys = list(map(keys.__getitem__, order.ids))
