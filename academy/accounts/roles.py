"""Who may see facilitator pages and files: a decorator for views."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import current_app
from flask_login import current_user
from werkzeug.exceptions import Forbidden


def role_required(*roles: str) -> Callable:
    """Let through only these roles: a guest is sent to sign in, anyone else gets 403."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def guarded(*args, **kwargs):
            if not current_user.is_authenticated:
                return current_app.login_manager.unauthorized()
            if current_user.role not in roles:
                raise Forbidden()
            return view(*args, **kwargs)

        return guarded

    return decorate


facilitator_required = role_required("facilitator", "admin")
