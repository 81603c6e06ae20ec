"""Guest pages rendered once per published version: every guest gets the same module page."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable

from flask import Response, current_app, request, session
from flask_babel import get_locale

from academy.site.assets import compress_hard, send_compressed

# Pages kept per worker: a few hundred modules in a few languages, a few KB each (plus their
# compressed copies, about a third of that again).
MAX_PAGES = 2048


def guest_page(key: Hashable, render: Callable[[], str]) -> str | Response:
    """The page for `key` (everything it is made from), rendered on first need.

    `key` must name every input of the page; the reader's interface language and the address
    (its language links carry it) are added here. A flashed message or the author's preview
    always renders afresh. A kept page is also compressed once per encoding, at the best
    level: every guest after the first gets the smallest copy for free.
    """
    if current_app.config["ACADEMY_PREVIEW"] or session.get("_flashes"):
        return render()
    pages: OrderedDict = current_app.extensions.setdefault("academy.guest_pages", OrderedDict())
    full_key = (key, str(get_locale()), request.full_path)
    page = pages.get(full_key)
    if page is None:
        page = pages[full_key] = KeptPage(render().encode())
        if len(pages) > MAX_PAGES:
            pages.popitem(last=False)  # the oldest: pages of versions since replaced go first
    return send_compressed(page.html, page.encoded, "text/html")


class KeptPage:
    """A rendered page and its compressed copies, each made on first need."""

    def __init__(self, html: bytes):
        self.html = html
        self.copies: dict[str, bytes] = {}

    def encoded(self, encoding: str) -> bytes:
        """The page compressed with `encoding`."""
        if encoding not in self.copies:
            self.copies[encoding] = compress_hard(self.html, encoding)
        return self.copies[encoding]
