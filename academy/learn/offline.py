"""A module, or a whole course, as one self-contained HTML file to read offline and pass on."""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from html import escape, unescape
from urllib.parse import urljoin, urlsplit

from flask import Response, current_app, render_template
from flask_babel import get_locale
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import Session

from academy.content.quiz import Quiz, quiz_from_data
from academy.learn.queries import ModuleEntry
from academy.models import Course, MediaFile
from academy.site import saver as data_saver
from academy.site.assets import stylesheet

# Small enough to send over WhatsApp or Bluetooth from a cheap phone on prepaid data.
BUDGET = 50 * 1024
# The rules of academy.css a lesson and its quiz use; the site's header, menus, forms and
# group pages have no place in a file.
KEPT_SELECTORS = frozenset(
    {
        *("*", "html", "body", "main", "a", "a:focus", "button:focus", "h1", "h2", "h3"),
        *(".meta", ".review", ".box", ".box.activity", ".box.warning", ".box-label"),
        *("table", "th", "td", "img", ".question", "legend", ".option", ".option input"),
        *(".answer", "button", ".passed", ".verdict", ".right .verdict", ".wrong .verdict"),
        *(".partly .verdict", ".feedback", ".sources"),
    }
)
_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_AT_BLOCK = re.compile(r"@[^{]+\{(?:[^{}]*\{[^{}]*\})*[^{}]*\}")
_COMMENT = re.compile(r"/\*.*?\*/", re.S)
# Course HTML is rendered from Markdown with raw HTML off: every tag below is the renderer's,
# text never holds a bare '<' or '"', so these patterns see only real tags and attributes.
_IMAGE = re.compile(r"<img\b[^>]*>")
_LINK = re.compile(r'<a href="(?P<href>[^"]*)"[^>]*>(?P<text>.*?)</a>', re.S)
_ID = re.compile(r' id="([^"]+)"')
_ATTRIBUTE = '{}="([^"]*)"'
_MEDIA = re.compile(r"(?:^|/)media/(?P<digest>[0-9a-f]+)\.\w+$")
SIZES_REMEMBERED = 512  # per app; a few hundred modules in a few languages


@dataclass
class Part:
    """One module as the file shows it: where it is, its lesson HTML, its quiz and key."""

    entry: ModuleEntry
    html: str  # the lesson, its ids prefixed so that a course's modules keep theirs apart
    date: str  # ISO date of the current version
    quiz: Quiz | None
    key: Markup | None  # the answer key as JSON, safe inside a <script> element
    address: str  # the module's page on the site, when ACADEMY_PUBLIC_URL is set


def module_file(session: Session, entry: ModuleEntry, saver: bool) -> str:
    """One module as a complete HTML document, at most BUDGET bytes unless its text is longer."""
    return _document(session, None, [entry], saver, BUDGET)


def course_file(session: Session, course: Course, entries: list[ModuleEntry], saver: bool) -> str:
    """Every module of a course in order, after a table of contents, as one HTML document."""
    # Never bigger than the course's module files together: images fill the same room.
    return _document(session, course, entries, saver, BUDGET * len(entries))


def download(html: str, filename: str) -> Response:
    """The file as a download under a name that says nothing of its topic."""
    response = Response(html, mimetype="text/html")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.vary.add("Save-Data")  # the same address gives a smaller file to data savers
    return response


def module_size(session: Session, entry: ModuleEntry) -> int:
    """The byte size of the module's file as this reader would get it (remembered)."""
    saver = data_saver.is_on()
    key = ("m", *_entry_key(entry), saver)
    return remembered_size(key, lambda: len(module_file(session, entry, saver).encode()))


def course_size(session: Session, course: Course, entries: list[ModuleEntry]) -> int:
    """The byte size of the course's file as this reader would get it (remembered)."""
    saver, modules = data_saver.is_on(), tuple(_entry_key(entry) for entry in entries)
    key = ("c", course.id, course.title, course.summary, modules, saver)
    return remembered_size(key, lambda: len(course_file(session, course, entries, saver).encode()))


