"""The wheel carries the grammar and the tag data, and works outside the source tree."""

import os
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(REPO)],
        check=True,
    )
    (path,) = out.glob("animagine_prompt-*.whl")
    return path


def test_wheel_contains_grammar_and_tag_data(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    assert "animagine_prompt/grammars/prompt.lark" in names
    assert any(n.startswith("animagine_prompt/tag_data/") for n in names)
    for data in ("vocabulary.bin", "english-words.txt", "LICENSE-tagcomplete.txt", "LICENSE-english-words.txt"):
        assert f"animagine_prompt/tag_data/{data}" in names
    assert "animagine_prompt/py.typed" in names
    for client in ("index.html", "app.js", "app.css", "LICENSES.txt"):
        assert f"animagine_prompt/webui/static/{client}" in names


def test_wheel_parses_in_a_fresh_virtual_environment(wheel, tmp_path):
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / ("Scripts" if os.name == "nt" else "bin") / "python"
    subprocess.run([str(python), "-m", "pip", "install", "-q", str(wheel)], check=True)
    script = (
        "import animagine_prompt, pathlib;"
        "from animagine_prompt._resources import data_dir;"
        "p = animagine_prompt.parse('1girl, (green hair:1.2), [a:b:5]');"
        "print([(f.text, f.weight) for f in p.fragments()]);"
        "print(pathlib.Path(animagine_prompt.__file__).parent == data_dir('grammars').parent)"
    )
    # run from an empty folder so the source checkout cannot be imported by accident
    out = subprocess.run([str(python), "-c", script], capture_output=True, text=True, cwd=tmp_path, check=True)
    assert out.stdout.splitlines() == ["[('1girl, ', 1.0), ('green hair', 1.2), (', b', 1.0)]", "True"]
    cli = subprocess.run(
        [str(env_dir / "bin" / "animagine-prompt"), "convert", "--from", "novelai", "{{a}}"],
        capture_output=True, text=True, cwd=tmp_path, check=True,
    )
    assert cli.stdout.strip() == "(a:1.1025)"
