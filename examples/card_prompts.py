"""Rebuild the Animagine XL 2.0 card's example prompts from their user prompts.

The card's three generation-parameter examples were made with the app's "Heavy" quality
preset and "Photographic" style. This rebuilds them with the same presets (the negatives are
joined with ", " where the app ran them together), then lints and counts tokens.

Run: ``python examples/card_prompts.py``
"""

from animagine_prompt import PromptBuilder, load_presets, plan
from animagine_prompt.lint import lint

USER_PROMPTS = [
    "face focus, cute, masterpiece, best quality, 1girl, green hair, sweater, looking at viewer, "
    "upper body, beanie, outdoors, night, turtleneck",
    "1girl, solo, stelle \\(honkai: star rail\\), white hair, yellow eyes, smile, night, starry sky",
]


def main() -> None:
    presets = load_presets(user=False)
    for text in USER_PROMPTS:
        built = PromptBuilder(presets=presets).tags(text).quality("heavy").style("photographic").size("3:4").build()
        tokens = plan(built.prompt)
        findings = lint(built.prompt, negative=built.negative_prompt)
        print(f"prompt   ({tokens.token_count}/{tokens.capacity} tokens): {built.prompt}")
        print(f"negative: {built.negative_prompt}")
        print(f"size {built.width}x{built.height}, {built.sampler}, {built.steps} steps, guidance {built.guidance}")
        print("lint:", ", ".join(f"{f.code} {f.message}" for f in findings) or "clean")
        print()


if __name__ == "__main__":
    main()
