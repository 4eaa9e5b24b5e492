"""Every fuzz property on generated input, a few seconds each (``benchmarks/fuzz.py`` runs them long)."""

import pytest
from fuzz_checks import PROPERTIES, run_check
from fuzz_seeds import SEEDS
from fuzz_strategies import SEED_PROMPTS
from hypothesis import HealthCheck, event, given, settings


@pytest.mark.parametrize("name", sorted(PROPERTIES))
def test_property_holds_on_generated_input(name):
    prop = PROPERTIES[name]

    @settings(
        max_examples=prop.examples,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
    )
    @given(prop.strategy)
    def holds(value):
        known = run_check(prop, value)
        if known is not None:
            event(f"known bug: {known.reproducer!r}")

    holds()


@pytest.mark.parametrize("name", ["parse", "canonical", "convert", "plan"])
def test_prompt_properties_hold_on_every_seed_prompt(name):
    prop = PROPERTIES[name]
    extra = {"parse": ("a1111",), "convert": ("a1111", "novelai")}.get(name)
    for text in {*SEED_PROMPTS, *SEEDS}:
        run_check(prop, text if extra is None else (text, *extra))


def test_lint_and_analysis_hold_on_the_bundled_seeds():
    for text in SEEDS:
        run_check(PROPERTIES["lint"], (text, SEEDS[-1]))
        run_check(PROPERTIES["analyze"], (text, None))
