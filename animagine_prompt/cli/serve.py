"""``animagine-prompt serve``: the web editor and generator on http://127.0.0.1:7860 (``docs/webui.md``)."""

from __future__ import annotations

import argparse
import ipaddress
import socket
import sys
from pathlib import Path

from animagine_prompt.errors import MissingDependencyError, UsageError

HELP = "start the web editor (analysis, tag completion, generation) on http://127.0.0.1:7860"

_LOCAL_HOST = "127.0.0.1"
_LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the server's options to ``parser``.

    >>> parser = argparse.ArgumentParser(prog="serve")
    >>> add_arguments(parser)
    >>> args = parser.parse_args(["--port", "8000", "--no-generate", "--tags", "mine.csv"])
    >>> args.host, args.port, args.no_generate, args.tags
    (None, 8000, True, ['mine.csv'])
    """
    server = parser.add_argument_group("server")
    server.add_argument(
        "--host",
        help=f"address to listen on (default {_LOCAL_HOST}: this machine only; any other is open to the network)",
    )
    server.add_argument("--port", type=int, default=7860, help="port (default 7860)")
    server.add_argument("--no-generate", action="store_true", help="prompt-only mode: analysis and completion")
    server.add_argument("--output", default="outputs", metavar="DIR", help="folder images go to (default ./outputs)")
    server.add_argument(
        "--tags",
        action="append",
        metavar="CSV",
        help="tag file merged over the bundled set (repeatable; default: $ANIMAGINE_PROMPT_TAGS, then the config file)",
    )
    server.add_argument("--config", metavar="PATH", help="configuration file (default: the closest one)")
    model = parser.add_argument_group("model (loaded on the first generate request)")
    model.add_argument(
        "--model", help="hub id, diffusers folder or .safetensors file (default Linaqruf/animagine-xl-2.0)"
    )
    model.add_argument(
        "--vae", help="VAE hub id or folder (default madebyollin/sdxl-vae-fp16-fix; 'none': the model's)"
    )
    model.add_argument("--lora-dir", metavar="DIR", help="the folder LoRAs are listed and loaded from")
    model.add_argument("--device", default="auto", help="cuda, mps, cpu or auto (default)")
    model.add_argument("--dtype", default="auto", help="float16, bfloat16, float32 or auto (default)")


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _check_port(host: str, port: int) -> None:
    """Fail with a clear message now rather than with the server's log line after start-up."""
    if not 0 <= port <= 65535:
        raise UsageError(f"--port must be 0 to 65535, not {port}")
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise UsageError(f"--host {host}: not an address of this machine ({exc.strerror})") from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            raise UsageError(f"cannot listen on {host}:{port} ({exc.strerror}): choose another --port") from None


def build_config(args: argparse.Namespace, host: str = _LOCAL_HOST):
    """The :class:`~animagine_prompt.webui.ServerConfig` the options describe."""
    from animagine_prompt.lint import load_settings
    from animagine_prompt.webui import ServerConfig

    settings = load_settings(args.config)
    lora_dir = Path(args.lora_dir).expanduser() if args.lora_dir else settings.lora_dir
    if lora_dir is not None and not Path(lora_dir).is_dir():
        raise UsageError(f"--lora-dir {lora_dir}: no such folder")
    return ServerConfig(
        model=args.model,
        vae=args.vae,
        device=args.device,
        dtype=args.dtype,
        lora_dir=None if lora_dir is None else Path(lora_dir),
        output=Path(args.output).expanduser(),
        tags=tuple(args.tags or ()),
        lint_settings=settings,
        generate=not args.no_generate,
        generate_reason="started with --no-generate" if args.no_generate else None,
        # on this machine only, requests must name it too (no DNS rebinding); elsewhere, any name
        allowed_hosts=tuple(dict.fromkeys((host, *_LOOPBACK_NAMES))) if _is_loopback(host) else (),
    )


def run(args: argparse.Namespace) -> int:
    try:
        import uvicorn

        from animagine_prompt.webui import create_app
    except ImportError as exc:
        raise MissingDependencyError(
            f"serve needs the web extra ({exc.name} is not installed): pip install 'animagine-prompt[webui]'"
        ) from None
    host = args.host or _LOCAL_HOST
    _check_port(host, args.port)
    config = build_config(args, host)
    if not _is_loopback(host):
        print(
            f"warning: listening on {host}: anyone who can reach this machine can use the editor, "
            f"run generations and download the images in {config.output}; there is no login",
            file=sys.stderr,
        )
    app = create_app(config)
    reason = app.state.server.generate_reason
    mode = "generation on" if reason is None else f"prompt-only mode: {reason}"
    shown = f"[{host}]" if ":" in host else host
    print(f"animagine-prompt serve: http://{shown}:{args.port}/ ({mode}); Ctrl+C stops it", file=sys.stderr)
    # On Ctrl+C an open event stream would hold the server until its job ends: wait a little,
    # then the app's shutdown stops the running job at its next step.
    uvicorn.run(app, host=host, port=args.port, log_level="warning", timeout_graceful_shutdown=3)
    return 0
