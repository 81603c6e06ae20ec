"""Read what trainees see from the database: listed courses and modules, current versions."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from academy.models import (
    Course,
    Module,
    ModuleText,
    ModuleVersion,
    Publication,
    QuizAttempt,
    User,
)

# A module joined to the version the repository holds now: the one trainees read.
CURRENT_VERSION = (ModuleVersion.module_id == Module.id) & (
    ModuleVersion.version == Module.current_version
)


@dataclass
class ModuleEntry:
    """A module as listed on a course page, in the trainee's language."""

    module: Module
    version: ModuleVersion
    text: ModuleText
    number: int


def listed_courses(session: Session) -> list[Course]:
    """Courses in the repository now, in catalogue order."""
    return list(
        session.scalars(
            select(Course)
            .where(Course.listed)
            .order_by(Course.position)
            .options(selectinload(Course.modules))
        )
    )


def course_by_public_id(session: Session, public_id: str) -> Course | None:
    """A listed course by the opaque id in its URL."""
    return session.scalar(select(Course).where(Course.public_id == public_id, Course.listed))


def languages_covered(entries: list[ModuleEntry]) -> dict[str, int]:
    """For each language, how many of these modules can be read in it."""
    return dict(Counter(text.language for entry in entries for text in entry.version.texts))


def module_entries(session: Session, course: Course, languages: list[str]) -> list[ModuleEntry]:
    """The course's listed modules in order, each at its current version and best language."""
    rows = session.execute(
        select(Module, ModuleVersion)
        .join(ModuleVersion, CURRENT_VERSION)
        .where(Module.course_id == course.id, Module.listed)
        .order_by(Module.position)
        # Lists show titles and objectives; each page loads the one lesson, quiz or guide it
        # shows when it first reads it, not those of every module in the course.
        .options(
            selectinload(ModuleVersion.texts).defer(ModuleText.html),
            selectinload(ModuleVersion.texts).defer(ModuleText.guide),
            selectinload(ModuleVersion.texts).defer(ModuleText.handout_html),
            selectinload(ModuleVersion.texts).defer(ModuleText.shared_activities),
            selectinload(ModuleVersion.texts).defer(ModuleText.quiz),
        )
    ).all()
    return [
        ModuleEntry(module, version, version.text(languages), number)
        for number, (module, version) in enumerate(rows, start=1)
    ]


def module_by_public_id(session: Session, public_id: str) -> Module | None:
    """A listed module, in a listed course, by the opaque id in its URL."""
    return session.scalar(
        select(Module)
        .join(Course)
        .where(Module.public_id == public_id, Module.listed, Course.listed)
    )


def attempt_of(session: Session, user: User, public_id: str) -> QuizAttempt | None:
    """One of the trainee's own attempts; another trainee's id finds nothing."""
    return session.scalar(
        select(QuizAttempt).where(
            QuizAttempt.public_id == public_id, QuizAttempt.user_id == user.id
        )
    )


def publication_number(session: Session) -> int | None:
    """The number the last sync that changed anything set; None before the first sync."""
    return session.scalar(select(Publication.generation).where(Publication.id == 1))
