"""Errors and problems raised by the content pipeline, each pointing at a file and line."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a course file, located at `path:line` for the author."""

    path: str
    line: int
    message: str
    code: str = "content.invalid"
    severity: str = "error"
    column: int = 1

    def __str__(self) -> str:
        """Format as `path:line:col: severity: message [code]`, the way compilers do."""
        return f"{self.location}: {self.severity}: {self.message} [{self.code}]"

    @property
    def location(self) -> str:
        """`path:line:col`, or just the path for a problem with a whole file or folder."""
        return f"{self.path}:{self.line}:{self.column}" if self.line else self.path

    @property
    def is_error(self) -> bool:
        """True when this problem stops the course from being published."""
        return self.severity == "error"


class ContentError(Exception):
    """Base class for every error the content package raises."""


class InvalidRepository(ContentError):
    """The course repository has errors; `problems` lists every one of them."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def display_path(path: Path, root: Path) -> str:
    """Show `path` relative to the folder holding the repository (`courses/x/lesson.md`)."""
    try:
        return path.relative_to(root.parent).as_posix()
    except ValueError:
        return path.as_posix()
