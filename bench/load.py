"""Load: gunicorn with several workers under a bounded crowd of simulated trainees.

Run `make bench-load`. For SQLite and (when ACADEMY_BENCH_POSTGRES_URL is set, as the Makefile
does) PostgreSQL, it starts gunicorn on loopback, lets CROWD simulated trainees read modules,
sign in and submit quizzes for DURATION seconds, and reports throughput, latency percentiles and
errors per page type, the module pages against a trivial endpoint, and whether every quiz
attempt that got a success response was stored exactly once.
"""

from __future__ import annotations

import http.client
import os
import random
import re
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CROWD = int(os.environ.get("ACADEMY_BENCH_CROWD", 200))
DURATION = float(os.environ.get("ACADEMY_BENCH_SECONDS", 30))
WORKERS = int(os.environ.get("ACADEMY_BENCH_WORKERS", 4))
PASSWORD = "a long password for the load bench"


class Trainee(threading.Thread):
    """One simulated trainee: mostly reading, sometimes taking a quiz, on one connection."""

    def __init__(self, number: int, port: int, modules: list[str], until: float, results):
        super().__init__(daemon=True)
        self.number, self.port, self.modules, self.until = number, port, modules, until
        self.results = results
        self.cookies: dict[str, str] = {}
        self.random = random.Random(number)

    def request(self, kind: str, method: str, path: str, form: dict | None = None):
        """One timed request; returns (status, body, headers) or None on a connection error."""
        body = urllib.parse.urlencode(form or {}, doseq=True) if form is not None else None
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        start = time.perf_counter()
        try:
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            data = response.read().decode(errors="replace")
            for value in response.headers.get_all("Set-Cookie") or []:
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
            connection.close()
        except OSError:
            self.results.record(kind, time.perf_counter() - start, None)
            return None
        self.results.record(kind, time.perf_counter() - start, response.status)
        return response.status, data, response.headers

    def run(self) -> None:
        """Sign up once, then read and answer until time is up."""
        page = self.request("sign-up page", "GET", "/join")
        token = _field(page[1], "csrf_token") if page else ""
        form = {"username": f"t{self.number}x{uuid.uuid4().hex[:6]}", "password": PASSWORD}
        self.request("sign up", "POST", "/join", {**form, "csrf_token": token})
        while time.monotonic() < self.until:
            roll = self.random.random()
            module = self.random.choice(self.modules)
            if roll < 0.7:
                self.request("module", "GET", module)
            elif roll < 0.8:
                self.request("catalogue", "GET", "/")
            elif roll < 0.85:
                self.request("trivial (/healthz)", "GET", "/healthz")
            else:
                self.quiz(module)

    def quiz(self, module: str) -> None:
        """Open a quiz, send it (sometimes twice, like a double tap) and note the result."""
        page = self.request("quiz form", "GET", module + "/q")
        if not page or page[0] != 200 or 'name="ticket"' not in page[1]:
            return
        form = {
            "csrf_token": _field(page[1], "csrf_token"),
            "ticket": _field(page[1], "ticket"),
            "q1": "0",
        }
        for _ in range(2 if self.random.random() < 0.3 else 1):
            sent = self.request("quiz submit", "POST", module + "/q", form)
            if sent and sent[0] == 303:
                self.results.accepted(form["ticket"], sent[2]["Location"])


class Results:
    """Timings and statuses per kind of request, and the quiz submissions that succeeded."""

    def __init__(self):
        self.lock = threading.Lock()
        self.times = defaultdict(list)
        self.errors = defaultdict(int)
        self.server_errors = defaultdict(int)
        self.tickets: dict[str, set[str]] = defaultdict(set)

    def record(self, kind: str, seconds: float, status: int | None) -> None:
        """Note one request's time and outcome."""
        with self.lock:
            self.times[kind].append(seconds)
            if status is None:
                self.errors[kind] += 1
            elif status >= 500:
                self.server_errors[kind] += 1

    def accepted(self, ticket: str, location: str) -> None:
        """Note a quiz form that was answered with success, and where its result lives."""
        with self.lock:
            self.tickets[ticket].add(location)


def _field(html: str, name: str) -> str:
    found = re.search(rf'name="{name}"[^>]*value="([^"]+)"', html)
    return found.group(1) if found else ""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _prepare(url: str, folder: str) -> None:
    """Migrate and sync the real courses into the database."""
    from academy import create_app
    from academy.cli import sync_courses
    from academy.db import db
    from academy.migrate import upgrade

    app = create_app({"SECRET_KEY": "x" * 64, "ACADEMY_DATABASE_URL": url})
    with app.app_context():
        upgrade(db.engine)
        sync_courses()
        db.engine.dispose()


def _stored_attempts(url: str) -> int:
    """How many quiz attempts the database holds."""
    from sqlalchemy import create_engine, func, select

    from academy.models import QuizAttempt

    engine = create_engine(url)
    with engine.connect() as connection:
        count = connection.scalar(select(func.count(QuizAttempt.id)))
    engine.dispose()
    return count


