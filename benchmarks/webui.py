"""The web server's costs, each against a baseline measured in the same run.

Run by hand from the repository root::

    python benchmarks/webui.py                 # everything (generation needs the generate extra)
    python benchmarks/webui.py --parts startup,api   # without generation (no generate extra needed)

- start-up: ``animagine-prompt serve --no-generate`` from launch to its first ``/api/info``
  answer and to its first ``/api/analyze`` answer, against ``animagine-prompt lint PROMPT`` (the
  command people already run in editors) launched the same way, alternately, median of rounds,
  in CPU seconds of the process (Linux) and in wall time (which, on a shared machine, mostly
  measures the other work);
- analysis: ``POST /api/analyze`` on each of the real prompts of ``../shared`` (prompt and
  negative) through the app in this process, timed on the server (its ``Server-Timing`` header:
  request parsing and checks, the analysis, JSON out) and as a round trip through the test
  client, against ``analyze(...).to_json(units="utf-16")`` called directly, alternately, p50 and
  p95 (target: server side p95 <= 50 ms);
- completion: ``GET /api/complete`` on prefixes of the items of those prompts, the same way,
  against ``TagDatabase.complete`` called directly (target: server side p95 <= 30 ms);
- generation: one job through ``animagine-prompt serve`` running in its own process (HTTP, queue,
  worker thread, previews, events, PNG with metadata written), from ``/api/generate`` to its
  ``done`` event, against ``generate`` with the same settings plus writing its PNG in another
  process, on the tiny random SDXL pipeline of the tests, torch on one thread in both; in pairs
  whose order alternates, after two warm-up rounds of each; the median of the per-pair ratios
  (target <= 1.05) in wall time, in CPU time of the process that generated, and in CPU time of
  the thread that generated (the server's worker, against this process): the rest of the
  server's CPU time is HTTP and events, printed per job.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT.parent / "shared" / "data" / "real-prompts.jsonl"
LINT_PROMPT = "masterpiece, best quality, 1girl, green hair, sweater, looking at viewer, upper body"


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _real_rows() -> list[dict]:
    if not REAL.exists():
        sys.exit(f"{REAL} is not available: the analysis and completion figures need it")
    return [json.loads(line) for line in REAL.read_text(encoding="utf-8").splitlines() if line.strip()]


# -- start-up ---------------------------------------------------------------------------------------


def _cpu_of(pid: int) -> float:
    """CPU seconds (user + system) a running process has used so far (Linux ``/proc``)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _serve_once() -> tuple[float, float, float, float]:
    import httpx

    started = time.perf_counter()
    with _serve_process(["serve", "--no-generate"], {}, Path(tempfile.gettempdir())) as (url, pid):
        first, first_cpu = time.perf_counter() - started, _cpu_of(pid)
        httpx.post(f"{url}/api/analyze", json={"prompt": LINT_PROMPT}, timeout=60)
        analysed, analysed_cpu = time.perf_counter() - started, _cpu_of(pid)
    return first, analysed, first_cpu, analysed_cpu


def _lint_once() -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "animagine_prompt", "lint", LINT_PROMPT],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=False,
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return time.perf_counter() - started, cpu


def startup(rounds: int) -> None:
    serve: list[tuple[float, float, float, float]] = []
    lint: list[tuple[float, float]] = []
    for _ in range(rounds):
        serve.append(_serve_once())
        lint.append(_lint_once())
    first, analysed, first_cpu, analysed_cpu = (statistics.median(column) for column in zip(*serve, strict=True))
    lint_wall, lint_cpu = (statistics.median(column) for column in zip(*lint, strict=True))
    print(
        f"start-up (median of {rounds}), CPU: serve -> first answer {_ms(first_cpu)}, -> first analysis "
        f"{_ms(analysed_cpu)}; a lint run {_ms(lint_cpu)}; ratios {first_cpu / lint_cpu:.2f}x and "
        f"{analysed_cpu / lint_cpu:.2f}x. Wall: {_ms(first)}, {_ms(analysed)}; lint {_ms(lint_wall)}"
    )


# -- analysis and completion ---------------------------------------------------------------------


def analysis_and_completion(rows: list[dict], max_queries: int) -> None:
    from fastapi.testclient import TestClient

    from animagine_prompt.analysis import analyze
    from animagine_prompt.webui import ServerConfig, create_app

    app = create_app(ServerConfig(generate=False), warm_up=False)
    with TestClient(app) as client:
        state = app.state.server
        state.warm_up()
        server, trip, direct = [], [], []
        for row in rows:
            body = {"prompt": row["prompt"], "negative": row.get("negative")}
            started = time.perf_counter()
            response = client.post("/api/analyze", json=body)
            trip.append(time.perf_counter() - started)
            server.append(_server_seconds(response))
            assert response.status_code == 200, response.text
            started = time.perf_counter()
            analyze(row["prompt"], row.get("negative"), linter=state.linter).to_json(units="utf-16")
            direct.append(time.perf_counter() - started)
        _report(f"analysis ({len(rows)} real prompts)", server, trip, direct, target=0.050)

        queries = []
        for row in rows:
            for item in row["prompt"].replace("\n", ",").split(","):
                item = item.strip()
                queries += [item[:n] for n in range(1, min(len(item), 12) + 1, 3)]
        queries = [q for q in queries if q.strip()][:max_queries]
        database = state.database()
        server, trip, direct = [], [], []
        for q in queries:
            started = time.perf_counter()
            response = client.get("/api/complete", params={"q": q})
            trip.append(time.perf_counter() - started)
            server.append(_server_seconds(response))
            assert response.status_code == 200, response.text
            started = time.perf_counter()
            database.complete(q.lstrip(" \t([{").rstrip(), 10)
            direct.append(time.perf_counter() - started)
        _report(f"completion ({len(queries)} prefixes)", server, trip, direct, target=0.030)


