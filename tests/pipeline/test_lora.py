"""LoRAs named in the prompt: loading, weights, caching, unloading, and refusals before any GPU work."""

from pathlib import Path

import numpy as np
import pytest

from animagine_prompt.errors import ModelNotFoundError, UsageError

peft = pytest.importorskip("peft")

SMALL = {"size": (64, 64), "steps": 2, "seed": 8}


@pytest.fixture(scope="module")
def lora_dir(tmp_path_factory, sdxl_factory, lora_saver, tiny_model_dir) -> Path:
    """A folder with random LoRAs for the tiny pipeline: ``tiny`` (UNet) and, where the installed
    transformers/peft pair supports text-encoder adapters, ``tiny_te`` (UNet and both text encoders)."""
    import torch
    from peft import LoraConfig

    parts = sdxl_factory.tiny_sdxl_models(tiny_model_dir)
    torch.manual_seed(0)
    parts["unet"].add_adapter(
        LoraConfig(r=4, lora_alpha=4, init_lora_weights=False, target_modules=["to_q", "to_k", "to_v", "to_out.0"])
    )
    folder = tmp_path_factory.mktemp("loras")
    lora_saver(folder, "tiny", parts, ("unet",))
    try:
        for name in ("text_encoder", "text_encoder_2"):
            parts[name].add_adapter(
                LoraConfig(r=4, lora_alpha=4, init_lora_weights=False, target_modules=["q_proj", "k_proj", "v_proj"])
            )
    except ValueError:  # transformers refuses this peft version for text-encoder adapters
        return folder
    lora_saver(folder, "tiny_te", parts, ("unet", "text_encoder", "text_encoder_2"))
    return folder


@pytest.fixture(scope="module")
def lora_pipe(tiny_model_dir, lora_dir):
    from animagine_prompt.pipeline import load

    loaded = load(str(tiny_model_dir), vae=None, device="cpu", lora_dir=lora_dir)
    loaded.pipe.set_progress_bar_config(disable=True)
    return loaded


@pytest.fixture
def pipe(lora_pipe):
    """The module's pipeline, loaded once: every test leaves it with no LoRA loaded, as it found it."""
    assert not lora_pipe.loras.loaded
    yield lora_pipe
    if lora_pipe.loras.loaded:  # a test failed half-way: unload, so that the next one starts clean
        lora_pipe.generate("1girl", **SMALL)


def _image(result):
    return np.asarray(result.image)


def test_weights_load_cache_and_unload(pipe, monkeypatch):
    loads = []
    original = pipe.pipe.load_lora_weights

    def counting(*args, **kwargs):
        loads.append(args[0])
        return original(*args, **kwargs)

    monkeypatch.setattr(pipe.pipe, "load_lora_weights", counting)
    baseline = _image(pipe.generate("1girl, smile", **SMALL))
    zero = pipe.generate("1girl, smile <lora:tiny:0>", **SMALL)
    assert np.array_equal(_image(zero), baseline) and zero.loras == () and loads == []

    full = pipe.generate("1girl, smile <lora:tiny:1>", **SMALL)
    assert not np.array_equal(_image(full), baseline)
    assert full.loras == (("tiny", 1.0, 1.0),) and len(loads) == 1
    unet_only = pipe.generate("1girl, smile <lora:tiny:0:1>", **SMALL)
    text_only = pipe.generate("1girl, smile <lora:tiny:1:0>", **SMALL)
    half = pipe.generate("1girl, smile <lora:tiny:0.5>", **SMALL)
    assert len(loads) == 1  # loaded once, re-weighted since
    # this LoRA has UNet layers only: its text-encoder weight changes nothing
    assert np.array_equal(_image(unet_only), _image(full))
    assert np.array_equal(_image(text_only), baseline)
    assert not np.array_equal(_image(half), _image(full)) and not np.array_equal(_image(half), baseline)
    again = pipe.generate("1girl, smile <lora:tiny:1>", **SMALL)
    assert np.array_equal(_image(again), _image(full)) and len(loads) == 1

    after = pipe.generate("1girl, smile", **SMALL)  # no longer named: unloaded
    assert not any(pipe.pipe.get_list_adapters().values())
    assert np.array_equal(_image(after), baseline)


def test_text_encoder_weights(pipe, lora_dir):
    if not (lora_dir / "tiny_te.safetensors").exists():
        pytest.skip("the installed transformers does not accept this peft version for text-encoder adapters")
    baseline = _image(pipe.generate("1girl", **SMALL))
    text_only = pipe.generate("1girl <lora:tiny_te:1:0>", **SMALL)
    both = pipe.generate("1girl <lora:tiny_te:1>", **SMALL)
    assert not np.array_equal(_image(text_only), baseline)
    assert not np.array_equal(_image(both), _image(text_only))


def test_unknown_and_outside_names_are_refused_before_gpu_work(pipe, unet_log):
    calls = []
    handle = pipe.pipe.text_encoder.register_forward_pre_hook(lambda *a: calls.append(1))
    try:
        with unet_log(pipe) as log:
            with pytest.raises(ModelNotFoundError, match="unknown LoRA 'nope'"):
                pipe.generate("1girl <lora:nope:1>", **SMALL)
            with pytest.raises(UsageError, match="outside the LoRA folder"):
                pipe.generate("1girl <lora:../tiny:1>", **SMALL)
            with pytest.raises(UsageError, match="named twice"):
                pipe.generate("1girl <lora:tiny:1> <lora:tiny:0.5>", **SMALL)
            with pytest.raises(UsageError, match="not a number"):
                pipe.generate("1girl <lora:tiny:strong>", **SMALL)
    finally:
        handle.remove()
    assert log.calls == 0 and calls == []


def test_companion_lora_offline_says_how_to_get_it(pipe, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(ModelNotFoundError, match="hf download Linaqruf/pastel-style-xl-lora"):
        pipe.generate("1girl <lora:pastel-style-xl:0.8>", **SMALL)


def test_name_map_points_at_a_file(tiny_model_dir, lora_dir):
    from animagine_prompt.pipeline import load

    mapped = load(str(tiny_model_dir), vae=None, device="cpu", loras={"mine": str(lora_dir / "tiny.safetensors")})
    mapped.pipe.set_progress_bar_config(disable=True)
    result = mapped.generate("1girl <lora:mine:0.5>", **SMALL)
    assert result.loras == (("mine", 0.5, 0.5),)
