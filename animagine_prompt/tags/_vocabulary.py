"""The tag vocabulary as sorted columns, and the compact file the bundled one ships in.

Names are kept sorted, so an exact lookup is a binary search and the qualified tags of a
character (``hu_tao_(...)``) sit side by side; nothing is split or indexed when the data is loaded
(see :mod:`._column`).
Two permutations of the typo-search keys (names and aliases) group them by length and
beginning, or ending: the candidate buckets of :mod:`._fuzzy` are slices of them.

The bundled file ``tag_data/vocabulary.bin`` is these columns laid end to end (built by
``scripts/build_tag_data.py`` from the CSVs beside it)::

    b"animagine-tags\\x00\\x01"                 magic and format version (16 bytes)
    16 x uint32                                byte length of each section, in this order:
    names       UTF-8, sorted, "\\n" between
    name_starts uint32 per name and one more: where each name starts (the last: one past the end)
    categories  1 byte per name
    counts      uint32 per name (Danbooru post count, 0 unknown)
    aliases     UTF-8, sorted, "\\n" between; an alias of several tags repeats, most posts first
    alias_starts uint32 per alias row and one more
    targets     uint32 per alias row: the name it points at
    by_first    4 sections: uint32 key ids sorted by (length, key); the labels of their runs of one
                length and first two letters (UTF-8, "\\n" between) and where each label starts;
                uint32 start of each run in the ids, and one more (see KeyOrder)
    by_last     the same 4 for the key ids sorted by (length, key read backwards)
    words       UTF-8, sorted, "\\n" between: the words of general and meta tags

Integers are little-endian, and each section starts on a multiple of 4 bytes. A key id below
``len(names)`` is a name, above it an alias row; ``/``-shortcuts are no typo keys.
"""

from __future__ import annotations

import sys
from array import array
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

from animagine_prompt.errors import TagDataError
from animagine_prompt.tags._column import StringColumn
from animagine_prompt.tags._wordlist import WordList

if TYPE_CHECKING:  # pragma: no cover
    from mmap import mmap

    from animagine_prompt.tags._loaders import Row

__all__ = ["MAGIC", "KeyOrder", "Vocabulary", "VocabularyBuilder"]

MAGIC = b"animagine-tags\x00\x03"
_SECTIONS = 16
_GENERAL, _META = 0, 5
# runs whose bounds a key order remembers before it starts again (queries of any length and prefix)
_BOUNDS_KEPT = 1 << 15


def _u32(view: memoryview) -> Sequence[int]:
    if sys.byteorder == "little":
        return view.cast("I")
    values = array("I", view)
    values.byteswap()
    return values


def _u32_bytes(values: Iterable[int]) -> bytes:
    packed = array("I", values)
    if sys.byteorder != "little":
        packed.byteswap()
    return packed.tobytes()


def _order_sections(order: KeyOrder) -> list[bytes]:
    return [
        _u32_bytes(order.ids),
        bytes(order.labels.blob),
        _u32_bytes(order.labels.offsets),
        _u32_bytes(order.starts),
    ]


def _order(parts: list[memoryview]) -> KeyOrder:
    ids, labels, label_starts, starts = parts
    return KeyOrder(_u32(ids), StringColumn(labels, _u32(label_starts)), _u32(starts))


def _words_of_tags(names: Iterable[str], categories: Sequence[int]) -> list[str]:
    words: set[str] = set()
    for name, category in zip(names, categories, strict=True):
        if category == _GENERAL or category == _META:
            words.update(name.replace("(", "_").replace(")", "_").split("_"))
    words.discard("")
    return sorted(words)


