"""Hypothesis strategies for everything a user can hand the package: prompts, PNG files, data files.

Prompts come three ways: built from the constructs of ``grammars/prompt.lark`` (weights, nesting,
schedules, alternations, BREAK/AND, extra networks, embeddings, comments, escapes, strays and
unclosed brackets, with odd spacing and numbers), real prompts mutated at random points, and raw
text over the grammar's special characters. PNG files carry tEXt/zTXt/iTXt chunks with A1111
``parameters`` and the Animagine app's ``metadata``, then get damaged. Data files are YAML, TOML
and JSON written from generated data, then mutated.
"""

from __future__ import annotations

import json
import struct
import zlib
from pathlib import Path

from fuzz_prompts import NUMBERS, WORDS, grammar_prompt, mutate, raw_prompt
from fuzz_seeds import load_seeds
from hypothesis import strategies as st

REPO = Path(__file__).resolve().parents[2]
REAL_PROMPTS = REPO.parent / "shared" / "data" / "real-prompts.jsonl"
SEED_PROMPTS = load_seeds(REAL_PROMPTS)

DIALECTS = ("a1111", "comfy", "novelai")

# --- prompts ------------------------------------------------------------------------------------

#: Prompts made of the grammar's constructs, nested and separated the way people write them.
grammar_prompts = st.binary(max_size=160).map(grammar_prompt)
#: Real prompts (or the bundled seeds) with a few insertions, deletions, duplications and splices.
mutated_prompts = st.binary(max_size=24).map(lambda data: mutate(SEED_PROMPTS, data))
#: Raw text over the grammar's special characters and any other character.
raw_prompts = st.binary(max_size=200).map(raw_prompt)
#: Any prompt: the three sources mixed.
prompts = st.one_of(grammar_prompts, mutated_prompts, raw_prompts)

_WORD = st.sampled_from(WORDS)
_NUMBER = st.one_of(
    st.sampled_from(NUMBERS),
    st.integers(min_value=-5, max_value=10**12).map(str),
    st.floats(min_value=-1e6, max_value=1e6, allow_nan=False).map(lambda f: f"{f:.6g}"),
)

# --- PNG files -----------------------------------------------------------------------------------

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_SETTING_VALUES = {
    "Steps": _NUMBER,
    "Sampler": st.sampled_from(["Euler a", "DPM++ 2M Karras", "LCM", "", "x"]),
    "CFG scale": _NUMBER,
    "Seed": _NUMBER,
    "Size": st.one_of(st.builds(lambda w, h: f"{w}x{h}", _NUMBER, _NUMBER), _WORD),
    "Model": _WORD,
    "Clip skip": _NUMBER,
    "Denoising strength": _NUMBER,
    "Hires upscale": _NUMBER,
    "Lora hashes": st.builds(lambda a, b: f'"{a}: {b}"', _WORD, _WORD),
    "Schedule type": _WORD,
}


@st.composite
def parameters_texts(draw: st.DrawFn) -> str:
    """An A1111 ``parameters`` text: prompt, maybe a negative, a settings line (sometimes odd)."""
    lines = [draw(prompts)]
    if draw(st.booleans()):
        lines.append("Negative prompt: " + draw(prompts))
    keys = draw(st.lists(st.sampled_from(sorted(_SETTING_VALUES)), max_size=8))
    settings = ", ".join(f"{k}: {draw(_SETTING_VALUES[k])}" for k in keys)
    if keys or draw(st.booleans()):
        lines.append(settings + draw(st.sampled_from(["", ",", ", Extra: {", "\n", ": :"])))
    return "\n".join(lines)


_JSON_SCALAR = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(10**20), max_value=10**20), st.floats(), st.text(max_size=20)
)


@st.composite
def app_metadata_texts(draw: st.DrawFn) -> str:
    """The Animagine app's ``metadata`` JSON, with values of the right shape or not."""
    data: dict[str, object] = {}
    fields = {
        "prompt": prompts,
        "negative_prompt": prompts,
        "resolution": st.one_of(st.builds(lambda w, h: f"{w} x {h}", _NUMBER, _NUMBER), _JSON_SCALAR),
        "guidance_scale": st.one_of(st.floats(), st.integers(), _NUMBER),
        "num_inference_steps": st.one_of(st.integers(), _NUMBER, _JSON_SCALAR),
        "seed": st.one_of(st.integers(), _JSON_SCALAR),
        "sampler": st.one_of(st.sampled_from(["Euler a", "DPM++ 2M Karras"]), _JSON_SCALAR),
        "sdxl_style": st.one_of(st.sampled_from(["Photographic", "Anime", "(None)"]), _JSON_SCALAR),
        "quality_tags": st.one_of(st.sampled_from(["Heavy", "Standard", "Light"]), _JSON_SCALAR),
        "use_upscaler": st.one_of(
            st.none(),
            _JSON_SCALAR,
            st.fixed_dictionaries(
                {},
                optional={
                    "upscale_method": _JSON_SCALAR,
                    "upscaler_strength": st.one_of(st.floats(), _JSON_SCALAR),
                    "upscale_by": st.one_of(st.floats(), _JSON_SCALAR),
                    "new_resolution": _JSON_SCALAR,
                },
            ),
        ),
        "Model": st.one_of(
            _JSON_SCALAR, st.fixed_dictionaries({}, optional={"Model": _JSON_SCALAR, "Model hash": _JSON_SCALAR})
        ),
        "enable_lcm": _JSON_SCALAR,
        "refine_prompt": _JSON_SCALAR,
        "original_prompt": st.one_of(prompts, _JSON_SCALAR),
    }
    for key in draw(st.lists(st.sampled_from(sorted(fields)), unique=True)):
        data[key] = draw(fields[key])
    if draw(st.integers(min_value=0, max_value=3)):
        data["prompt"] = draw(prompts)
    return json.dumps(data, ensure_ascii=draw(st.booleans()))


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


