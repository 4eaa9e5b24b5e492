"""The encoder parses, plans and tokenises each prompt text once: a prompt encoded again (the same
negative on every call, a seed sweep) does no per-token work, gives the same tensors and repeats
its notes."""

from collections import Counter

import pytest
import torch

import animagine_prompt.syntax.prompt as prompt_module
import animagine_prompt.tokens._planner as planner_module


@pytest.fixture
def counts(monkeypatch):
    seen = {"parse": Counter(), "plan": Counter()}
    parse_tree, plan_many = prompt_module.parse_tree, planner_module.plan_many

    def counting_parse(text, **kw):
        seen["parse"][text] += 1
        return parse_tree(text, **kw)

    def counting_plan(sources, *args, **kw):
        for source in sources:
            seen["plan"][getattr(source, "text", source)] += 1
        return plan_many(sources, *args, **kw)

    monkeypatch.setattr(prompt_module, "parse_tree", counting_parse)
    monkeypatch.setattr(planner_module, "plan_many", counting_plan)
    return seen


def test_a_prompt_encoded_again_is_not_parsed_or_planned_again(encoder, counts):
    prompt, negative = "1girl, (smile:1.2), <lora:flat:0.5>", "lowres, [blurry]"
    first = encoder.encode(prompt, negative)
    second = encoder.encode(prompt, negative)
    other = encoder.encode("1girl, (frown:1.2)", negative)
    assert counts["parse"][prompt] == counts["parse"][negative] == 1
    assert counts["plan"][prompt] == counts["plan"][negative] == 1
    assert torch.equal(first.prompt_embeds, second.prompt_embeds)
    assert torch.equal(first.negative_prompt_embeds, other.negative_prompt_embeds)
    assert second.notes == first.notes and any("extra network" in n for n in first.notes)


def test_parsed_prompts_share_the_cache_with_their_text(encoder, counts):
    from animagine_prompt.syntax import parse

    text = "1girl, [cat|dog] ears"
    by_text = encoder.encode(text, None, step=1, steps=4)
    by_parse = encoder.encode(parse(text), None, step=1, steps=4)
    later = encoder.encode(text, None, step=2, steps=4)  # another step resolves the schedule anew
    assert torch.equal(by_text.prompt_embeds, by_parse.prompt_embeds)
    assert not torch.equal(by_text.prompt_embeds, later.prompt_embeds)
    assert counts["plan"][text] == 2
