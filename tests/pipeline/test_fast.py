"""fast mode on the tiny pipeline: the CPU plan (attention changes only) gives the default image within
tolerance; the compiled path (dynamo's eager backend, so it runs in seconds on the CPU) warms each
bundled shape up once, shows the warm-up to the callback, and leaves other sizes uncompiled."""

import numpy as np
import pytest
import torch

SMALL = {"size": (64, 64), "steps": 3}


@pytest.fixture(scope="module")
def fast_pipe(make_pipe):
    return make_pipe(fast=True)


@pytest.fixture(scope="module")
def compiled_pipe(make_pipe):
    from animagine_prompt.pipeline import FastOptions

    torch._dynamo.reset()
    pipe = make_pipe(fast=FastOptions(compile=True, backend="eager", max_shapes=1))
    # the bundled resolutions are 1024-pixel sizes; the tiny model is tested at its own
    pipe._fast.sizes = frozenset({(64, 64), (64, 80)})
    yield pipe
    torch._dynamo.reset()


def _weight_bytes(module):
    storages = {p.untyped_storage().data_ptr(): p.untyped_storage().nbytes() for p in module.parameters()}
    return sum(storages.values())


def _pixels(result, i=0):
    return np.asarray(result.images[i], dtype=float)


def test_fast_on_the_cpu_fuses_attention_and_matches_the_default(shared_pipe, fast_pipe):
    from diffusers.models.attention_processor import FusedAttnProcessor2_0

    unet = fast_pipe.pipe.unet
    assert all(isinstance(p, FusedAttnProcessor2_0) for p in unet.attn_processors.values())
    attention = next(m for name, m in unet.named_modules() if name.endswith("attn1"))
    # the separate projections are views into the fused one: no second copy of the weights
    assert attention.to_q.weight.data_ptr() == attention.to_qkv.weight.data_ptr()
    assert _weight_bytes(unet) == _weight_bytes(shared_pipe.pipe.unet)

    first = fast_pipe.generate("1girl, (smile:1.2)", "lowres", seed=4, num_images=2, **SMALL)
    default = shared_pipe.generate("1girl, (smile:1.2)", "lowres", seed=4, num_images=2, **SMALL)
    for i in range(2):
        assert np.abs(_pixels(first, i) - _pixels(default, i)).max() <= 2
    assert first.notes[0].startswith("fast on cpu: SDPA attention and fused QKV projections;")
    assert "torch.compile" in first.notes[0] and first.timings.warm_up == 0
    again = fast_pipe.generate("1girl, (smile:1.2)", "lowres", seed=4, num_images=2, **SMALL)
    assert not any(n.startswith("fast on") for n in again.notes)  # said once
    assert np.array_equal(_pixels(again, 1), _pixels(first, 1))


@pytest.mark.slow
def test_compiled_shapes_warm_up_once_each(compiled_pipe, fast_pipe):
    seen = []

    def record(info):
        seen.append((info.stage, info.step, info.steps))

    first = compiled_pipe.generate("1girl, smile", seed=2, callback=record, **SMALL)
    assert seen == [("warm-up", 0, 1), ("warm-up", 1, 1), ("base", 1, 3), ("base", 2, 3), ("base", 3, 3)]
    assert first.timings.warm_up > 0 and first.timings.ours < first.timings.total
    assert len(compiled_pipe._fast.compiled_shapes) == 1
    # the compiled UNet is only in the pipeline during a run
    assert compiled_pipe.pipe.unet is compiled_pipe._fast.eager_unet
    assert "decode" not in vars(compiled_pipe.pipe.vae)

    seen.clear()
    again = compiled_pipe.generate("1girl, smile", seed=2, callback=record, **SMALL)
    assert [s for s in seen if s[0] == "warm-up"] == [] and again.timings.warm_up == 0
    assert np.array_equal(_pixels(again), _pixels(first))
    # the compiled run gives the uncompiled fast pipeline's image
    eager = fast_pipe.generate("1girl, smile", seed=2, **SMALL)
    assert np.abs(_pixels(first) - _pixels(eager)).max() <= 1

    seen.clear()
    compiled_pipe.generate("1girl, smile", seed=2, num_images=2, callback=record, **SMALL)
    assert seen[0][0] == "base"  # a new shape past max_shapes: runs eager, no warm-up
    seen.clear()
    compiled_pipe.generate("1girl, smile", seed=2, size=(80, 64), steps=2, callback=record)
    assert seen[0][0] == "base"  # not a compiled size: runs eager
    assert list(compiled_pipe._fast.compiled_shapes) == [(64, 64, 2, 77)]


def test_fast_options_are_checked(shared_pipe):
    from animagine_prompt.errors import UsageError
    from animagine_prompt.pipeline import FastOptions

    with pytest.raises(UsageError, match="fast must be"):
        shared_pipe.enable_fast("yes")
    with pytest.raises(UsageError, match="max_shapes"):
        shared_pipe.enable_fast(FastOptions(max_shapes=0))
    assert shared_pipe._fast is None


def test_cli_fast_flag_reaches_the_pipeline(fast_pipe, tiny_model_dir, tmp_path):
    from PIL import Image

    from animagine_prompt.cli import main

    argv = ["generate", "1girl, smile", "--model", str(tiny_model_dir), "--vae", "none", "--fast", "--size", "64x64"]
    argv += ["--steps", "2", "--seed", "3", "--out", str(tmp_path), "--no-progress", "--device", "cpu"]
    assert main(argv) == 0
    (png,) = tmp_path.glob("*.png")
    api = fast_pipe.generate("1girl, smile", size=(64, 64), steps=2, seed=3)
    # the same fused pipeline: the same pixels
    assert np.array_equal(np.asarray(Image.open(png).convert("RGB")), np.asarray(api.image))


def test_separate_projections_while_loras_are_loaded(shared_pipe, fast_pipe):
    from diffusers.models.attention_processor import AttnProcessor2_0, FusedAttnProcessor2_0

    unet, fast = fast_pipe.pipe.unet, fast_pipe._fast
    fused = fast_pipe.generate("1girl, smile", seed=8, **SMALL)
    fast.attention(loras=True)  # what generate does while a LoRA is loaded
    try:
        assert all(isinstance(p, AttnProcessor2_0) for p in unet.attn_processors.values())
        assert not fast.compiles((64, 64, 2, 77), loras=True)
        # the UNet's separate projections (views into the fused weights) give the default latents
        common = {"prompt": "1girl, smile", "height": 64, "width": 64, "num_inference_steps": 2,
                  "output_type": "latent"}
        shared_pipe.pipe.scheduler = fast_pipe.pipe.scheduler  # the Euler a that generate set
        separate = fast_pipe.pipe(**common, generator=torch.Generator().manual_seed(8)).images
        default = shared_pipe.pipe(**common, generator=torch.Generator().manual_seed(8)).images
        assert torch.equal(separate, default)
    finally:
        fast.attention(loras=False)
    assert all(isinstance(p, FusedAttnProcessor2_0) for p in unet.attn_processors.values())
    assert np.array_equal(_pixels(fast_pipe.generate("1girl, smile", seed=8, **SMALL)), _pixels(fused))
