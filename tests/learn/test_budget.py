import gzip
import re

import pytest

from academy.cli import sync_courses
from bench.weights import BUDGET, measure, signed_in_pages, subresources, trainee_pages
from tests.conftest import REPO_ROOT


@pytest.fixture
def real_client(make_app):
    app = make_app(REPO_ROOT / "courses")
    with app.app_context():
        sync_courses()
    return app.test_client()


def test_every_trainee_page_fits_in_14_kb_on_the_wire(real_client):
    guest, trainee = real_client, real_client.application.test_client()
    pages = [(guest, page) for page in trainee_pages(guest)]
    assert len(pages) >= 5  # catalogue, a course, two modules, the 404 page
    pages += [(trainee, page) for page in signed_in_pages(trainee)]
    assert {"signed in: quiz result", "signed in: progress"} <= {name for _, (name, _) in pages}
    for client, (name, url) in pages:
        weight = measure(client, name, url)
        assert weight.total <= BUDGET, f"{name}: {weight.total} bytes"
        assert weight.requests <= 2, f"{name}: {weight.requests} requests"


def test_html_and_css_are_sent_gzipped(real_client):
    page = real_client.get("/", headers={"Accept-Encoding": "gzip"})
    assert page.headers["Content-Encoding"] == "gzip"
    html = gzip.decompress(page.get_data()).decode()
    (css_url,) = subresources(html)
    css = real_client.get(css_url, headers={"Accept-Encoding": "gzip"})
    assert css.headers["Content-Encoding"] == "gzip"
    assert b"system-ui" in gzip.decompress(css.get_data())


def test_no_page_loads_or_links_anything_from_another_host(real_client):
    guest, trainee = real_client, real_client.application.test_client()
    pages = [(guest, url) for _name, url in trainee_pages(guest)]
    pages += [(trainee, url) for _name, url in signed_in_pages(trainee)]
    for client, url in pages:
        html = client.get(url).get_data(as_text=True)
        assert "<script src" not in html and html.count("<script>") == 1  # the quick exit
        assert "@import" not in html and "url(" not in html
        for tag in re.findall(r"<[^>]+>", html):
            for address in re.findall(r'(?:src|href|action|srcset)="([^"]*)"', tag):
                if re.match(r"(?i)^\s*(https?:)?//", address):
                    # Only a plain outbound link in lesson text may leave, and it says nothing.
                    assert tag.startswith("<a ") and 'rel="noreferrer' in tag, tag
