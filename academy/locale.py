"""Which language a trainee sees: the interface locale and the content language order."""

from __future__ import annotations

from flask import current_app, has_request_context, request
from flask_babel import get_locale
from flask_login import current_user

LANGUAGE_COOKIE = "lang"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
# Each language named in itself, so a reader finds theirs whatever the page's language.
LANGUAGE_NAMES = {
    "en": "English",
    "fr": "Français",
    "es": "Español",
    "ru": "Русский",
    "zh": "中文",
    "ar": "العربية",
}


def select_locale() -> str:
    """The reader's chosen language, else the best their browser asks for, else the default."""
    offered = current_app.config["ACADEMY_LANGUAGES"]
    if not has_request_context():  # a command: the site's default language
        return current_app.config["ACADEMY_DEFAULT_LANGUAGE"]
    chosen = request.cookies.get(LANGUAGE_COOKIE)
    if chosen in offered:
        return chosen
    # On a new phone, the language the trainee chose before follows their account.
    if current_user and current_user.is_authenticated and current_user.language in offered:
        return current_user.language
    return (
        request.accept_languages.best_match(offered)
        or current_app.config["ACADEMY_DEFAULT_LANGUAGE"]
    )


def content_languages() -> list[str]:
    """Languages to try for course content, most wanted first."""
    return [str(get_locale()), current_app.config["ACADEMY_DEFAULT_LANGUAGE"]]
