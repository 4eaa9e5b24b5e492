"""Step previews: latents to a small JPEG through the 4 x 3 latent-to-RGB factors, without the VAE."""

from __future__ import annotations

import base64
import io

import numpy as np
import pytest

torch = pytest.importorskip("torch")
Image = pytest.importorskip("PIL.Image")

from animagine_prompt.webui._preview import _SDXL_BIAS, _SDXL_RGB, latent_preview  # noqa: E402


def _decoded(url: str) -> np.ndarray:
    head, data = url.split(",", 1)
    assert head == "data:image/jpeg;base64"
    return np.asarray(Image.open(io.BytesIO(base64.b64decode(data))).convert("RGB")).astype(int)


def _colour(latent: tuple[float, float, float, float]) -> np.ndarray:
    """The factors applied by hand to one latent cell, in 0..255."""
    rgb = [sum(latent[c] * _SDXL_RGB[c][k] for c in range(4)) + _SDXL_BIAS[k] for k in range(3)]
    return np.clip((np.array(rgb) + 1.0) * 127.5, 0, 255)


# cells of one colour each: JPEG keeps flat areas to within a few levels
LEFT, RIGHT = (1.0, 0.0, 0.0, 0.0), (0.0, -1.0, 1.0, 1.0)


@pytest.mark.parametrize("dtype", [torch.float32, torch.bfloat16])
def test_each_cell_gets_the_factors_colour_in_its_place(dtype):
    height, width = 16, 32  # not square: rows and columns cannot trade places unnoticed
    latents = torch.zeros(2, 4, height, width, dtype=dtype)
    latents[0, :, :, : width // 2] = torch.tensor(LEFT, dtype=dtype)[:, None, None]
    latents[0, :, :, width // 2 :] = torch.tensor(RIGHT, dtype=dtype)[:, None, None]
    latents[1] = 5.0  # the second image of the batch is not the one shown
    pixels = _decoded(latent_preview(latents))
    assert pixels.shape == (height, width, 3)
    # away from the edge between the halves, where JPEG blurs
    assert np.abs(pixels[:, : width // 2 - 4] - _colour(LEFT)).max() <= 3
    assert np.abs(pixels[:, width // 2 + 4 :] - _colour(RIGHT)).max() <= 3
    assert np.abs(_colour(LEFT) - _colour(RIGHT)).max() > 60, "the two halves should differ clearly"


def test_values_beyond_the_range_are_clipped_not_wrapped():
    latents = torch.zeros(1, 4, 8, 16)
    latents[0, 0, :, :8] = 50.0  # far above white
    latents[0, 3, :, 8:] = 50.0  # far below black: channel 3 pulls every colour down
    pixels = _decoded(latent_preview(latents))
    assert pixels[:, :8].min() >= 250
    assert pixels[:, 8:].max() <= 5


def test_latents_of_another_model_have_no_preview():
    assert latent_preview(torch.zeros(1, 16, 8, 8)) is None
    assert latent_preview(torch.zeros(4, 8, 8)) is None
    assert latent_preview(None) is None
