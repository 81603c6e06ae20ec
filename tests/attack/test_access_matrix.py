"""Deny by default: every route declares who may use it; a role × route × method matrix proves it."""

from __future__ import annotations

import re

import pytest
from flask import Blueprint

from academy.accounts.access import ACADEMY_BLUEPRINTS, LEVELS, access, declared_level
from academy.db import db
from academy.models import Cohort, CohortMember, SharedAnswer
from tests.conftest import PASSWORD

ROLES = ("guest", "trainee", "facilitator", "admin")
# Which roles each declared level lets through; everyone else is refused.
ALLOWED = {level: set(roles) or set(ROLES) for level, roles in LEVELS.items()}


# Who should use each page, written out by hand: a route whose declaration drifts from this
# (or a new route missing here) fails, so a change of who may see what is always a reviewed one.
EXPECTED = {
    "learn.catalogue": "public",
    "learn.course": "public",
    "learn.module": "public",
    "learn.quiz": "public",
    "learn.quiz_POST": "public",  # a guest's answers are marked and shown, never stored
    "learn.result": "trainee",
    "learn.progress": "trainee",
    "accounts.sign_up": "public",
    "accounts.sign_in": "public",
    "accounts.sign_out": "public",
    "accounts.account": "trainee",
    "accounts.export": "trainee",
    "accounts.delete": "trainee",
    "accounts.change_password": "trainee",
    "accounts.roles": "admin",
    "site.css": "public",
    "site.media": "public",
    "site.health": "public",
    "site.safety": "public",
    "site.language": "public",
    "site.data_saver": "public",
    "site.quick_exit": "public",
    "handouts.handout": "public",
    "learn.offline_module": "public",  # the same lesson and quiz as the page, as one file
    "learn.offline_course": "public",
    "learn.offline_reading": "public",  # what offline reading keeps; the same for everyone
    "site.service_worker": "public",  # runs only where a trainee turned offline reading on
    "handouts.module_pack_page": "facilitator",
    "handouts.session_pack": "facilitator",
    "handouts.course_pack": "facilitator",
    "facilitate.cohorts": "facilitator",
    "facilitate.cohort": "facilitator",
    "facilitate.remove_member": "facilitator",
    "facilitate.close": "facilitator",
    "facilitate.record_session": "facilitator",
    "facilitate.grid_csv": "facilitator",
    "facilitate.questions": "facilitator",
    "facilitate.questions_csv": "facilitator",
    "facilitate.join_slip": "facilitator",
    "facilitate.hide_answer": "facilitator",
    "facilitate.guide": "facilitator",
    "facilitate.join": "trainee",
    "facilitate.leave": "trainee",
    "facilitate.share": "trainee",
    "facilitate.edit_answer": "trainee",
    "facilitate.delete_answer": "trainee",
    # A platform's login and launch come from another site, checked by LTI's own proofs.
    "lti.login": "public",
    "lti.launch": "public",
    "lti.jwks": "public",
    "lti.deep_link": "public",  # usable only with the id of a teacher's checked launch
    "lti.platforms": "admin",
}


def academy_rules(app):
    """Every (rule, method) Academy serves, with the view behind it."""
    for rule in app.url_map.iter_rules():
        if rule.endpoint.split(".")[0] not in ACADEMY_BLUEPRINTS:
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule, method, app.view_functions[rule.endpoint]


def test_every_academy_route_declares_who_may_use_it(app):
    undeclared = [rule.rule for rule, _, view in academy_rules(app) if not declared_level(view)]
    assert undeclared == []
    assert app.url_map.iter_rules()  # and the standalone site has no route outside Academy's
    assert {rule.endpoint.split(".")[0] for rule in app.url_map.iter_rules()} <= ACADEMY_BLUEPRINTS


def test_each_route_declares_the_level_its_users_expect(app):
    declared = {rule.endpoint: declared_level(view) for rule, _, view in academy_rules(app)}
    assert declared == EXPECTED


def test_an_undeclared_route_is_refused_even_for_an_admin(make_app, make_user_on):
    app = make_app()
    # A route added without a declaration, as a hurried change might add one.
    app.add_url_rule("/oops", endpoint="learn.oops", view_func=lambda: "secret")
    admin = make_user_on(app, "ada", "admin")
    assert admin.get("/oops").status_code == 403
    assert app.test_client().get("/oops").status_code == 403


