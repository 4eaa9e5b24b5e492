"""``animagine-prompt serve``: options, the local-only default, the warning for other hosts, a real start."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time

import httpx
import pytest

from animagine_prompt.cli import main


@pytest.fixture
def started(monkeypatch):
    """Runs ``serve`` with uvicorn.run replaced: returns what it would have served."""
    import uvicorn

    seen: dict = {}

    def fake_run(app, host, port, **options):
        seen.update(app=app, host=host, port=port)

    monkeypatch.setattr(uvicorn, "run", fake_run)
    return seen


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_local_only_by_default_without_a_warning(started, capsys):
    port = _free_port()
    assert main(["serve", "--port", str(port), "--no-generate"]) == 0
    assert (started["host"], started["port"]) == ("127.0.0.1", port)
    err = capsys.readouterr().err
    assert f"http://127.0.0.1:{port}/" in err and "prompt-only mode: started with --no-generate" in err
    assert "warning" not in err
    assert started["app"].state.server.config.allowed_hosts == ("127.0.0.1", "localhost", "::1")


def test_another_host_only_when_asked_and_with_a_warning(started, capsys):
    assert main(["serve", "--host", "0.0.0.0", "--port", str(_free_port()), "--no-generate"]) == 0
    assert started["host"] == "0.0.0.0"
    assert "warning: listening on 0.0.0.0: anyone who can reach this machine" in capsys.readouterr().err
    assert started["app"].state.server.config.allowed_hosts == ()


def test_options_reach_the_app(started, tmp_path, loras):
    args = ["serve", "--port", str(_free_port()), "--output", str(tmp_path / "o"), "--lora-dir", str(loras)]
    assert main([*args, "--model", "some/model"]) == 0
    config = started["app"].state.server.config
    assert (config.output, config.lora_dir, config.model) == (tmp_path / "o", loras, "some/model")
    assert started["app"].state.server.lora_names == ("detail", "styles/pastel")


def test_usage_errors_exit_2_with_one_line(capsys, tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert main(["serve", "--port", str(port), "--no-generate"]) == 2
    assert f"cannot listen on 127.0.0.1:{port}" in capsys.readouterr().err
    assert main(["serve", "--port", "70000"]) == 2
    assert "--port must be 0 to 65535" in capsys.readouterr().err
    assert main(["serve", "--port", str(_free_port()), "--lora-dir", str(tmp_path / "none")]) == 2
    err = capsys.readouterr().err
    assert "no such folder" in err and len(err.strip().splitlines()) == 1


def test_a_real_server_answers_and_stops(tmp_path):
    port = _free_port()
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    command = [sys.executable, "-m", "animagine_prompt", "serve", "--port", str(port), "--no-generate"]
    process = subprocess.Popen(command, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                info = httpx.get(f"http://127.0.0.1:{port}/api/info", timeout=5).json()
                break
            except httpx.TransportError:
                assert process.poll() is None, process.stderr.read().decode()
                assert time.monotonic() < deadline, "the server did not answer within 60 s"
                time.sleep(0.1)
        assert info["generate"] is False
        analysed = httpx.post(f"http://127.0.0.1:{port}/api/analyze", json={"prompt": "1girl,, smile"}, timeout=30)
        assert [f["code"] for f in analysed.json()["prompt"]["findings"]] == ["S101"]
    finally:
        process.terminate()
        process.wait(timeout=30)
