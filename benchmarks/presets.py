"""Preset and prompt-builder benchmark (run by hand).

    python benchmarks/presets.py

Prints, each against a baseline measured in the same run:
- loading the bundled presets (YAML + validation), against ``yaml.safe_load`` of the same files;
- ``PromptBuilder.build()`` of the model card's Stelle example (Heavy + Photographic, repeated tags
  merged), against the Animagine app's own merge (``str.format`` and string concatenation) and
  against one ``parse(...).tags()`` of the finished prompt (target: build <= 10x one parse);
- merging repeated tags over a seeded corpus of realistic prompts with 30-60 items, against parsing
  the same prompts once (target <= 3x);
- ``import animagine_prompt.presets`` in a fresh interpreter, against ``python -c pass``.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _corpus import corpus  # noqa: E402
from _timing import best_of  # noqa: E402

STELLE = (
    "stelle, honkai: star rail, official art, 1girl, solo, gouache, starry sky, mountain, long hair, "
    "hoodie, shorts, sneakers, yellow eyes, tsurime, sitting on a rock, stargazing, milky way, "
    "shooting star, tranquil night."
)


def app_merge(prompt: str) -> tuple[str, str]:
    """The Animagine app's merge, for comparison (quality, then style, str.format, no separator)."""
    quality = (
        "(masterpiece), (best quality), (ultra-detailed), {prompt}, illustration, disheveled hair, detailed eyes, "
        "perfect composition, moist skin, intricate details, earrings",
        "longbody, lowres, bad anatomy, bad hands, missing fingers, pubic hair, extra digit, fewer digits, "
        "cropped, worst quality, low quality",
    )
    style = (
        "cinematic photo {prompt} . 35mm photograph, film, bokeh, professional, 4k, highly detailed",
        "drawing, painting, crayon, sketch, graphite, impressionist, noisy, blurry, soft, deformed, ugly",
    )
    positive, negative = prompt, ""
    for template, neg in (quality, style):
        positive = template.format(prompt=positive)
        negative = neg + negative
    return positive, negative


def main() -> None:
    import yaml

    from animagine_prompt.presets import PromptBuilder, bundled_presets
    from animagine_prompt.presets._library import _DATA
    from animagine_prompt.presets._merge import dedupe
    from animagine_prompt.syntax import parse

    files = sorted(_DATA.glob("*.yaml"))

    def load_presets() -> None:
        bundled_presets.cache_clear()
        bundled_presets()

    def load_yaml() -> None:
        for f in files:
            yaml.safe_load(f.read_text(encoding="utf-8"))

    t_load, t_yaml = best_of(load_presets), best_of(load_yaml)
    print(
        f"load bundled presets: {t_load * 1e3:7.2f} ms   yaml.safe_load alone: {t_yaml * 1e3:7.2f} ms"
        f"   ratio {t_load / t_yaml:5.2f}x"
    )

    lib = bundled_presets()
    builder = PromptBuilder(presets=lib).tags(STELLE).quality("heavy").style("photographic").size("832x1216")
    final = builder.build().prompt
    parse(final).tags()  # warm the parser
    t_build = best_of(builder.build, number=50)
    t_app = best_of(lambda: app_merge(STELLE), number=2000)
    t_parse = best_of(lambda: parse(final).tags(), number=50)
    print(
        f"build (Stelle, heavy+photographic): {t_build * 1e3:7.3f} ms   app's str.format merge: "
        f"{t_app * 1e6:6.2f} us ({t_build / t_app:6.0f}x)   one parse+tags: {t_parse * 1e3:6.3f} ms "
        f"({t_build / t_parse:4.1f}x, target <= 10x)"
    )

    prompts = corpus(200)
    t_dedupe = best_of(lambda: [dedupe(p) for p in prompts], repeat=3)
    t_parse_all = best_of(lambda: [parse(p).tags() for p in prompts], repeat=3)
    merged = sum(len(dedupe(p)[1]) for p in prompts)
    print(
        f"dedupe of {len(prompts)} corpus prompts: {t_dedupe * 1e3:7.1f} ms ({merged} repeats merged)   "
        f"parse+tags alone: {t_parse_all * 1e3:7.1f} ms   ratio {t_dedupe / t_parse_all:4.2f}x (target <= 3x)"
    )

    def run(code: str) -> float:
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        return time.perf_counter() - start

    t_import = statistics.median(run("import animagine_prompt.presets") for _ in range(5))
    t_bare = statistics.median(run("pass") for _ in range(5))
    print(
        f"import animagine_prompt.presets: {t_import * 1e3:6.1f} ms   python -c pass: {t_bare * 1e3:6.1f} ms"
        f"   added {(t_import - t_bare) * 1e3:5.1f} ms"
    )


if __name__ == "__main__":
    main()
