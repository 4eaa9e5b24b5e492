"""A1111's prompt-parser functions, with A1111's output formats, computed by our parser.

Deliberate deviations (docs/syntax.md lists them): input that crashes A1111 (``(a:1.2.3)``) is
read as text; ``BREAK`` inside brackets is still a BREAK marker of weight -1.0.
"""

from __future__ import annotations

from animagine_prompt.syntax import parse
from animagine_prompt.syntax._walk import walk
from animagine_prompt.syntax.dialects import get_dialect
from animagine_prompt.syntax.fragments import build_fragments

__all__ = ["get_learned_conditioning_prompt_schedules", "parse_prompt_attention"]


def parse_prompt_attention(text: str) -> list[tuple[str, float]]:
    """Text and weight pairs as A1111's ``parse_prompt_attention``: brackets only, no schedules,
    no extra-network removal, no comments (A1111 handles those before this step).

    >>> parse_prompt_attention("an (important) word")
    [('an ', 1.0), ('important', 1.1), (' word', 1.0)]
    >>> parse_prompt_attention("a BREAK b")
    [('a', 1.0), ('BREAK', -1.0), ('b', 1.0)]
    >>> parse_prompt_attention("")
    [('', 1.0)]
    """
    prompt = parse(text, comments=False)
    events = walk(prompt.tree.children, get_dialect("a1111"), None, extra_networks_as_text=True)
    return [(f.text, f.weight) for f in build_fragments(events)]


def get_learned_conditioning_prompt_schedules(
    prompts: list[str], base_steps: int, hires_steps: int | None = None
) -> list[list[list]]:
    """For each prompt, ``[[end_step, text], ...]`` as A1111 (>= 1.6 number rules).

    >>> get_learned_conditioning_prompt_schedules(["a [b:c:0.5]"], 10)
    [[[5, 'a b'], [10, 'a c']]]
    """
    return [[[step, text] for step, text in parse(p).schedules(base_steps, hires_steps)] for p in prompts]
