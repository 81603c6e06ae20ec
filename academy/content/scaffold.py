"""Create new courses and modules from commented templates that load with no problems."""

from __future__ import annotations

import os
import re
import shutil
import unicodedata
from collections.abc import Callable
from datetime import date
from pathlib import Path

import yaml

from academy.content.errors import ContentError, display_path
from academy.content.loader import SLUG
from academy.content.yamlfile import YamlDocument, YamlError, parse_yaml, split_front_matter

COMMENT_COLUMN = 27  # where `# ...` starts after a field, as in courses/README.md
NUMBERED = re.compile(r"^(\d+)-(.+)$")
ITEM = re.compile(r"^(?P<indent>[ \t]*)-(?:[ \t]|$)")
MODULES_KEY = re.compile(r"^modules[ \t]*:(?P<rest>.*)$")
# parse_yaml raises YamlError, but PyYAML's reader can raise its own errors first (a NUL byte).
UNREADABLE = (YamlError, yaml.YAMLError)
ID_LINE = re.compile(r"""^id[ \t]*:[ \t]*["']?(?P<id>[^"'\s#]+)""")


class ScaffoldError(ContentError):
    """A course or module cannot be created; nothing was written."""


def new_course(root: Path, slug: str, title: str | None = None, today: date | None = None) -> Path:
    """Create `root/<slug>/course.yaml` and a first module, `01-introduction`; return the folder."""
    root = Path(root)
    _check_slug(slug, "course")
    title = _check_title(title, slug)
    if not root.is_dir():
        raise ScaffoldError(f"there is no folder {root.as_posix()} to hold courses")
    folder = root / slug
    if folder.exists():
        raise ScaffoldError(f"{display_path(folder, root)} already exists: choose another name")
    used_by = _course_ids(root).get(slug)
    if used_by is not None:
        raise ScaffoldError(f"course id '{slug}' is already used by {display_path(used_by, root)}")
    module_id = f"{slug}-introduction"
    _check_module_id_free(root, module_id)
    text = _course_yaml(title)
    _verify(text, parse_yaml, {"title": title, "modules": None}, "course.yaml")
    folder.mkdir()
    try:
        (folder / "course.yaml").write_bytes(text.encode("utf-8"))
        _create_module(root, slug, "introduction", module_id, "Introduction", today)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return folder


def new_module(
    root: Path, course: str, slug: str, title: str | None = None, today: date | None = None
) -> Path:
    """Create `root/<course>/<NN>-<slug>/lesson.md`, list it in course.yaml; return the folder."""
    return _create_module(Path(root), course, slug, slug, title, today)


def _create_module(
    root: Path, course: str, slug: str, module_id: str, title: str | None, today: date | None
) -> Path:
    """Create a module folder named after `slug` whose lesson has the id `module_id`."""
    _check_slug(slug, "module")
    _check_slug(module_id, "module")
    title = _check_title(title, slug)
    today = date.today() if today is None else today
    if course in ("", ".", "..") or Path(course).name != course:
        raise ScaffoldError(f"'{course}' is not a course folder name, for example legal-literacy")
    course_dir = root / course
    if not course_dir.is_dir():
        raise ScaffoldError(
            f"there is no course '{course}' ({display_path(course_dir, root)}): "
            f"create it first with `academy new course {course}`"
        )
    course_yaml = course_dir / "course.yaml"
    if not course_yaml.is_file():
        raise ScaffoldError(f"{display_path(course_dir, root)} has no course.yaml")
    _check_module_id_free(root, module_id)
    numbers = []
    for child in course_dir.iterdir():
        match = NUMBERED.match(child.name)
        if match is None:
            continue
        if match.group(2) == slug:
            raise ScaffoldError(
                f"{display_path(child, root)} already exists: choose another module name"
            )
        if child.is_dir():
            numbers.append(int(match.group(1)))
    folder = course_dir / f"{max(numbers, default=0) + 1:02d}-{slug}"
    if folder.exists():
        raise ScaffoldError(f"{display_path(folder, root)} already exists")
    lesson = _lesson_md(module_id, title, today)
    _verify(
        lesson,
        lambda text: split_front_matter(text).meta,
        {"id": module_id, "title": title},
        "lesson.md",
    )
    old_yaml = course_yaml.read_bytes()
    new_yaml = _listed(old_yaml, module_id, display_path(course_yaml, root))
    folder.mkdir()
    try:
        (folder / "lesson.md").write_bytes(lesson.encode("utf-8"))
        if new_yaml != old_yaml:
            course_yaml.write_bytes(new_yaml)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        course_yaml.write_bytes(old_yaml)
        raise
    return folder


# -- checks ------------------------------------------------------------------------------


