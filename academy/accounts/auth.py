"""Flask-Login wiring: who is signed in, found from the session token in their cookie."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app, flash, request, session
from flask_babel import gettext as _
from flask_login import LoginManager, current_user, login_user, logout_user

from academy.accounts import operations
from academy.accounts.access import ACADEMY_BLUEPRINTS
from academy.db import db, write_if_possible
from academy.models import User

login_manager = LoginManager()
login_manager.login_view = "accounts.sign_in"
login_manager.login_message = None  # the sign-in page says what it is for
# Flask-Login's protection stores a hash of the address in the cookie, and mobile networks change
# address mid-session; the server-side session (ended at sign-out) is the protection instead.
login_manager.session_protection = None

# How stale the "last seen" time may get before a request writes it again: one write a minute
# per trainee at most, and the idle timeout is still right to the minute.
TOUCH_EVERY = timedelta(minutes=1)


@login_manager.user_loader
def load_user(token: str) -> User | None:
    """The signed-in trainee, while their server-side session lives."""
    return operations.user_for_token(db.session, token, idle_limit())


def idle_limit() -> timedelta:
    """How long a session may go unused before it ends (a phone put down in a shared room)."""
    return timedelta(minutes=current_app.config["ACADEMY_IDLE_MINUTES"])


def remember_allowed() -> bool:
    """True when the operator lets trainees stay signed in on a phone (off by default)."""
    return current_app.config["ACADEMY_REMEMBER_DAYS"] > 0


def sign_in(user: User, remember: bool) -> None:
    """Start a new server-side session and put its token in the cookie."""
    config = current_app.config
    remember = remember and remember_allowed()
    lifetime = (
        timedelta(days=config["ACADEMY_REMEMBER_DAYS"])
        if remember
        else timedelta(hours=config["ACADEMY_SESSION_HOURS"])
    )
    operations.start_session(db.session, user, lifetime, remembered=remember)
    login_user(user, remember=remember, duration=lifetime)


def start_fresh(user: User, remember: bool = False) -> None:
    """Replace whatever session the browser had with a new signed-in one (caller commits)."""
    session.clear()  # nothing from before signing in carries over (no session fixation)
    sign_in(user, remember)


def keep_session_alive() -> None:
    """Before each request: note activity on a live session, or say why a dead one ended."""
    if current_app.extensions["academy"].user_loader is not None:
        return  # a host site's users: the host keeps their sessions
    if request.blueprint not in ACADEMY_BLUEPRINTS:
        return  # a host site's own pages are none of Academy's business
    if current_user.is_authenticated:
        # A read-only database must not stop a signed-in reader: the note is just lost.
        token = current_user.session_token
        write_if_possible(lambda: operations.touch_session(db.session, token, TOUCH_EVERY))
    elif session.get("_user_id"):
        # The cookie names a session the server has ended (idle, too old, signed out
        # elsewhere, password changed): forget it, and say so once.
        session.pop("_user_id")
        session.pop("_fresh", None)
        flash(_("You were signed out to keep your account safe. Sign in again to go on."))


def forget_here() -> None:
    """Empty this browser's session cookie and have its "keep me signed in" cookie deleted."""
    session.clear()
    # After the clear: logout_user leaves the note that makes Flask-Login delete the lasting
    # cookie on the way out, which clearing afterwards would wipe.
    logout_user()
