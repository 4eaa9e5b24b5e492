"""Reading the text chunks of a PNG file (tEXt, zTXt, iTXt) without an imaging library.

Every length is checked against the data before it is used, compressed text is inflated with a
size cap, and anything malformed raises :class:`InputError` naming the file.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

from animagine_prompt.errors import InputError

__all__ = ["read_png_text"]

_SIGNATURE = b"\x89PNG\r\n\x1a\n"
#: Largest text we inflate from one compressed chunk: prompts are kilobytes, not megabytes.
_MAX_TEXT = 4 * 1024 * 1024


def read_png_text(data: bytes, *, path: object = None) -> dict[str, str]:
    """The PNG's text chunks as ``{keyword: text}`` (the first chunk wins for a repeated keyword).

    >>> chunk = lambda kind, body: (struct.pack(">I", len(body)) + kind + body
    ...                            + struct.pack(">I", zlib.crc32(kind + body)))
    >>> png = _SIGNATURE + chunk(b"tEXt", b"parameters\\x001girl") + chunk(b"IEND", b"")
    >>> read_png_text(png)
    {'parameters': '1girl'}
    >>> read_png_text(b"GIF89a")
    Traceback (most recent call last):
    ...
    animagine_prompt.errors.InputError: not a PNG file (wrong signature)
    """
    if not data.startswith(_SIGNATURE):
        raise InputError("not a PNG file (wrong signature)", path=path)
    texts: dict[str, str] = {}
    pos = len(_SIGNATURE)
    while pos < len(data):
        if pos + 8 > len(data):
            raise InputError(f"truncated PNG: chunk header at byte {pos} is cut off", path=path)
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        body_start = pos + 8
        body_end = body_start + length
        if body_end + 4 > len(data):
            raise InputError(f"truncated PNG: chunk {kind!r} at byte {pos} runs past the end", path=path)
        body = data[body_start:body_end]
        (crc,) = struct.unpack(">I", data[body_end : body_end + 4])
        if crc != zlib.crc32(kind + body):
            raise InputError(f"corrupt PNG: chunk {kind!r} at byte {pos} fails its checksum", path=path)
        if kind in (b"tEXt", b"zTXt", b"iTXt"):
            keyword, text = _decode(kind, body, path)
            texts.setdefault(keyword, text)
        pos = body_end + 4
        if kind == b"IEND":
            break
    return texts


def _decode(kind: bytes, body: bytes, path: object) -> tuple[str, str]:
    keyword_end = body.find(b"\x00")
    if keyword_end < 1 or keyword_end > 79:
        raise InputError(f"corrupt PNG: {kind.decode()} chunk without a valid keyword", path=path)
    keyword = body[:keyword_end].decode("latin-1")
    rest = body[keyword_end + 1 :]
    if kind == b"tEXt":
        return keyword, rest.decode("latin-1")
    if kind == b"zTXt":
        if not rest or rest[0] != 0:
            raise InputError(f"corrupt PNG: zTXt chunk {keyword!r} uses an unknown compression", path=path)
        return keyword, _inflate(rest[1:], keyword, path).decode("latin-1")
    # iTXt: compression flag, method, language tag \0, translated keyword \0, UTF-8 text.
    if len(rest) < 2:
        raise InputError(f"corrupt PNG: iTXt chunk {keyword!r} is cut off", path=path)
    compressed, method = rest[0], rest[1]
    fields = rest[2:].split(b"\x00", 2)
    if len(fields) != 3:
        raise InputError(f"corrupt PNG: iTXt chunk {keyword!r} lacks its language fields", path=path)
    raw = fields[2]
    if compressed:
        if method != 0:
            raise InputError(f"corrupt PNG: iTXt chunk {keyword!r} uses an unknown compression", path=path)
        raw = _inflate(raw, keyword, path)
    try:
        return keyword, raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"corrupt PNG: iTXt chunk {keyword!r} is not UTF-8 ({exc.reason})", path=path) from None


def _inflate(data: bytes, keyword: str, path: object) -> bytes:
    inflater = zlib.decompressobj()
    try:
        out = inflater.decompress(data, _MAX_TEXT)
    except zlib.error as exc:
        raise InputError(f"corrupt PNG: text chunk {keyword!r} does not decompress ({exc})", path=path) from None
    if inflater.unconsumed_tail:
        raise InputError(f"PNG text chunk {keyword!r} inflates past {_MAX_TEXT} bytes; refusing it", path=path)
    return out


if __name__ == "__main__":  # pragma: no cover - python -m animagine_prompt.lint._png FILE
    import sys

    for name, value in read_png_text(Path(sys.argv[1]).read_bytes(), path=sys.argv[1]).items():
        print(f"{name}: {value}")
