"""The site's own assets, read once per process: the stylesheet and the quick-exit script."""

from __future__ import annotations

import base64
import hashlib
from functools import cache
from pathlib import Path

STATIC = Path(__file__).resolve().parent / "static"


@cache
def exit_script() -> tuple[str, str]:
    """The quick-exit script without its comments, and its CSP hash source."""
    lines = (STATIC / "exit.js").read_text(encoding="utf-8").splitlines()
    code = "\n".join(line.strip() for line in lines if not line.strip().startswith("//"))
    digest = base64.b64encode(hashlib.sha256(code.encode()).digest()).decode()
    return code, f"'sha256-{digest}'"


@cache
def stylesheet() -> tuple[bytes, str]:
    """The stylesheet's bytes and a short hash of them."""
    data = (STATIC / "academy.css").read_bytes()
    return data, hashlib.sha256(data).hexdigest()[:12]
