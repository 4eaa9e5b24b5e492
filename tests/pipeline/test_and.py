"""AND: composable diffusion, A1111's combination, batched through the UNet in one call per step."""

import numpy as np
import pytest
import torch

from animagine_prompt.pipeline._conditions import ComposedCondition, ConditionTable
from animagine_prompt.pipeline._sampling import PassRunner
from animagine_prompt.pipeline._schedule import StepText

SMALL = {"size": (64, 64), "steps": 3, "seed": 4}


def test_one_part_through_the_composable_path_equals_the_plain_prompt(shared_pipe, monkeypatch):
    plain = shared_pipe.generate("1girl, green hair", "lowres", **SMALL)
    monkeypatch.setattr(StepText, "composable", property(lambda self: True))
    composed = shared_pipe.generate("1girl, green hair", "lowres", **SMALL)
    assert np.array_equal(np.asarray(plain.image), np.asarray(composed.image))


def test_zero_weight_part_changes_nothing(shared_pipe):
    plain = shared_pipe.generate("1girl, green hair", "lowres", **SMALL)
    extra = shared_pipe.generate("1girl, green hair AND a dog :0", "lowres", **SMALL)
    np.testing.assert_allclose(np.asarray(plain.image, float), np.asarray(extra.image, float), atol=2)


def test_parts_are_batched_in_one_unet_call(shared_pipe, unet_log):
    with unet_log(shared_pipe) as log:
        result = shared_pipe.generate("1girl AND a dog :0.7 AND a cat :-0.3", "lowres", num_images=2, **SMALL)
    assert log.calls == 3 and log.batch == [8, 8, 8]  # (negative + 3 parts) x 2 images, once per step
    assert [w for _, w in result.steps[0].prompts] == [1.0, 0.7, -0.3]
    anded = np.asarray(result.image)
    joined = np.asarray(shared_pipe.generate("1girl, a dog, a cat", "lowres", num_images=2, **SMALL).image)
    assert not np.array_equal(anded, joined)


def test_parts_of_different_lengths_share_one_batch(shared_pipe, unet_log):
    long_part = ", ".join(f"tag{i}" for i in range(30))
    longest = shared_pipe.encoder.encode(long_part).prompt_embeds.shape[1]
    with unet_log(shared_pipe) as log:
        shared_pipe.generate(f"1girl AND {long_part}", **SMALL)
    assert longest == 154
    assert log.context_length == [longest] * 3  # 1 and 2 chunks: the short part repeated


def test_combination_is_a1111s():
    b = 2
    hidden = torch.zeros(3 * b, 77, 4)
    table = ConditionTable((), (ComposedCondition(hidden, torch.zeros(3 * b, 2), (0.5, -1.0), b),), (0,))

    class FakePipe:
        scheduler = None

    runner = PassRunner(FakePipe(), table, guidance=7.0, stage="base")
    u, c1, c2 = (torch.full((b, 4, 8, 8), v) for v in (1.0, 3.0, -2.0))
    (out,) = runner._post_hook(None, (), {}, (torch.cat([u, c1, c2]),))
    expected = u + (c1 - u) * (0.5 * 7.0) + (c2 - u) * (-1.0 * 7.0)
    assert torch.equal(out, expected)


@pytest.mark.parametrize("prompt", ["a cat AND a dog", "a [cat:dog:1] AND [bird|fish]"])
def test_and_with_schedules_runs(shared_pipe, prompt):
    result = shared_pipe.generate(prompt, **SMALL)
    assert len(result.steps[0].prompts) == 2 and result.image.size == (64, 64)
