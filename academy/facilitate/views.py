"""Facilitator pages (cohorts, dashboard, guides) and the trainee side of cohorts."""

from __future__ import annotations

from flask import Response, abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from academy.accounts.access import access
from academy.content.guide import guide_from_data
from academy.content.quiz import quiz_from_data
from academy.db import db
from academy.facilitate import bp, dashboard, operations, peers
from academy.facilitate.forms import AnswerForm, CohortForm, JoinForm, SessionHeldForm
from academy.handouts.render import LocalFetcher, render_pdf
from academy.learn import queries
from academy.limits import limiter, signed_in_user, too_many_requests
from academy.locale import content_languages
from academy.models import Cohort, Module, SessionHeld, SharedAnswer
from academy.site.headers import protect

bp.after_request(protect)

ANSWER_MESSAGES = {
    "empty": _l("Write something first."),
    "long": _l("Your answer is too long."),
    "link": _l("Links cannot be shared here. Describe the place or page in words."),
}


def _limit(setting: str):
    """A per-trainee rate limit on POSTs, read from the config at request time."""
    return limiter.limit(
        lambda: current_app.config[setting],
        key_func=signed_in_user,
        methods=["POST"],
        on_breach=too_many_requests,
        scope=setting,
    )


# -- facilitators -----------------------------------------------------------------------


@bp.route("/f/", methods=["GET", "POST"])
@access("facilitator")
def cohorts() -> Response | str | tuple[str, int]:
    """The facilitator's cohorts, and a form to start a new one."""
    form = _cohort_form()
    if form.validate_on_submit():
        course = queries.course_by_public_id(db.session, form.course.data) or abort(400)
        cohort = operations.create_cohort(
            db.session,
            current_user,
            course,
            form.name.data,
            form.language.data,
            form.starts_on.data,
        )
        db.session.commit()
        return redirect(url_for("facilitate.cohort", public_id=cohort.public_id), code=303)
    mine = db.session.scalars(
        select(Cohort)
        .where(Cohort.facilitator_id == current_user.id)
        .order_by(Cohort.closed_at.is_not(None), Cohort.created_at.desc())
    ).all()
    status = 400 if form.errors else 200
    return render_template("facilitate/cohorts.html", cohorts=mine, form=form), status


def _cohort_form() -> CohortForm:
    """The new-cohort form, its choices filled from the published courses."""
    form = CohortForm()
    courses = queries.listed_courses(db.session)
    form.course.choices = [(c.public_id, c.title) for c in courses]
    languages = sorted({code for c in courses for code in c.languages})
    form.language.choices = [(code, code) for code in languages]
    return form


def _own_cohort(public_id: str) -> Cohort:
    """The cohort, if the current facilitator runs it (an admin sees all); else 404."""
    cohort = db.session.scalar(select(Cohort).where(Cohort.public_id == public_id))
    if cohort is None or (
        cohort.facilitator_id != current_user.id and current_user.role != "admin"
    ):
        abort(404)  # not 403: another facilitator's cohort does not exist for you
    return cohort


@bp.get("/f/g/<public_id>")
@access("facilitator")
def cohort(public_id: str) -> str:
    """A cohort's dashboard: join code, members, progress grid, sessions held, answers."""
    cohort = _own_cohort(public_id)
    return _dashboard(cohort, SessionHeldForm(), 200)


def _dashboard(cohort: Cohort, session_form: SessionHeldForm, status: int):
    """Render the dashboard with the session form as given (blank, or with its messages)."""
    result = dashboard.grid(db.session, cohort, [cohort.language, *content_languages()])
    session_form.module.choices = [(e.module.public_id, e.text.title) for e in result.entries]
    held = db.session.scalars(
        select(SessionHeld)
        .where(SessionHeld.cohort_id == cohort.id)
        .order_by(SessionHeld.held_on.desc())
    ).all()
    page = render_template(
        "facilitate/cohort.html",
        cohort=cohort,
        grid=result,
        held=held,
        session_form=session_form,
        answers=peers.all_answers(db.session, cohort),
    )
    return page, status


@bp.post("/f/g/<public_id>/remove/<int:member_id>")
@access("facilitator")
def remove_member(public_id: str, member_id: int) -> Response:
    """Take a member out of the cohort."""
    cohort = _own_cohort(public_id)
    try:
        operations.remove_member(db.session, cohort, member_id)
    except operations.CohortError:
        abort(404)
    db.session.commit()
    return redirect(url_for("facilitate.cohort", public_id=public_id), code=303)