@st.composite
def text_chunks(draw: st.DrawFn) -> bytes:
    """One tEXt, zTXt or iTXt chunk (valid checksum) with a keyword the readers look for, or not."""
    keyword = draw(st.sampled_from(["parameters", "metadata", "Comment", "Software", "prompt", "", "x" * 80, "a\x01"]))
    text = draw(
        st.one_of(parameters_texts(), app_metadata_texts(), st.text(max_size=40), st.sampled_from(["{", "{}", "[]"]))
    )
    kind = draw(st.sampled_from([b"tEXt", b"zTXt", b"iTXt"]))
    key = keyword.encode("latin-1")
    if kind == b"tEXt":
        body = key + b"\x00" + text.encode(draw(st.sampled_from(["latin-1", "utf-8"])), "replace")
    elif kind == b"zTXt":
        raw = zlib.compress(text.encode("utf-8", "surrogatepass"))
        body = key + b"\x00" + draw(st.sampled_from([b"\x00", b"\x01", b""])) + raw[: draw(st.sampled_from([None, -3]))]
    else:
        compressed = draw(st.booleans())
        raw = text.encode(draw(st.sampled_from(["utf-8", "utf-16"])), "surrogatepass")
        raw = zlib.compress(raw) if compressed else raw
        flags = bytes([int(compressed), draw(st.sampled_from([0, 0, 1]))])
        body = key + b"\x00" + flags + draw(st.sampled_from([b"\x00\x00", b"en\x00parameters\x00", b"\x00"])) + raw
    return _chunk(kind, body)


_IHDR = _chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
_IDAT = _chunk(b"IDAT", zlib.compress(b"\x00\x80"))
_IEND = _chunk(b"IEND", b"")


@st.composite
def png_files(draw: st.DrawFn) -> bytes:
    """A small PNG carrying text chunks, sometimes damaged (cut, a byte changed, bytes inserted)."""
    chunks = draw(st.lists(text_chunks(), max_size=4))
    data = PNG_SIGNATURE + _IHDR + b"".join(chunks) + _IDAT + _IEND
    for _ in range(draw(st.integers(min_value=0, max_value=2))):
        i = draw(st.integers(min_value=0, max_value=len(data)))
        op = draw(st.sampled_from(["cut", "flip", "insert", "length"]))
        if op == "cut":
            data = data[:i]
        elif op == "flip" and i < len(data):
            data = data[:i] + bytes([data[i] ^ draw(st.integers(min_value=1, max_value=255))]) + data[i + 1 :]
        elif op == "insert":
            data = data[:i] + draw(st.binary(max_size=12)) + data[i:]
        elif op == "length" and len(data) > 40:
            # a chunk length that lies: huge, zero, or one off
            j = 33 + (i % max(1, len(data) - 40))
            data = data[:j] + struct.pack(">I", draw(st.sampled_from([0, 1, 2**31 - 1, 2**32 - 1]))) + data[j + 4 :]
    return data


# --- data files ----------------------------------------------------------------------------------

_KEY = st.one_of(
    st.sampled_from(["name", "prompt", "negative", "quality", "style", "lint", "select", "tags"]), st.text(max_size=8)
)
_DATA = st.recursive(
    st.one_of(_JSON_SCALAR, prompts),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(_KEY, inner, max_size=4)),
    max_leaves=12,
)


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, dict):
        return (
            "{" + ", ".join(f"{json.dumps(str(k))} = {_toml_value(v)}" for k, v in value.items() if v is not None) + "}"
        )
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value if v is not None) + "]"
    return json.dumps(str(value))


def _dump(fmt: str, data: object) -> str:
    if fmt == "json":
        return json.dumps(data)
    if fmt == "yaml":
        import yaml

        return yaml.safe_dump(data, allow_unicode=True)
    table = data if isinstance(data, dict) else {"value": data}
    return "".join(f"{json.dumps(str(k))} = {_toml_value(v)}\n" for k, v in table.items() if v is not None)


_DATA_NOISE = st.one_of(
    st.sampled_from(
        ["{", "}", "[", "]", ":", "&a", "*a", "<<: *a", "!!python/object", "---", '"', "'", "\\u", "=", "\n  - "]
    ),
    st.text(max_size=4),
)


@st.composite
def data_files(draw: st.DrawFn) -> tuple[str, str]:
    """``(format, text)``: YAML, JSON or TOML written from generated data, then maybe mutated."""
    fmt = draw(st.sampled_from(["yaml", "json", "toml"]))
    text = _dump(fmt, draw(_DATA))
    for _ in range(draw(st.integers(min_value=0, max_value=3))):
        i = draw(st.integers(min_value=0, max_value=len(text)))
        if draw(st.booleans()):
            text = text[:i] + draw(_DATA_NOISE) + text[i:]
        else:
            text = text[:i] + text[i + draw(st.integers(min_value=1, max_value=8)) :]
    return fmt, text
