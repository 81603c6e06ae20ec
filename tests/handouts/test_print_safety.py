"""The PDF cache, the locked-down URL fetcher, non-Latin scripts and the pack command."""

import io

import pytest
from pypdf import PdfReader

from academy.cli import sync_courses
from academy.handouts import packs
from academy.handouts.render import ORIGIN, LocalFetcher, RefusedFetch, render_pdf
from tests.handouts.test_pdfs import _ids, _pages
from tests.test_sync import bump


def test_a_second_request_is_served_from_the_cache_without_weasyprint(facilitator, monkeypatch):
    _, (first, _second) = _ids(facilitator)
    calls = []
    real = packs.render_pdf
    monkeypatch.setattr(packs, "render_pdf", lambda *args: calls.append(1) or real(*args))
    cold = facilitator.get(f"/f/m/{first}/pack.pdf")
    assert cold.headers["X-Academy-Cache"] == "miss" and len(calls) == 1
    warm = facilitator.get(f"/f/m/{first}/pack.pdf")
    assert warm.status_code == 200 and warm.headers["X-Academy-Cache"] == "hit"
    assert warm.get_data() == cold.get_data() and len(calls) == 1  # WeasyPrint not called
    # another paper size is another PDF
    facilitator.get(f"/f/m/{first}/pack.pdf?paper=letter")
    assert len(calls) == 2


def test_a_new_module_version_makes_a_new_pdf(make_app, fixture_repo, make_user_on):
    courses = fixture_repo()
    app = make_app(courses)
    with app.app_context():
        sync_courses()
    client = make_user_on(app, "fatima", "facilitator")
    _, (first, _second) = _ids(client)
    client.get(f"/f/m/{first}/pack.pdf")
    assert "changed since you last downloaded" not in client.get(f"/f/m/{first}").get_data(True)

    bump(courses / "demo" / "01-first", "1.0.0", "1.1.0", summary="More apples")
    with app.app_context():
        sync_courses()
    page = client.get(f"/f/m/{first}").get_data(as_text=True)
    assert "This module changed since you last downloaded its pack" in page
    assert "you have version 1.0.0; it is now 1.1.0" in page
    fresh = client.get(f"/f/m/{first}/pack.pdf")
    assert fresh.headers["X-Academy-Cache"] == "miss"
    assert "Version 1.1.0" in PdfReader(io.BytesIO(fresh.get_data())).pages[0].extract_text()
    assert "changed since you last downloaded" not in client.get(f"/f/m/{first}").get_data(True)


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/tracker.png",
        "http://academy.invalid/print.css",
        "file:///etc/passwd",
        ORIGIN + "media/not-a-file.png",
        ORIGIN + "../../etc/passwd",
        "data:text/css,body{}",
    ],
)
def test_the_fetcher_refuses_everything_but_academys_own_files(url):
    fetcher = LocalFetcher(lambda digest: None)
    with pytest.raises((RefusedFetch, ValueError)):
        fetcher.fetch(url)


def test_the_fetcher_serves_the_stylesheet_and_known_media():
    fetcher = LocalFetcher(lambda digest: (b"\x89PNG", "image/png") if digest == "ab12" else None)
    assert b"@page" in fetcher.fetch(ORIGIN + "print.css").read()
    assert fetcher.fetch(ORIGIN + "media/ab12.png").read() == b"\x89PNG"


def test_a_document_asking_for_another_host_is_made_without_it(caplog):
    html = '<p>Hello</p><img src="https://example.org/pixel.png"><link rel="stylesheet" href="https://cdn.example.org/x.css">'
    pdf = render_pdf(html, LocalFetcher(lambda digest: None))
    assert "Hello" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert caplog.text.count("Refused to fetch a resource for a PDF") == 2
    assert "example.org" not in caplog.text.split("weasyprint")[0]  # our log line names no host


def test_a_russian_handout_keeps_its_cyrillic_text_and_embeds_its_fonts(make_app, fixture_repo):
    courses = fixture_repo()
    module = courses / "demo" / "01-first"
    yaml = courses / "demo" / "course.yaml"
    yaml.write_text(yaml.read_text().replace("languages: [en, fr]", "languages: [en, fr, ru]"))
    russian = (module / "lesson.fr.md").read_text().replace("Premiers pas", "Первые шаги")
    (module / "lesson.ru.md").write_text(russian)
    (module / "handout.ru.md").write_text(
        "Яблоки растут на деревьях.\n\n## Что запомнить\n\n- Яблоки — это фрукты.\n"
    )
    app = make_app(courses)
    with app.app_context():
        sync_courses()
    client = app.test_client()
    _, (first, _second) = _ids(client)
    client.get("/lang/ru")
    response = client.get(f"/m/{first}/handout.pdf")
    reader = PdfReader(io.BytesIO(response.get_data()))
    text = _pages(reader)[0]
    assert "Яблоки растут на деревьях." in text and "Первые шаги" in text
    fonts = [
        font.get_object() for page in reader.pages for font in page["/Resources"]["/Font"].values()
    ]
    assert fonts and all("DejaVu" in str(font["/BaseFont"]) for font in fonts)
    for font in fonts:  # each font's file is inside the PDF: nothing to fetch when printing
        descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
        assert "/FontFile2" in descriptor


def test_right_to_left_languages_are_set_right_to_left(app):
    from academy.db import db
    from academy.handouts.documents import printed_modules
    from academy.learn import queries

    with app.app_context(), app.test_request_context():
        course = queries.listed_courses(db.session)[0]
        course.languages = [*course.languages, "ar"]
        html = packs._html(
            "handout", course, printed_modules(db.session, course, "ar"), "ar", "a4", None
        )
    assert '<html lang="ar" dir="rtl">' in html


def test_the_pack_command_writes_pdfs_and_explains_bad_input(app, tmp_path):
    runner = app.test_cli_runner()
    out = tmp_path / "pack.pdf"
    result = runner.invoke(
        args=["pack", "demo", "first-steps", "--lang", "fr", "--paper", "letter", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    reader = PdfReader(out)
    assert round(float(reader.pages[0].mediabox.width)) == 612
    assert "Premiers pas" in reader.pages[0].extract_text()
    result = runner.invoke(args=["pack", "demo", "-o", str(tmp_path / "course.pdf")])
    assert result.exit_code == 0 and len(PdfReader(tmp_path / "course.pdf").pages) > 8
    for args, message in [
        (["pack", "nope"], "no course 'nope' (published: demo)"),
        (["pack", "demo", "nope"], "no module 'nope' in demo (modules: first-steps, second-steps)"),
        (["pack", "demo", "--lang", "de"], "“de” is not a language of this course"),
        (["pack", "demo", "--paper", "a3"], "'a3' is not one of 'a4', 'letter'"),
    ]:
        result = runner.invoke(args=args)
        assert result.exit_code != 0 and message in result.output, result.output
        assert "Traceback" not in result.output
