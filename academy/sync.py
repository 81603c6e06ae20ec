"""Publish the course repository into the database: new versions added, old ones kept."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from academy.content import InvalidRepository, Problem, Repository
from academy.content import Module as SourceModule
from academy.content.checker import check_against_published
from academy.content.errors import display_path
from academy.content.guide import guide_to_data
from academy.content.quiz import quiz_to_data
from academy.models import Course, MediaFile, Module, ModuleText, ModuleVersion, Publication


@dataclass
class SyncReport:
    """What a sync changed, for the person running it."""

    courses_added: list[str] = field(default_factory=list)
    courses_updated: list[str] = field(default_factory=list)
    versions_added: list[str] = field(default_factory=list)
    texts_refreshed: list[str] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        """True when the database differs from before the sync."""
        return any(items for name, items in vars(self).items() if name != "warnings")

    def lines(self) -> list[str]:
        """One plain line per change, or a single line saying nothing changed."""
        if not self.changed:
            return ["Nothing to do: the database already matches the courses."]
        labels = {
            "courses_added": "new course",
            "courses_updated": "course details updated",
            "versions_added": "published",
            "texts_refreshed": "re-rendered (same content)",
            "retired": "no longer in the repository, kept for progress",
        }
        return [
            f"{label}: {item}" for name, label in labels.items() for item in getattr(self, name)
        ]


def sync_repository(
    session: Session, repository: Repository, *, overwrite: bool = False
) -> SyncReport:
    """Write `repository` into the database; raise InvalidRepository before writing anything.

    `overwrite` lets changed content replace a version of the same number: only for the
    author's preview database, never for what trainees see. The caller commits; on an
    exception it must roll back, which leaves the database as it was.
    """
    if not repository.courses:
        # An empty folder (a wrong path, a failed checkout) would otherwise retire everything.
        raise InvalidRepository(
            [
                Problem(
                    display_path(repository.root, repository.root),
                    0,
                    "no courses here: check the "
                    "path; syncing nothing would hide every course from trainees",
                    "repository.empty",
                )
            ]
        )
    if not overwrite:
        refuse_changed_versions(session, repository)
    report = SyncReport()
    seen_courses, seen_modules = set(), set()
    pages_changed = False
    for position, source in enumerate(repository.courses):
        course = session.scalar(select(Course).where(Course.key == source.id))
        if course is None:
            course = Course(key=source.id)
            session.add(course)
            report.courses_added.append(source.id)
        details = {
            "title": source.title,
            "summary": source.summary,
            "audience": source.audience,
            "languages": source.languages,
            "position": position,
            "listed": True,
        }
        if _assign(course, details) and source.id not in report.courses_added:
            report.courses_updated.append(source.id)
        seen_courses.add(source.id)
        for module_position, module in enumerate(source.modules):
            # A module moved or listed again changes pages without a new version to report.
            moved = _sync_module(session, course, module, module_position, report)
            pages_changed = pages_changed or moved
            seen_modules.add(module.id)
    _retire(session, seen_courses, seen_modules, report)
    if report.changed or pages_changed:
        _next_generation(session)
    session.flush()
    return report


def _next_generation(session: Session) -> None:
    """Raise the publication number: pages cached for the one before are now stale."""
    publication = session.get(Publication, 1)
    if publication is None:
        session.add(Publication(id=1, generation=1))
    else:
        publication.generation += 1


def refuse_changed_versions(session: Session, repository: Repository) -> None:
    """Refuse modules whose files changed while their version stayed an already published one."""
    problems = []
    for course in repository.courses:
        for module in course.modules:
            problems += check_against_published(
                repository, module, published_versions(session, module.id)
            )
    if problems:
        raise InvalidRepository(problems)


def published_versions(session: Session, module_key: str) -> dict[str, str]:
    """Every published version of a module with its content hash."""
    rows = session.execute(
        select(ModuleVersion.version, ModuleVersion.content_hash)
        .join(Module)
        .where(Module.key == module_key)
    )
    return {version: content_hash for version, content_hash in rows}


def _sync_module(
    session: Session, course: Course, source: SourceModule, position: int, report: SyncReport
) -> bool:
    """Create or move the module, publish its current version if new; True if the row changed."""
    module = session.scalar(select(Module).where(Module.key == source.id))
    if module is None:
        module = Module(
            key=source.id, course=course, position=position, current_version=str(source.version)
        )
        session.add(module)
    moved = _assign(
        module,
        {
            "course": course,
            "position": position,
            "listed": True,
            "current_version": str(source.version),
        },
    )
    version = session.scalar(
        select(ModuleVersion).where(
            ModuleVersion.module == module, ModuleVersion.version == str(source.version)
        )
    )
    label = f"{source.id} {source.version}"
    if version is None:
        version = ModuleVersion(
            module=module, version=str(source.version), **_version_fields(source)
        )
        session.add(version)
        report.versions_added.append(label)
    elif _assign(version, _version_fields(source)):
        report.texts_refreshed.append(label)
    if _sync_texts(version, source) and label not in report.versions_added:
        report.texts_refreshed.append(label)
    for digest, media in source.media.items():
        if session.get(MediaFile, digest) is None:
            session.add(MediaFile(digest=digest, mime=media.mime, data=media.path.read_bytes()))
    return moved


def _version_fields(source: SourceModule) -> dict:
    """A version's columns from its source; the same values unless content changed."""
    return {
        "content_hash": source.content_hash,
        "title": source.title,
        "minutes": source.minutes,
        "objectives": source.objectives,
        "changes": source.changes,
        "sources": source.sources,
        "legal_review": source.legal_review,
    }


def _sync_texts(version: ModuleVersion, source: SourceModule) -> bool:
    """Store each language's rendered HTML; same content rendered anew replaces the old HTML."""
    existing = {text.language: text for text in version.texts}
    original = next(iter(source.texts))
    changed = False
    for language, text in source.texts.items():
        # A lesson translated before its quiz is offered with the original quiz.
        quiz = source.quizzes.get(language) or source.quizzes.get(original)
        guide = source.guides.get(language) or source.guides.get(original)
        handout = source.handouts.get(language) or source.handouts.get(original)
        row = existing.get(language)
        if row is None:
            row = ModuleText(language=language)
            version.texts.append(row)
        changed |= _assign(
            row,
            {
                "title": text.title,
                "objectives": text.objectives,
                "html": text.html,
                "status": text.status,
                "translation_of": text.translation_of,
                "quiz": quiz_to_data(quiz) if quiz else None,
                "guide": guide_to_data(guide) if guide else None,
                "handout_html": handout,
                "shared_activities": text.shared,
            },
        )
    return changed


def _retire(session: Session, courses: set[str], modules: set[str], report: SyncReport) -> None:
    """Hide courses and modules that left the repository, keeping their rows and history."""
    for course in session.scalars(select(Course).where(Course.listed)):
        if course.key not in courses:
            course.listed = False
            report.retired.append(course.key)
    for module in session.scalars(select(Module).where(Module.listed)):
        if module.key not in modules:
            module.listed = False
            report.retired.append(module.key)


def _assign(row: object, values: dict) -> bool:
    """Set attributes that differ; True when any did, so unchanged rows are not rewritten."""
    changed = False
    for name, value in values.items():
        if getattr(row, name, None) != value:
            setattr(row, name, value)
            changed = True
    return changed