def test_an_unknown_access_level_is_a_mistake_caught_at_import():
    with pytest.raises(ValueError, match="unknown access level"):
        access("everyone")


def test_a_declared_blueprint_route_passes_the_gate(make_app):
    app = make_app()
    extra = Blueprint("host_page", __name__)
    extra.add_url_rule("/host", view_func=lambda: "host page")
    app.register_blueprint(extra)
    # The host's own routes are not Academy's to judge.
    assert app.test_client().get("/host").status_code == 200


def _values(app, facilitator, trainee) -> dict[str, str]:
    """Real ids for every URL variable, from a site that has been used."""
    home = facilitator.get("/").get_data(as_text=True)
    course = re.search(r'href="/c/([^"]+)"', home).group(1)
    module = re.findall(r'href="/m/([^"/]+)"', facilitator.get(f"/c/{course}").get_data(True))[0]
    result = re.search(r'href="/r/([^"]+)"', trainee.get("/progress").get_data(True))
    css = re.search(r'href="/academy-([^"]+)\.css"', home).group(1)
    with app.app_context():
        cohort = db.session.query(Cohort).one()
        member = db.session.query(CohortMember).one()
        answer = db.session.query(SharedAnswer).one()
        values = {
            "cohort": cohort.public_id,
            "member_id": str(member.id),
            "answer_id": answer.public_id,
        }
    return {
        **values,
        "course": course,
        "module": module,
        "result": result.group(1) if result else "nothing",
        "version": css,
        "code": "en",  # choosing a language keeps the refusal page's words English
        "choice": "off",  # the data saver as it is by default
        "activity": "1",
        "digest": "0" * 64,
        "ext": "png",
    }


def _url(rule, values: dict[str, str]) -> str:
    """The rule's path with real ids in place of its variables."""
    names = {
        "module_id": "module",
        "public_id": {
            "learn.course": "course",
            "learn.offline_course": "course",
            "handouts.course_pack": "course",
            "learn.result": "result",
            "facilitate.leave": "cohort",
        }.get(rule.endpoint, "cohort" if rule.rule.startswith("/f/g/") else "module"),
    }
    path = rule.rule
    for argument in rule.arguments:
        key = names.get(argument, argument)
        path = re.sub(rf"<(?:\w+:)?{argument}>", values[key], path)
    return path


def _signed_in(app, role: str, clients: dict):
    """A fresh client for `role` (guests have no session)."""
    client = app.test_client()
    if role != "guest":
        name = clients[role]
        response = client.post("/sign-in", data={"username": name, "password": PASSWORD})
        assert response.status_code == 303
    return client


def test_role_route_method_matrix(lived_in, make_user):
    app, facilitator, trainee = lived_in
    make_user("ada", "admin")
    values = _values(app, facilitator, trainee)
    clients = {
        role: _signed_in(app, role, {"trainee": "rose", "facilitator": "fatima", "admin": "ada"})
        for role in ROLES
    }
    # Reads first, then writes, then the writes that undo the site (remove the trainee from the
    # cohort, close it): otherwise a later check would meet a rule of the page, not of the role.
    endings = {"facilitate.remove_member", "facilitate.leave", "facilitate.close"}
    endings |= {"facilitate.delete_answer", "accounts.delete"}
    cases = sorted(
        academy_rules(app),
        key=lambda case: (case[1] != "GET", case[0].endpoint in endings, case[0].rule),
    )
    checked = 0
    for rule, method, _view in cases:
        level = EXPECTED[rule.endpoint]
        url = _url(rule, values)
        for role in ROLES:
            if (rule.endpoint, role) in {("accounts.sign_out", r) for r in ROLES} or (
                rule.endpoint == "site.quick_exit"
            ):
                continue  # these end the session under test: checked in test_sessions
            response = clients[role].open(url, method=method)
            status = response.status_code
            where = f"{method} {rule.rule} as {role} ({level})"
            refused = b"This page is not for your account" in response.get_data()
            if role in ALLOWED[level]:
                # A 403 may still come from the page's own rules (sharing needs a cohort).
                assert not refused, where
                assert "/sign-in" not in response.headers.get("Location", ""), where
            elif role == "guest":
                assert status == 302, where
                assert response.headers["Location"].startswith("/sign-in?next="), where
            else:
                assert status == 403 and refused, where
            checked += 1
    # Every Academy route and method, for four roles, less the two that end sessions.
    assert checked >= 4 * (len(cases) - 3)
