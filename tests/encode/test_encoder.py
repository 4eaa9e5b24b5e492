"""Weighted and long prompts, length matching, schedules, the cache and forward-call counts."""

import pytest
import torch

from animagine_prompt.encode import ChunkCache, PromptEncoder
from animagine_prompt.errors import UsageError
from animagine_prompt.syntax import parse

L_WIDTH = 32  # tiny CLIP-L hidden size; bigG's 48 follow it


def _plain(pipe, text, clip_skip=None):
    """Unweighted (hidden states, pooled) of ``text`` in one chunk, computed by diffusers."""
    with torch.no_grad():
        embeds, _, pooled, _ = pipe.encode_prompt(
            text,
            device=torch.device("cpu"),
            num_images_per_prompt=1,
            do_classifier_free_guidance=False,
            clip_skip=clip_skip,
        )
    return embeds[0], pooled[0]


def _rows(pipe, chunk):
    """The chunk's padded ids for each encoder, from the pipeline's own tokenizers' special ids."""
    return [
        chunk.padded_ids(t.pad_token_id, bos_id=t.bos_token_id, eos_id=t.eos_token_id)
        for t in (pipe.tokenizer, pipe.tokenizer_2)
    ]


def _direct(pipe, chunk, layer=-2):
    """The chunk's unweighted hidden states, each encoder called on its own with batch size 1."""
    parts = []
    with torch.no_grad():
        for module, row in zip((pipe.text_encoder, pipe.text_encoder_2), _rows(pipe, chunk), strict=True):
            out = module(input_ids=torch.tensor([row]), output_hidden_states=True)
            parts.append(out.hidden_states[layer][0])
    return torch.cat(parts, dim=-1)


def _blocks(embeds):
    return list(embeds[0].split(77, dim=0))


def _weights_for(pipe, plain_text, weighted_words):
    """Per-position weights of ``plain_text`` (BOS at 0), with each word's tokens given its weight."""
    ids = pipe.tokenizer(plain_text, padding="max_length", max_length=77).input_ids
    tokens = pipe.tokenizer.convert_ids_to_tokens(ids)
    w = torch.ones(77)
    for word, weight in weighted_words.items():
        positions = [i for i, t in enumerate(tokens) if t == word + "</w>"]
        assert len(positions) == 1, (word, tokens)
        w[positions[0]] = weight
    return w


WEIGHTED = "1girl, (green hair:1.3), [smile], looking at viewer"
PLAIN = "1girl, green hair, smile, looking at viewer"
WORD_WEIGHTS = {"green": 1.3, "hair": 1.3, "smile": 1 / 1.1}


def _by_hand(z, w, mode, empty):
    """Each emphasis formula, per encoder (the CLIP-L and bigG columns), written out."""
    out = []
    for part, e in ((z[:, :L_WIDTH], empty[:, :L_WIDTH]), (z[:, L_WIDTH:], empty[:, L_WIDTH:])):
        if mode == "no_norm":
            out.append(part * w[:, None])
        elif mode == "original":
            scaled = part * w[:, None]
            out.append(scaled * (part.mean() / scaled.mean()))
        elif mode == "lerp_empty":
            out.append(torch.where(w[:, None] == 1, part, e + (part - e) * w[:, None]))
        else:
            out.append(part)
    return torch.cat(out, dim=-1)


@pytest.mark.parametrize("mode", ["original", "no_norm", "lerp_empty", "ignore"])
def test_each_emphasis_mode_against_its_formula(tiny_pipe, encoder, mode):
    z, pooled = _plain(tiny_pipe, PLAIN)
    empty, _ = _plain(tiny_pipe, "")
    w = _weights_for(tiny_pipe, PLAIN, WORD_WEIGHTS)
    result = encoder.encode(WEIGHTED, "lowres", emphasis=mode)
    assert result.notes == () and result.emphasis == mode
    torch.testing.assert_close(result.prompt_embeds[0], _by_hand(z, w, mode, empty), rtol=0, atol=1e-6)
    # the pooled vector ignores weights and syntax: that of the plain text
    torch.testing.assert_close(result.pooled_prompt_embeds[0], pooled, rtol=0, atol=1e-6)
    if mode != "ignore":
        assert not torch.allclose(result.prompt_embeds[0], z)


