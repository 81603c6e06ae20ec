"""Trainee pages. Thin: read the request, ask queries.py, render."""

from __future__ import annotations

import math
from collections.abc import Callable

from flask import Response, current_app, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf.csrf import validate_csrf
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import NotFound
from wtforms import ValidationError

from academy import BACKGROUND_HEADER, csrf
from academy.accounts.access import access
from academy.accounts.auth import start_fresh
from academy.accounts.operations import authenticate
from academy.content.quiz import Quiz, quiz_from_data
from academy.db import db, write_if_possible
from academy.facilitate import peers
from academy.learn import (
    bp,
    images,
    offline,
    offline_reading,
    operations,
    progress,
    queries,
    quizzes,
)
from academy.learn.page_cache import guest_page
from academy.limits import wrong_passwords_limit
from academy.locale import content_languages
from academy.lti import grades as lti_grades
from academy.models import Course, ModuleVersion, QuizAttempt, User
from academy.site import saver as data_saver
from academy.site.assets import script
from academy.site.headers import content_security_policy, protect

bp.after_request(protect)


@bp.get("/")
@access("public")
def catalogue() -> str:
    """Every course with its size and how much of it each language covers; `?in=fr` filters."""
    courses = queries.listed_courses(db.session)
    entries = {
        course.id: queries.module_entries(db.session, course, content_languages())
        for course in courses
    }
    # Counted from the entries already loaded (with their texts): no query per language.
    counts = {course.id: queries.languages_covered(entries[course.id]) for course in courses}
    # One query for the whole page: states by module id, across all courses.
    states = progress.module_states(
        db.session, _trainee(), [e for es in entries.values() for e in es]
    )
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
        done=progress.done_per_course(entries, states),
    )


@bp.get("/c/<public_id>")
@access("public")
def course(public_id: str) -> str:
    """One course: its modules in order with their time and objectives."""
    course = queries.course_by_public_id(db.session, public_id) or _not_found()
    entries = queries.module_entries(db.session, course, content_languages())
    states = progress.module_states(db.session, _trainee(), entries)
    return render_template(
        "learn/course.html",
        course=course,
        entries=entries,
        states=states,
        complete=progress.course_complete(states),
        cohort=peers.cohort_for(db.session, current_user, course) if _trainee() else None,
    )


@bp.get("/m/<public_id>")
@access("public")
def module(public_id: str) -> str | Response:
    """One module's lesson, with the trainee's progress and the previous and next module."""
    if not _trainee():
        # Between two syncs a guest's page cannot change: it is found by the publication
        # number alone, without the queries that build it.
        generation = queries.publication_number(db.session)
        if generation is not None:
            key = ("module", public_id, generation, data_saver.is_on())
            return guest_page(key, lambda: _module_for(public_id))
    return _module_for(public_id)


def _module_for(public_id: str) -> str:
    """The module page for whoever is reading, built from the database."""
    module = queries.module_by_public_id(db.session, public_id) or _not_found()
    entries = queries.module_entries(db.session, module.course, content_languages())
    index = next(i for i, entry in enumerate(entries) if entry.module.id == module.id)
    entry = entries[index]
    state = progress.module_states(db.session, _trainee(), [entry])[module.id]
    previous = entries[index - 1] if index > 0 else None
    following = entries[index + 1] if index + 1 < len(entries) else None
    if not _trainee():
        return _module_page(module, entry, state, None, {}, previous, following)
    answers = {}
    _commit_quietly(lambda: operations.record_open(db.session, current_user, entry.version))
    cohort = peers.cohort_for(db.session, current_user, module.course)
    if cohort is not None:
        answers = peers.answers(db.session, cohort, module, current_user)
    return _module_page(module, entry, state, cohort, answers, previous, following)


def _module_page(module, entry, state, cohort, answers, previous, following) -> str:
    """The module page as rendered for one reader."""
    return render_template(
        "learn/module.html",
        course=module.course,
        entry=entry,
        # Left out here, once per rendering: the guest page cache keeps the result.
        lesson=images.without_images(entry.text.html) if data_saver.is_on() else entry.text.html,
        state=state,
        cohort=cohort,
        answers=answers,
        previous=previous,
        next=following,
    )


@bp.get("/m/<public_id>/q")
@access("public")
def quiz(public_id: str) -> str:
    """The module's quiz as one plain form; the answer key stays on the server."""
    entry, quiz = _quiz_of(public_id)
    return _quiz_page(entry, quiz)


