"""What each dialect does with the constructs of the shared grammar.

>>> DIALECTS["novelai"].brace
1.05
"""

from __future__ import annotations

from dataclasses import dataclass

from animagine_prompt.errors import UsageError

__all__ = ["DIALECTS", "Dialect", "get_dialect"]


@dataclass(frozen=True)
class Dialect:
    """Meaning of each construct; a multiplier of ``None`` means the brackets are literal text."""

    name: str
    round: float | None
    square: float | None
    brace: float | None
    #: ``(x:w)`` is a weight (else literal text).
    explicit_weights: bool
    #: An explicit weight replaces the weight of enclosing groups (ComfyUI) instead of multiplying.
    explicit_replaces: bool
    breaks: bool
    ands: bool
    schedules: bool
    extra_networks: bool


DIALECTS: dict[str, Dialect] = {
    "a1111": Dialect("a1111", 1.1, 1 / 1.1, None, True, False, True, True, True, True),
    "comfy": Dialect("comfy", 1.1, None, None, True, True, False, False, False, False),
    "novelai": Dialect("novelai", None, 1 / 1.05, 1.05, False, False, False, False, False, False),
}


def get_dialect(name: str | Dialect) -> Dialect:
    """The dialect called ``name``; a clear error for an unknown one.

    >>> get_dialect("comfy").explicit_replaces
    True
    """
    if isinstance(name, Dialect):
        return name
    try:
        return DIALECTS[name]
    except KeyError:
        raise UsageError(f"unknown dialect {name!r}: use one of {', '.join(DIALECTS)}") from None
