"""Prompts nested far deeper than Python's recursion limit: the preview still answers.

Each case runs in a child process whose address space is capped, so a walk that recursed or
kept a copy of the enclosing groups per node (quadratic memory) fails here instead of taking
the machine down.
"""

import resource
import subprocess
import sys

import pytest

SCRIPT = """
import contextlib, io, sys
from animagine_prompt.cli import main
out = io.StringIO()
with contextlib.redirect_stdout(out):
    code = main(["preview", {text}, "--width", "80"])
print(code)
print(out.getvalue())
"""
MEMORY = 3 << 30  # bytes of address space: the 100,000-bracket preview needs well under a gigabyte


def _cap_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("'(' * 5000 + 'a'", "S001"),  # a tag under 5,000 open groups
        ("'[' * 100000", "and 99,801 more"),  # 100,000 open groups, one finding each
    ],
)
def test_deep_nesting_answers(text, shown):
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT.format(text=text)],
        capture_output=True,
        text=True,
        timeout=600,
        preexec_fn=_cap_memory,
    )
    assert "RecursionError" not in done.stderr
    assert done.returncode == 0, done.stderr[-3000:]
    code, _, out = done.stdout.partition("\n")
    assert code == "0"
    assert out.startswith("prompt: ") and shown in out
