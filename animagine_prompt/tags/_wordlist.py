"""A sorted word list that answers membership without being indexed first.

A lint run on one prompt asks about a handful of words, so the UTF-8 text is binary-searched
where it lies (not even decoded); once the list has been asked often enough for a set to pay off,
the set is built.
"""

from __future__ import annotations

__all__ = ["WordList"]

# A search in place costs about 1/500 of building the set of 80,000 words.
_SEARCHES_BEFORE_SET = 500


class WordList:
    """Words, one per line of UTF-8 ``data``, sorted (as Python sorts strings), for ``word in words``.

    >>> words = WordList(b"blue\\ncaf\\xc3\\xa9\\ngreen\\n")
    >>> "green" in words, "gre" in words, "een\\nb" in words, "café" in words, "blue" in words
    (True, False, False, True, True)
    """

    __slots__ = ("_data", "_searches", "_set")

    def __init__(self, data: bytes) -> None:
        self._data = data if not data or data.endswith(b"\n") else data + b"\n"
        self._set: frozenset[str] | None = None
        self._searches = 0

    def __contains__(self, word: object) -> bool:
        if not isinstance(word, str) or not word or "\n" in word:
            return False
        if self._set is None:
            self._searches += 1
            if self._searches <= _SEARCHES_BEFORE_SET:
                return self._search(word.encode("utf-8", "surrogatepass"))  # a lone surrogate matches no word
            self._set = self.as_set()
        return word in self._set

    def _search(self, target: bytes) -> bool:
        # Binary search over byte positions: each probe reads the line around the midpoint.
        # UTF-8 bytes sort as the code points they encode, so the order is the strings' order.
        data = self._data
        lo, hi = 0, len(data)
        while lo < hi:
            mid = (lo + hi) >> 1
            start = data.rfind(b"\n", 0, mid) + 1
            end = data.find(b"\n", start)
            line = data[start:end]
            if line < target:
                lo = end + 1
            elif line > target:
                hi = start
            else:
                return True
        return False

    def as_set(self) -> frozenset[str]:
        """Every word, as a set.

        >>> sorted(WordList(b"a\\nb\\n").as_set())
        ['a', 'b']
        """
        return frozenset(self._data.decode().split("\n")) - {""}
