"""Response headers that keep trainees' pages private, self-contained and cheap to revisit."""

from __future__ import annotations

from flask import Response, request
from flask_login import current_user

from academy.site.assets import exit_script

# Nothing loads from any other host, nothing runs inline, no page can be framed: a browser
# enforces the "no request to another host" rule even if a template slips.
CONTENT_SECURITY_POLICY = (
    # The only script is the inline quick exit, allowed by its hash.
    "default-src 'none'; script-src {script}; style-src 'self'; img-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)


def protect(response: Response) -> Response:
    """Add privacy and security headers, and answer repeat visits with 304 when unchanged."""
    headers = response.headers
    headers.setdefault(
        "Content-Security-Policy", CONTENT_SECURITY_POLICY.format(script=exit_script()[1])
    )
    # The address of a lesson must never travel to another site (the quick exit included), but
    # this site's own forms send it: over HTTPS, Flask-WTF refuses a POST without a same-site
    # Referer, so "no-referrer" would break every form in production.
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("X-Content-Type-Options", "nosniff")
    if request.is_secure:
        # Once a phone has reached the site over HTTPS, it never tries plain HTTP again.
        headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    if request.method == "POST" or _signed_in():
        # Answers, results and a trainee's own pages are for this moment only: a shared phone
        # must not keep a copy of them after sign-out.
        response.cache_control.no_store = True
        return response
    if (
        response.mimetype == "text/html"
        and request.method in ("GET", "HEAD")
        and response.status_code == 200
        and not response.direct_passthrough
    ):
        # Weak, because Flask-Compress then leaves it alone and a gzipped copy still matches.
        response.add_etag(weak=True)
        response.cache_control.no_cache = True
        response.cache_control.private = True
        response.make_conditional(request)
    return response


def _signed_in() -> bool:
    """True when a trainee is signed in (their pages are theirs alone)."""
    return bool(current_user) and current_user.is_authenticated
