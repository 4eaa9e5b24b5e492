"""Every YAML, JSON and TOML example in the docs is read by the reader it documents."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from animagine_prompt._datafiles import load_data

REPO = Path(__file__).resolve().parents[1]
_FENCE = re.compile(r"^(?P<indent> *)```(?P<lang>yaml|yml|json|jsonl|toml)\n(?P<body>.*?)^(?P=indent)```", re.M | re.S)


def _examples() -> list[tuple[str, str, str]]:
    found = []
    for doc in sorted([*REPO.glob("docs/*.md"), REPO / "README.md"]):
        text = doc.read_text(encoding="utf-8")
        for match in _FENCE.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            body = "".join(row[len(match["indent"]) :] for row in match["body"].splitlines(keepends=True))
            found.append((f"{doc.name}:{line}", match["lang"], body))
    return found


EXAMPLES = _examples()


def test_the_docs_have_examples() -> None:
    assert {"scale.md", "presets.md", "lint.md"} <= {where.split(":")[0] for where, _, _ in EXAMPLES}


@pytest.mark.parametrize(("where", "lang", "body"), EXAMPLES, ids=[e[0] for e in EXAMPLES])
def test_example_parses(where: str, lang: str, body: str, tmp_path: Path) -> None:
    if lang == "jsonl":
        for line in body.splitlines():
            if line.strip():
                load_data(line, "json", path=where)
        return
    data = load_data(body, "yaml" if lang == "yml" else lang, path=where)  # type: ignore[arg-type]
    # and by the reader each kind of file is for
    if where.startswith("scale.md") and isinstance(data, list):
        from animagine_prompt.batch import read_batch_text

        assert read_batch_text(body, "yaml", path=where)
    elif where.startswith("presets.md"):
        from animagine_prompt.presets import load_presets

        path = tmp_path / "mine.yaml"
        path.write_text(body, encoding="utf-8")
        assert load_presets([path], user=False).find("quality", "my-heavy") is not None
    elif lang == "toml" and "[tool.animagine-prompt" in body:
        from animagine_prompt.lint._settings import load_settings

        (tmp_path / "my-tags.csv").write_text("1girl,0,1,\n", encoding="utf-8")
        (tmp_path / "presets").mkdir()
        path = tmp_path / "pyproject.toml"
        path.write_text(body, encoding="utf-8")
        load_settings(str(path))
