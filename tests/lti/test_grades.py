"""Grade passback: a launched learner's quiz score reaches the platform's gradebook once."""

from __future__ import annotations

import json
import logging
import re

import jwt
from sqlalchemy import select

from academy.accounts.operations import delete_account
from academy.db import db
from academy.models import LtiAccount, LtiGradeTarget, LtiScore, QuizAttempt, User
from tests.learn.test_attempts import RIGHT
from tests.lti.conftest import HTTPS, first_module, row_counts
from tests.lti.platform import AGS, LTI, form

SCORES = "/lineitems/3/lineitem/scores"


def _graded_launch(launch, browser, platform, module):
    endpoint = {
        "scope": [AGS + "scope/score", AGS + "scope/lineitem.readonly"],
        "lineitem": platform.url("/lineitems/3/lineitem"),
        "lineitems": platform.url("/lineitems"),
    }
    response = launch(
        browser, **{LTI + "custom": {"module": module}, AGS + "claim/endpoint": endpoint}
    )
    assert response.status_code == 303


def _quiz_form(browser, module) -> dict:
    page = browser.get(f"/m/{module}/q", base_url=HTTPS).get_data(as_text=True)
    fields = dict(re.findall(r'name="(csrf_token|ticket)" value="([^"]+)"', page))
    return {**fields, **RIGHT}


def _submit(browser, module, answers):
    return browser.post(
        f"/m/{module}/q", data=answers, base_url=HTTPS, headers={"Referer": f"{HTTPS}/m/{module}/q"}
    )


def test_a_passed_quiz_sends_its_score_to_the_platform_exactly_once(
    lti_app, browser, platform, launch
):
    module = first_module(browser)
    _graded_launch(launch, browser, platform, module)
    answers = _quiz_form(browser, module)
    response = _submit(browser, module, answers)
    assert response.status_code == 303 and "/r/" in response.headers["Location"]
    assert _submit(browser, module, answers).status_code == 303  # the same form, sent again

    [score] = platform.received(SCORES)
    assert score["headers"]["Content-Type"] == "application/vnd.ims.lis.v1.score+json"
    assert score["headers"]["Authorization"] == "Bearer token-5150"
    sent = json.loads(score["body"])
    assert (sent["scoreGiven"], sent["scoreMaximum"]) == (100, 100)
    assert sent["userId"] == "opaque-user-7f3a"
    assert (sent["activityProgress"], sent["gradingProgress"]) == ("Completed", "FullyGraded")
    # The token request is a client-credentials grant signed with Academy's key for it.
    [token] = platform.received("/token")
    grant = form(token["body"])
    assert grant["grant_type"] == "client_credentials"
    assert AGS + "scope/score" in grant["scope"].split()
    keyset = browser.get("/lti/jwks", base_url=HTTPS).get_json()
    [key] = keyset["keys"]
    assertion = jwt.decode(
        grant["client_assertion"],
        jwt.PyJWK(key).key,
        algorithms=["RS256"],
        audience=platform.url("/token"),
    )
    assert assertion["iss"] == assertion["sub"] == platform.client_id
    with lti_app.app_context():
        assert db.session.scalars(select(LtiScore)).one().sent_at is not None


def test_a_platform_that_is_down_costs_the_learner_nothing_and_gets_the_score_later(
    lti_app, browser, platform, launch, caplog
):
    module = first_module(browser)
    _graded_launch(launch, browser, platform, module)
    platform.score_status = 503
    with caplog.at_level(logging.WARNING):
        response = _submit(browser, module, _quiz_form(browser, module))
    assert response.status_code == 303
    result = browser.get(response.headers["Location"], base_url=HTTPS)
    assert result.status_code == 200 and "Your result: 100%" in result.get_data(as_text=True)
    assert len(platform.received(SCORES)) == 1  # tried once, refused
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "not sent" in logged and "HTTP 503" in logged
    assert "opaque-user-7f3a" not in logged  # no personal data in the log
    with lti_app.app_context():
        assert db.session.scalars(select(QuizAttempt)).one().percent == 100
        assert db.session.scalars(select(LtiScore)).one().sent_at is None

    platform.score_status = 200
    runner = lti_app.test_cli_runner()
    sent = runner.invoke(args=["lti", "send-scores"])
    assert sent.exit_code == 0, sent.output
    assert "Scores sent: 1. Still waiting: 0." in sent.output
    assert len(platform.received(SCORES)) == 2
    assert runner.invoke(args=["lti", "send-scores"]).exit_code == 0  # nothing left to send
    assert len(platform.received(SCORES)) == 2


def test_without_a_gradebook_column_nothing_is_sent(lti_app, browser, platform, launch):
    module = first_module(browser)
    assert launch(browser, **{LTI + "custom": {"module": module}}).status_code == 303
    assert _submit(browser, module, _quiz_form(browser, module)).status_code == 303
    assert platform.received(SCORES) == [] and platform.received("/token") == []


def test_deleting_a_launched_learner_leaves_no_lti_row(lti_app, browser, platform, launch):
    module = first_module(browser)
    _graded_launch(launch, browser, platform, module)
    _submit(browser, module, _quiz_form(browser, module))
    counts = row_counts(lti_app)
    assert counts["lti_account"] == counts["lti_grade_target"] == counts["lti_score"] == 1
    with lti_app.app_context():
        delete_account(db.session, db.session.scalars(select(User)).one())
        db.session.commit()
        for model in (LtiAccount, LtiGradeTarget, LtiScore):
            assert db.session.scalars(select(model)).all() == []
