"""The presets package imports no torch stack: samplers are plain data until the pipeline resolves them."""

from __future__ import annotations

import subprocess
import sys


def test_import_pulls_in_no_torch_stack() -> None:
    code = (
        "import sys, animagine_prompt.presets as p\n"
        "lib = p.load_presets(user=False)\n"
        "b = p.PromptBuilder(presets=lib).tags('1girl').quality('heavy').style('anime').sampler('DDIM').build()\n"
        "b.to_json(); b.to_metadata()\n"
        "bad = [m for m in ('torch', 'diffusers', 'transformers', 'rich') if m in sys.modules]\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""


def test_bare_import_is_cheap() -> None:
    code = "import sys, animagine_prompt.presets\nprint('pydantic' in sys.modules, 'yaml' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["False", "False"]
