"""Compare modules with a git base (the target branch of a pull request)."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

from academy.content.checker import BaseModule, parse_base_version
from academy.content.errors import ContentError
from academy.content.loader import Module


def _git(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run git quietly in `cwd` and return its result, whatever the exit code."""
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False)


def git_base(root: Path, ref: str) -> Callable[[Module], BaseModule | None]:
    """A lookup of each module's version and changed-ness at `ref`; ContentError if unusable."""
    root = Path(root).resolve()
    top = _git(root, "rev-parse", "--show-toplevel")
    if top.returncode != 0:
        raise ContentError(f"{root} is not inside a git repository, so --base cannot be used")
    toplevel = Path(top.stdout.strip())
    if _git(toplevel, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}").returncode != 0:
        raise ContentError(f"git cannot find '{ref}': fetch it first (git fetch origin main)")

    def lookup(module: Module) -> BaseModule | None:
        folder = module.folder.resolve().relative_to(toplevel).as_posix()
        shown = _git(toplevel, "show", f"{ref}:{folder}/lesson.md")
        if shown.returncode != 0:
            return None  # a new module (or a moved folder): nothing to compare with
        changed = _git(toplevel, "diff", "--quiet", ref, "--", folder).returncode != 0
        untracked = _git(toplevel, "ls-files", "--others", "--exclude-standard", "--", folder)
        return BaseModule(parse_base_version(shown.stdout), changed or bool(untracked.stdout))

    return lookup
