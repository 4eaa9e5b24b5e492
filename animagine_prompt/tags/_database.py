"""The tag database: the bundled vocabulary merged with user files, and the lookup pipeline
exact -> alias -> character without qualifier -> fuzzy."""

from __future__ import annotations

import functools
import re
from collections.abc import Container, Iterable, Sequence
from pathlib import Path

from animagine_prompt.errors import TagDataError
from animagine_prompt.tags._bundled import bundled_vocabulary, explicit_words, special_tags
from animagine_prompt.tags._complete import Completion, prefix_ranked
from animagine_prompt.tags._english import is_english_word, is_prose, words_of
from animagine_prompt.tags._fuzzy import FuzzyIndex, typo_confidence
from animagine_prompt.tags._model import CONFIDENT, Category, How, Match, SpecialTag
from animagine_prompt.tags._normalize import canonical
from animagine_prompt.tags._vocabulary import Vocabulary

__all__ = ["TagDatabase", "load_database"]

_MISSING = object()
_MEMO_SIZE = 1 << 16
_QUALIFIER = re.compile(r"_\(([^()]*)\)")
_ONE_WORD = re.compile(r"[^\W_]+")
# Whole items in other tools' syntax, left alone: a dynamic-prompts wildcard (`__season__`) and a
# NovelAI emphasis group (`{crown}`), which no tag lookup should "correct".
_OTHER_SYNTAX = re.compile(r"__[^_].*__|\{.*\}")
_NAME_CATEGORIES = frozenset({int(Category.ARTIST), int(Category.CHARACTER)})
# Fewest posts of a character guessed from a bare name when the prompt does not name its series.
_GUESS_POSTS = 1000
# Near matches a completion offers must beat this confidence: below it they are mostly noise
# (`blond h` is not `blend s`).
_FUZZY_FLOOR = 0.6


_MAX_RESPACED_WORDS = 12

class _KnownWords:
    """Words an author writes on purpose: English, and the words general tags are made of."""

    __slots__ = ("_tag_words",)

    def __init__(self, tag_words: Container[str]) -> None:
        self._tag_words = tag_words

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and (word in self._tag_words or is_english_word(word))


