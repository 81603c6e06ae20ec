"""Alembic migrations for Academy's schema; applied by `academy db upgrade`."""
