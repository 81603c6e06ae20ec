"""pylti1p3 wired to Academy: a login begun, a launch checked, a learner landed, a link chosen.

pylti1p3 checks everything a launch carries (state, nonce, the platform's signature from its
keyset, expiry, audience through the registered client id, deployment, message type); this
module only gives it the database and turns a failed check into LaunchRefused.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import jwt
import requests
from flask import Response, current_app, request, url_for
from pylti1p3.contrib.flask import FlaskMessageLaunch, FlaskOIDCLogin, FlaskRequest
from pylti1p3.deep_link_resource import DeepLinkResource
from pylti1p3.exception import LtiException, OIDCException
from pylti1p3.lineitem import LineItem
from sqlalchemy.orm import Session
from werkzeug.exceptions import HTTPException

from academy.db import db
from academy.learn import queries
from academy.lti import operations
from academy.lti.storage import AcademySessionService, DatabaseLaunchDataStorage
from academy.lti.toolconf import DatabaseToolConf
from academy.models import Course, Module, User

# Seconds to wait for a platform (its keyset, token or gradebook): one that does not answer
# must not hold a worker, and a trainee waiting for a page, for long.
TIMEOUT = 10
CUSTOM = "https://purl.imsglobal.org/spec/lti/claim/custom"
TARGET_LINK_URI = "https://purl.imsglobal.org/spec/lti/claim/target_link_uri"
AGS_ENDPOINT = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
# What pylti1p3 (and PyJWT, jwcrypto under it) raise on a token or platform answer it cannot
# accept. A forged token can be any JSON at all, so a wrong type is a refusal too, not a 500.
CHECK_FAILURES = (
    LtiException,
    OIDCException,
    jwt.PyJWTError,
    LookupError,
    TypeError,
    ValueError,
    AttributeError,
)


class LaunchRefused(Exception):
    """A login or launch that failed a check; the message is for the log and names no one."""

    def __init__(self, reason: str, status: int = 400):
        super().__init__(reason)
        self.status = status


class TimeoutSession(requests.Session):
    """A requests session that never waits forever (pylti1p3 sets no timeout of its own)."""

    def request(self, *args, **kwargs) -> requests.Response:
        """Send the request, giving up after TIMEOUT seconds unless told otherwise."""
        kwargs.setdefault("timeout", TIMEOUT)
        return super().request(*args, **kwargs)


def http_session() -> requests.Session:
    """The HTTP client for talking to platforms."""
    session = TimeoutSession()
    session.headers["User-Agent"] = "Academy LTI tool"
    return session


class AcademyMessageLaunch(FlaskMessageLaunch):
    """pylti1p3's launch, with the login's nonce used up when the launch passes every check."""

    def save_launch_data(self) -> AcademyMessageLaunch:
        """The last step of validation: a second launch with the same nonce is refused."""
        # pylti1p3 only checks that the nonce exists; using it up here, after the signature
        # passed, means a forged token cannot spend someone else's nonce.
        if not self._session_service.use_nonce(self._jwt["body"]["nonce"]):
            raise LtiException("Invalid Nonce")
        return super().save_launch_data()


def _pylti_parts() -> dict:
    """The request, tool configuration and storage that pylti1p3's objects are built from."""
    lti_request = FlaskRequest()
    return {
        "request": lti_request,
        "tool_config": DatabaseToolConf(db.session),
        "session_service": AcademySessionService(lti_request),
        "launch_data_storage": DatabaseLaunchDataStorage(db.session),
    }


def login_redirect() -> Response:
    """Answer a platform's login initiation: to its sign-in page, with a new state and nonce."""
    try:
        login = FlaskOIDCLogin(**_pylti_parts())
        return login.redirect(url_for("lti.launch", _external=True))
    except CHECK_FAILURES as error:
        raise LaunchRefused(f"login refused: {error}") from None


def validated_launch() -> AcademyMessageLaunch:
    """The launch the platform posted, once pylti1p3 has checked every part of it."""
    try:
        launch = AcademyMessageLaunch(**_pylti_parts(), requests_session=http_session())
        launch.validate()
    except CHECK_FAILURES as error:
        raise LaunchRefused(f"launch refused: {error}") from None
    return launch


def restored_launch(launch_id: str) -> AcademyMessageLaunch:
    """A teacher's deep-linking launch, kept since it was checked, by its id."""
    if not launch_id.startswith("lti1p3-launch-") or len(launch_id) > 100:
        raise LaunchRefused("no such deep-linking launch")
    try:
        return AcademyMessageLaunch.from_cache(
            launch_id, **_pylti_parts(), requests_session=http_session()
        )
    except CHECK_FAILURES as error:
        raise LaunchRefused(f"deep-linking launch not found: {error}") from None


