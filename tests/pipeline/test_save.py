"""``Generation.save`` and ``animagine-prompt generate`` write their PNGs through the one metadata writer."""

from __future__ import annotations

import json

from animagine_prompt.metadata import read_generation, read_png_text_file


def test_save_writes_the_a1111_parameters_as_the_cli_does(shared_pipe, tiny_model_dir, tmp_path) -> None:
    from animagine_prompt.cli import main

    model = str(tiny_model_dir)
    out = tmp_path / "cli"
    argv = ["generate", "1girl, smile", "--negative", "lowres", "--model", model, "--vae", "none"]
    argv += ["--size", "64x64", "--steps", "2", "--seed", "3", "--out", str(out), "--no-progress", "--device", "cpu"]
    assert main(argv) == 0
    (cli_png,) = out.glob("*.png")

    result = shared_pipe.generate("1girl, smile", "lowres", size=(64, 64), steps=2, seed=3)
    api_png = result.save(tmp_path / "api.png", model=model)

    cli_texts, api_texts = read_png_text_file(cli_png), read_png_text_file(api_png)
    assert list(api_texts) == list(cli_texts) == ["parameters", "metadata"]
    assert api_texts["parameters"] == cli_texts["parameters"]
    cli_app, api_app = json.loads(cli_texts["metadata"]), json.loads(api_texts["metadata"])
    assert cli_app.pop("datetime") and api_app.pop("datetime")
    assert api_app == cli_app
    record = read_generation(api_png)
    assert (record.prompt, record.negative_prompt, record.seed, record.steps) == (
        result.prompt.prompt,
        "lowres",
        3,
        2,
    )
    assert (record.width, record.height, record.model) == (64, 64, tiny_model_dir.name)
