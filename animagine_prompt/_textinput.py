"""Text from outside: arguments and standard input checked to be Unicode text before any parser
or tokenizer sees them, so a stray byte is one clear error instead of a crash deep inside."""

from __future__ import annotations

import os
import re
import sys
from typing import Any

from animagine_prompt.errors import InputError, UsageError

__all__ = ["check_arguments", "check_text", "read_stdin"]

# Lone surrogates: what Python makes of bytes that are not UTF-8 in arguments ("surrogateescape",
# U+DC80-U+DCFF) or of a broken UTF-16 pair; no encoder or tokenizer accepts them.
_SURROGATE = re.compile("[\ud800-\udfff]")


def check_text(text: str, what: str) -> str:
    """``text`` unchanged, or a :class:`~animagine_prompt.errors.UsageError` saying where it is not
    valid Unicode text (a byte that is not UTF-8, a lone surrogate).

    >>> check_text("1girl, smile", "the prompt")
    '1girl, smile'
    >>> check_text("1girl, \\udcff", "the prompt")
    Traceback (most recent call last):
    ...
    animagine_prompt.errors.UsageError: the prompt is not UTF-8 text (byte 0xff at character 8); \
pass it as UTF-8
    """
    found = _SURROGATE.search(text)
    if found is None:
        return text
    char, at = ord(found.group()), found.start() + 1
    if 0xDC80 <= char <= 0xDCFF:
        raise UsageError(f"{what} is not UTF-8 text (byte {char - 0xDC00:#04x} at character {at}); pass it as UTF-8")
    raise UsageError(f"{what} has a lone surrogate U+{char:04X} at character {at}; pass it as UTF-8")


def check_arguments(arguments: list[str]) -> None:
    """Refuse an argument that is not valid text, unless it names an existing file (file names
    need not be UTF-8 on POSIX systems)."""
    for argument in arguments:
        if _SURROGATE.search(argument) and not _names_a_file(argument):
            check_text(argument, f"the argument {_shown(argument)!r}")


def read_stdin(stream: Any = None, what: str = "standard input") -> str:
    """All of standard input (or ``stream``) as text: UTF-8, a byte order mark dropped; bytes that
    are not UTF-8 are an :class:`~animagine_prompt.errors.InputError`, not garbled text."""
    stream = sys.stdin if stream is None else stream
    if stream is None or stream.closed:
        raise UsageError("'-' reads the prompt from standard input, but there is none")
    buffer = getattr(stream, "buffer", None)
    if buffer is None:  # a text stream without bytes under it (tests, embedding programs)
        return check_text(stream.read().removeprefix("\ufeff"), what)
    data = buffer.read()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        byte = data[exc.start]
        raise InputError(f"not UTF-8 text (byte {byte:#04x} at offset {exc.start}); send UTF-8", path="-") from None


def _names_a_file(argument: str) -> bool:
    try:
        return os.path.lexists(argument)
    except (OSError, ValueError):  # not encodable as a file name (a lone surrogate), or too long
        return False


def _shown(argument: str) -> str:
    # the bytes as given, with those that are not UTF-8 written as \xff escapes
    try:
        raw = argument[:40].encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a lone surrogate that stands for no byte
        return argument[:40].encode("utf-8", "backslashreplace").decode("utf-8")
    return raw.decode("utf-8", "backslashreplace")
