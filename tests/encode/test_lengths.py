import pytest
import torch

from animagine_prompt.encode._lengths import match_lengths, plan_lengths


@pytest.mark.parametrize(
    ("prompt", "negative", "mode", "expected"),
    [
        (2, 2, "auto", ("equal", 1, 1, 0, 0)),
        (3, 1, "auto", ("repeat", 1, 3, 0, 0)),
        (1, 4, "auto", ("repeat", 4, 1, 0, 0)),
        (2, 3, "auto", ("pad", 1, 1, 1, 0)),
        (4, 6, "auto", ("pad", 1, 1, 2, 0)),
        (3, 1, "pad", ("pad", 1, 1, 0, 2)),
        (2, 3, "lcm", ("lcm", 3, 2, 0, 0)),
        (4, 2, "lcm", ("repeat", 1, 2, 0, 0)),
    ],
)
def test_plan(prompt, negative, mode, expected):
    m = plan_lengths(prompt, negative, mode)
    assert (m.kind, m.prompt_repeats, m.negative_repeats, m.prompt_pad, m.negative_pad) == expected
    assert prompt * m.prompt_repeats + m.prompt_pad == negative * m.negative_repeats + m.negative_pad


def test_pad_appends_the_empty_chunk():
    p, n, e = torch.ones(3, 77, 4), torch.zeros(2, 77, 4), torch.full((77, 4), 7.0)
    p2, n2 = match_lengths(p, n, plan_lengths(3, 2), e)
    assert torch.equal(p2, p) and n2.shape == (3, 77, 4) and torch.equal(n2[2], e)


def _attention(q, k, v):
    scores = q @ k.transpose(-1, -2) / k.shape[-1] ** 0.5
    return scores.softmax(-1) @ v


@pytest.mark.parametrize("repeats", [2, 3, 4])
def test_repeating_a_sequence_leaves_cross_attention_unchanged(repeats):
    # Exact in real arithmetic; float64 shows it to rounding error, where padding moves results by far more.
    g = torch.Generator().manual_seed(repeats)
    q = torch.randn(2, 4096, 64, generator=g, dtype=torch.float64)
    context = torch.randn(1, 77, 64, generator=g, dtype=torch.float64)
    wk = torch.randn(64, 64, generator=g, dtype=torch.float64) / 8
    wv = torch.randn(64, 64, generator=g, dtype=torch.float64) / 8
    base = _attention(q, context @ wk, context @ wv)
    repeated, _ = match_lengths(context, torch.zeros(repeats, 77, 64, dtype=torch.float64), plan_lengths(1, repeats))
    assert repeated.shape[0] == repeats
    long = repeated.reshape(1, -1, 64)
    torch.testing.assert_close(_attention(q, long @ wk, long @ wv), base, rtol=0, atol=1e-13)
    padded = torch.cat([context, torch.zeros(1, 77, 64, dtype=torch.float64)], dim=1)
    assert (_attention(q, padded @ wk, padded @ wv) - base).abs().max() > 1e-3
