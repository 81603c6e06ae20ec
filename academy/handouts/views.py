"""PDF routes: a module's handout for everyone; session and course packs for facilitators."""

from __future__ import annotations

from flask import Response, abort, render_template, request
from flask_login import current_user
from markupsafe import Markup
from werkzeug.exceptions import BadRequest

from academy.accounts.access import access
from academy.db import db
from academy.handouts import bp, operations, packs
from academy.handouts.documents import PAPERS, PrintChoiceError
from academy.learn import queries
from academy.locale import content_languages
from academy.site.headers import protect

bp.after_request(protect)


@bp.app_template_filter("css_string")
def css_string(text: str) -> Markup:
    """`text` as a quoted CSS string, safe inside a <style> element."""
    escaped = str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    return Markup('"' + escaped.replace("<", "\\3c ") + '"')


@bp.app_template_filter("css_counters")
def css_counters(text: str) -> Markup:
    """A translated label as CSS `content`, its markers made page counters and the version."""
    tokens = {"\x01": "counter(page)", "\x02": "counter(pages)", "\x03": "string(version)"}
    parts, current = [], ""
    for character in str(text):
        if character in tokens:
            parts += [css_string(current), tokens[character]]
            current = ""
        else:
            current += character
    parts.append(css_string(current))
    return Markup(" ".join(part for part in parts if part != '""'))


@bp.get("/m/<public_id>/handout.pdf")
@access("public")
def handout(public_id: str) -> Response:
    """The module's handout in the reader's language, for anyone who can read the module."""
    module = queries.module_by_public_id(db.session, public_id) or abort(404)
    languages = [lang for lang in content_languages() if lang in module.course.languages]
    language = languages[0] if languages else module.course.languages[0]
    return _pdf(lambda: packs.handout(module.course, module, language, _paper()))


@bp.get("/f/m/<public_id>")
@access("facilitator")
def module_pack_page(public_id: str) -> str:
    """A module's printables: pick language and paper; says if the module changed since."""
    module = queries.module_by_public_id(db.session, public_id) or abort(404)
    entries = queries.module_entries(db.session, module.course, content_languages())
    entry = next(entry for entry in entries if entry.module.id == module.id)
    last = operations.last_download(db.session, current_user, module)
    return render_template(
        "handouts/module_pack_page.html",
        course=module.course,
        entry=entry,
        last=last,
        papers=PAPERS,
    )


@bp.get("/f/m/<public_id>/pack.pdf")
@access("facilitator")
def session_pack(public_id: str) -> Response:
    """The module's session pack in the chosen language and paper size."""
    module = queries.module_by_public_id(db.session, public_id) or abort(404)
    language = request.args.get("lang", module.course.languages[0])
    response = _pdf(lambda: packs.session_pack(module.course, module, language, _paper()))
    operations.record_download(db.session, current_user, module)
    db.session.commit()
    return response


@bp.get("/f/c/<public_id>/pack.pdf")
@access("facilitator")
def course_pack(public_id: str) -> Response:
    """Every module's session pack in one PDF, after a contents page."""
    course = queries.course_by_public_id(db.session, public_id) or abort(404)
    language = request.args.get("lang", course.languages[0])
    return _pdf(lambda: packs.course_pack(course, language, _paper()))


def _paper() -> str:
    """The paper size asked for (A4 unless said)."""
    return request.args.get("paper", "a4")


def _pdf(build) -> Response:
    """Build (or fetch) the PDF and send it under a neutral name; bad choices get a 400."""
    try:
        pdf = build()
    except PrintChoiceError as exc:
        refused = BadRequest()
        refused.academy_message = str(exc)  # shown on the error page, in the reader's words
        raise refused from None
    except LookupError:
        abort(404)
    response = Response(pdf.data, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="{pdf.filename}"'
    response.headers["X-Academy-Cache"] = "hit" if pdf.from_cache else "miss"
    return response
