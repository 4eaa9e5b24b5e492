"""Every input kind: arguments, stdin, .txt, .yaml, .json, .png, folders; and writing fixes back."""

from __future__ import annotations

import io
import json
import struct
import zlib
from pathlib import Path

import pytest

from animagine_prompt.cli import main
from animagine_prompt.errors import InputError, UsageError
from animagine_prompt.lint._inputs import Source, read_sources, write_atomic


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_with(*chunks: tuple[bytes, bytes]) -> bytes:
    header = _chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
    return b"\x89PNG\r\n\x1a\n" + header + b"".join(_chunk(k, b) for k, b in chunks) + _chunk(b"IEND", b"")


def test_arguments_with_negative() -> None:
    (source,) = read_sources(["1girl, smile", "2girls"], negative="lowres")
    assert source.kind == "argument" and source.display_path is None
    assert [(r.prompt, r.negative) for r in source.records] == [("1girl, smile", "lowres"), ("2girls", "lowres")]


def test_stdin_reads_the_txt_format() -> None:
    (source,) = read_sources(["-"], stdin=io.StringIO("1girl\nNegative prompt: lowres\n"))
    assert source.kind == "stdin" and source.display_path == "-"
    assert [(r.prompt, r.negative) for r in source.records] == [("1girl", "lowres")]


def test_txt_parameters_text(tmp_path: Path) -> None:
    path = tmp_path / "p.txt"
    path.write_text(
        "1girl, smile\nNegative prompt: lowres, blurry\nSteps: 20, Sampler: Euler a, CFG scale: 7\n\n2girls\n",
        encoding="utf-8",
    )
    (source,) = read_sources([str(path)])
    assert [(r.prompt, r.negative) for r in source.records] == [("1girl, smile", "lowres, blurry"), ("2girls", None)]
    record = source.records[0]
    assert (record.negative_at.line, record.negative_at.column) == (2, 18)
    assert source.rewrite({0: ("1girl", "lowres")}).startswith("1girl\nNegative prompt: lowres\nSteps")


