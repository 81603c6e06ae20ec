"""WSGI entry point for gunicorn: `gunicorn wsgi:app`."""

from academy import create_app
from academy.config import check_production

app = create_app()
# Serving trainees: refuse to start with debug on or a weak secret key.
check_production(app)