class KeyOrder:
    """Typo-search key ids in one order, (length, key) or (length, key read backwards), with the
    start of each run of keys that share their length and first two letters in that order.

    ``run(length, prefix)`` is the slice of ids whose keys have that length and begin with
    ``prefix`` (one or two letters; for the backwards order, the key's last letters reversed), found
    by a binary search of the run labels: no key is read.

    >>> order = KeyOrder.of([0, 1, 2], ["ab", "ac", "bd"])
    >>> list(order), list(order.run(2, "a")), list(order.run(2, "ac")), list(order.run(3, "a"))
    ([0, 1, 2], [0, 1], [1], [])
    """

    __slots__ = ("_bounds", "ids", "labels", "starts")

    def __init__(self, ids: Sequence[int], labels: StringColumn, starts: Sequence[int]) -> None:
        self._bounds: dict[str, tuple[int, int]] = {}
        self.ids = ids
        #: One label per run, ``chr(length + 32)`` and the first two letters (sorted as the runs are).
        self.labels = labels
        #: Where each run starts in ``ids``, and one more: ``len(ids)``.
        self.starts = starts

    @classmethod
    def of(cls, ids: Sequence[int], texts: Sequence[str]) -> KeyOrder:
        """The order of ``ids`` whose keys, as this order reads them, are ``texts`` (already sorted
        by length, then text)."""
        labels: list[str] = []
        starts = array("I")
        for position, text in enumerate(texts):
            label = _label(len(text), text[:2])
            if not labels or labels[-1] != label:
                labels.append(label)
                starts.append(position)
        starts.append(len(texts))
        return cls(array("I", ids), StringColumn.of(labels), starts)

    def __len__(self) -> int:
        return len(self.ids)

    def __iter__(self) -> Iterator[int]:
        return iter(self.ids)

    def run(self, length: int, prefix: str) -> Sequence[int]:
        """Ids of the keys of ``length`` letters that begin with ``prefix`` (in this order's reading)."""
        start, end = self.bounds(length, prefix)
        return self.ids[start:end]

    def bounds(self, length: int, prefix: str) -> tuple[int, int]:
        """Where :meth:`run` lies in :attr:`ids`: ``(start, end)``, remembered per run asked for
        (a bulk lint asks for the same few hundred runs again and again).

        >>> KeyOrder.of([0, 1, 2], ["ab", "ac", "bd"]).bounds(2, "a")
        (0, 2)
        """
        label = _label(length, prefix)
        found = self._bounds.get(label)
        if found is None:
            labels = self.labels
            lo = labels.bisect_left(label)
            hi = labels.bisect_left(label[:-1] + chr(ord(label[-1]) + 1), lo)
            if len(self._bounds) >= _BOUNDS_KEPT:
                self._bounds.clear()
            found = self._bounds[label] = (self.starts[lo], self.starts[hi])
        return found


def _label(length: int, prefix: str) -> str:
    # Offset past the control characters: a label must not hold the column's newline.
    return chr(length + 32) + prefix


