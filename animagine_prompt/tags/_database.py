"""The tag database: bundled vocabulary merged with user files, and the lookup pipeline
exact -> alias -> character without qualifier -> fuzzy."""

from __future__ import annotations

import csv
import functools
import math
from array import array
from collections.abc import Iterable, Sequence
from pathlib import Path

from animagine_prompt.errors import TagDataError
from animagine_prompt.tags._fuzzy import FuzzyIndex, typo_confidence
from animagine_prompt.tags._loaders import Row, read_rows, read_tag_file
from animagine_prompt.tags._model import Category, Match, SpecialTag
from animagine_prompt.tags._normalize import canonical

__all__ = ["TagDatabase", "load_database"]

_MISSING = object()
_MEMO_SIZE = 1 << 16

# Bundled files, in merge order (later files win on the same tag).
_BUNDLED_FILES = ("selected_tags.csv", "meta-tags.csv", "aliases.csv")


def _data_dir() -> Path:
    from animagine_prompt._resources import data_dir

    return data_dir("tag_data")


def _read_word_file(name: str) -> frozenset[str]:
    path = _data_dir() / name
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(s for s in (line.strip() for line in lines) if s and not s.startswith("#"))


@functools.cache
def _special_tags() -> dict[str, SpecialTag]:
    path = _data_dir() / "animagine.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return {
        r["tag"]: SpecialTag(r["tag"], r["kind"], int(r["rank"]), r["criterion"])  # type: ignore[arg-type]
        for r in rows
    }


@functools.cache
def _explicit_words() -> frozenset[str]:
    return _read_word_file("explicit-words.txt")


@functools.cache
def _prose_words() -> frozenset[str]:
    return _read_word_file("prose-words.txt")


@functools.cache
def _bundled_rows() -> tuple[tuple[Row, ...], ...]:
    return tuple(tuple(read_rows(_data_dir() / name)) for name in _BUNDLED_FILES)


class _Builder:
    """Accumulates rows from several sources; a later row updates what it states."""

    def __init__(self) -> None:
        self.names: list[str] = []
        self.categories = array("h")
        self.counts = array("q")
        self.index: dict[str, int] = {}
        self.aliases: dict[str, list[int]] = {}

    def add_rows(self, rows: Iterable[Row]) -> None:
        index, names, categories, counts, aliases = (
            self.index,
            self.names,
            self.categories,
            self.counts,
            self.aliases,
        )
        for name, category, count, row_aliases in rows:
            i = index.get(name)
            if i is None:
                i = index[name] = len(names)
                names.append(name)
                categories.append(category if category is not None else 0)
                counts.append(count if count is not None else 0)
            else:
                if category is not None:
                    categories[i] = category
                if count is not None:
                    counts[i] = count
            for alias in row_aliases:
                targets = aliases.get(alias)
                if targets is None:
                    aliases[alias] = [i]
                elif i not in targets:
                    targets.append(i)

    def build(self, sources: tuple[str, ...]) -> TagDatabase:
        for tag in _special_tags():
            if tag not in self.index:
                self.add_rows([(tag, int(Category.META), 0, ())])
        counts = self.counts
        aliases: dict[str, tuple[int, ...]] = {}
        for alias, targets in self.aliases.items():
            if alias in self.index:
                continue  # the exact tag wins over an alias spelt the same
            aliases[alias] = tuple(sorted(targets, key=lambda t: -counts[t]))
        return TagDatabase(self.names, self.categories, counts, self.index, aliases, sources)


