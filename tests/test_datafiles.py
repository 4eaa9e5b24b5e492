"""The one reader of YAML, JSON and TOML: the parsers' answers on good text, clear errors with a line
on hostile text, and never more time or memory than the text's size calls for."""

from __future__ import annotations

import json
import tracemalloc

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from animagine_prompt._datafiles import MAX_DEPTH, Located, LocatedDict, LocatedList, key_line, load_data
from animagine_prompt.errors import InputError, PresetError

# The "billion laughs" in 272 bytes: g names 9**7 strings.
BOMB = "".join(
    f"{name}: &{name} [{', '.join([f'*{prev}'] * 9) if prev else ', '.join(['lol'] * 9)}]\n"
    for prev, name in zip(["", "a", "b", "c", "d", "e", "f"], "abcdefg", strict=True)
)


def error_of(text: str, fmt: str, **kwargs: object) -> InputError:
    with pytest.raises(InputError) as info:
        load_data(text, fmt, path="f", **kwargs)  # type: ignore[arg-type]
    return info.value


def test_the_alias_bomb_is_refused_at_once_in_little_memory() -> None:
    assert len(BOMB.encode()) < 400
    tracemalloc.start()
    try:
        error = error_of(BOMB, "yaml")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "aliases expand the data" in error.reason and error.line is not None
    assert peak < 20_000_000


def test_aliases_within_bounds_still_share_their_data() -> None:
    data = load_data("base: &b {steps: 28}\na: *b\nb: *b\n", "yaml")
    assert data["a"] is data["b"] == {"steps": 28}


@pytest.mark.parametrize(
    ("text", "fragment", "line"),
    [
        ("a: &a [1, *a]\n", "used inside its own anchor", 1),
        ("a: &a {b: *a}\n", "used inside its own anchor", 1),
        ("a: 1\nb: *nowhere\n", "names no anchor", 2),
        ("? [a, b]\n: c\n", "a key is a list or a mapping", 1),
        ("x: 1\n{[a]: 1}: 2\n", "a key is a list or a mapping", 2),
        ("a: !!set {x, y}\n", "not supported", 1),
        ("a: 1\n---\nb: 2\n", "single document", 2),
        ("a: <<\n", "not supported", 1),
        ("a: {<<: 3}\n", "merge key", 1),
        ("a: [1\n", "invalid YAML", 2),
        ("n: " + "9" * 5000 + "\n", "a number of 5000 digits", 1),
        ("n: " + "1:" * 50_000 + "1\n", "numbers may have at most", 1),  # base 60 costs quadratic time
    ],
)
def test_hostile_yaml(text: str, fragment: str, line: int) -> None:
    error = error_of(text, "yaml")
    assert fragment in error.reason and error.line == line


@pytest.mark.parametrize("fmt", ["yaml", "json", "toml"])
@pytest.mark.parametrize("opening", ["[", "{"])
def test_deep_nesting_is_refused_with_its_line(fmt: str, opening: str) -> None:
    prefix = {"yaml": "x: 1\na: ", "json": '\n{"a": ', "toml": "x = 1\na = "}[fmt]
    inner = '"k": ' if fmt == "json" and opening == "{" else "k: " if fmt == "yaml" and opening == "{" else ""
    if fmt == "toml" and opening == "{":
        inner = "k = "
    error = error_of(prefix + (opening + inner) * 100_000, fmt)
    assert "levels deep" in error.reason and error.line == 2


@pytest.mark.parametrize(
    "text", ["a" + ".a" * 50_000 + " = 1\n", "[a" + ".a" * 50_000 + "]\n", "[[a" + ".a" * 50_000 + "]]\n"]
)
def test_toml_dotted_keys_50000_deep(text: str) -> None:
    # tomllib itself takes over a minute on the first of these; the scan refuses it before parsing
    assert "levels deep" in error_of(text, "toml").reason


def test_block_yaml_nesting_is_bounded_too() -> None:
    text = "".join("  " * i + "-\n" for i in range(MAX_DEPTH + 5))
    assert error_of(text, "yaml").line == MAX_DEPTH + 1


def test_nesting_up_to_the_limit_reads() -> None:
    depth = MAX_DEPTH
    for fmt in ("yaml", "json"):
        data = load_data("[" * depth + "]" * depth, fmt)  # type: ignore[arg-type]
        for _ in range(depth - 1):
            data = data[0]
        assert data == []


