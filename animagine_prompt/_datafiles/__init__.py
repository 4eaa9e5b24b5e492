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

from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from animagine_prompt.errors import InputError

from ._model import MAX_DEPTH, MAX_DIGITS, DataFormat, Located, LocatedDict, LocatedList

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

_SUFFIXES: dict[str, DataFormat] = {".yaml": "yaml", ".yml": "yaml", ".json": "json", ".toml": "toml"}


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
        from ._yaml import load_yaml  # each reader is imported when its format is first read

        return load_yaml(text, located, fail)
    if fmt == "json":
        from ._json import load_json

        return load_json(text, located, fail)
    if fmt == "toml":
        from ._toml import load_toml

        return load_toml(text, fail)
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
        from ._toml import toml_key_line

        return toml_key_line(text, keys)

    try:
        node = load_data(text, fmt, located=True)
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
