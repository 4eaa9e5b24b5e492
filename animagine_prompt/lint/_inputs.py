"""Where prompts come from: arguments, stdin, .txt/.yaml/.json/.jsonl/.png files and folders of them.

Each :class:`Source` keeps the file text and where every prompt sits in it, so fixes can be
written back into the same place without touching the rest of the file.
"""

from __future__ import annotations

import bisect
import codecs
import json
import os
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from animagine_prompt._datafiles import Located, load_data
from animagine_prompt._files import write_atomic
from animagine_prompt._textinput import check_text, read_stdin
from animagine_prompt.errors import InputError, UsageError
from animagine_prompt.lint._scalars import LineIndex, block_literal, line_starts, segments

__all__ = ["FILE_SUFFIXES", "Location", "PromptRecord", "Source", "read_sources", "write_atomic"]

FILE_SUFFIXES = (".txt", ".yaml", ".yml", ".json", ".jsonl", ".png")
_NEGATIVE = "Negative prompt:"
# The settings line A1111 writes after the prompts: "Steps: 20, Sampler: Euler a, ..."
_PARAMS = re.compile(r"^Steps: \d+,")


@dataclass(frozen=True)
class Location:
    """Where a prompt's text sits in its file: offsets, 1-based line and column of its start.

    ``verbatim`` says whether ``file_text[start:end]`` is exactly the prompt (a .txt line, an
    unescaped string), so a finding's offset maps to a file column by adding ``start``. Other
    strings (escapes, YAML blocks and folded lines) carry ``segments`` that line them up with the file.

    >>> Location(10, 15, 2, 3, True).position("a\\nb", 2)  # 'b' starts line 3
    (3, 1)
    >>> Location(0, 20, 1, 4, False, segments=((0, 2, 3), (5, 3, 3))).position("a, b\\nc,, d", 6)
    (3, 4)
    """

    start: int
    end: int
    line: int
    column: int
    verbatim: bool
    #: How a replacement is written back: ``raw``, ``quoted`` (escaped, between double quotes),
    #: ``single`` (between YAML single quotes), ``json`` (a quoted JSON string; ``json-ascii`` with
    #: ``\u`` escapes for what is not ASCII), ``yaml`` (a plain
    #: YAML string where it can be one), ``block`` or ``folded`` (a YAML ``|`` or ``>`` block).
    style: str = "raw"
    #: ``(offset in the prompt, line, column)`` runs of a prompt that is not verbatim in the file.
    segments: tuple[tuple[int, int, int], ...] = ()
    #: A YAML block's indentation and the file's line break, to write a block back as one.
    indent: int = 0
    newline: str = "\n"

    def position(self, prompt: str, offset: int) -> tuple[int, int]:
        """The 1-based (line, column) in the file of ``offset`` within the prompt.

        >>> Location(4, 9, 1, 5, True).position("ab\\ncd", 4)
        (2, 2)
        """
        if self.segments:
            index = bisect.bisect_right(self.segments, offset, key=lambda s: s[0]) - 1
            if index < 0:
                return self.line, self.column
            at, line, column = self.segments[index]
            return line, column + offset - at
        if not self.verbatim:
            return self.line, self.column
        starts = line_starts(prompt)
        newlines = bisect.bisect_right(starts, offset) - 1
        if newlines:
            return self.line + newlines, offset - starts[newlines] + 1
        return self.line, self.column + offset


@dataclass(frozen=True)
class PromptRecord:
    """A prompt and its optional negative, numbered within its source, with their locations."""

    index: int
    prompt: str
    negative: str | None = None
    prompt_at: Location | None = None
    negative_at: Location | None = None


