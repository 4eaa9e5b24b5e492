"""Readers for the tag files people have: tagcomplete CSVs, SmilingWolf's list, word lists.

Each reader returns :class:`TagRow` values in file order and raises ``TagDataError`` with the
file and line of the first malformed row.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from animagine_prompt.errors import TagDataError
from animagine_prompt.tags._normalize import _BLANK_RUN, canonical

__all__ = ["Row", "TagRow", "danbooru_key", "read_rows", "read_tag_file"]

SELECTED_TAGS_HEADER = ("tag_id", "name", "category", "count")
# SmilingWolf's list stores the tagger's four rating classes as category 9; they are labels of
# the classifier, not tags one writes in a prompt.
_RATING_CLASS = 9
# A third column that looks like a number but is not a count is an error, not a description.
_NUMBER = re.compile(r"[-+]?[\d.,]+[kKmM]?")


@dataclass(frozen=True, slots=True)
class TagRow:
    """One tag read from a file; ``None`` means the file does not say (keep what is known).

    >>> TagRow("long_hair", 0, 4350743, ("/lh", "longhair")).aliases
    ('/lh', 'longhair')
    """

    name: str
    category: int | None = None
    post_count: int | None = None
    aliases: tuple[str, ...] = ()


def danbooru_key(name: str) -> str:
    """The canonical key of a name already in Danbooru form (as tag files store them).

    Unlike :func:`canonical` it leaves backslashes alone: in a tag file ``\\(^o^)/`` is the
    name of a tag, not an escape.

    >>> danbooru_key("Long_Hair"), danbooru_key("\\\\(^o^)/"), danbooru_key(" blue  eyes ")
    ('long_hair', '\\\\(^o^)/', 'blue_eyes')
    """
    if name.isascii() and " " not in name and name == name.strip() and not name.isupper():
        lowered = name.lower()
        if "\t" not in lowered:
            return lowered
    name = unicodedata.normalize("NFKC", name).strip().lower()
    return _BLANK_RUN.sub("_", name) if name else name


def read_tag_file(path: str | Path) -> list[TagRow]:
    """Read any supported tag file, choosing the format from its header and extension.

    SmilingWolf's ``selected_tags.csv`` is recognised by its header; any other ``.csv`` is read
    as tagcomplete's ``name,category,count,"alias1,alias2"`` (or an "extra" file whose third
    column is text); other files are word lists, one tag per line, ``#`` starting a comment.

    >>> import tempfile, os
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = os.path.join(d, "mine.csv")
    ...     _ = open(p, "w").write('long_hair,0,4350743,"/lh,longhair"\\n')
    ...     read_tag_file(p)
    [TagRow(name='long_hair', category=0, post_count=4350743, aliases=('/lh', 'longhair'))]
    """
    return [TagRow(*row) for row in read_rows(path)]


#: A row as the readers produce it: (name, category, post_count, aliases).
Row = tuple[str, "int | None", "int | None", tuple[str, ...]]


def read_rows(path: str | Path) -> list[Row]:
    """:func:`read_tag_file` as plain tuples, which is what the database builder needs (faster).

    >>> import tempfile, os
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = os.path.join(d, "mine.txt")
    ...     _ = open(p, "w").write("Green Hair\\n")
    ...     read_rows(p)
    [('green_hair', None, None, ())]
    """
    path = Path(path)
    text = _read_text(path)
    lines = text.splitlines()
    first = next((line for line in lines if line.strip()), "")
    if tuple(c.strip().lower() for c in first.split(","))[:4] == SELECTED_TAGS_HEADER:
        return list(_selected_tags_rows(lines, path))
    if path.suffix.lower() == ".csv":
        return list(_tagcomplete_rows(lines, path))
    return list(_word_list_rows(lines, path))


def _read_text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise TagDataError(
            "tag file not found: fix the path given by --tags, ANIMAGINE_PROMPT_TAGS or the config file",
            path=path,
        ) from None
    except OSError as exc:
        raise TagDataError(f"cannot read tag file ({exc.strerror})", path=path) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise TagDataError("not UTF-8 text: save the file as UTF-8", path=path, line=line) from None


class _MalformedRow(ValueError):
    """A quoted row the csv module cannot read."""


def _split_csv_line(line: str) -> list[str]:
    # Most rows have no quotes; the csv module (imported only then) is needed for the others.
    if '"' not in line:
        return line.split(",")
    import csv

    try:
        return next(csv.reader([line]))
    except csv.Error as exc:
        raise _MalformedRow(str(exc)) from None


def _parse_int(value: str, what: str, path: Path, lineno: int, *, allow_text: bool = False) -> int | None:
    value = value.strip()
    if value.isdigit():
        return int(value)
    if allow_text and not _NUMBER.fullmatch(value):
        return None
    raise TagDataError(f"{what} must be a whole number of 0 or more, got {value!r}", path=path, line=lineno)


def _aliases(field: str) -> tuple[str, ...]:
    if not field:
        return ()
    return tuple(k for k in (danbooru_key(a) for a in field.split(",")) if k)


def _tagcomplete_rows(lines: list[str], path: Path) -> Iterator[Row]:
    for lineno, line in enumerate(lines, 1):
        if '"' not in line:
            # Fast path for the usual row: a name already in Danbooru form and two numbers.
            cols = line.split(",")
            if len(cols) in (3, 4) and cols[1].isdigit() and cols[2].isdigit():
                name = cols[0]
                if name and name.isascii() and " " not in name and "\t" not in name and name.lower() == name:
                    aliases = _aliases(cols[3]) if len(cols) == 4 else ()
                    yield (name, int(cols[1]), int(cols[2]), aliases)
                    continue
        if not line or line.isspace():
            continue
        try:
            cols = _split_csv_line(line)
        except _MalformedRow as exc:
            raise TagDataError(f"malformed CSV row ({exc})", path=path, line=lineno) from None
        if len(cols) > 4:
            raise TagDataError(
                f'expected at most 4 columns (name,category,count,"aliases"), got {len(cols)}: quote the alias list',
                path=path,
                line=lineno,
            )
        name = danbooru_key(cols[0])
        if not name:
            raise TagDataError("empty tag name in the first column", path=path, line=lineno)
        category = None
        if len(cols) > 1 and cols[1].strip():
            category = _parse_int(cols[1], "the category (second column)", path, lineno)
        count = None
        if len(cols) > 2 and cols[2].strip():
            # tagcomplete's "extra" files put a description in the third column.
            count = _parse_int(cols[2], "the post count (third column)", path, lineno, allow_text=True)
        aliases = _aliases(cols[3]) if len(cols) > 3 else ()
        yield (name, category, count, aliases)


def _selected_tags_rows(lines: list[str], path: Path) -> Iterator[Row]:
    header_seen = False
    for lineno, line in enumerate(lines, 1):
        if not line or line.isspace():
            continue
        if not header_seen:
            header_seen = True
            continue
        try:
            cols = _split_csv_line(line)
        except _MalformedRow as exc:
            raise TagDataError(f"malformed CSV row ({exc})", path=path, line=lineno) from None
        if len(cols) < 4:
            raise TagDataError(
                f"expected 4 columns (tag_id,name,category,count), got {len(cols)}", path=path, line=lineno
            )
        category = _parse_int(cols[2], "the category (third column)", path, lineno)
        if category == _RATING_CLASS:
            continue
        count = _parse_int(cols[3], "the count (fourth column)", path, lineno)
        name = danbooru_key(cols[1])
        if not name:
            raise TagDataError("empty tag name in the second column", path=path, line=lineno)
        yield (name, category, count, ())


def _word_list_rows(lines: list[str], path: Path) -> Iterator[Row]:
    for lineno, line in enumerate(lines, 1):
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        if "," in text:
            raise TagDataError(
                "a word list has one tag per line and no commas; for name,category,count rows "
                "give the file a .csv extension",
                path=path,
                line=lineno,
            )
        # Word lists are often pasted from prompts, so they may be in prompt form.
        yield (canonical(text), None, None, ())
