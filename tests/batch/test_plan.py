"""Seed lists, batch files and the plan: what gets made, in which order, under which key."""

from __future__ import annotations

import pytest

from animagine_prompt.batch import Settings, job_key, parse_seeds, plan_jobs, read_batch_file, read_batch_text
from animagine_prompt.errors import InputError, UsageError


def test_seed_lists():
    assert parse_seeds("1-8") == tuple(range(1, 9))
    assert parse_seeds(" 3, 5,9 ") == (3, 5, 9)
    assert parse_seeds(str(2**64 - 1)) == (2**64 - 1,)


@pytest.mark.parametrize("spec", ["", "1,,2", "a-3", "-1", "3-1", str(2**64), "1-1000000"])
def test_bad_seed_lists(spec):
    with pytest.raises(UsageError):
        parse_seeds(spec)


def test_two_prompts_three_seeds_two_styles_in_order():
    jobs = plan_jobs(["1girl", "1boy"], seeds=parse_seeds("1-3"), styles=["anime", "none"])
    assert [(j.prompt, j.settings.style, j.seed) for j in jobs] == [
        (p, s, seed) for p in ("1girl", "1boy") for s in ("anime", "none") for seed in (1, 2, 3)
    ]
    assert [j.index for j in jobs] == list(range(12))
    assert len({j.key for j in jobs}) == 12
    assert len({j.file_name for j in jobs}) == 12


def test_keys_are_stable_and_depend_on_everything_that_changes_the_image():
    first = plan_jobs(["1girl"], seeds=[1], settings=Settings(steps=20, model="m"))[0]
    again = plan_jobs(["1girl"], seeds=[1], settings=Settings(steps=20, model="m"))[0]
    assert first.key == again.key
    for other in (
        plan_jobs(["1girl "], seeds=[1], settings=Settings(steps=20, model="m")),
        plan_jobs(["1girl"], seeds=[2], settings=Settings(steps=20, model="m")),
        plan_jobs(["1girl"], seeds=[1], settings=Settings(steps=21, model="m")),
        plan_jobs(["1girl"], seeds=[1], settings=Settings(steps=20, model="other")),
    ):
        assert other[0].key != first.key


def test_random_seeds_are_left_to_draw_and_keyed_by_repeat():
    jobs = plan_jobs(["a"], count=3)
    assert [j.seed for j in jobs] == [None, None, None]
    assert [j.key for j in jobs] == [job_key("a", Settings(), None, r) for r in range(3)]
    with pytest.raises(ValueError):
        _ = jobs[0].file_name


def test_item_settings_override_the_batch():
    jobs = plan_jobs(
        ["a", ("b", {"style": "anime", "seeds": (7, 8), "steps": 5}), ("c", {"seed": 100, "n": 2})],
        seeds=[1],
        styles=["none", "photographic"],
        settings=Settings(steps=20),
    )
    assert [(j.prompt, j.settings.style, j.seed, j.settings.steps) for j in jobs] == [
        ("a", "none", 1, 20),
        ("a", "photographic", 1, 20),
        ("b", "anime", 7, 5),
        ("b", "anime", 8, 5),
        ("c", "none", 100, 20),
        ("c", "none", 101, 20),
        ("c", "photographic", 100, 20),
        ("c", "photographic", 101, 20),
    ]


def test_the_same_image_twice_is_planned_once():
    jobs = plan_jobs(["a", "a"], seeds=[1, 1, 2])
    assert [(j.index, j.seed) for j in jobs] == [(0, 1), (1, 2)]


def test_count_must_be_positive_and_unknown_settings_are_refused():
    with pytest.raises(UsageError):
        plan_jobs(["a"], count=0)
    with pytest.raises(UsageError, match="unknown setting"):
        plan_jobs([("a", {"colour": "red"})])


def test_txt_yaml_jsonl_files(tmp_path):
    (tmp_path / "b.txt").write_text("# comment\n1girl, smile\n\n  1boy  \n", encoding="utf-8")
    (tmp_path / "b.yaml").write_text(
        "- 1girl, smile\n- prompt: 1boy\n  seeds: 1-2\n  style: anime\n  hires: true\n  guidance: 7\n", encoding="utf-8"
    )
    (tmp_path / "b.jsonl").write_text('"1girl, smile"\n\n{"prompt": "1boy", "seeds": [1, 2], "steps": 28}\n')
    assert read_batch_file(tmp_path / "b.txt") == [("1girl, smile", {}), ("1boy", {})]
    assert read_batch_file(tmp_path / "b.yaml") == [
        ("1girl, smile", {}),
        ("1boy", {"seeds": (1, 2), "style": "anime", "hires": True, "guidance": 7.0}),
    ]
    assert read_batch_file(tmp_path / "b.jsonl") == [("1girl, smile", {}), ("1boy", {"seeds": (1, 2), "steps": 28})]


@pytest.mark.parametrize(
    ("text", "kind", "line", "message"),
    [
        ('"a"\n{"prompt": 1}\n', "jsonl", 2, "no 'prompt'"),
        ('"a"\n{bad\n', "jsonl", 2, "invalid JSON"),
        ("- a\n- prompt: b\n  steps: 0\n", "yaml", 3, "steps: expected a whole number from 1 to 1000, got 0"),
        ("- a\n- prompt: b\n  seed: -1\n", "yaml", 3, "seed: expected a whole number from 0 to"),
        ("- a\n- prompt: b\n  seeds: 5-1\n", "yaml", 3, "runs backwards"),
        ("- a\n- prompt: b\n  hires: maybe\n", "yaml", 3, "true or false"),
        ("- a\n- [1, 2]\n", "yaml", 2, "a prompt or a mapping"),
        ("prompt: a\n", "yaml", 1, "a list of prompts"),
        ("- a\n- b: [\n", "yaml", 3, "invalid YAML"),
        ('"   "\n', "jsonl", 1, "empty prompt"),
    ],
)
def test_batch_file_errors_name_the_line(text, kind, line, message):
    with pytest.raises(InputError) as info:
        read_batch_text(text, kind, path=f"b.{kind}")
    assert info.value.line == line
    assert message in str(info.value)
    assert str(info.value).startswith(f"b.{kind}:{line}: ")


def test_missing_and_unknown_batch_files(tmp_path):
    with pytest.raises(InputError, match="no such batch file"):
        read_batch_file(tmp_path / "nope.txt")
    (tmp_path / "b.csv").write_text("a\n")
    with pytest.raises(InputError, match="unknown batch file type"):
        read_batch_file(tmp_path / "b.csv")
