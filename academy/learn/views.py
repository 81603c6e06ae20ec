"""Trainee pages. Thin: read the request, ask queries.py, render."""

from __future__ import annotations

from flask import render_template, request
from werkzeug.exceptions import NotFound

from academy.content.quiz import Quiz, quiz_from_data
from academy.db import db
from academy.learn import bp, queries, quizzes
from academy.locale import content_languages
from academy.site.headers import protect

bp.after_request(protect)


@bp.get("/")
def catalogue() -> str:
    """Every course with its size and how much of it each language covers; `?in=fr` filters."""
    courses = queries.listed_courses(db.session)
    entries = {
        course.id: queries.module_entries(db.session, course, content_languages())
        for course in courses
    }
    # Counted from the entries already loaded (with their texts): no query per language.
    counts = {course.id: queries.languages_covered(entries[course.id]) for course in courses}
    available = sorted({language for count in counts.values() for language in count})
    shown = request.args.get("in", "")
    if shown:
        courses = [course for course in courses if counts[course.id].get(shown)]
    return render_template(
        "learn/catalogue.html",
        courses=courses,
        entries=entries,
        counts=counts,
        available=available,
        shown=shown,
    )


@bp.get("/c/<public_id>")
def course(public_id: str) -> str:
    """One course: its modules in order with their time and objectives."""
    course = queries.course_by_public_id(db.session, public_id) or _not_found()
    entries = queries.module_entries(db.session, course, content_languages())
    return render_template("learn/course.html", course=course, entries=entries)


@bp.get("/m/<public_id>")
def module(public_id: str) -> str:
    """One module's lesson, with links to the previous and next module."""
    module = queries.module_by_public_id(db.session, public_id) or _not_found()
    entries = queries.module_entries(db.session, module.course, content_languages())
    index = next(i for i, entry in enumerate(entries) if entry.module.id == module.id)
    return render_template(
        "learn/module.html",
        course=module.course,
        entry=entries[index],
        previous=entries[index - 1] if index > 0 else None,
        next=entries[index + 1] if index + 1 < len(entries) else None,
    )


@bp.get("/m/<public_id>/q")
def quiz(public_id: str) -> str:
    """The module's quiz as one plain form; the answer key stays on the server."""
    entry, quiz = _quiz_of(public_id)
    return render_template("learn/quiz.html", entry=entry, quiz=quiz, error=None)


@bp.post("/m/<public_id>/q")
def quiz_POST(public_id: str) -> tuple[str, int] | str:
    """Mark the submitted answers and show each one with its feedback."""
    entry, quiz = _quiz_of(public_id)
    try:
        answers = quizzes.read_answers(quiz, request.form)
    except quizzes.UnreadableAnswers:
        page = render_template("learn/quiz.html", entry=entry, quiz=quiz, error=True)
        return page, 400
    marked = quizzes.mark(quiz, answers)
    return render_template("learn/quiz_results.html", entry=entry, quiz=quiz, marked=marked)


def _quiz_of(public_id: str) -> tuple[queries.ModuleEntry, Quiz]:
    """The module entry in the reader's language and its quiz, or 404."""
    module = queries.module_by_public_id(db.session, public_id) or _not_found()
    entries = queries.module_entries(db.session, module.course, content_languages())
    entry = next(entry for entry in entries if entry.module.id == module.id)
    if entry.text.quiz is None:
        _not_found()
    return entry, quiz_from_data(entry.text.quiz)


def _not_found():
    """Stop with the friendly 404 page."""
    raise NotFound()
