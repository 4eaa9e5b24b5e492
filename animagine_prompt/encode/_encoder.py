"""Weighted, chunked SDXL text conditioning in one batched encoder pass."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import torch

from animagine_prompt.encode._cache import CachedChunk, ChunkCache, encoder_key
from animagine_prompt.encode._conditioning import Conditioning
from animagine_prompt.encode._emphasis import EMPHASIS_MODES, EmphasisResult, apply_emphasis
from animagine_prompt.encode._lengths import LENGTH_MODES, match_lengths, plan_lengths
from animagine_prompt.errors import UsageError

__all__ = ["PromptEncoder", "shared_cache"]

_ENCODER_NAMES = ("CLIP-L", "bigG")

_SHARED_CACHE = ChunkCache()
_SIDES_KEPT = 64  # prompts whose parse, plan, token rows and weights an encoder keeps


def shared_cache() -> ChunkCache:
    """The process-wide chunk cache that encoders use unless given their own.

    >>> shared_cache() is shared_cache()
    True
    """
    return _SHARED_CACHE


def _execution_device(module: torch.nn.Module) -> torch.device:
    # accelerate's offload hooks keep the weights elsewhere and name the device they run on
    hook = getattr(module, "_hf_hook", None)
    device = getattr(hook, "execution_device", None)
    if device is not None:
        return torch.device(device)
    for parameter in module.parameters():
        return parameter.device
    return torch.device("cpu")


def _module_dtype(module: torch.nn.Module) -> torch.dtype:
    for parameter in module.parameters():
        if parameter.is_floating_point():
            return parameter.dtype
    return torch.float32


def _layer_count(module: torch.nn.Module) -> int:
    config = getattr(module, "config", None)
    count = getattr(config, "num_hidden_layers", None)
    if not isinstance(count, int):
        raise UsageError(
            f"{type(module).__name__} has no config.num_hidden_layers: pass a transformers CLIP text model"
        )
    return count


@dataclass(frozen=True)
class _Side:
    """One prompt (positive or negative) ready to encode: its plan and padded rows per encoder."""

    plan: Any
    rows: tuple[tuple[tuple[int, ...], ...], tuple[tuple[int, ...], ...]]  # per encoder, per chunk
    weights: torch.Tensor  # (chunks, tokens), float32, 1.0 at BOS/EOS/padding
    weighted: bool
    notes: tuple[str, ...] = ()  # what planning reported (extra networks, AND), said again on every use


class PromptEncoder:
    """Turns A1111-syntax prompts into SDXL conditioning with both text encoders.

    The prompt is parsed, planned into 75-token chunks (one plan shared by both encoders), and
    every chunk of the prompt and negative prompt goes through each encoder in one batched call
    (split only beyond ``max_batch_chunks`` rows). Raw hidden states are cached per chunk in
    ``cache`` (the process-wide ``shared_cache()`` by default; ``ChunkCache(0)`` turns caching
    off), so a weight-only edit runs no encoder and a one-tag edit re-encodes one chunk.

    ``tokenizer`` and ``tokenizer_2`` may be the pipeline's ``CLIPTokenizer`` objects or
    ``animagine_prompt.tokens`` tokenizers; their vocabularies must agree, and only their pad ids
    are used from ``tokenizer_2`` (SDXL's bigG pads with ``!``, id 0, after the first EOS).
    ``force_zeros_for_empty_prompt`` mirrors the pipeline config of that name: with it,
    ``negative_prompt=None`` gives zero tensors. ``device`` is where inputs and results go
    (default: where ``text_encoder_2`` runs); results take ``text_encoder_2``'s dtype.

    >>> from transformers import CLIPTextConfig, CLIPTextModel, CLIPTextModelWithProjection
    >>> from animagine_prompt.tokens import load_tokenizer
    >>> config = CLIPTextConfig(vocab_size=49408, hidden_size=8, intermediate_size=8, num_hidden_layers=2,
    ...                         num_attention_heads=2, projection_dim=4)
    >>> encoder = PromptEncoder(load_tokenizer("clip_l"), load_tokenizer("clip_g"),
    ...                         CLIPTextModel(config), CLIPTextModelWithProjection(config))
    >>> c = encoder.encode("1girl, (green hair:1.2), BREAK, smile", "lowres")
    >>> tuple(c.prompt_embeds.shape), tuple(c.pooled_prompt_embeds.shape), c.length_match
    ((1, 154, 16), (1, 4), 'repeat')
    """

    def __init__(
        self,
        tokenizer: Any,
        tokenizer_2: Any,
        text_encoder: torch.nn.Module | None,  # None (a refiner's missing encoder) is refused with a usage error
        text_encoder_2: torch.nn.Module | None,
        *,
        force_zeros_for_empty_prompt: bool = True,
        device: torch.device | str | None = None,
        cache: ChunkCache | None = None,
        max_batch_chunks: int = 16,
        comma_window: int = 20,
    ) -> None:
        from animagine_prompt.tokens import ClipTokenizer

        if text_encoder is None or text_encoder_2 is None or tokenizer is None or tokenizer_2 is None:
            raise UsageError(
                "PromptEncoder needs both SDXL tokenizers and text encoders (CLIP-L and bigG); "
                "pipelines without the first encoder (the SDXL refiner) are not supported"
            )
        if max_batch_chunks < 1:
            raise UsageError(f"max_batch_chunks must be at least 1, not {max_batch_chunks}")
        self.tokenizers = tuple(
            t if isinstance(t, ClipTokenizer) else ClipTokenizer.from_transformers(t) for t in (tokenizer, tokenizer_2)
        )
        self.text_encoders = (text_encoder, text_encoder_2)
        self.force_zeros_for_empty_prompt = bool(force_zeros_for_empty_prompt)
        self.device = None if device is None else torch.device(device)
        self.cache = _SHARED_CACHE if cache is None else cache
        self.max_batch_chunks = max_batch_chunks
        self.comma_window = comma_window
        self._layers = min(_layer_count(text_encoder), _layer_count(text_encoder_2))
        # parsed, planned and tokenised prompts by text: re-encoding a prompt (a seed sweep, the
        # negative of every call, a chunk-cache hit) does no per-token Python work
        self._sides: OrderedDict[tuple, _Side] = OrderedDict()

    def __repr__(self) -> str:
        names = ", ".join(type(e).__name__ for e in self.text_encoders)
        return f"PromptEncoder({names}, cache={self.cache!r})"

    @classmethod
    def from_pipeline(cls, pipe: Any, **kwargs: Any) -> PromptEncoder:
        """An encoder over a diffusers SDXL pipeline's tokenizers and text encoders.

        Reads ``force_zeros_for_empty_prompt`` from the pipeline config and sends inputs to the
        pipeline's execution device; ``kwargs`` go to the constructor and win over both.

        >>> from types import SimpleNamespace
        >>> from transformers import CLIPTextConfig, CLIPTextModel, CLIPTextModelWithProjection
        >>> from animagine_prompt.tokens import load_tokenizer
        >>> config = CLIPTextConfig(vocab_size=49408, hidden_size=8, intermediate_size=8, num_hidden_layers=2,
        ...                         num_attention_heads=2, projection_dim=4)
        >>> pipe = SimpleNamespace(tokenizer=load_tokenizer("clip_l"), tokenizer_2=load_tokenizer("clip_g"),
        ...                        text_encoder=CLIPTextModel(config),
        ...                        text_encoder_2=CLIPTextModelWithProjection(config),
        ...                        config=SimpleNamespace(force_zeros_for_empty_prompt=False))
        >>> PromptEncoder.from_pipeline(pipe).force_zeros_for_empty_prompt
        False
        """
        config = getattr(pipe, "config", None)
        options: dict[str, Any] = {
            "force_zeros_for_empty_prompt": getattr(config, "force_zeros_for_empty_prompt", True),
        }
        device = getattr(pipe, "_execution_device", None)
        if device is not None:
            options["device"] = device
        options.update(kwargs)
        return cls(
            getattr(pipe, "tokenizer", None),
            getattr(pipe, "tokenizer_2", None),
            getattr(pipe, "text_encoder", None),
            getattr(pipe, "text_encoder_2", None),
            **options,
        )

    # -- planning ---------------------------------------------------------------------------------

    def plan(self, prompt: Any, *, step: int | None = None, steps: int | None = None) -> Any:
        """The chunk plan of ``prompt`` (a string or a parsed ``Prompt``) with this encoder's tokenizer.

        >>> from transformers import CLIPTextConfig, CLIPTextModel, CLIPTextModelWithProjection
        >>> from animagine_prompt.tokens import load_tokenizer
        >>> config = CLIPTextConfig(vocab_size=49408, hidden_size=8, intermediate_size=8, num_hidden_layers=2,
        ...                         num_attention_heads=2, projection_dim=4)
        >>> encoder = PromptEncoder(load_tokenizer("clip_l"), load_tokenizer("clip_g"),
        ...                         CLIPTextModel(config), CLIPTextModelWithProjection(config))
        >>> len(encoder.plan("a BREAK b").chunks)
        2
        """
        from animagine_prompt.syntax import parse
        from animagine_prompt.tokens import plan

        parsed = parse(prompt) if isinstance(prompt, str) else prompt
        # one plan, made with the first tokenizer, serves both encoders; see docs/embeddings.md on "!"
        return plan(
            parsed,
            self.tokenizers[0],
            chunk_length=self.tokenizers[0].model_max_length - 2,
            comma_window=self.comma_window,
            step=step,
            steps=steps,
        )

    def _side(self, source: Any, name: str, step: int | None, steps: int | None) -> _Side:
        """``source`` parsed, planned and turned into token rows and weights, from the cache when seen."""
        if isinstance(source, str):
            key: tuple = (source, "a1111", True, name, step, steps)
        else:
            key = (source.text, getattr(source.dialect, "name", source.dialect), source.comments, name, step, steps)
        side = self._sides.get(key)
        if side is not None:
            self._sides.move_to_end(key)
            return side
        notes: list[str] = []
        plan = self._planned(source, name, step, steps, notes)
        first = self.tokenizers[0]
        rows = tuple(
            tuple(tuple(chunk.padded_ids(t.pad_id, bos_id=first.bos_id, eos_id=first.eos_id)) for chunk in plan.chunks)
            for t in self.tokenizers
        )
        weights = torch.tensor([chunk.padded_weights() for chunk in plan.chunks], dtype=torch.float32)
        side = _Side(plan, rows, weights, bool((weights != 1.0).any()), tuple(notes))  # type: ignore[arg-type]  # rows has one entry per encoder: SDXL has two
        self._sides[key] = side
        if len(self._sides) > _SIDES_KEPT:
            self._sides.popitem(last=False)
        return side

    def _empty_rows(self) -> tuple[tuple[int, ...], ...]:
        """One empty-prompt row (BOS, EOS, padding) per encoder."""
        first = self.tokenizers[0]
        length = first.model_max_length
        return tuple(
            (first.bos_id, first.eos_id, *([t.pad_id] * (length - 2))) for t in self.tokenizers
        )

    # -- encoding ---------------------------------------------------------------------------------

    def _run(self, rows_per_encoder: Sequence[Sequence[tuple[int, ...]]], layer: int) -> tuple[list[dict], int]:
        """Raw outputs for every row of each encoder, from the cache or one batched call per encoder."""
        found: list[dict[tuple[int, ...], CachedChunk]] = []
        work = []
        for index, rows in enumerate(rows_per_encoder):
            module = self.text_encoders[index]
            device = _execution_device(module)
            # the key prefix is computed once per call: encoder_key walks every parameter
            prefix = (encoder_key(module), str(_module_dtype(module)), str(device), layer)
            hits: dict[tuple[int, ...], CachedChunk] = {}
            missing: list[tuple[int, ...]] = []
            for row in dict.fromkeys(rows):  # unique, in order
                entry = self.cache.get((*prefix, row))
                if entry is None:
                    missing.append(row)
                else:
                    hits[row] = entry
            found.append(hits)
            for start in range(0, len(missing), self.max_batch_chunks):
                work.append((index, prefix, missing[start : start + self.max_batch_chunks], device))
        # every input is on the device before the first forward is queued, in one copy per
        # device: a copy issued later would wait for that forward and keep the two encoders
        # from overlapping
        inputs: dict[int, torch.Tensor] = {}
        for device in dict.fromkeys(item[3] for item in work):
            numbers = [i for i, item in enumerate(work) if item[3] == device]
            ids = torch.tensor([row for i in numbers for row in work[i][2]], dtype=torch.long).to(device)
            for i, part in zip(numbers, ids.split([len(work[i][2]) for i in numbers]), strict=True):
                inputs[i] = part
        for number, (index, prefix, batch, _device) in enumerate(work):
            ids = inputs[number]
            with torch.no_grad():
                output = self.text_encoders[index](input_ids=ids, output_hidden_states=True)
            hidden = output.hidden_states[layer]
            pooled = getattr(output, "text_embeds", None)
            for i, row in enumerate(batch):
                entry = CachedChunk(hidden[i], None if pooled is None else pooled[i])
                found[index][row] = entry
                self.cache.put((*prefix, row), entry)
        return found, len(work)

    def encode(
        self,
        prompt: Any,
        negative_prompt: Any = None,
        *,
        emphasis: str = "original",
        clip_skip: int | None = None,
        step: int | None = None,
        steps: int | None = None,
        num_images_per_prompt: int = 1,
        length_match: str = "auto",
    ) -> Conditioning:
        """Encode ``prompt`` and ``negative_prompt`` (strings or parsed ``Prompt``s) for SDXL.

        - ``emphasis``: ``"original"`` (A1111's multiply-then-restore-mean, with a guard),
          ``"no_norm"``, ``"lerp_empty"`` or ``"ignore"``; see ``docs/embeddings.md``.
        - ``clip_skip``: hidden states ``[-2 - clip_skip]`` of both encoders, for both prompts
          (None and 0 both mean the penultimate layer, SDXL's default).
        - ``step``/``steps``: resolve ``[from:to:when]`` and ``[a|b]`` for that sampling step.
        - ``negative_prompt=None``: zeros when ``force_zeros_for_empty_prompt``, else ``""``.
        - ``length_match``: ``"auto"``, ``"pad"`` or ``"lcm"``, when the chunk counts differ.

        >>> from transformers import CLIPTextConfig, CLIPTextModel, CLIPTextModelWithProjection
        >>> from animagine_prompt.tokens import load_tokenizer
        >>> config = CLIPTextConfig(vocab_size=49408, hidden_size=8, intermediate_size=8, num_hidden_layers=2,
        ...                         num_attention_heads=2, projection_dim=4)
        >>> encoder = PromptEncoder(load_tokenizer("clip_l"), load_tokenizer("clip_g"),
        ...                         CLIPTextModel(config), CLIPTextModelWithProjection(config))
        >>> c = encoder.encode("[cat|dog], (smile:1.3)", None, step=1, steps=20, num_images_per_prompt=2)
        >>> tuple(c.prompt_embeds.shape), float(c.negative_prompt_embeds.abs().sum()), c.length_match
        ((2, 77, 16), 0.0, 'zeros')
        """
        if emphasis not in EMPHASIS_MODES:
            raise UsageError(f"unknown emphasis {emphasis!r}: use one of {', '.join(EMPHASIS_MODES)}")
        if length_match not in LENGTH_MODES:
            raise UsageError(f"unknown length_match {length_match!r}: use one of {', '.join(LENGTH_MODES)}")
        if isinstance(num_images_per_prompt, bool) or not isinstance(num_images_per_prompt, int):
            raise UsageError(f"num_images_per_prompt must be a whole number, not {num_images_per_prompt!r}")
        if num_images_per_prompt < 1:
            raise UsageError(f"num_images_per_prompt must be at least 1, not {num_images_per_prompt}")
        skip = 0 if clip_skip is None else clip_skip
        if isinstance(skip, bool) or not isinstance(skip, int) or not 0 <= skip < self._layers:
            raise UsageError(f"clip_skip must be a whole number from 0 to {self._layers - 1}, not {clip_skip!r}")
        layer = -2 - skip

        positive = self._side(prompt, "prompt", step, steps)
        notes = list(positive.notes)
        zero_negative = negative_prompt is None and self.force_zeros_for_empty_prompt
        negative = None
        if not zero_negative:
            text = "" if negative_prompt is None else negative_prompt
            negative = self._side(text, "negative prompt", step, steps)
            notes.extend(negative.notes)

        match = None
        if negative is not None:
            match = plan_lengths(len(positive.plan.chunks), len(negative.plan.chunks), length_match)
        needs_empty = (match is not None and match.needs_empty) or (
            emphasis == "lerp_empty" and (positive.weighted or (negative is not None and negative.weighted))
        )

        sides = [positive] if negative is None else [positive, negative]
        empty_rows = self._empty_rows()
        rows_per_encoder = []
        for index in range(2):
            rows = [row for side in sides for row in side.rows[index]]
            if needs_empty:
                rows.append(empty_rows[index])
            rows_per_encoder.append(rows)
        weights = torch.cat([side.weights for side in sides])
        weighted = any(side.weighted for side in sides)
        if weighted and emphasis != "ignore":
            # uploaded before the encoders run, for the same reason as their inputs
            weights = weights.to(_execution_device(self.text_encoders[0]))
        raw, passes = self._run(rows_per_encoder, layer)

        empties = [raw[index][empty_rows[index]].hidden if needs_empty else None for index in range(2)]
        # both sides in one stack per encoder: emphasis works chunk by chunk, so they do not mix
        results = []
        for index in range(2):
            z = torch.stack([raw[index][row].hidden for side in sides for row in side.rows[index]])
            if weighted:
                results.append(apply_emphasis(z, weights, emphasis, empty=empties[index]))
            else:
                results.append(EmphasisResult(z.float()))
        joined = torch.cat([result.z for result in results], dim=-1)
        count = len(positive.plan.chunks)
        embeds = [joined[:count], joined[count:]]
        pooled = [raw[1][side.rows[1][0]].pooled for side in sides]
        if pooled[0] is None:
            raise UsageError(
                f"text_encoder_2 ({type(self.text_encoders[1]).__name__}) returns no projected pooled "
                "output: SDXL needs CLIPTextModelWithProjection there"
            )

        if negative is None:
            kind = "zeros"
            negative_embeds = torch.zeros_like(embeds[0])
            negative_pooled = torch.zeros_like(pooled[0])
        else:
            assert match is not None
            empty = torch.cat([e.float() for e in empties], dim=-1) if match.needs_empty else None  # type: ignore[union-attr]  # empties holds tensors whenever needs_empty is set
            embeds[0], negative_embeds = match_lengths(embeds[0], embeds[1], match, empty)
            negative_pooled = pooled[1]
            kind = match.kind
            note = match.describe(len(positive.plan.chunks))
            if note:
                notes.append(note)

        module_2 = self.text_encoders[1]
        device = self.device or _execution_device(module_2)
        dtype = _module_dtype(module_2)

        def finish(stack: torch.Tensor) -> torch.Tensor:
            flat = stack.reshape(1, -1, stack.shape[-1]).to(device=device, dtype=dtype)
            return flat.repeat(num_images_per_prompt, 1, 1)

        def finish_pooled(vector: torch.Tensor) -> torch.Tensor:
            return vector.reshape(1, -1).to(device=device, dtype=dtype).repeat(num_images_per_prompt, 1)

        tensors = {
            "prompt_embeds": finish(embeds[0]),
            "pooled_prompt_embeds": finish_pooled(pooled[0]),
            "negative_prompt_embeds": finish(negative_embeds),
            "negative_pooled_prompt_embeds": finish_pooled(negative_pooled),
        }
        # last, once everything is queued: reading the fallback flags waits for the device
        for index, result in enumerate(results):
            for chunk, ratio in result.fallbacks:
                side, number = ("prompt", chunk + 1) if chunk < count else ("negative prompt", chunk - count + 1)
                notes.append(
                    f"{side} chunk {number}, {_ENCODER_NAMES[index]}: original emphasis would rescale by "
                    f"{ratio:.3g}, outside [0.5, 2]; used no_norm for that chunk"
                )
        return Conditioning(
            **tensors,
            plan=positive.plan,
            negative_plan=None if negative is None else negative.plan,
            emphasis=emphasis,
            clip_skip=clip_skip,
            length_match=kind,
            notes=tuple(notes),
            forward_passes=passes,
        )

    def _planned(self, source: Any, name: str, step: int | None, steps: int | None, notes: list[str]) -> Any:
        from animagine_prompt.syntax import parse

        parsed = parse(source) if isinstance(source, str) else source
        extra = parsed.extra_networks()
        if extra:
            notes.append(
                f"{name}: {len(extra)} extra network tag{'s' * (len(extra) > 1)} removed from the text; "
                "LoRAs are loaded into the pipeline, not read by the text encoder"
            )
        planned = self.plan(parsed, step=step, steps=steps)
        if len(planned.subprompt_weights) > 1:
            notes.append(
                f"{name}: {len(planned.subprompt_weights)} AND sub-prompts encoded as one sequence, each "
                "from a new chunk (composable diffusion and sub-prompt weights are not applied)"
            )
        return planned

    def clear_cache(self) -> None:
        """Empty this encoder's chunk cache (after changing the encoders' weights in a way it cannot see).

        >>> from transformers import CLIPTextConfig, CLIPTextModel, CLIPTextModelWithProjection
        >>> from animagine_prompt.encode import ChunkCache
        >>> from animagine_prompt.tokens import load_tokenizer
        >>> config = CLIPTextConfig(vocab_size=49408, hidden_size=8, intermediate_size=8, num_hidden_layers=2,
        ...                         num_attention_heads=2, projection_dim=4)
        >>> encoder = PromptEncoder(load_tokenizer("clip_l"), load_tokenizer("clip_g"), CLIPTextModel(config),
        ...                         CLIPTextModelWithProjection(config), cache=ChunkCache())
        >>> _ = encoder.encode("1girl"); len(encoder.cache) > 0
        True
        >>> encoder.clear_cache(); len(encoder.cache)
        0
        """
        self.cache.clear()
