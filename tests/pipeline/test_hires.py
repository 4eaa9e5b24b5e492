"""The hires pass: latents upscaled, then img2img at the given strength on the same components."""

import numpy as np
import pytest

from animagine_prompt.errors import UsageError
from animagine_prompt.presets import Hires


def test_hires_size_steps_and_shared_weights(shared_pipe, unet_log):
    with unet_log(shared_pipe) as log:
        result = shared_pipe.generate("1girl, smile", "lowres", size=(64, 64), steps=4, seed=3, hires=True)
    assert result.image.size == (96, 96)  # x1.5
    assert result.prompt.hires == Hires(1.5, 0.55, "nearest-exact")
    assert len(result.hires_steps) == 2  # int(4 * 0.55) steps of img2img
    assert log.calls == 4 + 2
    img2img = shared_pipe._hires_pipe()
    assert img2img.unet is shared_pipe.pipe.unet and img2img.vae is shared_pipe.pipe.vae
    assert result.metadata()["use_upscaler"]["new_resolution"] == "96 x 96"


def test_hires_settings_change_size_and_strength(shared_pipe, unet_log):
    with unet_log(shared_pipe) as log:
        result = shared_pipe.generate(
            "1girl", size=(64, 64), steps=4, seed=3, hires={"upscale_by": 2.0, "strength": 0.75, "method": "bilinear"}
        )
    assert result.image.size == (128, 128)
    assert log.calls == 4 + 3
    weaker = shared_pipe.generate("1girl", size=(64, 64), steps=4, seed=3, hires=Hires(2.0, 0.5, "bilinear"))
    assert not np.array_equal(np.asarray(result.image), np.asarray(weaker.image))


def test_hires_schedules_count_into_the_hires_steps(shared_pipe):
    result = shared_pipe.generate("a [cat:dog:1.5]", size=(64, 64), steps=4, seed=3, hires={"strength": 0.75})
    assert [s.prompts[0][0] for s in result.steps] == ["a cat"] * 4
    assert [s.prompts[0][0] for s in result.hires_steps] == ["a cat"] * 3


def test_bad_hires_settings_are_refused(shared_pipe):
    with pytest.raises(UsageError, match="method"):
        shared_pipe.generate("1girl", size=(64, 64), steps=2, hires={"method": "lanczos"})
    with pytest.raises(UsageError, match="runs no step"):
        shared_pipe.generate("1girl", size=(64, 64), steps=2, hires={"strength": 0.2})
    with pytest.raises(UsageError):
        shared_pipe.generate("1girl", size=(64, 64), steps=2, hires={"upscale_by": 0.5})
    with pytest.raises(UsageError, match="hires must be"):
        shared_pipe.generate("1girl", size=(64, 64), steps=2, hires="yes")
