"""Nesting and number length, checked before a parser sees the text (parsers recurse, and Python
refuses to convert long numbers)."""

from __future__ import annotations

import re

from ._model import MAX_DEPTH, MAX_DIGITS, DataFormat, Fail

__all__ = ["check_depth", "long_number", "position", "too_deep", "too_long", "too_nested"]


def position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def too_deep(line: int, column: int) -> tuple[str, int]:
    return f"nested more than {MAX_DEPTH} levels deep at column {column}; flatten the data", line


def too_long(digits: int, line: int, column: int) -> tuple[str, int]:
    return f"a number of {digits} digits at column {column}; numbers may have at most {MAX_DIGITS} digits", line


def long_number(text: str, fail: Fail) -> None:
    """Fail at the first run of more than MAX_DIGITS digits (on the error path: it may be in a string)."""
    # compiled here: a repeat count this large takes the regex compiler about 10 ms
    found = re.search(rf"(?<![0-9_])[0-9_]{{{MAX_DIGITS + 1},}}", text)
    if found is not None:
        fail(*too_long(found.end() - found.start(), *position(text, found.start())))


_JSON_TOKENS = re.compile(r'["\[\]{}]')
_JSON_STRING_END = re.compile(r'[^"\\]*(?:\\.[^"\\]*)*"', re.S)
# TOML also nests through dotted keys (`a.b.c = 1`, `[a.b.c]`): dots are counted between separators
_TOML_TOKENS = re.compile(r"""["'#\[\]{}.=,\n]""")
_TOML_BASIC_END = re.compile(r'[^"\\\n]*(?:\\.[^"\\\n]*)*"')


def check_depth(text: str, fmt: DataFormat, fail: Fail) -> None:
    """Fail where the text opens level ``MAX_DEPTH + 1`` (strings and comments skipped), before a
    parser recurses into it."""
    brackets = text.count("[") + text.count("{")
    if brackets <= MAX_DEPTH and (fmt == "json" or text.count(".") <= MAX_DEPTH):
        return  # too few brackets (and dots) to nest that deep: the common case, at C speed
    tokens = _JSON_TOKENS if fmt == "json" else _TOML_TOKENS
    depth = dots = pos = 0
    end = len(text)
    while pos < end:
        found = tokens.search(text, pos)
        if found is None:
            return
        char, pos = found.group(), found.end()
        if char == ".":
            dots += 1
            if dots >= MAX_DEPTH:
                fail(*too_deep(*position(text, pos - 1)))
            continue
        dots = 0
        if char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                fail(*too_deep(*position(text, pos - 1)))
        elif char in "]}":
            depth -= 1
        elif char == "#":
            newline = text.find("\n", pos)
            pos = end if newline < 0 else newline
        elif char in "=,\n":
            pass
        elif fmt == "json":
            closed = _JSON_STRING_END.match(text, pos)
            pos = end if closed is None else closed.end()
        else:
            pos = _toml_string_end(text, pos - 1, char)


def _toml_string_end(text: str, start: int, quote: str) -> int:
    if text.startswith(quote * 3, start):
        close = start + 3
        while True:
            close = text.find(quote * 3, close)
            if close < 0:
                return len(text)
            if quote == "'" or text[close - 1] != "\\":
                # a closing run may be up to five quotes long: the string ends with one or two of them
                while text.startswith(quote, close + 3):
                    close += 1
                return close + 3
            close += 1
    if quote == "'":
        close = text.find("'", start + 1)
        return len(text) if close < 0 else close + 1
    closed = _TOML_BASIC_END.match(text, start + 1)
    return len(text) if closed is None else closed.end()


def too_nested(data: object) -> bool:
    """Whether parsed data nests more than MAX_DEPTH lists and mappings, walked level by level."""
    level: list[object] = [data] if isinstance(data, (dict, list)) else []
    for _ in range(MAX_DEPTH):
        inner: list[object] = []
        for value in level:
            items = list(value.values()) if isinstance(value, dict) else value if isinstance(value, list) else []
            inner.extend([v for v in items if isinstance(v, (dict, list))])
        if not inner:
            return False
        level = inner
    return True