class TagDatabase:
    """Tags with their category, post count and aliases, and the lookups the linter needs.

    Build one with :func:`load_database`. The database never changes after it is built; the
    indexes for character names and typos are made on first use.

    >>> db = load_database()
    >>> db.lookup("blond hair").tag, db.lookup("blond hair").how
    ('blonde_hair', 'alias')
    >>> db.category_of("hu tao"), db.category_of("a girl standing in the rain")
    (4, None)
    """

    def __init__(
        self,
        names: list[str],
        categories: Sequence[int],
        counts: Sequence[int],
        index: dict[str, int],
        aliases: dict[str, tuple[int, ...]],
        sources: tuple[str, ...],
        *,
        hide_explicit: bool = False,
    ) -> None:
        self._names = names
        self._categories = categories
        self._counts = counts
        self._index = index
        self._aliases = aliases
        self._special = _special_tags()
        self._explicit_words = _explicit_words()
        self._hide_explicit = hide_explicit
        self._exact_cache: dict[int, Match] = {}
        # Prompts repeat the same items, so results are remembered by input text.
        self._memo: dict[str, object] = {}
        self._bases: dict[str, tuple[int, ...]] | None = None
        self._fuzzy: FuzzyIndex | None = None
        self._known_words: frozenset[str] | None = None
        #: Where the data came from: ``"bundled"`` and the paths of user files, in merge order.
        self.sources = sources

    # -- basic facts -------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._names)

    def __contains__(self, text: object) -> bool:
        return isinstance(text, str) and canonical(text) in self._index

    def __repr__(self) -> str:
        return f"<TagDatabase {len(self)} tags from {', '.join(self.sources) or 'nothing'}>"

    def is_explicit(self, tag: str) -> bool:
        """Whether a canonical tag is sexually explicit (a word of it is on the bundled list).

        >>> db = load_database()
        >>> db.is_explicit("after_sex"), db.is_explicit("green_hair")
        (True, False)
        """
        if "(" in tag or ")" in tag:
            tag = tag.replace("(", "_").replace(")", "_")
        return not self._explicit_words.isdisjoint(tag.split("_"))

    def without_explicit(self) -> TagDatabase:
        """The same data, but suggestions, searches, character guesses and typo corrections
        never offer an explicit tag. Exact and alias lookups still recognise them, so a tag the
        user wrote is never reported unknown or "corrected" into something else.

        >>> db = load_database().without_explicit()
        >>> db.lookup("after sex").tag, [m.tag for m in db.search("sex", limit=50) if m.explicit]
        ('after_sex', [])
        """
        return TagDatabase(
            self._names,
            self._categories,
            self._counts,
            self._index,
            self._aliases,
            self.sources,
            hide_explicit=True,
        )

    def special_tags(self) -> tuple[SpecialTag, ...]:
        """Animagine XL 2.0's quality and rating tags, best quality first.

        >>> [s.tag for s in load_database().special_tags()][:3]
        ['masterpiece', 'best_quality', 'high_quality']
        """
        return tuple(sorted(self._special.values(), key=lambda s: (s.kind != "quality", s.rank)))

    def aliases_of(self, tag: str) -> tuple[str, ...]:
        """The aliases that point at ``tag`` (any form), shortcuts such as ``/lh`` excluded.

        >>> load_database().aliases_of("twintails")
        ('twin_tail', 'twin_tails', 'twintail')
        """
        i = self._index.get(canonical(tag))
        if i is None:
            return ()
        return tuple(sorted(a for a, t in self._aliases.items() if i in t and not a.startswith("/")))

    # -- lookups -----------------------------------------------------------------------------

    def _match(self, i: int, how: str, confidence: float) -> Match:
        name = self._names[i]
        return Match(
            name,
            self._categories[i],
            self._counts[i],
            how,
            confidence,  # type: ignore[arg-type]
            self._special.get(name),
            self.is_explicit(name),
        )

    def _exact(self, i: int) -> Match:
        match = self._exact_cache.get(i)
        if match is None:
            match = self._exact_cache[i] = self._match(i, "exact", 1.0)
        return match

    def _character_bases(self) -> dict[str, tuple[int, ...]]:
        if self._bases is None:
            bases: dict[str, list[int]] = {}
            character = int(Category.CHARACTER)
            for i, (name, category) in enumerate(zip(self._names, self._categories, strict=True)):
                if category == character:
                    cut = name.find("_(")
                    if cut > 0:
                        bases.setdefault(name[:cut], []).append(i)
            counts = self._counts
            self._bases = {b: tuple(sorted(ids, key=lambda t: -counts[t])) for b, ids in bases.items()}
        return self._bases

    def _resolve(self, key: str) -> Match | None:
        i = self._index.get(key)
        if i is not None:
            return self._exact(i)
        targets = self._aliases.get(key)
        if targets is not None:
            return self._match(targets[0], "alias", self._share(targets))
        if "_(" not in key and key:
            candidates = self._character_bases().get(key)
            if candidates and self._hide_explicit:
                candidates = tuple(t for t in candidates if not self.is_explicit(self._names[t]))
            if candidates:
                # Sure when one series dominates: "kafka" is the Honkai: Star Rail one.
                return self._match(candidates[0], "character", 0.5 + 0.45 * self._share(candidates))
        return None

    def _share(self, targets: Sequence[int]) -> float:
        if len(targets) == 1:
            return 1.0
        total = sum(self._counts[t] for t in targets)
        return self._counts[targets[0]] / total if total else 1.0 / len(targets)

    def _fuzzy_index(self) -> FuzzyIndex:
        if self._fuzzy is None:
            keys = list(self._names)
            targets = list(range(len(keys)))
            for alias, ids in self._aliases.items():
                if not alias.startswith("/"):
                    keys.append(alias)
                    targets.append(ids[0])
            self._fuzzy = FuzzyIndex(keys, targets, self._counts)
        return self._fuzzy

    def _words(self) -> frozenset[str]:
        if self._known_words is None:
            # Words of general and meta tags are real words; artist and character names are not.
            plain = (int(Category.GENERAL), int(Category.META))
            words = set(_prose_words())
            for name, category in zip(self._names, self._categories, strict=True):
                if category in plain:
                    words.update(name.replace("(", "_").replace(")", "_").split("_"))
            words.discard("")
            self._known_words = frozenset(words)
        return self._known_words

    def _fuzzy_matches(self, key: str, limit: int) -> list[Match]:
        found = self._fuzzy_index().search(key, limit + 1)
        known = self._words()
        matches = []
        for position, (candidate, target, score) in enumerate(found):
            confidence = typo_confidence(key, candidate, score, known)
            if position == 0 and confidence >= 0.8 and len(found) > 1:
                # Ambiguous when the runner-up is as good a correction.
                other_key, other, other_score = found[1]
                index = self._fuzzy_index()
                gap = (score + 2 * index.popularity(target)) - (other_score + 2 * index.popularity(other))
                if gap < 3 and typo_confidence(key, other_key, other_score, known) >= 0.8:
                    confidence = 0.7
            matches.append(self._match(target, "fuzzy", confidence))
        return matches

    def lookup(self, text: str) -> Match | None:
        """What ``text`` (one prompt item, any form) refers to, or ``None`` when unknown.

        Tries the exact tag, then an alias, then a character name without its series qualifier,
        then a typo correction, which is returned only when it is confident; prose such as
        ``a girl standing in the rain`` comes back ``None``. A sentence's final period is ignored.

        >>> db = load_database()
        >>> for text in ["Green_Hair", "twin tails", "kafka", "gren hair"]:
        ...     print(db.lookup(text).how, db.lookup(text).tag)
        exact green_hair
        alias twintails
        character kafka_(honkai:_star_rail)
        fuzzy green_hair
        >>> db.lookup("highly detailed") is None
        True
        """
        memo = self._memo
        match = memo.get(text, _MISSING)
        if match is _MISSING:
            match = self._lookup(text)
            if len(memo) >= _MEMO_SIZE:
                memo.clear()
            memo[text] = match
        return match  # type: ignore[return-value]

    def _lookup(self, text: str) -> Match | None:
        key = canonical(text)
        match = self._resolve(key)
        if match is not None:
            return match
        if key.endswith(".") and len(key) > 1:
            key = key.rstrip(".")
            match = self._resolve(key)
            if match is not None:
                return match
        if len(key) < 4:
            return None
        found = self._fuzzy_matches(key, 1)
        if found and found[0].confident and not (self._hide_explicit and found[0].explicit):
            return found[0]
        return None

    def lookup_many(self, texts: Iterable[str]) -> list[Match | None]:
        """:meth:`lookup` for many items; repeated items are looked up once.

        >>> [m and m.tag for m in load_database().lookup_many(["1girl", "solo", "1girl", "zzzz"])]
        ['1girl', 'solo', '1girl', None]
        """
        seen: dict[str, Match | None] = {}
        out = []
        for text in texts:
            if text in seen:
                out.append(seen[text])
            else:
                out.append(seen.setdefault(text, self.lookup(text)))
        return out

    def category_of(self, text: str) -> int | None:
        """The category of the tag ``text`` names (exact, alias or character), else ``None``.

        Typo corrections do not count: the category of a guess is not the item's.

        >>> db = load_database()
        >>> db.category_of("masterpiece"), db.category_of("highres"), db.category_of("gren hair")
        (5, 5, None)
        """
        match = self._resolve(canonical(text))
        return None if match is None else match.category

    def suggest(self, text: str, limit: int = 5) -> list[Match]:
        """Up to ``limit`` tags ``text`` may mean, best first: what :meth:`lookup` resolves, then
        near matches ranked by similarity and popularity, each with its own confidence.

        >>> [m.tag for m in load_database().suggest("blsuh", 2)]
        ['blush', 'bush']
        """
        key = canonical(text)
        if not key:
            return []
        out: list[Match] = []
        first = self._resolve(key)
        if first is not None and not (self._hide_explicit and first.explicit and first.how == "character"):
            out.append(first)
        for match in self._fuzzy_matches(key, limit + 1):
            if self._hide_explicit and match.explicit:
                continue
            if all(m.tag != match.tag for m in out):
                out.append(match)
        return out[:limit]

    def search(self, query: str, limit: int = 20, category: int | None = None) -> list[Match]:
        """Tags whose name or alias contains ``query``, most popular first, then near matches.

        ``how`` is ``exact`` for the tag itself, ``alias`` when only an alias contains the
        query, ``fuzzy`` for a containing name or a near match; ``confidence`` is the share of the
        name the query covers.

        >>> [m.tag for m in load_database().search("twin", limit=3)]
        ['twintails', 'twin_braids', 'low_twintails']
        """
        key = canonical(query)
        if not key:
            return []
        hits: dict[int, Match] = {}
        for i, name in enumerate(self._names):
            if key in name and (category is None or self._categories[i] == category):
                how = "exact" if name == key else "fuzzy"
                hits[i] = self._match(i, how, len(key) / len(name))
        for alias, targets in self._aliases.items():
            if key in alias and not alias.startswith("/"):
                i = targets[0]
                if i not in hits and (category is None or self._categories[i] == category):
                    hits[i] = self._match(i, "alias", len(key) / len(alias))
        ranked = sorted(
            (m for m in hits.values() if not (self._hide_explicit and m.explicit)),
            key=lambda m: (m.how != "exact", -math.log1p(m.post_count)),
        )
        if len(ranked) < limit:
            for match in self._fuzzy_matches(key, limit):
                if category is not None and match.category != category:
                    continue
                if all(m.tag != match.tag for m in ranked) and not (self._hide_explicit and match.explicit):
                    ranked.append(match)
        return ranked[:limit]


