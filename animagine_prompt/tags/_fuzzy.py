"""Typo search: a bucketed candidate index over the tag keys, and the rules that decide when a
near match is a confident correction rather than a different phrase.

Scoring is rapidfuzz's ``fuzz.ratio`` on canonical keys. Instead of scoring every key, a query
is scored against the keys of similar length that share its first or its last character: one
edit cannot change both ends, so a single typo never hides the tag it came from.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

__all__ = ["FuzzyIndex", "typo_confidence"]

_NON_WORD = re.compile(r"[\W_]+")
_SPLIT_WORDS = re.compile(r"[_()]+")
# Endings that turn one English word into another (plural, tense, -ist/-ism, ...): a query that
# differs from a tag only by swapping these is another word, not a misspelling.
_SUFFIXES = frozenset(
    {"", "s", "es", "d", "ed", "ing", "er", "ers", "y", "ies", "ist", "ists", "ism", "ly", "e", "al", "ic"}
)
#: Weight of popularity in the ranking, in ``fuzz.ratio`` points for the most popular tag.
POPULARITY_WEIGHT = 2.0


def _words(key: str) -> list[str]:
    return [w for w in _SPLIT_WORDS.split(key) if w]


def _is_suffix_variant(a: str, b: str) -> bool:
    limit = min(len(a), len(b))
    prefix = 0
    while prefix < limit and a[prefix] == b[prefix]:
        prefix += 1
    for cut in range(prefix, max(prefix - 4, 2), -1):
        if a[cut:] in _SUFFIXES and b[cut:] in _SUFFIXES:
            return True
    return False


def _word_typo(query_word: str, tag_word: str, known_words: frozenset[str], min_len: int) -> bool:
    from rapidfuzz.distance import OSA

    if len(query_word) < min_len or len(tag_word) < min_len or query_word in known_words:
        return False
    allowed = 1 if len(tag_word) < 8 else 2
    if OSA.distance(query_word, tag_word, score_cutoff=allowed) > allowed:
        return False
    return not _is_suffix_variant(query_word, tag_word)


def typo_confidence(query: str, tag: str, score: float, known_words: frozenset[str]) -> float:
    """How sure we are that canonical ``query`` is a misspelling of canonical ``tag``.

    ``score`` is their ``fuzz.ratio`` (0..100). The result reaches 0.8 (confident) only when the
    two differ by separators alone (``hair clip`` / ``hairclip``), or have the same words but one
    or two of them misspelt: each changed word at least 4 letters long (5 when it is the only
    word), within one edit (two from 8 letters), not an English word or a word of another tag,
    and not the same word with another ending (``stalls``/``stall``). Anything else is capped
    below 0.8, so prose and rewordings are never "corrected".

    >>> known = frozenset({"hair", "green", "lighting"})
    >>> typo_confidence("gren_hair", "green_hair", 94.7, known) >= 0.8
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
    min_len = 5 if len(query_words) == 1 else 4
    if not all(_word_typo(q, t, known_words, min_len) for q, t in changed):
        return plain
    return min(0.95, 0.8 + 0.15 * max(0.0, score - 80) / 20)


class FuzzyIndex:
    """Near-match search over ``keys`` (canonical names and aliases), each pointing at a tag.

    >>> index = FuzzyIndex(["green_hair", "grey_hair", "blush"], [0, 1, 2], [800, 400, 900])
    >>> [(key, target) for key, target, _ in index.search("gren_hair", 2)]
    [('green_hair', 0), ('grey_hair', 1)]
    """

    def __init__(self, keys: Sequence[str], targets: Sequence[int], counts: Sequence[int]) -> None:
        self._counts = counts
        self._log_max = math.log1p(max(counts, default=0)) or 1.0
        first: dict[tuple[str, int], tuple[list[str], list[int]]] = {}
        last: dict[tuple[str, int], tuple[list[str], list[int]]] = {}
        for key, target in zip(keys, targets, strict=True):
            if not key:
                continue
            size = len(key)
            bucket = first.get((key[0], size))
            if bucket is None:
                bucket = first[(key[0], size)] = ([], [])
            bucket[0].append(key)
            bucket[1].append(target)
            if key[-1] != key[0]:
                # Keys whose ends are equal already sit in the first-character bucket.
                bucket = last.get((key[-1], size))
                if bucket is None:
                    bucket = last[(key[-1], size)] = ([], [])
                bucket[0].append(key)
                bucket[1].append(target)
        self._first = first
        self._last = last

    def _candidates(self, query: str) -> tuple[list[str], list[int]]:
        size = len(query)
        width = max(1, min(3, size // 5))
        keys: list[str] = []
        targets: list[int] = []
        head, tail = query[0], query[-1]
        for length in range(max(1, size - width), size + width + 1):
            for table, char in ((self._first, head), (self._last, tail)):
                bucket = table.get((char, length))
                if bucket is not None:
                    keys += bucket[0]
                    targets += bucket[1]
        return keys, targets

    def popularity(self, target: int) -> float:
        """Popularity of a tag in 0..1 (log of its post count over the largest).

        >>> FuzzyIndex(["a"], [0], [99]).popularity(0)
        1.0
        """
        return math.log1p(self._counts[target]) / self._log_max

    def search(self, query: str, limit: int, score_cutoff: float = 60.0) -> list[tuple[str, int, float]]:
        """Best ``(key, target, ratio)`` for ``query``, one per target, ranked by ratio plus popularity.

        >>> FuzzyIndex(["blush"], [0], [5]).search("blsuh", 1)
        [('blush', 0, 80.0)]
        """
        from rapidfuzz import fuzz, process

        if not query:
            return []
        keys, targets = self._candidates(query)
        found = process.extract(query, keys, scorer=fuzz.ratio, limit=max(20, 4 * limit), score_cutoff=score_cutoff)
        best: dict[int, tuple[float, str, float]] = {}
        for key, score, position in found:
            target = targets[position]
            rank = score + POPULARITY_WEIGHT * self.popularity(target)
            if target not in best or rank > best[target][0]:
                best[target] = (rank, key, score)
        ordered = sorted(best.items(), key=lambda item: -item[1][0])
        return [(key, target, score) for target, (_, key, score) in ordered[:limit]]
