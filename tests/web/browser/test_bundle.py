"""The committed client bundle: built from webui-client/, self-contained, licensed, light."""

import gzip
import json
import re
from html.parser import HTMLParser
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
STATIC = REPO / "animagine_prompt" / "webui" / "static"
CLIENT = REPO / "webui-client"

# the ids docs/webui.md promises (the browser tests and users' scripts find the page by them)
PAGE_IDS = set(
    "prompt negative prompt-chunks negative-chunks fix-all built-prompt built-negative quality style "
    "negative-preset size sampler steps guidance seed num-images hires loras generate stop progress gallery "
    "mode-note drop-status".split()
)


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: dict[str, dict[str, str | None]] = {}
        self.refs: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if "id" in attributes:
            self.ids[attributes["id"] or ""] = attributes
        for key in ("src", "href"):
            if attributes.get(key):
                self.refs.append(attributes[key] or "")


def _page() -> _Page:
    page = _Page()
    page.feed((STATIC / "index.html").read_text(encoding="utf-8"))
    return page


def test_the_page_has_every_element_the_contract_names():
    page = _page()
    assert PAGE_IDS <= set(page.ids)
    for editor in ("prompt", "negative"):
        assert page.ids[editor]["data-state"] == "idle"
        assert page.ids[editor]["data-findings"] == "0"
    assert page.ids["progress"]["data-state"] == "idle"
    assert page.ids["drop-status"]["data-state"] == "idle"


def test_the_page_loads_only_its_own_files():
    assert _page().refs == ["/static/app.css", "/static/app.js"]
    for name in ("app.js", "app.css"):
        text = (STATIC / name).read_text(encoding="utf-8")
        # an SVG namespace is a name, not a request
        urls = set(re.findall(r"(?:https?:)?//[\w.-]+\.[a-z]{2,}[^\s\"'`)]*", text)) - {"http://www.w3.org/2000/svg"}
        assert not urls, f"{name} refers to other origins: {sorted(urls)[:5]}"


def test_every_bundled_package_has_its_licence_notice():
    licences = (STATIC / "LICENSES.txt").read_text(encoding="utf-8")
    lock = json.loads((CLIENT / "package-lock.json").read_text(encoding="utf-8"))
    runtime = {
        path.removeprefix("node_modules/"): meta["version"]
        for path, meta in lock["packages"].items()
        if path.startswith("node_modules/") and not meta.get("dev")
    }
    # "name version (licence)" heads each notice; the build lists what esbuild put in the bundle
    listed = dict(re.findall(r"^((?:@[\w.-]+/)?[\w.-]+) (\d[\w.+-]*) \(", licences, flags=re.M))
    direct = json.loads((CLIENT / "package.json").read_text(encoding="utf-8"))["dependencies"]
    assert set(direct) <= set(listed), "a package the client imports has no notice"
    for name, version in listed.items():
        assert runtime.get(name) == version, f"LICENSES.txt names {name} {version}, package-lock.json does not"
    assert licences.count("Permission is hereby granted") >= len(listed)


def test_the_bundle_is_minified_and_the_page_light():
    app = (STATIC / "app.js").read_bytes()
    assert app.count(b"\n") < 50, "app.js is not minified: run `npm run build` in webui-client/"
    weight = sum(len(gzip.compress((STATIC / n).read_bytes(), 9)) for n in ("index.html", "app.js", "app.css"))
    assert weight <= 400 * 1024, f"the page weighs {weight / 1024:.0f} KB compressed; the budget is 400 KB"


def test_the_committed_bundle_is_what_the_sources_build(tmp_path):
    import shutil
    import subprocess

    import pytest

    node = shutil.which("node")
    if node is None or not (CLIENT / "node_modules" / "esbuild").is_dir():
        pytest.skip("needs Node and `npm ci` in webui-client/ to rebuild the bundle")
    subprocess.run([node, "build.mjs", "--out", str(tmp_path)], cwd=CLIENT, check=True, capture_output=True)
    for name in ("index.html", "app.js", "app.css", "LICENSES.txt"):
        assert (tmp_path / name).read_bytes() == (STATIC / name).read_bytes(), (
            f"static/{name} is stale: run `npm run build` in webui-client/"
        )
