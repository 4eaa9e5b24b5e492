"""TOML: ``tomllib`` after the nesting scan, and where a key path is written (``tomllib`` keeps no positions)."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Sequence
from typing import Any

from ._bounds import check_depth, long_number, too_nested
from ._model import MAX_DEPTH, Fail

__all__ = ["load_toml", "toml_key_line"]


def load_toml(text: str, fail: Fail) -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on Python 3.10 only
        import tomli as tomllib
    check_depth(text, "toml", fail)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        found = re.search(r"\(at line (\d+), column (\d+)\)|\(at end of document\)", message)
        line = column = None
        if found and found.group(1):
            line, column = int(found.group(1)), int(found.group(2))
        elif found:
            line = text.count("\n") + (not text.endswith("\n"))
        reason = message[: found.start()].strip() if found else message
        fail(f"invalid TOML: {reason}", line, column)
    except ValueError as exc:  # a number too long to convert
        long_number(text, fail)
        fail(f"invalid TOML: {exc}")
    except RecursionError:  # brackets the scan above could not see (it does not parse every string form)
        fail(f"invalid TOML: nested more than {MAX_DEPTH} levels deep; flatten the data")
    if too_nested(data):  # through dotted keys the scan above did not count
        fail(f"nested more than {MAX_DEPTH} levels deep; flatten the data")
    return data


_TOML_KEY = r"""(?:[A-Za-z0-9_-]+|"(?:[^"\\\n]|\\.)*"|'[^'\n]*')"""
_TOML_DOTTED = rf"{_TOML_KEY}(?:[ \t]*\.[ \t]*{_TOML_KEY})*"
_TOML_HEADER = re.compile(rf"^[ \t]*\[\[?[ \t]*({_TOML_DOTTED})[ \t]*\]")
_TOML_ASSIGN = re.compile(rf"^[ \t]*({_TOML_DOTTED})[ \t]*=")


def _toml_parts(dotted: str) -> tuple[str, ...]:
    parts = re.findall(_TOML_KEY, dotted)
    out = []
    for part in parts:
        if part.startswith('"'):
            try:
                part = json.loads(part)
            except ValueError:
                part = part[1:-1]
        elif part.startswith("'"):
            part = part[1:-1]
        out.append(part)
    return tuple(out)


def toml_key_line(text: str, keys: Sequence[str | int]) -> int | None:
    wanted = tuple(str(k) for k in keys)
    table: tuple[str, ...] = ()
    in_string: str | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        if in_string is not None:  # inside a multi-line string: no keys here
            if line.count(in_string) % 2:
                in_string = None
            continue
        header = _TOML_HEADER.match(line)
        if header:
            table = _toml_parts(header.group(1))
            if table[: len(wanted)] == wanted:
                return number
            continue
        assign = _TOML_ASSIGN.match(line)
        if assign:
            full = table + _toml_parts(assign.group(1))
            if full[: len(wanted)] == wanted:
                return number
            rest = line[assign.end() :]
            for quote in ('"""', "'''"):
                if rest.count(quote) % 2:
                    in_string = quote
    return None
