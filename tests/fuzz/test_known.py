"""Each open bug of ``KNOWN`` still fails the way it says; a fixed one must leave the list."""

import pytest
from fuzz_checks import PROPERTIES
from fuzz_known import KNOWN


@pytest.mark.parametrize("known", KNOWN, ids=lambda k: f"{k.property}-{k.reproducer!r}")
def test_known_bug_still_fails(known):
    prop = PROPERTIES[known.property]
    try:
        prop.check(known.reproducer)
    except Exception as error:
        assert known.matches(known.property, known.reproducer, error), f"it fails differently now: {error!r}"
    else:
        pytest.fail(f"{known.property} holds on {known.reproducer!r}: the bug is fixed, remove its KNOWN entry")


def test_known_entries_name_a_property():
    assert {k.property for k in KNOWN} <= set(PROPERTIES)
