"""Fixtures for the token tests: transformers' CLIPTokenizer set up as in SDXL checkpoints."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from animagine_prompt.tokens._vocabulary import clip_vocabulary

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"
REAL_PROMPTS = SHARED / "data" / "real-prompts.jsonl"

# The added-token table SDXL's tokenizer folders carry (``tokenizer`` and ``tokenizer_2``).
_ADDED = {
    "49406": {"content": "<|startoftext|>", "normalized": True},
    "49407": {"content": "<|endoftext|>", "normalized": False},
}


def _write_sdxl_tokenizer(folder: Path, pad_token: str) -> Path:
    vocab, merges = clip_vocabulary()
    folder.mkdir(parents=True)
    (folder / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    lines = ["#version: 0.2", *(f"{a} {b}" for a, b in merges)]
    (folder / "merges.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    added = dict(_ADDED)
    if pad_token == "!":
        added = {"0": {"content": "!", "normalized": False}, **added}
    decoder = {
        key: {**value, "lstrip": False, "rstrip": False, "single_word": False, "special": True}
        for key, value in added.items()
    }
    config = {
        "add_prefix_space": False,
        "added_tokens_decoder": decoder,
        "bos_token": "<|startoftext|>",
        "clean_up_tokenization_spaces": True,
        "do_lower_case": True,
        "eos_token": "<|endoftext|>",
        "errors": "replace",
        "model_max_length": 77,
        "pad_token": pad_token,
        "tokenizer_class": "CLIPTokenizer",
        "unk_token": "<|endoftext|>",
    }
    (folder / "tokenizer_config.json").write_text(json.dumps(config), encoding="utf-8")
    special = {"bos_token": "<|startoftext|>", "eos_token": "<|endoftext|>", "pad_token": pad_token,
               "unk_token": "<|endoftext|>"}
    (folder / "special_tokens_map.json").write_text(json.dumps(special), encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def hf_tokenizers(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """``{"clip_l": tokenizer, "clip_g": tokenizer_2}`` loaded by transformers from SDXL-style folders."""
    transformers = pytest.importorskip("transformers")
    root = tmp_path_factory.mktemp("sdxl")
    return {
        "clip_l": transformers.CLIPTokenizer.from_pretrained(
            _write_sdxl_tokenizer(root / "tokenizer", "<|endoftext|>")
        ),
        "clip_g": transformers.CLIPTokenizer.from_pretrained(
            _write_sdxl_tokenizer(root / "tokenizer_2", "!")
        ),
    }


@pytest.fixture(scope="session")
def real_prompts() -> list[str]:
    """Prompts and negatives of ``../shared/data/real-prompts.jsonl``; skips when it is absent."""
    if not REAL_PROMPTS.is_file():
        pytest.skip(f"{REAL_PROMPTS} is absent")
    texts = []
    for line in REAL_PROMPTS.read_text(encoding="utf-8").splitlines():
        if line.strip():
            record = json.loads(line)
            texts.append(record["prompt"])
            if record.get("negative"):
                texts.append(record["negative"])
    return texts
