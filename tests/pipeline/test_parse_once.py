"""generate() parses each text once: the built prompt comes parsed from the builder
(``BuiltPrompt.parsed_prompt``), and each scheduled step text is parsed once for all its steps."""

from collections import Counter

import pytest

import animagine_prompt.syntax.prompt as prompt_module

SMALL = {"size": (64, 64), "steps": 3}


@pytest.fixture
def parses(monkeypatch):
    """How many times each text was parsed."""
    seen: Counter = Counter()
    parse_tree = prompt_module.parse_tree

    def counting(text, **kw):
        seen[text] += 1
        return parse_tree(text, **kw)

    monkeypatch.setattr(prompt_module, "parse_tree", counting)
    return seen


def test_plain_prompt_and_negative_are_parsed_once(shared_pipe, parses):
    result = shared_pipe.generate("1girl, (smile:1.2), night", "lowres, blurry", quality="standard", seed=1, **SMALL)
    assert parses[result.prompt.prompt] == 1
    assert parses[result.prompt.negative_prompt] == 1
    assert set(parses.values()) == {1}


def test_each_scheduled_text_is_parsed_once(shared_pipe, parses):
    result = shared_pipe.generate("1girl, [cat|dog] ears", seed=1, **SMALL)
    assert {s.prompts[0][0] for s in result.steps} == {"1girl, cat ears", "1girl, dog ears"}
    assert set(parses.values()) == {1}
    assert {"1girl, [cat|dog] ears", "1girl, cat ears", "1girl, dog ears"} <= set(parses)
