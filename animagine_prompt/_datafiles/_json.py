"""JSON: the C parser for data, and a reader without recursion that keeps positions (``located``)."""

from __future__ import annotations

import bisect
import json
import re
from typing import Any, NoReturn

from ._bounds import check_depth, position, too_deep, too_long, too_nested
from ._model import MAX_DEPTH, MAX_DIGITS, Fail, Located, LocatedDict, LocatedList

__all__ = ["load_json"]


def load_json(text: str, located: bool, fail: Fail) -> Any:
    if located:  # the reader keeps its own stack, so it needs no scan first
        return _JsonReader(text, fail).read()
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        fail(f"invalid JSON: {exc.msg}", exc.lineno, exc.colno)
    except RecursionError:  # the C parser stops at Python's recursion limit
        data = None
    except ValueError:  # a number too long to convert: the reader below says where it is
        return _JsonReader(text, fail).read()
    # walking the result is cheaper than scanning the text around every string; the scan then says where
    if text.count("[") + text.count("{") > MAX_DEPTH and (data is None or too_nested(data)):
        check_depth(text, "json", fail)
        fail(f"nested more than {MAX_DEPTH} levels deep; flatten the data")
    return data


_JSON_SPACE = re.compile(r"[ \t\n\r]*")


def _skip_space(text: str, pos: int) -> int:
    """Where the JSON whitespace from ``pos`` ends (the pattern also matches nothing, so it always matches)."""
    match = _JSON_SPACE.match(text, pos)
    return match.end() if match else pos
_JSON_CONSTANTS = {"true": True, "false": False, "null": None, "NaN": float("nan"), "Infinity": float("inf")}


class _JsonReader:
    """JSON read without recursion, keeping where each string, list and mapping starts."""

    def __init__(self, text: str, fail: Fail) -> None:
        self.text = text
        self.fail = fail
        self.newlines = [m.start() for m in re.finditer("\n", text)]

    def line(self, offset: int) -> int:
        return bisect.bisect_left(self.newlines, offset) + 1

    def error(self, message: str, pos: int) -> NoReturn:
        self.fail(f"invalid JSON: {message}", *position(self.text, pos))

    def read(self) -> Any:
        from json.decoder import scanstring  # type: ignore[attr-defined]  # public, but not in typeshed
        from json.scanner import NUMBER_RE

        text, end = self.text, len(self.text)
        # each open container: (container, the key its next value goes under, or None in a list)
        stack: list[tuple[LocatedDict | LocatedList, Any]] = []
        pos = _skip_space(text, 0)
        root: Any = None
        while True:
            # a value starts at pos
            start = pos
            char = text[pos : pos + 1]
            value: Any
            opened = False
            if char == '"':
                try:
                    string, pos = scanstring(text, pos + 1, True)
                except json.JSONDecodeError as exc:
                    self.error(exc.msg, exc.pos)
                value = self.located(string, start, pos)
            elif char == "{" or char == "[":
                value = LocatedDict() if char == "{" else LocatedList()
                value.line = self.line(start)
                value.lines = {} if char == "{" else []
                opened = True
                pos += 1
            else:
                number = NUMBER_RE.match(text, pos)
                if number is not None:
                    integer, fraction, exponent = number.groups()
                    if number.end() - number.start() > MAX_DIGITS:
                        self.fail(*too_long(number.end() - number.start(), *position(text, start)))
                    value = float(number.group()) if fraction or exponent else int(integer)
                    pos = number.end()
                else:
                    for word, constant in (*_JSON_CONSTANTS.items(), ("-Infinity", float("-inf"))):
                        if text.startswith(word, pos):
                            value, pos = constant, pos + len(word)
                            break
                    else:
                        self.error("Expecting value", pos)
            if stack:
                container, key = stack[-1]
                if isinstance(container, LocatedDict):
                    container[key] = value
                else:
                    container.lines.append(self.line(start))
                    container.append(value)
            else:
                root = value
            if opened:
                if len(stack) >= MAX_DEPTH:
                    self.fail(*too_deep(*position(text, start)))
                stack.append((value, None))
                pos = _skip_space(text, pos)
                closer = "}" if isinstance(value, LocatedDict) else "]"
                if text.startswith(closer, pos):
                    stack.pop()
                    pos += 1
                elif isinstance(value, LocatedDict):
                    pos = self.key(stack, pos)
                    continue
                else:
                    continue
            # after a value: a comma, a closer, or the end of the text
            while True:
                pos = _skip_space(text, pos)
                if not stack:
                    if pos != end:
                        self.error("Extra data", pos)
                    return root
                container = stack[-1][0]
                closer = "}" if isinstance(container, LocatedDict) else "]"
                if text.startswith(closer, pos):
                    stack.pop()
                    pos += 1
                    continue
                if not text.startswith(",", pos):
                    self.error("Expecting ',' delimiter", pos)
                pos = _skip_space(text, pos + 1)
                if isinstance(container, LocatedDict):
                    pos = self.key(stack, pos)
                break

    def key(self, stack: list[tuple[LocatedDict | LocatedList, Any]], pos: int) -> int:
        """Read ``"key":`` at ``pos`` into the mapping on top of ``stack``; the position of its value."""
        from json.decoder import scanstring  # type: ignore[attr-defined]  # public, but not in typeshed

        text = self.text
        if not text.startswith('"', pos):
            self.error("Expecting property name enclosed in double quotes", pos)
        try:
            string, end = scanstring(text, pos + 1, True)
        except json.JSONDecodeError as exc:
            self.error(exc.msg, exc.pos)
        key = self.located(string, pos, end)
        mapping = stack[-1][0]
        assert isinstance(mapping, LocatedDict)
        mapping.lines[key] = key.line
        stack[-1] = (mapping, key)
        end = _skip_space(text, end)
        if not text.startswith(":", end):
            self.error("Expecting ':' delimiter", end)
        return _skip_space(text, end + 1)

    def located(self, value: str, start: int, end: int) -> Located:
        out = Located(value)
        out.start, out.end, out.style = start, end, '"'
        out.line = self.line(start)
        out.column = start - (self.newlines[out.line - 2] if out.line > 1 else -1)
        return out
