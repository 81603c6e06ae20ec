"""Offline reading: which pages a course keeps on a phone, and how much room they take."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import partial
from urllib.parse import urljoin

from flask import current_app, request, url_for
from flask_babel import get_locale
from sqlalchemy.orm import Session

from academy.learn import queries
from academy.learn.offline import remembered_size
from academy.models import Course

# The images a kept page brings along, as the service worker finds them. (The stylesheet is
# kept once for every page, when offline reading is turned on.)
IMAGE = re.compile(r'src="([^"]*media/[0-9a-f]+\.[a-z0-9]+)"')


@dataclass(frozen=True)
class KeptCourse:
    """A course as the offline page offers it: its title, the pages it keeps, their size."""

    course: Course
    paths: list[str]
    size: int | None  # None when it could not be measured


def kept_courses(session: Session, languages: list[str], saver: bool) -> list[KeptCourse]:
    """Every listed course with the addresses its offline copy keeps and their size in bytes."""
    generation = queries.publication_number(session)
    courses = []
    for course in queries.listed_courses(session):
        entries = queries.module_entries(session, course, languages)
        paths = course_paths(course, entries)
        key = (generation, tuple(paths), str(get_locale()), saver)
        size = remembered_size(key, partial(guest_size, paths, saver))
        courses.append(KeptCourse(course, paths, size))
    return courses


def course_paths(course: Course, entries: list[queries.ModuleEntry]) -> list[str]:
    """The course page, then each module's lesson and, where it has one, its quiz."""
    paths = [url_for("learn.course", public_id=course.public_id)]
    for entry in entries:
        paths.append(url_for("learn.module", public_id=entry.module.public_id))
        if entry.text.quiz:
            paths.append(url_for("learn.quiz", public_id=entry.module.public_id))
    return paths


def basic_paths() -> list[str]:
    """What offline reading keeps as soon as it is on: this page, the catalogue, the safety page."""
    return [url_for("learn.offline_reading"), url_for("learn.catalogue"), url_for("site.safety")]


def guest_size(paths: list[str], saver: bool) -> int | None:
    """The bytes a phone stores for these pages, each rendered as a guest sees it, right here.

    None when one of them cannot be rendered: better no figure than a wrong one.
    """
    headers = {"Accept-Language": str(get_locale())}
    if saver:
        headers["Save-Data"] = "on"
    # The reader's own host and script root, so that the pages pass the trusted-hosts check.
    root, prefix = request.url_root, request.script_root
    total, assets, seen = 0, list(paths), set(paths)
    for path in assets:
        # A fresh app context: the guest request must not see this reader's signed-in user.
        with (
            current_app.app_context(),
            current_app.test_request_context(
                path.removeprefix(prefix), base_url=root, headers=headers
            ),
        ):
            response = current_app.full_dispatch_request()
        if response.status_code != 200:
            return None
        body = response.get_data()
        total += len(body)
        for found in IMAGE.findall(body.decode(errors="replace")):
            asset = urljoin(path, found)  # lesson images are written relative to the page
            if asset not in seen:  # an image two lessons share counts once
                seen.add(asset)
                assets.append(asset)
    return total
