"""Trainee pages in Chromium on an emulated phone network: bytes, requests and paint times.

Run `make bench-pages`: it serves the real courses, loads every kind of trainee page on a
360×640 viewport through Debian's Chromium with 2G and 3G network emulation, cold and warm, and
writes the table into BENCHMARKS.md (between the markers) as well as printing it.
"""

from __future__ import annotations

import contextlib
import gzip
import logging
import re
import statistics
import sys
import tempfile
import threading
from pathlib import Path

from werkzeug.serving import make_server

ROOT = Path(__file__).resolve().parent.parent
BENCHMARKS = ROOT / "BENCHMARKS.md"
START, END = "<!-- bench-pages:start -->", "<!-- bench-pages:end -->"
CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Throughput in bytes per second, latency in ms (Chrome DevTools' own presets for 3G).
PROFILES = {
    "2G": {"latency": 300, "downloadThroughput": 250_000 / 8, "uploadThroughput": 50_000 / 8},
    "3G": {"latency": 100, "downloadThroughput": 750_000 / 8, "uploadThroughput": 250_000 / 8},
}
RUNS = 3
PASSWORD = "a long password for the bench"


def _serve(folder: Path):
    """The site on the real courses, with one trainee who has taken a quiz."""
    from academy import create_app
    from academy.accounts import operations
    from academy.cli import sync_courses
    from academy.db import db
    from academy.migrate import upgrade

    app = create_app(
        {
            "SECRET_KEY": "bench",
            "ACADEMY_DATABASE_URL": f"sqlite:///{folder}/bench.sqlite3",
            "ACADEMY_PDF_CACHE_DIR": str(folder / "pdf"),
            "ACADEMY_SIGN_IN_LIMIT": "1000 per minute",
            "ACADEMY_EXIT_URL": "about:blank",
        }
    )
    with app.app_context():
        upgrade(db.engine)
        sync_courses()
        operations.create_account(db.session, "bench", PASSWORD)
        db.session.commit()
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no request log in the output
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return app, server, f"http://127.0.0.1:{server.server_port}"


def _floors(app) -> dict[str, int]:
    """For each module page, the lesson's HTML alone, gzip-compressed: the least it can cost."""
    from sqlalchemy import select

    from academy.db import db
    from academy.learn.queries import CURRENT_VERSION
    from academy.models import Module, ModuleText, ModuleVersion

    with app.app_context():
        rows = db.session.execute(
            select(Module.public_id, ModuleText.html)
            .join(ModuleVersion, CURRENT_VERSION)
            .join(ModuleText, ModuleText.module_version_id == ModuleVersion.id)
            .where(ModuleText.status == "original", Module.listed)
        ).all()
    return {f"/m/{public_id}": len(gzip.compress(html.encode(), 9)) for public_id, html in rows}


def _measure(page, cdp, url: str) -> dict:
    """Load `url` once and return requests, bytes on the wire and decoded, FCP and load (ms)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    finished: list[float] = []
    decoded: list[int] = []
    requests: list[str] = []

    def on_finished(event):
        finished.append(event["encodedDataLength"])

    def on_data(event):
        decoded.append(event["dataLength"])

    def on_request(request):
        requests.append(request.url)

    cdp.on("Network.loadingFinished", on_finished)
    cdp.on("Network.dataReceived", on_data)
    page.on("request", on_request)
    page.goto(url, wait_until="load")
    # Headless Chromium may report the first paint a moment after load; none is an answer too.
    with contextlib.suppress(PlaywrightTimeout):
        page.wait_for_function(
            "() => performance.getEntriesByName('first-contentful-paint').length > 0",
            timeout=3000,
        )
    timing = page.evaluate(
        """() => {
        const nav = performance.getEntriesByType('navigation')[0];
        const fcp = performance.getEntriesByName('first-contentful-paint')[0];
        return {load: nav.loadEventEnd, fcp: fcp ? fcp.startTime : null};
    }"""
    )
    page.remove_listener("request", on_request)
    cdp.remove_listener("Network.loadingFinished", on_finished)
    cdp.remove_listener("Network.dataReceived", on_data)
    return {
        "requests": len(requests),
        "wire": int(sum(finished)),
        "decoded": int(sum(decoded)),
        "fcp": timing["fcp"],
        "load": timing["load"],
    }


def _pages(page, site: str) -> list[tuple[str, str, bool]]:
    """(name, url, signed in) for each kind of trainee page, found by following links."""
    page.goto(site + "/")
    course = page.locator(".card h2 a").first.get_attribute("href")
    page.goto(site + course)
    modules = [
        page.locator("ol.modules > li > a").nth(i).get_attribute("href")
        for i in range(page.locator("ol.modules > li > a").count())
    ]
    largest = modules[-1]
    return [
        ("catalogue", "/", False),
        ("course", course, False),
        ("lesson (first)", modules[0], False),
        ("lesson (last)", largest, False),
        ("quiz", modules[0] + "/q", False),
        ("sign in", "/sign-in", False),
        ("quiz result", None, True),
        ("progress", "/progress", True),
    ]


def _sign_in_and_take_quiz(page, site: str, quiz: str) -> str:
    """Sign the bench trainee in and submit a quiz; return the stored result's address."""
    page.goto(site + "/sign-in")
    page.fill("#username", "bench")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.goto(site + quiz)
    page.click("form button[type=submit]")
    return re.sub(r"^https?://[^/]+", "", page.url)


def run() -> str:
    """Measure every page on every profile and return the Markdown table."""
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as folder:
        app, server, site = _serve(Path(folder))
        floors = _floors(app)
        rows = []
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
                scout = browser.new_page()
                pages = _pages(scout, site)
                quiz_url = next(url for name, url, _ in pages if name == "quiz")
                scout.close()
                for profile, conditions in PROFILES.items():
                    for name, url, signed_in in pages:
                        cold_runs, warm_runs = [], []
                        for _ in range(RUNS):
                            context = browser.new_context(viewport={"width": 360, "height": 640})
                            page = context.new_page()
                            target = url
                            if signed_in:
                                result = _sign_in_and_take_quiz(page, site, quiz_url)
                                target = target or result
                            cdp = context.new_cdp_session(page)
                            cdp.send("Network.enable")
                            cdp.send("Network.clearBrowserCache")
                            cdp.send(
                                "Network.emulateNetworkConditions",
                                {"offline": False, **conditions},
                            )
                            cold_runs.append(_measure(page, cdp, site + target))
                            warm_runs.append(_measure(page, cdp, site + target))
                            context.close()
                        rows.append((profile, name, target, cold_runs, warm_runs))
                browser.close()
        finally:
            server.shutdown()
    return _table(rows, floors)


def _median(runs: list[dict], key: str) -> float:
    """The median of one figure over the runs (NaN when no run reported it)."""
    values = [run[key] for run in runs if run[key] is not None]
    return statistics.median(values) if values else float("nan")


def _table(rows, floors: dict[str, int]) -> str:
    """Markdown: one row per page and profile."""
    lines = [
        "| network | page | requests | on the wire (B) | decoded (B) | first paint (ms) "
        "| load (ms) | warm: requests | warm: on the wire (B) | wire ÷ floor |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for profile, name, url, cold, warm in rows:
        floor = floors.get(url)
        ratio = f"{_median(cold, 'wire') / floor:.2f}×" if floor else ""
        lines.append(
            f"| {profile} | {name} | {_median(cold, 'requests'):.0f} | {_median(cold, 'wire'):.0f} "
            f"| {_median(cold, 'decoded'):.0f} | {_median(cold, 'fcp'):.0f} "
            f"| {_median(cold, 'load'):.0f} | {_median(warm, 'requests'):.0f} "
            f"| {_median(warm, 'wire'):.0f} | {ratio} |"
        )
    return "\n".join(lines)


def main() -> None:
    """Print the table and write it into BENCHMARKS.md between the markers."""
    table = run()
    sys.stdout.write(table + "\n")
    text = BENCHMARKS.read_text()
    if START in text and END in text:
        before, rest = text.split(START, 1)
        after = rest.split(END, 1)[1]
        BENCHMARKS.write_text(f"{before}{START}\n{table}\n{END}{after}")


if __name__ == "__main__":
    main()
