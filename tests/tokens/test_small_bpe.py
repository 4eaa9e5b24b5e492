"""The plain-Python BPE gives the tokenizers backend's ids and offsets wherever it is used."""

from __future__ import annotations

import json
import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from animagine_prompt.tokens import _tokenizer
from animagine_prompt.tokens._small_bpe import SmallBpe, readable
from tests.conftest import shared_file

ALPHABET = string.ascii_letters + string.digits + string.punctuation + " \t\n\r"
WORDS = ["masterpiece", "1girl", "hu tao", "(green hair:1.2)", "'s", "don't", "aaaa", "!!", "<lora:x:1>", "\\(", "  "]


_BACKEND = _tokenizer._backend


def backend_encode(kind: str, text: str) -> tuple[list[int], list[tuple[int, int]]]:
    return _BACKEND(kind)[1]([text])[0]


@pytest.fixture(scope="module")
def small() -> SmallBpe:
    return SmallBpe()


@settings(deadline=None)  # the first example builds both tokenizers
@given(st.lists(st.one_of(st.text(ALPHABET, max_size=12), st.sampled_from(WORDS)), max_size=12).map("".join))
def test_same_as_backend_on_generated_text(text: str) -> None:
    small = SmallBpe()
    for kind in ("clip_l", "clip_g"):
        if readable(text, kind == "clip_g"):
            assert small.encode(text) == backend_encode(kind, text)


def test_same_as_backend_on_real_prompts(small: SmallBpe) -> None:
    path = shared_file("data", "real-prompts.jsonl")
    texts = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            record = json.loads(line)
            texts += [record["prompt"], record.get("negative") or ""]
    compared = [t for t in texts if readable(t, False)]
    assert len(compared) > len(texts) // 2  # most real prompts take the plain-Python path
    for text in compared:
        assert small.encode(text) == backend_encode("clip_l", text), text


@pytest.mark.parametrize(
    ("text", "kind", "expected"),
    [
        ("1girl, smile", "clip_l", True),
        ("wow!!", "clip_l", True),
        ("wow!!", "clip_g", False),  # clip_g cuts every "!" out as a special token
        ("café", "clip_l", False),
        ("a <|endoftext|> b", "clip_l", False),
        ("a\x1cb", "clip_l", False),  # control characters whose whitespace class differs between engines
    ],
)
def test_readable(text: str, kind: str, expected: bool) -> None:
    assert readable(text, kind == "clip_g") is expected


def test_backend_for_unreadable_text_and_large_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    _tokenizer._load.cache_clear()
    built = []
    def counting(kind: str):
        built.append(kind)
        return _BACKEND(kind)

    monkeypatch.setattr(_tokenizer, "_backend", counting)
    try:
        tok = _tokenizer.load_tokenizer("clip_l")
        tok.encode_raw(["1girl, smile"])
        assert built == []  # a one-prompt run never builds the backend
        assert list(tok.encode("café").ids) == backend_encode("clip_l", "café")[0]
        assert built == ["clip_l"]
        built.clear()
        many = ["1girl, smile"] * _tokenizer.SMALL_BATCH  # a large batch goes to the backend's threads
        assert tok.encode_raw(many) == [backend_encode("clip_l", "1girl, smile")] * len(many)
        assert built == ["clip_l"]
    finally:
        _tokenizer._load.cache_clear()