@pytest.mark.parametrize(
    ("text", "fmt", "line"),
    [
        ('{\n"n": ' + "1" * 5000 + "}", "json", 2),
        ('{"a": [\n\n' + "-" + "2" * 4400 + "]}", "json", 3),
        ("x = 1\nn = " + "1" * 5000 + "\n", "toml", 2),
    ],
)
def test_integers_too_long_to_convert(text: str, fmt: str, line: int) -> None:
    error = error_of(text, fmt)
    assert "digits" in error.reason and error.line == line


def test_long_digit_runs_inside_strings_are_text() -> None:
    digits = "7" * 5000
    assert load_data(json.dumps({"a": digits}), "json") == {"a": digits}
    assert load_data(f'a = "{digits}"\n', "toml") == {"a": digits}
    assert load_data(f"a: '{digits}'\n", "yaml") == {"a": digits}


def test_brackets_and_dots_inside_strings_and_comments_are_not_nesting() -> None:
    text = 'a = "' + "[" * 500 + '"\nb = """\n' + "{" * 500 + '"""\nc = \'' + "." * 500 + "'\n# " + "[" * 500 + "\n"
    assert load_data(text, "toml")["c"] == "." * 500
    assert load_data(json.dumps({"[" * 500: "{" * 500}), "json") == {"[" * 500: "{" * 500}


def test_errors_take_the_callers_class() -> None:
    with pytest.raises(PresetError):
        load_data("a: [", "yaml", error=PresetError)


def test_located_strings_know_their_place() -> None:
    text = 'items:\n  - plain text\n  - "quoted"\n  - |\n    block\n'
    data = load_data(text, "yaml", located=True)
    plain, quoted, block = data["items"]
    assert isinstance(plain, Located) and (plain.line, plain.column, plain.style) == (2, 5, None)
    assert text[plain.start : plain.end] == "plain text"
    assert text[quoted.start : quoted.end] == '"quoted"' and quoted.style == '"'
    assert block == "block\n" and block.style == "|"
    assert isinstance(data, LocatedDict) and data.lines == {"items": 1}
    assert isinstance(data["items"], LocatedList) and data["items"].lines == [2, 3, 4]


def test_located_json() -> None:
    text = '[\n  {"prompt": "a\\u0062",\n   "n": [1, 2.5, true, null]}\n]'
    data = load_data(text, "json", located=True)
    value = data[0]["prompt"]
    assert value == "ab" and text[value.start : value.end] == '"a\\u0062"' and (value.line, value.column) == (2, 14)
    assert data[0]["n"] == [1, 2.5, True, None] and data.lines == [2] and data[0].lines == {"prompt": 2, "n": 3}


@pytest.mark.parametrize(
    "text", ["", "[", '{"a" 1}', '{"a": 1,}', "[1,]", '"\\x"', "[1] 2", "tru", '{"a": 1', "{1: 2}"]
)
def test_located_json_fails_where_json_fails(text: str) -> None:
    with pytest.raises(json.JSONDecodeError):
        json.loads(text)
    assert "invalid JSON" in error_of(text, "json", located=True).reason


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=200, deadline=None)
@given(json_values, st.sampled_from([None, 1]))
def test_json_reads_as_the_json_module_does(value: object, indent: int | None) -> None:
    text = json.dumps(value, indent=indent, ensure_ascii=False)
    assert load_data(text, "json") == value
    assert load_data(text, "json", located=True) == value


@settings(max_examples=200, deadline=None)
@given(json_values)
def test_yaml_reads_as_safe_load_does(value: object) -> None:
    text = yaml.safe_dump(value, allow_unicode=True)
    assert load_data(text, "yaml") == yaml.safe_load(text)
    assert load_data(text, "yaml", located=True) == yaml.safe_load(text)


def test_yaml_merge_keys_as_safe_load() -> None:
    text = "a: &a {x: 1, y: 2}\nb: &b {y: 5, z: 3}\nc:\n  <<: [*a, *b]\n  x: 0\n"
    assert load_data(text, "yaml") == yaml.safe_load(text)


