"""Make a failing text input smaller while it still fails the same way (delta debugging).

Hypothesis shrinks what it generated, but a real prompt drawn whole from the seed set is one
choice to it: this cuts such a text down to the few characters that matter.
"""

from __future__ import annotations

from collections.abc import Callable


def reduce_text(text: str, fails: Callable[[str], bool], budget: int = 2000) -> str:
    """The shortest text found (removing chunks, then single characters) for which ``fails`` holds.

    >>> reduce_text("masterpiece, (a:1.2), b", lambda t: "(" in t and ")" in t)
    '()'
    """
    calls = 0
    size = max(1, len(text) // 2)
    while size >= 1 and calls < budget:
        i, changed = 0, False
        while i < len(text) and calls < budget:
            candidate = text[:i] + text[i + size :]
            calls += 1
            if candidate != text and fails(candidate):
                text, changed = candidate, True
            else:
                i += size
        if not changed:
            size //= 2
    return text
