"""Page weight: bytes on the wire for a trainee's first visit to each kind of page.

Run `make bench-weights` to print the table for the real courses; the budget test in
tests/learn/test_budget.py uses the same measurement.
"""

from __future__ import annotations

import gzip
import re
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

from flask import Flask
from werkzeug.test import TestResponse

BUDGET = 14 * 1024  # one round trip of a new TCP connection (10 segments of ~1460 bytes)
GZIP = {"Accept-Encoding": "gzip"}


@dataclass
class PageWeight:
    """One page's first-visit cost: its HTML and everything the HTML loads."""

    name: str
    url: str
    html: int  # bytes on the wire for the HTML response (headers + compressed body)
    assets: int  # the same for every stylesheet and image the page loads
    requests: int

    @property
    def total(self) -> int:
        """Bytes on the wire for the whole first visit."""
        return self.html + self.assets


def wire_bytes(response: TestResponse) -> int:
    """Status line, headers and body as they would cross the network."""
    head = f"HTTP/1.1 {response.status}\r\n" + "".join(
        f"{name}: {value}\r\n" for name, value in response.headers.items()
    )
    return len(head.encode()) + 2 + len(response.get_data())


def subresources(html: str) -> list[str]:
    """Every same-site URL the browser fetches on load (stylesheets and images)."""
    urls = re.findall(r'<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"', html)
    urls += re.findall(r'<img[^>]+src="([^"]+)"', html)
    return urls


def measure(client, name: str, url: str) -> PageWeight:
    """Fetch a page cold, with its stylesheet and images, as a browser would."""
    response = client.get(url, headers=GZIP)
    html = response.get_data(as_text=False)
    if response.headers.get("Content-Encoding") == "gzip":
        html = gzip.decompress(html)
    assets = [client.get(_resolve(url, src), headers=GZIP) for src in subresources(html.decode())]
    return PageWeight(
        name, url, wire_bytes(response), sum(map(wire_bytes, assets)), 1 + len(assets)
    )


def _resolve(page: str, src: str) -> str:
    """Resolve a relative address the way the browser would."""
    return urljoin(f"http://localhost{page}", src).removeprefix("http://localhost")


def trainee_pages(client) -> list[tuple[str, str]]:
    """(name, url) of every page a guest sees: catalogue, courses, modules, quizzes, sign-in.

    The last two are the account forms, which a signed-in trainee does not see.
    """
    pages = [("catalogue", "/")]
    home = client.get("/").get_data(as_text=True)
    for index, course_url in enumerate(re.findall(r'href="(/c/[^"]+)"', home), 1):
        pages.append((f"course {index}", course_url))
        course = client.get(course_url).get_data(as_text=True)
        for number, module_url in enumerate(re.findall(r'href="(/m/[^"/]+)"', course), 1):
            pages.append((f"course {index}, lesson {number}", module_url))
            lesson = client.get(module_url).get_data(as_text=True)
            for quiz_url in re.findall(r'href="(/m/[^"]+/q)"', lesson):
                pages.append((f"course {index}, quiz {number}", quiz_url))
    pages.append(("not found", "/m/nothere"))
    pages += [("offline reading", "/offline"), ("safety", "/safety")]
    pages += [("sign in", "/sign-in"), ("join", "/join")]
    return pages


def _form_fields(html: str) -> dict[str, str]:
    """The hidden fields of the first form in a page (CSRF token, quiz ticket)."""
    fields = re.findall(r'<input[^>]*name="(csrf_token|ticket)"[^>]*value="([^"]+)"', html)
    return dict(fields)


def signed_in_pages(client) -> list[tuple[str, str]]:
    """Sign up a trainee and list what they see: the same pages, progress, account, a result."""
    join = client.get("/join").get_data(as_text=True)
    data = {"username": "weigher", "password": "a long password for weighing", **_form_fields(join)}
    client.post("/join", data=data)
    pages = [(f"signed in: {name}", url) for name, url in trainee_pages(client)[:-2]]
    quiz_url = next((url for name, url in pages if "quiz" in name), None)
    if quiz_url:
        quiz = client.get(quiz_url).get_data(as_text=True)
        result = client.post(quiz_url, data=_form_fields(quiz))
        pages.append(("signed in: quiz result", result.headers["Location"]))
    pages += [("signed in: progress", "/progress"), ("signed in: account", "/account")]
    return pages


def table(app: Flask) -> str:
    """A Markdown table of every trainee page's first-visit weight."""
    guest, trainee = app.test_client(), app.test_client()
    rows = [
        "| page | requests | HTML (B) | CSS + images (B) | total (B) | of 14 KB |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    pages = [(guest, page) for page in trainee_pages(guest)]
    pages += [(trainee, page) for page in signed_in_pages(trainee)]
    for client, (name, url) in pages:
        weight = measure(client, name, url)
        rows.append(
            f"| {name} | {weight.requests} | {weight.html} | {weight.assets} | "
            f"{weight.total} | {weight.total / BUDGET:.0%} |"
        )
    return "\n".join(rows)


# A course on the offline reading page: the pages it keeps, and the KB its button says.
OFFERED_COURSE = r'<li data-urls="([^"]+)">[^<]*<button[^>]*>[^<]*?(\d+)\D*</button>'


def offline_table(app: Flask) -> str:
    """A Markdown table of what saving each course for offline reading keeps, per language."""
    client = app.test_client()
    languages = app.config["ACADEMY_LANGUAGES"]
    rows = ["| course | " + " | ".join(languages) + " |", "|---|" + "---:|" * len(languages)]
    sizes: dict[str, list[str]] = {}
    for language in languages:
        client.get(f"/lang/{language}")
        page = client.get("/offline").get_data(as_text=True)
        found = re.findall(OFFERED_COURSE, page)
        for number, (paths, kb) in enumerate(found, 1):
            sizes.setdefault(f"course {number} ({len(paths.split())} pages)", []).append(f"{kb} KB")
    rows += [f"| {name} | " + " | ".join(kbs) + " |" for name, kbs in sizes.items()]
    return "\n".join(rows)


def main() -> None:
    """Sync the real courses into a throwaway SQLite database and print the table."""
    from academy import create_app
    from academy.cli import sync_courses
    from academy.db import db
    from academy.migrate import upgrade

    with tempfile.TemporaryDirectory() as folder:
        app = create_app(
            {
                "SECRET_KEY": "bench",
                "ACADEMY_DATABASE_URL": f"sqlite:///{Path(folder)}/bench.sqlite3",
            }
        )
        with app.app_context():
            upgrade(db.engine)
            sync_courses()
        sys.stdout.write(table(app) + "\n\nSaved for offline reading:\n\n")
        sys.stdout.write(offline_table(app) + "\n")


if __name__ == "__main__":
    main()