def test_the_bundled_presets_read_as_safe_load_reads_them() -> None:
    from animagine_prompt.presets import BUNDLED_DIR

    for path in sorted(BUNDLED_DIR.glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        assert load_data(text, "yaml") == yaml.safe_load(text), path.name


@pytest.mark.parametrize(
    ("text", "fmt", "keys", "line"),
    [
        (
            '[tool.animagine-prompt]\ntags = []\n\n[tool.animagine-prompt.lint]\nfail-on = "x"\n',
            "toml",
            ("tool", "animagine-prompt", "lint", "fail-on"),
            5,
        ),
        (
            '[tool."animagine-prompt".lint.rules.S007]\nmax = 1\n',
            "toml",
            ("tool", "animagine-prompt", "lint", "rules"),
            1,
        ),
        ('a = """\n[lint]\nx = 1\n"""\n[lint]\nx = 2\n', "toml", ("lint", "x"), 6),
        ("lint.select = 1\n", "toml", ("lint", "select"), 1),
        ("style:\n  - name: a\n  - name: b\n    prompt: x\n", "yaml", ("style", 1, "prompt"), 4),
        ("style:\n  - name: a\n", "yaml", ("style", 5), 1),
        ('{"style": [{"name": "a"},\n {"name": "b"}]}', "json", ("style", 1, "name"), 2),
        ("a: [", "yaml", ("a",), None),
    ],
)
def test_key_line(text: str, fmt: str, keys: tuple[str | int, ...], line: int | None) -> None:
    assert key_line(text, fmt, keys) == line  # type: ignore[arg-type]


# --- every reader of a data file goes through the bounded reader ---------------------------------

HOSTILE_YAML = {
    "bomb": "- " + BOMB.replace("\n", "\n  ").rstrip() + "\n",
    "deep": "- " + "[" * 100_000 + "\n",
    "self": "- &a [*a]\n",
    "complex key": "- {[a]: 1}\n",
    "long number": "- " + "1" * 5000 + "\n",
}
HOSTILE_JSON = {"deep": "[" * 100_000, "long number": "[" + "1" * 5000 + "]"}


def _read_lint(path):
    from animagine_prompt.lint._inputs import read_sources

    return read_sources([str(path)])


def _read_presets(path):
    from animagine_prompt.presets import read_preset_file

    return read_preset_file(path)


def _read_batch(path):
    from animagine_prompt.batch import read_batch_file

    return read_batch_file(path)


def _read_manifest(path):
    from animagine_prompt.batch import Manifest

    return Manifest(path).records()


def _read_png_json(path):
    from animagine_prompt.metadata import read_generation
    from animagine_prompt.metadata._png import _minimal_png

    png = path.with_suffix(".png")
    png.write_bytes(_minimal_png({"metadata": path.read_text()}))
    return read_generation(png)


READERS = {
    "lint .yaml": (_read_lint, "p.yaml", HOSTILE_YAML),
    "lint .json": (_read_lint, "p.json", HOSTILE_JSON),
    "presets .yaml": (_read_presets, "p.yaml", HOSTILE_YAML),
    "presets .json": (_read_presets, "p.json", HOSTILE_JSON),
    "batch .yaml": (_read_batch, "b.yaml", HOSTILE_YAML),
    "batch .jsonl": (_read_batch, "b.jsonl", HOSTILE_JSON),
    "manifest": (_read_manifest, "manifest.jsonl", {k: v + "\n" for k, v in HOSTILE_JSON.items()}),
    "png metadata": (_read_png_json, "m.json", {k: '{"prompt": "a", "x": ' + v + "}" for k, v in HOSTILE_JSON.items()}),
}


@pytest.mark.parametrize(
    ("reader", "case"), [(name, case) for name, (_, _, cases) in READERS.items() for case in cases]
)
def test_every_reader_refuses_hostile_data_with_an_input_error(tmp_path, reader: str, case: str) -> None:
    read, name, cases = READERS[reader]
    path = tmp_path / name
    path.write_text(cases[case], encoding="utf-8")
    with pytest.raises(InputError) as info:
        read(path)
    assert str(info.value).startswith(str(path.with_suffix(".png") if reader == "png metadata" else path))


@pytest.mark.parametrize("case", ["deep", "dotted", "long number"])
def test_the_configuration_reader_too(tmp_path, case: str) -> None:
    from animagine_prompt.config import load_config

    text = {
        "deep": "lint = " + "[" * 50_000,
        "dotted": "a" + ".a" * 50_000 + " = 1",
        "long number": "x = " + "1" * 5000,
    }
    (tmp_path / "animagine-prompt.toml").write_text(text[case] + "\n")
    with pytest.raises(InputError, match="animagine-prompt.toml:1: "):
        load_config(tmp_path)
