"""The data saver: whether this reader wants lesson images left out until they tap them."""

from __future__ import annotations

from flask import Response, g, request

SAVER_COOKIE = "saver"
SAVER_COOKIE_AGE = 365 * 24 * 3600
CHOICES = ("on", "off")


def is_on() -> bool:
    """True when the reader chose the saver, else asked for it in the address or browser."""
    # Noted so that protect() names what the page now depends on in its Vary header.
    g.academy_saver_asked = True
    chosen = request.cookies.get(SAVER_COOKIE)
    if chosen in CHOICES:
        return chosen == "on"
    if request.args.get("data-saver") == "1":
        return True
    # Browsers send it when the phone's own data saver (Android, Chrome Lite mode) is on.
    return request.headers.get("Save-Data", "").strip().lower() == "on"


def remember(response: Response, choice: str) -> None:
    """Keep the reader's choice ("on" or "off") for a year on this browser."""
    response.set_cookie(
        SAVER_COOKIE,
        choice,
        max_age=SAVER_COOKIE_AGE,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure,
    )


def vary(response: Response) -> None:
    """Say that the response depends on the saver, when it was asked during this request."""
    # A shared cache must never hand one reader's choice (or their phone's) to another.
    if g.get("academy_saver_asked"):
        response.vary.update(("Save-Data", "Cookie"))
