"""A tiny random Llama-architecture causal LM and a word-level tokenizer, built here (no downloads).

The vocabulary is made of Danbooru tags in underscore form plus words no tag database knows, so
random sampling proposes a mix of everything an expansion has to sort out: known general tags, an
alias, character, meta and quality tags, explicit tags, tags that contradict ``solo``/``1girl``,
negative-prompt tags, unknown words, a line break (where a TIPO tag list ends) and the end token.
Both are written with ``save_pretrained`` and loaded back through ``from_pretrained``, the path
users hit with a real model.
"""

from __future__ import annotations

from pathlib import Path

SPECIAL = ["<pad>", "<s>", "</s>", "<unk>"]
KNOWN_GENERAL = [
    "long_hair",
    "short_hair",
    "blue_eyes",
    "red_eyes",
    "smile",
    "blush",
    "open_mouth",
    "closed_mouth",
    "school_uniform",
    "hat",
    "flower",
    "sky",
    "skirt",
    "twintails",
    "jewelry",
    "earrings",
    "outdoors",
    "indoors",
    "day",
    "night",
    "sitting",
    "standing",
    "upper_body",
    "full_body",
    "bare_shoulders",
]
OTHER_TAGS = [
    "blond_hair",  # alias of blonde_hair
    "solo",
    "1girl",
    "2girls",
    "frown",  # the user's, or contradicting them
    "hu_tao_(genshin_impact)",
    "genshin_impact",
    "highres",
    "masterpiece",  # character, copyright, meta, quality
    "nude",
    "nipples",  # explicit
    "bad_anatomy",
    "bad_hands",
    "lowres",  # the test negative prompt's
]
UNKNOWN = ["zzqx", "florp", "glorbit", "wibble"]
# request words, so that requests do not tokenize to unknowns only
REQUEST_WORDS = ["tag:", "target:", "aspect_ratio:", "rating:", "characters:", "<|long|>", "<|short|>", "1.0"]
# a tag token carries its comma, so random text is mostly a comma-separated tag list; unknown words
# also come bare, and run into the next token as one unknown item
VOCABULARY = [
    *SPECIAL,
    "\n",
    *(f"{t}," for t in [*KNOWN_GENERAL, *OTHER_TAGS, *UNKNOWN]),
    *UNKNOWN,
    *REQUEST_WORDS,
]


def build_tokenizer(vocabulary: list[str] | None = None):
    """A ``PreTrainedTokenizerFast`` over ``vocabulary`` (default :data:`VOCABULARY`): words split at
    spaces and line breaks (kept as tokens)."""
    from tokenizers import Regex, Tokenizer, models, pre_tokenizers
    from transformers import PreTrainedTokenizerFast

    vocab = {token: i for i, token in enumerate(vocabulary or VOCABULARY)}
    tokenizer = Tokenizer(models.WordLevel(vocab, unk_token="<unk>"))
    tokenizer.pre_tokenizer = pre_tokenizers.Sequence(
        [pre_tokenizers.Split(Regex("\n"), behavior="isolated"), pre_tokenizers.Split(" ", behavior="removed")]
    )
    return PreTrainedTokenizerFast(
        tokenizer_object=tokenizer, bos_token="<s>", eos_token="</s>", unk_token="<unk>", pad_token="<pad>"
    )


def tiny_lm(
    folder: Path,
    *,
    seed: int = 0,
    hidden_size: int = 32,
    layers: int = 2,
    heads: int = 4,
    intermediate_size: int | None = None,
    vocabulary: list[str] | None = None,
) -> Path:
    """Save a random ``LlamaForCausalLM`` and its tokenizer in ``folder``; returns ``folder``.

    The defaults are tiny; the benchmark passes real sizes (and a larger ``vocabulary``)."""
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM

    vocabulary = vocabulary or VOCABULARY
    tokenizer = build_tokenizer(vocabulary)
    config = LlamaConfig(
        vocab_size=len(vocabulary),
        hidden_size=hidden_size,
        intermediate_size=intermediate_size or 2 * hidden_size,
        num_hidden_layers=layers,
        num_attention_heads=heads,
        num_key_value_heads=max(1, heads // 2),
        max_position_embeddings=1024,
        bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.pad_token_id,
        # larger random logits than the default: sampling then has favourites, as a trained model has
        initializer_range=0.5,
    )
    torch.manual_seed(seed)
    model = LlamaForCausalLM(config)
    folder = Path(folder)
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder
