"""The bundled tokenizer against transformers' CLIPTokenizer, and its own contract."""

from __future__ import annotations

import gzip
import random
import sys
from pathlib import Path

import pytest

from animagine_prompt.errors import UsageError
from animagine_prompt.tokens import ClipTokenizer, TokenizedText, load_tokenizer
from animagine_prompt.tokens._tokenizer import _align, _byte_decoder
from animagine_prompt.tokens._vocabulary import MERGES_FILE, N_MERGES

_PIECES = [
    "masterpiece", "best quality", "1girl", "solo", "green hair", "looking at viewer", "face focus",
    "hu tao \\(genshin impact\\)", "fu xuan \\(honkai: star rail\\)", "(masterpiece:1.2)", "((smile))",
    "[blurry]", "{{red eyes}}", "(a: 1.5 )", "<lora:add_detail:0.8>", "BREAK", "AND", "[cat:dog:0.5]",
    "[a|b]", "^_^", ">_<", "o_o", ":3", "(╯°□°）╯︵ ┻━┻", "¯\\_(ツ)_/¯", "it's", "don't", "girl's room",
    "WE'LL", "8k", "1.25", "4K UHD", "2024", "少女", "日本語のプロンプト", "初音ミク", "한국어", "Ελληνικά",
    "кириллица", "Pokémon", "Pokémon", "Ｆｕｌｌ　Ｗｉｄｔｈ", "（全角）", "，", "：", "！", "wow!!",
    "hello!", "!?", "!!!", "...", "—", "–", "“quoted”", "'single'", "😀", "👩‍🎤", "🇯🇵", "👍🏽", "❤️",
    "★☆", "♪", "→", "©", "\u200b", "\u00a0nbsp", "tab\there", "line\nbreak", "cr\r\nlf", "\u3000",
    "<|endoftext|>", "<|startoftext|>", "<|ENDOFTEXT|>", "\\\\", "\\(", "\\[x\\]", "a\u0301", "ﬁ ligature",
    "ＡＢＣ１２３", "Ⅻ", "½", "x²", "\x00", "\x1b[0m", "\ufffd", "İstanbul", "ß", "ǅ", "ﾊﾝｶｸ", "🏳️‍🌈",
    "ASCII ONLY TEXT", "   spaced   out   ", "trailing, ", "", "a,b,c", "a ,b , c", "weird((spacing))",
    "score_9, score_8_up", "rating:safe", "nsfw", "absurdres", "@artist", "#hashtag", "$100", "50%",
]


def generated_prompts(count: int, seed: int = 1234) -> list[str]:
    """Random tag soups from the pieces above, joined the ways people join them; some very long."""
    rng = random.Random(seed)
    prompts = []
    for i in range(count):
        n = rng.choice([1, 3, 8, 20, 40]) if i % 10 else rng.randint(80, 200)
        parts = [rng.choice(_PIECES) for _ in range(n)]
        separator = rng.choice([", ", ",", " , ", " ", "\n", "，", "、", " BREAK "])
        prompts.append(separator.join(parts))
    return prompts


@pytest.mark.parametrize("kind", ["clip_l", "clip_g"])
def test_ids_match_transformers(kind, hf_tokenizers, real_prompts):
    texts = real_prompts + generated_prompts(400) + _PIECES
    assert len(texts) >= 500
    hf = hf_tokenizers[kind]
    ours = load_tokenizer(kind)
    expected = hf(texts, add_special_tokens=False)["input_ids"]
    got = ours.encode_batch(texts)
    mismatches = [t for t, e, g in zip(texts, expected, got, strict=True) if list(g.ids) != list(e)]
    assert mismatches == []
    # One at a time gives the same ids as a batch.
    assert [ours.encode(t).ids for t in texts[:50]] == [g.ids for g in got[:50]]


