"""The checker: every problem in a course repository, found with the loader the web app uses."""

from __future__ import annotations

import gzip
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path
from urllib.parse import urlsplit

from academy.content.errors import Problem, display_path
from academy.content.loader import Module, Repository, inspect_repository
from academy.content.versions import Version, parse_version

# Budgets an author can see and act on; keep them in step with the web app's.
IMAGE_BUDGET = 30 * 1024  # bytes per image file
PAGE_BUDGET = 14 * 1024  # bytes on the wire for a first visit to a lesson page
# What the template, headers, stylesheet and quick-exit script add around a lesson: measured
# with `make bench-weights` as page total minus the gzipped lesson (6,428 - 2,767 and
# 6,111 - 2,439 bytes on 2026-11-23). Re-measure when the template grows.
PAGE_OVERHEAD = 3700
LONG_SENTENCES = 20  # average words per sentence above which a lesson gets a warning
HARD_TO_READ = 45  # LIX readability index above which an English lesson gets a warning

Published = Callable[[str], dict[str, str]]  # module id -> {version: content hash}


@dataclass
class Report:
    """What the checker found: problems sorted by place, and how much it looked at."""

    problems: list[Problem] = field(default_factory=list)
    modules: int = 0

    @property
    def errors(self) -> int:
        """How many problems stop the course from being published."""
        return sum(problem.is_error for problem in self.problems)

    @property
    def warnings(self) -> int:
        """How many problems are advice."""
        return len(self.problems) - self.errors

    def failed(self, strict: bool = False) -> bool:
        """True when the check fails: any error, or with `strict` any warning too."""
        return bool(self.errors or (strict and self.warnings))


def check_repository(
    root: Path,
    *,
    only: Path | None = None,
    base: Callable[[Module], BaseModule | None] | None = None,
    published: Published | None = None,
) -> Report:
    """Run every check over the repository at `root`; keep problems under `only` if given."""
    repository, problems = inspect_repository(root)
    for course in repository.courses:
        for module in course.modules:
            problems += check_module(repository, module)
            if base is not None:
                problems += check_against_base(repository, module, base(module))
            if published is not None:
                problems += check_against_published(repository, module, published(module.id))
    if only is not None:
        prefix = display_path(Path(only).resolve(), Path(root).resolve())
        problems = [p for p in problems if p.path == prefix or p.path.startswith(prefix + "/")]
    modules = sum(len(course.modules) for course in repository.courses)
    return Report(sorted(set(problems)), modules)


def check_module(repository: Repository, module: Module) -> list[Problem]:
    """Checks that need a whole loaded module: links, media, translations, reading, weight."""
    return [
        *_links(repository, module),
        *_media(repository, module),
        *_translations(repository, module),
        *_plain_language(repository, module),
        *_page_weight(repository, module),
    ]


def _where(repository: Repository, path: Path) -> str:
    """A path as shown to authors."""
    return display_path(path, repository.root)


def _line_of(path: Path, needle: str) -> int:
    """First line of `path` that contains `needle` (1 when absent), for pointing at things."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    return 1


# -- links -----------------------------------------------------------------------------

_HREF = re.compile(r'<a href="([^"]*)"')
_IDS = re.compile(r' id="([^"]+)"')


def _links(repository: Repository, module: Module) -> list[Problem]:
    """Anchors must exist on the page; links to other files are not served to trainees."""
    problems = []
    for text in module.texts.values():
        ids = set(_IDS.findall(text.html))
        for href in _HREF.findall(text.html):
            href = unescape(href)
            parts = urlsplit(href)
            if parts.scheme:
                continue  # https:, mailto: and tel: are judged by the renderer
            line = _line_of(text.source, f"]({href}")
            where = _where(repository, text.source)
            if not parts.path and parts.fragment:
                if parts.fragment not in ids:
                    problems.append(
                        Problem(
                            where,
                            line,
                            f"the link '{href}' points at no heading on this page: "
                            "sections are numbered #s1, #s2... in the order they appear",
                            "link.anchor",
                        )
                    )
            elif not (module.folder / parts.path).exists():
                problems.append(
                    Problem(where, line, f"the link '{href}' leads to no file", "link.broken")
                )
            else:
                problems.append(
                    Problem(
                        where,
                        line,
                        f"the link '{href}' goes to a file that trainees cannot open: "
                        "name the lesson in words instead",
                        "link.unserved",
                    )
                )
    return problems


# -- media -----------------------------------------------------------------------------


def _media(repository: Repository, module: Module) -> list[Problem]:
    """Images must be small, and every file in media/ should be used by a lesson."""
    problems = []
    used = {media.path.resolve() for media in module.media.values()}
    folder = module.folder / "media"
    for file in sorted(folder.rglob("*")) if folder.is_dir() else []:
        if not file.is_file() or file.name.startswith("."):
            continue
        size = file.stat().st_size
        if file.resolve() in used and size > IMAGE_BUDGET:
            problems.append(
                Problem(
                    _where(repository, file),
                    0,
                    f"the image is {size / 1024:.0f} KB: make it "
                    f"{IMAGE_BUDGET // 1024} KB or less (smaller size or stronger compression)",
                    "media.too-large",
                    "warning",
                )
            )
        elif file.resolve() not in used:
            problems.append(
                Problem(
                    _where(repository, file),
                    0,
                    "no lesson uses this file: use it or delete it",
                    "media.unused",
                    "warning",
                )
            )
    return problems


# -- translations -----------------------------------------------------------------------


def _translations(repository: Repository, module: Module) -> list[Problem]:
    """A translation names a version that exists, and says when it lags behind."""
    problems = []
    known = {change["version"] for change in module.changes}
    for text in module.texts.values():
        if text.translation_of is None:
            continue
        where = _where(repository, text.source)
        line = _line_of(text.source, "translation_of")
        if text.translation_of not in known:
            problems.append(
                Problem(
                    where,
                    line,
                    f"translation_of names version {text.translation_of}, which "
                    f"lesson.md never had (its versions: {', '.join(sorted(known))})",
                    "translation.unknown-version",
                )
            )
        elif text.translation_of != str(module.version):
            problems.append(
                Problem(
                    where,
                    line,
                    f"this translation follows version {text.translation_of}; "
                    f"lesson.md is now {module.version}: see its 'changes' and update it",
                    "translation.behind",
                    "warning",
                )
            )
    return problems


# -- plain language -----------------------------------------------------------------------

_TABLE = re.compile(r"<table>.*?</table>", re.S)
_TAGS = re.compile(r"<[^>]+>")


def reading_figures(html: str) -> tuple[float, float]:
    """(words per sentence, LIX index) of a lesson's running text, tables left out."""
    import textstat  # imported here: only the checker needs it, and it is slow to import

    text = unescape(_TAGS.sub(" ", _TABLE.sub(" ", html)))
    if not text.strip():
        return 0.0, 0.0
    # LIX counts long words rather than syllables, so it needs no pronunciation dictionary
    # (textstat's syllable counts would download one) and works beyond English.
    return float(textstat.words_per_sentence(text)), float(textstat.lix(text))


