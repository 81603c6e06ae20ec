"""The course repository: load Markdown courses, render them and fingerprint their versions.

Plain Python with no Flask: the `academy` commands, the web app and the PDF builder all
use this package, so a course that loads here is exactly what trainees see.
"""

from academy.content.errors import ContentError, InvalidRepository, Problem
from academy.content.loader import (
    Course,
    Module,
    ModuleText,
    Repository,
    inspect_repository,
    load_repository,
)
from academy.content.markdown import Rendered, render_markdown
from academy.content.versions import Version, content_hash, parse_version

__all__ = [
    "ContentError",
    "Course",
    "InvalidRepository",
    "Module",
    "ModuleText",
    "Problem",
    "Rendered",
    "Repository",
    "Version",
    "content_hash",
    "inspect_repository",
    "load_repository",
    "parse_version",
    "render_markdown",
]
