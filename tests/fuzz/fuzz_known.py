"""Failures the harness finds today, each a bug in code the fuzz tests do not own.

Each entry is (property, minimal reproducer, owner, failure): the fuzz tests let a failure of
that property that matches ``failure`` (a regular expression over ``"ErrorType: message"``) and,
when given, ``where`` (over the reproducer's text) pass, so the suite stays green while the bug is
open; ``tests/fuzz/test_known.py`` checks that every reproducer still fails that way. When a bug
is fixed its entry's test fails: delete the entry, and the harness checks that input again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Known:
    """One open bug: the property it breaks, its smallest input, who owns the code, how it fails."""

    property: str
    reproducer: Any
    owner: str
    failure: str
    where: str | None = None

    def matches(self, prop: str, value: Any, error: BaseException) -> bool:
        """Whether ``error`` from ``prop`` on ``value`` is this bug.

        >>> bug = Known("convert", ("(a:0)", "a1111", "a1111"), "syntax", r"^ZeroDivisionError")
        >>> bug.matches("convert", ("((a)b:0)", "a1111", "comfy"), ZeroDivisionError("float division by zero"))
        True
        >>> bug.matches("convert", ("(a:0)", "a1111", "comfy"), ValueError("float division by zero"))
        False
        """
        if prop != self.property or not re.search(self.failure, f"{type(error).__name__}: {error}"):
            return False
        return self.where is None or re.search(self.where, _text(value)) is not None


def _text(value: Any) -> str:
    return value if isinstance(value, str) else repr(value)


KNOWN: tuple[Known, ...] = (
    # Closing groups left open multiplies their weights in another order: "ab" at 1.21 and "cd"
    # at 1.2100000000000002 were two fragments (tokenized apart), and in "((ab[(cd)]))" the two
    # weights are equal, so the fragments merge into the one word "abcd".
    Known("canonical", "((ab[(cd", "syntax", r"canonical changed the text", where=r"^[^)\]]*[(\[][^)\]]*$"),
)


def known_failure(prop: str, value: Any, error: BaseException) -> Known | None:
    """The entry of :data:`KNOWN` that ``error`` (from ``prop`` on ``value``) is, if any.

    >>> known_failure("parse", ("x", "a1111"), AssertionError("render() is not the input")) is None
    True
    """
    return next((k for k in KNOWN if k.matches(prop, value, error)), None)
