"""LMExpander on a tiny random Llama model: seeds, what may be added, the caller's random state,
and the loading paths (local folder, hub id from the local cache, missing model)."""

import random
import shutil

import pytest

from animagine_prompt.diagnostics import Severity
from animagine_prompt.errors import ModelNotFoundError, UsageError
from animagine_prompt.lint import lint
from animagine_prompt.syntax import parse
from animagine_prompt.tags import Category, canonical, load_database

torch = pytest.importorskip("torch")
pytest.importorskip("transformers")

PROMPT = "1girl, solo, (smile:1.2), outdoors"
NEGATIVE = "lowres, bad anatomy, (bad hands:1.1)"


def items(text):
    return [(i.text, round(i.weight, 6)) for i in parse(text).tags()]


def test_same_seed_same_expansion_and_the_callers_random_state_is_kept(tiny_expander):
    random.seed(123)
    torch.manual_seed(456)
    python_state, torch_state = random.getstate(), torch.get_rng_state()
    first = tiny_expander.expand(PROMPT, seed=7, negative_prompt=NEGATIVE)
    again = tiny_expander.expand(PROMPT, seed=7, negative_prompt=NEGATIVE)
    assert first == again and first.seed == 7 and first.model == tiny_expander.model_name
    assert random.getstate() == python_state and torch.equal(torch.get_rng_state(), torch_state)
    others = {tiny_expander.expand(PROMPT, seed=s, negative_prompt=NEGATIVE).prompt for s in (1, 2, 3)}
    assert len(others | {first.prompt}) > 1  # the seed matters


def test_what_the_model_proposes_is_screened(tiny_expander):
    db = load_database()
    negative = {canonical(i.text) for i in parse(NEGATIVE).tags()}
    added_any = dropped_unknown = dropped_negative = False
    for seed in range(4, 10):
        e = tiny_expander.expand(PROMPT, seed=seed, negative_prompt=NEGATIVE, length="short")
        assert items(e.prompt)[:4] == items(PROMPT)  # the user's tags: same text, weight, order
        assert [t for t, _ in items(e.prompt)[4:]] == list(e.added)
        for tag in e.added:
            match = db.lookup(tag)
            assert match.how == "exact" and match.category == Category.GENERAL and match.tag not in negative
        assert len(set(e.added)) == len(e.added)
        assert [f.code for f in lint(e.prompt, NEGATIVE) if f.severity.rank >= Severity.WARNING.rank] == []
        for dropped in e.dropped:
            if dropped.reason == "unknown":
                assert db.lookup(dropped.text) is None or db.lookup(dropped.text).how not in ("exact", "alias")
        added_any |= bool(e.added)
        dropped_unknown |= any(d.reason == "unknown" for d in e.dropped)
        dropped_negative |= any(d.reason == "negative" for d in e.dropped)
    # the random model proposes all kinds: the checks above were exercised
    assert added_any and dropped_unknown and dropped_negative


def test_request_and_answer_formats(tiny_lm_dir):
    from animagine_prompt.expand import LMExpander

    tipo = LMExpander(str(tiny_lm_dir))
    assert tipo.request_format == "tipo" and not tipo.loaded
    assert tipo.request("1girl, hu tao \\(genshin impact\\), smile", length="short", aspect_ratio=0.75) == (
        "characters: hu tao (genshin impact)\naspect_ratio: 0.8\ntarget: <|short|>\ntag: 1girl, smile"
    )
    assert (
        LMExpander(str(tiny_lm_dir), request_format="dantaggen")
        .request("1girl")
        .endswith("general: 1girl<|input_end|>")
    )
    with pytest.raises(UsageError, match="unknown sampling setting 'temp'"):
        LMExpander(str(tiny_lm_dir), temp=0.3)
    with pytest.raises(UsageError, match="unknown expansion length 'medium'"):
        tipo.expand("1girl", seed=1, length="medium")


def test_hub_id_from_the_local_cache_and_missing_models(tiny_lm_dir, tmp_path, monkeypatch):
    from animagine_prompt.expand import DEFAULT_EXPAND_MODEL, LMExpander

    # a hub cache laid out as huggingface_hub writes it, holding the tiny model as test-org/tiny-tipo
    snapshot = tmp_path / "hub" / "models--test-org--tiny-tipo" / "snapshots" / ("0" * 40)
    shutil.copytree(tiny_lm_dir, snapshot)
    (snapshot.parents[1] / "refs").mkdir()
    (snapshot.parents[1] / "refs" / "main").write_text("0" * 40)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    # huggingface_hub reads the variable once, at import: a user sets it before Python starts, so set
    # what the hub read too, or transformers' look-up of an optional adapter file retries the network
    # for 23 s here without one
    monkeypatch.setattr("huggingface_hub.constants.HF_HUB_OFFLINE", True)
    cached = LMExpander(
        "test-org/tiny-tipo", device="cpu", max_new_tokens=8, load_options={"cache_dir": tmp_path / "hub"}
    )
    from_folder = LMExpander(str(tiny_lm_dir), device="cpu", max_new_tokens=8)
    assert cached.expand("1girl", seed=3).prompt == from_folder.expand("1girl", seed=3).prompt

    with pytest.raises(ModelNotFoundError, match=f"`hf download {DEFAULT_EXPAND_MODEL}`"):
        LMExpander(device="cpu").load()
    with pytest.raises(ModelNotFoundError, match="is not a folder"):
        LMExpander(str(tmp_path / "nowhere"), device="cpu").load()
    (tmp_path / "empty").mkdir()
    with pytest.raises(ModelNotFoundError, match="has no config.json"):
        LMExpander(str(tmp_path / "empty"), device="cpu").load()
