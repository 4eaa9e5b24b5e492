"""A sorted column of strings kept as one UTF-8 block, searched without being split.

Splitting 140,000 names into Python strings costs more than everything else a lint run on one
prompt does with the vocabulary, so a column is searched in place (a binary search over byte
slices) and becomes a list when something walks all of it (a search, a merge) or once it has been
searched often enough for a list and a dict of it to pay off (a bulk lint).
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Sequence
from itertools import accumulate
from typing import overload

__all__ = ["StringColumn"]

# One search in place costs about 1/2000 of splitting a 140,000-item column.
_SEARCHES_IN_PLACE = 2000


class StringColumn(Sequence[str]):
    """Sorted strings: ``blob`` holds them joined by newlines, ``offsets[i]`` is where item ``i``
    starts (``len(items) + 1`` offsets: the last is one past the end).

    >>> column = StringColumn.of(["blush", "green_hair", "smile"])
    >>> column[1], len(column), column.bisect_left("grey"), column.find("smile"), column.find("sm")
    ('green_hair', 3, 2, 2, None)
    >>> again = StringColumn(column.blob, column.offsets)
    >>> again.find("blush"), list(again)
    (0, ['blush', 'green_hair', 'smile'])
    """

    __slots__ = ("_index", "_items", "_searches", "blob", "offsets")

    def __init__(self, blob: bytes | memoryview, offsets: Sequence[int], items: list[str] | None = None) -> None:
        # A memoryview lets the column live in a mapped file: only the pages searched are read.
        self.blob = blob
        self.offsets = offsets
        self._items = items
        self._index: dict[str, int] | None = None
        self._searches = 0

    @classmethod
    def of(cls, items: list[str]) -> StringColumn:
        """The column of ``items``, which must be sorted and free of newlines."""
        encoded = [s.encode() for s in items]
        offsets = array("I", [0])
        offsets.extend(accumulate(len(b) + 1 for b in encoded))
        return cls(b"\n".join(encoded), offsets, items)

    def __len__(self) -> int:
        return len(self.offsets) - 1

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> list[str]: ...

    def __getitem__(self, index: int | slice) -> str | list[str]:
        if self._items is not None or isinstance(index, slice):
            return self.as_list()[index]
        if index < 0:
            index += len(self)
        offsets = self.offsets
        return str(self.blob[offsets[index] : offsets[index + 1] - 1], "utf-8")

    def items_at(self, positions: Iterable[int]) -> list[str]:
        """The items at ``positions``: what ``[column[i] for i in positions]`` gives, faster.

        >>> StringColumn(b"a\\nbb\\nc", array("I", [0, 2, 5, 7])).items_at([2, 0])
        ['c', 'a']
        """
        if self._items is not None:
            return list(map(self._items.__getitem__, positions))
        blob, offsets = self.blob, self.offsets
        return [str(blob[offsets[i] : offsets[i + 1] - 1], "utf-8") for i in positions]

    def __iter__(self) -> Iterator[str]:
        return iter(self.as_list())

    def as_list(self) -> list[str]:
        """Every item, as a list (made once, on first use).

        >>> StringColumn.of([]).as_list(), StringColumn(b"a\\nb", array("I", [0, 2, 4])).as_list()
        ([], ['a', 'b'])
        """
        if self._items is None:
            self._items = str(self.blob, "utf-8").split("\n") if len(self) else []
        return self._items

    def bisect_left(self, key: str, lo: int = 0, hi: int | None = None) -> int:
        """Where ``key`` would go among the items (the first position whose item is not smaller)."""
        if hi is None:
            hi = len(self)
        if self._items is None:
            self._count_search()
        if self._items is not None:
            return bisect_left(self._items, key, lo, hi)
        # UTF-8 bytes sort as the code points they encode, so bytes compare as the strings would.
        target, blob, offsets = key.encode(), self.blob, self.offsets
        while lo < hi:
            mid = (lo + hi) >> 1
            if bytes(blob[offsets[mid] : offsets[mid + 1] - 1]) < target:
                lo = mid + 1
            else:
                hi = mid
        return lo

    def _count_search(self) -> None:
        self._searches += 1
        if self._searches > _SEARCHES_IN_PLACE:
            items = self.as_list()
            # The first position of each item: reversed, so an earlier duplicate overwrites a later one.
            self._index = dict(zip(reversed(items), range(len(items) - 1, -1, -1), strict=True))

    def find(self, key: str) -> int | None:
        """The first position of ``key``, or ``None``."""
        if self._index is None:
            self._count_search()
        if self._index is not None:
            return self._index.get(key)
        i = self.bisect_left(key)
        return i if i < len(self) and self[i] == key else None
