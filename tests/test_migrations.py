from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import select

from academy.cli import sync_courses
from academy.db import db
from academy.migrate import alembic_config, upgrade
from academy.models import Base, Course, ModuleText


def test_migrations_build_exactly_the_schema_of_the_models(make_app):
    app = make_app()  # the fixture builds the schema with `upgrade`, never create_all
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_upgrading_a_database_with_data_keeps_everything(make_app, fixture_repo):
    app = make_app(fixture_repo())
    with app.app_context():
        engine = db.engine
        with engine.begin() as connection:  # back to the first schema, and data in it
            config = alembic_config(engine)
            config.attributes["connection"] = connection
            command.downgrade(config, "0001")
            connection.exec_driver_sql(
                "INSERT INTO course (id, key, public_id, title, summary, audience, languages, "
                "position, listed) VALUES (99, 'old', 'abcdefgh', 'Old course', '', '', "
                "'[\"en\"]', 0, TRUE)"
            )
        upgrade(engine)
        sync_courses()
        old = db.session.scalar(select(Course).where(Course.key == "old"))
        assert (old.title, old.public_id, old.listed) == ("Old course", "abcdefgh", False)
        quizzes = db.session.scalars(select(ModuleText.quiz).where(ModuleText.quiz.is_not(None)))
        assert len(quizzes.all()) == 2  # first-steps in en and fr (fr falls back to en's quiz)
