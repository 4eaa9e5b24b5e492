"""The web app in real headless Chromium: the real server on a free port, Playwright driving the page.

The browser is Debian's ``chromium-headless-shell`` (``CHROMIUM`` overrides the path); tests skip,
saying why, only where Playwright or a browser is missing.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

playwright_api = pytest.importorskip("playwright.sync_api", reason="the browser tests need `pip install playwright`")
pytest.importorskip("uvicorn", reason="the browser tests need the webui extra")

CHROMIUM_PATHS = ("/usr/bin/chromium-headless-shell", "/usr/bin/chromium", "/usr/bin/chromium-browser")


def _chromium() -> str | None:
    if os.environ.get("CHROMIUM"):
        return os.environ["CHROMIUM"]
    for path in CHROMIUM_PATHS:
        if Path(path).exists():
            return path
    return shutil.which("chromium-headless-shell")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Served:
    """An ASGI app served by uvicorn in a thread; ``url`` is its address."""

    def __init__(self, app) -> None:
        import uvicorn

        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="on")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> Served:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the web app did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Iterator:
    path = _chromium()
    if path is None:
        pytest.skip("no Chromium: `apt-get install chromium-headless-shell` (or set CHROMIUM)")
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=path, args=["--no-sandbox"])
        yield browser
        browser.close()


def open_page(browser, url: str):
    """A fresh page on ``url`` once the server's settings have filled the form; a page error, or a
    request to anywhere but the server, fails the test."""
    context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    # the page asks nothing of any other server
    page.on(
        "request",
        lambda request: (
            None
            if request.url.startswith((f"{url}/", "data:", "blob:"))
            else errors.append(f"request to {request.url}")
        ),
    )
    page.goto(url)
    # the first analysis (of the empty editors) has been shown: the page is wired up
    playwright_api.expect(page.locator("#prompt")).to_have_attribute("data-state", "ready")
    page.errors = errors  # type: ignore[attr-defined]
    return page


def close_page(page) -> None:
    errors = page.errors
    page.context.close()
    assert not errors, f"the page raised: {errors}"


def _tiny_loader(model: Path):
    def load_tiny():
        from animagine_prompt.pipeline import load

        pipe = load(str(model), vae=None, device="cpu", dtype="fp32")
        pipe.pipe.set_progress_bar_config(disable=True)
        return pipe

    return load_tiny


@pytest.fixture(scope="session")
def prompt_only_url() -> Iterator[str]:
    """The address of a server in prompt-only mode."""
    from animagine_prompt.webui import ServerConfig, create_app

    app = create_app(ServerConfig(generate=False, generate_reason="started with --no-generate"))
    with Served(app) as served:
        yield served.url


@pytest.fixture(scope="session")
def generating_url(tiny_model, loras, tmp_path_factory) -> Iterator[str]:
    """The address of a server that generates with the tiny random SDXL pipeline."""
    from animagine_prompt.webui import ServerConfig, create_app

    config = ServerConfig(
        output=tmp_path_factory.mktemp("web-out"),
        lora_dir=loras,
        pipeline_factory=_tiny_loader(tiny_model),
        model="tiny-sdxl",
    )
    with Served(create_app(config)) as served:
        yield served.url


@pytest.fixture
def page(browser, prompt_only_url):
    page = open_page(browser, prompt_only_url)
    yield page
    close_page(page)


@pytest.fixture
def gen_page(browser, generating_url):
    page = open_page(browser, generating_url)
    yield page
    close_page(page)
