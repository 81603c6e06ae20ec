"""Facilitators and their cohorts: join codes, dashboards, guides and peer exchange."""

from flask import Blueprint

bp = Blueprint("facilitate", __name__, template_folder="templates")

from academy.facilitate import views  # noqa: E402,F401  (views attach themselves to bp)
