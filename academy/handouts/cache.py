"""A folder of built PDFs, one file per key, shared by every worker that mounts it."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path


def cache_key(*parts: object) -> str:
    """A file-name-safe key for everything a PDF depends on."""
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def cached(folder: Path, key: str, build: Callable[[], bytes]) -> tuple[bytes, bool]:
    """The PDF for `key`, built once; True when it came from the cache."""
    path = folder / f"{key}.pdf"
    try:
        return path.read_bytes(), True
    except FileNotFoundError:
        pass
    data = build()
    folder.mkdir(parents=True, exist_ok=True)
    # Written aside and renamed into place: another worker never reads half a file.
    fd, draft = tempfile.mkstemp(dir=folder, suffix=".part")
    with os.fdopen(fd, "wb") as file:
        file.write(data)
    os.replace(draft, path)
    return data, False