def test_weighted_negative(tiny_pipe, encoder):
    z, pooled = _plain(tiny_pipe, PLAIN)
    w = _weights_for(tiny_pipe, PLAIN, WORD_WEIGHTS)
    result = encoder.encode("masterpiece", WEIGHTED, emphasis="no_norm")
    torch.testing.assert_close(result.negative_prompt_embeds[0], z * w[:, None], rtol=0, atol=1e-6)
    torch.testing.assert_close(result.negative_pooled_prompt_embeds[0], pooled, rtol=0, atol=1e-6)


def test_original_guard_falls_back_and_says_so(tiny_pipe, encoder):
    text = "(" + ", ".join(f"word{i}" for i in range(20)) + ":40), end"
    result = encoder.encode(text, emphasis="original")
    assert any("used no_norm" in note for note in result.notes), result.notes
    no_norm = encoder.encode(text, emphasis="no_norm")
    refused = {"CLIP-L": slice(0, L_WIDTH), "bigG": slice(L_WIDTH, None)}
    for note in result.notes:
        for name, columns in refused.items():
            if f", {name}:" in note:
                assert torch.equal(result.prompt_embeds[..., columns], no_norm.prompt_embeds[..., columns])


def test_break_starts_a_new_chunk(tiny_pipe, encoder):
    result = encoder.encode("1girl, green hair BREAK smile, looking at viewer")
    assert len(result.plan.chunks) == 2 and result.chunks == 2
    first, second = _blocks(result.prompt_embeds)
    z0, pooled0 = _plain(tiny_pipe, "1girl, green hair")
    z1, _ = _plain(tiny_pipe, "smile, looking at viewer")
    torch.testing.assert_close(first, z0, rtol=0, atol=1e-6)
    torch.testing.assert_close(second, z1, rtol=0, atol=1e-6)
    torch.testing.assert_close(result.pooled_prompt_embeds[0], pooled0, rtol=0, atol=1e-6)  # chunk 0's


def test_long_prompt_chunks_match_the_plan(tiny_pipe, encoder):
    text = ", ".join(f"tag number {i}" for i in range(60))  # about 240 tokens
    result = encoder.encode(text, "lowres")
    chunks = result.plan.chunks
    assert len(chunks) >= 3 and result.token_count == sum(c.used for c in chunks)
    assert result.prompt_embeds.shape == (1, 77 * len(chunks), 80)
    for block, chunk in zip(_blocks(result.prompt_embeds), chunks, strict=True):
        torch.testing.assert_close(block, _direct(tiny_pipe, chunk), rtol=0, atol=1e-6)
    # the pooled vector is that of chunk 0, encoded alone
    with torch.no_grad():
        row = torch.tensor([_rows(tiny_pipe, chunks[0])[1]])
        expected = tiny_pipe.text_encoder_2(input_ids=row).text_embeds[0]
    torch.testing.assert_close(result.pooled_prompt_embeds[0], expected, rtol=0, atol=1e-6)


def test_bigg_pads_with_zero_after_the_first_eos(tiny_pipe, encoder, forward_watch):
    seen = []
    handle = tiny_pipe.text_encoder_2.register_forward_pre_hook(
        lambda _m, _a, kw: seen.append(kw["input_ids"].clone()), with_kwargs=True
    )
    try:
        encoder.encode("1girl")
    finally:
        handle.remove()
    row = seen[0][0].tolist()
    assert row[:4] == [49406, 272, 1611, 49407] and set(row[4:]) == {0}


def test_negative_repeated_when_counts_divide(tiny_pipe, encoder):
    prompt = "1girl BREAK green hair BREAK smile"
    result = encoder.encode(prompt, "lowres")
    assert result.length_match == "repeat" and result.chunks == 3
    negative, negative_pooled = _plain(tiny_pipe, "lowres")
    for block in _blocks(result.negative_prompt_embeds):
        torch.testing.assert_close(block, negative, rtol=0, atol=1e-6)
    torch.testing.assert_close(result.negative_pooled_prompt_embeds[0], negative_pooled, rtol=0, atol=1e-6)
    assert any("repeated 3 times" in note for note in result.notes)


def test_prompt_repeated_when_the_negative_is_longer(encoder):
    result = encoder.encode("1girl", "lowres BREAK bad hands")
    blocks = _blocks(result.prompt_embeds)
    assert result.length_match == "repeat" and len(blocks) == 2 and torch.equal(blocks[0], blocks[1])


