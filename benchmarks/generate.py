"""Generation speed: ``AnimaginePipeline.generate`` against the plain diffusers call, in the same run.

Run by hand from the repository root::

    python benchmarks/generate.py                       # tiny random SDXL on the CPU, 64x64, 4 steps
    python benchmarks/generate.py --full-size --device cuda --dtype fp16   # SDXL-sized, 1024x1024, 20 steps

Both paths get the same prompt, negative, size, steps, guidance, sampler (Euler a) and seed, and
produce the same image (checked). Rounds alternate between the two paths; each figure is the
median of ``--repeat`` rounds after one warm-up of each. Reported:

- ``ours``: time ``generate`` spends outside the diffusers call (prompt building, LoRA
  bookkeeping, text encoding, per-step callbacks), per image; target <= 5 ms on the tiny pipeline;
- ``ratio``: ``generate`` wall time / plain ``pipe(prompt=...)`` wall time; target <= 1.02;
- with ``--full-size``: sampling iterations per second of both paths and peak GPU memory.

``--full-size`` builds the SDXL architecture (UNet 2.6B, both text encoders, VAE) from configs
with random weights, directly on the device: no download. The images are noise.
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import torch

ROOT = Path(__file__).resolve().parents[1]
PROMPT = "face focus, cute, masterpiece, best quality, 1girl, green hair, sweater, looking at viewer, upper body"
NEGATIVE = "lowres, bad anatomy, bad hands, text, error, missing fingers, worst quality, low quality"
WEIGHTED = "face focus, (cute:1.2), masterpiece, [best quality:1], 1girl, (green hair:1.3), sweater, [cat|dog] ears"

# stabilityai/stable-diffusion-xl-base-1.0 component configs (architecture only)
SDXL_UNET = dict(
    act_fn="silu", addition_embed_type="text_time", addition_embed_type_num_heads=64, addition_time_embed_dim=256,
    attention_head_dim=[5, 10, 20], block_out_channels=[320, 640, 1280], cross_attention_dim=2048,
    down_block_types=["DownBlock2D", "CrossAttnDownBlock2D", "CrossAttnDownBlock2D"], in_channels=4,
    layers_per_block=2, norm_num_groups=32, out_channels=4, projection_class_embeddings_input_dim=2816,
    sample_size=128, transformer_layers_per_block=[1, 2, 10],
    up_block_types=["CrossAttnUpBlock2D", "CrossAttnUpBlock2D", "UpBlock2D"], use_linear_projection=True,
)
SDXL_VAE = dict(
    block_out_channels=[128, 256, 512, 512], down_block_types=["DownEncoderBlock2D"] * 4,
    up_block_types=["UpDecoderBlock2D"] * 4, in_channels=3, out_channels=3, latent_channels=4, layers_per_block=2,
    norm_num_groups=32, sample_size=1024, scaling_factor=0.13025, force_upcast=False,
)
SDXL_SCHEDULER = dict(
    beta_start=0.00085, beta_end=0.012, beta_schedule="scaled_linear", num_train_timesteps=1000, steps_offset=1,
    timestep_spacing="leading", prediction_type="epsilon",
)


def _factory():
    path = ROOT / "tests" / "encode" / "_factory.py"
    spec = importlib.util.spec_from_file_location("animagine_prompt_bench_factory", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def full_size_pipe(device: torch.device, dtype: torch.dtype, folder: Path):
    from diffusers import AutoencoderKL, EulerDiscreteScheduler, StableDiffusionXLPipeline, UNet2DConditionModel
    from transformers import CLIPTextConfig, CLIPTextModel, CLIPTextModelWithProjection

    factory = _factory()
    tokenizer, tokenizer_2 = factory.clip_tokenizers(folder)
    torch.manual_seed(0)
    with torch.device(device):
        unet = UNet2DConditionModel(**SDXL_UNET)
        vae = AutoencoderKL(**SDXL_VAE)
        text_encoder = CLIPTextModel(CLIPTextConfig(**factory.REAL_CONFIGS[0]))
        text_encoder_2 = CLIPTextModelWithProjection(CLIPTextConfig(**factory.REAL_CONFIGS[1]))
    for module in (unet, vae, text_encoder, text_encoder_2):
        module.to(dtype).eval()
        # random weights overflow fp16 in places; keep the activations finite so timings are typical
        with torch.no_grad():
            for p in module.parameters():
                p.mul_(0.1)
    pipe = StableDiffusionXLPipeline(
        vae=vae, text_encoder=text_encoder, text_encoder_2=text_encoder_2, tokenizer=tokenizer,
        tokenizer_2=tokenizer_2, unet=unet, scheduler=EulerDiscreteScheduler(**SDXL_SCHEDULER),
    )
    return pipe.to(device)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full-size", action="store_true", help="SDXL-sized random model, 1024x1024, 20 steps")
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--dtype", default="fp32")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--steps", type=int, default=None)
    args = parser.parse_args()

    from animagine_prompt.pipeline import AnimaginePipeline, load, resolve_device, resolve_dtype, scheduler_from_config
    from animagine_prompt.presets import bundled_presets

    device = resolve_device(args.device)
    dtype = resolve_dtype(args.dtype, device)
    folder = Path(tempfile.mkdtemp())
    started = time.perf_counter()
    if args.full_size:
        size, steps = 1024, args.steps or 20
        ours = AnimaginePipeline.from_diffusers(full_size_pipe(device, dtype, folder))
    else:
        size, steps = 64, args.steps or 4
        _factory().tiny_sdxl_pipeline(folder)
        ours = load(str(folder / "pipeline"), vae=None, device=device, dtype=dtype)
    print(f"model ready in {time.perf_counter() - started:.1f} s; {size}x{size}, {steps} steps, {dtype}, {device}")
    raw = ours.pipe
    raw.set_progress_bar_config(disable=True)
    euler_a = scheduler_from_config(bundled_presets().sampler("Euler a"), ours._scheduler_config)
    cuda = device.type == "cuda"

    def sync() -> None:
        if cuda:
            torch.cuda.synchronize()

    def plain():
        raw.scheduler = euler_a
        return raw(prompt=PROMPT, negative_prompt=NEGATIVE, height=size, width=size, num_inference_steps=steps,
                   guidance_scale=12.0, generator=torch.Generator().manual_seed(1)).images[0]

    def generate(prompt=PROMPT):
        return ours.generate(prompt, NEGATIVE, size=(size, size), steps=steps, guidance=12.0, seed=1)

    timed: dict[str, list[float]] = {"diffusers": [], "generate": [], "weighted": []}
    overhead: dict[str, list[float]] = {"generate": [], "weighted": []}
    peak: dict[str, int] = {}
    first = {"diffusers": plain(), "generate": generate().image}  # warm-up, and the images to compare
    generate(WEIGHTED)
    same = np.array_equal(np.asarray(first["diffusers"]), np.asarray(first["generate"]))
    for _ in range(args.repeat):
        for name in timed:
            if cuda:
                torch.cuda.reset_peak_memory_stats()
            sync()
            start = time.perf_counter()
            if name == "diffusers":
                plain()
            else:
                result = generate(WEIGHTED if name == "weighted" else PROMPT)
                overhead[name].append(result.timings.ours)
            sync()
            timed[name].append(time.perf_counter() - start)
            if cuda:
                peak[name] = max(peak.get(name, 0), torch.cuda.max_memory_allocated())

    med = {name: statistics.median(values) for name, values in timed.items()}
    print(f"identical image to the plain diffusers call: {same}")
    for name in timed:
        line = f"{name:>9}: {med[name] * 1000:9.1f} ms/image  {steps / med[name]:7.2f} it/s (whole call)"
        if name in overhead:
            line += f"  ours {statistics.median(overhead[name]) * 1000:6.2f} ms"
        if name in peak:
            line += f"  peak {peak[name] / 2**30:5.2f} GiB"
        print(line)
    print(f"ratio generate/diffusers: {med['generate'] / med['diffusers']:.3f} (target <= 1.02)")
    print(f"ours per image (plain prompt): {statistics.median(overhead['generate']) * 1000:.2f} ms (target <= 5 ms)")
    if cuda:
        print(f"device: {torch.cuda.get_device_name(device)}")


if __name__ == "__main__":
    main()
