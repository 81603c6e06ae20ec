"""Account pages: join, sign in, sign out, and the account page with export and deletion."""

from __future__ import annotations

import json

from flask import (
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.exceptions import NotFound

from academy.accounts import bp, operations
from academy.accounts.access import access
from academy.accounts.auth import forget_here, remember_allowed, start_fresh
from academy.accounts.forms import (
    ChangePasswordForm,
    ConfirmForm,
    PasswordCheckForm,
    SignInForm,
    SignUpForm,
)
from academy.db import db
from academy.limits import limiter, signed_in_user, too_many_requests, wrong_passwords_limit
from academy.site.headers import protect
from academy.site.urls import safe_next

bp.after_request(protect)

# Pages that only make sense when Academy keeps its own accounts.
OWN_ACCOUNT_PAGES = {"sign_up", "sign_in", "sign_out", "account", "export", "delete"}
OWN_ACCOUNT_PAGES |= {"change_password", "roles"}


@bp.before_request
def host_keeps_accounts() -> Response | None:
    """Inside a host site with its own users, joining and signing in are the host's."""
    if current_app.extensions["academy"].user_loader is None:
        return None
    endpoint = request.endpoint.rsplit(".", 1)[-1]
    if endpoint in ("sign_in", "sign_up"):
        return current_app.login_manager.unauthorized()  # the host's sign-in page
    if endpoint in OWN_ACCOUNT_PAGES:
        raise NotFound()
    return None


def _limit(setting: str, **options):
    """A rate limit on POSTs whose value is read from the app's config at request time."""
    return limiter.limit(
        lambda: current_app.config[setting],
        methods=["POST"],
        on_breach=too_many_requests,
        **options,
    )


# Typing the password again is a second place to guess it: limited like sign-in, per trainee.
_password_limit = _limit(
    "ACADEMY_SIGN_IN_NAME_LIMIT",
    key_func=signed_in_user,
    deduct_when=lambda response: response.status_code == 400,
    scope="password-check",
)


def _next_page() -> str:
    """Where to go after signing in or joining."""
    return safe_next(request.args.get("next"), url_for("learn.catalogue"))


@bp.route("/join", methods=["GET", "POST"])
@access("public")
@_limit("ACADEMY_SIGN_UP_LIMIT")
def sign_up() -> Response | str | tuple[str, int]:
    """Create an account with a username and a password only."""
    form = SignUpForm()
    if form.validate_on_submit():
        try:
            user = operations.create_account(db.session, form.username.data, form.password.data)
        except operations.UsernameTaken:
            form.username.errors.append(_("Someone already uses this username. Choose another."))
        else:
            _start(user, remember=False)
            return redirect(_next_page(), code=303)
    status = 400 if form.errors else 200
    return render_template("accounts/sign_up.html", form=form), status


@bp.route("/sign-in", methods=["GET", "POST"])
@access("public")
@_limit("ACADEMY_SIGN_IN_LIMIT")
@wrong_passwords_limit()
def sign_in() -> Response | str | tuple[str, int]:
    """Sign in; a wrong name or password gets one message that does not say which."""
    form = SignInForm()
    failed = False
    if form.validate_on_submit():
        user = operations.authenticate(db.session, form.username.data, form.password.data)
        if user is not None:
            _start(user, remember=form.remember.data)
            return redirect(_next_page(), code=303)
        failed = True
    status = 400 if form.errors or failed else 200
    return (
        render_template(
            "accounts/sign_in.html", form=form, failed=failed, remember_allowed=remember_allowed()
        ),
        status,
    )


def _start(user, remember: bool) -> None:
    """Replace whatever session the browser had with a new signed-in one, and commit."""
    start_fresh(user, remember)
    db.session.commit()


@bp.post("/sign-out")
@access("public")
def sign_out() -> Response:
    """End the session on the server and in this browser."""
    if current_user.is_authenticated:
        operations.end_session(db.session, current_user.session_token)
        db.session.commit()
    forget_here()
    response = redirect(url_for("learn.catalogue"), code=303)
    # A shared phone keeps no copy of any page seen while signed in, and nothing offline
    # reading kept (its worker, its copies, answers waiting to be sent). The language and
    # data-saver cookies stay: they are settings, not traces of what was read.
    response.headers["Clear-Site-Data"] = '"cache", "storage"'
    return response


@bp.get("/account")
@access("trainee")
def account() -> str:
    """The trainee's account: what is stored, download it, delete it."""
    return render_template("accounts/account.html", **_password_forms())


@bp.post("/account/export")
@access("trainee")
@_password_limit
def export() -> Response | tuple[str, int]:
    """Download everything stored about the trainee as JSON, after their password."""
    forms = _password_forms()
    if not _password_confirmed(forms["export_form"]):
        return render_template("accounts/account.html", **forms), 400
    data = operations.export_account(db.session, current_user)
    body = json.dumps(data, ensure_ascii=False, indent=2)
    return Response(
        body,
        mimetype="application/json",
        # A neutral name: the file may sit in a shared phone's downloads.
        headers={"Content-Disposition": 'attachment; filename="my-data.json"'},
    )


@bp.post("/account/delete")
@access("trainee")
@_password_limit
def delete() -> Response | tuple[str, int] | str:
    """Delete the account and everything in it, after the trainee types their password."""
    forms = _password_forms()
    if not _password_confirmed(forms["delete_form"]):
        return render_template("accounts/account.html", **forms), 400
    operations.delete_account(db.session, current_user)
    db.session.commit()
    forget_here()
    response = Response(render_template("accounts/deleted.html"))
    response.headers["Clear-Site-Data"] = '"cache", "cookies", "storage"'
    return response


@bp.post("/account/password")
@access("trainee")
@_password_limit
def change_password() -> Response | tuple[str, int]:
    """A new password, after the current one; every other signed-in phone is signed out."""
    forms = _password_forms()
    if "password_form" not in forms:
        raise NotFound()  # an account with no password has none to change
    form = forms["password_form"]
    if not _password_confirmed(form):
        return render_template("accounts/account.html", **forms), 400
    operations.change_password(db.session, current_user, form.new_password.data)
    db.session.commit()
    flash(_("Your password is changed. Any other phone signed in to your account is signed out."))
    return redirect(url_for("accounts.account"), code=303)


def _password_confirmed(form: PasswordCheckForm | ChangePasswordForm | ConfirmForm) -> bool:
    """True when the form is valid and holds the trainee's own password (or their tick)."""
    if not form.validate_on_submit():
        return False
    if isinstance(form, ConfirmForm):
        return True  # an account with no password: the ticked box is the confirmation
    if operations.check_password(current_user, form.password.data):
        return True
    form.password.errors.append(_("That is not your password."))
    return False


def _password_forms() -> dict[str, FlaskForm]:
    """The account page's forms, kept apart by their field prefixes."""
    if not current_user.has_password:
        # Signed in by a learning platform: no password to ask for, so a tick confirms, and
        # the trainee can still take their data or delete everything.
        return {
            "export_form": ConfirmForm(prefix="export"),
            "delete_form": ConfirmForm(prefix="delete"),
        }
    return {
        "password_form": ChangePasswordForm(prefix="change"),
        "export_form": PasswordCheckForm(prefix="export"),
        "delete_form": PasswordCheckForm(prefix="delete"),
    }


@bp.route("/admin/roles", methods=["GET", "POST"])
@access("admin")
def roles() -> Response | str | tuple[str, int]:
    """Find an account by username and make it a trainee, facilitator or admin."""
    name = request.values.get("username", "")[:100]
    user = operations.find_user(db.session, name) if name else None
    if request.method == "POST":
        role = request.form.get("role", "")
        if user is None or role not in operations.ROLES:
            return render_template(
                "accounts/roles.html", name=name, user=user, roles=operations.ROLES
            ), 400
        operations.set_role(db.session, user.username, role)
        db.session.commit()
        return redirect(url_for("accounts.roles", username=user.username), code=303)
    status = 404 if name and user is None else 200
    return render_template(
        "accounts/roles.html", name=name, user=user, roles=operations.ROLES
    ), status