def _plain_language(repository: Repository, module: Module) -> list[Problem]:
    """Warn when a lesson's sentences are long or, in English, its words are hard."""
    problems = []
    for language, text in module.texts.items():
        per_sentence, lix = reading_figures(text.html)
        where = _where(repository, text.source)
        if per_sentence > LONG_SENTENCES:
            problems.append(
                Problem(
                    where,
                    0,
                    f"sentences average {per_sentence:.0f} words: aim for "
                    f"{LONG_SENTENCES} or fewer, one idea per sentence",
                    "language.long-sentences",
                    "warning",
                )
            )
        if language.startswith("en") and lix > HARD_TO_READ:
            problems.append(
                Problem(
                    where,
                    0,
                    f"reading level (LIX) is {lix:.0f}: aim for {HARD_TO_READ} or less, "
                    "with shorter words and sentences",
                    "language.hard-to-read",
                    "warning",
                )
            )
    return problems


# -- page weight -------------------------------------------------------------------------


def _page_weight(repository: Repository, module: Module) -> list[Problem]:
    """Warn when a lesson would make its page heavier than the trainee page budget."""
    problems = []
    for text in module.texts.values():
        weight = len(gzip.compress(text.html.encode(), mtime=0)) + PAGE_OVERHEAD
        if weight > PAGE_BUDGET:
            problems.append(
                Problem(
                    _where(repository, text.source),
                    0,
                    f"the lesson page would be about "
                    f"{weight / 1024:.1f} KB on a phone, over the {PAGE_BUDGET // 1024} KB budget: "
                    "split the module or shorten it",
                    "page.too-heavy",
                    "warning",
                )
            )
    return problems


# -- versions ----------------------------------------------------------------------------


@dataclass(frozen=True)
class BaseModule:
    """A module as it was at the git base of a pull request."""

    version: Version | None
    changed: bool  # True when any of its files differ from the base


def check_against_base(
    repository: Repository, module: Module, before: BaseModule | None
) -> list[Problem]:
    """A module changed since the base must have a higher version than it had there."""
    if before is None or before.version is None or not before.changed:
        return []
    where = _where(repository, module.folder / "lesson.md")
    if module.version == before.version:
        return [
            Problem(
                where,
                module.version_line,
                f"this module changed but its version is "
                f"still {module.version}: raise it and add a 'changes' entry",
                "version.not-bumped",
            )
        ]
    if module.version < before.version:
        return [
            Problem(
                where,
                module.version_line,
                f"version {module.version} is lower than "
                f"{before.version} on the base branch: versions only go up",
                "version.lowered",
            )
        ]
    return []


def check_against_published(
    repository: Repository, module: Module, versions: dict[str, str]
) -> list[Problem]:
    """A published version's content is frozen, and versions only go up."""
    where = _where(repository, module.folder / "lesson.md")
    newest = max(filter(None, map(parse_version, versions)), default=None)
    if newest is not None and module.version < newest:
        return [
            Problem(
                where,
                module.version_line,
                f"version {module.version} is lower than {newest}, which is already published: "
                "to undo a change, publish it as a new, higher version",
                "version.lowered",
            )
        ]
    published_hash = versions.get(str(module.version))
    if published_hash is None or published_hash == module.content_hash:
        return []
    return [
        Problem(
            _where(repository, module.folder / "lesson.md"),
            module.version_line,
            f"module '{module.id}' changed, but version {module.version} is already "
            "published with other content: raise the version and add a 'changes' "
            "entry that tells trainees what changed",
            "version.unchanged",
        )
    ]


def parse_base_version(lesson_text: str) -> Version | None:
    """The `version:` in a lesson.md as it was at the base (None when unreadable)."""
    match = re.search(r"^version:\s*['\"]?([^\s'\"#]+)", lesson_text, re.M)
    return parse_version(match.group(1)) if match else None
