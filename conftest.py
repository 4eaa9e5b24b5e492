"""Collection rules for the whole repository (tests, doctests in the package and docs)."""

import importlib.util

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
