"""Cohorts: created by a facilitator, joined by code, seen only by their own facilitator."""

import csv
import io
import re

from click.testing import CliRunner  # noqa: F401  (kept for the CLI tests' style)
from pypdf import PdfReader
from sqlalchemy import func, select

from academy.db import db
from academy.facilitate.codes import ALPHABET, new_join_code, normalise_code
from academy.models import CohortMember, SharedAnswer
from tests.conftest import PASSWORD
from tests.learn.test_attempts import RIGHT, _ticket


def test_join_codes_are_easy_to_read_aloud():
    for _ in range(200):
        code = new_join_code()
        assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}", code)
        assert set(code.replace("-", "")) <= set(ALPHABET)
        assert not set(code) & set("0O1IL2Z5S8BUV")
    assert normalise_code(" kmt4 9xra ") == "KMT4-9XRA"


def test_a_facilitator_starts_a_cohort_and_trainees_join_by_code(
    app, facilitator, make_cohort, member, ids
):
    cohort, code = make_cohort(facilitator)
    course, _modules = ids
    rose = member("rose", code.lower().replace("-", " "))  # typed any old way
    page = rose.get(f"/c/{course}").get_data(as_text=True)
    assert "Your group: Tuesday group, with fatima." in page
    dashboard = facilitator.get(f"/f/g/{cohort}").get_data(as_text=True)
    assert '<th scope="row">rose</th>' in dashboard
    # the facilitator sees the username and nothing else about the trainee
    for private in ["river stones", "created_at"]:
        assert private not in dashboard


def test_a_wrong_code_gets_a_clear_message_and_guessing_is_limited(make_app, sign_up):
    app = make_app(ACADEMY_JOIN_LIMIT="3 per hour")
    client = app.test_client()
    sign_up(client)
    for _ in range(3):
        response = client.post("/group/join", data={"code": "AAAA-AAAA"})
        assert response.status_code == 400
        assert "No open group has this code" in response.get_data(as_text=True)
    response = client.post("/group/join", data={"code": "AAAA-AAAA"})
    assert response.status_code == 429


def test_joining_needs_an_account(client):
    response = client.get("/group/join")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_a_closed_cohort_takes_nobody_new(app, facilitator, make_cohort, sign_up):
    cohort, code = make_cohort(facilitator)
    facilitator.post(f"/f/g/{cohort}/close")
    assert "This group is closed" in facilitator.get(f"/f/g/{cohort}").get_data(True)
    client = app.test_client()
    sign_up(client, "lily")
    assert client.post("/group/join", data={"code": code}).status_code == 400


def test_trainees_can_leave_and_facilitators_can_remove(app, facilitator, make_cohort, member, ids):
    cohort, code = make_cohort(facilitator)
    course, _modules = ids
    rose, lily = member("rose", code), member("lily", code)
    page = rose.get(f"/c/{course}").get_data(as_text=True)
    leave = re.search(r'action="(/group/[^"]+/leave)"', page).group(1)
    assert rose.post(leave).status_code == 303
    assert "Your group" not in rose.get(f"/c/{course}").get_data(True)
    dashboard = facilitator.get(f"/f/g/{cohort}").get_data(as_text=True)
    assert ">rose<" not in dashboard and ">lily<" in dashboard
    remove = re.search(r'action="(/f/g/[^"]+/remove/\d+)"', dashboard).group(1)
    facilitator.post(remove)
    assert ">lily<" not in facilitator.get(f"/f/g/{cohort}").get_data(True)
    assert "Your group" not in lily.get(f"/c/{course}").get_data(True)


def _grid(html):
    rows = re.findall(r'<tr><th scope="row">([^<]+)</th>(.*?)</tr>', html)
    return {name: re.findall(r'<td class="state-(\w+)">', cells) for name, cells in rows}


