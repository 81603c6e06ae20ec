"""Every setting, declared once with its default; the only module that reads the environment."""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path
from typing import Any

from flask import Flask

# Each key is read from the environment variable of the same name (ACADEMY_SITE_NAME=...),
# parsed as JSON when it can be (true, 3600, ["en"]) and as text otherwise, as Flask's
# from_prefixed_env does. Keys keep their ACADEMY_ prefix inside app.config too, so they never
# collide with a host application's settings when Academy is mounted in another site.
DEFAULTS: dict[str, Any] = {
    # SQLAlchemy URL; empty means SQLite in the instance folder (academy.sqlite3).
    "ACADEMY_DATABASE_URL": "",
    # Folder holding the course repository that `academy sync` publishes.
    "ACADEMY_COURSES_DIR": str(Path(__file__).resolve().parent.parent / "courses"),
    # Name shown in the header and in every page title. Neutral by default, on purpose.
    "ACADEMY_SITE_NAME": "Academy",
    # Discreet mode: page titles (what a browser's history and tabs show) name no course or
    # lesson. Turn it off only where being seen learning about sex work puts no one at risk.
    "ACADEMY_DISCREET": True,
    # Where the quick-exit control sends a trainee: an everyday site chosen by the operator.
    "ACADEMY_EXIT_URL": "https://www.bbc.com/weather",
    # Interface language when the browser asks for none that Academy has.
    "ACADEMY_DEFAULT_LANGUAGE": "en",
    # Interface languages offered; content may exist in more or fewer.
    "ACADEMY_LANGUAGES": ["en", "fr", "es", "ru"],
    # Author's preview: facilitator notes shown, content re-read on every change, a banner.
    # Set by `academy preview`, on its own database; never on a site trainees use.
    "ACADEMY_PREVIEW": False,
    # Seconds a browser may keep the stylesheet and media without asking again (they are
    # addressed by content hash, so a change gets a new address).
    "ACADEMY_STATIC_MAX_AGE": 31536000,
    # Where rate-limit counts live: memory:// for one process, redis://host:6379 for several.
    "ACADEMY_RATELIMIT_STORAGE_URL": "memory://",
    # Sign-in attempts allowed from one address (a whole room may share one connection).
    "ACADEMY_SIGN_IN_LIMIT": "30 per minute",
    # Wrong passwords allowed for one username, from anywhere: this is what stops guessing.
    "ACADEMY_SIGN_IN_NAME_LIMIT": "5 per minute; 20 per hour",
    # New accounts allowed from one address.
    "ACADEMY_SIGN_UP_LIMIT": "60 per hour",
    # Folder of built PDFs; empty means instance/pdf-cache. Several workers can share one.
    "ACADEMY_PDF_CACHE_DIR": "",
    # The address trainees reach Academy at (https://learn.example.org); when set, handouts
    # print each module's address and a QR code. Empty by default: paper says nothing of the site.
    "ACADEMY_PUBLIC_URL": "",
    # Proxies in front of Academy (nginx, a load balancer) whose X-Forwarded-For/-Proto/-Host to
    # trust: 1 behind one proxy. Without it every trainee looks like the proxy to rate limits.
    "ACADEMY_PROXY_HOPS": 0,
    # Host names the site answers to (["learn.example.org"]); others get 400. Empty: any.
    "ACADEMY_TRUSTED_HOSTS": [],
    # Tries at a cohort join code allowed per trainee (codes are long; this stops guessing).
    "ACADEMY_JOIN_LIMIT": "10 per hour",
    # Shared answers a trainee may post or edit.
    "ACADEMY_SHARE_LIMIT": "30 per hour",
    # Hours a sign-in lasts at most, however active the trainee is.
    "ACADEMY_SESSION_HOURS": 8,
    # Minutes without a request after which a sign-in ends (a phone put down or handed on).
    "ACADEMY_IDLE_MINUTES": 15,
    # Days a "keep me signed in" sign-in lasts. 0, the default, offers no such box: on a shared
    # phone a lasting sign-in is a trace. Only for sites where trainees have their own phones.
    "ACADEMY_REMEMBER_DAYS": 0,
    # Sites allowed to show Academy inside a frame (["https://moodle.example.org"]): the learning
    # platforms that launch it over LTI in an iframe. Empty, the default: no site may frame it.
    "ACADEMY_FRAME_ANCESTORS": [],
    # LTI login starts allowed from one address (each stores a nonce for an hour); a classroom
    # opening a platform's activity together shares one address.
    "ACADEMY_LTI_LOGIN_LIMIT": "120 per minute",
}


