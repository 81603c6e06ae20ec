"""Trainee pages: the catalogue, a course, a module."""

from flask import Blueprint

bp = Blueprint("learn", __name__, template_folder="templates")

from academy.learn import views  # noqa: E402,F401  (views attach themselves to bp)
