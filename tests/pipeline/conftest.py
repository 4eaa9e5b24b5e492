"""Fixtures for the generation tests: a tiny random SDXL pipeline saved to disk and loaded through ``load``."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import sdxl_factory_module

pytest.importorskip("torch")
pytest.importorskip("transformers")
pytest.importorskip("diffusers")


@pytest.fixture(scope="session")
def sdxl_factory():
    """The encode tests' ``_factory`` module."""
    return sdxl_factory_module()


@pytest.fixture(scope="session")
def tiny_model_dir(tiny_sdxl_dir) -> Path:
    """A folder holding a tiny random SDXL pipeline written by ``save_pretrained`` (the run's shared one)."""
    return tiny_sdxl_dir


def save_lora(folder: Path, name: str, parts: dict, components: tuple[str, ...]) -> Path:
    """Save the peft adapters of ``parts[c]`` for ``c`` in ``components`` as ``folder/name.safetensors``."""
    from diffusers import StableDiffusionXLPipeline
    from diffusers.utils import convert_state_dict_to_diffusers
    from peft.utils import get_peft_model_state_dict

    layers = {
        f"{c}_lora_layers": convert_state_dict_to_diffusers(get_peft_model_state_dict(parts[c])) for c in components
    }
    StableDiffusionXLPipeline.save_lora_weights(folder / name, **layers)
    target = folder / f"{name}.safetensors"
    (folder / name / "pytorch_lora_weights.safetensors").rename(target)
    return target


@pytest.fixture(scope="session")
def lora_saver():
    """:func:`save_lora`, for test modules (they cannot import this conftest by name)."""
    return save_lora


def _fresh(folder: Path, **options):
    from animagine_prompt.pipeline import load

    pipe = load(str(folder), vae=None, device="cpu", dtype="fp32", **options)
    pipe.pipe.set_progress_bar_config(disable=True)
    return pipe


@pytest.fixture(scope="session")
def shared_pipe(tiny_model_dir):
    """One ``AnimaginePipeline`` for tests that change nothing on it (no LoRAs, no options)."""
    return _fresh(tiny_model_dir)


@pytest.fixture(scope="session")
def make_pipe(tiny_model_dir):
    """``make_pipe(**options)``: a new ``AnimaginePipeline`` on the tiny model, ``options`` going to ``load``."""
    return lambda **options: _fresh(tiny_model_dir, **options)


@pytest.fixture
def fresh_pipe(tiny_model_dir):
    """An ``AnimaginePipeline`` of its own, for tests that load LoRAs or change options."""
    return _fresh(tiny_model_dir)


class UNetLog:
    """Records the conditioning of every UNet call: ``hidden[i]`` and ``pooled[i]`` for call ``i``."""

    def __init__(self) -> None:
        self.hidden: list = []
        self.pooled: list = []
        self.batch: list[int] = []  # batch size the UNet's layers see (after any pre-hook)
        self.context_length: list[int] = []  # tokens the first cross-attention layer sees

    @property
    def calls(self) -> int:
        return len(self.hidden)


@pytest.fixture
def unet_log():
    """``with unet_log(pipe) as log:`` records what the UNet of an ``AnimaginePipeline`` received."""
    from contextlib import contextmanager

    @contextmanager
    def watch(pipe):
        log = UNetLog()

        def hook(_module, args, kwargs):
            log.hidden.append(kwargs["encoder_hidden_states"].detach().clone())
            log.pooled.append(kwargs["added_cond_kwargs"]["text_embeds"].detach().clone())

        def inner(_module, args):
            log.batch.append(args[0].shape[0])

        def cross(_module, args, kwargs):
            if len(log.context_length) < len(log.batch):
                log.context_length.append(kwargs["encoder_hidden_states"].shape[1])

        unet = pipe.pipe.unet
        attn2 = next(m for name, m in unet.named_modules() if name.endswith("attn2"))
        handles = [
            unet.register_forward_pre_hook(hook, with_kwargs=True),
            unet.conv_in.register_forward_pre_hook(inner),
            attn2.register_forward_pre_hook(cross, with_kwargs=True),
        ]
        try:
            yield log
        finally:
            for handle in handles:
                handle.remove()

    return watch
