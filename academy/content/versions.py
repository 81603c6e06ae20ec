"""Module versions: semantic version numbers and the content hash that identifies a version."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import NamedTuple

# Semantic Versioning 2.0.0 core, without pre-release or build parts: authors bump
# MAJOR.MINOR.PATCH, and trainees are shown the number, so it stays simple.
_SEMVER = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)\Z")


class Version(NamedTuple):
    """A MAJOR.MINOR.PATCH version that sorts numerically (1.10.0 after 1.9.0)."""

    major: int
    minor: int
    patch: int

    def __str__(self) -> str:
        """Format as `1.2.3`."""
        return f"{self.major}.{self.minor}.{self.patch}"


def parse_version(text: object) -> Version | None:
    """Parse `1.2.3`; return None for anything that is not a plain semantic version."""
    match = _SEMVER.match(str(text)) if isinstance(text, str) else None
    return Version(*map(int, match.groups())) if match else None


def module_files(folder: Path) -> list[Path]:
    """Every file a module is made of, sorted, ignoring hidden files and folders."""
    return sorted(
        path
        for path in folder.rglob("*")
        if path.is_file()
        and not any(part.startswith(".") for part in path.relative_to(folder).parts)
    )


def content_hash(folder: Path) -> str:
    """SHA-256 over every file of a module (names and bytes): changes when anything changes."""
    digest = hashlib.sha256()
    for path in module_files(folder):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()