@bp.post("/m/<public_id>/q")
@access("public")
@csrf.exempt  # checked below instead, so that a token that expired does not lose the answers
# Signing in again from the quiz form is a place to guess passwords: counted with sign-in's.
@wrong_passwords_limit(exempt_when=lambda: not request.form.get("password"))
def quiz_POST(public_id: str) -> Response | tuple[str, int] | str:
    """Mark the answers; a trainee's attempt is stored once, a guest's is only shown."""
    entry, quiz = _quiz_of(public_id)
    if request.headers.get(BACKGROUND_HEADER):
        return _queued_answers(entry)
    version, language = entry.version, entry.text.language
    try:
        if not _csrf_valid():
            raise quizzes.StaleForm("the page's security token expired")
        ticket = None
        if "ticket" in request.form and not _trainee() and not _signed_in_again():
            # Made for a signed-in trainee who has since been signed out (the phone sat idle):
            # not marked as a guest's, which would lose the attempt, but kept and asked again.
            kept = quizzes.readable_answers(quiz, request.form)
            page = _quiz_page(
                entry,
                quiz,
                answers=kept,
                signed_out=True,
                failed=bool(request.form.get("password")),
                ticket=request.form["ticket"],
            )
            return page, 400
        if _trainee() and "ticket" in request.form:
            ticket = quizzes.read_ticket(_secret(), current_user.id, request.form["ticket"])
            version, language, quiz = _quiz_shown(entry, ticket)
        answers = quizzes.read_answers(quiz, request.form)
    except quizzes.StaleForm:
        # Filled in again with what they chose, on a fresh form: one more tap sends it.
        kept = quizzes.readable_answers(quiz, request.form)
        return _quiz_page(entry, quiz, stale=True, answers=kept), 400
    except quizzes.UnreadableAnswers:
        return _quiz_page(entry, quiz, error=True), 400
    marked = quizzes.mark(quiz, answers)
    if ticket is None:
        return render_template("learn/quiz_results.html", entry=entry, quiz=quiz, marked=marked)
    attempt = _store(version, language, ticket, answers, marked)
    return redirect(url_for("learn.result", public_id=attempt.public_id), code=303)


def _queued_answers(entry: queries.ModuleEntry) -> Response:
    """Answers offline reading sends by itself: stored once, or refused with no page at all.

    Only for the signed-in trainee the form's ticket names. The ticket (signed, theirs, one
    use) stands in for the CSRF token, which a form kept on the phone may have outlived; no other
    site can send this header without the browser asking first. Nothing is rendered, so the
    phone keeps nothing and no form open on its screen loses its token.
    """
    if not (_trainee() and "ticket" in request.form):
        return Response(status=409)
    try:
        ticket = quizzes.read_ticket(_secret(), current_user.id, request.form["ticket"])
        version, language, quiz = _quiz_shown(entry, ticket)
        answers = quizzes.read_answers(quiz, request.form)
    except (quizzes.StaleForm, quizzes.UnreadableAnswers):
        return Response(status=409)
    attempt = _store(version, language, ticket, answers, quizzes.mark(quiz, answers))
    result = url_for("learn.result", public_id=attempt.public_id)
    return Response(status=204, headers={"Academy-Result": result})


def _store(
    version: ModuleVersion,
    language: str,
    ticket: quizzes.FormTicket,
    answers: list[set[int] | str],
    marked: quizzes.Marked,
) -> QuizAttempt:
    """Store a trainee's marked attempt once per ticket, and pass the score to an LMS."""
    attempt = operations.record_attempt(
        db.session, current_user, version, language, ticket.nonce, answers, marked
    )
    db.session.commit()
    lti_grades.send_score(attempt)  # a learner launched from a platform: the score goes there too
    return attempt


@bp.get("/r/<public_id>")
@access("trainee")
def result(public_id: str) -> str:
    """A stored attempt, shown only to the trainee who made it."""
    attempt = queries.attempt_of(db.session, current_user, public_id) or _not_found()
    version = attempt.module_version
    text = next((t for t in version.texts if t.language == attempt.language), None)
    if text is None or text.quiz is None or not version.module.listed:
        _not_found()
    quiz = quiz_from_data(text.quiz)
    marked = quizzes.mark(quiz, [_answer(answer) for answer in attempt.answers])
    entries = queries.module_entries(db.session, version.module.course, content_languages())
    entry = next((e for e in entries if e.module.id == version.module_id), None) or _not_found()
    return render_template(
        "learn/quiz_results.html", entry=entry, quiz=quiz, marked=marked, attempt=attempt
    )


@bp.get("/progress", endpoint="progress")
@access("trainee")
def progress_page() -> str:
    """Every course the trainee started, each module's state, and whether it is complete."""
    courses = queries.listed_courses(db.session)
    entries = {
        course.id: queries.module_entries(db.session, course, content_languages())
        for course in courses
    }
    states = progress.module_states(
        db.session, current_user, [e for es in entries.values() for e in es]
    )
    started = [
        course
        for course in courses
        if any(states[entry.module.id].status != "new" for entry in entries[course.id])
    ]
    return render_template(
        "learn/progress.html",
        courses=started,
        entries=entries,
        states=states,
        done=progress.done_per_course(entries, states),
    )


