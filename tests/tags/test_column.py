"""StringColumn: the same answers searched in place and as a list."""

from __future__ import annotations

import random

from animagine_prompt.tags._column import StringColumn


def test_search_in_place_agrees_with_the_list() -> None:
    rng = random.Random(3)
    words = sorted({"".join(rng.choices("abcé_()", k=rng.randint(1, 6))) for _ in range(500)})
    probes = words + ["", "zzz", "a", "é", "b_(", "(("] + ["".join(rng.choices("abcé_()", k=4)) for _ in range(200)]
    in_place = StringColumn(StringColumn.of(words).blob, StringColumn.of(words).offsets)
    listed = StringColumn.of(words)
    for probe in probes:
        assert in_place.bisect_left(probe) == listed.bisect_left(probe), probe
        assert in_place.find(probe) == listed.find(probe), probe
    assert [in_place[i] for i in range(len(words))] == words


def test_many_searches_switch_to_the_list() -> None:
    words = [f"w{i:05d}" for i in range(100)]
    column = StringColumn(StringColumn.of(words).blob, StringColumn.of(words).offsets)
    for i in range(3000):
        assert column.find(words[i % 100]) == i % 100
    assert column._items == words and column._index is not None
    duplicates = StringColumn.of(["a", "b", "b", "b", "c"])
    for _ in range(2100):
        assert duplicates.find("b") == 1
