"""``create_app(config)``: the FastAPI app, its limits and its error handling."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from animagine_prompt._version import __version__
from animagine_prompt.errors import AnimaginePromptError, MissingDependencyError, ModelNotFoundError
from animagine_prompt.webui._config import ServerConfig
from animagine_prompt.webui._state import ServerState

__all__ = ["STATIC_DIR", "BodyLimit", "HostCheck", "ServerTiming", "create_app"]

log = logging.getLogger("animagine_prompt.webui")

#: The built page (index.html, app.js, app.css), shipped inside the package.
STATIC_DIR = Path(__file__).resolve().parent / "static"
# Paths whose body is a PNG, bounded by png_bytes rather than body_bytes.
_PNG_PATHS = frozenset({"/api/read-png"})


class BodyLimit:
    """Refuse a request body over the limit with 413, by its Content-Length or, without one, as it
    arrives: nothing over the limit is read into memory."""

    def __init__(self, app: ASGIApp, config: ServerConfig) -> None:
        self.app = app
        self.config = config

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        png = scope["path"] in _PNG_PATHS
        limit = self.config.png_bytes if png else self.config.body_bytes
        message = f"the {'PNG' if png else 'request body'} is over the limit of {limit:,} bytes: send less"
        for key, value in scope.get("headers", ()):
            if key == b"content-length":
                declared = int(value) if value.isdigit() else -1
                if not 0 <= declared <= limit:
                    response = JSONResponse({"detail": message}, status_code=413)
                    await response(scope, receive, send)
                    return
        received = 0

        async def counted() -> Message:
            nonlocal received
            got = await receive()
            if got["type"] == "http.request":
                received += len(got.get("body", b""))
                if received > limit:
                    # an HTTPException: FastAPI passes it on from reading the body, and answers it
                    raise HTTPException(413, message)
            return got

        await self.app(scope, counted, send)


class ServerTiming:
    """Add ``Server-Timing: app;dur=MS`` to every response: the time from the request's arrival to
    its response headers, what browsers' network panels and ``benchmarks/webui.py`` read."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()

        async def timed(message: Message) -> None:
            if message["type"] == "http.response.start":
                took = (time.perf_counter() - started) * 1000
                message["headers"] = [*message.get("headers", ()), (b"server-timing", f"app;dur={took:.2f}".encode())]
            await send(message)

        await self.app(scope, receive, timed)


class HostCheck:
    """Refuse requests addressed to a host name not in ``allowed_hosts`` (400, JSON)."""

    def __init__(self, app: ASGIApp, allowed: tuple[str, ...]) -> None:
        self.app = app
        self.allowed = frozenset(h.lower() for h in allowed)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and self.allowed:
            header = next((v.decode("latin-1") for k, v in scope.get("headers", ()) if k == b"host"), "")
            name = _host_name(header)
            if name not in self.allowed:
                detail = f"this server answers to {', '.join(sorted(self.allowed))}, not {name or 'no host'!r}"
                await JSONResponse({"detail": detail}, status_code=400)(scope, receive, send)
                return
        await self.app(scope, receive, send)


def _host_name(header: str) -> str:
    """``127.0.0.1:7860`` -> ``127.0.0.1``, ``[::1]:7860`` -> ``::1``, lower-cased."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1:].split("]", 1)[0]
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


def _validation_message(exc: RequestValidationError) -> str:
    """One line for the first problem pydantic found: where it is and what is wrong."""
    errors = exc.errors()
    if not errors:
        return "the request is not valid"
    first = errors[0]
    where = ".".join(str(part) for part in first.get("loc", ()) if part != "body") or "body"
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return f"{where}: {first.get('msg', 'not valid')}{more}"


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse({"detail": _validation_message(exc)}, status_code=422)

    @app.exception_handler(AnimaginePromptError)
    async def refused(request: Request, exc: AnimaginePromptError) -> JSONResponse:
        # the package's own errors say what to change; a model or extra that is missing is the server's
        status = 503 if isinstance(exc, (ModelNotFoundError, MissingDependencyError)) else 400
        return JSONResponse({"detail": str(exc)}, status_code=status)

    @app.exception_handler(Exception)
    async def failed(request: Request, exc: Exception) -> JSONResponse:
        log.error("%s %s failed", request.method, request.url.path, exc_info=exc)
        detail = f"the server failed on this request ({type(exc).__name__}); the server log has the details"
        return JSONResponse({"detail": detail}, status_code=500)


def create_app(config: ServerConfig | None = None, *, warm_up: bool = True) -> FastAPI:
    """The web app for ``config``. ``warm_up`` loads the tag database and presets in a background
    thread at start-up, so the first analysis does not wait for them and start-up does not either.

    >>> from fastapi.testclient import TestClient
    >>> with TestClient(create_app(ServerConfig(generate=False))) as client:
    ...     client.get("/api/info").json()["generate"]
    False
    """
    config = config or ServerConfig()
    state = ServerState(config)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if warm_up:
            threading.Thread(target=state.warm_up, name="animagine-warm-up", daemon=True).start()
        try:
            yield
        finally:
            state.close()

    app = FastAPI(
        title="animagine-prompt",
        version=__version__,
        description="Prompt analysis, tag completion and generation for Animagine XL (docs/webui.md).",
        lifespan=lifespan,
    )
    app.state.server = state
    _install_error_handlers(app)

    from animagine_prompt.webui._generation import router as generation
    from animagine_prompt.webui._prompting import router as prompting

    app.include_router(prompting)
    app.include_router(generation)

    @app.get("/", include_in_schema=False)
    def index() -> Any:
        page = STATIC_DIR / "index.html"
        if not page.is_file():
            raise HTTPException(
                404, "the page is not built: run `npm ci && npm run build` in webui-client/ (the API works without it)"
            )
        return FileResponse(page, media_type="text/html")

    app.mount("/static", StaticFiles(directory=STATIC_DIR, check_dir=False), name="static")
    app.add_middleware(BodyLimit, config=config)
    app.add_middleware(HostCheck, allowed=config.allowed_hosts)
    app.add_middleware(ServerTiming)
    return app
