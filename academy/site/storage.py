"""When the database cannot take a write (disk full, read-only): a calm 503, nothing half-saved."""

from __future__ import annotations

from flask import Response, current_app, render_template, request
from sqlalchemy.exc import DBAPIError

from academy.accounts.access import ACADEMY_BLUEPRINTS
from academy.db import db, storage_refused
from academy.site.headers import protect


def storage_unavailable(error: DBAPIError) -> Response:
    """Say that nothing could be saved; the transaction is rolled back, so nothing is half-kept."""
    if request.blueprint not in ACADEMY_BLUEPRINTS or not storage_refused(error):
        raise error  # a host's page, or a real bug: the usual 500 handling
    db.session.rollback()
    # The kind of refusal only: the statement and its values stay out of the log.
    current_app.logger.error("the database refused a write: %s", type(error.orig).__name__)
    response = Response(render_template("site/error.html", code=503), status=503)
    response.headers["Retry-After"] = "120"
    return protect(response)
