"""The cartridge's web pages (lesson, handout, session plan) and the stylesheet they share."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import current_app
from jinja2 import PackageLoader

# Plain and readable on a phone; no page carries a style of its own, so an LMS that strips
# <link> (or a print) still shows the text in order.
STYLESHEET = """\
body { margin: 0; font: 1.05rem/1.55 system-ui, sans-serif; color: #1f2328; background: #fff; }
main { max-width: 42rem; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.6rem; line-height: 1.25; margin: 0.25rem 0 0.75rem; }
h2 { font-size: 1.25rem; margin-top: 1.75rem; }
h3 { font-size: 1.1rem; }
img { max-width: 100%; height: auto; }
table { border-collapse: collapse; }
th, td { border: 1px solid #d0d7de; padding: 0.3rem 0.5rem; text-align: left; }
.kicker, .meta { color: #57606a; font-size: 0.95rem; margin: 0; }
.review { border-left: 4px solid #bf8700; background: #fff8c5; padding: 0.5rem 0.75rem; }
.goals { background: #f6f8fa; padding: 0.25rem 1rem; border-radius: 4px; }
.box { border-left: 4px solid #0969da; background: #f6f8fa; margin: 1rem 0; padding: 0.25rem 1rem; }
.box.warning { border-color: #cf222e; }
.box.activity { border-color: #1a7f37; }
.box-label { font-weight: bold; }
footer { border-top: 1px solid #d0d7de; margin-top: 2rem; font-size: 0.95rem; }
"""


@dataclass
class Page:
    """What one page shows: the rendered text and what surrounds it."""

    title: str
    language: str
    course_title: str
    body: str  # HTML from academy.content, already checked and safe
    version: str
    meta: str = ""  # one line under the title, such as the time it takes
    notices: list[str] = field(default_factory=list)  # warnings shown before the text
    before: list[tuple[str, list[str]]] = field(default_factory=list)  # (heading, entries)
    after: list[tuple[str, list[str]]] = field(default_factory=list)


def render_page(page: Page, stylesheet: str) -> bytes:
    """The page as a standalone HTML file that links to the shared stylesheet at `stylesheet`."""
    # The app's environment shares its filters and Flask-Babel's _(); only templates differ.
    environment = current_app.jinja_env.overlay(loader=PackageLoader("academy.export"))
    template = environment.get_template("export/page.html")
    return template.render(page=page, stylesheet=stylesheet).encode("utf-8")
