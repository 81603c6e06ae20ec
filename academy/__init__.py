"""Academy: a small, safe learning platform for sex worker-led organisations.

`create_app()` builds the standalone site; `Academy` is the extension that attaches the same
site to any Flask app (`Academy(app)` or `academy.init_app(app)`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from flask import Flask, request
from flask.sessions import SecureCookieSessionInterface
from flask_babel import Babel
from flask_compress import Compress
from flask_wtf.csrf import CSRFProtect
from sqlalchemy.exc import DBAPIError
from werkzeug.middleware.proxy_fix import ProxyFix

from academy.config import ensure_secret_key, load_config
from academy.db import db

if TYPE_CHECKING:
    from academy.host import UserLoader

TRANSLATIONS = Path(__file__).resolve().parent.parent / "translations"

babel = Babel()
compress = Compress()
# Every POST form needs a CSRF token from the start, so no later form can forget one.
csrf = CSRFProtect()


# Files whose address is the hash of their bytes: the stylesheet and lesson images.
CONTENT_ADDRESSED = {"site.css", "site.media"}
# Sent by offline reading's service worker with quiz answers it sends by itself.
BACKGROUND_HEADER = "Academy-Background"


class HttpsAwareSessionInterface(SecureCookieSessionInterface):
    """The session cookie is `Secure` whenever the page came over HTTPS, without a setting."""

    def get_cookie_secure(self, app: Flask) -> bool:
        """Secure over HTTPS (or when configured), so the cookie never travels in clear."""
        return super().get_cookie_secure(app) or request.is_secure

    def save_session(self, app: Flask, session, response) -> None:
        """Save as Flask does, but let a file named by its content be kept whatever the cookie."""
        if request.headers.get(BACKGROUND_HEADER):
            # Sent behind the trainee's back: a new session cookie here would replace the one a
            # form open on screen was made with, and its next tap would fail the CSRF check.
            return
        super().save_session(app, session, response)
        if request.endpoint in CONTENT_ADDRESSED:
            # The same bytes for everyone: "Vary: Cookie" would have phones download the
            # stylesheet again after every sign-in or language change.
            response.vary.discard("cookie")  # lower case: HeaderSet compares it so


class Academy:
    """The Flask extension: registers Academy's pages, commands and database on an app."""

    def __init__(self, app: Flask | None = None, **options: Any):
        self.url_prefix = ""
        self.user_loader = None
        if app is not None:
            self.init_app(app, **options)

    def init_app(
        self,
        app: Flask,
        *,
        url_prefix: str = "",
        user_loader: UserLoader | None = None,
        error_pages: bool = False,
        cli_group: str | None = "academy",
    ) -> None:
        """Attach Academy to `app` under `url_prefix` ("/learn").

        `user_loader` makes the host's signed-in users Academy's (see academy.host); without
        it Academy has its own accounts. `error_pages` also makes its 404/500 pages the app's.
        Commands come as `flask academy ...` (`cli_group=None`: top-level, as `academy` has).
        """
        from academy import cli, site
        from academy.accounts import bp as accounts_bp
        from academy.accounts.access import refuse_undeclared
        from academy.accounts.auth import login_manager
        from academy.facilitate import bp as facilitate_bp
        from academy.handouts import bp as handouts_bp
        from academy.host import use_host_user
        from academy.learn import bp as learn_bp
        from academy.limits import limiter
        from academy.locale import select_locale
        from academy.lti import bp as lti_bp
        from academy.site.inputs import protect_academy_forms, refuse_nul_characters
        from academy.site.storage import storage_unavailable

        load_config(app)
        # Compiled by `make` (pybabel compile) next to the package, never committed.
        app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(TRANSLATIONS))
        db.init_app(app)
        babel.init_app(app, locale_selector=select_locale)
        compress.init_app(app)
        if "csrf" in app.extensions:
            # The host protects every form already; it must also know Academy's exemptions
            # (the quick exit, the quiz's own check), which live on Academy's instance.
            app.extensions["csrf"]._exempt_views |= csrf._exempt_views
        else:
            app.config.setdefault("WTF_CSRF_CHECK_DEFAULT", False)
            csrf.init_app(app)
            app.before_request(protect_academy_forms)
        self.url_prefix = url_prefix.rstrip("/")
        self.user_loader = user_loader
        # A host site with its own Flask-Login keeps it; Academy's loader is for standalone use.
        if not hasattr(app, "login_manager"):
            login_manager.init_app(app)
        elif user_loader is None:
            raise RuntimeError(
                "this app has its own Flask-Login: pass user_loader= so Academy knows who is "
                "signed in (see academy.host.HostUser)"
            )
        app.config.setdefault("RATELIMIT_STORAGE_URI", app.config["ACADEMY_RATELIMIT_STORAGE_URL"])
        limiter.init_app(app)
        # Runs before every other hook of Academy's: an undeclared route does nothing at all.
        app.before_request_funcs.setdefault(None, []).insert(0, refuse_undeclared)
        app.before_request_funcs[None].insert(1, refuse_nul_characters)
        app.before_request_funcs[None].insert(2, use_host_user)
        for blueprint in (site.bp, learn_bp, accounts_bp, handouts_bp, facilitate_bp):
            app.register_blueprint(blueprint, url_prefix=self.url_prefix or None)
        app.register_blueprint(lti_bp, url_prefix=self.url_prefix or None)
        cli.init_app(app, group=cli_group)
        app.register_error_handler(DBAPIError, storage_unavailable)
        if error_pages:
            site.register_error_pages(app)
        if app.config["ACADEMY_PREVIEW"]:
            from academy import preview

            preview.init_app(app)
        app.extensions["academy"] = self


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the standalone Academy site, configured from the environment and `config`."""
    # No app-wide static folder: Academy's files are served by its own declared routes.
    app = Flask(__name__, instance_relative_config=True, static_folder=None)
    # The largest form is a quiz: 300 characters an answer. Anything far bigger is refused (413).
    app.config["MAX_CONTENT_LENGTH"] = 64 * 1024
    load_config(app, config)
    ensure_secret_key(app)
    # The whole app is Academy's: every POST route, even one added later, needs its token.
    app.config.setdefault("WTF_CSRF_CHECK_DEFAULT", True)
    hops = int(app.config["ACADEMY_PROXY_HOPS"])
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    app.session_interface = HttpsAwareSessionInterface()
    # Templates stay readable in the source without sending their indentation to phones.
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    Academy(app, error_pages=True, cli_group=None)
    return app
