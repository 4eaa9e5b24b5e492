import pytest
import torch

from animagine_prompt.encode import EMPHASIS_MODES, apply_emphasis


@pytest.fixture
def stack():
    generator = torch.Generator().manual_seed(1)
    z = torch.randn(3, 77, 16, generator=generator) + 0.5  # a clearly positive mean, as real CLIP states have
    w = torch.ones(3, 77)
    w[0, 3:6] = 1.3
    w[1, 10] = 0.7
    return z, w  # chunk 2 is unweighted


def test_no_norm_is_a_plain_product(stack):
    z, w = stack
    assert torch.equal(apply_emphasis(z, w, "no_norm").z, z * w[..., None])


def test_original_restores_each_chunk_mean(stack):
    z, w = stack
    out = apply_emphasis(z, w, "original")
    for i in range(2):
        scaled = z[i] * w[i][:, None]
        expected = scaled * (z[i].mean() / scaled.mean())
        torch.testing.assert_close(out.z[i], expected, rtol=0, atol=1e-6)
        torch.testing.assert_close(out.z[i].mean(), z[i].mean(), rtol=1e-5, atol=1e-6)
    assert torch.equal(out.z[2], z[2])  # untouched, not multiplied by a ratio of 1
    assert out.fallbacks == ()


def test_original_falls_back_when_the_mean_would_flip(stack):
    z, w = stack
    z = z.clone()
    z[1] -= z[1].mean()  # mean ~0: any weight makes the rescaling factor meaningless
    z[1, 10] += 0.01 - z[1].mean()
    out = apply_emphasis(z, w, "original")
    assert [i for i, _ in out.fallbacks] == [1]
    assert torch.equal(out.z[1], z[1] * w[1][:, None])


def test_original_falls_back_outside_the_ratio_band():
    z = torch.ones(1, 4, 2)
    w = torch.tensor([[1.0, 4.0, 4.0, 4.0]])  # mean goes from 1 to 3.25: factor 0.31
    out = apply_emphasis(z, w, "original")
    assert out.fallbacks and out.fallbacks[0][0] == 0
    assert out.fallbacks[0][1] == pytest.approx(1 / 3.25)
    assert torch.equal(out.z, z * w[..., None])


def test_lerp_empty_against_the_formula(stack):
    z, w = stack
    empty = torch.randn(77, 16, generator=torch.Generator().manual_seed(2))
    out = apply_emphasis(z, w, "lerp_empty", empty=empty).z
    expected = empty + (z - empty) * w[..., None]
    torch.testing.assert_close(out, expected, rtol=0, atol=1e-6)
    assert torch.equal(out[w == 1.0], z[w == 1.0])  # weight-1 tokens exactly as encoded


def test_lerp_empty_needs_the_empty_encoding(stack):
    z, w = stack
    with pytest.raises(ValueError, match="empty prompt"):
        apply_emphasis(z, w, "lerp_empty")


def test_ignore_and_unknown_mode(stack):
    z, w = stack
    assert torch.equal(apply_emphasis(z, w, "ignore").z, z)
    with pytest.raises(ValueError, match="original"):
        apply_emphasis(z, w, "loud")
    assert EMPHASIS_MODES == ("original", "no_norm", "lerp_empty", "ignore")


@pytest.mark.parametrize("dtype", [torch.float16, torch.bfloat16])
def test_math_runs_in_float32(stack, dtype):
    z, w = stack
    low = z.to(dtype)
    for mode in ("original", "no_norm"):
        out = apply_emphasis(low, w, mode).z
        assert out.dtype == torch.float32
        assert torch.equal(out, apply_emphasis(low.float(), w, mode).z)
