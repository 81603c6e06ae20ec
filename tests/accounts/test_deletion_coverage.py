"""Deleting an account removes every row that refers to it, in every table (found by introspection)."""

import re

from sqlalchemy import select

from academy.db import db
from academy.models import Base, User
from tests.conftest import PASSWORD
from tests.learn.test_attempts import RIGHT, _ticket


def _tables_referring_to_users():
    """Every (table, column) with a foreign key to user_account.id."""
    return {
        (table.name, column.name)
        for table in Base.metadata.sorted_tables
        for column in table.columns
        for key in column.foreign_keys
        if key.column.table.name == User.__tablename__
    }


def _rows_of(app, user_id):
    with app.app_context():
        return {
            (table, column): len(
                db.session.execute(
                    select(Base.metadata.tables[table]).where(
                        Base.metadata.tables[table].c[column] == user_id
                    )
                ).all()
            )
            for table, column in _tables_referring_to_users()
        }


def _user_id(app, name):
    with app.app_context():
        return db.session.scalar(select(User.id).where(User.username_key == name))


def test_deleting_an_account_leaves_no_row_that_refers_to_it(app, make_user_on, sign_up):
    """Fill every table that refers to a user through the app, then delete both accounts."""
    facilitator = make_user_on(app, "fatima", "facilitator")
    course = re.search(r'href="/c/([^"]+)"', facilitator.get("/").get_data(True)).group(1)
    first = re.findall(r'href="/m/([^"/]+)"', facilitator.get(f"/c/{course}").get_data(True))[0]
    created = facilitator.post("/f/", data={"course": course, "name": "Group", "language": "en"})
    cohort = created.headers["Location"].rsplit("/", 1)[1]
    page = facilitator.get(f"/f/g/{cohort}").get_data(as_text=True)
    code = re.search(r"Code to join: <strong>([A-Z0-9-]+)</strong>", page).group(1)
    facilitator.post(
        f"/f/g/{cohort}/sessions", data={"module": first, "held_on": "2026-11-20", "present": "9"}
    )
    facilitator.get(f"/f/m/{first}/pack.pdf")  # a pack download
    trainee = app.test_client()
    sign_up(trainee, "rose")
    trainee.post("/group/join", data={"code": code})
    trainee.get(f"/m/{first}")  # progress
    trainee.post(f"/m/{first}/q", data={"ticket": _ticket(trainee, f"/m/{first}/q"), **RIGHT})
    trainee.post(f"/m/{first}/share/1", data={"body": "Figs"})

    people = {name: _user_id(app, name) for name in ("fatima", "rose")}
    filled = {
        where
        for user_id in people.values()
        for where, count in _rows_of(app, user_id).items()
        if count
    }
    # every table that can refer to a user was filled: a new one makes this test fail until it
    # is filled here, and then the deletion below must cover it too
    assert filled == _tables_referring_to_users()

    for client in (trainee, facilitator):
        assert client.post("/account/delete", data={"delete-password": PASSWORD}).status_code == 200
    for user_id in people.values():
        assert set(_rows_of(app, user_id).values()) == {0}