def _quiz_page(
    entry: queries.ModuleEntry,
    quiz: Quiz,
    error: bool = False,
    stale: bool = False,
    answers: list[set[int] | str] | None = None,
    signed_out: bool = False,
    failed: bool = False,
    ticket: str | None = None,
) -> str:
    """The quiz form (filled in with `answers` if given); a trainee's carries a fresh ticket."""
    if _trainee():
        ticket = quizzes.issue_ticket(
            _secret(), current_user.id, entry.version.id, entry.text.language
        )
    return render_template(
        "learn/quiz.html",
        entry=entry,
        quiz=quiz,
        error=error,
        stale=stale,
        signed_out=signed_out,
        failed=failed,
        answers=answers or [set() if q.kind != "short" else "" for q in quiz.questions],
        ticket=ticket,
    )


def _signed_in_again() -> bool:
    """Sign in from the username and password typed into a quiz form; True when it worked."""
    name, password = request.form.get("username", ""), request.form.get("password", "")
    if not (name and password):
        return False
    user = authenticate(db.session, name, password)
    if user is None:
        return False
    start_fresh(user)
    db.session.commit()
    return True


def _csrf_valid() -> bool:
    """True when the form's CSRF token is good (or CSRF checks are off, as in some tests)."""
    if not current_app.config.get("WTF_CSRF_ENABLED", True):
        return True
    try:
        validate_csrf(request.form.get("csrf_token"))
    except ValidationError:
        return False
    return True


def _quiz_shown(
    entry: queries.ModuleEntry, ticket: quizzes.FormTicket
) -> tuple[ModuleVersion, str, Quiz]:
    """The version, language and quiz the ticketed form showed (perhaps an older version)."""
    version = db.session.get(ModuleVersion, ticket.version_id)
    if version is None or version.module_id != entry.module.id:
        raise quizzes.UnreadableAnswers("the form belongs to another module")
    text = next((t for t in version.texts if t.language == ticket.language), None)
    if text is None or text.quiz is None:
        raise quizzes.UnreadableAnswers("the form's quiz is gone")
    return version, ticket.language, quiz_from_data(text.quiz)


def _answer(stored: list[int] | str) -> set[int] | str:
    """A stored answer back in the form `mark` takes."""
    return set(stored) if isinstance(stored, list) else stored


def _trainee() -> User | None:
    """The signed-in trainee, or None for a guest."""
    return current_user if current_user.is_authenticated else None


def _secret() -> str:
    """The key that signs quiz form tickets."""
    return current_app.config["SECRET_KEY"]


def _commit_quietly(write: Callable[[], object]) -> None:
    """Record progress; losing a race, or a database refusing writes, must not stop reading."""
    try:
        write_if_possible(write)
    except IntegrityError:
        db.session.rollback()


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


@bp.get("/m/<public_id>/offline.html")
@access("public")
def offline_module(public_id: str) -> Response:
    """The module as one self-contained file to read offline or pass on, in the reader's words."""
    module = queries.module_by_public_id(db.session, public_id) or _not_found()
    entries = queries.module_entries(db.session, module.course, content_languages())
    entry = next(entry for entry in entries if entry.module.id == module.id)
    html = offline.module_file(db.session, entry, data_saver.is_on())
    return offline.download(html, f"lesson-{entry.number}.html")


@bp.get("/c/<public_id>/offline.html")
@access("public")
def offline_course(public_id: str) -> Response:
    """Every module of the course in one self-contained file, after a table of contents."""
    course = queries.course_by_public_id(db.session, public_id) or _not_found()
    entries = queries.module_entries(db.session, course, content_languages())
    html = offline.course_file(db.session, course, entries, data_saver.is_on())
    return offline.download(html, "course.html")


@bp.get("/offline", endpoint="offline_reading")
@access("public")
def offline_reading_page() -> Response:
    """Offline reading: what it keeps on the phone, turning it on, saving a course, removing it."""
    saver = data_saver.is_on()
    page = render_template(
        "learn/offline_reading.html",
        courses=offline_reading.kept_courses(db.session, content_languages(), saver),
        basics=offline_reading.basic_paths(),
        saver=saver,
        script=script("offline.js")[0],
    )
    response = Response(page)
    policy = content_security_policy(scripts=("offline.js",), workers=True)
    response.headers["Content-Security-Policy"] = policy
    return response


@bp.app_template_global()
def offline_kb(entry: queries.ModuleEntry) -> int:
    """The size of a module's offline file in KB, for the link on its page."""
    return math.ceil(offline.module_size(db.session, entry) / 1024)


@bp.app_template_global()
def offline_course_kb(course: Course, entries: list[queries.ModuleEntry]) -> int:
    """The size of a course's offline file in KB, for the link on its page."""
    return math.ceil(offline.course_size(db.session, course, entries) / 1024)
