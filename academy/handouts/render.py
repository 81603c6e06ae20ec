"""HTML to PDF with WeasyPrint, fetching nothing but Academy's own print stylesheet and media."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from pathlib import Path

import weasyprint
from weasyprint.urls import URLFetcher, URLFetcherResponse

# Every address in a printed document resolves under this origin, which no network can reach
# (.invalid is reserved): the fetcher answers for it from the database and the package.
ORIGIN = "https://academy.invalid/"
BASE_URL = ORIGIN + "m/print"  # lesson images are written "../media/<digest>.<ext>"
STYLESHEET = Path(__file__).with_name("static") / "print.css"
# Part of every cache key: a new WeasyPrint or a changed print stylesheet makes new PDFs.
RENDERER = (
    f"weasyprint {weasyprint.__version__}, "
    f"print.css {hashlib.sha256(STYLESHEET.read_bytes()).hexdigest()[:16]}"
)

log = logging.getLogger(__name__)


class RefusedFetch(ValueError):
    """A document asked for something other than Academy's own files."""


class LocalFetcher(URLFetcher):
    """Serves the print stylesheet and course media; refuses every other address."""

    def __init__(self, load_media: Callable[[str], tuple[bytes, str] | None]):
        super().__init__(allowed_protocols=("https",))
        self.load_media = load_media

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        """Answer from the package or the database, never from the network."""
        if url == ORIGIN + "print.css":
            return URLFetcherResponse(url, STYLESHEET.read_bytes(), {"Content-Type": "text/css"})
        if url.startswith(ORIGIN + "media/"):
            digest = url.removeprefix(ORIGIN + "media/").split(".")[0]
            found = self.load_media(digest)
            if found is not None:
                data, mime = found
                return URLFetcherResponse(url, data, {"Content-Type": mime})
        log.warning("Refused to fetch a resource for a PDF")  # no address: it could say much
        raise RefusedFetch("only Academy's own stylesheet and media can be used in a PDF")


def render_pdf(html: str, fetcher: LocalFetcher) -> bytes:
    """A PDF of `html`, its fonts embedded (subset) from the server's own fonts."""
    document = weasyprint.HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher)
    return document.write_pdf()
