"""A generated corpus of realistic prompts, shared by the benchmarks (seeded: the same every run)."""

from __future__ import annotations

import random

GENERAL = (
    "1girl solo long_hair breasts looking_at_viewer smile blush open_mouth short_hair blue_eyes skirt "
    "shirt simple_background hair_ornament long_sleeves brown_hair black_hair thighhighs holding dress "
    "twintails bow jewelry ribbon standing sitting green_hair outdoors sky cloud day night tree flower "
    "school_uniform white_shirt red_eyes hat gloves closed_mouth upper_body full_body from_side cowboy_shot"
).split()
CHARACTERS = [
    "hu tao \\(genshin impact\\)",
    "kafka \\(honkai: star rail\\)",
    "hatsune miku",
    "stelle \\(honkai: star rail\\)",
    "raiden shogun",
]
QUALITY = ["masterpiece", "best quality", "high quality", "absurdres", "highres", "ultra-detailed"]


def make_prompt(rng: random.Random) -> str:
    """One prompt of 30-60 items with weights, nesting, BREAK, LoRA, escapes and schedules."""
    items: list[str] = []
    for _ in range(rng.randint(30, 60)):
        roll = rng.random()
        tag = rng.choice(GENERAL).replace("_", " ")
        if roll < 0.15:
            items.append(f"({tag}:{rng.choice(['0.8', '1.1', '1.2', '1.3', '1.5'])})")
        elif roll < 0.22:
            items.append("(" * rng.randint(1, 3) + tag + ")" * rng.randint(1, 3))
        elif roll < 0.26:
            items.append(f"[{tag}]")
        elif roll < 0.29:
            items.append(rng.choice(CHARACTERS))
        elif roll < 0.31:
            items.append(f"[{tag}:{rng.choice(GENERAL).replace('_', ' ')}:{rng.choice(['0.3', '0.5', '10'])}]")
        elif roll < 0.32:
            items.append(f"[{tag}|{rng.choice(GENERAL).replace('_', ' ')}]")
        elif roll < 0.34:
            items.append("BREAK")
        elif roll < 0.36:
            items.append(f"<lora:{tag.replace(' ', '_')}:{rng.choice(['0.5', '0.8', '1'])}>")
        elif roll < 0.45:
            items.append(rng.choice(QUALITY))
        else:
            items.append(tag)
    return ", ".join(items)


def corpus(n: int, seed: int = 0) -> list[str]:
    """``n`` prompts."""
    rng = random.Random(seed)
    return [make_prompt(rng) for _ in range(n)]
