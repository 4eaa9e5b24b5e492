"""Schedules and alternations switch the conditioning at the right steps; each distinct text is encoded once."""

import torch

from animagine_prompt.pipeline import StepText
from animagine_prompt.pipeline._schedule import step_texts
from animagine_prompt.syntax import parse


def _texts(prompt, steps, **kw):
    return [s.prompts[0][0] for s in step_texts(parse(prompt), None, steps=steps, run_steps=steps, **kw)]


def test_step_texts_follow_a1111():
    # A1111 compares the 0-based sampler step with each entry's end step: [a:b:2] shows a on steps 0-2
    assert _texts("a [cat:dog:2]", 5) == ["a cat"] * 3 + ["a dog"] * 2
    assert _texts("a [cat:dog:0.5]", 4) == ["a cat"] * 3 + ["a dog"]
    assert _texts("[cat|dog]", 5) == ["cat", "cat", "dog", "cat", "dog"]
    assert _texts("a [dog:3]", 4) == ["a "] * 4  # added after step 3: nothing left of a 4-step run
    hires = step_texts(parse("a [cat:dog:1.5]"), None, steps=4, run_steps=4, hires_steps=4)
    assert [s.prompts[0][0] for s in hires] == ["a cat"] * 3 + ["a dog"]


def test_negative_schedules_too():
    texts = step_texts(parse("1girl"), parse("[lowres:blurry:1]"), steps=3, run_steps=3)
    assert [t.negative for t in texts] == ["lowres", "lowres", "blurry"]


def _expected(pipe, prompt, negative):
    c = pipe.encoder.encode(prompt, negative)
    return torch.cat([c.negative_prompt_embeds, c.prompt_embeds]), torch.cat(
        [c.negative_pooled_prompt_embeds, c.pooled_prompt_embeds]
    )


def test_each_step_receives_its_conditioning(shared_pipe, unet_log):
    with unet_log(shared_pipe) as log:
        result = shared_pipe.generate("1girl, [cat ears:dog ears:1]", "[lowres|blurry]", size=(64, 64), steps=4, seed=1)
    assert log.calls == 4
    expected_texts = [("1girl, cat ears", "lowres"), ("1girl, cat ears", "lowres"),
                      ("1girl, dog ears", "blurry"), ("1girl, dog ears", "lowres")]
    assert [(s.prompts[0][0], s.negative) for s in result.steps] == expected_texts
    for call, (prompt, negative) in enumerate(expected_texts):
        hidden, pooled = _expected(shared_pipe, prompt, negative)
        assert torch.equal(log.hidden[call], hidden), call
        assert torch.equal(log.pooled[call], pooled), call


def test_each_distinct_text_is_encoded_once(shared_pipe):
    calls = []
    shared_pipe._cache.clear()
    handle = shared_pipe.pipe.text_encoder.register_forward_pre_hook(lambda m, a, k: calls.append(1), with_kwargs=True)
    try:
        result = shared_pipe.generate("a [cat|dog], smile", "lowres", size=(64, 64), steps=4, seed=1)
    finally:
        handle.remove()
    assert {s.prompts[0][0] for s in result.steps} == {"a cat, smile", "a dog, smile"}
    assert len(calls) == 3  # two prompt texts and one negative, one chunk each


def test_unscheduled_prompt_has_one_text(shared_pipe):
    result = shared_pipe.generate("1girl, smile", size=(64, 64), steps=3, seed=1)
    assert set(result.steps) == {StepText((("1girl, smile", 1.0),), None)}
