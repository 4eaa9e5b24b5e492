"""Seed prompts for the mutation strategy when ``../shared/data/real-prompts.jsonl`` is absent.

Written for this harness in the shapes people paste (A1111 weights, escapes, BREAK, AND, LoRA,
schedules, NovelAI braces, comments, prose); the real prompts are read from the shared folder
when a checkout has it.
"""

from __future__ import annotations

import json
from pathlib import Path

SEEDS: tuple[str, ...] = (
    "masterpiece, best quality, 1girl, green hair, sweater, looking at viewer, upper body, beanie, outdoors, night",
    "(masterpiece:1.2), (best quality), ((ultra-detailed)), [blurry], 1girl, solo, (long hair:1.1)",
    "hu tao \\(genshin impact\\), (kafka \\(honkai: star rail\\):1.3), twintails, red eyes",
    "1girl, school uniform BREAK\nclassroom, window, sunlight BREAK\n(depth of field:0.8)",
    "a cat sitting on a fence :1.2 AND a dog in the grass :0.8",
    "<lora:style-enhancer-xl:0.8>, <lyco:lineart:0.6:0.4>, 1boy, (armor:1.15), castle, embedding:easynegative",
    "[dog:cat:0.5], [summer:winter:12], [red|blue|green] dress, [forest::10], [:snow:0.3]",
    "{{masterpiece}}, {best quality}, [[lowres]], 1girl, {{{cat ears}}}, smile",
    "1girl, smile  # a comment that runs to the end of the line\nsolo, ((( deep ( nesting ) here",
    "lowres, bad anatomy, bad hands, text, error, missing fingers, extra digit, cropped, worst quality",
    "a tranquil night over a lake, cute, face focus, ^_^, >_<, o_o, (:d), sparkle \\\\ star",
    "(unbalanced:1.2, [open bracket, stray ) closer ], weight (a:1.2.3) and (b: 1.5 ) spaced",
    "fu xuan \\(honkai: star rail\\), 🌙 night, 桜, café, ＼(^o^)／, zero-width\u200bspace",
    ",,, , ,1girl,,solo,   ,\n\n\n, ( , ) , [ ] , { } , < > , : | #",
)


def load_seeds(path: Path) -> tuple[str, ...]:
    """The prompts and negatives of a ``real-prompts.jsonl`` file, or :data:`SEEDS` when it is absent.

    >>> load_seeds(Path("/nonexistent/real-prompts.jsonl")) == SEEDS
    True
    """
    if not path.exists():
        return SEEDS
    texts: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            texts.extend(t for t in (row.get("prompt"), row.get("negative")) if t)
    return tuple(texts) or SEEDS
