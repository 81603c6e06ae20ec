"""The real courses print well: every handout on one or two pages, every pack complete."""

import io

import pytest
from pypdf import PdfReader

from academy.cli import sync_courses
from academy.db import db
from academy.handouts import packs
from academy.handouts.documents import printed_modules
from academy.learn import queries
from tests.conftest import REPO_ROOT


@pytest.fixture
def real_app(make_app):
    app = make_app(REPO_ROOT / "courses")
    with app.app_context():
        sync_courses()
    return app


def test_every_real_handout_prints_on_one_or_two_pages_in_every_language(real_app):
    printed = 0
    with real_app.app_context():
        for course in queries.listed_courses(db.session):
            for language in course.languages:
                for printed_module in printed_modules(db.session, course, language):
                    if printed_module.text.language != language:
                        continue  # not translated: the original is printed, tested already
                    if not printed_module.handout_html:
                        continue
                    for paper in ("a4", "letter"):
                        pdf = packs.handout(course, printed_module.module, language, paper)
                        pages = len(PdfReader(io.BytesIO(pdf.data)).pages)
                        name = f"{printed_module.module.key} ({language}, {paper})"
                        assert 1 <= pages <= 2, f"{name}: {pages} pages"
                        printed += 1
    assert printed >= 20  # the ten handouts of the first two courses, on both papers


@pytest.mark.parametrize("index", [0, 1, 2, 3])
def test_every_real_session_pack_has_its_plan_quiz_and_key(real_app, index):
    with real_app.app_context():
        course = queries.listed_courses(db.session)[index]
        pdf = packs.course_pack(course, course.languages[0], "a4")
        titles = [module.versions[-1].title for module in course.modules]
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages)
    words = " ".join(text.split())  # long titles wrap onto a second line
    for title in titles:
        assert f"Answer key: {title}" in words
        assert "Handout to copy" in words
    assert text.count("Session plan\nTime:") == len(titles) >= 4


@pytest.mark.parametrize("language", ["fr", "es"])
def test_the_translated_course_pack_is_in_its_language(real_app, language):
    with real_app.app_context():
        course = next(c for c in queries.listed_courses(db.session) if c.key == "legal-literacy")
        pdf = packs.course_pack(course, language, "a4")
        titles = [
            m.text.title
            for m in printed_modules(db.session, course, language)
            if m.text.language == language
        ]
    text = " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf.data)).pages
    )
    assert len(titles) == 5  # the whole course is translated
    for title in titles:
        assert title in text
    label = {"fr": "Dossier de séance", "es": "Paquete de sesión"}[language]
    assert text.count(label) >= 5  # the labels are in the same language


def test_a_russian_session_pack_sets_cyrillic(real_app):
    with real_app.app_context():
        course = next(c for c in queries.listed_courses(db.session) if c.key == "legal-literacy")
        module = next(m for m in course.modules if m.key == "legal-models")
        pdf = packs.session_pack(course, module, "ru", "a4")
    reader = PdfReader(io.BytesIO(pdf.data))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Пакет для занятия" in text
    assert sum("а" <= ch <= "я" for ch in text) > 2000  # the lesson, quiz and key in Russian