@bp.post("/f/g/<public_id>/close")
@access("facilitator")
def close(public_id: str) -> Response:
    """Close the cohort to new members."""
    operations.close(_own_cohort(public_id))
    db.session.commit()
    return redirect(url_for("facilitate.cohort", public_id=public_id), code=303)


@bp.post("/f/g/<public_id>/sessions")
@access("facilitator")
def record_session(public_id: str) -> Response | tuple[str, int]:
    """Note an in-person session: date, module, head count."""
    cohort = _own_cohort(public_id)
    form = SessionHeldForm()
    entries = queries.module_entries(db.session, cohort.course, content_languages())
    form.module.choices = [(e.module.public_id, e.text.title) for e in entries]
    if not form.validate_on_submit():
        return _dashboard(cohort, form, 400)
    module = next(e.module for e in entries if e.module.public_id == form.module.data)
    operations.record_session(db.session, cohort, module, form.held_on.data, form.present.data)
    db.session.commit()
    return redirect(url_for("facilitate.cohort", public_id=public_id), code=303)


@bp.get("/f/g/<public_id>/grid.csv")
@access("facilitator")
def grid_csv(public_id: str) -> Response:
    """The progress grid as a spreadsheet file."""
    cohort = _own_cohort(public_id)
    result = dashboard.grid(db.session, cohort, [cohort.language, *content_languages()])
    return _csv(dashboard.grid_csv(result), f"group-{cohort.public_id}-progress.csv")


@bp.get("/f/g/<public_id>/q/<module_id>")
@access("facilitator")
def questions(public_id: str, module_id: str) -> str:
    """How the cohort did on each question of one module's quiz."""
    cohort, entry = _cohort_module(public_id, module_id)
    quiz, figures = dashboard.question_figures(db.session, cohort, entry)
    return render_template(
        "facilitate/questions.html", cohort=cohort, entry=entry, quiz=quiz, figures=figures
    )


@bp.get("/f/g/<public_id>/q/<module_id>/csv")
@access("facilitator")
def questions_csv(public_id: str, module_id: str) -> Response:
    """The question analysis as a spreadsheet file."""
    cohort, entry = _cohort_module(public_id, module_id)
    _quiz, figures = dashboard.question_figures(db.session, cohort, entry)
    return _csv(dashboard.questions_csv(figures), f"group-{cohort.public_id}-quiz-{module_id}.csv")


def _cohort_module(public_id: str, module_id: str):
    """The facilitator's cohort and one module of its course, in the cohort's language."""
    cohort = _own_cohort(public_id)
    entries = queries.module_entries(db.session, cohort.course, [cohort.language])
    entry = next((e for e in entries if e.module.public_id == module_id), None) or abort(404)
    return cohort, entry