@pytest.mark.parametrize("kind", ["clip_l", "clip_g"])
def test_special_ids_match_transformers(kind, hf_tokenizers):
    hf = hf_tokenizers[kind]
    ours = load_tokenizer(kind)
    assert (ours.bos_id, ours.eos_id, ours.pad_id) == (hf.bos_token_id, hf.eos_token_id, hf.pad_token_id)
    assert ours.comma_id == hf.convert_tokens_to_ids(",</w>") == 267
    assert ours.model_max_length == hf.model_max_length == 77


def test_tokenizer_2_cuts_out_exclamation_marks():
    # transformers registers tokenizer_2's pad token "!" as a special token, so it never merges.
    assert load_tokenizer("clip_l").encode("wow!!").ids == (2781, 748)
    assert load_tokenizer("clip_g").encode("wow!!").ids == (2781, 0, 0)
    assert load_tokenizer("clip_l").encode("green hair") == load_tokenizer("clip_g").encode("green hair")


def test_offsets_point_at_the_token_text():
    tok = load_tokenizer()
    text = "Hu Tao (Genshin Impact),  SMILE\n🫠"
    encoded = tok.encode(text)
    pieces = [text[a:b] for a, b in encoded.offsets]
    # The melting face is three byte-level tokens of one character: all three point at it.
    assert pieces == ["Hu", "Tao", "(", "Gen", "shin", "Impact", "),", "SMILE", "🫠", "🫠", "🫠"]
    assert len(encoded) == len(encoded.ids) == len(encoded.offsets)


def test_offsets_match_transformers(hf_tokenizers, real_prompts):
    hf = hf_tokenizers["clip_l"]
    texts = real_prompts[:100] + generated_prompts(50, seed=7)
    expected = hf(texts, add_special_tokens=False, return_offsets_mapping=True)["offset_mapping"]
    got = load_tokenizer().encode_batch(texts)
    assert [list(g.offsets) for g in got] == [[tuple(o) for o in e] for e in expected]


def test_load_is_cached_and_checks_kind():
    assert load_tokenizer("clip_l") is load_tokenizer()
    assert load_tokenizer("clip_g") is not load_tokenizer("clip_l")
    with pytest.raises(UsageError, match="'clip_l' or 'clip_g'"):
        load_tokenizer("CLIP-L")


def test_empty_and_whitespace_texts():
    tok = load_tokenizer()
    assert tok.encode("") == TokenizedText((), ())
    assert tok.encode(" \n\t ").ids == ()
    assert tok.encode_batch([]) == []


def test_token_text_is_readable():
    tok = load_tokenizer()
    assert [tok.token_text(i) for i in tok.encode("best quality,").ids] == ["best ", "quality ", ", "]
    assert tok.token_text(tok.eos_id) == "<|endoftext|>"
    assert tok.token_text(10**6) == "\N{REPLACEMENT CHARACTER}"
    assert tok.id_to_token(10**6) is None


def test_bundled_merges_are_clips(tmp_path):
    import importlib.util

    spec = importlib.util.find_spec("clip")  # importing it would pull in torch
    source = Path(spec.origin).parent / "bpe_simple_vocab_16e6.txt.gz" if spec and spec.origin else None
    if source is None or not source.is_file():
        pytest.skip("clip-anytorch does not ship its merges here")
    upstream = gzip.decompress(source.read_bytes()).decode("utf-8").split("\n")[1 : 1 + N_MERGES]
    ours = gzip.decompress(MERGES_FILE.read_bytes()).decode("utf-8").splitlines()
    assert ours == upstream
    assert (MERGES_FILE.parent / "LICENSE-CLIP.txt").read_text().count("Copyright (c) 2021 OpenAI") == 1


