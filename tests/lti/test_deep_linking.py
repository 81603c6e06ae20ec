"""Deep linking: a teacher picks a module and the platform gets a response signed by Academy."""

from __future__ import annotations

import html
import re

import jwt
from sqlalchemy import select

from academy.db import db
from academy.models import LtiLaunchData, User
from tests.lti.conftest import HTTPS, first_module, row_counts
from tests.lti.platform import CANARIES, DEEP_LINKING, INSTRUCTOR, LTI

SETTINGS = DEEP_LINKING + "deep_linking_settings"


def _deep_linking_launch(launch, browser, platform, roles=(INSTRUCTOR,)):
    settings = {
        "deep_link_return_url": platform.url("/deep-link-return"),
        "accept_types": ["ltiResourceLink"],
        "accept_presentation_document_targets": ["iframe", "window"],
        "data": "platform-opaque-data",
    }
    return launch(
        browser,
        **{
            LTI + "message_type": "LtiDeepLinkingRequest",
            LTI + "roles": list(roles),
            LTI + "resource_link": None,
            SETTINGS: settings,
        },
    )


def _verified(client, token: str, platform) -> dict:
    """The response checked as the platform checks it: with Academy's published keyset."""
    keyset = client.get("/lti/jwks", base_url=HTTPS).get_json()
    kid = jwt.get_unverified_header(token)["kid"]
    [key] = [key for key in keyset["keys"] if key["kid"] == kid]
    public = jwt.PyJWK(key).key
    return jwt.decode(token, public, algorithms=["RS256"], audience=platform.issuer)


def test_a_teacher_picks_a_module_and_the_platform_gets_a_signed_link_to_it(
    lti_app, browser, platform, launch
):
    module = first_module(browser)
    chooser = _deep_linking_launch(launch, browser, platform)
    assert chooser.status_code == 200
    page = chooser.get_data(as_text=True)
    # Nothing of the teacher is kept, though the request is stored for their choice.
    stored = repr(row_counts(lti_app)) + repr(_launch_data(lti_app))
    assert all(canary not in stored for canary in CANARIES)
    links = [html.unescape(href) for href in re.findall(r'href="(/lti/deep-link\?[^"]+)"', page)]
    pick = next(link for link in links if f"module={module}" in link)

    answer = browser.get(pick, base_url=HTTPS)
    assert answer.status_code == 200
    body = answer.get_data(as_text=True)
    assert f'action="{platform.url("/deep-link-return")}"' in body
    # The policy lets this one form post to the platform, and only there.
    assert f"form-action 'self' {platform.url('')}" in answer.headers["Content-Security-Policy"]
    token = re.search(r'name="JWT" value="([^"]+)"', body).group(1)
    claims = _verified(browser, token, platform)
    assert claims["iss"] == platform.client_id
    assert claims[LTI + "message_type"] == "LtiDeepLinkingResponse"
    assert claims[LTI + "deployment_id"] == platform.deployment_id
    assert claims[DEEP_LINKING + "data"] == "platform-opaque-data"
    [item] = claims[DEEP_LINKING + "content_items"]
    assert item["type"] == "ltiResourceLink"
    assert item["url"] == f"{HTTPS}/m/{module}"
    assert item["lineItem"]["scoreMaximum"] == 100  # the module has a quiz: a gradebook column


def test_launching_the_linked_module_lands_on_it(browser, launch):
    module = first_module(browser)
    response = launch(browser, **{LTI + "target_link_uri": f"{HTTPS}/m/{module}"})
    assert response.status_code == 303 and response.headers["Location"] == f"/m/{module}"


def test_a_learner_cannot_deep_link(lti_app, browser, platform, launch):
    before = row_counts(lti_app)
    response = _deep_linking_launch(launch, browser, platform, roles=[LTI + "nobody"])
    assert response.status_code == 403
    before["lti_launch_data"] += 1  # the login's nonce, left unused
    assert row_counts(lti_app) == before


def test_a_made_up_launch_id_gets_no_signed_response(lti_app, browser, platform, launch):
    module = first_module(browser)
    resource = launch(browser)  # a learner's launch keeps nothing to answer with
    assert resource.status_code == 303
    for launch_id in ("lti1p3-launch-00000000-0000-0000-0000-000000000000", "", "x" * 500):
        response = browser.get(
            "/lti/deep-link", query_string={"launch": launch_id, "module": module}, base_url=HTTPS
        )
        assert response.status_code == 400
        assert "JWT" not in response.get_data(as_text=True)
    with lti_app.app_context():
        assert db.session.scalars(select(User)).one().username.startswith("lti-")


def _launch_data(app):
    with app.app_context():
        return [(row.key, row.value) for row in db.session.scalars(select(LtiLaunchData))]
