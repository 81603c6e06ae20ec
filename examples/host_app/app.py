"""A host site that mounts Academy under /learn and keeps its own users.

Run it: `flask --app examples.host_app.app academy db upgrade`, then
`flask --app examples.host_app.app academy sync` and `flask --app examples.host_app.app run`.
Its users are a dictionary here; a real site has its own table. Academy stores none of their
details: only a hash of each user's id, linked to their progress.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from flask import Flask, redirect, render_template_string, request, url_for
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user

from academy import Academy
from academy.host import HostUser

# The host's own accounts (a real site keeps them in its database, with hashed passwords).
USERS = {"amina": ("amina-password", "trainee"), "joy": ("joy-password", "facilitator")}

PAGE = """<!doctype html><title>Community centre</title>
<h1>{{ heading }}</h1>{{ body|safe }}
<p><a href="/learn/">Courses</a> · {% if current_user.is_authenticated %}
<a href="/logout">Log out {{ current_user.id }}</a>{% else %}<a href="/login">Log in</a>{% endif %}
"""
LOGIN = """<form method="post"><input name="name" aria-label="Name">
<input name="password" type="password" aria-label="Password"><button>Log in</button></form>"""


@dataclass
class Member(UserMixin):
    """A user of the host site."""

    id: str
    role: str


def create_host_app(config: dict | None = None) -> Flask:
    """The host site, with Academy mounted at /learn."""
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=os.environ.get("HOST_SECRET_KEY", "host-secret-change-me-host-secret-change"),
        SESSION_COOKIE_NAME="centre_session",
        # Academy's settings keep their ACADEMY_ prefix among the host's own.
        ACADEMY_DATABASE_URL=os.environ.get("ACADEMY_DATABASE_URL", "sqlite:///host-academy.db"),
    )
    app.config.update(config or {})
    logins = LoginManager(app)
    logins.login_view = "login"

    @logins.user_loader
    def load(name: str) -> Member | None:
        return Member(name, USERS[name][1]) if name in USERS else None

    @app.get("/")
    def home():
        return render_template_string(PAGE, heading="Welcome to the centre", body="")

    @app.route("/login", methods=["GET", "POST"])
    def login():
        name = request.form.get("name", "")
        if request.method == "POST" and USERS.get(name, ("",))[0] == request.form["password"]:
            login_user(Member(name, USERS[name][1]))
            after = request.args.get("next", "")
            # Only a path on this site: a link elsewhere would make this form an open redirect.
            safe = after.startswith("/") and not after.startswith(("//", "/\\"))
            return redirect(after if safe else url_for("home"))
        return render_template_string(PAGE, heading="Log in", body=LOGIN)

    @app.get("/logout")
    def logout():
        logout_user()
        return redirect(url_for("home"))

    @app.errorhandler(404)
    def not_found(error):
        return render_template_string(PAGE, heading="The centre has no such page", body=""), 404

    def signed_in_member() -> HostUser | None:
        """Who Academy should see: the member's id and the role the centre gives them."""
        if not current_user.is_authenticated:
            return None
        return HostUser(id=current_user.id, role=current_user.role)

    Academy(app, url_prefix="/learn", user_loader=signed_in_member)
    return app


app = create_host_app()
