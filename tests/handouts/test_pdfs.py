"""Handouts, session packs and course packs: real PDFs from WeasyPrint, read back with pypdf."""

import io
import re

import pytest
from pypdf import PdfReader

A4 = (595, 842)
LETTER = (612, 792)


def _ids(client):
    course = re.search(r'href="/c/([^"]+)"', client.get("/").get_data(as_text=True)).group(1)
    html = client.get(f"/c/{course}").get_data(as_text=True)
    modules = re.findall(r'href="/m/([^"/]+)"', html)
    return course, modules


def _pdf(response):
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/pdf"
    return PdfReader(io.BytesIO(response.get_data()))


def _pages(reader):
    return [page.extract_text() for page in reader.pages]


def _size(reader):
    box = reader.pages[0].mediabox
    return round(float(box.width)), round(float(box.height))


def test_a_handout_is_one_page_with_header_footer_and_a_neutral_name(client):
    _, (first, second) = _ids(client)
    response = client.get(f"/m/{first}/handout.pdf")
    reader = _pdf(response)
    [text] = _pages(reader)
    assert "Demo course" in text and "First steps" in text
    assert "Apples grow on trees." in text
    assert "Version 1.0.0" in text and "Page 1 of 1" in text and "Made " in text
    assert "Local group: ________________" in text
    assert _size(reader) == A4
    assert (
        response.headers["Content-Disposition"] == f'inline; filename="handout-{first}-en-a4.pdf"'
    )
    assert reader.metadata.title == "Academy · Handout"  # the topic is not in the metadata
    # the module link appears on the lesson page; a module without a handout has none
    assert f"/m/{first}/handout.pdf" in client.get(f"/m/{first}").get_data(as_text=True)
    assert client.get(f"/m/{second}/handout.pdf").status_code == 404


def test_the_session_pack_has_every_part_and_keeps_the_answers_off_the_paper_quiz(facilitator):
    _, (first, _second) = _ids(facilitator)
    reader = _pdf(facilitator.get(f"/f/m/{first}/pack.pdf"))
    pages = _pages(reader)
    assert 6 <= len(pages) <= 10
    cover = pages[0]
    assert "Session pack" in cover and "First steps" in cover and "Version 1.0.0" in cover
    assert "Date" in cover and "Place" in cover
    whole = "\n".join(pages)
    for part in ["Session plan", "Three apples", "Apples and pears", "Handout to copy"]:
        assert part in whole, part
    [quiz] = [page for page in pages if "Quiz: First steps" in page]
    assert "Which fruit is this lesson about?" in quiz and "Carrots" in quiz
    for answer in ["Yes, apples", "vegetable", "rouge", "The square is red", "✓"]:
        assert answer not in quiz, answer
    [key] = [page for page in pages if "Answer key: First steps" in page]
    assert "Tick the right answers" not in key  # on its own page
    assert "✓ Apples" in key and "Yes, apples." in key and "✓ red" in key and "✓ rouge" in key
    assert "The square is red." in key
    [tally] = [page for page in pages if "Attendance tally" in page and "Tally marks" in page]
    assert "Do not write any names" in tally and "Name" not in tally.replace("names", "")
    assert any("Feedback form" in page and "Do not write your name" in page for page in pages)
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page and "Version 1.0.0" in page


def test_paper_size_and_language_are_the_facilitators_choice(facilitator):
    _, (first, _second) = _ids(facilitator)
    reader = _pdf(facilitator.get(f"/f/m/{first}/pack.pdf?paper=letter&lang=fr"))
    assert _size(reader) == LETTER
    whole = "\n".join(_pages(reader))
    assert "Dossier de séance" in whole or "Session pack" not in whole  # labels in French
    assert "Premiers pas" in whole  # the French lesson's title


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?paper=a3", "“a3” is not a paper size (choose: a4, letter)."),
        ("?lang=xx", "“xx” is not a language of this course (it has: en, fr)."),
    ],
)
def test_bad_choices_get_a_clear_400(facilitator, query, message):
    _, (first, _second) = _ids(facilitator)
    response = facilitator.get(f"/f/m/{first}/pack.pdf{query}")
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


def test_unknown_modules_and_courses_are_404(facilitator):
    for url in ["/f/m/zzzzzzzz/pack.pdf", "/f/c/zzzzzzzz/pack.pdf", "/m/zzzzzzzz/handout.pdf"]:
        assert facilitator.get(url).status_code == 404, url


def test_the_course_pack_has_a_contents_page_then_every_module(facilitator):
    course, _modules = _ids(facilitator)
    reader = _pdf(facilitator.get(f"/f/c/{course}/pack.pdf"))
    pages = _pages(reader)
    assert "Contents" in pages[0] and "First steps" in pages[0] and "Second steps" in pages[0]
    assert "Session pack" not in pages[0]  # the first module starts on a page of its own
    covers = [n for n, page in enumerate(pages, 1) if "Session pack" in page and "Lesson" in page]
    assert len(covers) == 2
    # each module's pages carry that module's own version
    assert "Version 1.1.0" in pages[-1]  # second-steps is at 1.1.0
    assert "Version 1.0.0" in pages[covers[0] - 1]


def test_facilitator_pages_are_refused_to_everyone_else(app, client, trainee):
    course, (first, _second) = _ids(client)
    urls = [f"/f/m/{first}", f"/f/m/{first}/pack.pdf", f"/f/c/{course}/pack.pdf"]
    for url in urls:
        guest = app.test_client().get(url)
        assert guest.status_code == 302 and "/sign-in" in guest.headers["Location"], url
        assert trainee.get(url).status_code == 403, url
    assert "Session pack (PDF)" not in trainee.get(f"/m/{first}").get_data(as_text=True)


def test_a_facilitator_gets_the_pack_in_one_click_from_the_module_page(facilitator):
    _, (first, _second) = _ids(facilitator)
    html = facilitator.get(f"/m/{first}").get_data(as_text=True)
    link = re.search(r'href="([^"]+)">Session pack \(PDF\)', html).group(1).replace("&amp;", "&")
    assert _pdf(facilitator.get(link)).pages
    assert "Other languages and paper sizes" in html


def test_the_module_address_and_qr_code_are_printed_only_when_the_operator_asks(make_app):
    from academy.cli import sync_courses

    app = make_app(ACADEMY_PUBLIC_URL="https://learn.example.org/")
    with app.app_context():
        sync_courses()
    client = app.test_client()
    _, (first, _second) = _ids(client)
    reader = _pdf(client.get(f"/m/{first}/handout.pdf"))
    text = _pages(reader)[0]
    assert f"https://learn.example.org/m/{first}" in text
    page = reader.pages[0]
    drawing = page.get_contents().get_data()
    assert drawing.count(b" re") + drawing.count(b" l") > 50  # the QR code's modules are drawn


def test_without_a_public_address_paper_names_no_site(client):
    _, (first, _second) = _ids(client)
    text = _pages(_pdf(client.get(f"/m/{first}/handout.pdf")))[0]
    assert "http" not in text and f"/m/{first}" not in text
