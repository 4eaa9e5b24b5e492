"""Preset files: both shapes, user overrides, and every kind of bad file (named by file, line and field)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from animagine_prompt.errors import InputError, PresetError
from animagine_prompt.presets import bundled_presets, load_presets, read_preset_file


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def error_of(path: Path) -> PresetError:
    with pytest.raises(PresetError) as info:
        read_preset_file(path)
    return info.value


# --- good files ---------------------------------------------------------------------------------


def test_yaml_file_with_every_kind(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "mine.yaml",
        """\
quality:
  - name: My Quality
    prompt: "{prompt}, masterpiece"
    negative_prompt: lowres
style:
  - name: chibi
    prompt: "chibi {prompt} . cute"
negative:
  - name: hands
    negative_prompt: bad hands, extra digit
resolution:
  - name: phone
    width: 720
    height: 1560
sampler:
  - name: Euler Karras
    scheduler: EulerDiscreteScheduler
    options: {use_karras_sigmas: true}
defaults:
  steps: 28
""",
    )
    lib = bundled_presets().with_files([path])
    assert lib.quality("my quality").apply("1girl") == "1girl, masterpiece"
    assert lib.style("CHIBI").negative_prompt == ""
    assert lib.negative("hands").negative_prompt == "bad hands, extra digit"
    assert lib.size("phone").label == "720 x 1560"
    assert lib.sampler("euler_karras").options == {"use_karras_sigmas": True}
    assert lib.defaults.steps == 28 and lib.defaults.guidance == 12.0  # other defaults untouched
    assert lib.quality("my quality").origin == str(path)
    assert lib.quality("heavy").origin == "bundled"
    assert lib.files == (str(path),)


def test_fooocus_json_list_loads_as_styles(tmp_path: Path) -> None:
    # The shape of Fooocus' sdxl_styles_*.json and sdxl_prompt_styler's files.
    styles = [
        {"name": "Fooocus Sharp", "prompt": "cinematic still {prompt} . sharp focus", "negative_prompt": "blurry"},
        {"name": "sai-origami", "prompt": "origami style {prompt} . paper art", "negative_prompt": "noisy"},
        {"name": "Fooocus Negative", "negative_prompt": "deformed, bad anatomy"},
    ]
    path = write(tmp_path, "sdxl_styles_mine.json", json.dumps(styles, indent=4))
    lib = bundled_presets().with_files([path])
    assert lib.style("fooocus sharp").apply("1girl") == "cinematic still 1girl . sharp focus"
    assert lib.style("Fooocus Sharp").display_name == "Fooocus Sharp"
    # A style without a prompt template changes only the negative.
    assert lib.style("fooocus-negative").apply("1girl") == "1girl"
    # A user style overrides the bundled one of the same name.
    assert lib.style("sai-origami").negative_prompt == "noisy"
    assert lib.style("sai-origami").origin == str(path)


def test_json_in_our_mapping_shape(tmp_path: Path) -> None:
    path = write(tmp_path, "q.json", json.dumps({"quality": [{"name": "q", "prompt": "{prompt}, best"}]}))
    assert read_preset_file(path).quality[0].apply("x") == "x, best"


def test_empty_file_is_valid(tmp_path: Path) -> None:
    assert read_preset_file(write(tmp_path, "empty.yml", "# nothing yet\n")).presets() == []


def test_user_folder_overrides_bundled(user_dir: Path) -> None:
    write(user_dir, "heavy.yaml", "quality:\n  - name: Heavy\n    prompt: '{prompt}, my heavy'\n")
    write(user_dir, "notes.txt", "not a preset file: ignored")
    assert load_presets().quality("heavy").apply("1girl") == "1girl, my heavy"
    assert load_presets(user=False).quality("heavy").apply("1girl").startswith("(masterpiece)")


def test_later_paths_win(user_dir: Path, tmp_path: Path) -> None:
    write(user_dir, "a.yaml", "style:\n  - name: mine\n    prompt: 'user {prompt}'\n")
    flag = write(tmp_path, "b.yaml", "style:\n  - name: mine\n    prompt: 'flag {prompt}'\n")
    assert load_presets().style("mine").apply("x") == "user x"
    assert load_presets([flag]).style("mine").apply("x") == "flag x"


def test_config_file_presets_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = tmp_path / "project"
    (project / "presets").mkdir(parents=True)
    write(project / "presets", "s.yaml", "style:\n  - name: project-style\n    prompt: 'p {prompt}'\n")
    write(project, "animagine-prompt.toml", 'presets = ["presets/"]\n')
    monkeypatch.chdir(project)
    assert load_presets().style("project style").apply("x") == "p x"


def test_xdg_config_home_unset_uses_home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from animagine_prompt.presets import user_preset_dir

    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert user_preset_dir() == tmp_path / ".config" / "animagine-prompt" / "presets"


# --- bad files: each names the file, the line and the field -----------------------------------


def test_yaml_syntax_error(tmp_path: Path) -> None:
    path = write(tmp_path, "bad.yaml", "style:\n  - name: x\n    prompt: [unclosed\n")
    err = error_of(path)
    assert err.path == str(path) and err.line == 4
    assert "invalid YAML" in str(err)
    assert isinstance(err, InputError) and isinstance(err, ValueError)


def test_json_syntax_error(tmp_path: Path) -> None:
    path = write(tmp_path, "bad.json", '[\n  {"name": "x",\n   "prompt": "{prompt}",}\n]\n')
    err = error_of(path)
    assert err.line == 3 and "invalid JSON" in err.reason


def test_unknown_key_names_the_allowed_ones(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "typo.yaml",
        "style:\n  - name: ok\n    prompt: '{prompt}'\n  - name: typo\n    prompt: '{prompt}'\n    negativ_prompt: x\n",
    )
    err = error_of(path)
    assert err.line == 6
    assert "style[1] 'typo'" in err.reason and "unknown key 'negativ_prompt'" in err.reason
    assert "negative_prompt" in err.reason.split("allowed keys:")[1]


def test_unknown_top_level_kind(tmp_path: Path) -> None:
    err = error_of(write(tmp_path, "kind.yaml", "quality: []\nstyles:\n  - name: x\n"))
    assert err.line == 2 and "unknown key 'styles'" in err.reason and "style" in err.reason


@pytest.mark.parametrize(
    ("template", "words"),
    [("no placeholder here", "does not contain {prompt}"), ("{prompt} and {prompt}", "contains 2 times")],
)
def test_template_needs_one_placeholder(tmp_path: Path, template: str, words: str) -> None:
    path = write(tmp_path, "t.yaml", f"quality:\n  - name: q\n    negative_prompt: x\n    prompt: '{template}'\n")
    err = error_of(path)
    assert err.line == 4 and "field 'prompt'" in err.reason and words in err.reason


def test_wrong_type(tmp_path: Path) -> None:
    path = write(tmp_path, "r.yaml", "resolution:\n  - name: big\n    width: wide\n    height: 1024\n")
    err = error_of(path)
    assert err.line == 3 and "field 'width'" in err.reason and "'wide'" in err.reason


def test_size_not_a_multiple_of_8(tmp_path: Path) -> None:
    err = error_of(write(tmp_path, "r.yaml", "resolution:\n  - {name: odd, width: 1000, height: 1001}\n"))
    assert err.line == 2 and "'height'" in err.reason and "multiple of 8" in err.reason


def test_string_where_a_list_is_expected(tmp_path: Path) -> None:
    err = error_of(write(tmp_path, "s.yaml", "style: photographic\n"))
    assert err.line == 1 and "field 'style'" in err.reason


def test_missing_required_key(tmp_path: Path) -> None:
    err = error_of(write(tmp_path, "n.yaml", "negative:\n  - name: empty\n    title: Empty\n"))
    assert err.line == 2 and "required key 'negative_prompt' is missing" in err.reason


def test_missing_name_in_fooocus_json(tmp_path: Path) -> None:
    path = write(tmp_path, "s.json", '[\n  {"name": "a", "prompt": "{prompt}"},\n  {"prompt": "x {prompt}"}\n]\n')
    err = error_of(path)
    assert err.line == 3 and "style[1]" in err.reason and "'name'" in err.reason


def test_bad_sampler_scheduler_name(tmp_path: Path) -> None:
    err = error_of(write(tmp_path, "s.yaml", "sampler:\n  - name: x\n    scheduler: not a class\n"))
    assert err.line == 3 and "field 'scheduler'" in err.reason


def test_duplicate_name_in_one_file(tmp_path: Path) -> None:
    path = write(
        tmp_path, "d.yaml", "style:\n  - name: Mine\n    prompt: '{prompt}'\n  - name: mine\n    prompt: 'a {prompt}'\n"
    )
    err = error_of(path)
    assert err.line == 4 and "already used" in err.reason and "rename" in err.reason


def test_root_must_be_mapping_or_list(tmp_path: Path) -> None:
    err = error_of(write(tmp_path, "s.yaml", "just a string\n"))
    assert err.line == 1 and "expected a mapping" in err.reason


def test_several_problems_are_counted(tmp_path: Path) -> None:
    err = error_of(write(tmp_path, "m.yaml", "style:\n  - prompt: x\n  - name: y\n    prompt: z\n"))
    assert "more problem" in err.reason


def test_unsafe_yaml_tags_are_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "evil.yaml", "style: !!python/object/apply:os.system ['echo hi']\n")
    err = error_of(path)
    assert "invalid YAML" in err.reason and err.line == 1


def test_missing_path_and_wrong_suffix(tmp_path: Path) -> None:
    with pytest.raises(PresetError, match="no such preset file or folder"):
        load_presets([tmp_path / "nope.yaml"])
    with pytest.raises(PresetError, match=r"must end in \.yaml, \.yml or \.json"):
        load_presets([write(tmp_path, "presets.txt", "style: []\n")])


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("style:\n  - name: caf\xe9\n".encode("latin-1"))
    assert "not UTF-8" in error_of(path).reason


def test_bad_user_file_fails_loudly(user_dir: Path) -> None:
    write(user_dir, "broken.yaml", "quality:\n  - name: q\n    prompt: nothing\n")
    with pytest.raises(PresetError) as info:
        load_presets()
    assert info.value.path == str(user_dir / "broken.yaml")


# --- hostile files: a clear error with the line, in time linear in the file ---------------------

BOMB = "".join(
    f"{name}: &{name} [{', '.join([f'*{prev}'] * 9) if prev else ', '.join(['lol'] * 9)}]\n"
    for prev, name in zip(["", "a", "b", "c", "d", "e", "f"], "abcdefg", strict=True)
)


@pytest.mark.parametrize(
    ("name", "text", "fragment", "line"),
    [
        # 9**7 strings behind one alias: validating them took minutes and gigabytes
        ("bomb.yaml", BOMB + "style:\n  - name: x\n    prompt: *g\n", "aliases expand", 5),
        ("self.yaml", "style: &s\n  - name: x\n    prompt: *s\n", "inside its own anchor", 3),
        ("complex.yaml", "style:\n  - ? [name]\n    : x\n", "a key is a list or a mapping", 2),
        ("deep.json", '{"style": ' + "[" * 100_000, "levels deep", 1),
        ("deep.yaml", "style:\n  - name: x\n    prompt: " + "[" * 100_000, "levels deep", 3),
        ("long.json", '[{"name": "x", "prompt": "{prompt}", "weight": ' + "9" * 5000 + "}]", "digits", 1),
    ],
)
def test_hostile_preset_files(tmp_path: Path, name: str, text: str, fragment: str, line: int) -> None:
    err = error_of(write(tmp_path, name, text))
    assert fragment in err.reason and err.line == line


def test_json_field_errors_have_lines_even_with_tabs(tmp_path: Path) -> None:
    # JSON was located through YAML, which refuses tabs: the line was lost
    path = write(tmp_path, "tabs.json", '[\n\t{"name": "a", "prompt": "{prompt}"},\n\t{"name": "b", "prompt": "no"}\n]')
    assert error_of(path).line == 3
