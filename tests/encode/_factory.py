"""Random SDXL components built from configs, for tests and benchmarks that cannot download models.

Everything is saved with ``save_pretrained`` and loaded back with ``from_pretrained``, the code
path users hit with a real checkpoint:

- ``clip_tokenizers(folder)``: SDXL's two ``CLIPTokenizer``s (``tokenizer`` pads with
  ``<|endoftext|>``, ``tokenizer_2`` with ``!``, id 0), built from the vocabulary and merges of
  the tokenizer bundled with animagine-prompt;
- ``text_encoders(size, folder)``: ``CLIPTextModel`` + ``CLIPTextModelWithProjection`` with
  random weights, either ``"tiny"`` (hidden sizes 32 and 48, so that a swapped concatenation
  shows up as a shape error) or ``"real"`` (CLIP-L 768/12 layers/12 heads and OpenCLIP bigG
  1280/32 layers/20 heads, projection 1280: about 820M parameters, seconds to build);
- ``tiny_sdxl_pipeline(folder)``: a whole ``StableDiffusionXLPipeline`` with tiny UNet, VAE and
  scheduler in the shapes diffusers' own SDXL tests use, around the tiny text encoders
  (``save_tiny_sdxl_pipeline`` only saves it; ``tiny_sdxl_models`` loads a saved one's UNet and
  text encoders alone).

Seeds are fixed, so two builds give the same weights.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import torch

__all__ = [
    "REAL_CONFIGS",
    "TINY_CONFIGS",
    "clip_tokenizers",
    "save_tiny_sdxl_pipeline",
    "text_encoders",
    "tiny_sdxl_models",
    "tiny_sdxl_pipeline",
]

_SPECIAL = {"bos_token_id": 0, "eos_token_id": 2, "pad_token_id": 1}  # as in the SDXL checkpoints' configs

#: CLIPTextConfig arguments of (text_encoder, text_encoder_2), tiny.
TINY_CONFIGS: tuple[dict[str, Any], dict[str, Any]] = (
    dict(
        vocab_size=49408,
        hidden_size=32,
        intermediate_size=37,
        num_hidden_layers=4,
        num_attention_heads=4,
        max_position_embeddings=77,
        hidden_act="quick_gelu",
        projection_dim=32,
        **_SPECIAL,
    ),
    dict(
        vocab_size=49408,
        hidden_size=48,
        intermediate_size=64,
        num_hidden_layers=5,
        num_attention_heads=4,
        max_position_embeddings=77,
        hidden_act="gelu",
        projection_dim=40,
        **_SPECIAL,
    ),
)

#: CLIPTextConfig arguments of (text_encoder, text_encoder_2) at the sizes of SDXL's encoders.
REAL_CONFIGS: tuple[dict[str, Any], dict[str, Any]] = (
    dict(
        vocab_size=49408,
        hidden_size=768,
        intermediate_size=3072,
        num_hidden_layers=12,
        num_attention_heads=12,
        max_position_embeddings=77,
        hidden_act="quick_gelu",
        projection_dim=768,
        **_SPECIAL,
    ),
    dict(
        vocab_size=49408,
        hidden_size=1280,
        intermediate_size=5120,
        num_hidden_layers=32,
        num_attention_heads=20,
        max_position_embeddings=77,
        hidden_act="gelu",
        projection_dim=1280,
        **_SPECIAL,
    ),
)


def _clip_vocabulary() -> tuple[dict[str, int], list[tuple[str, str]]]:
    try:
        from animagine_prompt.tokens import clip_vocabulary  # type: ignore[attr-defined]
    except ImportError:
        from animagine_prompt.tokens._vocabulary import clip_vocabulary
    return clip_vocabulary()


def clip_tokenizers(folder: Path) -> tuple[Any, Any]:
    """SDXL's ``tokenizer`` and ``tokenizer_2``, saved under ``folder`` and loaded back.

    ``tokenizer_2`` differs only in its pad token (``!``, id 0), as in the SDXL checkpoints.
    """
    from transformers import CLIPTokenizer

    vocab, merges = _clip_vocabulary()
    loaded = []
    for name, pad in (("tokenizer", "<|endoftext|>"), ("tokenizer_2", "!")):
        built = CLIPTokenizer(vocab=dict(vocab), merges=list(merges), pad_token=pad, model_max_length=77)
        built.save_pretrained(Path(folder) / name)
        loaded.append(CLIPTokenizer.from_pretrained(Path(folder) / name))
    return loaded[0], loaded[1]


def build_text_encoders(size: str = "tiny", *, seed: int = 0, dtype: torch.dtype = torch.float32) -> tuple[Any, Any]:
    """Random ``(text_encoder, text_encoder_2)`` of ``size`` ``"tiny"`` or ``"real"``, in memory only.

    ``"real"`` weights come from :func:`_quick_random`: transformers' own initialisation draws
    820M normals (after the uniform ones of each ``Linear``), about 10 s of one core.
    """
    from transformers import CLIPTextConfig, CLIPTextModel, CLIPTextModelWithProjection

    configs = {"tiny": TINY_CONFIGS, "real": REAL_CONFIGS}[size]
    if size == "real":
        with torch.device("meta"):  # shapes only: no memory, no initialisation
            first = CLIPTextModel(CLIPTextConfig(**configs[0]))
            second = CLIPTextModelWithProjection(CLIPTextConfig(**configs[1]))
        first = _quick_random(first.to_empty(device="cpu"), seed)
        second = _quick_random(second.to_empty(device="cpu"), seed + 1)
        return first.to(dtype).eval(), second.to(dtype).eval()
    torch.manual_seed(seed)
    first = CLIPTextModel(CLIPTextConfig(**configs[0]))
    second = CLIPTextModelWithProjection(CLIPTextConfig(**configs[1]))
    return first.to(dtype).eval(), second.to(dtype).eval()


def _quick_random(model: Any, seed: int) -> Any:
    """Fill an uninitialised CLIP text model with random weights at the scales of CLIP's own init.

    One block of seeded normals, a prime number long so that tiled rows do not repeat in step, is
    copied across every matrix and scaled per weight as ``CLIPPreTrainedModel._init_weights`` does;
    norms get 1 and biases 0. Hidden states and pooled vectors come out at the sizes the usual
    init gives (standard deviation about 1), in a fifth of the time.
    """
    hidden, layers = model.config.hidden_size, model.config.num_hidden_layers
    pool = torch.randn(1_048_573, generator=torch.Generator().manual_seed(seed))
    start = 0
    with torch.no_grad():
        for name, param in model.named_parameters():
            if param.ndim == 1:
                param.fill_(1.0 if "norm" in name and name.endswith("weight") else 0.0)
                continue
            if "embedding" in name:
                std = 0.02
            elif name.endswith(("q_proj.weight", "k_proj.weight", "v_proj.weight", "fc2.weight")):
                std = hidden**-0.5 * (2 * layers) ** -0.5
            elif name.endswith("fc1.weight"):
                std = (2 * hidden) ** -0.5
            else:  # out_proj, text_projection
                std = hidden**-0.5
            flat, done = param.view(-1), 0
            while done < flat.numel():
                take = min(flat.numel() - done, pool.numel() - start)
                flat[done : done + take].copy_(pool[start : start + take])
                done, start = done + take, (start + take) % pool.numel()
            flat.mul_(std)
        for module in model.modules():  # the one buffer the constructor fills: 0, 1, 2, ...
            if hasattr(module, "position_ids"):
                module.position_ids.copy_(torch.arange(module.position_ids.shape[-1]).expand(1, -1))
    return model


def text_encoders(
    size: str = "tiny", folder: Path | None = None, *, seed: int = 0, dtype: torch.dtype = torch.float32
) -> tuple[Any, Any]:
    """Random ``(text_encoder, text_encoder_2)``; with ``folder``, saved there and loaded back."""
    from transformers import CLIPTextModel, CLIPTextModelWithProjection

    first, second = build_text_encoders(size, seed=seed)
    if folder is None:
        return first.to(dtype), second.to(dtype)
    first.save_pretrained(Path(folder) / "text_encoder")
    second.save_pretrained(Path(folder) / "text_encoder_2")
    return (
        CLIPTextModel.from_pretrained(Path(folder) / "text_encoder", dtype=dtype).eval(),
        CLIPTextModelWithProjection.from_pretrained(Path(folder) / "text_encoder_2", dtype=dtype).eval(),
    )


def tiny_sdxl_components(folder: Path, *, seed: int = 0) -> dict[str, Any]:
    """The components of a tiny SDXL pipeline (not yet assembled), text parts loaded from ``folder``."""
    from diffusers import AutoencoderKL, EulerDiscreteScheduler, UNet2DConditionModel

    tokenizer, tokenizer_2 = clip_tokenizers(folder)
    text_encoder, text_encoder_2 = text_encoders("tiny", folder, seed=seed)
    cross_attention_dim = TINY_CONFIGS[0]["hidden_size"] + TINY_CONFIGS[1]["hidden_size"]
    time_ids_dim = 8
    torch.manual_seed(seed)
    unet = UNet2DConditionModel(
        block_out_channels=(2, 4),
        layers_per_block=2,
        sample_size=32,
        in_channels=4,
        out_channels=4,
        down_block_types=("DownBlock2D", "CrossAttnDownBlock2D"),
        up_block_types=("CrossAttnUpBlock2D", "UpBlock2D"),
        attention_head_dim=(2, 4),
        use_linear_projection=True,
        addition_embed_type="text_time",
        addition_time_embed_dim=time_ids_dim,
        transformer_layers_per_block=(1, 2),
        # six micro-conditioning numbers (sizes, crop, target) embedded, plus the pooled vector
        projection_class_embeddings_input_dim=6 * time_ids_dim + TINY_CONFIGS[1]["projection_dim"],
        cross_attention_dim=cross_attention_dim,
        norm_num_groups=1,
    )
    torch.manual_seed(seed)
    vae = AutoencoderKL(
        block_out_channels=[32, 64],
        in_channels=3,
        out_channels=3,
        down_block_types=["DownEncoderBlock2D", "DownEncoderBlock2D"],
        up_block_types=["UpDecoderBlock2D", "UpDecoderBlock2D"],
        latent_channels=4,
        sample_size=128,
    )
    scheduler = EulerDiscreteScheduler(
        beta_start=0.00085,
        beta_end=0.012,
        steps_offset=1,
        beta_schedule="scaled_linear",
        timestep_spacing="leading",
    )
    return {
        "unet": unet,
        "vae": vae,
        "scheduler": scheduler,
        "text_encoder": text_encoder,
        "text_encoder_2": text_encoder_2,
        "tokenizer": tokenizer,
        "tokenizer_2": tokenizer_2,
    }


def save_tiny_sdxl_pipeline(folder: Path, *, seed: int = 0, force_zeros_for_empty_prompt: bool = True) -> Path:
    """Save a tiny random ``StableDiffusionXLPipeline`` as ``folder/pipeline`` and return that path."""
    from diffusers import StableDiffusionXLPipeline

    components = tiny_sdxl_components(Path(folder) / "parts", seed=seed)
    pipe = StableDiffusionXLPipeline(**components, force_zeros_for_empty_prompt=force_zeros_for_empty_prompt)
    pipe.save_pretrained(Path(folder) / "pipeline")
    return Path(folder) / "pipeline"


def tiny_sdxl_pipeline(folder: Path, *, seed: int = 0, force_zeros_for_empty_prompt: bool = True) -> Any:
    """A tiny random ``StableDiffusionXLPipeline``, saved under ``folder/pipeline`` and loaded back.

    Runs a 2-step 64x64 generation in about a second on a CPU; text embeddings are 80 wide
    (32 from ``text_encoder`` + 48 from ``text_encoder_2``), the pooled vector 40.
    """
    from diffusers import StableDiffusionXLPipeline

    saved = save_tiny_sdxl_pipeline(folder, seed=seed, force_zeros_for_empty_prompt=force_zeros_for_empty_prompt)
    return StableDiffusionXLPipeline.from_pretrained(saved)


def tiny_sdxl_models(pipeline: Path) -> dict[str, Any]:
    """The UNet and both text encoders of a saved pipeline folder, loaded on their own: fresh
    modules to attach adapters to, without the tokenizers, VAE and scheduler a whole load brings."""
    from diffusers import UNet2DConditionModel
    from transformers import CLIPTextModel, CLIPTextModelWithProjection

    return {
        "unet": UNet2DConditionModel.from_pretrained(Path(pipeline) / "unet"),
        "text_encoder": CLIPTextModel.from_pretrained(Path(pipeline) / "text_encoder"),
        "text_encoder_2": CLIPTextModelWithProjection.from_pretrained(Path(pipeline) / "text_encoder_2"),
    }
