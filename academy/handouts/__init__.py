"""Printed matter: handouts, session packs and course packs, made into PDFs by WeasyPrint."""

from flask import Blueprint

bp = Blueprint("handouts", __name__, template_folder="templates")

from academy.handouts import views  # noqa: E402,F401  (views attach themselves to bp)
