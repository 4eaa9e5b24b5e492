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
        """Whether ``error`` from ``prop`` on ``value`` is this bug."""
        if prop != self.property or not re.search(self.failure, f"{type(error).__name__}: {error}"):
            return False
        return self.where is None or re.search(self.where, _text(value)) is not None


def _text(value: Any) -> str:
    return value if isinstance(value, str) else repr(value)


KNOWN: tuple[Known, ...] = (
    # An explicit weight of 0 on a group that holds a nested group: converting divides by the
    # enclosing weight (syntax/convert.py, _Converter.node), here 0.
    Known("convert", ("((a)b:0)", "a1111", "a1111"), "syntax", r"^ZeroDivisionError"),
    # A square-bracket item whose text is only a schedule tail ("|:1" in a1111, "a:1" in novelai,
    # where [...] is emphasis) gets a text span that ends before it starts: (1, 0).
    Known("parse", ("[|:1]", "a1111"), "syntax", r"tag text span \((\d+), (\d+)\) outside"),
    Known("parse", ("[a:1]", "novelai"), "syntax", r"tag text span \((\d+), (\d+)\) outside"),
    # Where [...] is literal text (comfy, novelai) a trailing ":2]" becomes an item whose span
    # starts at the "[" before the earlier items: spans go out of source order.
    Known("parse", ("[,b,:2]", "comfy"), "syntax", r"tag spans out of order"),
    # In a1111 "{" is literal text, yet canonical closes it like a bracket: "{" becomes "{}".
    Known("canonical", "{", "syntax", r"canonical changed the items", where=r"\{"),
    # Closing a "(" left open turns a trailing ":1" of its text into a weight: "(a:1" is the item
    # "a:1" at 1.1, its canonical "(a:1)" the item "a" at 1.0.
    Known("canonical", "(a:1", "syntax", r"canonical changed the", where=r"\(.*:"),
    # The same zero weight crashes the convert command with a traceback: the command line lets
    # exceptions other than the package's own through (cli/__init__.py main).
    Known("cli-prompt", ("convert", "((a)b:0)"), "syntax, cli", r"^ZeroDivisionError"),
)


def known_failure(prop: str, value: Any, error: BaseException) -> Known | None:
    """The entry of :data:`KNOWN` that ``error`` (from ``prop`` on ``value``) is, if any.

    >>> known_failure("convert", ("(a:0)", "a1111", "a1111"), ZeroDivisionError("float division by zero")).owner
    'syntax'
    >>> known_failure("parse", ("x", "a1111"), AssertionError("render() is not the input")) is None
    True
    """
    return next((k for k in KNOWN if k.matches(prop, value, error)), None)
