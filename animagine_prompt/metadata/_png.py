"""PNG text chunks (tEXt, zTXt, iTXt): read them from, and write them into, PNG bytes, no imaging library.

Reading walks the chunk list from a stream and checks every length against hard limits before
reading a byte, so a hostile file (a chunk that claims 2 GiB, a zip bomb in a zTXt, ten thousand
text chunks) ends in an :class:`~animagine_prompt.errors.InputError` that names the file and the
byte, never in a crash or an out-of-memory kill. Image data is skipped, not read.
"""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from animagine_prompt.errors import InputError

__all__ = [
    "PNG_SIGNATURE",
    "TextChunk",
    "png_text_chunks",
    "read_png_text",
    "read_png_text_file",
    "set_png_text",
    "verify_png",
]

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_TEXT_KINDS = (b"tEXt", b"zTXt", b"iTXt")
#: The most text one file may hold, all its text chunks together and compressed text counted
#: inflated: prompts are kilobytes; a workflow graph (ComfyUI) can reach a few hundred.
MAX_TEXT_BYTES = 8 * 1024 * 1024
#: Most text chunks we accept in one file.
MAX_TEXT_CHUNKS = 512
#: The PNG specification's limit on any chunk length.
_MAX_CHUNK = 2**31 - 1


@dataclass(frozen=True)
class TextChunk:
    """One text chunk: its ``keyword``, decoded ``text``, ``kind`` (``"tEXt"``, ``"zTXt"``, ``"iTXt"``)
    and the byte ``offset`` of its chunk in the file.

    >>> TextChunk("parameters", "1girl", "tEXt", 33).keyword
    'parameters'
    """

    keyword: str
    text: str
    kind: str
    offset: int


def png_text_chunks(stream: BinaryIO, *, path: object = None) -> tuple[TextChunk, ...]:
    """Every text chunk of the PNG read from ``stream``, in file order (the stream must be seekable).

    >>> png = _minimal_png({"parameters": "1girl", "Comment": "ünïcode"})
    >>> [(c.keyword, c.kind) for c in png_text_chunks(io.BytesIO(png))]
    [('parameters', 'tEXt'), ('Comment', 'tEXt')]
    """
    chunks: list[TextChunk] = []
    budget = MAX_TEXT_BYTES  # bytes of text still allowed, so many small bombs cannot add up
    for kind, offset, length in _walk(stream, path, check_all=False):
        if kind not in _TEXT_KINDS:
            continue
        if length > MAX_TEXT_BYTES:
            raise InputError(
                f"PNG text chunk at byte {offset} is {length} bytes, over the {MAX_TEXT_BYTES}-byte limit; refusing it",
                path=path,
            )
        if length > budget:
            raise InputError(f"PNG text chunks hold over {MAX_TEXT_BYTES} bytes of text in all; refusing it", path=path)
        if len(chunks) >= MAX_TEXT_CHUNKS:
            raise InputError(f"PNG has more than {MAX_TEXT_CHUNKS} text chunks; refusing it", path=path)
        body = _read_body(stream, kind, offset, length, path)
        keyword, text, size = _decode(kind, body, offset, path, budget)
        budget -= size
        chunks.append(TextChunk(keyword, text, kind.decode("ascii"), offset))
    return tuple(chunks)


def read_png_text(data: bytes, *, path: object = None) -> dict[str, str]:
    """The PNG's text chunks as ``{keyword: text}`` (the first chunk wins for a repeated keyword).

    >>> read_png_text(_minimal_png({"parameters": "1girl"}))
    {'parameters': '1girl'}
    >>> read_png_text(b"GIF89a")
    Traceback (most recent call last):
    ...
    animagine_prompt.errors.InputError: not a PNG file (wrong signature): save or convert the image as PNG
    """
    texts: dict[str, str] = {}
    for chunk in png_text_chunks(io.BytesIO(data), path=path):
        texts.setdefault(chunk.keyword, chunk.text)
    return texts


def read_png_text_file(path: str | Path) -> dict[str, str]:
    """:func:`read_png_text` on a file, reading only its text chunks (image data is skipped).

    >>> import tempfile, os
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     _ = Path(tmp, "a.png").write_bytes(_minimal_png({"metadata": "{}"}))
    ...     read_png_text_file(Path(tmp, "a.png"))
    {'metadata': '{}'}
    """
    try:
        with open(path, "rb") as stream:
            texts: dict[str, str] = {}
            for chunk in png_text_chunks(stream, path=path):
                texts.setdefault(chunk.keyword, chunk.text)
            return texts
    except FileNotFoundError:
        raise InputError("no such file", path=path) from None
    except IsADirectoryError:
        raise InputError("is a directory, not a PNG file", path=path) from None
    except OSError as exc:  # no permission, a device that cannot seek, a read error
        raise InputError(f"cannot read the file ({exc.strerror or exc})", path=path) from None


