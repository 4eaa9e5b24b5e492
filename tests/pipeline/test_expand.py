"""generate(expand=...) and ``generate --expand`` on the tiny pipeline with the tiny random Llama
expander: the built prompt, the metadata, and --from-image with and without the expansion."""

import importlib.util
import json
from pathlib import Path

import numpy as np
import pytest

from animagine_prompt.errors import UsageError

pytest.importorskip("transformers")

SEED = 11  # the tiny expander adds tags to "1girl, solo" with this seed (tests/expand/test_cli.py)


@pytest.fixture(scope="module")
def tiny_lm_dir(tmp_path_factory) -> Path:
    path = Path(__file__).resolve().parents[1] / "expand" / "_tiny_lm.py"
    spec = importlib.util.spec_from_file_location("animagine_prompt_tests_tiny_lm_for_pipeline", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.tiny_lm(tmp_path_factory.mktemp("tiny-lm"))


def test_generate_expands_before_the_presets_and_records_it(shared_pipe, tiny_lm_dir):
    from animagine_prompt.expand import LMExpander

    expander = LMExpander(str(tiny_lm_dir), device="cpu")
    result = shared_pipe.generate("1girl, solo", quality="light", size=(64, 64), steps=2, seed=SEED, expand=expander)
    expansion = result.expansion
    assert expansion.original == "1girl, solo" and expansion.added and expansion.seed == SEED
    assert result.prompt.prompt == shared_pipe.build(expansion.prompt, quality="light", seed=SEED).prompt
    assert result.original_prompt == shared_pipe.build("1girl, solo", quality="light", seed=SEED).prompt
    meta = result.metadata()
    assert meta["refine_prompt"] is True and meta["original_prompt"] == result.original_prompt
    assert meta["prompt"] == result.prompt.prompt and meta["enable_lcm"] is False
    plain = shared_pipe.generate("1girl, solo", quality="light", size=(64, 64), steps=2, seed=SEED)
    assert plain.expansion is None and plain.metadata()["refine_prompt"] is False
    with pytest.raises(UsageError, match="expand must be True, False or an Expander"):
        shared_pipe.generate("1girl", expand="yes", size=(64, 64), steps=1, seed=1)


def test_cli_expand_then_remake_with_and_without_it(tiny_model_dir, tiny_lm_dir, tmp_path):
    from PIL import Image

    from animagine_prompt.cli import main
    from animagine_prompt.metadata import read_generation, read_png_text_file

    common = ["--model", str(tiny_model_dir), "--vae", "none", "--no-progress", "--expand-model", str(tiny_lm_dir)]
    first = tmp_path / "first"
    args = ["generate", "1girl, solo", "--expand", "--size", "64x64", "--steps", "2", "--seed", str(SEED)]
    assert main([*args, "--out", str(first), *common]) == 0
    (png,) = sorted(first.glob("*.png"))
    record = read_generation(png)
    assert record.refine_prompt and record.original_prompt == "1girl, solo"
    assert record.prompt.startswith("1girl, solo, ") and record.prompt != "1girl, solo"
    assert json.loads(read_png_text_file(png)["metadata"])["refine_prompt"] is True

    again = tmp_path / "again"  # the stored, expanded prompt: the same image
    assert main(["generate", "--from-image", str(png), "--out", str(again), *common]) == 0
    (remade,) = sorted(again.glob("*.png"))
    assert read_generation(remade).prompt == record.prompt
    assert np.array_equal(np.asarray(Image.open(png)), np.asarray(Image.open(remade)))

    unexpanded = tmp_path / "unexpanded"
    assert main(["generate", "--from-image", str(png), "--unexpanded", "--out", str(unexpanded), *common]) == 0
    (without,) = sorted(unexpanded.glob("*.png"))
    assert read_generation(without).prompt == "1girl, solo" and not read_generation(without).refine_prompt
