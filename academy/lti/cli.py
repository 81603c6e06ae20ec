"""`academy lti ...`: register learning platforms and send the scores still owed to them."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup
from flask_babel import gettext as _

from academy.db import db
from academy.locale import in_operator_language
from academy.lti import grades, launches, operations
from academy.models import LtiPlatform


@click.group("lti", cls=AppGroup)
def lti_group() -> None:
    """Let Moodle, Canvas and other platforms open Academy's courses (LTI 1.3)."""


def _identifier(context: click.Context, parameter: click.Parameter, value: str) -> str:
    """Refuse an identifier longer than the database keeps."""
    if len(value) > 255:
        raise click.BadParameter(_("this can be at most %(max)d characters", max=255))
    return value


def _web_url(context: click.Context, parameter: click.Parameter, value: str) -> str:
    """Refuse an option that is not a full http(s) address."""
    if not operations.is_web_url(value):
        raise click.BadParameter(_("enter a full address starting with https://"))
    return value


@lti_group.command("add-platform")
@click.option("--issuer", required=True, callback=_identifier, help="The platform ID (issuer).")
@click.option("--client-id", required=True, callback=_identifier, help="Academy's client ID.")
@click.option("--deployment-id", required=True, callback=_identifier, help="The deployment ID.")
@click.option("--auth-login-url", required=True, callback=_web_url, help="Authentication URL.")
@click.option("--auth-token-url", required=True, callback=_web_url, help="Access token URL.")
@click.option("--keyset-url", required=True, callback=_web_url, help="Public keyset URL.")
@in_operator_language
def add_platform(**details: str) -> None:
    """Register a platform; Academy makes a key pair for it and serves the public key."""
    try:
        platform = add(operations.PlatformDetails(**details))
    except operations.AlreadyRegistered:
        raise click.ClickException(_("this platform already has this deployment")) from None
    click.echo(
        _(
            "Registered %(issuer)s (client ID %(client)s).",
            issuer=platform.issuer,
            client=platform.client_id,
        )
    )
    urls = tool_urls()
    if urls:
        click.echo(_("Enter these in the platform's tool settings:"))
        labels = {
            "login": _("Initiate login URL"),
            "launch": _("Redirection URI, tool URL and deep linking URL"),
            "jwks": _("Public keyset URL"),
        }
        for key, label in labels.items():
            click.echo(f"  {label}: {urls[key]}")


def add(details: operations.PlatformDetails) -> LtiPlatform:
    """Register the platform and commit; the command's work, for tests to call."""
    platform = operations.register_platform(db.session, details)
    db.session.commit()
    return platform


def tool_urls() -> dict[str, str]:
    """Academy's tool addresses, when ACADEMY_PUBLIC_URL says where the site is; else none."""
    public_url = current_app.config["ACADEMY_PUBLIC_URL"]
    if not public_url:
        return {}
    with current_app.test_request_context(base_url=public_url):
        return launches.tool_urls()


@lti_group.command("send-scores")
@in_operator_language
def send_scores() -> None:
    """Send the quiz scores a platform could not take when they were made."""
    sent, unsent = grades.send_pending(db.session)
    click.echo(_("Scores sent: %(sent)d. Still waiting: %(unsent)d.", sent=sent, unsent=unsent))
    if unsent:
        raise SystemExit(1)
