"""A CLIP tokenizer that needs no model download and no torch.

It reproduces transformers' ``CLIPTokenizer`` as Stable Diffusion XL checkpoints configure it:
NFC, runs of whitespace folded to one space, lowercase; CLIP's word pattern; byte-level BPE with
``</w>`` closing each word. ``clip_l`` is SDXL's ``tokenizer`` (pads with ``<|endoftext|>``),
``clip_g`` its ``tokenizer_2`` (pads with ``!``). Because transformers registers a pad token as a
special token, ``tokenizer_2`` also cuts every ``!`` out of the text as a token of its own (id 0):
``wow!!`` is ``wow</w> !!</w>`` for ``clip_l`` but ``wow</w> ! !`` for ``clip_g``. The two
tokenizers therefore agree on every prompt without ``!`` and may disagree on the rest.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Literal

from animagine_prompt.errors import UsageError
from animagine_prompt.tokens._vocabulary import BOS, EOS, N_MERGES, byte_symbols, clip_vocabulary

__all__ = ["KINDS", "ClipTokenizer", "TokenizedText", "load_tokenizer"]

Kind = Literal["clip_l", "clip_g"]
#: ``(ids, offsets)`` of one text, as fresh lists
RawEncoding = tuple[list[int], list[tuple[int, int]]]
KINDS: tuple[str, ...] = ("clip_l", "clip_g")
N_TOKENS = 512 + N_MERGES + 2  # byte symbols, the same closing a word, one per merge, BOS, EOS

# CLIP's word pattern (the one transformers' CLIPTokenizer uses): special tokens, English
# contractions, letter runs, single digits, runs of other non-space characters.
_WORD_PATTERN = r"""<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+"""


@dataclass(frozen=True)
class TokenizedText:
    """The tokens of one text: ids without BOS/EOS, and each token's character range in the text.

    Tokens cut from one multi-byte character (an emoji, say) share that character's range.

    >>> tokenized = load_tokenizer().encode("Green hair")
    >>> tokenized.ids, tokenized.offsets
    ((1901, 2225), ((0, 5), (6, 10)))
    """

    ids: tuple[int, ...]
    offsets: tuple[tuple[int, int], ...]

    def __len__(self) -> int:
        return len(self.ids)


@dataclass(frozen=True, eq=False)
class ClipTokenizer:
    """Text to CLIP token ids, with special-token ids and the sequence length the encoder sees.

    Get one from :func:`load_tokenizer` (bundled data) or :meth:`from_transformers` (a pipeline's
    own tokenizer); both answer the same way.

    >>> tok = load_tokenizer("clip_g")
    >>> tok.encode("1girl, smile").ids, tok.comma_id, tok.pad_id, tok.model_max_length
    ((272, 1611, 267, 3490), 267, 0, 77)
    """

    name: str
    bos_id: int
    eos_id: int
    pad_id: int
    comma_id: int
    model_max_length: int
    _encode_batch: Callable[[list[str]], list[TokenizedText]] = field(repr=False)
    _id_to_token: Callable[[int], str | None] = field(repr=False)
    _encode_raw: Callable[[list[str]], list[RawEncoding]] | None = field(default=None, repr=False)

    def encode_raw(self, texts: list[str]) -> list[RawEncoding]:
        """:meth:`encode_batch` as plain lists, one pair per text: ``(ids, offsets)``.

        The planner's path: the lists come straight from the tokenizer, with no copy into tuples
        and no :class:`TokenizedText` per text; the caller owns them.

        >>> load_tokenizer().encode_raw(["1girl, smile", ""])
        [([272, 1611, 267, 3490], [(0, 1), (1, 5), (5, 6), (7, 12)]), ([], [])]
        """
        if self._encode_raw is None:
            return [(list(t.ids), list(t.offsets)) for t in self._encode_batch(texts)] if texts else []
        return self._encode_raw(texts)

    def encode(self, text: str) -> TokenizedText:
        """Token ids (no BOS/EOS) and character offsets of ``text``.

        >>> load_tokenizer().encode("masterpiece, best quality").ids
        (12066, 267, 949, 3027)
        """
        return self._encode_batch([text])[0]

    def encode_batch(self, texts: Iterable[str]) -> list[TokenizedText]:
        """:meth:`encode` for many texts at once (faster than one at a time).

        >>> [t.ids for t in load_tokenizer().encode_batch(["1girl", ""])]
        [(272, 1611), ()]
        """
        return self._encode_batch(list(texts))

    def id_to_token(self, token_id: int) -> str | None:
        """The vocabulary entry of ``token_id`` (byte-level symbols, ``</w>`` ends a word), or None.

        >>> load_tokenizer().id_to_token(267)
        ',</w>'
        """
        return self._id_to_token(token_id)

    def token_text(self, token_id: int) -> str:
        """A readable form of a token: its bytes decoded, ``</w>`` shown as a trailing space.

        Bytes that are only part of a character (one token of an emoji) show as U+FFFD.

        >>> tok = load_tokenizer()
        >>> [tok.token_text(i) for i in tok.encode("hu tao").ids]
        ['hu ', 'tao ']
        """
        token = self._id_to_token(token_id)
        if token is None:
            return "\N{REPLACEMENT CHARACTER}"
        end = token.endswith("</w>")
        if end:
            token = token[:-4]
        if token in (BOS, EOS):
            return token
        decoder = _byte_decoder()
        raw = bytes(decoder[c] for c in token if c in decoder)
        return raw.decode("utf-8", errors="replace") + (" " if end else "")

    @classmethod
    def from_transformers(cls, hf_tokenizer: Any) -> ClipTokenizer:
        """Wrap a pipeline's own ``CLIPTokenizer`` or ``CLIPTokenizerFast`` behind this interface.

        Duck-typed: nothing is imported from transformers. A tokenizer backed by the ``tokenizers``
        library (every transformers 5 tokenizer, and the "Fast" ones before) is used through a
        private copy of its backend, so offsets are exact and the caller's truncation or padding
        settings do not apply. A pure-Python tokenizer is called as it is; its offsets are then
        found by matching each token's bytes in the lowercased text, and a token that cannot be
        matched (text its normalisation rewrote) gets an empty range where the search stands.

        >>> ClipTokenizer.from_transformers(load_tokenizer("clip_g")) is load_tokenizer("clip_g")
        True
        """
        if isinstance(hf_tokenizer, ClipTokenizer):
            return hf_tokenizer

        def special(name: str, default: int) -> int:
            value = getattr(hf_tokenizer, name, None)
            return default if value is None else int(value)

        bos_id = special("bos_token_id", 49406)
        eos_id = special("eos_token_id", 49407)
        pad_id = special("pad_token_id", eos_id)
        max_length = int(getattr(hf_tokenizer, "model_max_length", 77) or 77)
        if max_length > 1_000_000:  # transformers' "no limit" sentinel: CLIP's text encoders see 77
            max_length = 77
        vocab = hf_tokenizer.get_vocab() if hasattr(hf_tokenizer, "get_vocab") else {}
        comma_id = int(vocab.get(",</w>", 267))
        backend = getattr(hf_tokenizer, "backend_tokenizer", None)
        if backend is not None:
            from tokenizers import Tokenizer

            own = Tokenizer.from_str(backend.to_str())
            own.no_truncation()
            own.no_padding()
            encode_raw = _raw_encoder(own)
            encode_batch = _backend_encoder(own, encode_raw)
            id_to_token: Callable[[int], str | None] = own.id_to_token
        else:
            encode_batch = _python_encoder(hf_tokenizer)
            encode_raw = None
            inverse: dict[int, str] = {i: t for t, i in vocab.items()}
            id_to_token = inverse.get
        return cls(
            name=type(hf_tokenizer).__name__,
            bos_id=bos_id,
            eos_id=eos_id,
            pad_id=pad_id,
            comma_id=comma_id,
            model_max_length=max_length,
            _encode_batch=encode_batch,
            _id_to_token=id_to_token,
            _encode_raw=encode_raw,
        )


# A lone surrogate (from a broken paste or a JSON escape) cannot cross into the Rust backend:
# it becomes U+FFFD, one character for one, so offsets still point into the prompt.
_SURROGATES = re.compile("[\ud800-\udfff]")


def _raw_encoder(backend: Any) -> Callable[[list[str]], list[RawEncoding]]:
    def encode_raw(texts: list[str]) -> list[RawEncoding]:
        texts = [_SURROGATES.sub("\ufffd", t) for t in texts]
        if len(texts) == 1:  # encode_batch's thread hand-off costs more than it saves on one text
            encodings = [backend.encode(texts[0], add_special_tokens=False)]
        else:
            encodings = backend.encode_batch(texts, add_special_tokens=False)
        return [(e.ids, e.offsets) for e in encodings]

    return encode_raw


def _backend_encoder(
    backend: Any, encode_raw: Callable[[list[str]], list[RawEncoding]]
) -> Callable[[list[str]], list[TokenizedText]]:
    def encode_batch(texts: list[str]) -> list[TokenizedText]:
        return [TokenizedText(tuple(ids), tuple(offsets)) for ids, offsets in encode_raw(texts)]

    return encode_batch


def _python_encoder(hf_tokenizer: Any) -> Callable[[list[str]], list[TokenizedText]]:
    decoder = _byte_decoder()

    def encode_batch(texts: list[str]) -> list[TokenizedText]:
        if not texts:
            return []
        all_ids = hf_tokenizer(texts, add_special_tokens=False)["input_ids"]
        out = []
        for text, ids in zip(texts, all_ids, strict=True):
            tokens = hf_tokenizer.convert_ids_to_tokens(list(ids))
            out.append(TokenizedText(tuple(ids), _align(text, tokens, decoder)))
        return out

    return encode_batch


def _align(text: str, tokens: Sequence[str], decoder: dict[str, int]) -> tuple[tuple[int, int], ...]:
    """Character ranges of byte-level ``tokens`` in ``text``, found left to right.

    >>> _align("Hi, 😀", ["hi</w>", ",</w>", "ðŁĺ", "Ģ</w>"], _byte_decoder())
    ((0, 2), (2, 3), (4, 5), (4, 5))
    """
    # Lowercased UTF-8 with, for every byte, the index of the character it came from.
    lowered = bytearray()
    owner: list[int] = []
    for i, ch in enumerate(text):
        encoded = ch.lower().encode("utf-8")
        lowered += encoded
        owner += [i] * len(encoded)
    owner.append(len(text))
    cursor = 0
    offsets = []
    for token in tokens:
        symbols = token[:-4] if token.endswith("</w>") else token
        if symbols in (BOS, EOS):
            raw = symbols.encode("utf-8")
        else:
            raw = bytes(decoder[c] for c in symbols if c in decoder)
        found = lowered.find(raw, cursor) if raw else -1
        if found < 0:
            here = owner[min(cursor, len(owner) - 1)]
            offsets.append((here, here))
            continue
        end = found + len(raw)
        offsets.append((owner[found], owner[end - 1] + 1))
        cursor = end
    return tuple(offsets)


@cache
def _byte_decoder() -> dict[str, int]:
    return {symbol: b for b, symbol in byte_symbols()}


def load_tokenizer(kind: str = "clip_l") -> ClipTokenizer:
    """The bundled CLIP tokenizer of SDXL's first (``"clip_l"``) or second (``"clip_g"``) text encoder.

    Built on first use from the bundled merge rules (about 45 ms, no file other than the package's
    own) and cached for the life of the process.

    >>> tok = load_tokenizer()
    >>> tok.bos_id, tok.eos_id, tok.pad_id, tok.comma_id, tok.model_max_length
    (49406, 49407, 49407, 267, 77)
    >>> load_tokenizer("t5")
    Traceback (most recent call last):
    ...
    animagine_prompt.errors.UsageError: unknown tokenizer 't5': use 'clip_l' or 'clip_g'
    """
    if kind not in KINDS:
        raise UsageError(f"unknown tokenizer {kind!r}: use 'clip_l' or 'clip_g'")
    return _load(kind)


# Calls with fewer texts than this tokenize readable text in plain Python (``_small_bpe``): no
# backend to build for a one-prompt command, and faster per text once its word cache is warm.
# Larger batches go to the backend, whose ``encode_batch`` runs on every core.
SMALL_BATCH = 16


@cache
def _load(kind: str) -> ClipTokenizer:
    from animagine_prompt.tokens._small_bpe import SmallBpe, readable

    cut_bang = kind == "clip_g"
    small: list[SmallBpe] = []

    def encode_raw(texts: list[str]) -> list[RawEncoding]:
        if len(texts) < SMALL_BATCH and all(readable(t, cut_bang) for t in texts):
            if not small:
                small.append(SmallBpe())
            return [small[0].encode(t) for t in texts]
        return _backend(kind)[1](texts)

    def encode_batch(texts: list[str]) -> list[TokenizedText]:
        return [TokenizedText(tuple(ids), tuple(offsets)) for ids, offsets in encode_raw(texts)]

    def id_to_token(token_id: int) -> str | None:
        token: str | None = _backend(kind)[0].id_to_token(token_id)
        return token

    symbols = dict((symbol, i) for i, (_, symbol) in enumerate(byte_symbols()))
    return ClipTokenizer(
        name=kind,
        bos_id=N_TOKENS - 2,
        eos_id=N_TOKENS - 1,
        pad_id=symbols["!"] if kind == "clip_g" else N_TOKENS - 1,
        comma_id=256 + symbols[","],
        model_max_length=77,
        _encode_batch=encode_batch,
        _id_to_token=id_to_token,
        _encode_raw=encode_raw,
    )


@cache
def _backend(kind: str) -> tuple[Any, Callable[[list[str]], list[RawEncoding]]]:
    """The ``tokenizers`` backend of ``kind`` and its raw encoder, built on first need."""
    from tokenizers import AddedToken, Regex, Tokenizer, normalizers, pre_tokenizers
    from tokenizers.models import BPE

    vocab, merges = clip_vocabulary()
    backend = Tokenizer(
        BPE(
            vocab,
            merges,
            continuing_subword_prefix="",
            end_of_word_suffix="</w>",
            unk_token=EOS,
            fuse_unk=False,
        )
    )
    backend.normalizer = normalizers.Sequence(
        [normalizers.NFC(), normalizers.Replace(Regex(r"\s+"), " "), normalizers.Lowercase()]
    )
    backend.pre_tokenizer = pre_tokenizers.Sequence(
        [
            pre_tokenizers.Split(Regex(_WORD_PATTERN), behavior="removed", invert=True),
            pre_tokenizers.ByteLevel(add_prefix_space=False),
        ]
    )
    # The added tokens as transformers registers them from SDXL's tokenizer configs: they are
    # matched before normalisation (``normalized=False``) except <|startoftext|>.
    special = [
        AddedToken(BOS, normalized=True, special=True),
        AddedToken(EOS, normalized=False, special=True),
    ]
    if kind == "clip_g":
        special.insert(0, AddedToken("!", normalized=False, special=True))
    backend.add_special_tokens(special)
    return backend, _raw_encoder(backend)