def _check_slug(slug: str, kind: str) -> None:
    """A name must be lowercase letters, digits and single hyphens."""
    if not isinstance(slug, str) or not SLUG.match(slug):
        raise ScaffoldError(
            f"'{slug}' is not a valid {kind} name: use lowercase letters, digits and hyphens, "
            f"for example my-{kind}"
        )


def _check_title(title: str | None, slug: str) -> str:
    """The given title on one line, or the name made readable (`my-topic` → `My topic`)."""
    if title is None:
        words = slug.replace("-", " ")
        return words[:1].upper() + words[1:]
    if not title.strip() or any(unicodedata.category(char) == "Cc" for char in title):
        raise ScaffoldError("the title must be one line of text")
    return title.strip()


def _check_module_id_free(root: Path, module_id: str) -> None:
    """Refuse an id that any lesson.md under `root` already has."""
    for path in _lessons(root):
        if _lesson_id(path) == module_id:
            raise ScaffoldError(
                f"module id '{module_id}' is already used by {display_path(path, root)}"
            )


def _lessons(root: Path) -> list[Path]:
    """Every lesson.md under `root`, skipping hidden folders such as `.git`."""
    found = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(name for name in dirs if not name.startswith("."))
        if "lesson.md" in files:
            found.append(Path(folder) / "lesson.md")
    return found


def _lesson_id(path: Path) -> str | None:
    """The `id:` of a lesson, read leniently so that a broken file still counts."""
    text = path.read_bytes().decode("utf-8", errors="replace")
    try:
        data = split_front_matter(text).meta.data
    except UNREADABLE:
        data = None
    if isinstance(data, dict):
        value = data.get("id")
        return value if isinstance(value, str) else None
    for line in text.splitlines()[1:]:
        if line.strip() == "---":
            break
        match = ID_LINE.match(line)
        if match:
            return match.group("id")
    return None


def _course_ids(root: Path) -> dict[str, Path]:
    """Ids of the courses under `root`: `id:` in course.yaml, or else the folder name."""
    ids = {}
    for path in sorted(root.glob("*/course.yaml")):
        try:
            data = parse_yaml(path.read_bytes().decode("utf-8", errors="replace")).data
        except UNREADABLE:
            data = None
        explicit = data.get("id") if isinstance(data, dict) else None
        ids[explicit if isinstance(explicit, str) else path.parent.name] = path
    return ids


def _verify(
    text: str, read: Callable[[str], YamlDocument], expected: dict[str, object], name: str
) -> None:
    """Make sure a generated file reads back as intended before anything is written."""
    try:
        data = read(text).data
    except UNREADABLE:
        data = None
    if not isinstance(data, dict) or any(data.get(k) != v for k, v in expected.items()):
        raise ScaffoldError(f"could not write a valid {name} for this title: try a simpler one")


# -- templates ---------------------------------------------------------------------------


def _scalar(text: str) -> str:
    """Text as a YAML value: as written when YAML reads it back unchanged, else quoted."""
    try:
        plain = yaml.safe_load(f"value: {text}  # comment")
    except yaml.YAMLError:
        plain = None
    if plain == {"value": text}:
        return text
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _field(line: str, comment: str) -> str:
    """A YAML line with a comment lined up after it, or above it when the line is long."""
    if len(line) >= COMMENT_COLUMN - 1:
        return f"# {comment}\n{line}\n"
    return f"{line.ljust(COMMENT_COLUMN - 1)} # {comment}\n"


def _course_yaml(title: str) -> str:
    """course.yaml for a new course, whose modules `new_module` then adds."""
    return (
        "# A course: what it is about, who it is for and its modules in teaching order.\n"
        "# The format is explained in courses/README.md.\n"
        + _field(f"title: {_scalar(title)}", "the name trainees see")
        + _field(
            'summary: "[Write one or two plain sentences on what trainees will learn]"',
            "a short description of the course, for trainees",
        )
        + _field(
            'audience: "[Write who the course is for]"', "the people the course is written for"
        )
        + _field(
            "languages: [en]",
            "language codes; the first is the language of lesson.md, e.g. [en, fr]",
        )
        + _field("modules:", "module ids, in teaching order; each module's folder has one")
    )


