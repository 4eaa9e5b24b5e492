"""The Animagine XL 2.0 model card's three generation-parameter examples, rebuilt from their user prompts.

The positive must match the card byte for byte. The card's negative shows the app's missing
separator (``uglylongbody``); ours is the same text joined with ``", "``.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from animagine_prompt.cli import main
from animagine_prompt.presets import PromptBuilder, bundled_presets

CARD = Path(__file__).resolve().parents[2] / ".." / "shared" / "model-card" / "animagine-xl-2.0-README.md"

# The user prompts, re-typed from the card (the part between the Heavy template's halves).
# Caelus's starts with a space: the card's prompt has two spaces after "(ultra-detailed),".
STELLE = (
    "stelle, honkai: star rail, official art, 1girl, solo, gouache, starry sky, mountain, long hair, "
    "hoodie, shorts, sneakers, yellow eyes, tsurime, sitting on a rock, stargazing, milky way, "
    "shooting star, tranquil night."
)
CAELUS = (
    " caelus, honkai: star rail, 1boy, solo, playing guitar, living room, grey hair, short hair, "
    "yellow eyes, downturned eyes, passionate expression, casual clothes, acoustic guitar, "
    "sheet music stand, carpet, couch, window, sitting pose, strumming guitar, eyes closed."
)
KAFKA = (
    "1girl, solo, kafka, enjoying a street food festival, dark purple hair, shoulder length, hair clip, "
    "blue eyes, upturned eyes, excited expression, casual clothes, food stalls, variety of cuisines, "
    "people, outdoor seating, string lights, standing pose, holding a plate of food, trying new dishes, "
    "laughing with friends, experiencing the vibrant food culture."
)

HEAD = "cinematic photo (masterpiece), (best quality), (ultra-detailed), "
TAIL = (
    ", illustration, disheveled hair, detailed eyes, perfect composition, moist skin, intricate details, "
    "earrings . 35mm photograph, film, bokeh, professional, 4k, highly detailed"
)
NEGATIVE = (
    "drawing, painting, crayon, sketch, graphite, impressionist, noisy, blurry, soft, deformed, ugly, "
    "longbody, lowres, bad anatomy, bad hands, missing fingers, pubic hair, extra digit, fewer digits, "
    "cropped, worst quality, low quality"
)

EXAMPLES = [
    (STELLE, "832 x 1216", 1082676886),
    (CAELUS, "1216 x 832", 1521939308),
    (KAFKA, "1216 x 832", 1082676886),
]


def _card_examples() -> list[dict]:
    if not CARD.exists():
        pytest.skip(f"{CARD} is not available")
    text = CARD.read_text(encoding="utf-8")
    blocks = re.findall(r"<pre>\s*(\{.*?\})\s*</pre>", text, flags=re.S)
    return [json.loads(block) for block in blocks]


def _build(user: str, resolution: str, seed: int):
    return (
        PromptBuilder(presets=bundled_presets())
        .tags(user)
        .quality("Heavy")
        .style("Photographic")
        .size(resolution.replace(" ", ""))
        .seed(seed)
        .hires()
        .build()
    )


@pytest.mark.parametrize(("user", "resolution", "seed"), EXAMPLES)
def test_positive_and_negative_match_the_card(user: str, resolution: str, seed: int) -> None:
    built = _build(user, resolution, seed)
    assert built.prompt == HEAD + user + TAIL
    assert built.negative_prompt == NEGATIVE
    assert built.merged == ()


def test_the_card_file_agrees_with_the_builds() -> None:
    examples = _card_examples()
    assert len(examples) == 3
    for card, (user, resolution, seed) in zip(examples, EXAMPLES, strict=True):
        built = _build(user, resolution, seed)
        assert built.prompt == card["prompt"]
        # The card's negative is ours with the app's missing separator.
        assert built.negative_prompt.replace("ugly, longbody", "uglylongbody") == card["negative_prompt"]
        meta = built.to_metadata()
        for key in (
            "prompt",
            "resolution",
            "guidance_scale",
            "num_inference_steps",
            "seed",
            "sampler",
            "sdxl_style",
            "quality_tags",
            "use_upscaler",
        ):
            assert meta[key] == card[key], key


def test_cli_reproduces_the_stelle_example(capsys: pytest.CaptureFixture[str]) -> None:
    empty = Path(__file__).parent / "data" / "empty.yaml"
    argv = ["build", STELLE, "--quality", "heavy", "--style", "photographic", "--size", "832x1216"]
    code = main([*argv, "--presets", str(empty), "--json"])
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    assert data["prompt"] == HEAD + STELLE + TAIL
    assert data["negative_prompt"] == NEGATIVE
    assert (data["width"], data["height"]) == (832, 1216)


def test_console_script_builds_the_kafka_example() -> None:
    script = Path(sys.executable).with_name("animagine-prompt")
    if not script.exists():
        pytest.skip("the animagine-prompt console script is not installed in this environment")
    argv = [str(script), "build", KAFKA, "-q", "heavy", "-s", "photographic", "--size", "19:13", "--metadata"]
    result = subprocess.run(argv, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    meta = json.loads(result.stdout)
    assert meta["prompt"] == HEAD + KAFKA + TAIL
    assert meta["resolution"] == "1216 x 832"
    assert meta["sdxl_style"] == "Photographic" and meta["quality_tags"] == "Heavy"
