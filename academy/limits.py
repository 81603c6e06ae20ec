"""Rate limits (flask-limiter): sign-in and sign-up, keyed by hashes, never by raw addresses."""

from __future__ import annotations

import hashlib
import hmac
import math
import time
from collections.abc import Callable

from flask import Response, current_app, render_template, request
from flask_limiter import Limiter, RequestLimit
from flask_login import current_user

from academy.accounts.usernames import username_key


def _keyed_hash(value: str) -> str:
    """A short keyed hash: the store and any log line see no address and no username."""
    secret = current_app.config["SECRET_KEY"].encode()
    return hmac.new(secret, value.encode(), hashlib.sha256).hexdigest()[:24]


def client_key() -> str:
    """The client's address, hashed."""
    return _keyed_hash(request.remote_addr or "")


def username_in_form() -> str:
    """The username being signed in to, hashed: limits guessing from many addresses."""
    return _keyed_hash(username_key(request.form.get("username", "")[:100]))


def signed_in_user() -> str:
    """The signed-in trainee's account, hashed."""
    return _keyed_hash(f"user:{current_user.get_id() and current_user.id}")


def too_many_requests(limit: RequestLimit) -> Response:
    """A calm 429 page that says how long to wait."""
    # reset_at is rounded up to the next whole second; take that second back off.
    minutes = max(1, math.ceil((limit.reset_at - 1 - time.time()) / 60))
    page = render_template("site/too_many.html", minutes=minutes)
    return Response(page, status=429)


# Storage comes from RATELIMIT_STORAGE_URI, which Academy sets from ACADEMY_RATELIMIT_STORAGE_URL
# (memory:// by default; redis://... when several workers must share the counts).
limiter = Limiter(key_func=client_key, key_prefix="academy", headers_enabled=True)


def wrong_passwords_limit(exempt_when: Callable[[], bool] | None = None):
    """Wrong passwords for one username, counted together wherever they are typed."""
    return limiter.shared_limit(
        lambda: current_app.config["ACADEMY_SIGN_IN_NAME_LIMIT"],
        scope="sign-in-name",
        key_func=username_in_form,
        methods=["POST"],
        # Only wrong passwords count against a username: its owner signing in costs nothing.
        deduct_when=lambda response: response.status_code != 303,
        exempt_when=exempt_when,
        on_breach=too_many_requests,
    )
