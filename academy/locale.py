"""Which language a trainee sees: the interface locale and the content language order."""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Callable, Collection, Mapping
from typing import ParamSpec, TypeVar

from flask import current_app, has_request_context, request
from flask_babel import force_locale, get_locale
from flask_login import current_user

P = ParamSpec("P")
R = TypeVar("R")

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


# Where gettext looks for the operator's language, in its order: the first one set decides.
LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


def operator_language(offered: Collection[str], environ: Mapping[str, str] | None = None) -> str:
    """The language of whoever runs a command, from their locale, if offered; else English."""
    environ = os.environ if environ is None else environ
    for name in LOCALE_VARIABLES:
        value = environ.get(name)
        if not value:
            continue
        # LANGUAGE may list several, best first ("ru:fr"); "fr_FR.UTF-8@euro" is French.
        for entry in value.split(":"):
            language = re.split(r"[_.@-]", entry, maxsplit=1)[0].lower()
            if language in ("c", "posix"):  # the plain locale of servers and containers
                return "en"
            if language in offered:
                return language
        return "en"
    return "en"


def in_operator_language(command: Callable[P, R]) -> Callable[P, R]:
    """Run a command with its messages in the operator's language; goes under with_appcontext."""

    @functools.wraps(command)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        # Forced, not left to select_locale: an app context pushed before (as tests do) may
        # already hold a locale, which force_locale overrides and then restores.
        with force_locale(operator_language(current_app.config["ACADEMY_LANGUAGES"])):
            return command(*args, **kwargs)

    # A mark that with_appcontext copies outward, so a test can find commands left in English.
    run.in_operator_language = True  # type: ignore[attr-defined]
    return run
