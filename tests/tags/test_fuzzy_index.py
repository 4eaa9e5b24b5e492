"""The typo index answers the same before and after it lays its keys out for bulk use."""

from __future__ import annotations

import random

from animagine_prompt.tags import load_database
from animagine_prompt.tags._fuzzy import _SEARCHES_IN_PLACE, FuzzyIndex


def _typos(count: int) -> list[str]:
    db = load_database()
    vocabulary = db._vocabulary
    rng = random.Random(7)
    out = []
    for _ in range(count):
        name = vocabulary.names[rng.randrange(len(vocabulary))]
        if len(name) > 3:
            i = rng.randrange(len(name))
            name = name[:i] + name[i + 1 :]
        out.append(name)
    return [*out, "gren_hair", "upper_bdy", "a", "zz", "hair_clip", "ÿÿÿÿ", "x" * 300]


def test_bulk_searches_give_what_searches_in_place_give() -> None:
    vocabulary = load_database()._vocabulary
    bulk = FuzzyIndex(vocabulary)
    for _ in range(_SEARCHES_IN_PLACE + 1):
        bulk.search("warm_up", 2)
    assert bulk._ordered is not None
    for query in _typos(150):
        in_place = FuzzyIndex(vocabulary)  # a fresh index reads its keys in place
        for limit in (2, 14):
            assert bulk.search(query, limit) == in_place.search(query, limit), query
        assert in_place._ordered is None


def test_run_bounds_are_the_runs() -> None:
    order = load_database()._vocabulary.by_first
    for length, prefix in [(5, "bl"), (10, "gr"), (4, "a"), (3, "zz"), (1, "x"), (60, "qq")]:
        start, end = order.bounds(length, prefix)
        assert list(order.ids[start:end]) == list(order.run(length, prefix))
        assert order.bounds(length, prefix) == (start, end)
