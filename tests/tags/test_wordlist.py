"""WordList: a binary search of the sorted text gives the set's answers."""

from __future__ import annotations

import random

from animagine_prompt.tags._english import english_words
from animagine_prompt.tags._wordlist import WordList


def test_search_in_place_agrees_with_the_set() -> None:
    rng = random.Random(5)
    words = sorted({"".join(rng.choices("abcéz'", k=rng.randint(1, 7))) for _ in range(3000)})
    probes = words[:200] + [w + "a" for w in words[:200]] + ["", "a", "zzzzzzzz", "é", words[0], words[-1]]
    expected = set(words)
    in_place = WordList("\n".join(words).encode())
    for probe in probes:  # fewer than the searches that switch to a set
        assert (probe in in_place) == (probe in expected and probe != ""), probe
    assert in_place._set is None


def test_the_bundled_dictionary_is_sorted_for_the_search() -> None:
    words = english_words().as_set()
    text = english_words()._data.decode().split()
    assert text == sorted(words)
