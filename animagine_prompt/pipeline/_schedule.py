"""Which text conditions each sampling step: schedules, alternations and ``AND`` parts, resolved per step.

A1111 builds, for every prompt, a list of ``(end_step, text)`` pairs (``Prompt.schedules``) and at
sampling step ``k`` (counted from 0) uses the first pair whose ``end_step >= k``. The same rule is
used here, so ``[a:b:3]`` over 10 steps shows ``a`` on the first four steps, as in the web UI, and
``[x|y]`` shows ``x`` on steps 0 and 1, then alternates. Each distinct text is encoded once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["StepText", "entry_for_step", "step_texts"]


def entry_for_step(schedule: Sequence[tuple[int, str]], step: int) -> int:
    """Index of the ``(end_step, text)`` pair in force at 0-based sampling ``step`` (A1111's rule).

    >>> [entry_for_step([(3, "a"), (10, "b")], k) for k in range(6)]
    [0, 0, 0, 0, 1, 1]
    """
    for index, (end, _text) in enumerate(schedule):
        if step <= end:
            return index
    return 0


@dataclass(frozen=True)
class StepText:
    """The texts one sampling step is conditioned on.

    ``prompts`` holds ``(text, weight)`` per ``AND`` part (one part, weight 1, for a plain prompt);
    ``negative`` is None when the negative is zeros (no negative prompt given).

    >>> StepText((("1girl", 1.0),), "lowres").composable
    False
    """

    prompts: tuple[tuple[str, float], ...]
    negative: str | None

    @property
    def composable(self) -> bool:
        """True when the parts must go through the UNet separately (``AND``, or a part weight other than 1)."""
        return len(self.prompts) > 1 or self.prompts[0][1] != 1.0


def step_texts(
    prompt: Any,
    negative: Any | None,
    *,
    steps: int,
    run_steps: int,
    hires_steps: int | None = None,
) -> list[StepText]:
    """The :class:`StepText` of each of ``run_steps`` sampling steps.

    ``prompt`` and ``negative`` are parsed ``Prompt`` objects; ``steps`` is the first pass's step
    count and ``hires_steps`` the second pass's (its schedules then count into the hires steps,
    A1111 >= 1.6). The negative is one text (A1111 does not split it at ``AND``).

    >>> from animagine_prompt.syntax import parse
    >>> [s.prompts[0][0] for s in step_texts(parse("a [b:c:2]"), None, steps=4, run_steps=4)]
    ['a b', 'a b', 'a b', 'a c']
    >>> step_texts(parse("cat AND dog:0.5"), parse("lowres"), steps=2, run_steps=1)[0]
    StepText(prompts=(('cat ', 1.0), (' dog', 0.5)), negative='lowres')
    """
    subs = prompt.subprompts()
    plain = len(subs) == 1 and subs[0].weight == 1.0
    if plain:
        # the whole prompt keeps its exact text (SubPrompt.text strips trailing blanks)
        part_schedules = [(prompt.schedules(steps, hires_steps), 1.0)]
    else:
        part_schedules = [(sub.schedules(steps, hires_steps), sub.weight) for sub in subs]
    negative_schedule = None if negative is None else negative.schedules(steps, hires_steps)
    out: list[StepText] = []
    for k in range(run_steps):
        parts = tuple((sched[entry_for_step(sched, k)][1], weight) for sched, weight in part_schedules)
        neg = None
        if negative_schedule is not None:
            neg = negative_schedule[entry_for_step(negative_schedule, k)][1]
        out.append(StepText(parts, neg))
    return out
