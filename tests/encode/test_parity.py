"""Unweighted prompts of at most 75 tokens: the same four tensors as diffusers' own ``encode_prompt``."""

import pytest
import torch

from animagine_prompt.encode import ChunkCache, PromptEncoder
from animagine_prompt.tokens import load_tokenizer

PROMPTS = [
    "1girl, green hair, looking at viewer, upper body, cherry blossoms",
    "a girl sitting on a bench in the park at night",
    "",
]


def _seventy_five_tokens() -> str:
    tokenizer = load_tokenizer()
    words = ", ".join(f"tag{i}" for i in range(40))
    while len(tokenizer.encode(words).ids) > 75:
        words = words.rsplit(",", 1)[0]
    while len(tokenizer.encode(words + " x").ids) <= 75:
        words += " x"
    assert len(tokenizer.encode(words).ids) == 75
    return words


def _diffusers(pipe, prompt, negative, clip_skip=None, images=1):
    with torch.no_grad():
        return pipe.encode_prompt(
            prompt,
            device=torch.device("cpu"),
            num_images_per_prompt=images,
            do_classifier_free_guidance=True,
            negative_prompt=negative,
            clip_skip=clip_skip,
        )


def _assert_same(ours, reference, rtol=0.0):
    names = ("prompt_embeds", "negative_prompt_embeds", "pooled_prompt_embeds", "negative_pooled_prompt_embeds")
    for name, expected in zip(names, reference, strict=True):
        got = getattr(ours, name)
        assert got.shape == expected.shape and got.dtype == expected.dtype, name
        torch.testing.assert_close(got, expected, rtol=rtol, atol=1e-6, msg=name)


@pytest.mark.parametrize("prompt", [*PROMPTS, "75 tokens"])
@pytest.mark.parametrize("negative", [None, "", "lowres, bad anatomy, worst quality"])
def test_matches_diffusers(tiny_pipe, encoder, prompt, negative):
    if prompt == "75 tokens":
        prompt = _seventy_five_tokens()
    ours = encoder.encode(prompt, negative)
    assert len(ours.plan.chunks) == 1
    _assert_same(ours, _diffusers(tiny_pipe, prompt, negative))


@pytest.mark.parametrize("clip_skip", [1, 2])
def test_matches_diffusers_with_clip_skip(tiny_pipe, encoder, clip_skip):
    prompt, negative = PROMPTS[0], "lowres, bad anatomy"
    ours = encoder.encode(prompt, negative, clip_skip=clip_skip)
    positive = _diffusers(tiny_pipe, prompt, None, clip_skip=clip_skip)
    torch.testing.assert_close(ours.prompt_embeds, positive[0], rtol=0, atol=1e-6)
    torch.testing.assert_close(ours.pooled_prompt_embeds, positive[2], rtol=0, atol=1e-6)
    # diffusers applies clip_skip to the prompt only; we apply it to the negative too, so the
    # negative matches diffusers' encoding of that text *as a prompt* with the same clip_skip
    as_prompt = _diffusers(tiny_pipe, negative, None, clip_skip=clip_skip)
    torch.testing.assert_close(ours.negative_prompt_embeds, as_prompt[0], rtol=0, atol=1e-6)
    torch.testing.assert_close(ours.negative_pooled_prompt_embeds, as_prompt[2], rtol=0, atol=1e-6)
    assert not torch.equal(ours.prompt_embeds, encoder.encode(prompt, negative).prompt_embeds)


def test_matches_diffusers_with_several_images(tiny_pipe, encoder):
    ours = encoder.encode(PROMPTS[0], "lowres", num_images_per_prompt=3)
    _assert_same(ours, _diffusers(tiny_pipe, PROMPTS[0], "lowres", images=3))


def test_zero_negative_follows_the_pipeline_config(tiny_pipe):
    from diffusers import StableDiffusionXLPipeline

    # the shared pipeline's parts in a second pipeline object whose config says otherwise
    pipe = StableDiffusionXLPipeline(**tiny_pipe.components, force_zeros_for_empty_prompt=False)
    encoder = PromptEncoder.from_pipeline(pipe, cache=ChunkCache())
    assert encoder.force_zeros_for_empty_prompt is False
    ours = encoder.encode(PROMPTS[0], None)
    _assert_same(ours, _diffusers(pipe, PROMPTS[0], None))
    assert ours.negative_prompt_embeds.abs().sum() > 0


@pytest.mark.slow
def test_matches_diffusers_at_real_sdxl_sizes(tiny_pipe, sdxl_factory):
    """CLIP-L (768, 12 layers) and bigG (1280, 32 layers) with random weights, bundled tokenizers on our side."""
    from diffusers import StableDiffusionXLPipeline

    real = dict(zip(("text_encoder", "text_encoder_2"), sdxl_factory.build_text_encoders("real"), strict=True))
    pipe = StableDiffusionXLPipeline(**{**tiny_pipe.components, **real})  # a new pipeline: the shared one keeps its own
    encoder = PromptEncoder(
        load_tokenizer("clip_l"), load_tokenizer("clip_g"), pipe.text_encoder, pipe.text_encoder_2, cache=ChunkCache()
    )
    prompt, negative = PROMPTS[0], "lowres, bad anatomy, worst quality"
    ours = encoder.encode(prompt, negative)
    assert ours.prompt_embeds.shape == (1, 77, 2048) and ours.pooled_prompt_embeds.shape == (1, 1280)
    # On the 2-core CI machine the hidden states came out bit-identical; the pooled vectors (values
    # up to ~3) differed by a few float32 ulps (1.1e-6): bigG's projection runs on 2 rows here and on
    # 1 in diffusers, and CPU matrix kernels round differently per batch size. Hence 1e-6 relative too.
    _assert_same(ours, _diffusers(pipe, prompt, negative), rtol=1e-6)
    zeroed = encoder.encode(prompt, None, clip_skip=1)
    reference = _diffusers(pipe, prompt, None, clip_skip=1)
    _assert_same(zeroed, reference, rtol=1e-6)
    assert zeroed.forward_passes == 2  # the clip_skip layer is a new cache key: one batched call per encoder