class Vocabulary:
    """Tags (sorted names with category and post count) and their aliases.

    Built by :class:`VocabularyBuilder` or read with :meth:`from_bytes`; it never changes.

    >>> b = VocabularyBuilder()
    >>> b.add_rows([("green_hair", 0, 900, ("greenhair",)), ("blush", 0, 950, ())])
    >>> v = b.build()
    >>> v.find("green_hair"), v.find("greenhair"), v.alias_targets("greenhair"), len(v)
    (1, None, (1,), 2)
    >>> list(Vocabulary.from_bytes(v.to_bytes()).names) == list(v.names)
    True
    """

    __slots__ = ("_by_first", "_by_last", "_words", "aliases", "categories", "counts", "names", "targets")

    def __init__(
        self,
        names: StringColumn,
        categories: Sequence[int],
        counts: Sequence[int],
        aliases: StringColumn,
        targets: Sequence[int],
        *,
        by_first: KeyOrder | None = None,
        by_last: KeyOrder | None = None,
        words: WordList | None = None,
    ) -> None:
        #: Canonical tag names, sorted; a tag's id is its position here.
        self.names = names
        self.categories = categories
        self.counts = counts
        #: Alias names, sorted, one row per (alias, tag) pair.
        self.aliases = aliases
        self.targets = targets
        self._by_first = by_first
        self._by_last = by_last
        self._words = words

    def __len__(self) -> int:
        return len(self.names)

    # -- lookups -----------------------------------------------------------------------------

    def find(self, key: str) -> int | None:
        """The id of the tag named ``key`` (canonical), or ``None``.

        >>> v = VocabularyBuilder(); v.add_rows([("solo", 0, 5, ())]); v.build().find("solo")
        0
        """
        return self.names.find(key)

    def alias_targets(self, key: str) -> tuple[int, ...]:
        """The tags the alias ``key`` points at, most posts first; empty when it is no alias.

        >>> v = VocabularyBuilder(); v.add_rows([("a_b", 0, 1, ("ab",)), ("a_c", 0, 9, ("ab",))])
        >>> v.build().alias_targets("ab")
        (1, 0)
        """
        aliases = self.aliases
        lo = aliases.find(key)
        if lo is None:
            return ()
        hi = lo + 1
        while hi < len(aliases) and aliases[hi] == key:
            hi += 1
        return tuple(self.targets[lo:hi])

    def with_prefix(self, prefix: str) -> range:
        """Ids of the names that start with ``prefix`` (they are adjacent: names are sorted).

        >>> b = VocabularyBuilder()
        >>> b.add_rows([("kafka_(a)", 4, 1, ()), ("kafkas", 0, 1, ()), ("kafka_(b)", 4, 2, ())])
        >>> v = b.build(); [v.names[i] for i in v.with_prefix("kafka_(")]
        ['kafka_(a)', 'kafka_(b)']
        """
        names = self.names
        lo = names.bisect_left(prefix)
        hi = names.bisect_left(prefix[:-1] + chr(ord(prefix[-1]) + 1), lo) if prefix else len(names)
        return range(lo, hi)

    def aliases_by_target(self) -> dict[int, list[str]]:
        """Every alias grouped by the tag it points at.

        >>> v = VocabularyBuilder(); v.add_rows([("smile", 0, 3, ("smiling", "smiles"))])
        >>> v.build().aliases_by_target()
        {0: ['smiles', 'smiling']}
        """
        grouped: dict[int, list[str]] = {}
        for alias, target in zip(self.aliases, self.targets, strict=True):
            grouped.setdefault(target, []).append(alias)
        return grouped

    def rows(self) -> Iterator[Row]:
        """Every tag as a reader's row, with its aliases: what a merge starts from.

        >>> v = VocabularyBuilder(); v.add_rows([("smile", 0, 3, ("smiling",))]); list(v.build().rows())
        [('smile', 0, 3, ('smiling',))]
        """
        grouped = self.aliases_by_target()
        for i, name in enumerate(self.names):
            yield (name, self.categories[i], self.counts[i], tuple(grouped.get(i, ())))

    # -- typo-search keys --------------------------------------------------------------------

    def key(self, key_id: int) -> str:
        """The typo-search key ``key_id``: a name, or past the names an alias row.

        >>> v = VocabularyBuilder(); v.add_rows([("smile", 0, 3, ("smiling",))]); v = v.build()
        >>> v.key(0), v.key(1), v.target(1)
        ('smile', 'smiling', 0)
        """
        n = len(self.names)
        return self.names[key_id] if key_id < n else self.aliases[key_id - n]

    def keys_of(self, key_ids: Sequence[int]) -> list[str]:
        """The typo-search keys ``key_ids``, in order: ``[key(i) for i in key_ids]``, faster.

        >>> v = VocabularyBuilder(); v.add_rows([("smile", 0, 3, ("smiling",))]); v.build().keys_of([1, 0])
        ['smiling', 'smile']
        """
        n = len(self.names)
        if all(i < n for i in key_ids):
            return self.names.items_at(key_ids)
        names = self.names.items_at([i for i in key_ids if i < n])
        aliases = self.aliases.items_at([i - n for i in key_ids if i >= n])
        name_iter, alias_iter = iter(names), iter(aliases)
        return [next(name_iter) if i < n else next(alias_iter) for i in key_ids]

    def target(self, key_id: int) -> int:
        """The tag id a typo-search key stands for (see :meth:`key`).

        >>> v = VocabularyBuilder(); v.add_rows([("smile", 0, 3, ())]); v.build().target(0)
        0
        """
        n = len(self.names)
        return key_id if key_id < n else self.targets[key_id - n]

    def _key_orders(self) -> tuple[KeyOrder, KeyOrder]:
        # Keys are unique, so sorting by key and then (stably) by length orders by (length, key).
        keys = self.names.as_list() + self.aliases.as_list()
        lengths = [len(k) for k in keys]
        backwards = [k[::-1] for k in keys]
        orders = []
        for text in (keys, backwards):
            ids = self._key_ids()
            ids.sort(key=text.__getitem__)
            ids.sort(key=lengths.__getitem__)
            orders.append(KeyOrder.of(ids, [text[i] for i in ids]))
        return orders[0], orders[1]

    def _key_ids(self) -> list[int]:
        n = len(self.names)
        ids = list(range(n))
        previous = None
        for row, alias in enumerate(self.aliases):
            # One key per alias (its first row is its most popular tag); shortcuts are no words.
            if alias != previous and not alias.startswith("/"):
                ids.append(n + row)
            previous = alias
        return ids

    @property
    def by_first(self) -> KeyOrder:
        """Typo-search key ids sorted by (length, key): one run per (length, beginning).

        >>> v = VocabularyBuilder(); v.add_rows([("bb", 0, 1, ()), ("a", 0, 1, ("ab",))]); v = v.build()
        >>> [v.key(i) for i in v.by_first]
        ['a', 'ab', 'bb']
        """
        if self._by_first is None:
            self._by_first, self._by_last = self._key_orders()
        return self._by_first

    @property
    def by_last(self) -> KeyOrder:
        """Typo-search key ids sorted by (length, key read backwards): one run per (length, ending).

        >>> v = VocabularyBuilder(); v.add_rows([("ab", 0, 1, ()), ("ba", 0, 1, ()), ("ca", 0, 1, ())]); v = v.build()
        >>> [v.key(i) for i in v.by_last]
        ['ba', 'ca', 'ab']
        """
        if self._by_last is None:
            self._by_first, self._by_last = self._key_orders()
        return self._by_last

    @property
    def words(self) -> WordList:
        """The words that general and meta tags are made of (``long``, ``hair``, ``thighhighs``).

        >>> v = VocabularyBuilder(); v.add_rows([("long_hair", 0, 1, ()), ("hu_tao_(genshin_impact)", 4, 1, ())])
        >>> "hair" in v.build().words, "tao" in v.build().words
        (True, False)
        """
        if self._words is None:
            self._words = WordList("\n".join(_words_of_tags(self.names, self.categories)).encode())
        return self._words

    # -- the file ----------------------------------------------------------------------------

    def to_bytes(self) -> bytes:
        """The compact file form (see the module docstring); the same data gives the same bytes.

        >>> b = VocabularyBuilder(); b.add_rows([("solo", 0, 5, ())]); b.build().to_bytes()[:14]
        b'animagine-tags'
        """
        if any(not 0 <= c < 256 for c in self.categories):
            raise ValueError("the file stores categories 0-255 only")
        sections = [
            bytes(self.names.blob),
            _u32_bytes(self.names.offsets),
            bytes(array("B", self.categories)),
            _u32_bytes(self.counts),
            bytes(self.aliases.blob),
            _u32_bytes(self.aliases.offsets),
            _u32_bytes(self.targets),
            *_order_sections(self.by_first),
            *_order_sections(self.by_last),
            "\n".join(_words_of_tags(self.names, self.categories)).encode(),
        ]
        out = [MAGIC, _u32_bytes(len(s) for s in sections)]
        for section in sections:
            out.append(section + b"\0" * (-len(section) % 4))
        return b"".join(out)

    @classmethod
    def from_bytes(cls, data: bytes | mmap) -> Vocabulary:
        """Read the compact file form (bytes, or a mapped file: the columns are views of it, so
        only the parts used are read); a file that is not one raises ``TagDataError``.

        >>> Vocabulary.from_bytes(b"nonsense")
        Traceback (most recent call last):
        ...
        animagine_prompt.errors.TagDataError: not a tag vocabulary file of this version: reinstall animagine-prompt
        """
        header = len(MAGIC) + 4 * _SECTIONS
        if len(data) < header or data[: len(MAGIC)] != MAGIC:
            raise TagDataError("not a tag vocabulary file of this version: reinstall animagine-prompt")
        view = memoryview(data)
        sizes = _u32(view[len(MAGIC) : header])
        parts = []
        start = header
        for size in sizes:
            parts.append(view[start : start + size])
            start += size + (-size % 4)
        if start != len(data):
            raise TagDataError("the tag vocabulary file is damaged: reinstall animagine-prompt")
        names, name_starts, categories, counts, aliases, alias_starts, targets = parts[:7]
        by_first, by_last, words = _order(parts[7:11]), _order(parts[11:15]), parts[15]
        return cls(
            StringColumn(names, _u32(name_starts)),
            categories,
            _u32(counts),
            StringColumn(aliases, _u32(alias_starts)),
            _u32(targets),
            by_first=by_first,
            by_last=by_last,
            words=WordList(bytes(words)),
        )


