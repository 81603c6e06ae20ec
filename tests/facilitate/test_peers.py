"""Peer exchange: answers to shared activities, seen by one cohort only."""

import re

from academy.db import db
from academy.models import SharedAnswer
from tests.conftest import PASSWORD


def _share(client, module, text, activity=1):
    return client.post(f"/m/{module}/share/{activity}", data={"body": text})


def _shared(client, module):
    html = client.get(f"/m/{module}").get_data(as_text=True)
    if "Answers from your group" not in html:
        return None
    return re.findall(r'<div class="post">\s*<p><strong>([^<]+)</strong>: ([^<]*)</p>', html)


def test_a_shared_activity_is_marked_in_the_lesson(two_cohorts, ids):
    _course, (first, _second) = ids
    html = two_cohorts["rose"].get(f"/m/{first}").get_data(as_text=True)
    assert '<aside class="box activity shared" id="share1">' in html
    assert "Activity to share with your group" in html
    assert "Only the members of your group “Tuesday group” and its facilitator see" in html


def test_members_of_one_cohort_see_each_others_answers_and_no_one_else_does(app, two_cohorts, ids):
    _course, (first, _second) = ids
    rose, lily, ana = two_cohorts["rose"], two_cohorts["lily"], two_cohorts["ana"]
    assert _share(rose, first, "Mangoes, <b>because</b> they are sweet").status_code == 303
    assert _share(lily, first, "Apples").status_code == 303
    expected = [("rose", "Mangoes, &lt;b&gt;because&lt;/b&gt; they are sweet"), ("lily", "Apples")]
    assert _shared(rose, first) == expected
    assert _shared(lily, first) == expected
    assert _shared(ana, first) == []  # another cohort: its own, empty, exchange
    assert _shared(app.test_client(), first) is None  # a guest sees no exchange at all
    dashboard = two_cohorts["facilitator"].get(f"/f/g/{two_cohorts['cohort']}").get_data(True)
    assert "Mangoes" in dashboard


def test_a_trainee_outside_any_cohort_cannot_post(app, sign_up, ids):
    _course, (first, _second) = ids
    loner = app.test_client()
    sign_up(loner, "solo")
    assert _share(loner, first, "Hello").status_code == 403
    assert _share(app.test_client(), first, "Hello").status_code == 302


def test_bad_answers_are_refused_with_a_reason(two_cohorts, ids):
    _course, (first, _second) = ids
    rose = two_cohorts["rose"]
    for text, message in [
        ("   ", "Write something first."),
        ("x" * 1001, "At most 1000 characters."),
        ("see https://example.org", "Links cannot be shared here."),
        ("go to www.example.org", "Links cannot be shared here."),
    ]:
        response = _share(rose, first, text)
        assert response.status_code == 400 and message in response.get_data(as_text=True), text
    assert _shared(rose, first) == []


def test_authors_edit_and_delete_their_own_answers_only(two_cohorts, ids):
    _course, (first, _second) = ids
    rose, lily = two_cohorts["rose"], two_cohorts["lily"]
    _share(rose, first, "Plums")
    html = rose.get(f"/m/{first}").get_data(as_text=True)
    edit = re.search(r'action="(/a/[^"]+/edit)"', html).group(1)
    delete = re.search(r'action="(/a/[^"]+/delete)"', html).group(1)
    assert "/edit" not in lily.get(f"/m/{first}").get_data(as_text=True)
    assert lily.post(edit, data={"body": "Hacked"}).status_code == 404
    assert lily.post(delete).status_code == 404
    rose.post(edit, data={"body": "Ripe plums"})
    assert _shared(lily, first) == [("rose", "Ripe plums")]
    rose.post(delete)
    assert _shared(lily, first) == []


def test_a_hidden_answer_is_gone_for_the_cohort_and_its_author_is_told(two_cohorts, ids):
    _course, (first, _second) = ids
    rose, lily = two_cohorts["rose"], two_cohorts["lily"]
    facilitator, cohort = two_cohorts["facilitator"], two_cohorts["cohort"]
    _share(rose, first, "Something unkind")
    dashboard = facilitator.get(f"/f/g/{cohort}").get_data(as_text=True)
    hide = re.search(r'action="(/f/g/[^"]+/answers/[^"]+/hide)"', dashboard).group(1)
    facilitator.post(hide, data={"hidden": "1"})
    assert _shared(lily, first) == []
    html = rose.get(f"/m/{first}").get_data(as_text=True)
    assert "Something unkind" in html
    assert "Your facilitator hid this answer from the group. Only you can see it." in html
    facilitator.post(hide, data={"hidden": "0"})
    assert _shared(lily, first) == [("rose", "Something unkind")]


def test_shared_answers_are_in_the_export_and_go_with_the_account(app, two_cohorts, ids):
    _course, (first, _second) = ids
    rose = two_cohorts["rose"]
    _share(rose, first, "Figs")
    data = rose.post("/account/export", data={"export-password": PASSWORD}).get_json()
    assert data["shared_answers"][0]["text"] == "Figs"
    assert data["groups"][0]["name"] == "Tuesday group"
    rose.post("/account/delete", data={"delete-password": PASSWORD})
    with app.app_context():
        assert db.session.query(SharedAnswer).count() == 0
    assert _shared(two_cohorts["lily"], first) == []


def test_leaving_a_cohort_takes_ones_answers_away(two_cohorts, ids):
    course, (first, _second) = ids
    rose, lily = two_cohorts["rose"], two_cohorts["lily"]
    _share(rose, first, "Dates")
    page = rose.get(f"/c/{course}").get_data(as_text=True)
    rose.post(re.search(r'action="(/group/[^"]+/leave)"', page).group(1))
    assert _shared(lily, first) == []


def test_a_facilitator_deleting_their_account_takes_their_cohorts(app, two_cohorts, ids):
    course, _modules = ids
    facilitator = two_cohorts["facilitator"]
    facilitator.post("/account/delete", data={"delete-password": PASSWORD})
    assert "Your group" not in two_cohorts["rose"].get(f"/c/{course}").get_data(True)
