"""Start-up cost is a feature: the prompt tools never import the torch stack, and layers import downward."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
HEAVY = ("torch", "transformers", "diffusers")


def modules_after(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", f"{code}\nimport sys\nprint('\\n'.join(sys.modules))"],
        capture_output=True, text=True, check=True,
    )
    return set(out.stdout.split())


def test_import_and_parse_stay_light():
    mods = modules_after("import animagine_prompt\nanimagine_prompt.parse('(a:1.2)').fragments()")
    assert not [m for m in mods if m.split(".")[0] in HEAVY]
    assert "rich" not in mods


def test_public_names_resolve():
    import animagine_prompt

    for name in animagine_prompt.__all__:
        try:
            getattr(animagine_prompt, name)
        except animagine_prompt.MissingDependencyError:
            pass


def test_layers_contract():
    exe = shutil.which("lint-imports") or str(Path(sys.executable).parent / "lint-imports")
    if not Path(exe).exists():
        pytest.skip("import-linter is not installed")
    out = subprocess.run([exe], cwd=REPO, capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr


WEB = ("fastapi", "starlette", "uvicorn", "httpx")


def test_the_package_and_the_command_line_never_load_the_web_stack():
    # every command's options are built (as --help does), then a lint runs
    code = (
        "import animagine_prompt, contextlib, io\n"
        "from animagine_prompt.cli import _build_parser, main\n"
        "_build_parser(None)\n"
        "with contextlib.redirect_stdout(io.StringIO()): main(['lint', '1girl, smile'])"
    )
    mods = modules_after(code)
    assert not [m for m in mods if m.split(".")[0] in WEB or m.startswith("animagine_prompt.webui")]
