"""Shared routes and filters: stylesheet, media, language choice, quick exit, error pages."""

from __future__ import annotations

from datetime import date

from babel import Locale
from flask import (
    Flask,
    Response,
    current_app,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.globals import request_ctx
from flask_babel import format_date, get_locale
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, NotFound

from academy import csrf
from academy.accounts.access import access
from academy.accounts.auth import forget_here
from academy.accounts.operations import end_session, set_language
from academy.db import db
from academy.locale import LANGUAGE_COOKIE, LANGUAGE_COOKIE_AGE, LANGUAGE_NAMES
from academy.models import MediaFile
from academy.site import bp, saver
from academy.site.assets import (
    exit_script,
    script,
    send_compressed,
    stylesheet,
    stylesheet_encoded,
)
from academy.site.headers import STYLESHEET_POLICY, protect
from academy.site.urls import safe_next

bp.after_request(protect)


@bp.app_context_processor
def site_context() -> dict:
    """Values every template may use."""
    return {
        "site_name": current_app.config["ACADEMY_SITE_NAME"],
        "locale": str(get_locale()),
        "text_direction": get_locale().text_direction,
        "stylesheet_version": stylesheet()[1],
        "exit_script": exit_script()[0],
        "exit_url": current_app.config["ACADEMY_EXIT_URL"],
        # False inside a host site with its own users: its account pages are the host's.
        # Page titles name no topic unless the operator turns discreet mode off.
        "discreet": current_app.config["ACADEMY_DISCREET"],
        "own_accounts": current_app.extensions["academy"].user_loader is None,
        # A function, not a value: only the pages that show the switch ask, and so vary on it.
        "data_saver_on": saver.is_on,
        "languages": [
            (code, LANGUAGE_NAMES.get(code, code))
            for code in current_app.config["ACADEMY_LANGUAGES"]
        ],
    }


@bp.app_template_filter("local_date")
def local_date(iso: str) -> str:
    """A YYYY-MM-DD date as the reader's language writes it (23 nov. 2026, 23.11.2026)."""
    return format_date(date.fromisoformat(iso), format="medium")


@bp.app_template_filter("text_direction")
def text_direction(code: str) -> str:
    """The writing direction (ltr or rtl) of a language, so its text lays out right."""
    return Locale.parse(code).text_direction


@bp.app_template_filter("language_name")
def language_name(code: str) -> str:
    """A language's name in the reader's language (français, ruso)."""
    return Locale.parse(code).get_display_name(get_locale()) or code


@bp.get("/academy-<version>.css")
@access("public")
def css(version: str) -> Response:
    """The one stylesheet, cached for a year: a change gives it a new address."""
    data, current = stylesheet()
    if version != current:
        raise NotFound()
    # Every new visitor downloads it: sent as compressed once, harder than a page can afford.
    response = send_compressed(data, stylesheet_encoded, "text/css")
    response.headers["Content-Security-Policy"] = STYLESHEET_POLICY
    return _immutable(response)


@bp.get("/media/<digest>.<ext>")
@access("public")
def media(digest: str, ext: str) -> Response:
    """A lesson image, addressed by the hash of its bytes."""
    file = db.session.get(MediaFile, digest)
    if file is None:
        raise NotFound()
    return _immutable(Response(file.data, mimetype=file.mime))


@bp.get("/sw.js")
@access("public")
def service_worker() -> Response:
    """The offline reading worker; a phone runs it only after the trainee turns it on."""
    response = Response(script("sw.js")[0], mimetype="text/javascript")
    # Checked again on each visit, so a fix reaches phones at once; unchanged, the check costs
    # a 304. The worker may fetch only this site.
    response.cache_control.no_cache = True
    response.headers["Content-Security-Policy"] = "default-src 'none'; connect-src 'self'"
    response.add_etag()
    return response.make_conditional(request)


@bp.get("/healthz")
@access("public")
def health() -> Response:
    """A trivial answer for load balancers and benchmarks: the process is up."""
    return Response("ok\n", mimetype="text/plain")


@bp.get("/safety")
@access("public")
def safety() -> str:
    """How to stay safe: what the quick exit does and does not, history, shared phones, data."""
    return render_template("site/safety.html")


@bp.get("/lang/<code>")
@access("public")
def language(code: str) -> Response:
    """Remember the reader's language in a cookie and go back to the page they were on."""
    if code not in current_app.config["ACADEMY_LANGUAGES"]:
        raise NotFound()
    target = safe_next(request.args.get("next"), url_for("learn.catalogue"))
    if current_user.is_authenticated:
        set_language(current_user, code)
        db.session.commit()
    response = redirect(target, code=303)
    response.set_cookie(
        LANGUAGE_COOKIE,
        code,
        max_age=LANGUAGE_COOKIE_AGE,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure,
    )
    return response


@bp.get("/saver/<choice>")
@access("public")
def data_saver(choice: str) -> Response:
    """Remember whether to leave lesson images out, and go back to the page the reader was on."""
    if choice not in saver.CHOICES:
        raise NotFound()
    response = redirect(safe_next(request.args.get("next"), url_for("learn.catalogue")), code=303)
    saver.remember(response, choice)
    return response


@bp.route("/exit", methods=["GET", "POST"])
@access("public")
@csrf.exempt  # leaving must never fail, and it only takes data away
def quick_exit() -> Response:
    """Leave at once: end the session, clear this site's data, go to an everyday site."""
    if current_user.is_authenticated:
        end_session(db.session, current_user.session_token)
        db.session.commit()
    forget_here()
    response = redirect(current_app.config["ACADEMY_EXIT_URL"], code=303)
    # The script's beacon (?js) keeps storage, where it notes the exit so that Back leaves too.
    kinds = '"cache", "cookies"' if "js" in request.args else '"cache", "cookies", "storage"'
    response.headers["Clear-Site-Data"] = kinds
    response.headers["Cache-Control"] = "no-store"
    return response


def _immutable(response: Response) -> Response:
    """Let browsers keep a content-addressed file without ever asking again."""
    # private: a shared proxy must not keep lesson images, which can name the topic.
    response.cache_control.private = True
    response.cache_control.max_age = current_app.config["ACADEMY_STATIC_MAX_AGE"]
    response.cache_control.immutable = True
    return response


def register_error_pages(app: Flask) -> None:
    """Use Academy's friendly pages for errors anywhere in the app."""
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _server_error)


def _http_error(error: HTTPException) -> Response | HTTPException:
    """A page in the site's style for 404 and other client errors."""
    if error.code is None or error.code < 400:
        return error
    if error.response is not None:  # a page made for this error already (429 says how long)
        return protect(error.response)
    if request_ctx.url_adapter is None:
        # Refused before routing (an untrusted Host): no page can link anywhere, so say little.
        return protect(Response("Bad request", status=error.code, mimetype="text/plain"))
    stale_form = isinstance(error, CSRFError)
    page = render_template(
        "site/error.html",
        code=error.code,
        stale_form=stale_form,
        message=getattr(error, "academy_message", None),
        refused_level=getattr(error, "level", None),
    )
    return protect(Response(page, status=error.code))


def _server_error(error: Exception) -> Response:
    """A calm page for unexpected errors; the details go to the log, never to the trainee."""
    current_app.logger.exception("Unhandled error")
    return protect(Response(render_template("site/error.html", code=500), status=500))
