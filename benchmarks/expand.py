"""Prompt expansion cost: ``LMExpander.expand`` around the model's own ``generate`` call, and the tag
post-processing per prompt (run by hand from the repository root).

    python benchmarks/expand.py                      # tiny random Llama model on the CPU
    python benchmarks/expand.py --full-size --device cuda   # a random LLaMA of TIPO-500M's size

Reported, each against a baseline measured in the same run:

- ``expand / generate``: the wall time of ``expand`` (request, tokenizing, sampling, decoding, reading the
  answer, screening and linting the tags) over the wall time of the model's own ``generate`` call inside
  it, timed in the same call (so a busy machine slows both alike); target <= 1.1 on the tiny model;
- post-processing: ``merge_tags`` on every prompt of ``../shared/data/real-prompts.jsonl`` (or a
  generated corpus when that file is absent) with 30 proposals, in ms per prompt, against one
  ``lint`` of the same prompt.

Each expansion's figure is the best of ``--repeat`` calls; the post-processing rounds alternate between
its two sides and keep the best of each.
``--full-size`` builds the model from a config with random weights on the device: no download; its
vocabulary is the database's general tags, so its answers are tag lists like a trained model's.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _corpus import make_prompt  # noqa: E402

PROMPT = "1girl, solo, hu tao \\(genshin impact\\), (smile:1.2), outdoors"
NEGATIVE = "lowres, bad anatomy, bad hands, worst quality, low quality"
REAL_PROMPTS = ROOT.parent / "shared" / "data" / "real-prompts.jsonl"
# about the size of TIPO-500M: LLaMA, ~470M parameters with a 32,000-token vocabulary
FULL_SIZE = {"hidden_size": 1024, "layers": 24, "heads": 16, "intermediate_size": 4096}


def _tiny_lm_factory():
    path = ROOT / "tests" / "expand" / "_tiny_lm.py"
    spec = importlib.util.spec_from_file_location("animagine_prompt_bench_tiny_lm", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _full_vocabulary(factory) -> list[str]:
    from animagine_prompt.tags import Category, load_database

    db = load_database()
    seen = set(factory.VOCABULARY)
    extra = []
    for letter in "aeiou":  # every general tag has a vowel, near enough
        for match in db.search(letter, limit=40_000, category=Category.GENERAL):
            token = f"{match.tag},"
            if token not in seen:
                seen.add(token)
                extra.append(token)
    vocabulary = [*factory.VOCABULARY, *extra][:32_000]
    vocabulary += [f"<unused{i}>" for i in range(32_000 - len(vocabulary))]
    return vocabulary


def _timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def bench_overhead(expander, seeds: list[int], repeat: int) -> None:
    import torch

    request = expander.request(PROMPT)
    inputs, options = expander.generate_args(request)
    print(f"model: {expander.model_name} on {inputs['input_ids'].device}, seeds {seeds[0]}-{seeds[-1]}")
    model = expander._model
    bare = model.generate
    inner: list[float] = []

    def timed_generate(*args, **kwargs):
        start = time.perf_counter()
        try:
            return bare(*args, **kwargs)
        finally:
            if torch.cuda.is_available():
                torch.cuda.synchronize()
            inner.append(time.perf_counter() - start)

    # the model's own generate, timed inside each expand() call: the rest of the call is the overhead
    model.generate = timed_generate
    try:
        expander.expand(PROMPT, seed=seeds[0], negative_prompt=NEGATIVE)  # warm-up
        total_expand = total_generate = 0.0
        tokens = 0
        for seed in seeds:
            output = expander.sample(inputs, options, seed=seed)
            tokens += output.shape[1] - inputs["input_ids"].shape[1]
            best = (float("inf"), 0.0)
            for _ in range(repeat):
                inner.clear()
                whole = _timed(lambda s=seed: expander.expand(PROMPT, seed=s, negative_prompt=NEGATIVE))
                best = min(best, (whole, inner[0]))
            total_expand += best[0]
            total_generate += best[1]
    finally:
        model.generate = bare
    print(
        f"  generate: {1000 * total_generate / len(seeds):8.1f} ms/expansion ({tokens / len(seeds):.0f} tokens)\n"
        f"  expand:   {1000 * total_expand / len(seeds):8.1f} ms/expansion "
        f"(overhead {1000 * (total_expand - total_generate) / len(seeds):.1f} ms)\n"
        f"  expand / generate: {total_expand / total_generate:.3f}  (target <= 1.1)"
    )


def _corpus() -> list[tuple[str, str | None]]:
    if REAL_PROMPTS.exists():
        rows = [json.loads(line) for line in REAL_PROMPTS.read_text(encoding="utf-8").splitlines() if line.strip()]
        return [(r["prompt"], r.get("negative")) for r in rows]
    rng = random.Random(7)
    return [(make_prompt(rng), NEGATIVE) for _ in range(200)]


def bench_post_processing(repeat: int) -> None:
    from animagine_prompt.expand import merge_tags
    from animagine_prompt.lint import lint
    from animagine_prompt.tags import Category, load_database

    db = load_database()
    general = [m.prompt_form for m in db.search("hair", limit=60) if m.category == Category.GENERAL][:24]
    proposals = [*general, "2girls", "zzqx", "a girl in the rain", "nude", "masterpiece", "lowres"]
    corpus = _corpus()
    merge_tags(*corpus[0][:1], proposals)  # warm-up: tokenizer, database, rules
    best_merge = best_lint = float("inf")
    for _ in range(repeat):
        best_lint = min(best_lint, _timed(lambda: [lint(p, n) for p, n in corpus]))
        best_merge = min(
            best_merge, _timed(lambda: [merge_tags(p, proposals, negative_prompt=n, limit=20) for p, n in corpus])
        )
    source = "real-prompts.jsonl" if REAL_PROMPTS.exists() else "generated corpus"
    print(
        f"post-processing, {len(corpus)} prompts ({source}), {len(proposals)} proposals each:\n"
        f"  lint (one pass): {1000 * best_lint / len(corpus):6.2f} ms/prompt\n"
        f"  merge_tags:      {1000 * best_merge / len(corpus):6.2f} ms/prompt"
        f"  ({best_merge / best_lint:.2f}x one lint pass)"
    )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--full-size", action="store_true", help="a random LLaMA of TIPO-500M's size")
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--seeds", type=int, default=6, help="expansions per side")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)

    import torch

    from animagine_prompt.expand import LMExpander

    factory = _tiny_lm_factory()
    with tempfile.TemporaryDirectory() as tmp:
        if args.full_size:
            folder = factory.tiny_lm(Path(tmp), vocabulary=_full_vocabulary(factory), **FULL_SIZE)
        else:
            folder = factory.tiny_lm(Path(tmp))
        dtype = torch.float16 if args.device.startswith("cuda") else torch.float32
        expander = LMExpander(str(folder), device=args.device, dtype=dtype, max_new_tokens=64).load()
        bench_overhead(expander, list(range(args.seeds)), args.repeat)
    bench_post_processing(args.repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