class TagDatabase:
    """Tags with their category, post count and aliases, and the lookups the linter needs.

    Build one with :func:`load_database`. The database never changes after it is built; the
    typo index is made on first use.

    >>> db = load_database()
    >>> db.lookup("blond hair").tag, db.lookup("blond hair").how
    ('blonde_hair', 'alias')
    >>> db.category_of("hu tao"), db.category_of("a girl standing in the rain")
    (4, None)
    """

    def __init__(self, vocabulary: Vocabulary, sources: tuple[str, ...], *, hide_explicit: bool = False) -> None:
        self._vocabulary = vocabulary
        self._names = vocabulary.names
        self._categories = vocabulary.categories
        self._counts = vocabulary.counts
        self._special = special_tags()
        self._explicit_words = explicit_words()
        self._hide_explicit = hide_explicit
        self._exact_cache: dict[int, Match] = {}
        # Prompts repeat the same items, so results are remembered by input text (and series).
        self._memo: dict[object, Match | None] = {}
        self._resolved: dict[str, Match | None] = {}
        self._fuzzy: FuzzyIndex | None = None
        self._known_words = _KnownWords(vocabulary.words)
        #: Where the data came from: ``"bundled"`` and the paths of user files, in merge order.
        self.sources = sources

    # -- basic facts -------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._names)

    def __contains__(self, text: object) -> bool:
        return isinstance(text, str) and self._vocabulary.find(canonical(text)) is not None

    def __repr__(self) -> str:
        return f"<TagDatabase {len(self)} tags from {', '.join(self.sources) or 'nothing'}>"

    @functools.cached_property
    def longest_key(self) -> int:
        """The length of the longest tag or alias name: a longer key is neither, whatever it says.

        >>> load_database().longest_key > len("hu_tao_(genshin_impact)")
        True
        """
        vocabulary = self._vocabulary
        return max(max(map(len, vocabulary.names), default=0), max(map(len, vocabulary.aliases), default=0))

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
        return TagDatabase(self._vocabulary, self.sources, hide_explicit=True)

    def special_tags(self) -> tuple[SpecialTag, ...]:
        """Animagine XL 2.0's quality and rating tags, best quality first.

        >>> [s.tag for s in load_database().special_tags()][:3]
        ['masterpiece', 'best_quality', 'high_quality']
        """
        return tuple(sorted(self._special.values(), key=lambda s: (s.kind != "quality", s.rank)))

    def aliases_of(self, tag: str) -> tuple[str, ...]:
        """The aliases that point at ``tag`` (any form), shortcuts such as ``/lh`` excluded.

        >>> load_database().aliases_of("twintails")
        ('twin_tail', 'twin_tails', 'twintaiks', 'twintail')
        """
        i = self._vocabulary.find(canonical(tag))
        if i is None:
            return ()
        vocabulary = self._vocabulary
        found = {a for a, t in zip(vocabulary.aliases, vocabulary.targets, strict=True) if t == i}
        return tuple(sorted(a for a in found if not a.startswith("/")))

    def series_in(self, texts: Iterable[str]) -> frozenset[str]:
        """The series (copyrights) that prompt items name: copyright tags, and the qualifiers of
        qualified character tags. Pass it to :meth:`lookup` as ``series``.

        >>> sorted(load_database().series_in(["1girl", "genshin impact", r"kafka \\(honkai: star rail\\)"]))
        ['genshin_impact', 'honkai:_star_rail']
        """
        found: set[str] = set()
        for text in texts:
            i = self._tag_id(canonical(text))
            if i is None:
                continue
            category = self._categories[i]
            if category == Category.COPYRIGHT:
                found.add(self._names[i])
            elif category == Category.CHARACTER:
                found.update(_QUALIFIER.findall(self._names[i]))
        return frozenset(found)

    # -- lookups -----------------------------------------------------------------------------

    def _match(self, i: int, how: How, confidence: float) -> Match:
        name = self._names[i]
        return Match(
            name,
            self._categories[i],
            self._counts[i],
            how,
            confidence,
            self._special.get(name),
            self.is_explicit(name),
        )

    def _exact(self, i: int) -> Match:
        match = self._exact_cache.get(i)
        if match is None:
            match = self._exact_cache[i] = self._match(i, "exact", 1.0)
        return match

    def _tag_id(self, key: str) -> int | None:
        """The tag ``key`` names exactly or as an alias (its most popular target)."""
        i = self._vocabulary.find(key)
        if i is None:
            targets = self._vocabulary.alias_targets(key)
            if targets:
                i = targets[0]
        return i

    def _in_series(self, i: int, series: frozenset[str]) -> bool:
        for qualifier in _QUALIFIER.findall(self._names[i]):
            resolved = self._tag_id(qualifier)
            for name in (qualifier, None if resolved is None else self._names[resolved]):
                if name is not None and any(
                    s == name or s.startswith((name + "_", name + "/", name + ":")) for s in series
                ):
                    return True
        return False

    def _characters(self, key: str) -> list[int]:
        """Characters named ``key`` plus a qualifier, most posts first."""
        character, counts = int(Category.CHARACTER), self._counts
        ids = [i for i in self._vocabulary.with_prefix(key + "_(") if self._categories[i] == character]
        if self._hide_explicit:
            ids = [i for i in ids if not self.is_explicit(self._names[i])]
        ids.sort(key=lambda t: (-counts[t], t))
        return ids

    def _character(self, key: str, candidates: Sequence[int], series: frozenset[str]) -> Match | None:
        """A character guess among ``candidates`` (most posts first). Without a series the prompt
        names, none for an ordinary word (``amber``), a name of one or two letters (``ui``) or a
        character with few posts (``fuze``, ``marin``: more often some other character or word)."""
        if series:
            named = [i for i in candidates if self._in_series(i, series)]
            if named:
                return self._match(named[0], "character", 0.5 + 0.45 * self._share(named))
        if len(key) < 3 or is_prose(key) or self._counts[candidates[0]] < _GUESS_POSTS:
            return None
        return self._match(candidates[0], "character", 0.5 + 0.45 * self._share(candidates))

    def _resolve(self, key: str, series: frozenset[str] = frozenset()) -> Match | None:
        if series:
            return self._resolve_key(key, series)
        # Without series the answer is the key's alone: lookup() and category_of() of one item
        # (and of its spellings) ask for it in turn.
        resolved = self._resolved
        match = resolved.get(key, _MISSING)
        if match is _MISSING:
            match = self._resolve_key(key, series)
            if len(resolved) >= _MEMO_SIZE:
                resolved.clear()
            resolved[key] = match
        return match  # type: ignore[return-value]  # the memo holds only what _resolve_key returned

    def _resolve_key(self, key: str, series: frozenset[str]) -> Match | None:
        vocabulary = self._vocabulary
        i = vocabulary.find(key)
        if i is not None:
            return self._exact(i)
        targets = vocabulary.alias_targets(key)
        if targets:
            if self._categories[targets[0]] == Category.CHARACTER and is_prose(key):
                # Danbooru aliases "misty" to misty_(pokemon): right in a Pokemon prompt only.
                return self._character(key, targets, series)
            return self._match(targets[0], "alias", self._share(targets))
        if "_(" not in key and key:
            candidates = self._characters(key)
            if candidates:
                # Sure when one series dominates: "kafka" is the Honkai: Star Rail one.
                return self._character(key, candidates, series)
        return None

    def _share(self, targets: Sequence[int]) -> float:
        if len(targets) == 1:
            return 1.0
        total = sum(self._counts[t] for t in targets)
        return self._counts[targets[0]] / total if total else 1.0 / len(targets)

    def _fuzzy_index(self) -> FuzzyIndex:
        if self._fuzzy is None:
            self._fuzzy = FuzzyIndex(self._vocabulary)
        return self._fuzzy

    def _fuzzy_matches(self, key: str, limit: int) -> list[Match]:
        index = self._fuzzy_index()
        found = index.search(key, limit + 1)
        matches = []
        for position, (candidate, target, score) in enumerate(found):
            confidence = self._typo_confidence(key, candidate, target, score)
            if position == 0 and confidence >= CONFIDENT and len(found) > 1:
                # Ambiguous when the runner-up is as good a correction.
                other_key, other, other_score = found[1]
                gap = (score + 2 * index.popularity(target)) - (other_score + 2 * index.popularity(other))
                if gap < 3 and self._typo_confidence(key, other_key, other, other_score) >= CONFIDENT:
                    confidence = 0.7
            matches.append(self._match(target, "fuzzy", confidence))
        return matches

    def _typo_confidence(self, key: str, candidate: str, target: int, score: float) -> float:
        confidence = typo_confidence(key, candidate, score, self._known_words)
        if confidence >= CONFIDENT and self._categories[target] in _NAME_CATEGORIES:
            # One unknown word is as likely another name as a misspelt one (`rukako` is not
            # `runako`, `neon` is not the artist `ne-on`), and an ordinary word is no
            # character's name unless the prompt names the series.
            if _ONE_WORD.fullmatch(key) or is_prose(key):
                return 0.7
        return confidence

    def _series_keys(self, series: Iterable[str]) -> frozenset[str]:
        keys = set()
        for text in series:
            key = canonical(text)
            i = self._tag_id(key)
            keys.add(key if i is None else self._names[i])
        keys.discard("")
        return frozenset(keys)

    def lookup(self, text: str, *, series: Iterable[str] = ()) -> Match | None:
        """What ``text`` (one prompt item, any form) refers to, or ``None`` when unknown.

        Tries the exact tag, then an alias, then a character name without its series qualifier,
        then a typo correction, which is returned only when it is confident; prose such as
        ``a girl standing in the rain`` comes back ``None``. A sentence's final period is ignored.

        ``series`` are the series the prompt names (see :meth:`series_in`), in any form. A name
        that is also an ordinary English word (``misty``, ``amber``) is taken for a character
        only when its series is among them, and a name several characters share goes to the one
        of a named series first.

        >>> db = load_database()
        >>> for text in ["Green_Hair", "twin tails", "kafka", "gren hair"]:
        ...     print(db.lookup(text).how, db.lookup(text).tag)
        exact green_hair
        alias twintails
        character kafka_(honkai:_star_rail)
        fuzzy green_hair
        >>> db.lookup("highly detailed") is None, db.lookup("amber") is None
        (True, True)
        >>> db.lookup("amber", series=["genshin impact"]).tag
        'amber_(genshin_impact)'
        """
        memo = self._memo
        if not series:  # the common call: one dict read when the item was looked up before
            match = memo.get(text, _MISSING)
            if match is not _MISSING:
                return match  # type: ignore[return-value]  # the memo holds only what _lookup returned
        named = self._series_keys(series) if series else frozenset()
        memo_key: object = (text, named) if named else text
        match = memo.get(memo_key, _MISSING)
        if match is _MISSING:
            match = self._lookup(text, named)
            if len(memo) >= _MEMO_SIZE:
                memo.clear()
            memo[memo_key] = match
        return match  # type: ignore[return-value]  # the memo holds only what _lookup returned

    def _lookup(self, text: str, series: frozenset[str]) -> Match | None:
        key = canonical(text)
        match = self._resolve(key, series)
        if match is not None:
            return match
        if key.endswith(".") and len(key) > 1:
            key = key.rstrip(".")
            match = self._resolve(key, series)
            if match is not None:
                return match
        if len(key) < 4 or _OTHER_SYNTAX.fullmatch(key):
            return None
        if "_(" not in key and self._characters(key):
            return None  # a character's name, left to the series: no misspelling of another tag
        if is_prose(key):
            # Ordinary English is never a misspelling; at most it is spaced unlike the tag.
            return self._respaced(key)
        found = self._fuzzy_matches(key, 1)
        if found and found[0].confident and not (self._hide_explicit and found[0].explicit):
            return found[0]
        return None

    def _respaced(self, key: str) -> Match | None:
        """The general or meta tag that prose names with other word breaks or stray punctuation:
        ``fire flies``, ``twin-tails``, ``straight on``, ``red eye shadow``, ``watercolor medium``,
        ``smile}``."""
        words = words_of(key)
        variants = ["_".join(words)]
        # no tag has this many words: joining each pair of a long item is quadratic for nothing
        if 1 < len(words) <= _MAX_RESPACED_WORDS:
            variants += ["".join(words), "-".join(words), "_".join(words[:-1]) + f"_({words[-1]})"]
            variants += [
                "_".join([*words[:i], words[i] + words[i + 1], *words[i + 2 :]]) for i in range(len(words) - 1)
            ]
        for variant in variants:
            if variant == key:
                continue
            i = self._tag_id(variant)
            if i is not None and self._categories[i] not in _NAME_CATEGORIES:
                return self._match(i, "fuzzy", 0.95)
        return None

    def lookup_many(self, texts: Iterable[str], *, series: Iterable[str] = ()) -> list[Match | None]:
        """:meth:`lookup` for many items; repeated items are looked up once.

        >>> [m and m.tag for m in load_database().lookup_many(["1girl", "solo", "1girl", "zzzz"])]
        ['1girl', 'solo', '1girl', None]
        """
        named = tuple(series)
        seen: dict[str, Match | None] = {}
        out = []
        for text in texts:
            if text in seen:
                out.append(seen[text])
            else:
                out.append(seen.setdefault(text, self.lookup(text, series=named)))
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
        """Up to ``limit`` tags ``text`` may mean, best first: what :meth:`lookup` resolves (or
        the characters of that name it leaves to the series), then near matches ranked by
        similarity and popularity, each with its own confidence.

        >>> [m.tag for m in load_database().suggest("blsuh", 2)]
        ['blush', 'bluez']
        >>> [(m.tag, m.confident) for m in load_database().suggest("amber", 1)]
        [('amber_(genshin_impact)', False)]
        """
        key = canonical(text)
        if not key:
            return []
        out: list[Match] = []
        first = self._resolve(key)
        if first is not None and not (self._hide_explicit and first.explicit and first.how == "character"):
            out.append(first)
        elif first is None and "_(" not in key:
            # Characters of that name that a lookup would not pick without their series ("amber").
            candidates = self._characters(key)[:2]
            out += [self._match(i, "character", 0.5 * self._share(candidates)) for i in candidates]
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
        name the query covers. ``category`` keeps one category only (``Category.CHARACTER``).

        >>> [m.tag for m in load_database().search("twin", limit=3)]
        ['twintails', 'twin_braids', 'double_bun']
        >>> [m.tag for m in load_database().search("frieren", limit=2, category=Category.CHARACTER)]
        ['frieren', 'fern_(sousou_no_frieren)']
        """
        key = canonical(query)
        if not key:
            return []
        names, categories = self._names, self._categories
        hits: dict[int, Match] = {}
        for i in [i for i, name in enumerate(names) if key in name]:
            if category is None or categories[i] == category:
                hits[i] = self._match(i, "exact" if names[i] == key else "fuzzy", len(key) / len(names[i]))
        vocabulary = self._vocabulary
        for alias, i in zip(vocabulary.aliases, vocabulary.targets, strict=True):
            if key in alias and not alias.startswith("/") and i not in hits:
                if category is None or categories[i] == category:
                    hits[i] = self._match(i, "alias", len(key) / len(alias))
        ranked = sorted(
            (m for m in hits.values() if not (self._hide_explicit and m.explicit)),
            key=lambda m: (m.how != "exact", -m.post_count, m.tag),
        )
        if len(ranked) < limit:
            for match in self._fuzzy_matches(key, limit):
                if category is not None and match.category != category:
                    continue
                if all(m.tag != match.tag for m in ranked) and not (self._hide_explicit and match.explicit):
                    ranked.append(match)
        return ranked[:limit]

    def complete(self, text: str, limit: int = 10) -> list[Completion]:
        """Completions for an item being typed: tags whose name starts with ``text``, then those
        an alias of which does (see :func:`.prefix_ranked`), most posts first; when those run out,
        near matches better than a guess (``fuzzy``, confidence over 0.6).

        >>> db = load_database()
        >>> [(c.label, c.alias) for c in db.complete("blond h", 3)]
        [('blonde hair', 'blond_hair')]
        >>> [(c.label, c.fuzzy) for c in db.complete("gren hai", 2)]
        [('green hair', True), ('grey hair', True)]
        """
        key = canonical(text)
        if not key or limit < 1:
            return []
        names, categories, counts = self._names, self._categories, self._counts
        keep = (lambda i: not self.is_explicit(names[i])) if self._hide_explicit else None
        out = [
            Completion(names[i], categories[i], counts[i], alias)
            for i, alias in prefix_ranked(self._vocabulary, key, limit, keep)
        ]
        if len(out) < limit:
            seen = {c.tag for c in out}
            for match in self.suggest(text, limit):
                if match.confidence <= _FUZZY_FLOOR or match.tag in seen:
                    continue
                if not (self._hide_explicit and match.explicit):
                    seen.add(match.tag)
                    out.append(Completion(match.tag, match.category, match.post_count, fuzzy=True))
        return out[:limit]


@functools.cache
def _bundled_database() -> TagDatabase:
    return TagDatabase(bundled_vocabulary(), ("bundled",))


_USER_CACHE: dict[tuple[object, ...], TagDatabase] = {}
_USER_CACHE_SIZE = 4


def load_database(paths: Iterable[str | Path] = (), *, bundled: bool = True) -> TagDatabase:
    """The bundled tags merged with the user's tag files (later files win on the same tag).

    Files are read by :func:`read_tag_file`; a malformed one raises ``TagDataError`` naming
    file and line. The result is cached per process, and the merged vocabulary on disk (see
    :mod:`._merge`), keyed by the files' paths, sizes and modification times, so a changed file
    is read again.

    >>> db = load_database()
    >>> db is load_database(), len(db) > 140_000
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
            from animagine_prompt.tags._loaders import read_tag_file

            read_tag_file(file)  # raises the error that says what is wrong with the path
            raise TagDataError("cannot read tag file", path=file) from None
        key.append((str(file.resolve()), stat.st_size, stat.st_mtime_ns))
    cache_key = tuple(key)
    cached = _USER_CACHE.get(cache_key)
    if cached is not None:
        return cached
    from animagine_prompt.tags._merge import merged_vocabulary

    sources = (("bundled",) if bundled else ()) + tuple(str(f) for f in files)
    database = TagDatabase(merged_vocabulary(files, bundled=bundled), sources)
    if len(_USER_CACHE) >= _USER_CACHE_SIZE:
        _USER_CACHE.pop(next(iter(_USER_CACHE)))
    _USER_CACHE[cache_key] = database
    return database