def _entry_key(entry: ModuleEntry) -> tuple:
    """What a module's part of a file depends on: its content, place and the reader's language."""
    language = entry.text.language
    return (entry.version.content_hash, language, entry.number, str(get_locale()))


def remembered_size(key: tuple, measure: Callable[[], int]) -> int:
    """A size measured once per app: a published version's content never changes."""
    sizes = current_app.extensions.setdefault("academy.offline_sizes", {})
    if key not in sizes:
        if len(sizes) >= SIZES_REMEMBERED:
            sizes.clear()
        sizes[key] = measure()
    return sizes[key]


def _document(
    session: Session,
    course: Course | None,
    entries: list[ModuleEntry],
    saver: bool,
    budget: int,
) -> str:
    """Render the file; images are inlined in order while it stays within `budget` bytes."""
    images = {} if saver else _images(session, entries)
    page = _render(course, entries, {})
    if not images:
        return page
    # Measured without images first, so a picture that does not fit becomes its description
    # instead of making the file too big to send.
    room, chosen = budget - len(page.encode()), {}
    for digest, cost in _image_costs(entries, images).items():
        if cost <= room:
            chosen[digest] = images[digest]
            room -= cost
    return _render(course, entries, chosen) if chosen else page


def _render(course: Course | None, entries: list[ModuleEntry], images: dict[str, str]) -> str:
    """The document with the given images inlined and every other image as its description."""
    public_url = current_app.config["ACADEMY_PUBLIC_URL"].rstrip("/")
    parts = [_part(entry, images, public_url) for entry in entries]
    address = ""
    if public_url:  # the operator chose to say where the file comes from
        address = f"{public_url}/c/{course.public_id}" if course else parts[0].address
    return render_template(
        "learn/offline.html",
        course=course,
        parts=parts,
        address=address,
        css=_css(stylesheet()[1]),
        texts=_json(_texts()) if any(part.quiz for part in parts) else None,
    )


def _part(entry: ModuleEntry, images: dict[str, str], public_url: str) -> Part:
    """A module's lesson made self-contained, and its quiz with the answer key."""
    anchor = f"m{entry.number}-"
    page = f"{public_url}/m/{entry.module.public_id}" if public_url else ""
    html = _ID.sub(lambda match: f' id="{anchor}{match[1]}"', entry.text.html)
    html = _LINK.sub(lambda match: _link(match, anchor, page), html)
    html = _IMAGE.sub(lambda match: _image(match[0], images), html)
    quiz = quiz_from_data(entry.text.quiz) if entry.text.quiz else None
    version = entry.version
    made = next((c["date"] for c in version.changes if c["version"] == version.version), None)
    when = str(made) if made else version.published_at.date().isoformat()
    return Part(entry, html, when, quiz, _json(_key(quiz)) if quiz else None, page)


def _link(match: re.Match, anchor: str, page: str) -> str:
    """A lesson link that works in the file, or its text when it could only break or reach out."""
    href, text = unescape(match["href"]), match["text"]
    parts = urlsplit(href)
    if not parts.scheme and not parts.path and parts.fragment:
        return f'<a href="#{escape(anchor + parts.fragment)}">{text}</a>'
    if parts.scheme in ("mailto", "tel"):
        return match[0]
    if parts.scheme:
        # Another site: the address is kept to copy by hand, but nothing in the file reaches out.
        return text if text == escape(href) else f"{text} ({escape(href)})"
    if page:
        return f'<a href="{escape(urljoin(page, href))}">{text}</a>'
    return text  # another Academy page, with no address to reach it from a file


