"""Seed lists as people type them: ``1-8``, ``3,5,9``, ``100-103,7``."""

from __future__ import annotations

from animagine_prompt.errors import UsageError
from animagine_prompt.limits import MAX_COUNT, MAX_SEED

__all__ = ["MAX_SEED", "parse_seeds"]

#: Most seeds one list may expand to; a typo such as ``1-10000000`` should not plan ten million images.
_MAX_SEEDS = MAX_COUNT


def parse_seeds(spec: str) -> tuple[int, ...]:
    """The seeds of ``spec``: comma-separated seeds and inclusive ranges, in the order given.

    >>> parse_seeds("1-4,10, 7")
    (1, 2, 3, 4, 10, 7)
    >>> parse_seeds("5-3")
    Traceback (most recent call last):
    ...
    animagine_prompt.errors.UsageError: seed range '5-3' runs backwards; write it as 3-5
    """
    seeds: list[int] = []
    for part in spec.split(","):
        part = part.strip()
        if not part:
            raise UsageError(f"empty item in the seed list {spec!r}; write seeds like 1-8 or 3,5,9")
        first, dash, last = part.partition("-")
        low = _seed(first, spec)
        high = _seed(last, spec) if dash else low
        if high < low:
            raise UsageError(f"seed range {part!r} runs backwards; write it as {high}-{low}")
        if len(seeds) + high - low + 1 > _MAX_SEEDS:
            raise UsageError(f"the seed list {spec!r} has more than {_MAX_SEEDS} seeds")
        seeds.extend(range(low, high + 1))
    return tuple(seeds)


def _seed(text: str, spec: str) -> int:
    text = text.strip()
    if not text.isdigit():
        raise UsageError(f"{text!r} in the seed list {spec!r} is not a seed; write seeds like 1-8 or 3,5,9")
    value = int(text) if len(text) <= 40 else MAX_SEED + 1  # int() refuses 4300 digits
    if value > MAX_SEED:
        raise UsageError(f"seed {value} is above the largest seed, 2**64 - 1")
    return value
