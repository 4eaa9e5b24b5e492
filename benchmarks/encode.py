"""SDXL conditioning speed with random text encoders of the real SDXL sizes (CLIP-L 123M, bigG 695M).

Run: ``python benchmarks/encode.py [--device cuda] [--dtype float16] [--rounds 3]``. The workload is a
3-chunk weighted prompt plus a 1-chunk weighted negative. Prints, measured in the same run (best of
``--rounds``, the contenders interleaved round by round so that machine load hits them alike):

- floor: one raw batched forward per encoder over the same 4 chunks, nothing else;
- ours, cold cache: ``PromptEncoder.encode`` of a prompt seen before with no chunk cached (encode,
  weight, match lengths; the parse, plan and token rows are kept by text), as a ratio to the
  floor (target <= 1.05): the case of every ``generate`` call after the first of a prompt;
- ours, new text: the same with nothing kept (parse and plan too);
- compel's SDXL path on the same prompt in compel syntax (prompt, negative, padding to one
  length), as a ratio to ours (target >= 2);
- ours after a weight-only edit (every chunk cached; target <= 20 ms) and after a one-tag edit
  in the last chunk (one chunk re-encoded).

compel is a benchmark-only dependency (``pip install compel``); without it that row is skipped.
"""

from __future__ import annotations

import argparse
import importlib.util
import itertools
import sys
import tempfile
import time
from pathlib import Path

import torch

from animagine_prompt.encode import ChunkCache, PromptEncoder

_FACTORY = Path(__file__).resolve().parents[1] / "tests" / "encode" / "_factory.py"

# (text, weight) items; rendered as A1111 "(text:w)" for us and "(text)w" for compel
ITEMS: list[tuple[str, float]] = [
    ("masterpiece", 1.2),
    ("best quality", 1.1),
    ("1girl", 1.0),
    ("solo", 1.0),
    ("hatsune miku", 1.3),
    ("long twintails, aqua hair, aqua eyes, hair ornament, detached sleeves, black thighhighs", 1.0),
    ("sleeveless shirt, collared shirt, necktie, pleated skirt, zettai ryouiki", 1.0),
    ("smile", 1.15),
    ("looking at viewer, upper body, from side, dutch angle, dynamic pose, holding microphone", 1.0),
    ("singing, open mouth, music notes, glowstick, concert stage, spotlight, crowd, night", 1.0),
    ("lens flare", 0.8),
    ("bokeh, depth of field, cinematic lighting, rim lighting, volumetric lighting, colorful", 1.0),
    ("vibrant colors", 1.2),
    ("detailed background, city lights, skyscraper, neon lights, reflection, wet floor", 1.0),
    ("chromatic aberration", 0.7),
    ("film grain, sharp focus, highres, absurdres, newest, anime coloring, official art", 1.0),
    ("beautiful detailed eyes", 1.1),
    ("ribbon, star hair ornament, earrings, choker, wristband, fingerless gloves", 1.0),
    ("sparkle", 1.0),
    ("confetti, fireworks, stage lights, laser, fog, smoke, speaker, amplifier, drum set", 1.0),
]
NEGATIVE: list[tuple[str, float]] = [
    ("worst quality, low quality", 1.4),
    ("lowres, bad anatomy, bad hands, text, error, missing fingers, extra digit, fewer digits", 1.0),
    ("cropped, jpeg artifacts, signature, watermark, username, blurry", 1.0),
]


def a1111(items: list[tuple[str, float]]) -> str:
    return ", ".join(text if w == 1.0 else f"({text}:{w:g})" for text, w in items)


def compel_syntax(items: list[tuple[str, float]]) -> str:
    return ", ".join(text if w == 1.0 else f"({text}){w:g}" for text, w in items)