@dataclass(frozen=True)
class Source:
    """One input: a file, stdin or the prompts given as arguments.

    >>> src = Source.parse_txt("1girl, solo\\nNegative prompt: lowres\\n\\nsky\\n", path="p.txt")
    >>> [(r.prompt, r.negative) for r in src.records]
    [('1girl, solo', 'lowres'), ('sky', None)]
    >>> src.rewrite({0: ("1girl", "lowres")})
    '1girl\\nNegative prompt: lowres\\n\\nsky\\n'
    """

    path: str | None
    kind: str
    text: str | None
    records: tuple[PromptRecord, ...]
    #: Whether the file starts with a UTF-8 byte order mark (kept when it is rewritten; not in ``text``).
    bom: bool = False

    @property
    def writable(self) -> bool:
        """Whether fixes can be written back (files of text; not PNG, arguments or stdin)."""
        return self.path is not None and self.kind in ("txt", "yaml", "json", "jsonl")

    @property
    def display_path(self) -> str | None:
        """The path shown in reports: the file's, ``-`` for stdin, none for arguments."""
        return "-" if self.kind == "stdin" else self.path

    @classmethod
    def parse_txt(cls, text: str, *, path: str | None = None, kind: str = "txt") -> Source:
        """Prompts one per line; a ``Negative prompt: ...`` line belongs to the prompt above it."""
        records: list[PromptRecord] = []
        offset = 0
        for number, line in enumerate(text.splitlines(keepends=True), start=1):
            start, body = offset, line.rstrip("\r\n")
            offset += len(line)
            if not body.strip() or _PARAMS.match(body):
                continue
            if body.startswith(_NEGATIVE):
                value = body[len(_NEGATIVE) :]
                skip = len(value) - len(value.lstrip(" "))
                at = Location(start + len(_NEGATIVE) + skip, start + len(body), number, len(_NEGATIVE) + skip + 1, True)
                if not records or records[-1].negative is not None:
                    raise InputError("'Negative prompt:' line without a prompt line above it", path=path, line=number)
                last = records[-1]
                records[-1] = PromptRecord(last.index, last.prompt, value[skip:], last.prompt_at, at)
                continue
            records.append(PromptRecord(len(records), body, None, Location(start, start + len(body), number, 1, True)))
        return cls(path, kind, text, tuple(records))

    def rewrite(self, fixed: Mapping[int, tuple[str, str | None]]) -> str:
        """The file text with the prompts of the given record indexes replaced, each written in
        its own style where it can be (a YAML block stays a block); the result is read back to
        make sure it holds exactly the new prompts and nothing else changed.
        """
        if self.text is None:
            raise InputError("this input cannot be rewritten", path=self.path)
        text = self._edited(fixed, keep_style=True)
        if self.kind in ("yaml", "json", "jsonl") and not self._holds(text, fixed):
            text = self._edited(fixed, keep_style=False)  # every changed string as a quoted string
            if not self._holds(text, fixed):
                raise InputError("the fixes cannot be written back into this file; apply them by hand", path=self.path)
        return text

    def _edited(self, fixed: Mapping[int, tuple[str, str | None]], *, keep_style: bool) -> str:
        assert self.text is not None
        edits: list[tuple[Location, str]] = []
        for record in self.records:
            if record.index not in fixed:
                continue
            prompt, negative = fixed[record.index]
            for at, old, new in (
                (record.prompt_at, record.prompt, prompt),
                (record.negative_at, record.negative, negative),
            ):
                if at is not None and new is not None and new != old:
                    edits.append((at, _encode(new, at, keep_style)))
        text = self.text
        for at, new in sorted(edits, key=lambda e: e[0].start, reverse=True):
            text = text[: at.start] + new + text[at.end :]
        return text

    def _holds(self, text: str, fixed: Mapping[int, tuple[str, str | None]]) -> bool:
        try:
            again = _READERS[self.kind](text, self.path or "")
        except InputError:
            return False
        wanted = [fixed.get(r.index, (r.prompt, r.negative)) for r in self.records]
        return [(r.prompt, r.negative) for r in again.records] == wanted


def _encode(value: str, at: Location, keep_style: bool = True) -> str:
    if at.style in ("json", "json-ascii") or (not keep_style and at.style in ("yaml", "block", "folded")):
        return json.dumps(value, ensure_ascii=at.style == "json-ascii")
    if at.style in ("block", "folded"):
        block = block_literal(value, at.indent, at.newline, folded=at.style == "folded")
        block = block or block_literal(value, at.indent, at.newline)
        return json.dumps(value, ensure_ascii=False) if block is None else block
    if at.style == "yaml":
        import yaml

        plain = "\n" not in value and value == value.strip() and value[:1] not in "!&*-?[]{}|>'\"%@`#,:"
        try:
            if plain and ": " not in value and " #" not in value and yaml.safe_load(value) == value:
                return value
        except yaml.YAMLError:
            pass
        return json.dumps(value, ensure_ascii=False)
    if "\n" in value:
        raise InputError("a fix would put a line break into a one-line prompt")
    if at.style == "quoted":  # inside double quotes, JSON's escapes are also YAML's
        return json.dumps(value, ensure_ascii=False)[1:-1]
    if at.style == "single":
        return value.replace("'", "''")
    return value


