"""Build (or fetch from the cache) a handout, a session pack or a course pack as a PDF."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import segno
from flask import current_app, render_template
from flask_babel import force_locale, format_date
from markupsafe import Markup

from academy.db import db
from academy.handouts.cache import cache_key, cached
from academy.handouts.documents import PAPERS, PrintedModule, check_choice, printed_modules
from academy.handouts.render import RENDERER, LocalFetcher, render_pdf
from academy.models import Course, MediaFile, Module


@dataclass
class PdfFile:
    """A built PDF, the neutral name to save it under, and whether it came from the cache."""

    data: bytes
    filename: str
    from_cache: bool


def handout(course: Course, module: Module, language: str, paper: str) -> PdfFile:
    """The module's handout: one or two pages to take home."""
    return _build("handout", course, module, language, paper)


def session_pack(course: Course, module: Module, language: str, paper: str) -> PdfFile:
    """Everything a facilitator prints for one session of one module."""
    return _build("session", course, module, language, paper)


def course_pack(course: Course, language: str, paper: str) -> PdfFile:
    """Every module's session pack in order, after a contents page."""
    return _build("course", course, None, language, paper)


def _build(kind: str, course: Course, module: Module | None, language: str, paper: str) -> PdfFile:
    """Render the document's HTML, and make its PDF unless the cache already holds it."""
    check_choice(course, language, paper)
    modules = printed_modules(db.session, course, language, only=module)
    if module is not None and (not modules or (kind == "handout" and not modules[0].handout_html)):
        raise LookupError("nothing to print for this module")
    # The date printed changes daily but is no reason to build again: the key leaves it out.
    key = cache_key(kind, RENDERER, _html(kind, course, modules, language, paper, made=None))
    folder = Path(current_app.config["ACADEMY_PDF_CACHE_DIR"])
    html = _html(kind, course, modules, language, paper, made=date.today())
    data, hit = cached(folder, key, lambda: render_pdf(html, LocalFetcher(_load_media)))
    name = course.public_id if module is None else module.public_id
    prefix = {"handout": "handout", "session": "pack", "course": "course-pack"}[kind]
    return PdfFile(data, f"{prefix}-{name}-{language}-{paper}.pdf", hit)


def _html(
    kind: str,
    course: Course,
    modules: list[PrintedModule],
    language: str,
    paper: str,
    made: date | None,
) -> str:
    """The document as HTML, its labels in the chosen language where the site has it."""
    config = current_app.config
    interface = language if language in config["ACADEMY_LANGUAGES"] else "en"
    with force_locale(interface):
        return render_template(
            "handouts/document.html",
            kind=kind,
            course=course,
            modules=modules,
            language=language,
            paper=PAPERS[paper],
            made=format_date(made, "long") if made else "",
            addresses={m.module.id: _address(m.module) for m in modules},
            site_name=config["ACADEMY_SITE_NAME"],
        )


def _address(module: Module) -> tuple[str, Markup] | None:
    """The module's address and its QR code, when the operator chose to print addresses."""
    public_url = current_app.config["ACADEMY_PUBLIC_URL"].rstrip("/")
    if not public_url:
        return None
    address = f"{public_url}/m/{module.public_id}"
    svg = io.BytesIO()
    segno.make(address, micro=False).save(svg, kind="svg", scale=2, border=1, xmldecl=False)
    return address, Markup(svg.getvalue().decode())


def _load_media(digest: str) -> tuple[bytes, str] | None:
    """A lesson image from the database, for the PDF."""
    media = db.session.get(MediaFile, digest)
    return (media.data, media.mime) if media else None
