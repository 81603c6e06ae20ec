"""Lesson images left out for the data saver: each becomes a link that loads it when tapped."""

from __future__ import annotations

import re
from html import escape, unescape

from flask import url_for
from flask_babel import gettext as _
from markupsafe import Markup

# Lesson HTML is rendered from Markdown with raw HTML off (see offline.py): every tag is the
# renderer's and attribute values never hold a '"', so these patterns see only real tags.
# An image inside a link is matched with its link, which must not hold a second link.
_IMAGE_OR_LINKED = re.compile(r"<a\b[^>]*>(?:(?!</a>).)*?<img\b.*?</a>|<img\b[^>]*>", re.S)
_IMAGE = re.compile(r"<img\b[^>]*>")
_SRC = re.compile(r' src="([^"]*)"')
_ALT = re.compile(r' alt="([^"]*)"')
_MEDIA = re.compile(r"(?:^|/)media/(?P<digest>[0-9a-f]+)\.(?P<ext>\w+)$")


def without_images(html: str) -> Markup:
    """The lesson with every image replaced by a link to it that names what it shows."""
    return Markup(_IMAGE_OR_LINKED.sub(_replace, html))


def _replace(match: re.Match) -> str:
    """A bare image as a tap-to-load link; images inside a link as their words alone."""
    tag = match[0]
    if tag.startswith("<a"):
        return _IMAGE.sub(lambda image: f'<span class="image-off">{_alt(image[0])}</span>', tag)
    label = _("Picture: %(description)s (tap to load it)", description=unescape(_alt(tag)))
    return f'<a class="image-off" href="{escape(_address(tag))}">{escape(label)}</a>'


def _alt(tag: str) -> str:
    """The image's description as it stands in the tag (escaped)."""
    found = _ALT.search(tag)
    return found[1] if found else ""


def _address(tag: str) -> str:
    """Where the image is served from, as a path that works from any page."""
    found = _SRC.search(tag)
    src = unescape(found[1]) if found else ""
    media = _MEDIA.search(src)
    # Lessons address media relative to the module page (../media/…): say it from the root.
    return url_for("site.media", **media.groupdict()) if media else src
