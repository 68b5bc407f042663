"""Screenshots of each main view for the README, from the bundled samples.

The map, timeline and actor network come from `sitrep report --samples`; the corpus and the
document page from `sitrep serve` over a store that `sitrep batch` makes of the same samples.
Writes docs/img/{map,timeline,network,corpus,document}.png (each kept under 300 KB).

    .venv/bin/python scripts/readme_screenshots.py [--out docs/img]

Needs Chromium (scripts/ensure_chromium.sh) and the test extras (playwright, fastapi, uvicorn).
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

VIEWPORT = {"width": 1280, "height": 800}
MAX_BYTES = 300_000
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def chromium() -> str:
    for candidate in (os.environ.get("SITREP_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser",
                      shutil.which("chromium")):
        if candidate and Path(candidate).is_file():
            return candidate
    sys.exit("readme_screenshots: Chromium not found; run scripts/ensure_chromium.sh or set SITREP_CHROMIUM")


def sample_report(path: Path) -> Path:
    from sitrep.pipeline import Resources, build_situation, process
    from sitrep.ingest import read_inputs
    from sitrep.samples import paths as sample_paths
    from sitrep.web.report import write_report

    resources = Resources.load()
    docs = read_inputs([str(p) for p in sample_paths()])
    situation = build_situation(process(docs, resources=resources), resources=resources)
    return write_report(situation.to_dict(), path, title="sitrep report: bundled samples")


def sample_store(path: Path) -> Path:
    from sitrep.samples import paths as sample_paths
    from sitrep.store.batch import run_batch

    run_batch([str(p) for p in sample_paths()], db=path, progress=False)
    return path


def serve(db: Path):
    import uvicorn

    from sitrep.web.app import create_app

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(db), host="127.0.0.1", port=port, log_level="warning",
                                           lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        if not thread.is_alive():
            sys.exit("readme_screenshots: the server did not start")
        time.sleep(0.05)
    return server, thread, f"http://127.0.0.1:{port}"


def save(page, out: Path, name: str) -> None:
    target = out / f"{name}.png"
    page.screenshot(path=str(target))
    size = target.stat().st_size
    if size > MAX_BYTES:
        sys.exit(f"readme_screenshots: {target} is {size:,} bytes, over {MAX_BYTES:,}")
    print(f"wrote {target} ({size // 1000} KB)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "img")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        tmp = Path(tmp)
        report = sample_report(tmp / "report.html")
        db = sample_store(tmp / "samples.duckdb")
        browser = pw.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport=VIEWPORT)
        page.goto(report.as_uri())
        page.wait_for_selector("html[data-ready=true]", state="attached")
        marker = page.locator(".mk-event[data-place]").first
        if marker.count():
            marker.click()  # a selected event: its card and its evidence highlighted in the text
        page.wait_for_timeout(300)
        save(page, args.out, "map")
        page.click("#tab-timeline")
        page.wait_for_timeout(200)
        save(page, args.out, "timeline")
        page.click("#tab-network")
        page.wait_for_timeout(300)
        node = page.locator("#network .node").first
        if node.count():
            node.click()
        save(page, args.out, "network")

        server, thread, base = serve(db)
        try:
            page.goto(base + "/corpus")
            page.wait_for_selector("html[data-serve-ready=true]", state="attached")
            save(page, args.out, "corpus")
            first = page.locator("a.doc-link").first.get_attribute("href")
            page.goto(base + first)
            page.wait_for_selector("html[data-ready=true]", state="attached")
            mark = page.locator("#doc-text .mark.m-actor").first
            if mark.count():
                mark.click()
            page.wait_for_timeout(200)
            save(page, args.out, "document")
        finally:
            server.should_exit = True
            thread.join(timeout=10)
        browser.close()


if __name__ == "__main__":
    main()
