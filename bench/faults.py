"""Faults during quiz submissions: a gunicorn worker killed, the database server restarted.

Run `make bench-faults` (it restarts the local PostgreSQL server: run it on a machine where
nothing else is using it). Trainees keep sending quiz forms to 4 workers on PostgreSQL; after a
few seconds one worker is killed with SIGKILL, later the PostgreSQL server restarts. Afterwards
every form that was answered with success must be stored exactly once, and no attempt may be
stored half (answers without marks).
"""

from __future__ import annotations

import http.client
import os
import re
import secrets
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
import uuid
from pathlib import Path

from bench.load import _field, _free_port, _prepare, _schema

ROOT = Path(__file__).resolve().parent.parent
POSTGRES = os.environ.get("ACADEMY_BENCH_POSTGRES_URL", "")
CROWD, SECONDS = 20, 40
PASSWORD = "a long password for the fault bench"


class Submitter(threading.Thread):
    """A trainee who signs up and then sends quiz forms, one after another."""

    def __init__(self, port: int, quiz: str, until: float, outcomes: list):
        super().__init__(daemon=True)
        self.port, self.quiz, self.until, self.outcomes = port, quiz, until, outcomes
        self.cookies: dict[str, str] = {}

    def call(self, method: str, path: str, form: dict | None = None):
        """One request; None when the connection failed."""
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            data = response.read().decode(errors="replace")
            for value in response.headers.get_all("Set-Cookie") or []:
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
            connection.close()
            return response.status, data
        except OSError:
            return None

    def run(self) -> None:
        """Sign up (retrying through the faults), then submit until time is up."""
        while time.monotonic() < self.until:
            page = self.call("GET", "/join")
            if not page:
                continue
            form = {"username": f"f{uuid.uuid4().hex[:10]}", "password": PASSWORD}
            sent = self.call("POST", "/join", {**form, "csrf_token": _field(page[1], "csrf_token")})
            if sent and sent[0] == 303:
                break
        while time.monotonic() < self.until:
            page = self.call("GET", self.quiz)
            if not page or page[0] != 200 or 'name="ticket"' not in page[1]:
                time.sleep(0.1)
                continue
            ticket = _field(page[1], "ticket")
            form = {"csrf_token": _field(page[1], "csrf_token"), "ticket": ticket, "q1": "0"}
            sent = self.call("POST", self.quiz, form)
            self.outcomes.append((ticket, sent[0] if sent else None))


def main() -> None:
    """Run the faults and report what was stored against what was answered."""
    if not POSTGRES:
        sys.exit("set ACADEMY_BENCH_POSTGRES_URL (make bench-faults does)")
    from itsdangerous import URLSafeTimedSerializer
    from sqlalchemy import create_engine, select

    from academy.models import QuizAttempt

    schema = f"faults_{uuid.uuid4().hex[:8]}"
    _schema(POSTGRES, f'CREATE SCHEMA "{schema}"')
    separator = "&" if "?" in POSTGRES else "?"
    url = f"{POSTGRES}{separator}options=-csearch_path%3D{schema}"
    secret = secrets.token_hex(32)
    try:
        _prepare(url, "")
        port = _free_port()
        env = {
            **os.environ,
            "ACADEMY_DATABASE_URL": url,
            "ACADEMY_SECRET_KEY": secret,
            "ACADEMY_BIND": f"127.0.0.1:{port}",
            "ACADEMY_WORKERS": "4",
            "ACADEMY_SIGN_UP_LIMIT": "100000 per hour",
        }
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            time.sleep(3)
            probe = Submitter(port, "", 0, [])
            home = probe.call("GET", "/")[1]
            course = re.search(r'href="(/c/[^"]+)"', home).group(1)
            module = re.findall(r'href="(/m/[^"/]+)"', probe.call("GET", course)[1])[0]
            outcomes: list = []
            until = time.monotonic() + SECONDS
            crowd = [Submitter(port, module + "/q", until, outcomes) for _ in range(CROWD)]
            for submitter in crowd:
                submitter.start()
            time.sleep(SECONDS / 4)
            workers = subprocess.run(
                ["pgrep", "-P", str(server.pid)], capture_output=True, text=True
            ).stdout.split()
            os.kill(int(workers[0]), signal.SIGKILL)
            killed_at = len(outcomes)
            time.sleep(SECONDS / 4)
            restarted_at = len(outcomes)
            subprocess.run(
                ["pg_ctlcluster", "--skip-systemctl-redirect", "15", "main", "restart"],
                check=True,
            )
            for submitter in crowd:
                submitter.join()
        finally:
            server.terminate()
            server.wait(timeout=30)
        serializer = URLSafeTimedSerializer(secret, salt="academy.quiz-form")
        succeeded = [serializer.loads(t)[3] for t, status in outcomes if status == 303]
        engine = create_engine(url)
        with engine.connect() as connection:
            stored = connection.execute(
                select(QuizAttempt.form_token, QuizAttempt.answers, QuizAttempt.credits)
            ).all()
        engine.dispose()
        tokens = [row.form_token for row in stored]
        missing = set(succeeded) - set(tokens)
        twice = len(tokens) - len(set(tokens))
        half = sum(len(row.answers) != len(row.credits) for row in stored)
        failed = sum(status is None or status >= 500 for _, status in outcomes)
        recovered = sum(status == 303 for _, status in outcomes[restarted_at:])
        print(
            f"{len(outcomes)} quiz forms sent by {CROWD} trainees over {SECONDS} s; one of 4 "
            f"workers killed (SIGKILL) after {killed_at} sends, PostgreSQL restarted after "
            f"{restarted_at} ({recovered} answered with success after the restart).\n"
            f"- answered with success (303): {len(succeeded)}; failed or refused while the "
            f"faults lasted: {failed}\n"
            f"- attempts stored: {len(tokens)}; successful forms missing from the database: "
            f"{len(missing)}; forms stored twice: {twice}; attempts stored half: {half}"
        )
        if missing or twice or half:
            sys.exit(1)
    finally:
        _schema(POSTGRES, f'DROP SCHEMA "{schema}" CASCADE')


if __name__ == "__main__":
    main()