@functools.cache
def _bundled_database() -> TagDatabase:
    builder = _Builder()
    for rows in _bundled_rows():
        builder.add_rows(rows)
    return builder.build(("bundled",))


_USER_CACHE: dict[tuple[object, ...], TagDatabase] = {}
_USER_CACHE_SIZE = 4


def load_database(paths: Iterable[str | Path] = (), *, bundled: bool = True) -> TagDatabase:
    """The bundled tags merged with the user's tag files (later files win on the same tag).

    Files are read by :func:`read_tag_file`; a malformed one raises ``TagDataError`` naming
    file and line. The result is cached per process, keyed by the files' paths, sizes and
    modification times, so a changed file is read again.

    >>> db = load_database()
    >>> db is load_database(), len(db) > 10_000
    (True, True)
    """
    files = tuple(Path(p) for p in paths)
    if not files and bundled:
        return _bundled_database()
    key: list[object] = [bundled]
    for file in files:
        try:
            stat = file.stat()
        except OSError:
            read_tag_file(file)  # raises the error that says what is wrong with the path
            raise TagDataError("cannot read tag file", path=file) from None
        key.append((str(file.resolve()), stat.st_size, stat.st_mtime_ns))
    cache_key = tuple(key)
    cached = _USER_CACHE.get(cache_key)
    if cached is not None:
        return cached
    builder = _Builder()
    if bundled:
        for rows in _bundled_rows():
            builder.add_rows(rows)
    for file in files:
        builder.add_rows(read_rows(file))
    sources = (("bundled",) if bundled else ()) + tuple(str(f) for f in files)
    database = builder.build(sources)
    if len(_USER_CACHE) >= _USER_CACHE_SIZE:
        _USER_CACHE.pop(next(iter(_USER_CACHE)))
    _USER_CACHE[cache_key] = database
    return database