def load_factory():
    spec = importlib.util.spec_from_file_location("sdxl_factory", _FACTORY)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--dtype", default="float32", choices=["float32", "float16", "bfloat16"])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--no-compel", action="store_true", help="skip compel even when it is installed")
    parser.add_argument("--size", default="real", choices=["real", "tiny"], help="tiny: a quick check of this script")
    options = parser.parse_args()
    device, dtype = torch.device(options.device), getattr(torch, options.dtype)

    def sync() -> None:
        if device.type == "cuda":
            torch.cuda.synchronize()

    factory = load_factory()
    start = time.perf_counter()
    text_encoder, text_encoder_2 = factory.build_text_encoders(options.size)
    text_encoder, text_encoder_2 = text_encoder.to(device, dtype), text_encoder_2.to(device, dtype)
    built = time.perf_counter() - start
    tokenizer, tokenizer_2 = factory.clip_tokenizers(Path(tempfile.mkdtemp()))
    cache = ChunkCache()
    encoder = PromptEncoder(tokenizer, tokenizer_2, text_encoder, text_encoder_2, cache=cache)

    prompt, negative = a1111(ITEMS), a1111(NEGATIVE)
    plan, negative_plan = encoder.plan(prompt), encoder.plan(negative)
    assert (len(plan.chunks), len(negative_plan.chunks)) == (3, 1), (len(plan.chunks), len(negative_plan.chunks))
    rows = [[c.padded_ids(t.pad_id) for c in (*plan.chunks, *negative_plan.chunks)] for t in encoder.tokenizers]
    ids = [torch.tensor(r, device=device) for r in rows]

    def floor() -> None:
        with torch.no_grad():
            for module, batch in zip((text_encoder, text_encoder_2), ids, strict=True):
                module(input_ids=batch, output_hidden_states=True)
        sync()

    def ours_cold() -> None:
        cache.clear()
        encoder.encode(prompt, negative)
        sync()

    compel = None
    if not options.no_compel and importlib.util.find_spec("compel") is not None:
        from compel import Compel, ReturnedEmbeddingsType

        compel = Compel(
            tokenizer=[tokenizer, tokenizer_2],
            text_encoder=[text_encoder, text_encoder_2],
            returned_embeddings_type=ReturnedEmbeddingsType.PENULTIMATE_HIDDEN_STATES_NON_NORMALIZED,
            requires_pooled=[False, True],
            truncate_long_prompts=False,
            device=str(device),
        )
    compel_prompt, compel_negative = compel_syntax(ITEMS), compel_syntax(NEGATIVE)

    def ours_new() -> None:
        cache.clear()
        encoder._sides.clear()
        encoder.encode(prompt, negative)
        sync()

    def compel_run() -> None:
        with torch.no_grad():
            cond, _pooled = compel(compel_prompt)
            uncond, _uncond_pooled = compel(compel_negative)
            # compel 2.5's multi-encoder provider has no ``empty_z`` of its own, so its padding
            # call fails for SDXL; the padding it means is each encoder's empty-prompt encoding, joined
            empty = torch.cat([p.empty_z for p in compel.conditioning_provider.embedding_providers], dim=-1)
            compel.pad_conditioning_tensors_to_same_length([cond, uncond], precomputed_padding=empty)
        sync()

    contenders = {"floor": floor, "ours": ours_cold, "new": ours_new}
    if compel is not None:
        contenders["compel"] = compel_run
    for fn in contenders.values():  # warm-up: allocator, kernels, lazy imports
        fn()
    best = {name: float("inf") for name in contenders}
    for _ in range(options.rounds):
        for name, fn in contenders.items():
            t0 = time.perf_counter()
            fn()
            best[name] = min(best[name], time.perf_counter() - t0)

    # warm-cache edits: same tokens with other weights; then a new last tag each time
    encoder.encode(prompt, negative)
    weight_edits = itertools.cycle([a1111([(t, w * 1.05 if w != 1.0 else w) for t, w in ITEMS]), prompt])
    passes = set()
    weight_only = float("inf")
    for _ in range(20):
        text = next(weight_edits)
        t0 = time.perf_counter()
        result = encoder.encode(text, negative)
        sync()
        weight_only = min(weight_only, time.perf_counter() - t0)
        passes.add(result.forward_passes)
    one_tag = float("inf")
    one_tag_passes = set()
    for k in range(options.rounds):
        text = f"{prompt}, tag{k}"
        t0 = time.perf_counter()
        result = encoder.encode(text, negative)
        sync()
        one_tag = min(one_tag, time.perf_counter() - t0)
        one_tag_passes.add(result.forward_passes)

    name = torch.cuda.get_device_name(device) if device.type == "cuda" else f"CPU, {torch.get_num_threads()} threads"
    print(f"device: {name}; dtype {options.dtype}; encoders built in {built:.1f} s")
    print(f"workload: prompt {plan.token_count} tokens in 3 chunks, negative {negative_plan.token_count} in 1")
    print(f"floor (one raw batched forward per encoder): {best['floor'] * 1e3:9.1f} ms")
    ratio = best["ours"] / best["floor"]
    print(f"ours, cold cache:                           {best['ours'] * 1e3:9.1f} ms   {ratio:.3f}x floor")
    print(f"ours, new text (parse and plan too):        {best['new'] * 1e3:9.1f} ms   "
          f"{best['new'] / best['floor']:.3f}x floor")
    if compel is not None:
        print(
            f"compel SDXL path:                           {best['compel'] * 1e3:9.1f} ms   "
            f"{best['compel'] / best['ours']:.2f}x ours"
        )
    else:
        print("compel SDXL path: skipped (pip install compel)")
    print(f"ours, weight-only edit:                     {weight_only * 1e3:9.1f} ms   forward passes {sorted(passes)}")
    print(
        f"ours, one-tag edit:                         {one_tag * 1e3:9.1f} ms   {one_tag / best['floor']:.3f}x floor, "
        f"forward passes {sorted(one_tag_passes)}"
    )


if __name__ == "__main__":
    sys.exit(main())
