"""generate(): parity with a plain diffusers call, presets, seeds, sizes, callbacks, results."""

import numpy as np
import pytest
import torch

from animagine_prompt.errors import PresetError, UsageError

SMALL = {"size": (64, 64), "steps": 3}


def _diffusers(pipe, prompt, negative, *, seed, scheduler, steps=3, guidance=12.0):
    from animagine_prompt.pipeline import scheduler_from_config
    from animagine_prompt.presets import bundled_presets

    raw = pipe.pipe
    raw.scheduler = scheduler_from_config(bundled_presets().sampler(scheduler), pipe._scheduler_config)
    return raw(
        prompt=prompt,
        negative_prompt=negative,
        height=64,
        width=64,
        num_inference_steps=steps,
        guidance_scale=guidance,
        generator=torch.Generator().manual_seed(seed),
    ).images[0]


@pytest.mark.parametrize(
    ("prompt", "negative", "sampler"),
    [
        ("1girl, green hair, sweater, looking at viewer", "lowres, bad anatomy", "Euler a"),
        ("1girl, green hair, sweater, looking at viewer", None, "Euler a"),
        ("a girl sitting on a bench at night", "worst quality", "DPM++ 2M Karras"),
    ],
)
def test_plain_prompt_gives_the_diffusers_image(shared_pipe, prompt, negative, sampler):
    ours = shared_pipe.generate(prompt, negative, seed=11, sampler=sampler, **SMALL)
    reference = _diffusers(shared_pipe, prompt, negative, seed=11, scheduler=sampler)
    assert np.array_equal(np.asarray(ours.image), np.asarray(reference))


def test_weights_change_the_image_unlike_literal_text(shared_pipe):
    prompt = "1girl, (green hair:1.5), sweater"
    ours = np.asarray(shared_pipe.generate(prompt, "lowres", seed=3, **SMALL).image)
    literal = np.asarray(_diffusers(shared_pipe, prompt, "lowres", seed=3, scheduler="Euler a"))
    plain = np.asarray(shared_pipe.generate("1girl, green hair, sweater", "lowres", seed=3, **SMALL).image)
    assert not np.array_equal(ours, literal)
    assert not np.array_equal(ours, plain)


def test_same_seed_same_image_and_seed_sweep(shared_pipe):
    a = shared_pipe.generate("1girl, smile", seed=5, **SMALL)
    b = shared_pipe.generate("1girl, smile", seed=5, **SMALL)
    assert np.array_equal(np.asarray(a.image), np.asarray(b.image))
    batch = shared_pipe.generate("1girl, smile", seed=5, num_images=2, **SMALL)
    assert batch.seeds == (5, 6)
    alone = shared_pipe.generate("1girl, smile", seed=6, **SMALL)
    # image i of a batch is image seeds[i] made alone (up to batched arithmetic)
    np.testing.assert_allclose(
        np.asarray(batch.images[1], dtype=float), np.asarray(alone.image, dtype=float), atol=2
    )
    assert not np.array_equal(np.asarray(batch.images[0]), np.asarray(batch.images[1]))


def test_random_seed_is_reported_and_reproduces(shared_pipe):
    first = shared_pipe.generate("1girl", **SMALL)
    again = shared_pipe.generate("1girl", seed=first.seed, **SMALL)
    assert 0 <= first.seed < 2**32
    assert np.array_equal(np.asarray(first.image), np.asarray(again.image))


def test_card_defaults_and_presets_reach_the_result(shared_pipe):
    built = shared_pipe.build("1girl")
    assert (built.width, built.height, built.steps, built.guidance, built.sampler) == (1024, 1024, 50, 12.0, "Euler a")
    result = shared_pipe.generate("1girl", quality="heavy", style="anime", seed=1, **SMALL)
    assert result.prompt.prompt.startswith("anime artwork (masterpiece)")
    assert result.prompt.quality == "heavy" and result.prompt.style == "anime"
    assert result.image.size == (64, 64)
    meta = result.metadata()
    assert meta["seed"] == 1 and meta["quality_tags"] == result.prompt.quality_title


def test_timings_are_measured(shared_pipe):
    t = shared_pipe.generate("1girl", seed=1, **SMALL).timings
    assert t.total >= t.pipeline > 0
    assert 0 <= t.ours < t.total


@pytest.mark.parametrize(
    ("size", "error"),
    [((65, 64), UsageError), ("100x64", UsageError), ((64,), UsageError), ((64.0, 64), UsageError),
     ("8x8", PresetError), ("huge", PresetError)],
)
def test_bad_sizes_are_refused(shared_pipe, size, error):
    with pytest.raises(error):
        shared_pipe.generate("1girl", size=size, steps=2)


def test_bad_arguments_are_refused(shared_pipe):
    with pytest.raises(UsageError, match="num_images"):
        shared_pipe.generate("1girl", num_images=0, **SMALL)
    with pytest.raises(PresetError):
        shared_pipe.generate("1girl", sampler="no such sampler", **SMALL)
    with pytest.raises(UsageError, match="steps"):
        shared_pipe.generate("1girl", size=(64, 64), steps=0)
    with pytest.raises(UsageError, match="emphasis"):
        shared_pipe.generate("1girl", emphasis="loud", **SMALL)


def test_callback_sees_every_step_and_can_stop(shared_pipe):
    seen = []
    shared_pipe.generate("1girl", seed=2, callback=lambda info: seen.append((info.stage, info.step, info.steps)),
                         **SMALL)
    assert seen == [("base", 1, 3), ("base", 2, 3), ("base", 3, 3)]
    stopped = shared_pipe.generate("1girl", seed=2, callback=lambda info: info.step < 1, **SMALL)
    assert stopped.interrupted
    assert stopped.image.size == (64, 64)


def test_saved_png_carries_the_metadata(shared_pipe, tmp_path):
    import json

    from PIL import Image

    result = shared_pipe.generate("1girl, smile", "lowres", seed=9, **SMALL)
    result.save(tmp_path / "out.png")
    meta = json.loads(Image.open(tmp_path / "out.png").text["metadata"])
    assert meta["prompt"] == "1girl, smile" and meta["seed"] == 9 and meta["negative_prompt"] == "lowres"
