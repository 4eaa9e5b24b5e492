"""The web editor in a real browser: analysis round trip as a user sees it, and page weight.

    python benchmarks/webui_browser.py [--prompts N] [--chromium PATH]

Starts the real server (prompt-only, uvicorn in a thread) and Debian's headless Chromium through
Playwright, then for each prompt of ``../shared/data/real-prompts.jsonl`` (or the generated corpus)
pastes it over the editor's text (the clipboard and Ctrl+V, as a user does), then types one key at
its end, and measures each edit inside the page, from its ``paste`` or ``beforeinput`` event to the
moment the editor's ``data-state`` turns ``ready`` (the analysis of that text shown: squiggles,
colours, counters). For a key that includes the 80 ms debounce (a paste is a finished edit and is
sent at once), then the HTTP request, the server's analysis and drawing; the client's User Timing
marks split it.
The baseline, measured in the same run on the same prompts, is the bare
``POST /api/analyze`` from Python to the same server; the difference is what the page adds.
Target: p95 <= 150 ms. Page weight: index.html + app.js + app.css gzip-compressed, target <= 400 KB.
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import os
import random
import statistics
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _corpus import make_prompt  # noqa: E402

REAL_PROMPTS = ROOT.parent / "shared" / "data" / "real-prompts.jsonl"
STATIC = ROOT / "animagine_prompt" / "webui" / "static"

# records, in the page, when an edit starts and when its analysis is shown
PROBE = """() => {
  const editor = document.getElementById("prompt");
  window.__edit = 0;
  window.__shown = 0;
  const edited = () => { window.__edit = performance.now(); window.__shown = 0; };
  // the editor takes a paste from the paste event, before any beforeinput
  document.addEventListener("paste", edited, true);
  document.addEventListener("beforeinput", edited, true);
  new MutationObserver(() => {
    if (editor.dataset.state === "ready" && window.__edit && !window.__shown) window.__shown = performance.now();
  }).observe(editor, { attributes: true, attributeFilter: ["data-state"] });
}"""


# the whole round trip; its part before the request left (debounce, editor work, a late timer);
# drawing: from the parsed response to the analysis shown; the server's own time (its
# Server-Timing header, through Resource Timing); and the response's wait for the page: from its
# last byte to the parsed JSON (parsing, and the page's main thread busy drawing the edit itself)
SPLIT = """() => {
  const at = (name) => performance.getEntriesByName(name).pop().startTime;
  const drawing = at("analysis-shown") - at("analysis-received");
  const entry = performance.getEntriesByType("resource").filter((e) => e.name.endsWith("/api/analyze")).pop();
  performance.clearResourceTimings();
  const server = entry.serverTiming.find((t) => t.name === "app").duration;
  const waiting = at("analysis-received") - entry.responseEnd;
  return [window.__shown - window.__edit, at("analysis-sent") - window.__edit, drawing, server, waiting];
}"""


def _browser_tests():
    path = ROOT / "tests" / "web" / "browser" / "conftest.py"
    spec = importlib.util.spec_from_file_location("animagine_prompt_bench_browser", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _prompts(n: int) -> list[str]:
    if REAL_PROMPTS.exists():
        lines = REAL_PROMPTS.read_text(encoding="utf-8").splitlines()
        prompts = [json.loads(line)["prompt"] for line in lines if line.strip()]
    else:
        rng = random.Random(16)
        prompts = [make_prompt(rng) for _ in range(n)]
    # the editor keeps one line per line; all texts are distinct so each edit changes the document
    return list(dict.fromkeys(p for p in prompts if p.strip()))[:n]


def _percentiles(values: list[float]) -> tuple[float, float]:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered), p95


def _api_round_trip(url: str, prompt: str) -> float:
    body = json.dumps({"prompt": prompt, "negative": "", "presets": {}}).encode()
    request = urllib.request.Request(f"{url}/api/analyze", body, {"Content-Type": "application/json"})
    start = time.perf_counter()
    with urllib.request.urlopen(request) as response:
        response.read()
    return (time.perf_counter() - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prompts", type=int, default=231)
    parser.add_argument("--chromium", default="/usr/bin/chromium-headless-shell")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    from animagine_prompt.webui import ServerConfig, create_app

    Served = _browser_tests().Served  # the browser tests' server runner

    weight = sum(len(gzip.compress((STATIC / n).read_bytes(), 9)) for n in ("index.html", "app.js", "app.css"))
    print(f"page weight: {weight / 1024:.1f} KB gzip (budget 400 KB, {weight / (400 * 1024):.2f}x of it)")

    prompts = _prompts(args.prompts)
    app = create_app(ServerConfig(generate=False, generate_reason="benchmark"))
    with Served(app) as served, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=args.chromium, args=["--no-sandbox"])
        page = browser.new_context(permissions=["clipboard-read", "clipboard-write"]).new_page()
        url = served.url
        page.goto(url)
        page.wait_for_function("document.getElementById('prompt').dataset.state === 'ready'")
        page.evaluate(PROBE)
        content = page.locator("#prompt .cm-content")
        content.click()
        for prompt in prompts[:5]:  # warm-up: the server's caches and the browser's JIT
            _api_round_trip(url, prompt)
        runs: dict[str, tuple[list[float], ...]] = {kind: ([], [], [], [], []) for kind in ("paste", "key")}
        api_ms = []

        def timed(kind: str) -> None:
            page.wait_for_function("window.__shown > window.__edit")
            for values, value in zip(runs[kind], page.evaluate(SPLIT), strict=True):
                values.append(value)

        for prompt in prompts:
            api_ms.append(_api_round_trip(url, prompt))
            page.evaluate("(text) => navigator.clipboard.writeText(text)", prompt)
            page.keyboard.press("Control+a")
            page.keyboard.press("Control+v")  # a whole prompt pasted over the last one
            timed("paste")
            page.keyboard.press("Control+End")
            page.keyboard.type(",")  # one keystroke at its end
            timed("key")
        browser.close()

    a50, a95 = _percentiles(api_ms)
    source = "real-prompts.jsonl" if REAL_PROMPTS.exists() else "generated corpus"
    print(f"{len(prompts)} prompts from {source}, one run, wall time (ms):")
    print(f"{'':40} {'p50':>8} {'p95':>8}")
    print(f"{'POST /api/analyze from Python (baseline)':40} {a50:8.1f} {a95:8.1f}")
    for kind, label in (("paste", "prompt pasted -> shown in the page"), ("key", "one key typed -> shown in the page")):
        total, waiting, drawing, server, parsing = runs[kind]
        t50, t95 = _percentiles(total)
        print(f"{label:40} {t50:8.1f} {t95:8.1f}   ratio to baseline {t50 / a50:.2f}x / {t95 / a95:.2f}x")
        for part, values in (
            ("  edit -> request sent", waiting),
            ("  request sent -> shown", [t - w for t, w in zip(total, waiting, strict=True)]),
            ("    of which the server (Server-Timing)", server),
            ("    of which last byte -> parsed", parsing),
            ("    of which response parsed -> shown", drawing),
        ):
            print(f"{part:40} {_percentiles(values)[0]:8.1f} {_percentiles(values)[1]:8.1f}")
        print(f"  p95 {t95:.0f} ms against the 150 ms target: {'within' if t95 <= 150 else 'OVER'}")
    print(f"load average during the run: {', '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