def load_config(app: Flask, overrides: dict[str, Any] | None = None) -> None:
    """Fill app.config: explicit values win, then the environment, then the defaults."""
    # The session cookie (CSRF token) is never sent with requests started by other sites.
    if app.config.get("SESSION_COOKIE_SAMESITE") is None:
        app.config["SESSION_COOKIE_SAMESITE"] = "Lax"
    # Flask-Login's "keep me signed in" cookie: hidden from scripts, never sent cross-site.
    app.config.setdefault("REMEMBER_COOKIE_HTTPONLY", True)
    # ...and only over HTTPS: a lasting sign-in must never travel in clear.
    app.config.setdefault("REMEMBER_COOKIE_SECURE", True)
    app.config.setdefault("REMEMBER_COOKIE_SAMESITE", "Lax")
    # Flask-Compress: brotli where the browser takes it (a lesson page 10-12% smaller than with
    # Flask-Compress's first choice, zstd), at a level costing 0.3 ms a page (levels 10-11 save
    # 12-15% more, for 8-18 ms a page); gzip at its best for the others.
    app.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])
    app.config.setdefault("COMPRESS_BR_LEVEL", 5)
    app.config.setdefault("COMPRESS_LEVEL", 9)
    app.config.update(overrides or {})
    for key, default in DEFAULTS.items():
        if key not in app.config:
            app.config[key] = _parse(os.environ[key]) if key in os.environ else default
    if not app.config.get("SECRET_KEY") and "ACADEMY_SECRET_KEY" in os.environ:
        app.config["SECRET_KEY"] = os.environ["ACADEMY_SECRET_KEY"]
    hosts = app.config["ACADEMY_TRUSTED_HOSTS"]
    if isinstance(hosts, str):  # from the environment: "learn.example.org,www.example.org"
        hosts = [host.strip() for host in hosts.split(",") if host.strip()]
    if hosts and not app.config.get("TRUSTED_HOSTS"):
        app.config["TRUSTED_HOSTS"] = list(hosts)
    if not app.config["ACADEMY_PDF_CACHE_DIR"]:
        app.config["ACADEMY_PDF_CACHE_DIR"] = str(Path(app.instance_path) / "pdf-cache")
    if not app.config["ACADEMY_DATABASE_URL"]:
        app.config["ACADEMY_DATABASE_URL"] = f"sqlite:///{Path(app.instance_path)}/academy.sqlite3"


def ensure_secret_key(app: Flask) -> None:
    """Give a standalone app a persistent random secret key kept in the instance folder."""
    if app.config.get("SECRET_KEY"):
        return
    path = Path(app.instance_path) / "secret_key"
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        # Written aside, readable by the owner only, then linked into place in one step: several
        # workers starting at once must all end up with the same, complete key.
        draft = path.with_name(f".secret_key.{os.getpid()}")
        fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as file:
            file.write(secrets.token_hex(32))
        try:
            os.link(draft, path)
        except FileExistsError:
            pass  # another worker was first; use its key
        finally:
            draft.unlink()
    app.config["SECRET_KEY"] = path.read_text().strip()


def _parse(value: str) -> Any:
    """JSON when the value is JSON, otherwise the text itself."""
    try:
        return json.loads(value)
    except ValueError:
        return value


# Values people paste from tutorials: a site signed with one of these can be forged.
PLACEHOLDER_SECRETS = {"changeme", "change-me", "secret", "dev", "development", "test", "xxx"}


class UnsafeProduction(RuntimeError):
    """The app is configured in a way that must never serve trainees."""


def check_production(app: Flask) -> None:
    """Refuse to serve with debug on or a short or placeholder secret key."""
    if app.debug:
        raise UnsafeProduction("debug mode is on: it shows code and data to anyone; turn it off")
    if app.config["ACADEMY_PREVIEW"]:
        raise UnsafeProduction(
            "ACADEMY_PREVIEW is on: it shows facilitator notes to everyone; use it only for "
            "`academy preview`"
        )
    key = str(app.config.get("SECRET_KEY") or "")
    if len(key) < 32 or key.lower() in PLACEHOLDER_SECRETS:
        raise UnsafeProduction(
            "ACADEMY_SECRET_KEY is missing, shorter than 32 characters or a placeholder: "
            "unset it to have one made in instance/secret_key, or set a long random value"
        )
