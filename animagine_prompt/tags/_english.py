"""Ordinary English: a dictionary of common words, so that prose is never taken for a typo.

Animagine reads natural language as well as tags (``cute``, ``face focus``, ``tranquil night``
are in its model card). A word found here is a word the author meant: it is not corrected into
a tag that looks like it (``canyon`` is not a misspelt ``cannon``), and on its own it is not
taken for a character's first name (``misty``, ``amber``).

The dictionary is ``tag_data/english-words.txt`` (SCOWL, sizes 10 to 60: see the README there)
plus ``tag_data/prose-words.txt``, the project's own list of prompt words SCOWL lacks.
"""

from __future__ import annotations

import functools
import re

from animagine_prompt.tags._normalize import canonical
from animagine_prompt.tags._wordlist import WordList

__all__ = ["english_words", "is_english_word", "is_prose", "words_of"]

# Word breaks in a canonical item: separators, brackets and sentence punctuation.
_BREAKS = re.compile(r"[\s_\-/()\[\]{}.,;:!?\"*~]+")


@functools.cache
def english_words() -> WordList:
    """The bundled dictionary of common English words (lowercase, sorted), loaded once.

    >>> words = english_words()
    >>> "canyon" in words, "willow" in words, "gren" in words, len(words.as_set()) > 50_000
    (True, True, False, True)
    """
    from animagine_prompt._resources import data_dir

    return WordList((data_dir("tag_data") / "english-words.txt").read_bytes())


@functools.cache
def _prompt_words() -> frozenset[str]:
    from animagine_prompt._resources import data_dir

    lines = (data_dir("tag_data") / "prose-words.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(s for s in (line.strip() for line in lines) if s and not s.startswith("#"))


def words_of(text: str) -> list[str]:
    """The words of an item, any form, lowercase, without separators or punctuation.

    >>> words_of(r"Tranquil_night."), words_of("girl's smile, (soft)")
    (['tranquil', 'night'], ["girl's", 'smile', 'soft'])
    """
    return [w for w in _BREAKS.split(canonical(text)) if w]


def is_english_word(word: str) -> bool:
    """Whether ``word`` (one word, any case) is an ordinary English word.

    Numbers count as words; a possessive ``'s`` is ignored.

    >>> [is_english_word(w) for w in ("Canyon", "willow", "misty", "girl's", "1990", "bdy", "1girl")]
    [True, True, True, True, True, False, False]
    """
    word = word.lower()
    if word.isdigit() or word in _prompt_words():
        return True
    words = english_words()
    if word in words:
        return True
    return word.endswith("'s") and word[:-2] in words


def is_prose(text: str) -> bool:
    """Whether an item (any form) is made of ordinary English words only.

    Such an item is natural language the author meant; a linter must not "correct" it into a tag.
    Whether it is also a tag is a separate question (``green hair`` is both).

    >>> [is_prose(t) for t in ("a girl standing in the rain", "tranquil night.", "canyon", "gren hair", "1girl", "")]
    [True, True, True, False, False, False]
    """
    words = words_of(text)
    return bool(words) and all(is_english_word(w) for w in words)
