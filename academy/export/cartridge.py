"""What goes in a cartridge: each module's pages, images and quiz, and the manifest listing them."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from babel import Locale, UnknownLocaleError
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _

from academy.content import Course, Module, ModuleText, load_repository
from academy.content.guide import Guide
from academy.content.quiz import Quiz
from academy.export.manifest import MANIFEST, WEBCONTENT, Description, Item, Resource, manifest_xml
from academy.export.pages import STYLESHEET, Page, render_page
from academy.export.profiles import Profile
from academy.export.qti import assessment_xml
from academy.locale import LANGUAGE_NAMES

WEB = "web_resources"  # Canvas files what is under this folder as course files, without it
STYLE = f"{WEB}/academy.css"
STYLE_ID = "RES-style"
T = TypeVar("T")


class ExportError(Exception):
    """The export cannot be made; the command line says why in the operator's language."""


class UnknownCourse(ExportError):
    """No course in the repository has this id."""

    def __init__(self, course: str, known: list[str]):
        super().__init__(course)
        self.course, self.known = course, known


class UnknownLanguage(ExportError):
    """The course is not written in this language."""

    def __init__(self, course: Course, language: str):
        super().__init__(language)
        self.course, self.language = course, language


def media_url(digest: str, suffix: str) -> str:
    """Where a page finds an image: beside it, in its module's media folder."""
    return f"media/{digest}{suffix}"


def load_course(root: Path, course_id: str) -> Course:
    """One course of the repository at `root`, checked as `academy check` does.

    Raises InvalidRepository (with every problem) or UnknownCourse.
    """
    repository = load_repository(Path(root), media_url=media_url)
    for course in repository.courses:
        if course.id == course_id:
            return course
    raise UnknownCourse(course_id, [course.id for course in repository.courses])


@dataclass
class Cartridge:
    """A cartridge's files by their path in the zip, and what the operator should know."""

    course: Course
    language: str
    files: dict[str, bytes]
    # Module id → translation files that do not exist, so the original text stands in.
    fallbacks: dict[str, list[str]] = field(default_factory=dict)
    # Module id → how many {multiple, partial} questions the cartridge scores all or nothing.
    all_or_nothing: dict[str, int] = field(default_factory=dict)


def build_cartridge(course: Course, language: str, profile: Profile) -> Cartridge:
    """Every module of `course` in `language` (or in the original where not translated)."""
    if language not in course.languages:
        raise UnknownLanguage(course, language)
    # Labels on the pages ("Sources", "Quiz: ...") are in the cartridge's language, whoever
    # runs the command.
    with force_locale(_babel_locale(language)):
        return _Builder(course, language, profile).build()


def _babel_locale(language: str) -> str:
    """The interface locale for a content language; English for codes Babel does not know."""
    try:
        return str(Locale.parse(language.replace("-", "_")))
    except (ValueError, UnknownLocaleError):
        return "en"


