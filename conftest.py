"""Collection rules for the whole repository (tests, doctests in the package and docs)."""

import importlib.util
import os

# The tests run tiny random models whose ops take microseconds: a second intra-op thread only adds
# hand-offs, and on a busy machine every op waits for a thread that has no core (the pipeline tests
# ran 3x faster with one). Set before torch is imported; subprocesses inherit it; a value given wins.
os.environ.setdefault("OMP_NUM_THREADS", "1")

# The generation layers import torch and diffusers at their top: without the `generate` extra
# their doctests and docs cannot even be collected, so they are skipped rather than failing.
collect_ignore_glob = []
if importlib.util.find_spec("torch") is None or importlib.util.find_spec("diffusers") is None:
    collect_ignore_glob += [
        "animagine_prompt/encode/*",
        "animagine_prompt/pipeline/*",
        "docs/embeddings.md",
        "docs/generate.md",
        "tests/encode/*",
        "tests/pipeline/*",
        "animagine_prompt/webui/_preview.py",
    ]
# The web app needs the `webui` extra (FastAPI); without it, its modules cannot be collected.
if importlib.util.find_spec("fastapi") is None or importlib.util.find_spec("httpx") is None:
    collect_ignore_glob += ["animagine_prompt/webui/*", "docs/webui.md", "tests/web/*"]


def pytest_terminal_summary(terminalreporter, exitstatus, config):  # noqa: ARG001 - pytest's hook signature
    """One line per reason tests were skipped, so a short run says what it left out and why."""
    reasons: dict[str, int] = {}
    for report in terminalreporter.stats.get("skipped", []):
        longrepr = report.longrepr
        reason = longrepr[2] if isinstance(longrepr, tuple) else str(longrepr)
        reason = reason.removeprefix("Skipped: ")
        reasons[reason] = reasons.get(reason, 0) + 1
    if reasons:
        terminalreporter.write_line("skipped, by reason:")
        for reason, count in sorted(reasons.items(), key=lambda item: -item[1]):
            terminalreporter.write_line(f"  {count:4d}  {reason}")