def test_the_grid_and_its_csv_match_what_trainees_did(facilitator, make_cohort, member, ids):
    cohort, code = make_cohort(facilitator)
    _course, (first, second) = ids
    rose, lily, _ana = member("rose", code), member("lily", code), member("ana", code)
    rose.get(f"/m/{first}")
    rose.post(f"/m/{first}/q", data={"ticket": _ticket(rose, f"/m/{first}/q"), **RIGHT})
    lily.get(f"/m/{first}")
    lily.get(f"/m/{second}")
    grid = _grid(facilitator.get(f"/f/g/{cohort}").get_data(as_text=True))
    assert grid == {
        "rose": ["passed", "new"],
        "lily": ["opened", "passed"],  # the second module has no quiz: done once read
        "ana": ["new", "new"],
    }
    response = facilitator.get(f"/f/g/{cohort}/grid.csv")
    assert response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0] == ["username", "1. First steps", "2. Second steps"]
    assert {row[0]: row[1:] for row in rows[1:]} == grid


def test_question_analysis_shows_the_share_right_and_the_usual_wrong_answer(
    facilitator, make_cohort, member, ids
):
    cohort, code = make_cohort(facilitator)
    _course, (first, _second) = ids
    answers = {
        "rose": RIGHT,
        "lily": {"q1": "0", "q2": ["0", "2"], "q3": "0"},  # q1 wrong (Pears), q2 partly
        "ana": {"q1": "0"},
    }
    for name, data in answers.items():
        client = member(name, code)
        client.post(f"/m/{first}/q", data={"ticket": _ticket(client, f"/m/{first}/q"), **data})
    page = facilitator.get(f"/f/g/{cohort}/q/{first}").get_data(as_text=True)
    rows = re.findall(r"<tr><td>(\d)\..*?</td>\s*<td>(.*?)</td>\s*<td>(.*?)</td></tr>", page, re.S)
    assert rows[0][0] == "1" and "33%" in rows[0][1] and "(1 of 3)" in rows[0][1]
    assert "Pears" in rows[0][2] and "×2" in rows[0][2]
    assert "50%" in rows[1][1] and "Carrots" in rows[1][2]  # rose right, lily half (not right)
    assert "100%" in rows[2][1] and "(2 of 2)" in rows[2][1]
    assert "0%" in rows[3][1] or "100%" in rows[3][1]
    table = list(
        csv.reader(io.StringIO(facilitator.get(f"/f/g/{cohort}/q/{first}/csv").get_data(True)))
    )
    assert table[0] == [
        "question",
        "answered",
        "right",
        "right_percent",
        "most_chosen_wrong",
        "times",
    ]
    assert table[1] == ["1", "3", "1", "33", "Pears", "2"]
    assert table[2][:4] == ["2", "2", "1", "50"] and table[2][4] == "Carrots"


def test_sessions_held_are_counts_never_names(facilitator, make_cohort, ids):
    cohort, _code = make_cohort(facilitator)
    _course, (first, _second) = ids
    data = {"module": first, "held_on": "2026-11-20", "present": "12"}
    assert facilitator.post(f"/f/g/{cohort}/sessions", data=data).status_code == 303
    page = facilitator.get(f"/f/g/{cohort}").get_data(as_text=True)
    assert "12 people" in page
    bad = facilitator.post(f"/f/g/{cohort}/sessions", data={**data, "present": "-3"})
    assert bad.status_code == 400 and "A number from 0 to 1000." in bad.get_data(True)


def test_the_join_slip_carries_the_code(facilitator, make_cohort):
    cohort, code = make_cohort(facilitator)
    response = facilitator.get(f"/f/g/{cohort}/slip.pdf")
    text = PdfReader(io.BytesIO(response.get_data())).pages[0].extract_text()
    assert text.count(code) == 8 and "no real name" in text


def test_another_facilitators_cohort_does_not_exist_for_you(
    app, facilitator, make_cohort, make_user, ids
):
    cohort, _code = make_cohort(facilitator)
    _course, (first, _second) = ids
    make_user("omar", "facilitator")
    other = app.test_client()
    other.post("/sign-in", data={"username": "omar", "password": PASSWORD})
    for url in [
        f"/f/g/{cohort}",
        f"/f/g/{cohort}/grid.csv",
        f"/f/g/{cohort}/q/{first}",
        f"/f/g/{cohort}/q/{first}/csv",
        f"/f/g/{cohort}/slip.pdf",
    ]:
        assert other.get(url).status_code == 404, url
    for url in [f"/f/g/{cohort}/close", f"/f/g/{cohort}/sessions", f"/f/g/{cohort}/remove/1"]:
        assert other.post(url).status_code == 404, url
    assert "Tuesday group" not in other.get("/f/").get_data(as_text=True)


