"""Load the course repository (`courses/`) into plain objects, collecting every problem first."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from academy.content.errors import InvalidRepository, Problem, display_path
from academy.content.glossary import Glossary, missing_terms
from academy.content.guide import Guide, parse_guide
from academy.content.markdown import MediaFile, MediaUrl, render_markdown
from academy.content.quiz import Quiz, parse_quiz
from academy.content.versions import Version, content_hash, parse_version
from academy.content.yamlfile import YamlDocument, YamlError, parse_yaml, split_front_matter

T = TypeVar("T")
MAX_MINUTES = 600  # a whole day of teaching; more is a typo, and would overflow a database
# \Z, not $: "$" also matches before a final newline, letting "intro\n" pass as an id.
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*\Z")
LANGUAGE = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})?\Z")
COURSE_KEYS = {
    "id",
    "title",
    "summary",
    "audience",
    "languages",
    "modules",
    "quiz_min_questions",
    "order",
}
# Two A4 pages in large type hold about this many words, with headings and lists.
HANDOUT_MAX_WORDS = 400
GLOSSARY_SHAPE = (
    "a glossary maps each English term to the word to use, or a list of accepted words: "
    "'sex work: travail du sexe'"
)
LESSON_KEYS = {
    "id",
    "title",
    "version",
    "minutes",
    "objectives",
    "changes",
    "sources",
    "legal_review",
}
TRANSLATION_KEYS = {"title", "objectives", "translation_of", "status"}
REVIEW_STATES = ("pending", "reviewed")
TRANSLATION_STATES = ("draft", "reviewed")


def default_media_url(digest: str, suffix: str) -> str:
    """Address of a media file relative to a module page (`/m/<id>` → `/media/<file>`)."""
    return f"../media/{digest}{suffix}"


@dataclass
class ModuleText:
    """A module's lesson in one language, rendered for trainees."""

    language: str
    title: str
    objectives: list[str]
    html: str
    source: Path
    translation_of: str | None = None
    status: str = "original"
    shared: list[str] = field(default_factory=list)  # `::: activity share` prompts, in order


@dataclass
class Module:
    """One module: its stable id, its version and its lesson in every language it has."""

    id: str
    folder: Path
    course_id: str
    version: Version
    title: str
    minutes: int
    objectives: list[str]
    changes: list[dict[str, str]]
    sources: list[str]
    legal_review: str
    content_hash: str
    version_line: int = 0  # where `version:` is written, for messages about versions
    texts: dict[str, ModuleText] = field(default_factory=dict)
    quizzes: dict[str, Quiz] = field(default_factory=dict)
    guides: dict[str, Guide] = field(default_factory=dict)
    # handout.md rendered to HTML, by language: one or two printed pages to take home.
    handouts: dict[str, str] = field(default_factory=dict)
    media: dict[str, MediaFile] = field(default_factory=dict)


@dataclass
class Course:
    """A course: its description and its modules in teaching order."""

    id: str
    folder: Path
    title: str
    summary: str
    audience: str
    languages: list[str]
    modules: list[Module] = field(default_factory=list)
    quiz_min_questions: int = 0
    order: int = 1000  # place in the catalogue; courses without one follow, by folder name

    @property
    def minutes(self) -> int:
        """Total teaching time of all modules."""
        return sum(module.minutes for module in self.modules)


@dataclass
class Repository:
    """Every course in a repository, plus warnings that do not stop publishing."""

    root: Path
    courses: list[Course]
    warnings: list[Problem] = field(default_factory=list)


def load_repository(
    root: Path, media_url: MediaUrl = default_media_url, audience: str = "trainee"
) -> Repository:
    """Load and render every course under `root`; raise InvalidRepository listing all errors."""
    repository, problems = inspect_repository(root, media_url, audience)
    errors = [problem for problem in problems if problem.is_error]
    if errors:
        raise InvalidRepository(errors)
    return repository