def read_sources(items: Sequence[str], *, negative: str | None = None, stdin: Any = None) -> list[Source]:
    """Sources for the command line's inputs: prompt text, ``-`` (stdin), files and folders.

    An argument that names an existing path is read as a file or folder; one that looks like a
    file name (a known suffix) but does not exist is an error; anything else is prompt text.

    >>> source = read_sources(["1girl"], negative="lowres")[0]
    >>> source.kind, source.records[0].prompt, source.records[0].negative
    ('argument', '1girl', 'lowres')
    """
    if not items:
        raise UsageError("nothing to lint: give a prompt, a file, a folder or - for stdin")
    sources: list[Source] = []
    prompts: list[PromptRecord] = []
    seen: set[str] = set()  # real paths read so far: a file reached twice (a link beside it) is linted once
    for item in items:
        if item == "-":
            sources.append(Source.parse_txt(read_stdin(stdin), path="-", kind="stdin"))
            continue
        path = Path(item)
        # Path("") is the current folder: a blank argument is an (empty) prompt, folders are linted only when named
        if item.strip() and _exists(path):
            sources.extend(_read_path(path, seen))
        elif path.suffix.lower() in FILE_SUFFIXES and "," not in item and "\n" not in item:
            raise InputError("no such file; check the path (a prompt is linted when it is not a file name)", path=item)
        else:
            prompts.append(PromptRecord(len(prompts), check_text(item, "the prompt"), negative))
    if negative is not None and not prompts:
        raise UsageError("--negative applies to prompts given as arguments; put negatives in the files")
    if prompts:
        sources.insert(0, Source(None, "argument", None, tuple(prompts)))
    return sources


def _exists(path: Path) -> bool:
    try:
        return path.exists()
    except (OSError, ValueError):  # a prompt too long or odd to be a file name
        return False


def _read_path(path: Path, seen: set[str]) -> Iterator[Source]:
    for file in sorted(_walk(path)) if path.is_dir() else [path]:
        real = os.path.realpath(file)
        if real not in seen:
            seen.add(real)
            yield _read_file(file)


def _walk(folder: Path) -> Iterator[Path]:
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in files:
            if Path(name).suffix.lower() in FILE_SUFFIXES and not name.startswith("."):
                yield Path(root) / name


def _read_file(path: Path) -> Source:
    suffix = path.suffix.lower()
    if suffix not in FILE_SUFFIXES:
        raise InputError(
            f"unsupported file type {suffix or '(none)'!r}; use .txt, .yaml, .json, .jsonl or .png", path=path
        )
    try:
        if suffix == ".png":
            return _read_png(path)
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read the file ({exc.strerror})", path=path) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text (byte {exc.start}); save the file as UTF-8", path=path) from None
    if suffix == ".txt":
        source = Source.parse_txt(text, path=str(path))
    elif suffix == ".json":
        source = _read_json(text, str(path))
    elif suffix == ".jsonl":
        source = _read_jsonl(text, str(path))
    else:
        source = _read_yaml(text, str(path))
    return replace(source, bom=data.startswith(codecs.BOM_UTF8))


def _read_json(text: str, path: str) -> Source:
    data = load_data(text, "json", path=path, located=True)
    return Source(path, "json", text, tuple(_records(data, path, _json_locator(text))))


def _json_locator(text: str) -> Callable[[Any], Location | None]:
    lines = LineIndex(text)

    def locate(value: Any) -> Location | None:
        if not isinstance(value, Located):
            return None
        start, end = value.start, value.end
        line, column = value.line, value.column + 1  # the first character after the quote
        if text[start + 1 : end - 1] == value:
            return Location(start + 1, end - 1, line, column, True, "quoted")
        # a file that writes non-ASCII characters as \u escapes gets its fixes written that way too
        style = "json-ascii" if text[start:end].isascii() and not value.isascii() else "json"
        return Location(start, end, line, column, False, style, segments(text, start, end, value, '"', lines))

    return locate


