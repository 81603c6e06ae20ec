"""Response headers that keep trainees' pages private, self-contained and cheap to revisit."""

from __future__ import annotations

import base64
import hashlib
import re

from flask import Response, current_app, request
from flask.globals import request_ctx
from flask_login import current_user

from academy.site import saver
from academy.site.assets import compress_refusal, exit_script, script

# Nothing loads from any other host, nothing runs inline, no page can be framed: a browser
# enforces the "no request to another host" rule even if a template slips.
CONTENT_SECURITY_POLICY = (
    # The only scripts are inline ones of ours (the quick exit on every page), each by its hash.
    "default-src 'none'; script-src {script}; style-src 'self'; img-src 'self'; "
    "form-action 'self'{forms}; base-uri 'none'; frame-ancestors {ancestors}{workers}"
)
# The stylesheet is no page: a page's policy, 100 bytes longer, would allow it more than this.
STYLESHEET_POLICY = (
    "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
# An origin as the policy takes it (scheme, host, port): a setting cannot add a directive.
ORIGIN = re.compile(r"https?://[A-Za-z0-9.-]+(:[0-9]+)?")


def content_security_policy(
    form_targets: tuple[str, ...] = (), scripts: tuple[str, ...] = (), workers: bool = False
) -> str:
    """The policy for a page; `form_targets` are other sites' origins its forms may post to.

    `scripts` names more inline scripts from static/ the page runs; `workers` lets it register
    this site's own service worker (the offline reading page only).
    """
    ancestors = _origins(current_app.config["ACADEMY_FRAME_ANCESTORS"])
    return CONTENT_SECURITY_POLICY.format(
        script=" ".join([exit_script()[1], *(script(name)[1] for name in scripts)]),
        workers="; worker-src 'self'" if workers else "",
        forms="".join(f" {origin}" for origin in _origins(form_targets)),
        # Only the learning platforms the operator named (ACADEMY_FRAME_ANCESTORS) may frame it.
        ancestors=" ".join(ancestors) or "'none'",
    )


def _origins(values: list[str] | tuple[str, ...] | str) -> list[str]:
    """The well-formed origins among `values` (a list, or text separated by commas or spaces)."""
    if isinstance(values, str):  # from the environment: "https://a.example,https://b.example"
        values = values.replace(",", " ").split()
    return [value.rstrip("/") for value in values if ORIGIN.fullmatch(value.rstrip("/"))]


def protect(response: Response) -> Response:
    """Add privacy headers, answer unchanged revisits with 304, compress error-status pages."""
    return compress_refusal(_protected(response))


def _protected(response: Response) -> Response:
    """Add privacy and security headers, and answer repeat visits with 304 when unchanged."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", content_security_policy())
    # The address of a lesson must never travel to another site (the quick exit included), but
    # this site's own forms send it: over HTTPS, Flask-WTF refuses a POST without a same-site
    # Referer, so "no-referrer" would break every form in production.
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("X-Content-Type-Options", "nosniff")
    saver.vary(response)
    if request.is_secure:
        # Once a phone has reached the site over HTTPS, it never tries plain HTTP again.
        headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    # The stylesheet is the same for everyone and names nothing: signed in or not, it is kept.
    if (
        request.method == "POST"
        or (request.endpoint != "site.css" and _signed_in())
        or _flashed_here()
    ):
        # Answers, results and a trainee's own pages are for this moment only: a shared phone
        # must not keep a copy of them after sign-out. Nor of a one-time notice ("You were
        # signed out…"), which would tell the next reader that an account was used here.
        response.cache_control.no_store = True
        return response
    if (
        response.mimetype == "text/html"
        and request.method in ("GET", "HEAD")
        and response.status_code == 200
        and not response.direct_passthrough
    ):
        if "ETag" not in headers:
            # Weak, because Flask-Compress then leaves it alone and a gzipped copy still matches;
            # 96 bits tell a page's versions apart as surely as werkzeug's 160, in 24 fewer bytes
            # on every visit and revisit.
            digest = hashlib.blake2b(response.get_data(), digest_size=12).digest()
            response.set_etag(base64.urlsafe_b64encode(digest).decode(), weak=True)
        response.cache_control.no_cache = True
        response.cache_control.private = True
        response.make_conditional(request)
    return response


def _flashed_here() -> bool:
    """True when this response shows a one-time message (flashed for this request)."""
    return bool(request_ctx.flashes)  # set by get_flashed_messages() when the page showed some


def _signed_in() -> bool:
    """True when a trainee is signed in (their pages are theirs alone)."""
    return bool(current_user) and current_user.is_authenticated