def test_txt_negative_without_prompt_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "p.txt"
    path.write_text("Negative prompt: lowres\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"p.txt:1: 'Negative prompt:' line without a prompt"):
        read_sources([str(path)])


def test_json_list_and_objects_with_positions(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    path.write_text(json.dumps(["1girl, smile", {"prompt": "a \\u00e9", "negative_prompt": "lowres"}], indent=1))
    (source,) = read_sources([str(path)])
    assert [(r.prompt, r.negative) for r in source.records] == [("1girl, smile", None), ("a \\u00e9", "lowres")]
    new = source.rewrite({0: ("1girl", None), 1: ('say "hi"', "lowres")})
    assert json.loads(new) == ["1girl", {"prompt": 'say "hi"', "negative_prompt": "lowres"}]
    assert source.records[0].prompt_at.line == 2


def test_yaml_plain_quoted_and_block_scalars(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(
        "# my prompts\n- 1girl, , smile\n- prompt: '2girls, ,'\n  negative_prompt: |\n    lowres, ,\n- 'x'\n",
        encoding="utf-8",
    )
    (source,) = read_sources([str(path)])
    assert [r.prompt for r in source.records] == ["1girl, , smile", "2girls, ,", "x"]
    assert source.records[1].negative == "lowres, ,\n"
    new = source.rewrite({0: ("1girl, smile", None), 1: ("2girls", "lowres\n")})
    assert new.startswith("# my prompts\n- 1girl, smile\n- prompt: '2girls'\n")
    import yaml

    assert yaml.safe_load(new) == ["1girl, smile", {"prompt": "2girls", "negative_prompt": "lowres\n"}, "x"]


def test_yaml_and_json_shape_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("repos: []\n", encoding="utf-8")
    with pytest.raises(InputError, match="expected a prompt string or an object with a 'prompt' string"):
        read_sources([str(bad)])
    broken = tmp_path / "broken.json"
    broken.write_text("[1, ", encoding="utf-8")
    with pytest.raises(InputError, match=r"broken.json:1: invalid JSON"):
        read_sources([str(broken)])


def test_png_a1111_parameters_and_app_metadata(tmp_path: Path) -> None:
    a1111 = tmp_path / "a.png"
    params = "1girl,\nsmile\nNegative prompt: lowres\nSteps: 28, Sampler: Euler a, CFG scale: 7"
    a1111.write_bytes(png_with((b"tEXt", b"parameters\x00" + params.encode("latin-1"))))
    app = tmp_path / "b.png"
    meta = json.dumps({"prompt": "1boy, \u00e9", "negative_prompt": "blurry"}).encode()
    itxt = b"metadata\x00\x01\x00\x00\x00" + zlib.compress(meta)
    app.write_bytes(png_with((b"iTXt", itxt)))
    novelai = tmp_path / "c.png"
    comment = json.dumps({"prompt": "2girls", "uc": "", "steps": 28}).encode()
    novelai.write_bytes(png_with((b"tEXt", b"Comment\x00" + comment)))
    sources = read_sources([str(tmp_path)])
    assert [(s.kind, s.records[0].prompt, s.records[0].negative) for s in sources] == [
        ("png", "1girl,\nsmile", "lowres"),
        ("png", "1boy, \u00e9", "blurry"),
        ("png", "2girls", None),
    ]
    assert not sources[0].writable


def _text_chunk_with_bad_crc() -> bytes:
    good = png_with((b"tEXt", b"parameters\x00x"))
    at = good.index(b"tEXt") + 4 + len(b"parameters\x00x")
    return good[:at] + b"\x00\x00\x00\x00" + good[at + 4 :]


HOSTILE_PNGS = [
    (b"not a png", "wrong signature"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", "truncated PNG: no IEND chunk"),
    (b"\x89PNG\r\n\x1a\n\xff\xff\xff\xfftEXt", "claims 4294967295 bytes"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x10\x00IHDR", "runs past the end of the file"),
    (_text_chunk_with_bad_crc(), "fails its checksum"),
    (png_with((b"zTXt", b"parameters\x00\x00not zlib")), "does not decompress"),
    (png_with((b"zTXt", b"parameters\x00\x00" + zlib.compress(b"a" * (9 << 20)))), "refusing it"),
    (png_with(*[(b"tEXt", b"k%d\x00v" % i) for i in range(600)]), "more than 512 text chunks"),
    (png_with((b"iTXt", b"parameters\x00\x00\x00")), "lacks its language fields"),
    (png_with((b"iTXt", b"parameters\x00\x00\x00\x00\x00\xff\xfe")), "is not UTF-8"),
    (png_with((b"tEXt", b"\x00no keyword")), "has no keyword"),
    (png_with((b"tEXt", b"metadata\x00{not json")), "'metadata' chunk is not valid JSON"),
    (png_with((b"tEXt", b"parameters\x001girl\nSteps: x, Sampler: a, Size: 1x1")), "Steps is 'x', not a whole number"),
]


@pytest.mark.parametrize(("data", "message"), HOSTILE_PNGS)
def test_hostile_png_gives_input_error(data: bytes, message: str, tmp_path: Path) -> None:
    path = tmp_path / "x.png"
    path.write_bytes(data)
    with pytest.raises(InputError, match=message) as caught:
        read_sources([str(path)])
    assert caught.value.path == str(path)


@pytest.mark.parametrize(("data", "message"), HOSTILE_PNGS[:3])
def test_hostile_png_exits_2(
    data: bytes, message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "x.png").write_bytes(data)
    assert main(["lint", "x.png"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: x.png: ") and message in err and "Traceback" not in err


def test_png_without_prompt(tmp_path: Path) -> None:
    path = tmp_path / "plain.png"
    path.write_bytes(png_with((b"tEXt", b"Software\x00paint")))
    with pytest.raises(InputError, match="no generation settings in this PNG \\(text chunks: Software\\)"):
        read_sources([str(path)])


def test_folders_are_searched_recursively_skipping_hidden(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / ".git").mkdir()
    (tmp_path / "a" / "b" / "deep.txt").write_text("1girl\n")
    (tmp_path / "top.json").write_text('["2girls"]')
    (tmp_path / ".git" / "x.txt").write_text("hidden\n")
    (tmp_path / "notes.md").write_text("not a prompt file\n")
    found = [s.records[0].prompt for s in read_sources([str(tmp_path)])]
    assert found == ["1girl", "2girls"]


def test_missing_file_names_and_empty_input() -> None:
    with pytest.raises(InputError, match="no such file"):
        read_sources(["prompts.txt"])
    with pytest.raises(UsageError, match="nothing to lint"):
        read_sources([])
    with pytest.raises(UsageError, match="--negative applies to prompts given as arguments"):
        read_sources(["-"], negative="x", stdin=io.StringIO("a\n"))


def test_write_atomic_keeps_mode_and_leaves_no_temp_file(tmp_path: Path) -> None:
    path = tmp_path / "p.txt"
    path.write_text("old\n")
    path.chmod(0o640)
    write_atomic(path, "new\n")
    assert path.read_text() == "new\n" and (path.stat().st_mode & 0o777) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["p.txt"]


def test_txt_rewrite_keeps_other_lines_and_crlf() -> None:
    source = Source.parse_txt("a, , b\r\nkeep  this\r\n", path="p.txt")
    assert source.rewrite({0: ("a, b", None)}) == "a, b\r\nkeep  this\r\n"


def _places(path: Path, capsys: pytest.CaptureFixture[str]) -> list[str]:
    main(["lint", "--format", "concise", "--select", "S001,S101", str(path)])
    return [line.split(": ")[0].split(":", 1)[1] for line in capsys.readouterr().out.splitlines() if ": S" in line]


def test_yaml_block_findings_point_at_their_own_lines(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(
        '- prompt: |-\n    1girl, smile,\n    green hair,, (oops\n  negative_prompt: "lowres,\\n bad,, hands"\n'
        "- prompt: >\n    folded,, one\n    two,, three\n- '日本, it''s,, fine'\n",
        encoding="utf-8",
    )
    assert _places(path, capsys) == ["3:15", "3:18", "4:34", "6:11", "7:8", "8:13"]


def test_json_escapes_keep_columns(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "p.json"
    path.write_text('[{"prompt": "1girl,\\n green hair,, (oops",\n  "negative_prompt": "l\\u00e9,, x"}]\n')
    assert _places(path, capsys) == ["1:33", "1:36", "2:30"]


def test_fix_keeps_a_yaml_block_a_block(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text("- prompt: |-\n    1girl,, smile,\n    green hair\n  steps: 28\n- |\n  a,, b\n", encoding="utf-8")
    assert main(["lint", "--fix", str(path)]) == 0
    assert path.read_text(encoding="utf-8") == (
        "- prompt: |-\n    1girl, smile,\n    green hair\n  steps: 28\n- |\n  a, b\n"
    )


def test_fix_keeps_quotes_and_is_read_back(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text("- 'it''s,, fine'\n- \"tab\\t,, x\"\n- plain,, (a)\n", encoding="utf-8")
    assert main(["lint", "--fix", str(path)]) == 0
    assert path.read_text(encoding="utf-8") == "- 'it''s, fine'\n- \"tab\\t, x\"\n- plain, (a)\n"


def test_a_fix_that_needs_escaping_in_json_stays_valid_json(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    path.write_text('["a, b"]\n', encoding="utf-8")
    (source,) = read_sources([str(path)])
    new = source.rewrite({0: ('say "hi" \\(x\\)', None)})
    assert json.loads(new) == ['say "hi" \\(x\\)']


def test_jsonl_files_are_linted_and_fixed_in_place(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "batch.jsonl"
    path.write_text('"1girl,, smile"\n\n{"prompt": "a\\\\nb,, c", "negative_prompt": "x,, y", "steps": 28}\n')
    assert _places(path, capsys) == ["1:7", "3:18", "3:46"]
    assert main(["lint", "--fix", str(path)]) == 0
    assert path.read_text() == '"1girl, smile"\n\n{"prompt": "a\\\\nb, c", "negative_prompt": "x, y", "steps": 28}\n'


def test_jsonl_errors_name_the_line(tmp_path: Path) -> None:
    path = tmp_path / "batch.jsonl"
    path.write_text('"a"\n"b", "c"\n')
    with pytest.raises(InputError, match=r"batch.jsonl:2: invalid JSON"):
        read_sources([str(path)])


def test_fix_keeps_a_folded_block_folded(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text("- prompt: >\n    folded,, one\n    two,, three\n  steps: 28\n", encoding="utf-8")
    assert main(["lint", "--fix", str(path)]) == 0
    assert path.read_text(encoding="utf-8") == "- prompt: >\n    folded, one two, three\n  steps: 28\n"


def test_fix_keeps_unicode_escapes_of_an_ascii_json_file(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    path.write_text(json.dumps(["caf\u00e9,, 1girl"]) + "\n", encoding="utf-8")
    assert main(["lint", "--fix", str(path)]) == 0
    assert path.read_text(encoding="utf-8") == '["caf\\u00e9, 1girl"]\n'