class _Builder:
    """Collects the files, table of contents and resources of one cartridge."""

    def __init__(self, course: Course, language: str, profile: Profile):
        self.course, self.language, self.profile = course, language, profile
        self.source = course.languages[0]
        self.cartridge = Cartridge(course, language, {})
        self.resources = [Resource(STYLE_ID, WEBCONTENT, [STYLE])]
        self.files: dict[str, bytes] = {STYLE: STYLESHEET.encode("utf-8")}

    def build(self) -> Cartridge:
        """The manifest and every file, the manifest first."""
        items = [self.module(module) for module in self.course.modules]
        about = Description(
            f"academy-{self.course.id}-{self.language}",
            self.course.title,
            self.course.summary,
            self.language,
            self.source,
        )
        manifest = manifest_xml(about, items, self.resources, self.profile)
        self.cartridge.files = {MANIFEST: manifest, **self.files}
        return self.cartridge

    def pick(self, module: Module, found: dict[str, T], name: str) -> tuple[str, T] | None:
        """The `language` version of one of a module's files, else the original (noted)."""
        if self.language in found:
            return self.language, found[self.language]
        if self.source not in found:
            return None
        if self.language != self.source:
            files = self.cartridge.fallbacks.setdefault(module.id, [])
            files.append(f"{name}.{self.language}.md")
        return self.source, found[self.source]

    def module(self, module: Module) -> Item:
        """A folder entry for the module, holding its lesson, handout, quiz and session plan."""
        folder = f"{WEB}/{module.id}"
        # Every module has its original lesson, so this never falls through to None.
        language, text = self.pick(module, module.texts, "lesson") or (self.source, None)
        media = self.media(module, folder)
        children = [self.lesson(module, folder, language, text, media)]
        if handout := self.pick(module, module.handouts, "handout"):
            children.append(self.handout(module, folder, text.title, *handout, media))
        if quiz := self.pick(module, module.quizzes, "quiz"):
            children.append(self.quiz(module, text.title, quiz[1]))
        if guide := self.pick(module, module.guides, "facilitator"):
            children.append(self.guide(module, folder, text.title, *guide))
        return Item(f"ITEM-{module.id}", text.title, children=children)

    def media(self, module: Module, folder: str) -> list[str]:
        """The module's images as one shared resource; its id, or none without images."""
        files = []
        for digest, media in sorted(module.media.items()):
            path = f"{folder}/{media_url(digest, media.path.suffix.lower())}"
            self.files[path] = media.path.read_bytes()
            files.append(path)
        if not files:
            return []
        self.resources.append(Resource(f"RES-{module.id}-media", WEBCONTENT, files))
        return [f"RES-{module.id}-media"]

    def page(
        self,
        module: Module,
        path: str,
        name: str,
        page: Page,
        media: list[str],
        instructor_only: bool = False,
    ) -> str:
        """Write one page and list it as a web content resource; returns the resource id."""
        self.files[path] = render_page(page, "../academy.css")
        identifier = f"RES-{module.id}-{name}"
        self.resources.append(
            Resource(
                identifier,
                WEBCONTENT,
                [path],
                href=path,
                dependencies=[STYLE_ID, *media],
                intended_use="lessonplan" if instructor_only else None,
                instructor_only=instructor_only,
            )
        )
        return identifier

    def lesson(
        self, module: Module, folder: str, language: str, text: ModuleText, media: list[str]
    ) -> Item:
        """The lesson page: objectives, text, sources, version and every warning the site shows."""
        notices = self.review_notices(module)
        if language != self.language:
            name = LANGUAGE_NAMES.get(self.language, self.language)
            notices.append(_("This lesson is not yet available in %(language)s.", language=name))
        if text.translation_of and text.translation_of != str(module.version):
            notices.append(
                _(
                    "This translation follows an older version of the lesson (%(old)s, now "
                    "%(new)s), so it may be out of date.",
                    old=text.translation_of,
                    new=str(module.version),
                )
            )
        if text.status == "draft":
            notices.append(_("This translation is a draft and has not been checked yet."))
        page = Page(
            text.title,
            language,
            self.course.title,
            text.html,
            str(module.version),
            meta=ngettext("%(num)d minute", "%(num)d minutes", module.minutes),
            notices=notices,
            before=[(_("In this lesson"), text.objectives)],
            after=[(_("Sources"), module.sources)],
        )
        resource = self.page(module, f"{folder}/lesson.html", "lesson", page, media)
        return Item(f"ITEM-{module.id}-lesson", text.title, resource)

    def review_notices(self, module: Module) -> list[str]:
        """The legal warning of a lesson no lawyer has checked yet."""
        if module.legal_review == "reviewed":
            return []
        return [
            _(
                "A lawyer has not checked this lesson yet. Laws differ between places and "
                "change over time."
            )
        ]

    def handout(
        self, module: Module, folder: str, title: str, language: str, html: str, media: list[str]
    ) -> Item:
        """The take-home page, as trainees print it from the site."""
        page = Page(
            title,
            language,
            self.course.title,
            html,
            str(module.version),
            notices=self.review_notices(module),
        )
        resource = self.page(module, f"{folder}/handout.html", "handout", page, media)
        return Item(f"ITEM-{module.id}-handout", _("Handout"), resource)

    def quiz(self, module: Module, title: str, quiz: Quiz) -> Item:
        """The quiz as a QTI assessment, with the pass mark written before the questions."""
        path = f"quizzes/{module.id}.xml"
        heading = _("Quiz: %(title)s", title=title)
        rubric = _("You pass with %(mark)d%%.", mark=quiz.pass_mark)
        self.files[path] = assessment_xml(quiz, f"QUIZ-{module.id}", heading, rubric, self.profile)
        partial = sum(question.partial for question in quiz.questions)
        if partial:
            self.cartridge.all_or_nothing[module.id] = partial
        identifier = f"RES-{module.id}-quiz"
        self.resources.append(Resource(identifier, self.profile.assessment_type, [path]))
        return Item(f"ITEM-{module.id}-quiz", heading, identifier)

    def guide(self, module: Module, folder: str, title: str, language: str, guide: Guide) -> Item:
        """The session plan, for facilitators only: Canvas locks it, Moodle hides it."""
        heading = _("Session plan: %(title)s", title=title)
        page = Page(
            heading,
            language,
            self.course.title,
            guide.html,
            str(module.version),
            meta=ngettext("%(num)d minute", "%(num)d minutes", guide.total_minutes),
            notices=self.review_notices(module),
            before=[(_("Materials"), guide.materials)] if guide.materials else [],
        )
        path = f"{folder}/session-plan.html"
        resource = self.page(module, path, "guide", page, [], instructor_only=True)
        return Item(f"ITEM-{module.id}-guide", heading, resource)
