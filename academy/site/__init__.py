"""Site-wide pieces every page shares: stylesheet, media, quick exit, headers, error pages."""

from flask import Blueprint

bp = Blueprint("site", __name__, template_folder="templates", static_folder=None)

from academy.site import views  # noqa: E402,F401  (views attach themselves to bp)
from academy.site.views import register_error_pages  # noqa: E402

__all__ = ["bp", "register_error_pages"]