def _server_seconds(response) -> float:
    timing = response.headers["server-timing"]  # app;dur=12.34 (milliseconds)
    return float(timing.split("dur=")[1]) / 1000


def _report(what: str, server: list[float], trip: list[float], direct: list[float], *, target: float) -> None:
    p50, p95 = _pct(server, 0.5), _pct(server, 0.95)
    d50, d95 = _pct(direct, 0.5), _pct(direct, 0.95)
    verdict = "within" if p95 <= target else "OVER"
    print(
        f"{what}: server side p50 {_ms(p50)} p95 {_ms(p95)} ({verdict} the {_ms(target)} target); "
        f"round trip p50 {_ms(_pct(trip, 0.5))} p95 {_ms(_pct(trip, 0.95))}; "
        f"direct call p50 {_ms(d50)} p95 {_ms(d95)}; server/direct p50 {p50 / d50:.2f}x, p95 {p95 / d95:.2f}x"
    )


# -- generation ----------------------------------------------------------------------------------------


def generation(rounds: int, steps: int, threads: int) -> None:
    import importlib.util
    import multiprocessing

    import httpx

    from animagine_prompt.webui import ServerConfig, create_app
    from animagine_prompt.webui._generation import job_request
    from animagine_prompt.webui._schemas import GenerateBody

    path = ROOT / "tests" / "encode" / "_factory.py"
    spec = importlib.util.spec_from_file_location("sdxl_factory", path)
    assert spec is not None and spec.loader is not None
    factory = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(factory)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        factory.tiny_sdxl_pipeline(folder)
        model = folder / "pipeline"
        out = folder / "out"
        body = {"prompt": LINT_PROMPT, "negative": "lowres", "size": "64x64", "steps": steps, "seed": 1}
        # the baseline makes the very call the job makes: the prompts and settings the server
        # builds and resolves (checked below against what its image event says it used)
        job = job_request(GenerateBody(**body), create_app(ServerConfig(generate=False)).state.server)
        call = {
            **{"prompt": job.prompt, "negative_prompt": job.negative, "quality": "none", "style": "none"},
            **{"size": (job.width, job.height), "steps": job.steps, "guidance": job.guidance, "seed": job.seed},
            "sampler": job.sampler,
        }
        # `serve` in its own process, as people run it (the model loaded by its first job), and the
        # baseline in another, each with its own copy of the model; this process is the client of
        # both, as the browser is. One torch thread in both: on a busy machine torch's pool spins
        # and waits for its threads, which moves a job's time by tens of percent from run to run.
        serve = [
            *("serve", "--model", str(model), "--vae", "none", "--device", "cpu", "--dtype", "float32"),
            *("--output", str(out)),
        ]
        context = multiprocessing.get_context("spawn")
        ours, theirs = context.Pipe()
        baseline_process = context.Process(target=_plain_worker, args=(theirs, str(model), str(out), threads))
        baseline_process.start()
        with (
            _serve_process(serve, {"OMP_NUM_THREADS": str(threads)}, folder) as (url, pid),
            httpx.Client(base_url=url, timeout=300) as client,
        ):

            def through_server() -> tuple[float, float, float, dict]:
                started, cpu = time.perf_counter(), _threads_cpu_of(pid)
                job = client.post("/api/generate", json=body).json()["job"]
                settings: dict = {}
                with client.stream("GET", f"/api/jobs/{job}/events") as response:
                    last = ""
                    for line in response.iter_lines():
                        if line.startswith("event: "):
                            last = line
                        elif line.startswith("data: ") and last == "event: image":
                            settings = json.loads(line[6:])["settings"]
                assert last == "event: done", last
                wall = time.perf_counter() - started
                threads = [used - cpu.get(tid, 0.0) for tid, used in _threads_cpu_of(pid).items()]
                # the thread that generated is the one that worked most; the others answer HTTP and send events
                return wall, sum(threads), max(threads), settings

            def plain() -> tuple[float, float, float]:
                started = time.perf_counter()
                ours.send(call)
                process_cpu, thread_cpu = ours.recv()
                return time.perf_counter() - started, process_cpu, thread_cpu

            assert ours.recv() == "ready"
            used = through_server()[3]
            assert (used["sampler"], used["guidance"], used["steps"]) == (job.sampler, job.guidance, job.steps), used

            # Pairs, their order alternating (server first, then baseline first): a machine that
            # slows down or speeds up mid-run moves both halves of a pair, and the ratio of each
            # pair keeps what the server adds; the median of those ratios ignores the pairs another
            # process hit.
            pairs: list[tuple[tuple[float, ...], tuple[float, ...]]] = []
            for _ in range(2):  # warm both
                through_server()
                plain()
            for n in range(rounds):
                if n % 2 == 0:
                    served = through_server()[:3]
                    pairs.append((served, plain()))
                else:
                    baseline = plain()
                    pairs.append((through_server()[:3], baseline))
        ours.send(None)
        baseline_process.join(60)
    print(
        f"generation (tiny SDXL, 64x64, {steps} steps, {rounds} interleaved pairs, {threads} torch thread(s)): a job "
        f"through `serve` against generate + PNG written, each in its own process; medians, and the median of the "
        f"per-pair ratios with its quartiles (target <= 1.05x)"
    )
    for i, what in enumerate(("wall time, whole job", "CPU time of the process", "CPU time, generating thread")):
        ratios = [served[i] / baseline[i] for served, baseline in pairs]
        q1, _, q3 = statistics.quantiles(ratios, n=4)
        s = statistics.median(served[i] for served, _ in pairs)
        p = statistics.median(baseline[i] for _, baseline in pairs)
        print(
            f"  {what + ':':29} server {_ms(s):>9}, baseline {_ms(p):>9}; ratio {statistics.median(ratios):.3f}x "
            f"(quartiles {q1:.3f}x to {q3:.3f}x)"
        )
    rest = statistics.median(served[1] - served[2] for served, _ in pairs)
    print(f"  the server's other threads (HTTP, events): {_ms(rest)} of CPU per job")
    print(f"load average: {', '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")