def test_padded_with_the_empty_chunk_otherwise(tiny_pipe, encoder):
    result = encoder.encode("a BREAK b", "c BREAK d BREAK e")
    assert result.length_match == "pad" and result.chunks == 3
    empty, _ = _plain(tiny_pipe, "")
    torch.testing.assert_close(_blocks(result.prompt_embeds)[2], empty, rtol=0, atol=1e-6)
    lcm = encoder.encode("a BREAK b", "c BREAK d BREAK e", length_match="lcm")
    assert lcm.length_match == "lcm" and lcm.chunks == 6
    assert lcm.negative_prompt_embeds.shape == lcm.prompt_embeds.shape
    padded = encoder.encode("a BREAK b BREAK c", "d", length_match="pad")
    assert padded.length_match == "pad"
    torch.testing.assert_close(_blocks(padded.negative_prompt_embeds)[1], empty, rtol=0, atol=1e-6)


def test_repeated_negative_leaves_the_unet_output_unchanged(tiny_pipe, encoder):
    result = encoder.encode("1girl BREAK green hair", "lowres")
    single = _plain(tiny_pipe, "lowres")[0][None]
    unet = tiny_pipe.unet
    g = torch.Generator().manual_seed(0)
    latents = torch.randn(1, 4, 32, 32, generator=g)
    added = {"text_embeds": result.negative_pooled_prompt_embeds, "time_ids": torch.tensor([[64, 64, 0, 0, 64, 64.0]])}
    with torch.no_grad():
        repeated_out = unet(latents, 10, encoder_hidden_states=result.negative_prompt_embeds, added_cond_kwargs=added)
        single_out = unet(latents, 10, encoder_hidden_states=single, added_cond_kwargs=added)
    assert result.negative_prompt_embeds.shape[1] == 154
    torch.testing.assert_close(repeated_out.sample, single_out.sample, rtol=0, atol=1e-6)


def test_schedules_resolve_per_step(tiny_pipe, encoder):
    prompt = "1girl, [cat ears:dog ears:0.5], [smile|frown]"
    texts = {s: "".join(f.text for f in parse(prompt).fragments(step=s, steps=10)) for s in (1, 2, 8)}
    assert len(set(texts.values())) == 3  # the schedule and the alternation both move
    for step, text in texts.items():
        result = encoder.encode(prompt, step=step, steps=10)
        torch.testing.assert_close(result.prompt_embeds[0], _plain(tiny_pipe, text)[0], rtol=0, atol=1e-6)


def test_one_forward_per_encoder_whatever_the_chunk_count(tiny_pipe, encoder, forward_watch):
    prompt = "1girl, (green hair:1.2) BREAK [smile], looking at viewer BREAK cherry blossoms"
    with forward_watch(l=tiny_pipe.text_encoder, g=tiny_pipe.text_encoder_2) as log:
        first = encoder.encode(prompt, "lowres, (worst quality:1.4)")
    assert log.calls == {"l": [(4, 77)], "g": [(4, 77)]} and first.forward_passes == 2
    with forward_watch(l=tiny_pipe.text_encoder, g=tiny_pipe.text_encoder_2) as log:
        again = encoder.encode(prompt, "lowres, (worst quality:1.4)")
        edited = encoder.encode(prompt.replace("1.2", "1.5"), "lowres, (worst quality:1.1)")
    assert log.calls == {"l": [], "g": []} and again.forward_passes == edited.forward_passes == 0
    assert torch.equal(again.prompt_embeds, first.prompt_embeds)
    assert not torch.equal(edited.prompt_embeds, first.prompt_embeds)
    with forward_watch(l=tiny_pipe.text_encoder, g=tiny_pipe.text_encoder_2) as log:
        one_tag = encoder.encode(prompt.replace("cherry", "plum"), "lowres, (worst quality:1.4)")
    assert log.calls == {"l": [(1, 77)], "g": [(1, 77)]}
    assert torch.equal(_blocks(one_tag.prompt_embeds)[0], _blocks(first.prompt_embeds)[0])


def test_lerp_empty_adds_the_empty_chunk_to_the_same_call(tiny_pipe, encoder, forward_watch):
    with forward_watch(l=tiny_pipe.text_encoder, g=tiny_pipe.text_encoder_2) as log:
        encoder.encode("(1girl:1.2) BREAK smile", "lowres", emphasis="lerp_empty")
    assert log.calls == {"l": [(4, 77)], "g": [(4, 77)]}  # 2 prompt chunks, 1 negative, the empty prompt


