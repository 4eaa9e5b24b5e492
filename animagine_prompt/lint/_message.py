"""How findings quote prompt text: exactly as it is typed, never as a Python ``repr``.

``repr`` doubles every backslash, so an escaped qualifier would be shown as ``\\\\(`` and a user
copying it from the message would type the wrong thing.
"""

from __future__ import annotations

__all__ = ["quoted", "quoted_list"]


def quoted(text: str) -> str:
    """``text`` between quotes, backslashes kept single: single quotes unless it holds one.

    >>> print(quoted(r"hu tao \\(genshin impact\\)"))
    'hu tao \\(genshin impact\\)'
    >>> print(quoted("girl's smile"))
    "girl's smile"
    """
    if "'" in text and '"' not in text:
        return f'"{text}"'
    return f"'{text}'"


def quoted_list(texts: list[str]) -> str:
    """Quoted texts joined as prose: ``'a'``, ``'a' and 'b'``, ``'a', 'b' and 'c'``.

    >>> print(quoted_list(["highres", "absurdres", "detailed"]))
    'highres', 'absurdres' and 'detailed'
    """
    parts = [quoted(t) for t in texts]
    if len(parts) < 2:
        return "".join(parts)
    return f"{', '.join(parts[:-1])} and {parts[-1]}"
