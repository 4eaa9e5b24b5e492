"""load(): the local-folder path users hit with a saved pipeline, and clear errors for what cannot be found."""

import pytest
import torch

from animagine_prompt.errors import ModelNotFoundError, UsageError
from animagine_prompt.pipeline import AnimaginePipeline, load, resolve_device, resolve_dtype


def test_local_folder_loads_with_the_default_sampler(shared_pipe):
    assert isinstance(shared_pipe, AnimaginePipeline)
    assert shared_pipe.device == torch.device("cpu") and shared_pipe.pipe.unet.dtype == torch.float32
    assert shared_pipe.sampler == "Euler a"
    assert "AnimaginePipeline(StableDiffusionXLPipeline" in repr(shared_pipe)


def test_from_diffusers_wraps_an_existing_pipeline(shared_pipe):
    wrapped = AnimaginePipeline.from_diffusers(shared_pipe.pipe, sampler="DDIM")
    assert wrapped.pipe is shared_pipe.pipe and wrapped.sampler == "DDIM"


def test_hub_id_offline_says_how_to_get_it(monkeypatch, tmp_path):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(ModelNotFoundError, match="HF_HUB_OFFLINE.*hf download Linaqruf/animagine-xl-2.0"):
        load("Linaqruf/animagine-xl-2.0", vae=None, device="cpu")
    with pytest.raises(ModelNotFoundError, match="VAE 'madebyollin/sdxl-vae-fp16-fix'"):
        load("Linaqruf/animagine-xl-2.0", device="cpu")


def test_missing_and_unsafe_paths(tmp_path):
    with pytest.raises(ModelNotFoundError, match="does not exist"):
        load(str(tmp_path / "nothing-here"), vae=None, device="cpu")
    with pytest.raises(ModelNotFoundError, match="model_index.json"):
        load(str(tmp_path), vae=None, device="cpu")
    ckpt = tmp_path / "model.ckpt"
    ckpt.write_bytes(b"")
    with pytest.raises(UsageError, match="only .safetensors"):
        load(str(ckpt), vae=None, device="cpu")


def test_single_file_offline_needs_its_config(monkeypatch, tiny_model_dir):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    checkpoint = tiny_model_dir / "unet" / "diffusion_pytorch_model.safetensors"
    with pytest.raises((ModelNotFoundError, UsageError, ValueError)):
        load(str(checkpoint), vae=None, device="cpu")


def test_device_and_dtype_choices():
    assert resolve_device("cpu") == torch.device("cpu")
    assert resolve_dtype("auto", torch.device("cpu")) == torch.float32
    assert resolve_dtype("auto", torch.device("cuda")) == torch.float16
    with pytest.raises(UsageError, match="dtype"):
        resolve_dtype("fp8")
    with pytest.raises(UsageError, match="device"):
        resolve_device("gpu please")


def test_the_default_sampler_comes_from_the_presets(shared_pipe, tmp_path):
    from animagine_prompt.presets import load_presets

    mine = tmp_path / "defaults.yaml"
    mine.write_text("defaults:\n  sampler: DDIM\n", encoding="utf-8")
    wrapped = AnimaginePipeline.from_diffusers(shared_pipe.pipe, presets=load_presets([mine], user=False))
    assert wrapped.sampler == "DDIM"
