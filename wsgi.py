"""WSGI entry point for gunicorn: `gunicorn wsgi:app`."""

from academy import create_app

app = create_app()