def test_every_facilitator_page_is_refused_to_trainees_and_guests(
    app, facilitator, make_cohort, trainee, ids
):
    cohort, _code = make_cohort(facilitator)
    course, (first, _second) = ids
    gets = [
        "/f/",
        f"/f/g/{cohort}",
        f"/f/g/{cohort}/grid.csv",
        f"/f/g/{cohort}/q/{first}",
        f"/f/g/{cohort}/q/{first}/csv",
        f"/f/g/{cohort}/slip.pdf",
        f"/f/m/{first}/guide",
        f"/f/m/{first}",
        f"/f/m/{first}/pack.pdf",
        f"/f/c/{course}/pack.pdf",
        "/admin/roles",
    ]
    posts = [
        "/f/",
        f"/f/g/{cohort}/close",
        f"/f/g/{cohort}/sessions",
        f"/f/g/{cohort}/remove/1",
        f"/f/g/{cohort}/answers/abcdefgh/hide",
        "/admin/roles",
    ]
    guest = app.test_client()
    for method, urls in [("get", gets), ("post", posts)]:
        for url in urls:
            response = getattr(guest, method)(url)
            assert response.status_code == 302 and "/sign-in" in response.headers["Location"], url
            assert getattr(trainee, method)(url).status_code == 403, url


def test_the_session_plan_shows_the_answer_key_from_the_quiz(facilitator, trainee, ids):
    _course, (first, _second) = ids
    page = facilitator.get(f"/f/m/{first}/guide").get_data(as_text=True)
    assert "Three apples" in page and "Apples and pears" in page  # from facilitator.md
    assert "✓ Apples" in page and "Yes, apples." in page and "✓ red" in page  # from quiz.md
    assert trainee.get(f"/f/m/{first}/guide").status_code == 403
    assert "Session plan" in facilitator.get(f"/m/{first}").get_data(as_text=True)


def test_an_admin_changes_roles_on_a_page(app, make_user, sign_up):
    make_user("root", "admin")
    sign_up(app.test_client(), "rose")
    admin = app.test_client()
    admin.post("/sign-in", data={"username": "root", "password": PASSWORD})
    page = admin.get("/admin/roles?username=ROSE").get_data(as_text=True)
    assert 'value="trainee" checked' in page
    admin.post("/admin/roles", data={"username": "rose", "role": "facilitator"})
    assert 'value="facilitator" checked' in admin.get("/admin/roles?username=rose").get_data(True)
    assert admin.get("/admin/roles?username=nobody").status_code == 404
    assert admin.post("/admin/roles", data={"username": "rose", "role": "king"}).status_code == 400


def test_operators_make_facilitators_from_the_command_line(app):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["user", "create", "fatima", "--role", "facilitator"],
        input=f"{PASSWORD}\n{PASSWORD}\n",
    )
    assert result.exit_code == 0 and "Created fatima (facilitator)." in result.output
    result = runner.invoke(args=["user", "role", "FATIMA", "admin"])
    assert result.exit_code == 0 and "fatima is now admin." in result.output
    for args, message in [
        (["user", "role", "nobody", "admin"], "no account is called 'nobody'"),
        (["user", "role", "fatima", "king"], "'king' is not one of"),
        (["user", "create", "fatima", "--password", PASSWORD], "already in use"),
        (["user", "create", "x", "--password", PASSWORD], "at least 3 characters"),
        (["user", "create", "newone", "--password", "password1"], "easy to guess"),
    ]:
        result = runner.invoke(args=args)
        assert result.exit_code != 0 and message in result.output, result.output


def test_members_count(app, facilitator, make_cohort, member):
    _cohort, code = make_cohort(facilitator)
    member("rose", code)
    member("rose2", code)
    with app.app_context():
        assert db.session.scalar(select(func.count(CohortMember.id))) == 2
        assert db.session.scalar(select(func.count(SharedAnswer.id))) == 0