def _image(tag: str, images: dict[str, str]) -> str:
    """An image inlined as a data: URI, or its description in brackets."""
    src = unescape(_attribute(tag, "src"))
    match = _MEDIA.search(src)
    if match and match["digest"] in images:
        # The same tag, only its address replaced: size and description stay.
        return tag.replace(f'src="{_attribute(tag, "src")}"', f'src="{images[match["digest"]]}"')
    return f'<span class="missing-image">[{_attribute(tag, "alt")}]</span>'


def _attribute(tag: str, name: str) -> str:
    """An attribute's (still escaped) value in a tag, or ''."""
    found = re.search(_ATTRIBUTE.format(name), tag)
    return found[1] if found else ""


def _image_digests(entries: Iterable[ModuleEntry]) -> list[str]:
    """Digests of the media images the lessons use, in the order they appear."""
    digests = []
    for entry in entries:
        for tag in _IMAGE.findall(entry.text.html):
            match = _MEDIA.search(unescape(_attribute(tag, "src")))
            if match and match["digest"] not in digests:
                digests.append(match["digest"])
    return digests


def _images(session: Session, entries: list[ModuleEntry]) -> dict[str, str]:
    """The lessons' images as data: URIs, read from the database like the site serves them."""
    digests = _image_digests(entries)
    if not digests:
        return {}
    files = session.scalars(select(MediaFile).where(MediaFile.digest.in_(digests)))
    uris = {f.digest: f"data:{f.mime};base64,{base64.b64encode(f.data).decode()}" for f in files}
    return {digest: uris[digest] for digest in digests if digest in uris}  # in lesson order


def _image_costs(entries: list[ModuleEntry], images: dict[str, str]) -> dict[str, int]:
    """The bytes each image adds to the file when inlined rather than described."""
    costs = dict.fromkeys(images, 0)
    for entry in entries:
        for tag in _IMAGE.findall(entry.text.html):
            match = _MEDIA.search(unescape(_attribute(tag, "src")))
            if match and match["digest"] in images:
                inlined = _image(tag, images)
                costs[match["digest"]] += len(inlined.encode()) - len(_image(tag, {}).encode())
    return costs


def _key(quiz: Quiz) -> dict:
    """What the file's script needs to mark the quiz as the server does."""
    questions = []
    for question in quiz.questions:
        if question.kind == "short":
            # The accepted answers as written: the script normalises both sides alike.
            questions.append({"k": "short", "a": [option.text for option in question.options]})
        else:
            questions.append(
                {"k": question.kind, "p": question.partial, "c": sorted(question.correct)}
            )
    return {"pass": quiz.pass_mark, "q": questions}


def _texts() -> dict[str, str]:
    """The words the script shows, in the reader's language; %(...)d is filled in by it."""
    return {
        "right": "✓ " + _("Right"),
        "partly": "½ " + _("Partly right"),
        "wrong": "✗ " + _("Not right"),
        # No arguments: gettext leaves the placeholders for the script to fill.
        "result": _("Your result: %(percent)d%%"),
        "pass": _("Well done: you passed."),
        "fail": _("Not passed yet: you need %(mark)d%%. Read the feedback and try again."),
    }


def _json(data: dict) -> Markup:
    """JSON to embed in a <script> element, its letters unescaped (smaller for Cyrillic)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    # As Jinja's tojson does: nothing in it can close the element or open a comment.
    for character in "<>&'":
        text = text.replace(character, f"\\u{ord(character):04x}")
    return Markup(text)


@cache
def _css(version: str) -> str:
    """The rules of the site's stylesheet that a file uses (`version` keys the cache)."""
    css = _COMMENT.sub("", stylesheet()[0].decode())
    css = _AT_BLOCK.sub("", css)  # print and other media rules
    kept = []
    for selectors, declarations in _RULE.findall(css):
        wanted = [" ".join(s.split()) for s in selectors.split(",")]
        wanted = [selector for selector in wanted if selector in KEPT_SELECTORS]
        if wanted:
            kept.append(f"{','.join(wanted)}{{{declarations.strip()}}}")
    return "".join(kept)