def verify_png(data: bytes, *, path: object = None) -> None:
    """Check that ``data`` is a whole PNG: signature, IHDR first, every chunk's checksum, IEND last.

    Used to tell a finished image from a cut-off one.

    >>> verify_png(_minimal_png({}))
    >>> verify_png(_minimal_png({})[:-6])
    Traceback (most recent call last):
    ...
    animagine_prompt.errors.InputError: truncated PNG: no IEND chunk (the file ends at byte 61)
    """
    stream = io.BytesIO(data)
    for _ in _walk(stream, path, check_all=True):
        pass


def set_png_text(png: bytes, texts: Mapping[str, str], *, path: object = None) -> bytes:
    """``png`` with the text chunks ``texts`` written right after IHDR, replacing chunks of the same keywords.

    Text that Latin-1 can hold goes in a ``tEXt`` chunk and anything else in an uncompressed UTF-8
    ``iTXt``, as Pillow chooses, so every PNG reader finds it (Latin-1 text whose bytes would also
    read as UTF-8 goes in ``iTXt`` too, so that it reads back the same).

    >>> png = set_png_text(_minimal_png({"parameters": "old"}), {"parameters": "1girl", "metadata": "{}"})
    >>> read_png_text(png)
    {'parameters': '1girl', 'metadata': '{}'}
    >>> read_png_text(set_png_text(png, {"Comment": "初音ミク"}))["Comment"]
    '初音ミク'
    """
    verify_png(png, path=path)
    for keyword in texts:
        _check_keyword(keyword)
    new = b"".join(_text_chunk(k, v) for k, v in texts.items())
    out = bytearray(PNG_SIGNATURE)
    for kind, offset, length in _walk(io.BytesIO(png), path, check_all=False):
        whole = png[offset : offset + 12 + length]
        if kind in _TEXT_KINDS:
            name = png[offset + 8 : offset + 8 + min(length, 80)].split(b"\x00", 1)[0]
            if name.decode("latin-1") in texts:
                continue
        out += whole
        if kind == b"IHDR":
            out += new
    return bytes(out)


def _walk(stream: BinaryIO, path: object, *, check_all: bool) -> Iterator[tuple[bytes, int, int]]:
    """Yield ``(kind, offset, length)`` of each chunk up to IEND; with ``check_all``, verify every CRC."""
    stream.seek(0, io.SEEK_END)
    size = stream.tell()
    stream.seek(0)
    if stream.read(8) != PNG_SIGNATURE:
        raise InputError("not a PNG file (wrong signature): save or convert the image as PNG", path=path)
    pos = 8
    first = True
    while True:
        if pos + 8 > size:
            raise InputError(f"truncated PNG: no IEND chunk (the file ends at byte {size})", path=path)
        stream.seek(pos)
        length, kind = struct.unpack(">I4s", stream.read(8))
        name = kind.decode("latin-1")
        if length > _MAX_CHUNK:
            raise InputError(f"corrupt PNG: chunk {name!r} at byte {pos} claims {length} bytes", path=path)
        if not kind.isalpha():
            raise InputError(f"corrupt PNG: chunk type {kind!r} at byte {pos} is not four letters", path=path)
        if pos + 12 + length > size:
            raise InputError(f"truncated PNG: chunk {name!r} at byte {pos} runs past the end of the file", path=path)
        if first and kind != b"IHDR":
            raise InputError(f"corrupt PNG: the first chunk is {name!r}, not IHDR", path=path)
        first = False
        if check_all:
            _read_body(stream, kind, pos, length, path)
        yield kind, pos, length
        pos += 12 + length
        if kind == b"IEND":
            return


def _read_body(stream: BinaryIO, kind: bytes, offset: int, length: int, path: object) -> bytes:
    stream.seek(offset + 8)
    body = stream.read(length)
    (crc,) = struct.unpack(">I", stream.read(4))
    if crc != zlib.crc32(kind + body):
        raise InputError(
            f"corrupt PNG: chunk {kind.decode('latin-1')!r} at byte {offset} fails its checksum", path=path
        )
    return body


