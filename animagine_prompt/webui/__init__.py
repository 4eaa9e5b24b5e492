"""The web app behind ``animagine-prompt serve``: an editor page and a JSON API over the same
analysis, presets, tag database and pipeline the command line uses (``docs/webui.md``).

This package imports FastAPI (the ``webui`` extra) at its top; nothing else in the package imports
it, so ``import animagine_prompt`` and the other commands never load the web stack. Generation
runs in one worker thread, one job at a time, and loads the model on the first job.

>>> from fastapi.testclient import TestClient
>>> from animagine_prompt.webui import ServerConfig, create_app
>>> with TestClient(create_app(ServerConfig(generate=False))) as client:
...     client.get("/api/complete", params={"q": "blond h"}).json()["items"][0]["label"]
'blonde hair'
"""

from __future__ import annotations

from animagine_prompt.webui._app import create_app
from animagine_prompt.webui._config import ServerConfig

__all__ = ["ServerConfig", "create_app"]
