"""Where a form may send the trainee next: only a plain path on this site."""

from __future__ import annotations

import re

SAFE_NEXT = re.compile(r"/[A-Za-z0-9/_.\-]*(?:\?[A-Za-z0-9=&_.\-]*)?")


def safe_next(target: str | None, default: str) -> str:
    """`target` when it is a plain local path, else `default`."""
    # An open redirect would let a link send trainees anywhere (and browsers drop tabs and
    # newlines, so "/\t/evil.example" means "//evil.example").
    if target and SAFE_NEXT.fullmatch(target) and not target.startswith("//"):
        return target
    return default