def test_import_pulls_in_no_heavy_modules():
    import subprocess

    code = (
        "import sys, animagine_prompt.tokens as t; t.load_tokenizer().encode('a');"
        "print(sorted(m for m in ('torch', 'transformers', 'diffusers', 'rich') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


# --- wrapping a pipeline's own tokenizer ------------------------------------------------------------


@pytest.mark.parametrize("kind", ["clip_l", "clip_g"])
def test_from_transformers_fast_matches_bundled(kind, hf_tokenizers, real_prompts):
    hf = hf_tokenizers[kind]
    hf(["x"] * 3, truncation=True, max_length=4, padding="max_length")  # leaves settings on the backend
    wrapped = ClipTokenizer.from_transformers(hf)
    ours = load_tokenizer(kind)
    assert (wrapped.bos_id, wrapped.eos_id, wrapped.pad_id, wrapped.comma_id, wrapped.model_max_length) == (
        ours.bos_id, ours.eos_id, ours.pad_id, ours.comma_id, ours.model_max_length,
    )
    texts = real_prompts[:60] + generated_prompts(60, seed=99)
    assert wrapped.encode_batch(texts) == ours.encode_batch(texts)
    assert wrapped.token_text(267) == ", "


class _PythonTokenizer:
    """Stands in for transformers 4's pure-Python CLIPTokenizer: ids and token strings, no offsets."""

    bos_token_id, eos_token_id, pad_token_id, model_max_length = 49406, 49407, 49407, int(1e30)

    def __init__(self) -> None:
        self._inner = load_tokenizer()

    def get_vocab(self) -> dict[str, int]:
        from animagine_prompt.tokens._vocabulary import clip_vocabulary

        return dict(clip_vocabulary()[0])

    def __call__(self, texts, add_special_tokens=True):
        assert add_special_tokens is False
        return {"input_ids": [list(t.ids) for t in self._inner.encode_batch(texts)]}

    def convert_ids_to_tokens(self, ids):
        return [self._inner.id_to_token(i) for i in ids]


def test_from_transformers_python_tokenizer_aligns_offsets():
    wrapped = ClipTokenizer.from_transformers(_PythonTokenizer())
    assert wrapped.model_max_length == 77
    texts = ["Hu Tao (Genshin Impact),  SMILE", "少女, 🫠 wow!! ﾊﾝ", "(masterpiece:1.2), BREAK <|endoftext|>"]
    assert wrapped.encode_batch(texts) == load_tokenizer().encode_batch(texts)


def test_align_gives_empty_ranges_to_unmatched_tokens():
    assert _align("abc", ["zz</w>", "abc</w>"], _byte_decoder()) == ((0, 0), (0, 3))


@pytest.mark.parametrize("kind", ["clip_l", "clip_g"])
def test_encode_raw_matches_encode_batch(kind, real_prompts):
    tok = load_tokenizer(kind)
    texts = [*real_prompts, *generated_prompts(200, seed=5), "", "wow!!"]
    expected = [(list(t.ids), list(t.offsets)) for t in tok.encode_batch(texts)]
    assert tok.encode_raw(texts) == expected
    assert tok.encode_raw(texts[:1]) == expected[:1]
    assert tok.encode_raw([]) == []


def test_python_tokenizer_raw_encoding_falls_back_to_batches():
    wrapped = ClipTokenizer.from_transformers(_PythonTokenizer())
    assert wrapped.encode_raw(["1girl, ", "smile"]) == [([272, 1611, 267], [(0, 1), (1, 5), (5, 6)]),
                                                       ([3490], [(0, 5)])]
    assert wrapped.encode_raw([]) == []


def test_a_python_tokenizer_plans_as_the_bundled_one():
    from animagine_prompt.tokens import plan

    wrapped = ClipTokenizer.from_transformers(_PythonTokenizer())
    texts = [
        "masterpiece, (hu tao \\(genshin impact\\):1.2), <lora:x:0.8> smile BREAK [red:blue:5] theme",
        "a" + ", (cat:1.1)" * 40,
        "少女, 🫠 wow!! ﾊﾝ AND b:0.5",
    ]
    for text in texts:
        assert plan(text, wrapped) == plan(text, load_tokenizer()), text
