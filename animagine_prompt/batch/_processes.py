"""Which share of a batch this process makes: one process, or one of several started by ``accelerate launch``."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

__all__ = ["Processes", "detect_processes", "shard"]

T = TypeVar("T")


def _no_wait() -> None:
    return None


@dataclass(frozen=True)
class Processes:
    """This process's place among ``count`` processes, and a ``wait`` that returns once all reach it.

    ``device`` is the device the launcher gave this process (``None``: choose as usual).

    >>> Processes().is_main, Processes(index=1, count=2).is_main
    (True, False)
    """

    index: int = 0
    count: int = 1
    wait: Callable[[], None] = _no_wait
    device: str | None = None

    def __post_init__(self) -> None:
        if not 0 <= self.index < self.count:
            raise ValueError(f"process index {self.index} is outside 0..{self.count - 1}")

    @property
    def is_main(self) -> bool:
        """Whether this is the first process (the one that plans, repairs and reports)."""
        return self.index == 0


def detect_processes() -> Processes:
    """This process's place: from accelerate's process state when a launcher started several
    processes (``WORLD_SIZE`` > 1), else a single process (accelerate is then not imported).

    On a machine without GPUs the processes share the work over accelerate's CPU backend.

    >>> detect_processes().count if "WORLD_SIZE" not in os.environ else 1
    1
    """
    if int(os.environ.get("WORLD_SIZE", "1") or 1) <= 1:
        return Processes()
    try:
        from accelerate import PartialState
    except ImportError:
        from animagine_prompt.errors import MissingDependencyError

        raise MissingDependencyError("several processes (WORLD_SIZE > 1)") from None
    # Without a GPU, accelerate sets up its CPU (gloo) process group only when asked to
    state = PartialState(cpu=_cpu_only())
    return Processes(
        index=state.process_index,
        count=state.num_processes,
        wait=state.wait_for_everyone,
        device=str(state.device),
    )


def _cpu_only() -> bool:
    from accelerate import utils

    if os.environ.get("ACCELERATE_USE_CPU", "").lower() in ("1", "true", "yes"):
        return True
    checks = ("is_cuda_available", "is_xpu_available", "is_npu_available", "is_mlu_available")
    return not any(getattr(utils, name, lambda: False)() for name in checks)


def shard(items: Sequence[T], processes: Processes) -> list[T]:
    """This process's share of ``items``: every ``count``-th item from its ``index`` on.

    Interleaving (rather than cutting into blocks) keeps the shares within one item of each
    other and lets each process start with the first prompts.

    >>> shard("abcde", Processes(index=0, count=2)), shard("abcde", Processes(index=1, count=2))
    (['a', 'c', 'e'], ['b', 'd'])
    """
    return list(items[processes.index :: processes.count])
