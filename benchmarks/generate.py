"""Generation speed: plain diffusers (eager) against ``AnimaginePipeline.generate``, default and ``fast``.

Run by hand from the repository root::

    python benchmarks/generate.py                       # tiny random SDXL on the CPU, 64x64, 4 steps
    python benchmarks/generate.py --full-size --device cuda   # SDXL-sized, fp16, 1024x1024, 28 steps

All contenders get the same prompt, negative, size, steps, guidance 12, sampler (Euler a) and seeds,
at batch 1 and batch 4 (``--batches``). First the plain diffusers call and ``generate`` run
interleaved, round by round (median of ``--repeat`` rounds after one warm-up each); then the same
pipeline is switched to ``fast`` (``enable_fast``: on CUDA ``torch.compile`` of the UNet and VAE
decoder, fused QKV, channels-last; on the CPU the attention changes only) and timed alike. Reported
per contender and batch:

- first-image latency (the first call, compilation and warm-up included);
- sampling it/s (between the first and last step callbacks, device synchronised) and images/s
  (whole calls);
- peak device memory (CUDA);
- image difference against the plain eager call with the same seeds: max and mean absolute
  difference in 0-255 levels and PSNR in dB;
- ``ours``: time ``generate`` spends outside the diffusers call, and ``generate``/diffusers wall time.

Targets checked at the end: ``fast`` >= 1.5x eager it/s at batch 1 with PSNR >= 35 dB; batch 4
images/s >= 1.3x that of four batch-1 calls; peak memory <= diffusers' + 5%; ``generate`` <= 1.02x
the plain call. ``--full-size`` builds the SDXL architecture (UNet 2.6B, both text encoders, VAE)
from configs with random weights, directly on the device: no download. The images are noise, but
the same noise for every contender.
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


def psnr(a: np.ndarray, b: np.ndarray) -> float:
    """Peak signal-to-noise ratio of two 0-255 images in dB (inf when equal)."""
    mse = float(np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2))
    return float("inf") if mse == 0 else 10 * np.log10(255.0**2 / mse)


class Contender:
    """One way of making images, with what was measured for it per batch size."""

    def __init__(self, name: str, run) -> None:
        self.name = name
        self.run = run  # run(batch, on_step) -> list of PIL images
        self.first: dict[int, float] = {}
        self.calls: dict[int, list[float]] = {}
        self.sampling: dict[int, list[float]] = {}
        self.peak: dict[int, int] = {}
        self.images: dict[int, list] = {}
        self.overhead: dict[int, list[float]] = {}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full-size", action="store_true", help="SDXL-sized random model, 1024x1024, 28 steps")
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--dtype", default=None, help="default fp16 with --full-size on a GPU, else fp32")
    parser.add_argument("--repeat", type=int, default=None, help="timed rounds (default 2)")
    parser.add_argument("--steps", type=int, default=None)
    parser.add_argument("--batches", default="1,4", help="batch sizes (default 1,4)")
    parser.add_argument("--mode", default=None, help="torch.compile mode for fast (default: per device)")
    parser.add_argument("--no-cuda-graphs", action="store_true", help="fast without CUDA graphs")
    parser.add_argument("--no-fast", action="store_true", help="skip the fast contender")
    args = parser.parse_args()

    from animagine_prompt.pipeline import (
        AnimaginePipeline,
        FastOptions,
        load,
        resolve_device,
        resolve_dtype,
        scheduler_from_config,
    )
    from animagine_prompt.presets import bundled_presets

    device = resolve_device(args.device)
    cuda = device.type == "cuda"
    dtype = resolve_dtype(args.dtype or ("fp16" if args.full_size and device.type != "cpu" else "fp32"), device)
    batches = [int(b) for b in args.batches.split(",")]
    repeat = args.repeat or 2
    folder = Path(tempfile.mkdtemp())
    started = time.perf_counter()
    if args.full_size:
        size, steps = 1024, args.steps or 28
        ours = AnimaginePipeline.from_diffusers(full_size_pipe(device, dtype, folder))
    else:
        size, steps = 64, args.steps or 4
        _factory().tiny_sdxl_pipeline(folder)
        ours = load(str(folder / "pipeline"), vae=None, device=device, dtype=dtype)
    print(f"model ready in {time.perf_counter() - started:.1f} s; {size}x{size}, {steps} steps, {dtype}, {device}")
    if cuda:
        print(f"device: {torch.cuda.get_device_name(device)}; torch {torch.__version__}")
    raw = ours.pipe
    raw.set_progress_bar_config(disable=True)
    euler_a = scheduler_from_config(bundled_presets().sampler("Euler a"), ours._scheduler_config)

    def sync() -> None:
        if cuda:
            torch.cuda.synchronize()

    def plain(batch: int, on_step=None, prompt: str = PROMPT) -> list:
        raw.scheduler = euler_a
        generators = [torch.Generator().manual_seed(1 + i) for i in range(batch)]

        def step_end(pipe, i, t, tensors):
            if on_step is not None:
                on_step()
            return {}

        return raw(prompt=prompt, negative_prompt=NEGATIVE, height=size, width=size, num_inference_steps=steps,
                   guidance_scale=12.0, num_images_per_prompt=batch,
                   generator=generators[0] if batch == 1 else generators, callback_on_step_end=step_end).images

    last_overhead: list[float] = []

    def generate(batch: int, on_step=None, prompt: str = PROMPT) -> list:
        result = ours.generate(prompt, NEGATIVE, size=(size, size), steps=steps, guidance=12.0, seed=1,
                               num_images=batch, callback=None if on_step is None else (lambda info: on_step()))
        last_overhead.append(result.timings.ours)
        return list(result.images)

    def measure(contenders: list[Contender]) -> None:
        for batch in batches:
            for c in contenders:  # first call: compilation, warm-up, allocator
                sync()
                t0 = time.perf_counter()
                c.images[batch] = c.run(batch, None)
                sync()
                c.first[batch] = time.perf_counter() - t0
            for _ in range(repeat):
                for c in contenders:
                    marks: list[float] = []

                    def on_step(marks: list[float] = marks) -> None:
                        sync()
                        marks.append(time.perf_counter())

                    if cuda:
                        torch.cuda.reset_peak_memory_stats()
                    last_overhead.clear()
                    sync()
                    t0 = time.perf_counter()
                    c.run(batch, on_step)
                    sync()
                    c.calls.setdefault(batch, []).append(time.perf_counter() - t0)
                    if len(marks) > 1:
                        c.sampling.setdefault(batch, []).append((len(marks) - 1) / (marks[-1] - marks[0]))
                    if last_overhead:
                        c.overhead.setdefault(batch, []).append(last_overhead[-1])
                    if cuda:
                        c.peak[batch] = max(c.peak.get(batch, 0), torch.cuda.max_memory_allocated())

    eager = Contender("diffusers eager", plain)
    default = Contender("ours default", generate)
    measure([eager, default])
    # the weighted prompt's overhead (schedule, weights): the encoder's share of a real prompt
    generate(1, prompt=WEIGHTED)
    last_overhead.clear()
    generate(1, prompt=WEIGHTED)
    weighted_overhead = last_overhead[-1]
    contenders = [eager, default]
    if not args.no_fast:
        options = FastOptions(mode=args.mode, cuda_graphs=not args.no_cuda_graphs)
        started = time.perf_counter()
        ours.enable_fast(options)
        # 1024x1024 is a bundled resolution; the tiny model's 64x64 is made one here
        ours._fast.sizes = frozenset(ours._fast.sizes | {(size, size)})
        print(f"fast set up in {time.perf_counter() - started:.1f} s: {ours._fast.plan.notes[0]}")
        fast = Contender("ours fast", generate)
        measure([fast])
        contenders.append(fast)

    print()
    header = f"{'contender':>16} {'batch':>5} {'first s':>8} {'it/s':>7} {'images/s':>9} {'peak GiB':>9}"
    print(header + f" {'max diff':>8} {'mean diff':>9} {'PSNR dB':>8}")
    rates: dict[tuple[str, int], tuple[float, float]] = {}
    psnrs: dict[tuple[str, int], float] = {}
    for c in contenders:
        for batch in batches:
            its = statistics.median(c.sampling[batch]) if c.sampling.get(batch) else float("nan")
            ims = batch / statistics.median(c.calls[batch])
            rates[c.name, batch] = (its, ims)
            peak = f"{c.peak[batch] / 2**30:9.2f}" if batch in c.peak else f"{'-':>9}"
            line = f"{c.name:>16} {batch:>5} {c.first[batch]:8.2f} {its:7.2f} {ims:9.3f} {peak}"
            diffs = []
            for ours_image, eager_image in zip(c.images[batch], eager.images[batch], strict=True):
                a, b = np.asarray(ours_image, dtype=np.float64), np.asarray(eager_image, dtype=np.float64)
                diffs.append((np.abs(a - b).max(), np.abs(a - b).mean(), psnr(a, b)))
            worst = (max(d[0] for d in diffs), max(d[1] for d in diffs), min(d[2] for d in diffs))
            psnrs[c.name, batch] = worst[2]
            print(line + f" {worst[0]:8.0f} {worst[1]:9.3f} {worst[2]:8.2f}")

    print()
    b0 = batches[0]
    ratio = statistics.median(default.calls[b0]) / statistics.median(eager.calls[b0])
    print(f"generate/diffusers wall time, batch {b0}: {ratio:.3f} (target <= 1.02)")
    print(f"ours per call outside diffusers, batch {b0}: plain prompt "
          f"{statistics.median(default.overhead[b0]) * 1000:.2f} ms, weighted {weighted_overhead * 1000:.2f} ms")

    def check(label: str, value: float, target: float, above: bool = True) -> None:
        ok = value >= target if above else value <= target
        print(f"{'PASS' if ok else 'FAIL'}  {label}: {value:.3f} ({'>=' if above else '<='} {target})")

    if not args.no_fast and 1 in batches:
        check("fast it/s / eager it/s, batch 1", rates["ours fast", 1][0] / rates["diffusers eager", 1][0], 1.5)
        check("fast PSNR against eager, batch 1 (dB)", psnrs["ours fast", 1], 35.0)
    if 1 in batches:
        for c in contenders:
            for batch in batches:
                if batch > 1:
                    gain = rates[c.name, batch][1] / rates[c.name, 1][1]
                    check(f"{c.name}: batch {batch} images/s / batch 1 images/s", gain, 1.3)
    if cuda:
        for c in contenders[1:]:
            for batch in batches:
                check(f"{c.name} peak memory / diffusers', batch {batch}", c.peak[batch] / eager.peak[batch], 1.05,
                      above=False)


if __name__ == "__main__":
    main()
