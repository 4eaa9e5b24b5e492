"""PNG text chunks: round trips, interoperability with Pillow, and hostile files."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from animagine_prompt.errors import InputError
from animagine_prompt.metadata import png_text_chunks, read_png_text, read_png_text_file, set_png_text, verify_png
from animagine_prompt.metadata._png import MAX_TEXT_BYTES, MAX_TEXT_CHUNKS, PNG_SIGNATURE, _minimal_png


def chunk(kind: bytes, body: bytes, crc: int | None = None) -> bytes:
    crc = zlib.crc32(kind + body) if crc is None else crc
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)


IHDR = chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
IDAT = chunk(b"IDAT", zlib.compress(b"\x00\x80"))
IEND = chunk(b"IEND", b"")


def png(*middle: bytes) -> bytes:
    return PNG_SIGNATURE + IHDR + b"".join(middle) + IDAT + IEND


def test_tEXt_zTXt_iTXt_are_all_read():
    data = png(
        chunk(b"tEXt", b"a\x00plain"),
        chunk(b"zTXt", b"b\x00\x00" + zlib.compress(b"squeezed")),
        chunk(b"iTXt", b"c\x00\x00\x00en\x00\x00" + "ミク".encode()),
        chunk(b"iTXt", b"d\x00\x01\x00\x00\x00" + zlib.compress("初音".encode())),
    )
    assert read_png_text(data) == {"a": "plain", "b": "squeezed", "c": "ミク", "d": "初音"}
    assert [c.kind for c in png_text_chunks(io.BytesIO(data))] == ["tEXt", "zTXt", "iTXt", "iTXt"]


def test_utf8_in_tEXt_is_read_as_utf8_and_latin1_stays_latin1():
    assert read_png_text(png(chunk(b"tEXt", b"a\x00" + "café ミク".encode())))["a"] == "café ミク"
    assert read_png_text(png(chunk(b"tEXt", b"a\x00caf\xe9")))["a"] == "café"


def test_set_png_text_chooses_chunk_kind_and_replaces_same_keyword():
    data = set_png_text(_minimal_png({"parameters": "old", "Software": "x"}), {"parameters": "1girl", "u": "ミク"})
    chunks = png_text_chunks(io.BytesIO(data))
    assert [(c.keyword, c.kind, c.text) for c in chunks] == [
        ("parameters", "tEXt", "1girl"),
        ("u", "iTXt", "ミク"),
        ("Software", "tEXt", "x"),
    ]
    verify_png(data)


def test_text_with_nul_goes_to_iTXt():
    data = set_png_text(_minimal_png({}), {"k": "a\x00b"})
    assert read_png_text(data) == {"k": "a\x00b"}


@pytest.mark.parametrize("keyword", ["", "x" * 80, "ミク", "a\nb"])
def test_bad_keywords_are_refused_when_writing(keyword):
    with pytest.raises(ValueError):
        set_png_text(_minimal_png({}), {keyword: "v"})


@settings(max_examples=60, deadline=None)
@given(
    st.dictionaries(st.from_regex(r"[A-Za-z][A-Za-z0-9 _]{0,30}", fullmatch=True), st.text(max_size=200), max_size=5)
)
def test_round_trip_any_text(texts):
    assert read_png_text(set_png_text(_minimal_png({}), texts)) == texts


def test_pillow_reads_what_we_write_and_we_read_what_pillow_writes(tmp_path):
    Image = pytest.importorskip("PIL.Image")
    PngImagePlugin = pytest.importorskip("PIL.PngImagePlugin")
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "green").save(buffer, format="PNG")
    ours = set_png_text(buffer.getvalue(), {"parameters": "1girl\nSteps: 1, Seed: 2, CFG scale: 3", "u": "ミク"})
    opened = Image.open(io.BytesIO(ours))
    opened.load()
    assert opened.text == {"parameters": "1girl\nSteps: 1, Seed: 2, CFG scale: 3", "u": "ミク"}
    assert opened.getpixel((3, 3)) == (0, 128, 0)

    info = PngImagePlugin.PngInfo()
    info.add_text("parameters", "a, b")
    info.add_text("zipped", "z" * 1000, zip=True)
    info.add_itxt("intl", "初音ミク")
    Image.new("RGB", (4, 4)).save(tmp_path / "p.png", pnginfo=info)
    assert read_png_text_file(tmp_path / "p.png") == {"parameters": "a, b", "zipped": "z" * 1000, "intl": "初音ミク"}


HOSTILE = {
    "not a png": (b"GIF89a" + b"\x00" * 40, "wrong signature"),
    "empty": (b"", "wrong signature"),
    "signature only": (PNG_SIGNATURE, "no IEND"),
    "no IEND": (PNG_SIGNATURE + IHDR + IDAT, "no IEND"),
    "first chunk not IHDR": (PNG_SIGNATURE + IDAT + IEND, "not IHDR"),
    "bad crc": (png(chunk(b"tEXt", b"a\x00b", crc=1)), "checksum"),
    "huge length": (PNG_SIGNATURE + IHDR + struct.pack(">I", 2**31 + 5) + b"tEXt" + b"x" * 20 + IEND, "claims"),
    "length past end": (PNG_SIGNATURE + IHDR + struct.pack(">I", 1000) + b"tEXt" + b"x" * 20 + IEND, "past the end"),
    "chunk type not letters": (PNG_SIGNATURE + IHDR + chunk(b"t\x00Xt", b"a\x00b") + IDAT + IEND, "four letters"),
    "no keyword": (png(chunk(b"tEXt", b"\x00text")), "keyword"),
    "keyword too long": (png(chunk(b"tEXt", b"k" * 90 + b"\x00t")), "keyword"),
    "no separator": (png(chunk(b"tEXt", b"keyword without nul")), "keyword"),
    "control char keyword": (png(chunk(b"tEXt", b"a\x07b\x00t")), "control"),
    "zTXt unknown method": (png(chunk(b"zTXt", b"k\x00\x05abc")), "compression"),
    "zTXt garbage": (png(chunk(b"zTXt", b"k\x00\x00not zlib")), "decompress"),
    "iTXt bad flag": (png(chunk(b"iTXt", b"k\x00\x07\x00\x00\x00t")), "compression flag"),
    "iTXt no language fields": (png(chunk(b"iTXt", b"k\x00\x00\x00en")), "language"),
    "iTXt not utf8": (png(chunk(b"iTXt", b"k\x00\x00\x00\x00\x00\xff\xfe")), "UTF-8"),
    "zip bomb": (
        png(chunk(b"zTXt", b"k\x00\x00" + zlib.compress(b"\x00" * (MAX_TEXT_BYTES + 10), 9))),
        "inflates past",
    ),
    "too many chunks": (png(*[chunk(b"tEXt", b"k%d\x00v" % i) for i in range(MAX_TEXT_CHUNKS + 1)]), "more than"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_files_give_a_clear_input_error(name):
    data, fragment = HOSTILE[name]
    with pytest.raises(InputError) as info:
        read_png_text(data, path="evil.png")
    assert fragment in str(info.value)
    assert str(info.value).startswith("evil.png: ")


def test_oversized_text_chunk_is_refused_before_reading_it():
    body = b"k\x00" + b"x" * (MAX_TEXT_BYTES + 1)
    with pytest.raises(InputError, match="over the"):
        read_png_text(png(chunk(b"tEXt", body)))


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_mutated_files_never_crash(data):
    base = bytearray(set_png_text(_minimal_png({}), {"parameters": "1girl, smile\nSteps: 20, Seed: 1, CFG scale: 7"}))
    for _ in range(data.draw(st.integers(1, 4))):
        kind = data.draw(st.sampled_from(["flip", "cut", "insert"]))
        pos = data.draw(st.integers(0, len(base) - 1))
        if kind == "flip":
            base[pos] = data.draw(st.integers(0, 255))
        elif kind == "cut":
            del base[pos:]
            if not base:
                break
        else:
            base[pos:pos] = data.draw(st.binary(min_size=1, max_size=16))
    try:
        result = read_png_text(bytes(base))
    except InputError:
        return
    assert isinstance(result, dict)


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_png_text_file(tmp_path / "nope.png")
    with pytest.raises(InputError, match="directory"):
        read_png_text_file(tmp_path)


def test_image_data_is_skipped_not_read(tmp_path):
    big_idat = chunk(b"IDAT", b"\x00" * 5_000_000)
    path = tmp_path / "big.png"
    path.write_bytes(PNG_SIGNATURE + IHDR + chunk(b"tEXt", b"a\x00b") + big_idat + IEND)

    reads = []

    class Counting(io.FileIO):
        def read(self, size=-1):
            out = super().read(size)
            reads.append(len(out))
            return out

    with Counting(path, "rb") as stream:
        chunks = png_text_chunks(stream)
    assert [c.text for c in chunks] == ["b"]
    assert sum(reads) < 1000


# --- bounds over the whole file, cut streams, unreadable files -----------------------------------


def test_many_compressed_chunks_are_bounded_together():
    # each chunk alone is under the limit; 512 of them inflated to 4 GiB before
    bomb = zlib.compress(b"\x00" * (MAX_TEXT_BYTES // 2), 9)
    data = png(*[chunk(b"zTXt", b"k%d\x00\x00" % i + bomb) for i in range(MAX_TEXT_CHUNKS)])
    with pytest.raises(InputError, match="in all"):
        read_png_text(data, path="many.png")


def test_many_compressed_itxt_chunks_are_bounded_together():
    bomb = zlib.compress("ミ".encode() * (MAX_TEXT_BYTES // 5), 9)
    data = png(*[chunk(b"iTXt", b"k%d\x00\x01\x00\x00\x00" % i + bomb) for i in range(3)])
    with pytest.raises(InputError, match="in all"):
        read_png_text(data)


def test_plain_text_counts_toward_the_total_too():
    big = b"x" * (MAX_TEXT_BYTES // 2 + 10)
    with pytest.raises(InputError, match="in all"):
        read_png_text(png(chunk(b"tEXt", b"a\x00" + big), chunk(b"tEXt", b"b\x00" + big)))


@pytest.mark.parametrize("kind", [b"zTXt", b"iTXt"])
def test_a_cut_off_compressed_stream_is_an_error_not_a_cut_prompt(kind):
    stream = zlib.compress(b"1girl, green hair, looking at viewer, " * 20)[:-12]
    header = b"parameters\x00\x00" if kind == b"zTXt" else b"parameters\x00\x01\x00\x00\x00"
    with pytest.raises(InputError, match="cut off"):
        read_png_text(png(chunk(kind, header + stream)), path="cut.png")


def test_text_up_to_the_limit_still_reads():
    text = "a" * (MAX_TEXT_BYTES - 100)
    data = png(chunk(b"zTXt", b"k\x00\x00" + zlib.compress(text.encode())))
    assert read_png_text(data) == {"k": text}


def test_an_unreadable_file_is_an_input_error(tmp_path):
    import os
    import sys

    if sys.platform == "win32" or os.geteuid() == 0:
        pytest.skip("file modes do not stop this user reading")
    path = tmp_path / "locked.png"
    path.write_bytes(_minimal_png({"parameters": "1girl"}))
    path.chmod(0)
    with pytest.raises(InputError, match="cannot read the file"):
        read_png_text_file(path)


def test_a_device_that_cannot_seek_is_an_input_error(tmp_path):
    import os
    import sys

    if sys.platform == "win32":
        pytest.skip("no named pipes")
    fifo = tmp_path / "pipe.png"
    os.mkfifo(fifo)
    writer = os.open(fifo, os.O_RDWR | os.O_NONBLOCK)  # a writer, so opening for reading does not block
    try:
        with pytest.raises(InputError, match=r"pipe.png: "):
            read_png_text_file(fifo)
    finally:
        os.close(writer)
