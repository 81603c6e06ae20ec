"""pylti1p3's tool configuration, read from the platforms registered in the database."""

from __future__ import annotations

from typing import Any

from pylti1p3.deployment import Deployment
from pylti1p3.registration import Registration
from pylti1p3.tool_config import ToolConfAbstract
from sqlalchemy.orm import Session

from academy.lti import operations
from academy.models import LtiPlatform


def registration(platform: LtiPlatform) -> Registration:
    """pylti1p3's registration for a platform: its endpoints and Academy's key pair for it."""
    return (
        Registration()
        .set_issuer(platform.issuer)
        .set_client_id(platform.client_id)
        .set_auth_login_url(platform.auth_login_url)
        .set_auth_token_url(platform.auth_token_url)
        .set_key_set_url(platform.keyset_url)
        .set_tool_private_key(platform.private_key)
        .set_tool_public_key(platform.public_key)
    )


class DatabaseToolConf(ToolConfAbstract):
    """Finds registrations and deployments in Academy's database, one query each."""

    def __init__(self, session: Session):
        self.session = session

    # An issuer may have several client ids (two Moodle tools, say): always look up by both.
    def check_iss_has_one_client(self, iss: str) -> bool:
        """Never: the client id is always part of the look-up."""
        return False

    def check_iss_has_many_clients(self, iss: str) -> bool:
        """Always: the client id is always part of the look-up."""
        return True

    def find_registration_by_issuer(self, iss: str, *args: Any, **kwargs: Any) -> Registration:
        """The registration of the issuer's only platform (for a login without a client id)."""
        return self.find_registration_by_params(iss, None)

    def find_registration_by_params(
        self, iss: str, client_id: str | None, *args: Any, **kwargs: Any
    ) -> Registration | None:
        """The registration for this issuer and client id, or None when it is not registered."""
        platform = operations.find_platform(self.session, iss, client_id)
        return registration(platform) if platform is not None else None

    def find_deployment(self, iss: str, deployment_id: str) -> Deployment | None:
        """The deployment, when the issuer's only platform registered it."""
        return self.find_deployment_by_params(iss, deployment_id, None)

    def find_deployment_by_params(
        self, iss: str, deployment_id: str, client_id: str | None, *args: Any, **kwargs: Any
    ) -> Deployment | None:
        """The deployment, when the platform with this issuer and client id registered it."""
        platform = operations.find_platform(self.session, iss, client_id)
        if platform is None or not operations.find_deployment(
            self.session, platform, deployment_id
        ):
            return None
        return Deployment().set_deployment_id(deployment_id)

    def get_jwks(self, iss: str | None = None, client_id: str | None = None, **kwargs: Any):
        """Academy's public keys for every registered platform, as a JSON Web Key Set."""
        return {
            "keys": [
                Registration.get_jwk(platform.public_key)
                for platform in operations.platforms(self.session)
            ]
        }