def check_teacher(launch: AcademyMessageLaunch) -> None:
    """Only teaching staff choose content (platforms send deep linking to no one else)."""
    if not (
        launch.check_teacher_access()
        or launch.check_teaching_assistant_access()
        or launch.check_designer_access()
        or launch.check_staff_access()
    ):
        raise LaunchRefused("deep linking by someone who does not teach", status=403)


def learner_arrives(session: Session, launch: AcademyMessageLaunch) -> tuple[User, str]:
    """The account a resource launch signs in, and the address of the page it lands on."""
    if not launch.is_resource_launch():
        raise LaunchRefused("unsupported LTI message type")
    claims = launch.get_launch_data()
    sub = claims.get("sub")
    if not isinstance(sub, str) or len(sub) > 255:
        raise LaunchRefused("the launch names no usable user id")
    platform = operations.find_platform(session, claims["iss"], launch.get_client_id())
    user = operations.linked_account(session, platform, sub)
    if user.disabled:
        raise LaunchRefused("the linked account is disabled", status=403)
    module, course = _target(session, claims)
    if module is not None:
        _remember_grades(session, user, module, claims.get(AGS_ENDPOINT))
        return user, url_for("learn.module", public_id=module.public_id)
    if course is not None:
        return user, url_for("learn.course", public_id=course.public_id)
    return user, url_for("learn.catalogue")


def _target(session: Session, claims: dict) -> tuple[Module | None, Course | None]:
    """The module or course launched: the custom parameter, else the deep-linked address."""
    custom = claims.get(CUSTOM)
    custom = custom if isinstance(custom, dict) else {}
    module_id, course_id = custom.get("module"), custom.get("course")
    if not (module_id or course_id):
        endpoint, arguments = _route_of(claims.get(TARGET_LINK_URI))
        if endpoint == "learn.module":
            module_id = arguments["public_id"]
        elif endpoint == "learn.course":
            course_id = arguments["public_id"]
    if isinstance(module_id, str):
        return queries.module_by_public_id(session, module_id), None
    if isinstance(course_id, str):
        return None, queries.course_by_public_id(session, course_id)
    return None, None


def _route_of(url: object) -> tuple[str | None, dict]:
    """The endpoint and arguments an address on this site leads to, or (None, {})."""
    if not isinstance(url, str):
        return None, {}
    parts = urlsplit(url)
    path = parts.path
    if parts.netloc != request.host or not path.startswith(request.script_root):
        return None, {}
    adapter = current_app.create_url_adapter(request)
    try:
        return adapter.match(path[len(request.script_root) :], method="GET")
    except HTTPException:  # not found, wrong method or a redirect: not a page to land on
        return None, {}


def _remember_grades(session: Session, user: User, module: Module, endpoint: object) -> None:
    """Keep the module's gradebook column when the platform lets Academy send scores to it."""
    if not isinstance(endpoint, dict):
        return
    lineitem, scopes = endpoint.get("lineitem"), endpoint.get("scope")
    if (
        isinstance(lineitem, str)
        and isinstance(scopes, list)
        and operations.SCORE_SCOPE in scopes
        and operations.is_web_url(lineitem)
    ):
        operations.remember_grade_target(session, user, module, lineitem, scopes)


def deep_link_answer(
    launch: AcademyMessageLaunch, item: Module | Course, title: str, graded: bool
) -> tuple[str, str]:
    """The signed deep-linking response naming `item`, and the platform address it goes to."""
    endpoint = "learn.module" if isinstance(item, Module) else "learn.course"
    resource = (
        DeepLinkResource()
        .set_url(url_for(endpoint, public_id=item.public_id, _external=True))
        .set_title(title)
    )
    if graded:  # the platform makes a gradebook column, and quiz scores arrive in it
        resource.set_lineitem(
            LineItem().set_score_maximum(100).set_label(title).set_resource_id(item.public_id)
        )
    try:
        deep_link = launch.get_deep_link()
        return deep_link.get_response_jwt([resource]), deep_link_return_url(launch)
    except CHECK_FAILURES as error:
        raise LaunchRefused(f"deep-linking response failed: {error}") from None


def deep_link_return_url(launch: AcademyMessageLaunch) -> str:
    """Where the platform asked for the teacher's choice to be posted."""
    settings = launch.get_launch_data()[
        "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"
    ]
    url = settings.get("deep_link_return_url")
    if not isinstance(url, str) or not operations.is_web_url(url):
        raise LaunchRefused("the deep-linking request has no usable return address")
    return url


def tool_urls() -> dict[str, str]:
    """Academy's addresses that an admin copies into the platform's tool settings."""
    return {
        "login": url_for("lti.login", _external=True),
        "launch": url_for("lti.launch", _external=True),
        "jwks": url_for("lti.jwks", _external=True),
    }
