"""Pseudonymous accounts: sign-up, sign-in, sign-out, data export and deletion."""

from flask import Blueprint

bp = Blueprint("accounts", __name__, template_folder="templates")

from academy.accounts import views  # noqa: E402,F401  (views attach themselves to bp)
from academy.accounts.auth import keep_session_alive  # noqa: E402

bp.before_app_request(keep_session_alive)
