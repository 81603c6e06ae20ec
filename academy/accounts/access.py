"""Deny by default: every Academy route declares who may use it, and undeclared ones refuse."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import current_app, request
from flask_login import current_user
from werkzeug.exceptions import Forbidden

# Who may use a route. Each level includes the ones after it: an admin may do what a
# facilitator may, and every signed-in account may do what a trainee may.
LEVELS = {
    "public": (),  # anyone, signed in or not
    "trainee": ("trainee", "facilitator", "admin"),  # any signed-in account
    "facilitator": ("facilitator", "admin"),
    "admin": ("admin",),
}
# The blueprints whose routes must declare a level (a host site's own routes are its business).
ACADEMY_BLUEPRINTS = frozenset({"site", "learn", "accounts", "handouts", "facilitate", "lti"})


class RoleRefused(Forbidden):
    """The signed-in account's role may not use this page (not a rule of the page itself)."""

    def __init__(self, level: str):
        super().__init__()
        self.level = level


def access(level: str) -> Callable:
    """Declare and enforce who may use a view: a guest is sent to sign in, others get 403."""
    if level not in LEVELS:
        raise ValueError(f"unknown access level {level!r}; use one of {', '.join(LEVELS)}")
    roles = LEVELS[level]

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def guarded(*args, **kwargs):
            if roles:
                if not current_user.is_authenticated:
                    return current_app.login_manager.unauthorized()
                if current_user.role not in roles:
                    raise RoleRefused(level)
            return view(*args, **kwargs)

        guarded.academy_access = level
        return guarded

    return decorate


def declared_level(view: Callable) -> str | None:
    """The access level a view declared, or None when it declared none."""
    return getattr(view, "academy_access", None)


def refuse_undeclared() -> None:
    """Before each request: an Academy route that declares no level is refused outright."""
    if request.blueprint not in ACADEMY_BLUEPRINTS or request.endpoint is None:
        return
    view = current_app.view_functions.get(request.endpoint)
    if declared_level(view) is None:
        # A programming mistake, not an attack: loud in the log, closed to the visitor.
        current_app.logger.error("route %s declares no access level: refused", request.endpoint)
        raise Forbidden()
