"""Attacks across accounts: reading or changing what belongs to another trainee or facilitator."""

# The full role × route × method matrix is in test_access_matrix.py; these are targeted attacks.

import pytest
from sqlalchemy import select

from academy.db import db
from academy.models import User
from tests.attack.conftest import snapshot


def _role(app, name: str) -> str:
    """The role of the account `name`."""
    with app.app_context():
        return db.session.scalar(select(User.role).where(User.username == name))


def test_trainee_cannot_open_another_trainees_result(site):
    for intruder in [site.lily, site.ana, site.fatima, site.omar]:
        response = intruder.get(site.result)
        assert response.status_code == 404
        html = response.get_data(as_text=True)
        assert "Your result" not in html and "rose" not in html


@pytest.mark.parametrize(
    "page",
    [
        "/f/g/{cohort}",
        "/f/g/{cohort}/grid.csv",
        "/f/g/{cohort}/q/{first}",
        "/f/g/{cohort}/slip.pdf",
    ],
    ids=["dashboard", "progress-csv", "question-analysis", "join-slip"],
)
def test_facilitator_cannot_read_another_facilitators_cohort(site, page):
    response = site.omar.get(page.format(cohort=site.cohort, first=site.first))
    assert response.status_code == 404
    body = response.get_data()
    for secret in [b"rose", b"lily", b"Tuesday group", site.code.encode(), b"Figs"]:
        assert secret not in body, secret


@pytest.mark.parametrize(
    ("page", "data"),
    [
        ("/f/g/{cohort}/remove/{member}", {}),
        ("/f/g/{cohort}/close", {}),
        ("/f/g/{cohort}/sessions", {"module": "{first}", "held_on": "2026-11-20", "present": "3"}),
        ("/f/g/{cohort}/answers/{answer}/hide", {"hidden": "1"}),
        # Through omar's own cohort, naming rose's membership and answer in fatima's.
        ("/f/g/{other_cohort}/remove/{member}", {}),
        ("/f/g/{other_cohort}/answers/{answer}/hide", {"hidden": "1"}),
    ],
    ids=[
        "remove-member",
        "close",
        "record-session",
        "hide-answer",
        "remove-member-via-own-cohort",
        "hide-answer-via-own-cohort",
    ],
)
def test_facilitator_cannot_change_another_facilitators_cohort(site, page, data):
    names = {
        "cohort": site.cohort,
        "other_cohort": site.other_cohort,
        "member": site.rose_member,
        "answer": site.answer,
        "first": site.first,
    }
    before = snapshot(site.app)
    form = {key: value.format(**names) for key, value in data.items()}
    response = site.omar.post(page.format(**names), data=form)
    assert response.status_code == 404
    assert snapshot(site.app) == before


@pytest.mark.parametrize(
    ("method", "page", "data"),
    [
        ("get", "/f/g/{cohort}", {}),
        ("get", "/f/m/{first}/guide", {}),
        ("post", "/f/", {"course": "{course}", "name": "Mine now", "language": "en"}),
    ],
    ids=["own-group-dashboard", "answer-key-in-session-plan", "start-a-cohort"],
)
def test_trainee_cannot_use_facilitator_pages(site, method, page, data):
    names = {"cohort": site.cohort, "first": site.first, "course": site.course}
    before = snapshot(site.app)
    form = {key: value.format(**names) for key, value in data.items()}
    response = getattr(site.lily, method)(page.format(**names), data=form)
    assert response.status_code == 403
    html = response.get_data(as_text=True)
    # Neither the join code, the members, nor the answer key ("Yes, apples.") leaks out.
    for secret in [site.code, "rose", "Yes, apples", "Tuesday group"]:
        assert secret not in html, secret
    assert snapshot(site.app) == before


def test_trainee_or_facilitator_cannot_make_themselves_admin(site):
    before = snapshot(site.app)
    for name in ["lily", "fatima"]:
        client = getattr(site, name)
        assert client.get(f"/admin/roles?username={name}").status_code == 403
        response = client.post("/admin/roles", data={"username": name, "role": "admin"})
        assert response.status_code == 403
        assert _role(site.app, name) != "admin"
    assert snapshot(site.app) == before


def test_nobody_else_can_edit_or_delete_a_trainees_shared_answer(site):
    before = snapshot(site.app)
    # Someone in her cohort, in another cohort, her facilitator, and another facilitator.
    for intruder in [site.lily, site.ana, site.fatima, site.omar]:
        edit = intruder.post(f"/a/{site.answer}/edit", data={"body": "Call this number"})
        assert edit.status_code == 404
        assert intruder.post(f"/a/{site.answer}/delete").status_code == 404
    assert snapshot(site.app) == before
    assert "Figs from the market" in site.lily.get(f"/m/{site.first}").get_data(as_text=True)


def test_guest_is_sent_to_sign_in_for_every_trainee_page(site):
    guest = site.app.test_client()
    before = snapshot(site.app)
    for method, page in [
        ("get", "/account"),
        ("get", "/progress"),
        ("get", "/group/join"),
        ("get", site.result),
        ("post", "/account/export"),
        ("post", "/account/delete"),
        ("post", "/group/join"),
        ("post", f"/m/{site.first}/share/1"),
        ("post", f"/a/{site.answer}/delete"),
    ]:
        response = getattr(guest, method)(page)
        assert response.status_code == 302, page
        assert response.headers["Location"].startswith("/sign-in"), page
        assert b"rose" not in response.get_data() and b"Figs" not in response.get_data()
    assert snapshot(site.app) == before