def _read_yaml(text: str, path: str) -> Source:
    data = load_data(text, "yaml", path=path, located=True)
    lines = LineIndex(text)
    newline = "\r\n" if "\r\n" in text else "\n"

    def locate(value: Any) -> Location | None:
        if not isinstance(value, Located):
            return None
        start, end = value.start, value.end
        line, column = value.line, value.column
        if value.style is None and text[start:end] == value:
            return Location(start, end, line, column, True, "yaml")
        if value.style in ("'", '"') and text[start + 1 : end - 1] == value:
            return Location(start + 1, end - 1, line, column + 1, True, "quoted" if value.style == '"' else "single")
        runs = segments(text, start, end, value, value.style, lines)
        if value.style in ("'", '"') and "\n" not in text[start:end] and "\n" not in value:
            # one line with escapes: rewritten between its own quotes
            style = "quoted" if value.style == '"' else "single"
            return Location(start + 1, end - 1, line, column + 1, False, style, runs)
        if value.style not in ("|", ">"):
            return Location(start, end, line, column, False, "json", runs)
        # A block ends at the start of the line after it: keep that line break.
        for ending in ("\r\n", "\n"):
            if text.endswith(ending, start, end):
                end -= len(ending)
                break
        indent = runs[0][2] - 1 if runs else 2
        style = "folded" if value.style == ">" else "block"
        return Location(start, end, line, column, False, style, runs, indent, newline)

    return Source(path, "yaml", text, tuple(_records(data, path, locate)))


def _read_jsonl(text: str, path: str) -> Source:
    """One JSON prompt string or ``{"prompt": ...}`` object per line (the batch file format)."""
    records: list[PromptRecord] = []
    offset = 0
    for number, line in enumerate(text.splitlines(keepends=True), start=1):
        start, offset = offset, offset + len(line)
        if not line.strip():
            continue
        try:
            data = load_data(line, "json", path=path, located=True)
            (record,) = _records([data], path, _json_locator(line))
        except InputError as exc:  # the reader counts lines within the one line it was given
            raise InputError(exc.reason, path=path, line=number) from None
        records.append(
            PromptRecord(
                len(records),
                record.prompt,
                record.negative,
                _moved(record.prompt_at, start, number),
                _moved(record.negative_at, start, number),
            )
        )
    return Source(path, "jsonl", text, tuple(records))


def _moved(at: Location | None, offset: int, line: int) -> Location | None:
    """A location found in one line read on its own, placed in the file."""
    if at is None:
        return None
    shifted = tuple((value_at, line, column) for value_at, _, column in at.segments)
    return replace(at, start=at.start + offset, end=at.end + offset, line=line, segments=shifted)


def _records(data: Any, path: str, locate: Any) -> Iterator[PromptRecord]:
    items = data if isinstance(data, list) else [data] if isinstance(data, dict) else None
    if items is None:
        raise InputError("expected a list of prompts, or of objects with 'prompt' and 'negative_prompt'", path=path)
    for index, item in enumerate(items):
        if isinstance(item, str):
            yield PromptRecord(index, str(item), None, locate(item))
            continue
        if not isinstance(item, dict) or not isinstance(item.get("prompt"), str):
            raise InputError(f"item {index}: expected a prompt string or an object with a 'prompt' string", path=path)
        negative = item.get("negative_prompt")
        if negative is not None and not isinstance(negative, str):
            raise InputError(f"item {index}: 'negative_prompt' must be a string", path=path)
        yield PromptRecord(
            index,
            str(item["prompt"]),
            None if negative is None else str(negative),
            locate(item["prompt"]),
            None if negative is None else locate(negative),
        )


def _read_png(path: Path) -> Source:
    # The metadata package is the one reader of PNG text and infotexts: it picks the chunk
    # (A1111 `parameters`, the Animagine app's `metadata`, NovelAI's `Comment`) and refuses
    # hostile files with an InputError naming the file.
    from animagine_prompt.metadata import read_png_text_file, record_from_texts

    record = record_from_texts(read_png_text_file(path), path=path)
    negative = record.negative_prompt or None
    return Source(str(path), "png", None, (PromptRecord(0, record.prompt, negative),))


_READERS = {"json": _read_json, "jsonl": _read_jsonl, "yaml": _read_yaml}
