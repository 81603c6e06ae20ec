"""LTI pages: login initiation, launch, Academy's public keys, deep linking, platforms (admin)."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Response,
    current_app,
    flash,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from werkzeug.exceptions import NotFound

from academy import csrf
from academy.accounts.access import access
from academy.accounts.auth import start_fresh
from academy.db import db
from academy.learn import queries
from academy.limits import limiter, too_many_requests
from academy.locale import content_languages
from academy.lti import bp, launches, operations
from academy.lti.forms import PlatformForm
from academy.lti.toolconf import DatabaseToolConf
from academy.models import Course, Module
from academy.site.headers import content_security_policy, protect

bp.after_request(protect)


@bp.before_request
def own_accounts_only() -> None:
    """Inside a host site with its own users there is no LTI: launches sign in Academy's own."""
    if current_app.extensions["academy"].user_loader is not None:
        raise NotFound()


@bp.route("/lti/login", methods=["GET", "POST"])
@access("public")
@limiter.limit(
    lambda: current_app.config["ACADEMY_LTI_LOGIN_LIMIT"],
    on_breach=too_many_requests,
    scope="lti-login",
)
# The platform starts a login from its own site: a GET, or a cross-site POST carrying no token
# of Academy's (and no session cookie: it is SameSite=Lax). What protects the launch is what
# this begins: a state cookie and a single-use nonce that the signed launch must bring back.
@csrf.exempt
def login() -> Response | tuple[str, int]:
    """Begin a launch: send the browser to the platform's sign-in with a new state and nonce."""
    try:
        response = launches.login_redirect()
    except launches.LaunchRefused as refusal:
        return _refused(refusal)
    db.session.commit()  # the nonce, for whichever worker receives the launch
    return response


@bp.post("/lti/launch")
@access("public")
# The platform's page posts the launch cross-site, so no CSRF token (or session cookie) of
# Academy's can come with it; the platform's signature, the state and the nonce prove it.
@csrf.exempt
def launch() -> Response | tuple[str, int] | str:
    """A checked launch: a learner is signed in and lands on their page; a teacher chooses."""
    try:
        message = launches.validated_launch()
        if message.is_deep_link_launch():
            launches.check_teacher(message)
            page = render_template(
                "lti/launch.html", launch_id=message.get_launch_id(), courses=_catalogue()
            )
            db.session.commit()  # the request's few claims, kept for the teacher's choice
            return page
        user, landing = launches.learner_arrives(db.session, message)
    except launches.LaunchRefused as refusal:
        return _refused(refusal)
    start_fresh(user)
    db.session.commit()
    return redirect(landing, code=303)


@bp.get("/lti/jwks")
@access("public")
def jwks() -> Response:
    """Academy's public keys, by which platforms check what Academy signs."""
    return jsonify(DatabaseToolConf(db.session).get_jwks())


@bp.get("/lti/deep-link")
@access("public")
def deep_link() -> Response | tuple[str, int]:
    """The signed answer naming the teacher's choice, in a form they send to their platform.

    A GET, as it writes nothing in Academy: the chooser runs inside the platform's frame, where
    Academy's session cookie (and so a CSRF token) is never sent. The launch id, given to the
    teacher's browser alone, is what lets the answer be made.
    """
    try:
        message = launches.restored_launch(request.args.get("launch", ""))
        item, title, graded = _chosen()
        token, return_url = launches.deep_link_answer(message, item, title, graded)
    except launches.LaunchRefused as refusal:
        return _refused(refusal)
    response = make_response(
        render_template("lti/deep_link.html", title=title, token=token, return_url=return_url)
    )
    # This page's one form posts to the platform, which the usual policy would not allow.
    target = urlsplit(return_url)
    response.headers["Content-Security-Policy"] = content_security_policy(
        (f"{target.scheme}://{target.netloc}",)
    )
    return response


@bp.route("/lti/platforms", methods=["GET", "POST"])
@access("admin")
def platforms() -> Response | tuple[str, int]:
    """The registered learning platforms, and a form to register another."""
    form = PlatformForm()
    if form.validate_on_submit():
        try:
            operations.register_platform(db.session, form.details())
        except operations.AlreadyRegistered:
            db.session.rollback()
            form.deployment_id.errors.append(_("This platform already has this deployment."))
        else:
            db.session.commit()
            flash(_("Platform registered. Academy's addresses below go in its tool settings."))
            return redirect(url_for("lti.platforms"), code=303)
    page = render_template(
        "lti/platforms.html",
        form=form,
        platforms=operations.platforms(db.session),
        urls=launches.tool_urls(),
    )
    return page, 400 if form.is_submitted() else 200


def _catalogue() -> list[tuple[Course, list[queries.ModuleEntry]]]:
    """Every listed course with its modules, in the reader's language."""
    return [
        (course, queries.module_entries(db.session, course, content_languages()))
        for course in queries.listed_courses(db.session)
    ]


def _chosen() -> tuple[Module | Course, str, bool]:
    """The module or course the teacher picked, its title, and whether it has a quiz to grade."""
    module_id, course_id = request.args.get("module"), request.args.get("course")
    if module_id:
        module = queries.module_by_public_id(db.session, module_id)
        if module is not None:
            entries = queries.module_entries(db.session, module.course, content_languages())
            entry = next(entry for entry in entries if entry.module.id == module.id)
            return module, entry.text.title, entry.text.quiz is not None
    elif course_id:
        course = queries.course_by_public_id(db.session, course_id)
        if course is not None:
            return course, course.title, False
    raise launches.LaunchRefused("no such module or course to link to")


def _refused(refusal: launches.LaunchRefused) -> tuple[str, int]:
    """Undo anything the refused request began, log why, and say so plainly."""
    db.session.rollback()
    # The reason is pylti1p3's (a failed check, a platform's status): it names no person.
    current_app.logger.warning("LTI: %s", refusal)
    return render_template("lti/refused.html", status=refusal.status), refusal.status