def _decode(kind: bytes, body: bytes, offset: int, path: object, budget: int) -> tuple[str, str, int]:
    """The keyword and text of a text chunk, and how many bytes of text it held (inflated)."""
    where = f"{kind.decode()} chunk at byte {offset}"
    keyword_end = body.find(b"\x00")
    if keyword_end < 1 or keyword_end > 79:
        raise InputError(f"corrupt PNG: {where} has no keyword of 1 to 79 bytes", path=path)
    keyword = body[:keyword_end].decode("latin-1")
    if any(ord(c) < 32 or 126 < ord(c) < 161 for c in keyword):
        raise InputError(f"corrupt PNG: {where} has control characters in its keyword", path=path)
    rest = body[keyword_end + 1 :]
    if kind == b"tEXt":
        return keyword, _latin1_or_utf8(rest), len(rest)
    if kind == b"zTXt":
        if not rest or rest[0] != 0:
            raise InputError(f"corrupt PNG: {where} ({keyword!r}) uses an unknown compression method", path=path)
        raw = _inflate(rest[1:], where, path, budget)
        return keyword, _latin1_or_utf8(raw), len(raw)
    # iTXt: compression flag, method, language tag NUL, translated keyword NUL, UTF-8 text.
    if len(rest) < 2 or rest[0] not in (0, 1):
        raise InputError(f"corrupt PNG: {where} ({keyword!r}) has an invalid compression flag", path=path)
    compressed, method = rest[0], rest[1]
    fields = rest[2:].split(b"\x00", 2)
    if len(fields) != 3:
        raise InputError(f"corrupt PNG: {where} ({keyword!r}) lacks its language fields", path=path)
    raw = fields[2]
    if compressed:
        if method != 0:
            raise InputError(f"corrupt PNG: {where} ({keyword!r}) uses an unknown compression method", path=path)
        raw = _inflate(raw, where, path, budget)
    try:
        return keyword, raw.decode("utf-8"), len(raw)
    except UnicodeDecodeError as exc:
        raise InputError(f"corrupt PNG: {where} ({keyword!r}) is not UTF-8 ({exc.reason})", path=path) from None


def _latin1_or_utf8(raw: bytes) -> str:
    # tEXt is Latin-1 by the specification, but several generators put UTF-8 there; text that
    # decodes as UTF-8 with non-ASCII bytes is almost never meant as Latin-1 (it would need
    # pairs such as "Ã©"), so prefer UTF-8 then.
    if any(b >= 0x80 for b in raw):
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            pass
    return raw.decode("latin-1")


def _inflate(data: bytes, where: str, path: object, budget: int) -> bytes:
    inflater = zlib.decompressobj()
    try:
        out = inflater.decompress(data, budget)
    except zlib.error as exc:
        raise InputError(f"corrupt PNG: {where} does not decompress ({exc})", path=path) from None
    if inflater.unconsumed_tail:
        # the budget is what the chunks before this one left of the file's MAX_TEXT_BYTES
        raise InputError(f"PNG {where} inflates past {MAX_TEXT_BYTES} bytes of text in all; refusing it", path=path)
    if not inflater.eof:
        # a stream cut short inflates to the start of the text: refuse it rather than return a cut prompt
        raise InputError(f"corrupt PNG: the compressed text of the {where} is cut off", path=path)
    return out


def _check_keyword(keyword: str) -> None:
    try:
        encoded = keyword.encode("latin-1")
    except UnicodeEncodeError:
        raise ValueError(f"PNG text keywords are Latin-1, not {keyword!r}") from None
    if not 1 <= len(encoded) <= 79 or any(b < 32 or 126 < b < 161 for b in encoded):
        raise ValueError(f"PNG text keywords have 1 to 79 printable Latin-1 characters, not {keyword!r}")


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def _text_chunk(keyword: str, text: str) -> bytes:
    key = keyword.encode("latin-1")
    try:
        raw = text.encode("latin-1")
    except UnicodeEncodeError:
        return _chunk(b"iTXt", key + b"\x00\x00\x00\x00\x00" + text.encode("utf-8"))
    if b"\x00" in raw or _latin1_or_utf8(raw) != text:
        # NUL cannot be in tEXt, and Latin-1 bytes that also read as UTF-8 would be misread
        return _chunk(b"iTXt", key + b"\x00\x00\x00\x00\x00" + text.encode("utf-8"))
    return _chunk(b"tEXt", key + b"\x00" + raw)


def _minimal_png(texts: Mapping[str, str]) -> bytes:
    """A valid 1x1 grey PNG carrying ``texts`` (for examples and tests)."""
    ihdr = _chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
    idat = _chunk(b"IDAT", zlib.compress(b"\x00\x80"))
    body = b"".join(_text_chunk(k, v) for k, v in texts.items())
    return PNG_SIGNATURE + ihdr + body + idat + _chunk(b"IEND", b"")


if __name__ == "__main__":  # pragma: no cover - python -m animagine_prompt.metadata._png FILE
    import sys

    for name, value in read_png_text_file(sys.argv[1]).items():
        print(f"{name}: {value}")
