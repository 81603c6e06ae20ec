"""Where pylti1p3 keeps a launch's state between requests: a table, not the session cookie.

The platform posts the launch from its own site, so Academy's SameSite=Lax session cookie
never comes with it, and any worker may receive the launch that another one's login began.
pylti1p3's cache storage handles both given any cache: here the cache is the lti_launch_data
table. Its own short-lived `lti1p3-*` cookies (SameSite=None over HTTPS) still tie a launch
to the browser that started the login.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from pylti1p3.contrib.flask import FlaskCacheDataStorage, FlaskSessionService
from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from academy.models import LtiLaunchData, utcnow

# Seconds a login's nonce, and a teacher's deep-linking request, stay usable.
LIFETIME = 3600
MESSAGE_TYPE = "https://purl.imsglobal.org/spec/lti/claim/message_type"
# All a deep-linking request needs later to answer the platform: who it is for and where to
# answer. Names, emails, pictures and every other claim are dropped before anything is stored.
DEEP_LINKING_CLAIMS = (
    "iss",
    "aud",
    MESSAGE_TYPE,
    "https://purl.imsglobal.org/spec/lti/claim/version",
    "https://purl.imsglobal.org/spec/lti/claim/deployment_id",
    "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings",
)


class DatabaseCache:
    """The get, set and delete of a cache, on the lti_launch_data table."""

    def __init__(self, session: Session):
        self.session = session

    def get(self, key: str) -> Any:
        """The value under `key`, or None when there is none or it expired."""
        return self.session.scalar(
            select(LtiLaunchData.value).where(
                LtiLaunchData.key == key, LtiLaunchData.expires_at > utcnow()
            )
        )

    def set(self, key: str, value: Any, exp: int | None = None) -> None:
        """Keep `value` under `key` for `exp` seconds; expired rows are swept on the way."""
        now = utcnow()
        self.session.execute(
            delete(LtiLaunchData).where(
                or_(LtiLaunchData.key == key, LtiLaunchData.expires_at <= now)
            )
        )
        expires_at = now + timedelta(seconds=exp or LIFETIME)
        self.session.add(LtiLaunchData(key=key, value=value, expires_at=expires_at))
        self.session.flush()

    def delete(self, key: str) -> bool:
        """Remove a live value; True when there was one (so only one caller can take it)."""
        result = self.session.execute(
            delete(LtiLaunchData).where(
                LtiLaunchData.key == key, LtiLaunchData.expires_at > utcnow()
            )
        )
        return result.rowcount == 1


class DatabaseLaunchDataStorage(FlaskCacheDataStorage):
    """pylti1p3's cache launch-data storage on the database, with values that can be used up."""

    def __init__(self, session: Session):
        super().__init__(DatabaseCache(session))

    def take_value(self, key: str) -> bool:
        """Remove the value under `key`; True for the one caller that found it there."""
        return self._cache.delete(self._prepare_key(key))


class AcademySessionService(FlaskSessionService):
    """pylti1p3's session service with single-use nonces and no personal data stored."""

    _launch_data_lifetime = LIFETIME

    def save_launch_data(self, key: str, jwt_body: dict) -> None:
        """Keep a deep-linking request's few claims for the teacher's choice; nothing else."""
        if jwt_body.get(MESSAGE_TYPE) != "LtiDeepLinkingRequest":
            return  # a learner's launch is finished in its own request: nothing to keep
        kept = {claim: jwt_body[claim] for claim in DEEP_LINKING_CLAIMS if claim in jwt_body}
        super().save_launch_data(key, kept)

    def use_nonce(self, nonce: str) -> bool:
        """Use up a login's nonce; True only the first time, so a token cannot be replayed."""
        return self.data_storage.take_value(self._get_key("nonce", nonce))