def inspect_repository(
    root: Path, media_url: MediaUrl = default_media_url, audience: str = "trainee"
) -> tuple[Repository, list[Problem]]:
    """Load what can be loaded and return it with every problem found; never raises for content.

    The checker uses this to report everything at once; modules with errors are left out of
    the returned repository.
    """
    root = Path(root)
    loader = _Loader(root, media_url, audience)
    if not root.is_dir():
        loader.report(root, 0, "the course folder does not exist", "repository.missing")
        return Repository(root, []), loader.problems
    loader.load_glossaries()
    courses = [
        course
        for folder in sorted(p for p in root.iterdir() if p.is_dir() and _visible(p))
        if (course := loader.course(folder)) is not None
    ]
    courses.sort(key=lambda course: course.order)  # stable: folder order among equals
    problems = sorted(loader.problems)
    return Repository(root, courses, [p for p in problems if not p.is_error]), problems


def _visible(path: Path) -> bool:
    """Hidden and private folders (`.git`, `_drafts`) are not content."""
    return not path.name.startswith((".", "_"))


class _Loader:
    """Reads one repository, collecting problems instead of stopping at the first."""

    def __init__(self, root: Path, media_url: MediaUrl, audience: str):
        self.root = root
        self.media_url = media_url
        self.audience = audience  # "trainee" leaves out ::: facilitator blocks
        self.problems: list[Problem] = []
        self.course_ids: dict[str, Path] = {}
        self.module_ids: dict[str, str] = {}
        self.glossaries: dict[str, Glossary] = {}
        self.last_module_id: str | None = None

    def report(
        self, path: Path, line: int, message: str, code: str, severity: str = "error"
    ) -> None:
        """Note a problem in `path` at `line` (0 when it concerns the whole file)."""
        self.problems.append(Problem(display_path(path, self.root), line, message, code, severity))

    # -- course.yaml -------------------------------------------------------------------

    def course(self, folder: Path) -> Course | None:
        """Load one course folder, or return None after reporting why it cannot load."""
        path = folder / "course.yaml"
        if not path.is_file():
            self.report(folder, 0, "course folder has no course.yaml", "course.missing-file")
            return None
        doc = self.yaml_file(path)
        if doc is None:
            return None
        data = doc.data
        if not isinstance(data, dict):
            self.report(
                path,
                doc.first_line,
                "course.yaml must be a list of 'key: value' lines",
                "course.schema",
            )
            return None
        self.unknown_keys(path, doc, data, COURSE_KEYS, "course.unknown-key")
        course_id = data.get("id", folder.name)
        if not isinstance(course_id, str) or not SLUG.match(course_id):
            self.report(
                path,
                doc.line_of("id"),
                f"course id '{course_id}' must be lowercase letters, digits and hyphens",
                "course.id",
            )
            return None
        if course_id in self.course_ids:
            first = display_path(self.course_ids[course_id], self.root)
            self.report(
                path,
                doc.line_of("id"),
                f"course id '{course_id}' is already used by {first}",
                "course.duplicate-id",
            )
            return None
        self.course_ids[course_id] = path
        title = self.text(path, doc, data, "title", "course.missing-title")
        languages = self.languages(path, doc, data)
        listed = self.listed_modules(path, doc, data)
        if title is None or languages is None or listed is None:
            return None
        course = Course(
            course_id,
            folder,
            title,
            _optional_text(data, "summary"),
            _optional_text(data, "audience"),
            languages,
        )
        course.quiz_min_questions = self.quiz_min_questions(path, doc, data)
        course.order = self.order(path, doc, data)
        found, broken = self.modules(course)
        for index, module_id in enumerate(listed):
            if module_id in found:
                course.modules.append(found.pop(module_id))
            elif module_id in broken or None in broken:
                continue  # its folder's own error is reported; a second message would mislead
            else:
                self.report(
                    path,
                    doc.line_of("modules", index),
                    f"module '{module_id}' is listed but no module folder has this id",
                    "course.unknown-module",
                )
        for module in found.values():
            self.report(
                module.folder / "lesson.md",
                2,
                f"module '{module.id}' is not listed in course.yaml, so trainees will not see it",
                "course.unlisted-module",
                "warning",
            )
        return course

    def languages(self, path: Path, doc: YamlDocument, data: dict) -> list[str] | None:
        """The course's languages, the first being the language of lesson.md."""
        languages = data.get("languages", ["en"])
        if (
            not isinstance(languages, list)
            or not languages
            or not all(isinstance(code, str) and LANGUAGE.match(code) for code in languages)
        ):
            self.report(
                path,
                doc.line_of("languages"),
                "languages must be a list of language "
                "codes, the original first, for example [en, fr]",
                "course.languages",
            )
            return None
        return languages

    def listed_modules(self, path: Path, doc: YamlDocument, data: dict) -> list[str] | None:
        """The module ids course.yaml lists, in order, each once."""
        listed = data.get("modules")
        if not isinstance(listed, list) or not listed:
            self.report(
                path,
                doc.line_of("modules"),
                "course.yaml needs 'modules:', a list of module ids in teaching order",
                "course.modules",
            )
            return None
        seen: set[str] = set()
        unique = []
        for index, module_id in enumerate(listed):
            if not isinstance(module_id, str):
                self.report(
                    path,
                    doc.line_of("modules", index),
                    "each module must be listed by its id, as text",
                    "course.modules",
                )
            elif module_id in seen:
                self.report(
                    path,
                    doc.line_of("modules", index),
                    f"module '{module_id}' is listed twice",
                    "course.duplicate-module",
                )
            else:
                seen.add(module_id)
                unique.append(module_id)
        return unique

    # -- modules -------------------------------------------------------------------------

    def modules(self, course: Course) -> tuple[dict[str, Module], set[str | None]]:
        """Load every module folder of a course: modules by id, and ids of those that failed.

        A failed folder whose id could not even be read counts as the id None.
        """
        found: dict[str, Module] = {}
        broken: set[str | None] = set()
        for folder in sorted(p for p in course.folder.iterdir() if p.is_dir() and _visible(p)):
            if not (folder / "lesson.md").is_file():
                self.report(folder, 0, "module folder has no lesson.md", "module.missing-lesson")
                continue
            errors_before = self.error_count()
            module = self.module(course, folder)
            if module is not None and self.error_count() == errors_before:
                found[module.id] = module
            else:
                broken.add(module.id if module is not None else self.last_module_id)
        return found, broken

    def error_count(self) -> int:
        """How many errors have been reported so far."""
        return sum(problem.is_error for problem in self.problems)

    def module(self, course: Course, folder: Path) -> Module | None:
        """Load one module: front matter, rendered lesson and translations."""
        path = folder / "lesson.md"
        self.last_module_id = None
        parsed = self.front_matter(path)
        if parsed is None:
            return None
        doc, body, body_line = parsed
        data = doc.data
        self.unknown_keys(path, doc, data, LESSON_KEYS, "module.unknown-key")
        module_id = data.get("id")
        valid = isinstance(module_id, str) and SLUG.match(module_id)
        self.last_module_id = module_id if valid else None
        if not isinstance(module_id, str) or not SLUG.match(module_id):
            self.report(
                path,
                doc.line_of("id"),
                "front matter needs 'id:', made of lowercase "
                "letters, digits and hyphens (it must never change)",
                "module.id",
            )
            return None
        where = display_path(path, self.root)
        if module_id in self.module_ids:
            self.report(
                path,
                doc.line_of("id"),
                f"module id '{module_id}' is already used by {self.module_ids[module_id]}",
                "module.duplicate-id",
            )
            return None
        self.module_ids[module_id] = where
        version = parse_version(data.get("version"))
        if version is None:
            self.report(
                path,
                doc.line_of("version"),
                f"version '{data.get('version', '')}' "
                "is not a semantic version: write MAJOR.MINOR.PATCH, for example "
                "1.0.0",
                "module.version",
            )
        fields = (
            self.text(path, doc, data, "title", "module.title"),
            self.minutes(path, doc, data),
            self.text_list(path, doc, data, "objectives", "module.objectives"),
            self.changes(path, doc, data, version),
            self.text_list(path, doc, data, "sources", "module.sources"),
            self.choice(path, doc, data, "legal_review", REVIEW_STATES, "pending"),
        )
        if version is None or any(value is None for value in fields):
            return None
        title, minutes, objectives, changes, sources, review = fields
        module = Module(
            module_id,
            folder,
            course.id,
            version,
            title,
            minutes,
            objectives,
            changes,
            sources,
            review,
            content_hash(folder),
            doc.line_of("version"),
        )
        original = course.languages[0]
        module.texts[original] = self.text_of(
            module, path, original, body, body_line, title, objectives
        )
        for language in course.languages[1:]:
            translated = folder / f"lesson.{language}.md"
            if translated.is_file():
                text = self.translation(module, translated, language)
                if text is not None:
                    module.texts[language] = text
        self.follow_glossaries(module, original)
        self.quizzes(course, module)
        self.guides(course, module)
        self.handouts(course, module)
        strays = [
            *folder.glob("lesson.*.md"),
            *folder.glob("quiz.*.md"),
            *folder.glob("facilitator.*.md"),
            *folder.glob("handout.*.md"),
        ]
        for stray in sorted(strays):
            language = stray.name.split(".")[1]
            if language not in course.languages[1:]:
                self.report(
                    stray,
                    0,
                    f"language '{language}' is not in the languages of course.yaml",
                    "module.translation-language",
                )
        return module

    def quizzes(self, course: Course, module: Module) -> None:
        """Load quiz.md and its translations, which must ask the same questions."""
        original = course.languages[0]
        for language in course.languages:
            name = "quiz.md" if language == original else f"quiz.{language}.md"
            path = module.folder / name
            if not path.is_file():
                continue
            text = self.parse(path, lambda text: text)
            if text is None:
                continue
            quiz, problems = parse_quiz(text, display_path(path, self.root), language)
            self.problems.extend(problems)
            if quiz is None:
                continue
            if language == original:
                minimum = course.quiz_min_questions
                if len(quiz.questions) < minimum:
                    self.report(
                        path,
                        0,
                        f"the quiz has only {len(quiz.questions)} of the {minimum} "
                        "questions this course asks for",
                        "quiz.too-few-questions",
                    )
            elif original in module.quizzes:
                self.same_questions(path, module.quizzes[original], quiz)
            module.quizzes[language] = quiz

    def guides(self, course: Course, module: Module) -> None:
        """Load facilitator.md and its translations (session plans whose agenda adds up)."""
        for language in course.languages:
            suffix = "" if language == course.languages[0] else f".{language}"
            path = module.folder / f"facilitator{suffix}.md"
            text = self.parse(path, lambda text: text) if path.is_file() else None
            if text is None:
                continue
            guide, problems = parse_guide(text, display_path(path, self.root), language)
            self.problems.extend(problems)
            if guide is not None:
                module.guides[language] = guide

    def load_glossaries(self) -> None:
        """Read every `glossary.<lang>.yaml` at the root: English term → the words to use."""
        for path in sorted(self.root.glob("glossary.*.yaml")):
            language = path.name.split(".")[1]
            doc = self.yaml_file(path)
            if doc is None:
                continue
            data = doc.data if isinstance(doc.data, dict) else None
            if data is None:
                self.report(path, doc.first_line, GLOSSARY_SHAPE, "glossary.format")
                continue
            terms: dict[str, list[str]] = {}
            for term, value in data.items():
                forms = [value] if isinstance(value, str) else value
                if (
                    not isinstance(term, str)
                    or not isinstance(forms, list)
                    or not forms
                    or not all(isinstance(form, str) and form.strip() for form in forms)
                ):
                    self.report(path, doc.line_of(str(term)), GLOSSARY_SHAPE, "glossary.format")
                    continue
                terms[term] = [form.strip() for form in forms]
            lines = {term: doc.line_of(term) for term in terms}
            self.glossaries[language] = Glossary(language, terms, lines)

    def follow_glossaries(self, module: Module, original: str) -> None:
        """Warn where a translation does not use its glossary's word for a term in the lesson."""
        source = module.texts.get(original)
        for language, text in module.texts.items():
            glossary = self.glossaries.get(language)
            if source is None or glossary is None or language == original:
                continue
            for term in missing_terms(glossary, source.html, text.html):
                agreed = " / ".join(f"'{form}'" for form in glossary.terms[term])
                self.report(
                    text.source,
                    0,
                    f"lesson.md says '{term}', but this translation never uses the glossary's "
                    f"{agreed} (glossary.{language}.yaml line {glossary.lines[term]})",
                    "translation.glossary",
                    "warning",
                )

    def handouts(self, course: Course, module: Module) -> None:
        """Load handout.md and its translations: plain Markdown for one or two printed pages."""
        for language in course.languages:
            suffix = "" if language == course.languages[0] else f".{language}"
            path = module.folder / f"handout{suffix}.md"
            text = self.parse(path, lambda text: text) if path.is_file() else None
            if text is None:
                continue
            if text.startswith("---"):
                self.report(
                    path,
                    1,
                    "a handout has no front matter: the printed header already shows the "
                    "course, the module, its version and the date",
                    "handout.front-matter",
                )
                continue
            words = len(re.findall(r"\w+", text))
            if words > HANDOUT_MAX_WORDS:
                self.report(
                    path,
                    0,
                    f"the handout has {words} words; at most {HANDOUT_MAX_WORDS} fit on two "
                    "printed pages in large type",
                    "handout.too-long",
                    "warning",
                )
            rendered = render_markdown(
                text,
                path=display_path(path, self.root),
                module_dir=module.folder,
                media_url=self.media_url,
                language=language,
                audience="trainee",
            )
            self.problems.extend(rendered.problems)
            module.media.update(rendered.media)
            module.handouts[language] = rendered.html

    def same_questions(self, path: Path, source: Quiz, translated: Quiz) -> None:
        """A translated quiz must match its source question by question, answer by answer."""
        if len(source.questions) != len(translated.questions):
            self.report(
                path,
                0,
                f"the translation has {len(translated.questions)} questions; "
                f"quiz.md has {len(source.questions)}",
                "translation.quiz-mismatch",
            )
            return
        for mine, theirs in zip(translated.questions, source.questions, strict=True):
            same = (mine.kind, mine.partial) == (theirs.kind, theirs.partial)
            # A short answer's accepted words belong to each language ("Canada", "le Canada"):
            # only choice questions must keep the same options and the same right ones.
            if same and mine.kind != "short":
                same = (mine.correct, len(mine.options)) == (theirs.correct, len(theirs.options))
            if not same:
                self.report(
                    path,
                    mine.line,
                    f"question {mine.number} does not match quiz.md "
                    "(its kind, its options or which ones are correct)",
                    "translation.quiz-mismatch",
                )

    def order(self, path: Path, doc: YamlDocument, data: dict) -> int:
        """The course's place in the catalogue (1 first); unset courses come last."""
        value = data.get("order", 1000)
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            self.report(
                path,
                doc.line_of("order"),
                "order must be a whole number from 1: the course's place in the catalogue",
                "course.order",
            )
            return 1000
        return value

    def quiz_min_questions(self, path: Path, doc: YamlDocument, data: dict) -> int:
        """The fewest questions each module's quiz may have (0 when the course sets none)."""
        value = data.get("quiz_min_questions", 0)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            self.report(
                path,
                doc.line_of("quiz_min_questions"),
                "quiz_min_questions must be a whole number",
                "course.quiz-min-questions",
            )
            return 0
        return value

    def translation(self, module: Module, path: Path, language: str) -> ModuleText | None:
        """Load `lesson.<language>.md`, whose front matter names the version it translates."""
        parsed = self.front_matter(path)
        if parsed is None:
            return None
        doc, body, body_line = parsed
        data = doc.data
        self.unknown_keys(path, doc, data, TRANSLATION_KEYS, "translation.unknown-key")
        title = self.text(path, doc, data, "title", "translation.title")
        status = self.choice(path, doc, data, "status", TRANSLATION_STATES, None)
        of = data.get("translation_of")
        if parse_version(of) is None:
            self.report(
                path,
                doc.line_of("translation_of"),
                "a translation needs "
                "'translation_of:', the version of lesson.md it translates, for "
                "example 1.0.0",
                "translation.version",
            )
            return None
        objectives = (
            self.text_list(path, doc, data, "objectives", "module.objectives")
            if "objectives" in data
            else module.objectives
        )
        if title is None or status is None or objectives is None:
            return None
        text = self.text_of(module, path, language, body, body_line, title, objectives)
        text.translation_of, text.status = of, status
        return text

    def text_of(
        self,
        module: Module,
        path: Path,
        language: str,
        body: str,
        first_line: int,
        title: str,
        objectives: list[str],
    ) -> ModuleText:
        """Render one lesson body and keep the problems and media it brings."""
        rendered = render_markdown(
            body,
            path=display_path(path, self.root),
            first_line=first_line,
            module_dir=module.folder,
            media_url=self.media_url,
            language=language,
            audience=self.audience,
        )
        self.problems.extend(rendered.problems)
        module.media.update(rendered.media)
        return ModuleText(
            language, title, list(objectives), rendered.html, path, shared=rendered.shared
        )

    # -- fields ------------------------------------------------------------------------

    def parse(self, path: Path, parser: Callable[[str], T]) -> T | None:
        """Read a UTF-8 file and parse it, reporting encoding and YAML errors at their line."""
        if not path.resolve().is_relative_to(self.root.resolve()):
            # A symlink out of the repository would publish whatever it points at (a server's
            # files, another site's secrets): only files inside the repository are content.
            self.report(
                path,
                0,
                "the file is a link to somewhere outside the course repository: "
                "copy the file in instead",
                "file.outside",
            )
            return None
        try:
            return parser(path.read_text(encoding="utf-8"))
        except UnicodeDecodeError:
            self.report(path, 0, "the file is not UTF-8 text: save it as UTF-8", "file.encoding")
        except YamlError as exc:
            self.report(path, exc.line, exc.message, "yaml.syntax")
        return None

    def yaml_file(self, path: Path) -> YamlDocument | None:
        """Parse a YAML file, reporting syntax errors and repeated keys."""
        doc = self.parse(path, parse_yaml)
        return None if doc is None else self.checked(path, doc)

    def front_matter(self, path: Path) -> tuple[YamlDocument, str, int] | None:
        """Split and parse a Markdown file's front matter, which must be a mapping."""
        split = self.parse(path, split_front_matter)
        if split is None:
            return None
        doc = self.checked(path, split.meta)
        if doc is None:
            return None
        if not isinstance(doc.data, dict):
            self.report(
                path,
                1,
                "the front matter must be 'key: value' lines between the two '---' lines",
                "frontmatter.schema",
            )
            return None
        return doc, split.body, split.body_first_line

    def checked(self, path: Path, doc: YamlDocument) -> YamlDocument | None:
        """Report keys written twice (YAML would silently keep the last one)."""
        for key, line in doc.duplicate_keys:
            self.report(path, line, f"'{key}' is written twice", "yaml.duplicate-key")
        return None if doc.duplicate_keys else doc

    def unknown_keys(
        self, path: Path, doc: YamlDocument, data: dict, known: set[str], code: str
    ) -> None:
        """Report keys that nothing reads, usually a typo."""
        for key in data:
            if key not in known:
                self.report(
                    path,
                    doc.line_of(str(key)),
                    f"unknown field '{key}' (known fields: {', '.join(sorted(known))})",
                    code,
                )

    def text(self, path: Path, doc: YamlDocument, data: dict, key: str, code: str) -> str | None:
        """A required, non-empty text field."""
        value = data.get(key)
        if not isinstance(value, str) or not value.strip():
            self.report(path, doc.line_of(key), f"'{key}' is required and must be text", code)
            return None
        return value.strip()

    def text_list(
        self, path: Path, doc: YamlDocument, data: dict, key: str, code: str
    ) -> list[str] | None:
        """A required, non-empty list of texts."""
        value = data.get(key)
        if (
            not isinstance(value, list)
            or not value
            or not all(isinstance(item, str) and item.strip() for item in value)
        ):
            self.report(
                path,
                doc.line_of(key),
                f"'{key}' is required: a list with one text per line, each starting with '- '",
                code,
            )
            return None
        return [item.strip() for item in value]

    def minutes(self, path: Path, doc: YamlDocument, data: dict) -> int | None:
        """Teaching time in whole minutes, from 1 to MAX_MINUTES."""
        value = data.get("minutes")
        if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= MAX_MINUTES:
            self.report(
                path,
                doc.line_of("minutes"),
                f"'minutes' must be a whole number of minutes, from 1 to {MAX_MINUTES}",
                "module.minutes",
            )
            return None
        return value

    def choice(
        self,
        path: Path,
        doc: YamlDocument,
        data: dict,
        key: str,
        allowed: tuple[str, ...],
        default: str | None,
    ) -> str | None:
        """One of a few fixed words."""
        value = data.get(key, default)
        if value not in allowed:
            self.report(
                path,
                doc.line_of(key),
                f"'{key}' must be one of: " + ", ".join(allowed),
                f"frontmatter.{key.replace('_', '-')}",
            )
            return None
        return value

    def changes(
        self, path: Path, doc: YamlDocument, data: dict, version: Version | None
    ) -> list[dict[str, str]] | None:
        """The change log, newest first, with an entry for the current version."""
        value = data.get("changes")
        if not isinstance(value, list) or not value:
            self.report(
                path,
                doc.line_of("changes"),
                "'changes' is required: one line per "
                "version, for example - {version: 1.0.0, date: 2026-11-01, summary: "
                "First version}",
                "module.changes",
            )
            return None
        changes = []
        for index, entry in enumerate(value):
            if not (
                isinstance(entry, dict)
                and parse_version(entry.get("version"))
                and type(entry.get("date")) is date  # a datetime is a date too: refuse it
                and isinstance(entry.get("summary"), str)
                and entry["summary"].strip()
            ):
                self.report(
                    path,
                    doc.line_of("changes", index),
                    "each change needs a version (1.0.0), a date (2026-11-01) and a summary",
                    "module.changes",
                )
                return None
            changes.append(
                {
                    "version": entry["version"],
                    "date": entry["date"].isoformat(),
                    "summary": entry["summary"].strip(),
                }
            )
        if version is not None and str(version) not in {c["version"] for c in changes}:
            self.report(
                path,
                doc.line_of("changes"),
                f"'changes' has no entry for version {version}: say what changed for trainees",
                "module.changes-current",
            )
            return None
        return changes


def _optional_text(data: dict[str, Any], key: str) -> str:
    """An optional text field, empty when absent."""
    value = data.get(key)
    return value.strip() if isinstance(value, str) else ""
