"""PDF speed and size: cold builds of a session pack and a course pack, and cached responses.

Run `make bench-pdf`; it prints a Markdown table of medians for BENCHMARKS.md and the README.
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

RUNS = 5
WARM_REQUESTS = 20


def _median_seconds(action, runs: int) -> tuple[float, object]:
    """The median wall time of `action` over `runs` runs, and its last result."""
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    """Sync the real courses into a throwaway database and time the PDFs of the first course."""
    from academy import create_app
    from academy.accounts import operations
    from academy.cli import sync_courses
    from academy.db import db
    from academy.handouts import packs
    from academy.learn import queries
    from academy.migrate import upgrade

    with tempfile.TemporaryDirectory() as folder:
        cache = Path(folder) / "cache"
        app = create_app(
            {
                "SECRET_KEY": "bench",
                "WTF_CSRF_ENABLED": False,
                "ACADEMY_DATABASE_URL": f"sqlite:///{folder}/bench.sqlite3",
                "ACADEMY_PDF_CACHE_DIR": str(cache),
            }
        )
        rows = []
        with app.app_context():
            upgrade(db.engine)
            sync_courses()
            operations.create_account(db.session, "bench", "a long bench password", "facilitator")
            db.session.commit()
            course = queries.listed_courses(db.session)[0]
            module = course.modules[0]

            def cold(build):
                shutil.rmtree(cache, ignore_errors=True)
                return build()

            for name, build in [
                (
                    f"session pack, one module ({module.key})",
                    lambda: packs.session_pack(course, module, "en", "a4"),
                ),
                (
                    f"course pack, {len(course.modules)} modules ({course.key})",
                    lambda: packs.course_pack(course, "en", "a4"),
                ),
                (f"handout ({module.key})", lambda: packs.handout(course, module, "en", "a4")),
            ]:
                seconds, pdf = _median_seconds(lambda build=build: cold(build), RUNS)
                rows.append((name, f"{seconds:.2f} s", f"{len(pdf.data) / 1024:.0f} KB"))
        client = app.test_client()
        client.post("/sign-in", data={"username": "bench", "password": "a long bench password"})
        url = f"/f/m/{module.public_id}/pack.pdf"
        client.get(url)  # build once
        seconds, response = _median_seconds(lambda: client.get(url), WARM_REQUESTS)
        assert response.headers["X-Academy-Cache"] == "hit"
        rows.append(
            (
                "session pack again, through the web app (cached)",
                f"{seconds * 1000:.1f} ms",
                f"{len(response.data) / 1024:.0f} KB",
            )
        )
    lines = [
        f"| what | median of {RUNS} cold builds ({WARM_REQUESTS} cached requests) | PDF size |",
        "|---|---:|---:|",
        *(f"| {name} | {time_} | {size} |" for name, time_, size in rows),
    ]
    sys.stdout.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
