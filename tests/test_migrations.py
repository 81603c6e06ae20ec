from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from academy.db import db
from academy.models import Base


def test_migrations_build_exactly_the_schema_of_the_models(make_app):
    app = make_app()  # the fixture builds the schema with `upgrade`, never create_all
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
