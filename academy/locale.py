"""Which language a trainee sees: the interface locale and the content language order."""

from __future__ import annotations

from flask import current_app, request
from flask_babel import get_locale


def select_locale() -> str:
    """The best interface language the browser asks for, else the site default."""
    offered = current_app.config["ACADEMY_LANGUAGES"]
    return (
        request.accept_languages.best_match(offered)
        or current_app.config["ACADEMY_DEFAULT_LANGUAGE"]
    )


def content_languages() -> list[str]:
    """Languages to try for course content, most wanted first."""
    return [str(get_locale()), current_app.config["ACADEMY_DEFAULT_LANGUAGE"]]
