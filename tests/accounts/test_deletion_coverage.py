"""Deleting an account removes every row that refers to it, in every table (found by introspection)."""

from sqlalchemy import select

from academy.db import db
from academy.models import Base, User
from tests.conftest import PASSWORD


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


def test_deleting_an_account_leaves_no_row_that_refers_to_it(lived_in):
    """Fill every table that refers to a user through the app, then delete both accounts."""
    app, facilitator, trainee = lived_in
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
