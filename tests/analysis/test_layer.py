"""The analysis layer stays light: no rich, no torch stack, no pydantic, no web stack."""

import subprocess
import sys

HEAVY = ("torch", "transformers", "diffusers", "rich", "pydantic", "fastapi", "uvicorn")


def test_analysing_loads_nothing_heavy():
    code = (
        "import sys\n"
        "from animagine_prompt.analysis import analyze\n"
        "analyze('1girl, (smile:1.2), gren hair BREAK <lora:x:0.5>', 'lowres').to_json(units='utf-16')\n"
        "print('\\n'.join(sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = {name.split(".")[0] for name in done.stdout.split()}
    assert not loaded & set(HEAVY), loaded & set(HEAVY)