def _plain_worker(connection: Any, model: str, out: str, threads: int) -> None:
    """The baseline's process: loads the pipeline as ``serve`` does, then for each call it is sent
    (``generate``'s arguments; ``None`` ends it) generates, writes the PNG and answers its CPU
    seconds, of the process and of this thread."""
    os.environ["OMP_NUM_THREADS"] = str(threads)  # as serve gets it, before torch is imported

    from animagine_prompt._files import write_atomic
    from animagine_prompt.pipeline import load

    pipe = load(model, vae=None, device="cpu", dtype="float32")
    pipe.pipe.set_progress_bar_config(disable=True)
    connection.send("ready")
    while (call := connection.recv()) is not None:
        cpu, thread = time.process_time(), time.thread_time()
        result = pipe.generate(**call)
        write_atomic(Path(out) / "plain.png", result.png(0, model=model))
        connection.send((time.process_time() - cpu, time.thread_time() - thread))


def _threads_cpu_of(pid: int) -> dict[int, float]:
    """CPU seconds each thread of a running process has used so far, to the nanosecond (Linux
    ``schedstat``; ``/proc/PID/stat`` counts in 10 ms ticks, a few percent of a tiny job)."""
    used = {}
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            used[int(task.name)] = int((task / "schedstat").read_text().split()[0]) / 1e9
        except (OSError, ValueError):  # a thread that ended between the listing and the read
            pass
    return used


@contextmanager
def _serve_process(arguments: list[str], env: dict[str, str], cwd: Path) -> Iterator[tuple[str, int]]:
    """``animagine-prompt ARGUMENTS --port N`` running in ``cwd``; yields its address and process id."""
    import httpx

    port = _free_port()
    command = [sys.executable, "-m", "animagine_prompt", *arguments, "--port", str(port)]
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=cwd, env={**os.environ, **env}
    )
    url = f"http://127.0.0.1:{port}"
    try:
        while True:
            try:
                httpx.get(f"{url}/api/info", timeout=10)
                break
            except httpx.TransportError:
                if process.poll() is not None:
                    sys.exit("serve exited before answering")
                time.sleep(0.005)  # start-up is timed to the first answer
        yield url, process.pid
    finally:
        process.terminate()
        process.wait(60)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--parts", default="startup,api,generate", help="what to measure: startup, api, generate (default all)"
    )
    parser.add_argument("--rounds", type=int, default=5, help="start-up rounds (default 5)")
    parser.add_argument("--pairs", type=int, default=30, help="generation pairs (default 30)")
    parser.add_argument("--threads", type=int, default=1, help="torch threads while generating (default 1)")
    parser.add_argument("--steps", type=int, default=8, help="sampling steps per generation (default 8)")
    parser.add_argument("--queries", type=int, default=2000, help="most completion requests (default 2000)")
    args = parser.parse_args()
    os.chdir(ROOT)
    parts = set(args.parts.split(","))
    if "startup" in parts:
        startup(args.rounds)
    if "api" in parts:
        analysis_and_completion(_real_rows(), args.queries)
    if "generate" in parts:
        generation(args.pairs, args.steps, args.threads)


if __name__ == "__main__":
    main()
