"""The site's own assets, read once per process: the stylesheet and the scripts."""

from __future__ import annotations

import base64
import gzip
import hashlib
import re
from collections.abc import Callable
from functools import cache
from pathlib import Path

import brotli
from flask import Response, request

STATIC = Path(__file__).resolve().parent / "static"
# Encodings for what is compressed once and sent many times (the stylesheet, a guest's cached
# page), best first: each copy is compressed as hard as it goes, since it is done only once.
ENCODINGS = ("br", "gzip")
_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_CSS_SPACE = re.compile(r" ?([{};,]) ?")


@cache
def script(name: str) -> tuple[str, str]:
    """A script from static/ without its comment lines or indentation, and its CSP hash source."""
    lines = (STATIC / name).read_text(encoding="utf-8").splitlines()
    code = "\n".join(line.strip() for line in lines if not line.strip().startswith("//"))
    digest = base64.b64encode(hashlib.sha256(code.encode()).digest()).decode()
    return code, f"'sha256-{digest}'"


def exit_script() -> tuple[str, str]:
    """The quick-exit script, inline on every page."""
    return script("exit.js")


@cache
def stylesheet() -> tuple[bytes, str]:
    """The stylesheet as sent (its rules without comments or line breaks) and a short hash."""
    data = minify_css((STATIC / "academy.css").read_text(encoding="utf-8")).encode()
    return data, hashlib.sha256(data).hexdigest()[:12]


@cache
def stylesheet_encoded(encoding: str) -> bytes:
    """The stylesheet compressed with `encoding` (one of ENCODINGS), once a process."""
    return compress_hard(stylesheet()[0], encoding)


def compress_hard(data: bytes, encoding: str) -> bytes:
    """`data` compressed at the best level of `encoding` ("br" or "gzip"): for one-off work."""
    if encoding == "br":
        return brotli.compress(data, quality=11)
    return gzip.compress(data, compresslevel=9, mtime=0)


def compress_refusal(response: Response) -> Response:
    """Compress a page sent with an error status, which Flask-Compress leaves as it is.

    A 404, a quiz given back filled in (400) or a "try later" page (503) costs a trainee on 2G as
    much as any other page; brotli 5 and gzip 9, the levels Flask-Compress uses for the rest.
    """
    if (
        200 <= response.status_code < 300
        or response.mimetype != "text/html"
        or response.direct_passthrough
        or response.is_streamed
        or "Content-Encoding" in response.headers
    ):
        return response
    encoding = request.accept_encodings.best_match(ENCODINGS)
    data = response.get_data()
    if encoding is None or len(data) < 500:  # a tiny page gains nothing
        return response
    if encoding == "br":
        response.set_data(brotli.compress(data, quality=5))
    else:
        response.set_data(gzip.compress(data, compresslevel=9, mtime=0))
    response.content_encoding = encoding
    response.vary.add("Accept-Encoding")
    return response


def send_compressed(data: bytes, encoded: Callable[[str], bytes], mimetype: str) -> Response:
    """A response with the best of ENCODINGS the browser takes, from `encoded(encoding)`."""
    encoding = request.accept_encodings.best_match(ENCODINGS)
    response = Response(encoded(encoding) if encoding else data, mimetype=mimetype)
    if encoding:
        response.content_encoding = encoding  # so Flask-Compress leaves it as it is
    response.vary.add("Accept-Encoding")
    return response


def minify_css(css: str) -> str:
    """The same rules without comments, line breaks, or spaces beside `{ } ; ,`.

    Only for our own stylesheet, which has no strings or URLs holding those characters.
    """
    css = " ".join(_CSS_COMMENT.sub(" ", css).split())
    return _CSS_SPACE.sub(r"\1", css).replace(";}", "}").strip()