class VocabularyBuilder:
    """Merges rows from several sources; a later row updates what it states and adds aliases.

    >>> b = VocabularyBuilder()
    >>> b.add_rows([("solo", 0, 5, ())]); b.add_rows([("solo", None, 7, ("alone",))])
    >>> list(b.build().rows())
    [('solo', 0, 7, ('alone',))]
    """

    def __init__(self) -> None:
        self._tags: dict[str, list[int]] = {}
        self._aliases: dict[str, list[str]] = {}
        #: How many rows changed what the builder held (a new tag or alias, another value).
        self.changes = 0

    @classmethod
    def starting_from(cls, vocabulary: Vocabulary) -> VocabularyBuilder:
        """A builder holding ``vocabulary``, to merge more rows over it; ``changes`` starts at 0.

        >>> b = VocabularyBuilder(); b.add_rows([("solo", 0, 5, ("alone",))])
        >>> again = VocabularyBuilder.starting_from(b.build())
        >>> again.add_rows([("solo", 0, 5, ("alone", "solo"))]); again.changes
        0
        """
        builder = cls()
        names = vocabulary.names
        builder._tags = {n: [c, k] for n, c, k in zip(names, vocabulary.categories, vocabulary.counts, strict=True)}
        for alias, target in zip(vocabulary.aliases, vocabulary.targets, strict=True):
            builder._aliases.setdefault(alias, []).append(names[target])
        return builder

    def __contains__(self, name: object) -> bool:
        return name in self._tags

    def add_rows(self, rows: Iterable[Row]) -> None:
        """Merge ``rows``: a new name is added (unknown category 0, count 0), a known one updated."""
        tags, aliases = self._tags, self._aliases
        changes = 0
        for name, category, count, row_aliases in rows:
            fields = tags.get(name)
            if fields is None:
                tags[name] = [0 if category is None else category, 0 if count is None else count]
                changes += 1
            else:
                if category is not None and fields[0] != category:
                    fields[0] = category
                    changes += 1
                if count is not None and fields[1] != count:
                    fields[1] = count
                    changes += 1
            for alias in row_aliases:
                targets = aliases.get(alias)
                if targets is None:
                    aliases[alias] = [name]
                elif name in targets:
                    continue
                else:
                    targets.append(name)
                # An alias spelt like a tag is dropped by build(): no change.
                changes += alias not in tags
        self.changes += changes

    def build(self) -> Vocabulary:
        """The merged vocabulary. An alias spelt like a tag is dropped: the tag wins."""
        names = sorted(self._tags)
        index = {name: i for i, name in enumerate(names)}
        categories = array("q", (self._tags[n][0] for n in names))
        counts = array("q", (self._tags[n][1] for n in names))
        rows: list[tuple[str, int, int]] = []
        for alias, target_names in self._aliases.items():
            if alias in index:
                continue
            ids = sorted({index[t] for t in target_names}, key=lambda t: (-counts[t], t))
            rows.extend((alias, rank, t) for rank, t in enumerate(ids))
        rows.sort()
        aliases = StringColumn.of([r[0] for r in rows])
        return Vocabulary(StringColumn.of(names), categories, counts, aliases, array("I", (r[2] for r in rows)))
