"""LTI 1.3 tool: Moodle, Canvas and other learning platforms launch Academy's courses."""

from flask import Blueprint

bp = Blueprint("lti", __name__, template_folder="templates")

from academy.lti import views  # noqa: E402,F401  (views attach themselves to bp)
