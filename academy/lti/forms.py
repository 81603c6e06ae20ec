"""The admin's form for registering a learning platform (Flask-WTF, so it carries a CSRF token)."""

from __future__ import annotations

from dataclasses import fields

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length, ValidationError

from academy.lti.operations import PlatformDetails, is_web_url

FILL_IN = _l("Copy this from your learning platform's tool settings.")
TOO_LONG = _l("This can be at most %(max)d characters.", max=255)


def _web_address(form: FlaskForm, field: StringField) -> None:
    """A platform endpoint must be a full web address."""
    if not is_web_url((field.data or "").strip()):
        raise ValidationError(str(_l("Enter a full address starting with https://")))


def _text(label: str) -> StringField:
    """A required identifier of up to 255 characters."""
    return StringField(label, [DataRequired(FILL_IN), Length(max=255, message=TOO_LONG)])


def _address(label: str) -> StringField:
    """A required web address of the platform."""
    return StringField(label, [DataRequired(FILL_IN), _web_address])


class PlatformForm(FlaskForm):
    """What a platform's tool registration gives, to copy into Academy."""

    issuer = _text(_l("Platform ID (issuer)"))
    client_id = _text(_l("Client ID"))
    deployment_id = _text(_l("Deployment ID"))
    auth_login_url = _address(_l("Authentication request URL"))
    auth_token_url = _address(_l("Access token URL"))
    keyset_url = _address(_l("Public keyset URL"))

    def details(self) -> PlatformDetails:
        """The form's values, trimmed of the spaces that copying and pasting adds."""
        return PlatformDetails(
            **{field.name: self[field.name].data.strip() for field in fields(PlatformDetails)}
        )