def test_batch_cap_splits_the_call(tiny_pipe, forward_watch):
    capped = PromptEncoder.from_pipeline(tiny_pipe, cache=ChunkCache(), max_batch_chunks=2)
    with forward_watch(l=tiny_pipe.text_encoder, g=tiny_pipe.text_encoder_2) as log:
        result = capped.encode("a BREAK b BREAK c", "d")
    assert log.calls == {"l": [(2, 77), (2, 77)], "g": [(2, 77), (2, 77)]} and result.forward_passes == 4


def test_cache_sees_changed_weights(tiny_pipe, sdxl_factory, tmp_path, forward_watch):
    first, second = sdxl_factory.text_encoders("tiny", tmp_path)
    cache = ChunkCache()
    encoder = PromptEncoder(tiny_pipe.tokenizer, tiny_pipe.tokenizer_2, first, second, cache=cache)
    before = encoder.encode("1girl").prompt_embeds
    with torch.no_grad():
        for module in (first, second):  # an in-place change, as fusing a LoRA makes
            module.get_input_embeddings().weight.mul_(1.5)
    with forward_watch(l=first, g=second) as log:
        after = encoder.encode("1girl").prompt_embeds
    assert log.count("l") == log.count("g") == 1 and not torch.equal(before, after)
    other = PromptEncoder(tiny_pipe.tokenizer, tiny_pipe.tokenizer_2, *sdxl_factory.text_encoders("tiny"), cache=cache)
    assert other.encode("1girl").forward_passes == 2  # same cache, other encoders: no false hits


@pytest.mark.parametrize("dtype", [torch.bfloat16, torch.float16])
def test_half_precision_encoders(tiny_pipe, sdxl_factory, tmp_path, dtype):
    first, second = sdxl_factory.text_encoders("tiny", tmp_path, dtype=dtype)
    encoder = PromptEncoder(tiny_pipe.tokenizer, tiny_pipe.tokenizer_2, first, second, cache=ChunkCache())
    result = encoder.encode(WEIGHTED, "lowres", emphasis="original")
    assert result.prompt_embeds.dtype == result.pooled_prompt_embeds.dtype == dtype
    with torch.no_grad():
        chunk = result.plan.chunks[0]
        raw = []
        for module, row in zip((first, second), _rows(tiny_pipe, chunk), strict=True):
            raw.append(module(input_ids=torch.tensor([row]), output_hidden_states=True).hidden_states[-2][0])
    z = torch.cat([r.float() for r in raw], dim=-1)  # the weighting runs in float32 ...
    w = torch.tensor(chunk.padded_weights())
    expected = _by_hand(z, w, "original", torch.zeros_like(z)).to(dtype)  # ... then is cast once
    torch.testing.assert_close(result.prompt_embeds[0], expected, rtol=0, atol=0)


def test_pipeline_generates_from_the_kwargs(tiny_pipe, encoder):
    result = encoder.encode("1girl, (green hair:1.2) BREAK smile", "lowres", num_images_per_prompt=2)
    assert result.prompt_embeds.shape == (2, 154, 80) and result.negative_pooled_prompt_embeds.shape == (2, 40)
    out = tiny_pipe(**result.pipeline_kwargs(), num_inference_steps=2, height=64, width=64, output_type="np")
    assert out.images.shape == (2, 64, 64, 3)


def test_notes_for_and_and_extra_networks(encoder):
    result = encoder.encode("1girl <lora:style:0.8> AND cat ears")
    assert any("AND sub-prompts" in n for n in result.notes)
    assert any("extra network" in n for n in result.notes)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"emphasis": "loud"}, "emphasis"),
        ({"clip_skip": -1}, "clip_skip"),
        ({"clip_skip": 4}, "clip_skip"),  # the tiny CLIP-L has 4 layers: 0..3 can be skipped
        ({"clip_skip": True}, "clip_skip"),
        ({"num_images_per_prompt": 0}, "num_images_per_prompt"),
        ({"length_match": "stretch"}, "length_match"),
    ],
)
def test_bad_options_are_usage_errors(encoder, options, message):
    with pytest.raises(UsageError, match=message):
        encoder.encode("1girl", **options)


def test_refiner_like_pipelines_are_refused(tiny_pipe):
    with pytest.raises(UsageError, match="both SDXL"):
        PromptEncoder(None, tiny_pipe.tokenizer_2, None, tiny_pipe.text_encoder_2)


def test_the_package_exposes_the_encoder_lazily():
    import animagine_prompt

    if "PromptEncoder" not in animagine_prompt.__all__:
        pytest.skip("the top-level lazy export is not wired yet")
    assert animagine_prompt.PromptEncoder is PromptEncoder
