"""What goes on paper: a course's modules gathered from the database in one language."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from academy.content.guide import Guide, guide_from_data
from academy.content.quiz import Quiz, quiz_from_data
from academy.learn import queries
from academy.models import Course, Module, ModuleText, ModuleVersion

PAPERS = {"a4": "A4", "letter": "letter"}


class PrintChoiceError(ValueError):
    """A language or paper size that cannot be printed; the message says what can."""


@dataclass
class PrintedModule:
    """One module as printed: its version, its text in the chosen language, quiz and guide."""

    number: int
    module: Module
    version: ModuleVersion
    text: ModuleText
    quiz: Quiz | None
    guide: Guide | None
    handout_html: str | None


def check_choice(course: Course, language: str, paper: str) -> None:
    """Refuse a language the course is not written in, or an unknown paper size."""
    if language not in course.languages:
        raise PrintChoiceError(
            _(
                "“%(language)s” is not a language of this course (it has: %(languages)s).",
                language=language[:20],
                languages=", ".join(course.languages),
            )
        )
    if paper not in PAPERS:
        raise PrintChoiceError(
            _(
                "“%(paper)s” is not a paper size (choose: %(papers)s).",
                paper=paper[:20],
                papers=", ".join(PAPERS),
            )
        )


def printed_modules(
    session: Session, course: Course, language: str, only: Module | None = None
) -> list[PrintedModule]:
    """The course's modules (or just `only`) at their current version, in `language` if any."""
    entries = queries.module_entries(session, course, [language, course.languages[0]])
    return [
        PrintedModule(
            entry.number,
            entry.module,
            entry.version,
            entry.text,
            quiz_from_data(entry.text.quiz) if entry.text.quiz else None,
            guide_from_data(entry.text.guide) if entry.text.guide else None,
            entry.text.handout_html,
        )
        for entry in entries
        if only is None or entry.module.id == only.id
    ]
