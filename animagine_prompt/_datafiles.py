"""Reading YAML, JSON and TOML text into plain data, in time and memory linear in the text.

One loader for every data file the package reads (presets, the configuration, batch files and
their manifest, the JSON in PNG metadata, prompt files): whatever the text, it returns the data
or raises an :class:`~animagine_prompt.errors.InputError` (or the subclass the caller names) with
the file, the line and what to change; never a traceback, never minutes or gigabytes.

What it bounds, beyond the parsers' own checks:

- nesting deeper than :data:`MAX_DEPTH` (``[[[[...`` 100,000 deep overflows Python's stack in
  every recursive parser and in everything that walks the result);
- YAML aliases that expand past a multiple of the text (a 272-byte "billion laughs" file names
  ten million strings), aliases used inside their own anchor, and keys that are lists or mappings;
- numbers of more than :data:`MAX_DIGITS` digits (Python refuses to convert them, and a YAML
  ``1:2:3:...`` base-60 number costs quadratic time).

With ``located=True`` strings come back as :class:`Located` (a ``str`` that knows where its
literal sits in the text), and mappings and lists as :class:`LocatedDict` / :class:`LocatedList`
with the line of each entry; :func:`key_line` uses that to find the line of a key path.

>>> load_data('{"a": [1, 2.5, "x"]}', "json")
{'a': [1, 2.5, 'x']}
>>> load_data('{"a": ' + "[" * 100_000, "json", path="deep.json")
Traceback (most recent call last):
...
animagine_prompt.errors.InputError: deep.json:1: nested more than 100 levels deep at column 106; flatten the data
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Literal, NoReturn

from animagine_prompt.errors import InputError

__all__ = [
    "MAX_DEPTH",
    "MAX_DIGITS",
    "DataFormat",
    "Located",
    "LocatedDict",
    "LocatedList",
    "data_format",
    "key_line",
    "load_data",
]

DataFormat = Literal["yaml", "json", "toml"]

#: Deepest nesting of lists and mappings accepted: settings files use three or four levels, a
#: ComfyUI workflow graph about ten.
MAX_DEPTH = 100
#: Longest number accepted, in characters: Python's own limit on converting text to an integer.
MAX_DIGITS = 4300
#: YAML aliases may repeat data up to this many times the size of the text (plus a fixed allowance).
_EXPANSION = 10
_EXPANSION_BASE = 100_000

_SUFFIXES: dict[str, DataFormat] = {".yaml": "yaml", ".yml": "yaml", ".json": "json", ".toml": "toml"}


class Located(str):
    """A string value that remembers where its literal sits in the text: ``start`` and ``end``
    offsets (quotes included), 1-based ``line`` and ``column``, and the YAML ``style`` it was
    written in (``None`` plain, ``'`` ``"`` ``|`` ``>``; JSON strings are ``"``).

    >>> value = load_data('- a\\n- "b"\\n', "yaml", located=True)[1]
    >>> value, value.line, value.style, (value.start, value.end)
    ('b', 2, '"', (6, 9))
    """

    start: int
    end: int
    line: int
    column: int
    style: str | None


class LocatedDict(dict[Any, Any]):
    """A mapping with the 1-based ``line`` it starts on and ``lines``: the line of each key."""

    line: int
    lines: dict[Any, int]


class LocatedList(list[Any]):
    """A list with the 1-based ``line`` it starts on and ``lines``: the line of each item."""

    line: int
    lines: list[int]


def data_format(path: str | Path) -> DataFormat | None:
    """The format a file name's ending stands for, or ``None``.

    >>> data_format("presets/mine.YML"), data_format("notes.txt")
    ('yaml', None)
    """
    return _SUFFIXES.get(Path(path).suffix.lower())


def load_data(
    text: str,
    fmt: DataFormat,
    *,
    path: object = None,
    error: type[InputError] = InputError,
    located: bool = False,
) -> Any:
    """The data in ``text`` (``fmt`` ``"yaml"``, ``"json"`` or ``"toml"``), or ``error`` naming ``path``
    and the line. YAML is read as ``yaml.safe_load`` reads it (one document); an empty YAML text is ``None``.

    >>> load_data('a = 1\\n[b]\\nc = "x"\\n', "toml")
    {'a': 1, 'b': {'c': 'x'}}
    >>> load_data("a: &x [1]\\nb: *x\\n", "yaml")
    {'a': [1], 'b': [1]}
    >>> load_data("n: " + "1" * 5000, "yaml", path="big.yaml")
    Traceback (most recent call last):
    ...
    animagine_prompt.errors.InputError: big.yaml:1: a number of 5000 digits at column 4; numbers may have \
at most 4300 digits
    """

    def fail(message: str, line: int | None = None, column: int | None = None) -> NoReturn:
        where = "" if column is None else f" (column {column})"
        raise error(f"{message}{where}", path=path, line=line)

    if fmt == "yaml":
        return _load_yaml(text, located, fail)
    if fmt == "json":
        return _load_json(text, located, fail)
    if fmt == "toml":
        return _load_toml(text, fail)
    raise ValueError(f"unknown data format {fmt!r}")


def key_line(text: str, fmt: DataFormat, keys: Sequence[str | int]) -> int | None:
    """The 1-based line where the key path ``keys`` is written in ``text``: the key of a mapping
    entry, or the item of a list (by index). ``None`` when the text does not read or the path is
    not there; the nearest line on the path when only its start is.

    >>> key_line('[tool.animagine-prompt]\\nlint.select = ["T"]\\n', "toml", ("tool", "animagine-prompt", "lint"))
    2
    >>> key_line("style:\\n  - name: a\\n  - name: b\\n    prompt: x\\n", "yaml", ("style", 1, "prompt"))
    4
    """
    if fmt == "toml":
        return _toml_key_line(text, keys)

    def fail(message: str, line: int | None = None, column: int | None = None) -> NoReturn:
        raise InputError(message)

    try:
        node = _load_yaml(text, True, fail) if fmt == "yaml" else _load_json(text, True, fail)
    except InputError:
        return None
    line: int | None = getattr(node, "line", None)
    for key in keys:
        if isinstance(node, LocatedDict) and key in node:
            line, node = node.lines[key], node[key]
        elif isinstance(node, LocatedList) and isinstance(key, int) and 0 <= key < len(node):
            line, node = node.lines[key], node[key]
        else:
            break
    return line


# -- nesting and number length, checked before a parser sees the text ---------------------------



def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _too_deep(line: int, column: int) -> tuple[str, int]:
    return f"nested more than {MAX_DEPTH} levels deep at column {column}; flatten the data", line


def _too_long(digits: int, line: int, column: int) -> tuple[str, int]:
    return f"a number of {digits} digits at column {column}; numbers may have at most {MAX_DIGITS} digits", line


def _long_number(text: str, fail: Callable[..., NoReturn]) -> None:
    """Fail at the first run of more than MAX_DIGITS digits (on the error path: it may be in a string)."""
    # compiled here: a repeat count this large takes the regex compiler about 10 ms
    found = re.search(rf"(?<![0-9_])[0-9_]{{{MAX_DIGITS + 1},}}", text)
    if found is not None:
        fail(*_too_long(found.end() - found.start(), *_position(text, found.start())))


_JSON_TOKENS = re.compile(r'["\[\]{}]')
_JSON_STRING_END = re.compile(r'[^"\\]*(?:\\.[^"\\]*)*"', re.S)
# TOML also nests through dotted keys (`a.b.c = 1`, `[a.b.c]`): dots are counted between separators
_TOML_TOKENS = re.compile(r"""["'#\[\]{}.=,\n]""")
_TOML_BASIC_END = re.compile(r'[^"\\\n]*(?:\\.[^"\\\n]*)*"')


def _check_depth(text: str, fmt: DataFormat, fail: Callable[..., NoReturn]) -> None:
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
                fail(*_too_deep(*_position(text, pos - 1)))
            continue
        dots = 0
        if char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                fail(*_too_deep(*_position(text, pos - 1)))
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


def _too_nested(data: object) -> bool:
    """Whether parsed data nests more than MAX_DEPTH lists and mappings, walked level by level."""
    level = [data] if isinstance(data, (dict, list)) else []
    for _ in range(MAX_DEPTH):
        inner: list[object] = []
        for value in level:
            items = value.values() if isinstance(value, dict) else value
            inner.extend([v for v in items if isinstance(v, (dict, list))])  # type: ignore[union-attr]
        if not inner:
            return False
        level = inner
    return True


# -- TOML -----------------------------------------------------------------------------------------


def _load_toml(text: str, fail: Callable[..., NoReturn]) -> dict[str, Any]:
    import sys

    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on Python 3.10 only
        import tomli as tomllib
    _check_depth(text, "toml", fail)
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
        _long_number(text, fail)
        fail(f"invalid TOML: {exc}")
    except RecursionError:  # brackets the scan above could not see (it does not parse every string form)
        fail(f"invalid TOML: nested more than {MAX_DEPTH} levels deep; flatten the data")
    if _too_nested(data):  # through dotted keys the scan above did not count
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


def _toml_key_line(text: str, keys: Sequence[str | int]) -> int | None:
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


# -- JSON -----------------------------------------------------------------------------------------


def _load_json(text: str, located: bool, fail: Callable[..., NoReturn]) -> Any:
    if located:
        _check_depth(text, "json", fail)
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
    if text.count("[") + text.count("{") > MAX_DEPTH and (data is None or _too_nested(data)):
        _check_depth(text, "json", fail)
        fail(f"nested more than {MAX_DEPTH} levels deep; flatten the data")
    return data


_JSON_SPACE = re.compile(r"[ \t\n\r]*")
_JSON_CONSTANTS = {"true": True, "false": False, "null": None, "NaN": float("nan"), "Infinity": float("inf")}


class _JsonReader:
    """JSON read without recursion, keeping where each string, list and mapping starts."""

    def __init__(self, text: str, fail: Callable[..., NoReturn]) -> None:
        self.text = text
        self.fail = fail
        self.newlines = [m.start() for m in re.finditer("\n", text)]

    def line(self, offset: int) -> int:
        return bisect.bisect_left(self.newlines, offset) + 1

    def error(self, message: str, pos: int) -> NoReturn:
        self.fail(f"invalid JSON: {message}", *_position(self.text, pos))

    def read(self) -> Any:
        from json.decoder import scanstring
        from json.scanner import NUMBER_RE

        text, end = self.text, len(self.text)
        # each open container: (container, the key its next value goes under, or None in a list)
        stack: list[tuple[LocatedDict | LocatedList, Any]] = []
        pos = _JSON_SPACE.match(text, 0).end()  # type: ignore[union-attr]
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
                        self.fail(*_too_long(number.end() - number.start(), *_position(text, start)))
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
                    self.fail(*_too_deep(*_position(text, start)))
                stack.append((value, None))
                pos = _JSON_SPACE.match(text, pos).end()  # type: ignore[union-attr]
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
                pos = _JSON_SPACE.match(text, pos).end()  # type: ignore[union-attr]
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
                pos = _JSON_SPACE.match(text, pos + 1).end()  # type: ignore[union-attr]
                if isinstance(container, LocatedDict):
                    pos = self.key(stack, pos)
                break

    def key(self, stack: list[tuple[LocatedDict | LocatedList, Any]], pos: int) -> int:
        """Read ``"key":`` at ``pos`` into the mapping on top of ``stack``; the position of its value."""
        from json.decoder import scanstring

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
        end = _JSON_SPACE.match(text, end).end()  # type: ignore[union-attr]
        if not text.startswith(":", end):
            self.error("Expecting ':' delimiter", end)
        return _JSON_SPACE.match(text, end + 1).end()  # type: ignore[union-attr]

    def located(self, value: str, start: int, end: int) -> Located:
        out = Located(value)
        out.start, out.end, out.style = start, end, '"'
        out.line = self.line(start)
        out.column = start - (self.newlines[out.line - 2] if out.line > 1 else -1)
        return out


# -- YAML -----------------------------------------------------------------------------------------

_MERGE = "tag:yaml.org,2002:merge"
_STR = "tag:yaml.org,2002:str"
_NUMBERS = ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")
_COLLECTIONS = (None, "!", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map")


class _Open:
    """A list or mapping being read: where it started, its pending key, merges to apply."""

    __slots__ = ("anchor", "cost", "key", "merges", "value")

    def __init__(self, value: LocatedDict | LocatedList, anchor: str | None, cost: int) -> None:
        self.value = value
        self.anchor = anchor
        self.cost = cost  # the expansion count when it opened
        self.key: Any = _NO_KEY
        self.merges: list[dict[Any, Any]] = []


_NO_KEY = object()
_MERGE_KEY = object()


def _load_yaml(text: str, located: bool, fail: Callable[..., NoReturn]) -> Any:
    import yaml

    loader_class = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: the same events, faster
    loader = loader_class(text)
    try:
        return _YamlReader(loader, text, located, fail).read()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        where = (None, None) if mark is None else (mark.line + 1, mark.column + 1)
        if problem == "exceeded maximum nesting depth" and mark is not None:  # libyaml's own limit, at 1000
            fail(*_too_deep(*where))
        fail(f"invalid YAML: {problem}", *where)
    finally:
        loader.dispose()


class _YamlReader:
    """Builds data from the parser's events with an explicit stack (the event parsers do not
    recurse), counting what aliases expand to."""

    def __init__(self, loader: Any, text: str, located: bool, fail: Callable[..., NoReturn]) -> None:
        self.loader = loader
        self.located = located
        self.fail = fail
        self.budget = _EXPANSION_BASE + _EXPANSION * len(text)
        self.cost = 0  # size of the data with every alias expanded: items, plus characters of text
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.stack: list[_Open] = []
        self.root: Any = None

    def error(self, message: str, mark: Any) -> NoReturn:
        self.fail(message, mark.line + 1, mark.column + 1)

    def read(self) -> Any:
        import yaml

        loader = self.loader
        documents = 0
        while True:
            event = loader.get_event()
            if isinstance(event, yaml.ScalarEvent):
                self.add(self.scalar(event), event.anchor, event.start_mark, 1 + len(event.value))
            elif isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                if event.tag not in _COLLECTIONS:
                    self.error(
                        f"invalid YAML: the tag {_short(event.tag)} is not supported here; remove it", event.start_mark
                    )
                if len(self.stack) >= MAX_DEPTH:
                    self.fail(*_too_deep(event.start_mark.line + 1, event.start_mark.column + 1))
                mapping = isinstance(event, yaml.MappingStartEvent)
                value: LocatedDict | LocatedList = LocatedDict() if mapping else LocatedList()
                value.line = event.start_mark.line + 1
                value.lines = {} if mapping else []
                if event.anchor is not None:
                    self.anchors.pop(event.anchor, None)  # a redefined anchor is not usable inside itself
                self.stack.append(_Open(value, event.anchor, self.cost))
                self.spend(1, event.start_mark)
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                done = self.stack.pop()
                if done.merges:
                    self.merge(done)
                if done.anchor is not None:
                    self.anchors[done.anchor] = (done.value, self.cost - done.cost)
                self.add(done.value, None, event.start_mark, 0, line=done.value.line)
            elif isinstance(event, yaml.AliasEvent):
                anchored = self.anchors.get(event.anchor)
                if anchored is None:
                    if any(o.anchor == event.anchor for o in self.stack):
                        self.error(
                            f"invalid YAML: the alias *{event.anchor} is used inside its own anchor", event.start_mark
                        )
                    self.error(
                        f"invalid YAML: the alias *{event.anchor} names no anchor defined before it", event.start_mark
                    )
                value, cost = anchored
                self.add(value, None, event.start_mark, cost)
            elif isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    self.error(
                        "invalid YAML: expected a single document, found another; split the file", event.start_mark
                    )
            elif isinstance(event, yaml.StreamEndEvent):
                return self.root

    def spend(self, cost: int, mark: Any) -> None:
        self.cost += cost
        if self.cost > self.budget:
            self.error(
                f"aliases expand the data past {self.budget} items and characters, more than "
                f"{_EXPANSION} times the file; write the repeated parts out or repeat them less",
                mark,
            )

    def add(self, value: Any, anchor: str | None, mark: Any, cost: int, *, line: int | None = None) -> None:
        """Put a finished value where it belongs: under the pending key, in the open list, or at the root."""
        self.spend(cost, mark)
        if anchor is not None:
            self.anchors[anchor] = (value, cost)
        line = mark.line + 1 if line is None else line
        if not self.stack:
            self.root = value
            return
        top = self.stack[-1]
        container = top.value
        if isinstance(container, LocatedList):
            container.append(value)
            container.lines.append(line)
            return
        if top.key is _NO_KEY:
            if isinstance(value, (dict, list)):
                self.error("invalid YAML: a key is a list or a mapping; keys must be plain values such as text", mark)
            top.key = _MERGE_KEY if isinstance(value, _Merge) else value
            if top.key is not _MERGE_KEY:
                container.lines[value] = line
            return
        if top.key is _MERGE_KEY:
            sources = value if isinstance(value, list) else [value]
            if not all(isinstance(s, dict) for s in sources):
                self.error("invalid YAML: a merge key (<<) takes a mapping or a list of mappings", mark)
            top.merges.extend(sources)
        else:
            container[top.key] = value
        top.key = _NO_KEY

    def merge(self, done: _Open) -> None:
        # As PyYAML merges: the mapping's own keys win, then the merged mappings in the order given.
        own = done.value
        for source in done.merges:
            for key, value in source.items():
                if key not in own:
                    own[key] = value
                    if isinstance(source, LocatedDict):
                        own.lines[key] = source.lines.get(key, own.line)
            self.spend(len(source), _NoMark(own.line))

    def scalar(self, event: Any) -> Any:
        import yaml
        from yaml.constructor import SafeConstructor

        tag = event.tag
        if tag is None or tag == "!":
            tag = self.loader.resolve(yaml.ScalarNode, event.value, event.implicit)
        if tag == _STR:
            if not self.located:
                return event.value
            out = Located(event.value)
            out.start, out.end = event.start_mark.index, event.end_mark.index
            out.line, out.column = event.start_mark.line + 1, event.start_mark.column + 1
            out.style = event.style or None
            return out
        if tag == _MERGE and self.stack and isinstance(self.stack[-1].value, dict) and self.stack[-1].key is _NO_KEY:
            return _Merge()
        if tag in _NUMBERS and len(event.value) > MAX_DIGITS:
            self.fail(*_too_long(len(event.value), event.start_mark.line + 1, event.start_mark.column + 1))
        construct = SafeConstructor.yaml_constructors.get(tag)
        if construct is None or tag == _MERGE:
            self.error(f"invalid YAML: the tag {_short(tag)} is not supported here; remove it", event.start_mark)
        node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
        try:
            return construct(self.loader, node)
        except ValueError as exc:
            self.error(
                f"invalid YAML: cannot read {event.value[:40]!r} as {tag.rsplit(':', 1)[-1]} ({exc})", event.start_mark
            )


def _short(tag: str) -> str:
    """``!!set`` for ``tag:yaml.org,2002:set``, as people write it."""
    return "!!" + tag[len("tag:yaml.org,2002:") :] if tag.startswith("tag:yaml.org,2002:") else tag


class _Merge:
    """The ``<<`` key of a mapping, whose value is merged into it."""


class _NoMark:
    """A position for a message that has only a line."""

    def __init__(self, line: int) -> None:
        self.line = line - 1
        self.column = 0