def _csv(text: str, filename: str) -> Response:
    """A CSV download under a neutral name."""
    response = Response(text, mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@bp.get("/f/g/<public_id>/slip.pdf")
@access("facilitator")
def join_slip(public_id: str) -> Response:
    """A page of join slips to cut out and hand round."""
    cohort = _own_cohort(public_id)
    html = render_template(
        "facilitate/slip.html",
        cohort=cohort,
        address=current_app.config["ACADEMY_PUBLIC_URL"],
        site_name=current_app.config["ACADEMY_SITE_NAME"],
    )
    pdf = render_pdf(html, LocalFetcher(lambda digest: None))
    response = Response(pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="slips-{cohort.public_id}.pdf"'
    return response


@bp.post("/f/g/<public_id>/answers/<answer_id>/hide")
@access("facilitator")
def hide_answer(public_id: str, answer_id: str) -> Response:
    """Hide a shared answer from the cohort (its author is told), or show it again."""
    cohort = _own_cohort(public_id)
    answer = db.session.scalar(
        select(SharedAnswer).where(
            SharedAnswer.public_id == answer_id, SharedAnswer.cohort_id == cohort.id
        )
    ) or abort(404)
    operations.hide_answer(answer, request.form.get("hidden") != "0")
    db.session.commit()
    return redirect(url_for("facilitate.cohort", public_id=public_id) + "#answers", code=303)


@bp.get("/f/m/<public_id>/guide")
@access("facilitator")
def guide(public_id: str) -> str:
    """The module's session plan, with the quiz's answer key taken from quiz.md."""
    module = queries.module_by_public_id(db.session, public_id) or abort(404)
    entries = queries.module_entries(db.session, module.course, content_languages())
    entry = next(e for e in entries if e.module.id == module.id)
    return render_template(
        "facilitate/guide.html",
        entry=entry,
        guide=guide_from_data(entry.text.guide) if entry.text.guide else None,
        quiz=quiz_from_data(entry.text.quiz) if entry.text.quiz else None,
    )


# -- trainees -------------------------------------------------------------------------


@bp.route("/group/join", methods=["GET", "POST"])
@access("trainee")
@_limit("ACADEMY_JOIN_LIMIT")
def join() -> Response | str | tuple[str, int]:
    """Join a cohort with the code the facilitator gave."""
    form = JoinForm()
    if form.validate_on_submit():
        try:
            cohort = operations.join(db.session, current_user, form.code.data)
        except operations.CohortError:
            form.code.errors.append(
                _("No open group has this code. Check it with your facilitator.")
            )
        else:
            db.session.commit()
            return redirect(url_for("learn.course", public_id=cohort.course.public_id), code=303)
    return render_template("facilitate/join.html", form=form), 400 if form.errors else 200


@bp.post("/group/<public_id>/leave")
@access("trainee")
def leave(public_id: str) -> Response:
    """Leave a cohort; the answers shared there are deleted."""
    cohort = next(
        (c for c in peers.cohorts_of(db.session, current_user) if c.public_id == public_id), None
    )
    if cohort is None:
        abort(404)
    operations.leave(db.session, cohort, current_user)
    db.session.commit()
    return redirect(url_for("learn.course", public_id=cohort.course.public_id), code=303)


@bp.post("/m/<public_id>/share/<int:activity>")
@access("trainee")
@_limit("ACADEMY_SHARE_LIMIT")
def share(public_id: str, activity: int) -> Response | tuple[str, int]:
    """Post an answer to a shared activity, for the trainee's cohort."""
    module = queries.module_by_public_id(db.session, public_id) or abort(404)
    cohort = peers.cohort_for(db.session, current_user, module.course) or abort(403)
    form = AnswerForm()
    error = _answer_error(form)
    if error is None:
        try:
            operations.share_answer(
                db.session, cohort, current_user, module, activity, form.body.data
            )
        except operations.CohortError as exc:
            error = str(ANSWER_MESSAGES[str(exc)])
    if error is not None:
        return _answer_problem(module.public_id, error)
    db.session.commit()
    return redirect(url_for("learn.module", public_id=public_id) + f"#share{activity}", code=303)


@bp.post("/a/<answer_id>/edit")
@access("trainee")
@_limit("ACADEMY_SHARE_LIMIT")
def edit_answer(answer_id: str) -> Response | tuple[str, int]:
    """Change one's own shared answer."""
    answer = _own_answer(answer_id)
    form = AnswerForm()
    error = _answer_error(form)
    if error is None:
        try:
            operations.edit_answer(answer, form.body.data)
        except operations.CohortError as exc:
            error = str(ANSWER_MESSAGES[str(exc)])
    module_id = _module_public_id(answer)
    if error is not None:
        return _answer_problem(module_id, error)
    db.session.commit()
    return redirect(
        url_for("learn.module", public_id=module_id) + f"#share{answer.activity}", code=303
    )


@bp.post("/a/<answer_id>/delete")
@access("trainee")
def delete_answer(answer_id: str) -> Response:
    """Delete one's own shared answer."""
    answer = _own_answer(answer_id)
    module_id = _module_public_id(answer)
    db.session.delete(answer)
    db.session.commit()
    return redirect(
        url_for("learn.module", public_id=module_id) + f"#share{answer.activity}", code=303
    )


def _own_answer(answer_id: str) -> SharedAnswer:
    """The trainee's own answer, or 404 (someone else's answer does not exist for you)."""
    answer = db.session.scalar(
        select(SharedAnswer).where(
            SharedAnswer.public_id == answer_id, SharedAnswer.user_id == current_user.id
        )
    )
    return answer or abort(404)


def _module_public_id(answer: SharedAnswer) -> str:
    """The public id of the module an answer belongs to."""
    return db.session.get(Module, answer.module_id).public_id


def _answer_error(form: AnswerForm) -> str | None:
    """The first problem with a submitted answer, if any."""
    if form.validate_on_submit():
        return None
    return next((e for errors in form.errors.values() for e in errors), _("Write something first."))


def _answer_problem(module_id: str, message: str) -> tuple[str, int]:
    """A small page that says what was wrong with the answer and leads back to the lesson."""
    page = render_template("facilitate/answer_problem.html", message=message, module_id=module_id)
    return page, 400
