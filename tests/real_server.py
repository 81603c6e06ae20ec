"""Academy under real gunicorn, as `docs/deploy.md` runs it, for tests that need real HTTP."""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flask import Flask

from tests.conftest import REPO_ROOT


def free_port() -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def gunicorn(
    app: Flask, database_url: str, folder: Path, workers: int, **env: str
) -> Iterator[tuple[str, Path]]:
    """Serve `app`'s database and courses with gunicorn.conf.py; yields (base URL, log file)."""
    port = free_port()
    environment = {
        **os.environ,
        "ACADEMY_DATABASE_URL": database_url,
        "ACADEMY_SECRET_KEY": secrets.token_hex(32),
        "ACADEMY_COURSES_DIR": app.config["ACADEMY_COURSES_DIR"],
        "ACADEMY_PDF_CACHE_DIR": str(folder / "pdf"),
        "ACADEMY_BIND": f"127.0.0.1:{port}",
        "ACADEMY_WORKERS": str(workers),
        **env,
    }
    log = folder / "gunicorn.log"
    with open(log, "w") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"],
            cwd=REPO_ROOT,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            _wait_for(port)
            yield f"http://127.0.0.1:{port}", log
        finally:
            process.terminate()
            process.wait(timeout=30)


def _wait_for(port: int, seconds: float = 30) -> None:
    """Wait until something accepts connections on `port` (gunicorn's workers are up)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