def run(label: str, url: str) -> tuple[list[str], str]:
    """One run on one database; returns Markdown table lines."""
    with tempfile.TemporaryDirectory() as folder:
        _prepare(url, folder)
        port = _free_port()
        env = {
            **os.environ,
            "ACADEMY_DATABASE_URL": url,
            "ACADEMY_SECRET_KEY": secrets.token_hex(32),
            "ACADEMY_BIND": f"127.0.0.1:{port}",
            "ACADEMY_WORKERS": str(WORKERS),
            "ACADEMY_PDF_CACHE_DIR": f"{folder}/pdf",
            # A crowd from one address: the per-address limits would stop the bench itself.
            "ACADEMY_SIGN_UP_LIMIT": "100000 per hour",
            "ACADEMY_SIGN_IN_LIMIT": "100000 per minute",
        }
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "-c",
                "gunicorn.conf.py",
                "--access-logfile",
                "/dev/null",
                "wsgi:app",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            for _ in range(100):
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    time.sleep(0.2)
            connection = http.client.HTTPConnection("127.0.0.1", port)
            connection.request("GET", "/")
            home = connection.getresponse().read().decode()
            modules = []
            for course in re.findall(r'href="(/c/[^"]+)"', home):
                connection.request("GET", course)
                modules += re.findall(
                    r'href="(/m/[^"/]+)"', connection.getresponse().read().decode()
                )
            results = Results()
            until = time.monotonic() + DURATION
            crowd = [Trainee(n, port, modules, until, results) for n in range(CROWD)]
            start = time.monotonic()
            for trainee in crowd:
                trainee.start()
            for trainee in crowd:
                trainee.join()
            elapsed = time.monotonic() - start
            stored = _stored_attempts(url)
            module_rate = _single_path_rate(port, modules)
            trivial_rate = _single_path_rate(port, ["/healthz"])
        finally:
            server.terminate()
            server.wait(timeout=30)
    rows, summary = _rows(label, results, elapsed, stored)
    summary += (
        f" Alone (50 clients, 10 s each): module pages {module_rate:.0f}/s, /healthz "
        f"{trivial_rate:.0f}/s, ratio {module_rate / trivial_rate:.2f}."
    )
    return rows, summary


def _single_path_rate(port: int, paths: list[str], clients: int = 50, seconds: float = 10) -> float:
    """Requests per second when every client only asks for `paths`, round and round."""
    done = [0] * clients
    until = time.monotonic() + seconds

    def hammer(index: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while time.monotonic() < until:
            connection.request("GET", paths[done[index] % len(paths)])
            connection.getresponse().read()
            done[index] += 1
        connection.close()

    threads = [threading.Thread(target=hammer, args=(i,), daemon=True) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(done) / seconds


def _rows(label: str, results: Results, elapsed: float, stored: int) -> tuple[list[str], str]:
    """Table lines for one run."""
    lines = []
    rates = {}
    for kind in sorted(results.times):
        times = sorted(results.times[kind])
        rate = len(times) / elapsed
        rates[kind] = rate
        q = statistics.quantiles(times, n=100) if len(times) > 1 else [times[0]] * 99
        lines.append(
            f"| {label} | {kind} | {len(times)} | {rate:.0f}/s | {q[49] * 1000:.0f} "
            f"| {q[94] * 1000:.0f} | {q[98] * 1000:.0f} | {results.server_errors[kind]} "
            f"| {results.errors[kind]} |"
        )
    succeeded = len(results.tickets)
    duplicated = sum(len(locations) > 1 for locations in results.tickets.values())
    summary = (
        f"{label}: {CROWD} trainees, {WORKERS} workers, {elapsed:.0f} s. Quiz forms answered "
        f"with success: {succeeded}; attempts stored: {stored}; forms that made two attempts: "
        f"{duplicated}."
    )
    return lines, summary


def _schema(url: str, statement: str) -> None:
    """Make or drop the bench's own PostgreSQL schema, so it starts empty and leaves nothing."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text(statement))
    engine.dispose()


def main() -> None:
    """Run on SQLite, and on PostgreSQL when a URL is given; print the tables."""
    header = [
        "| database | request | count | throughput | p50 (ms) | p95 (ms) | p99 (ms) | 5xx "
        "| failed |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    lines, summaries = list(header), []
    with tempfile.TemporaryDirectory() as folder:
        shapes = [("SQLite", f"sqlite:///{folder}/load.sqlite3")]
        postgres = os.environ.get("ACADEMY_BENCH_POSTGRES_URL")
        schema = f"bench_{uuid.uuid4().hex[:8]}"
        if postgres:
            _schema(postgres, f'CREATE SCHEMA "{schema}"')
            separator = "&" if "?" in postgres else "?"
            shapes.append(("PostgreSQL", f"{postgres}{separator}options=-csearch_path%3D{schema}"))
        try:
            for label, url in shapes:
                rows, summary = run(label, url)
                lines += rows
                summaries.append(summary)
        finally:
            if postgres:
                _schema(postgres, f'DROP SCHEMA "{schema}" CASCADE')
    sys.stdout.write("\n".join(lines) + "\n\n" + "\n".join(summaries) + "\n")


if __name__ == "__main__":
    main()