def _lesson_md(module_id: str, title: str, today: date) -> str:
    """lesson.md for a new module: every required field, explained, and a body to replace."""
    return (
        "---\n"
        + _field(f"id: {module_id}", "never change it: trainees' progress is kept by this id")
        + _field(f"title: {_scalar(title)}", "the name trainees see")
        + _field(
            "version: 1.0.0",
            "MAJOR.MINOR.PATCH; raise it whenever any file of this module changes",
        )
        + _field("minutes: 10", "about how long the lesson takes, in whole minutes")
        + _field("objectives:", "what the trainee can do after the lesson, one per line")
        + '  - "[Write what the trainee will be able to do]"\n'
        + _field("changes:", "newest first; one entry for the current version is required")
        + f"  - {{version: 1.0.0, date: {today.isoformat()}, summary: First version}}\n"
        + _field("sources:", "every publication you draw on, one per line, in quotes")
        + '  - "[Author (year), Title of the publication]"\n'
        + _field("legal_review: pending", "pending until a lawyer has checked it, then reviewed")
        + "---\n"
        "\n"
        "[Write a short opening. Say what this lesson is about and why it helps.]\n"
        "\n"
        "## [Name the first part]\n"
        "\n"
        "[Write this part in plain words and short sentences.]\n"
        "\n"
        "::: activity\n"
        "[Give the trainee a task to do, or a question to think about.]\n"
        ":::\n"
        "\n"
        "## Key points\n"
        "\n"
        "- [Write one thing to remember]\n"
    )


# -- course.yaml -------------------------------------------------------------------------


def _listed(old: bytes, module_id: str, where: str) -> bytes:
    """course.yaml with `module_id` added to `modules:`, every other line kept as it was."""
    try:
        text = old.decode("utf-8")
        doc = parse_yaml(text)
    except UnicodeDecodeError:
        raise ScaffoldError(f"{where} is not UTF-8 text: save it as UTF-8") from None
    except YamlError as exc:
        raise ScaffoldError(f"{where} cannot be read (line {exc.line}): fix it first") from None
    except yaml.YAMLError:
        raise ScaffoldError(f"{where} cannot be read: fix it first") from None
    data = doc.data
    if not isinstance(data, dict) or doc.duplicate_keys:
        raise ScaffoldError(f"{where} is not a list of 'key: value' lines: fix it first")
    listed = data.get("modules")
    if listed is None:
        listed = []
    if not isinstance(listed, list):
        raise ScaffoldError(f"'modules:' in {where} is not a list: fix it first")
    if module_id in listed:
        return old  # already listed ahead of its module: nothing to add
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.splitlines(keepends=True)
    key = next((i for i, line in enumerate(lines) if MODULES_KEY.match(line)), None)
    if key is None:
        if "modules" in data:
            raise ScaffoldError(f"cannot find the 'modules:' line in {where}: fix it first")
        if lines and not lines[-1].endswith(("\n", "\r")):
            lines[-1] += newline
        lines += [f"modules:{newline}", f"  - {module_id}{newline}"]
        new = "".join(lines)
    else:
        rest = MODULES_KEY.match(lines[key].rstrip("\r\n")).group("rest").strip()
        if rest.startswith("["):
            offset = sum(len(line) for line in lines[:key]) + lines[key].index("[", 8)
            new = _add_to_flow(text, offset, module_id, where)
        elif rest and not rest.startswith("#"):
            raise ScaffoldError(f"'modules:' in {where} is not a list: fix it first")
        else:
            new = _add_to_block(lines, key, module_id, newline)
    try:
        added = parse_yaml(new).data.get("modules")
    except UNREADABLE:
        added = None
    if added != [*listed, module_id]:
        raise ScaffoldError(f"could not add '{module_id}' to 'modules:' in {where}: add it by hand")
    return new.encode("utf-8")


def _add_to_block(lines: list[str], key: int, module_id: str, newline: str) -> str:
    """Insert `- <id>` after the last `- item` line under `modules:`."""
    last, indent = key, "  "
    for index in range(key + 1, len(lines)):
        line = lines[index]
        stripped = line.strip()
        item = ITEM.match(line)
        if item:
            last, indent = index, item.group("indent")
        elif stripped and not stripped.startswith("#") and not line[0].isspace():
            break  # the next top-level field
    lines = list(lines)
    if not lines[last].endswith(("\n", "\r")):
        lines[last] += newline
    lines.insert(last + 1, f"{indent}- {module_id}{newline}")
    return "".join(lines)


def _add_to_flow(text: str, start: int, module_id: str, where: str) -> str:
    """Insert the id before the `]` closing the flow list that opens at `start`."""
    depth, quote, comment, last = 0, "", False, start
    for index in range(start, len(text)):
        char = text[index]
        if comment:
            comment = char not in "\r\n"
        elif quote:
            if char == quote and not (quote == '"' and text[index - 1] == "\\"):
                quote = ""
            last = index
        elif char == "#" and text[index - 1] in " \t\r\n":
            comment = True
        elif char in "\"'":
            quote, last = char, index
        elif char in "[{":
            depth, last = depth + 1, index
        elif char in "]}":
            depth -= 1
            if depth == 0:
                if text[last] == "[":
                    return text[: last + 1] + module_id + text[last + 1 :]
                joiner = " " if text[last] == "," else ", "
                return text[: last + 1] + joiner + module_id + text[last + 1 :]
            last = index
        elif not char.isspace():
            last = index
    raise ScaffoldError(f"the list after 'modules:' in {where} is never closed with ']'")
