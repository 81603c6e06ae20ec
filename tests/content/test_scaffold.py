import ast
from datetime import date
from pathlib import Path

import pytest

from academy.content import ContentError, load_repository
from academy.content.checker import check_repository
from academy.content.scaffold import ScaffoldError, new_course, new_module

TODAY = date(2026, 12, 1)
DEMO_YAML = (
    "title: Demo course\n"
    "summary: A tiny course for tests.\n"
    "audience: Test readers.\n"
    "languages: [en, fr]\n"
    "modules:\n"
    "  - first-steps\n"
    "  - second-steps\n"
)


def snapshot(root: Path) -> dict[str, bytes | None]:
    """Every file's bytes and every folder (as None) under root, to compare before and after."""
    return {
        path.relative_to(root).as_posix(): path.read_bytes() if path.is_file() else None
        for path in sorted(root.rglob("*"))
    }


def module_ids(root: Path, course: str) -> list[str]:
    repository = load_repository(root)
    (found,) = [c for c in repository.courses if c.id == course]
    return [module.id for module in found.modules]


def write_course_yaml(root: Path, text: str, course: str = "demo") -> Path:
    path = root / course / "course.yaml"
    path.write_bytes(text.encode())
    return path


# -- new_course --------------------------------------------------------------------------


def test_new_course_loads_with_its_first_module_and_no_problems(fixture_repo):
    root = fixture_repo()
    folder = new_course(root, "my-course", today=TODAY)
    assert folder == root / "my-course"
    assert sorted(p.name for p in folder.iterdir()) == ["01-introduction", "course.yaml"]
    repository = load_repository(root)
    course = next(c for c in repository.courses if c.id == "my-course")
    assert course.title == "My course"
    assert course.languages == ["en"]
    (module,) = course.modules
    assert module.id == "my-course-introduction"
    assert module.folder == folder / "01-introduction"
    assert module.title == "Introduction"
    assert module.changes == [
        {"version": "1.0.0", "date": "2026-12-01", "summary": "First version"}
    ]
    assert module.legal_review == "pending"
    # No warnings either, including the checker's plain-language and weight checks.
    report = check_repository(root, only=folder)
    assert report.problems == []
    assert not report.failed(strict=True)


def test_new_course_yaml_teaches_the_format(fixture_repo):
    root = fixture_repo()
    text = (new_course(root, "my-course") / "course.yaml").read_text()
    for field in ("title:", "summary:", "audience:", "languages: [en]", "modules:"):
        assert field in text
    assert text.count("#") >= 5
    assert "[Write" in text  # placeholders are visibly placeholders
    assert text.rstrip().endswith("- my-course-introduction")


def test_new_course_title_needing_quotes(tmp_path):
    root = tmp_path / "courses"
    root.mkdir()
    new_course(root, "rights", title="Police: your rights #1", today=TODAY)
    (course,) = load_repository(root).courses
    assert course.title == "Police: your rights #1"


def test_new_course_in_an_empty_repository(tmp_path):
    root = tmp_path / "courses"
    root.mkdir()
    new_course(root, "first", today=TODAY)
    assert module_ids(root, "first") == ["first-introduction"]
    assert check_repository(root).problems == []


# -- new_module --------------------------------------------------------------------------


def test_new_module_is_numbered_next_and_appended_to_course_yaml(fixture_repo):
    root = fixture_repo()
    assert (root / "demo" / "course.yaml").read_text() == DEMO_YAML
    folder = new_module(root, "demo", "my-topic", today=TODAY)
    assert folder == root / "demo" / "03-my-topic"
    assert (root / "demo" / "course.yaml").read_text() == DEMO_YAML + "  - my-topic\n"
    assert module_ids(root, "demo") == ["first-steps", "second-steps", "my-topic"]
    module = load_repository(root).courses[0].modules[2]
    assert (module.title, str(module.version), module.minutes) == ("My topic", "1.0.0", 10)
    assert module.objectives == ["[Write what the trainee will be able to do]"]
    assert module.sources and module.sources[0].startswith("[")
    assert check_repository(root, only=folder).problems == []


def test_new_module_lesson_has_every_field_explained_and_the_body_outline(fixture_repo):
    root = fixture_repo()
    text = (
        new_module(root, "demo", "my-topic", "Saying no", today=TODAY) / "lesson.md"
    ).read_text()
    front, body = text.split("---\n")[1:3]
    for field in ("id:", "title:", "version:", "minutes:", "objectives:", "changes:", "sources:"):
        line = next(line for line in front.splitlines() if line.startswith(field))
        assert " # " in line, line
    assert "never change" in front and "raise it whenever any file" in front
    assert "legal_review: pending" in front
    assert "{version: 1.0.0, date: 2026-12-01, summary: First version}" in front
    assert body.count("\n## ") == 2 and "::: activity\n" in body
    assert body.lstrip().startswith("[") and "\n## Key points\n" in body
    assert body.split("\n## ")[-1].startswith("Key points")


def test_today_controls_the_change_date_and_defaults_to_today(fixture_repo):
    root = fixture_repo()
    new_module(root, "demo", "later", today=date(2030, 2, 3))
    new_module(root, "demo", "now")
    changes = {m.id: m.changes for m in load_repository(root).courses[0].modules}
    assert changes["later"][0]["date"] == "2030-02-03"
    assert changes["now"][0]["date"] == date.today().isoformat()


def test_numbering_follows_the_highest_number_not_the_count(fixture_repo):
    root = fixture_repo()
    (root / "demo" / "02-second").rename(root / "demo" / "07-second")
    (root / "demo" / "_drafts").mkdir()
    assert new_module(root, "demo", "my-topic").name == "08-my-topic"
    assert new_module(root, "demo", "another").name == "09-another"
    assert module_ids(root, "demo") == ["first-steps", "second-steps", "my-topic", "another"]


def test_comments_and_other_lines_of_course_yaml_are_kept(fixture_repo):
    root = fixture_repo()
    before = (
        "# Demo course, kept by the test team.\n"
        "title: Demo course   # shown on the home page\n"
        "modules:   # teaching order\n"
        "    # the basics first\n"
        "    - first-steps    # start here\n"
        "\n"
        "    - second-steps\n"
        "    # - a-future-module\n"
        "\n"
        "# who and what\n"
        "summary: A tiny course for tests.\n"
        "audience: Test readers.\n"
        "languages: [en, fr]\n"
    )
    path = write_course_yaml(root, before)
    new_module(root, "demo", "my-topic")
    assert path.read_text() == before.replace(
        "    - second-steps\n", "    - second-steps\n    - my-topic\n"
    )
    assert module_ids(root, "demo") == ["first-steps", "second-steps", "my-topic"]


def test_last_line_without_newline_and_windows_line_endings_are_kept(fixture_repo):
    root = fixture_repo()
    path = write_course_yaml(root, DEMO_YAML.rstrip("\n"))
    new_module(root, "demo", "my-topic")
    assert path.read_text() == DEMO_YAML + "  - my-topic\n"
    crlf = DEMO_YAML.replace("\n", "\r\n")
    write_course_yaml(root, crlf)
    new_module(root, "demo", "other")
    assert path.read_bytes() == (crlf + "  - other\r\n").encode()


@pytest.mark.parametrize(
    ("modules", "expected"),
    [
        (
            "modules: [first-steps, second-steps]  # teaching order\n",
            "modules: [first-steps, second-steps, my-topic]  # teaching order\n",
        ),
        (
            "modules: [ first-steps , second-steps ]\n",
            "modules: [ first-steps , second-steps, my-topic ]\n",
        ),
        (
            "modules: [\n  first-steps,  # start here\n  second-steps,\n]\n",
            "modules: [\n  first-steps,  # start here\n  second-steps, my-topic\n]\n",
        ),
        (
            "modules: [\n  first-steps,\n  second-steps  # last one\n]\n",
            "modules: [\n  first-steps,\n  second-steps, my-topic  # last one\n]\n",
        ),
    ],
)
def test_flow_style_modules_list(fixture_repo, modules, expected):
    root = fixture_repo()
    head = DEMO_YAML.split("modules:")[0]
    path = write_course_yaml(root, head + modules + "# end\n")
    new_module(root, "demo", "my-topic")
    assert path.read_text() == head + expected + "# end\n"
    assert module_ids(root, "demo") == ["first-steps", "second-steps", "my-topic"]


def test_empty_flow_list_and_missing_modules_field(fixture_repo):
    root = fixture_repo()
    head = DEMO_YAML.split("modules:")[0]
    path = write_course_yaml(root, head + "modules: []\n")
    new_module(root, "demo", "my-topic")
    assert path.read_text() == head + "modules: [my-topic]\n"
    path = write_course_yaml(root, head)
    new_module(root, "demo", "other")
    assert path.read_text() == head + "modules:\n  - other\n"


def test_an_id_listed_ahead_of_its_module_is_not_listed_twice(fixture_repo):
    root = fixture_repo()
    path = write_course_yaml(root, DEMO_YAML + "  - planned\n")
    new_module(root, "demo", "planned")
    assert path.read_text() == DEMO_YAML + "  - planned\n"
    assert module_ids(root, "demo") == ["first-steps", "second-steps", "planned"]


def test_modules_in_a_new_course_follow_on(fixture_repo):
    root = fixture_repo()
    new_course(root, "my-course", today=TODAY)
    assert new_module(root, "my-course", "next-step", today=TODAY).name == "02-next-step"
    assert module_ids(root, "my-course") == ["my-course-introduction", "next-step"]
    assert check_repository(root, only=root / "my-course").problems == []


# -- errors: nothing is written ----------------------------------------------------------


def add_other_course(root: Path) -> None:
    new_course(root, "other", today=TODAY)


def add_introduction_id(root: Path) -> None:
    new_module(root, "demo", "extra-introduction", today=TODAY)


def add_empty_course_folder(root: Path) -> None:
    (root / "empty").mkdir()


def add_course_with_explicit_id(root: Path) -> None:
    (root / "folder").mkdir()
    (root / "folder" / "course.yaml").write_text("id: taken\ntitle: T\nmodules: [x]\n")


def break_course_yaml(root: Path) -> None:
    write_course_yaml(root, DEMO_YAML.replace("languages: [en, fr]", "languages: [en, fr"))


def scalar_modules(root: Path) -> None:
    write_course_yaml(root, DEMO_YAML.split("modules:")[0] + "modules: first-steps\n")


def break_first_lesson(root: Path) -> None:
    (root / "demo" / "01-first" / "lesson.md").write_text(
        "---\nid: first-steps\ntitle: [oops\n---\n"
    )


def nul_in_second_lesson(root: Path) -> None:
    (root / "demo" / "02-second" / "lesson.md").write_text("---\nid: 'nul'\ntitle: \x00\n---\n")


def nul_in_course_yaml(root: Path) -> None:
    write_course_yaml(root, DEMO_YAML + "# \x00\n")


ERRORS = {
    "course name with capitals": (None, lambda r: new_course(r, "My-Course")),
    "course name with underscore": (None, lambda r: new_course(r, "my_course")),
    "course name with double hyphen": (None, lambda r: new_course(r, "my--course")),
    "empty course name": (None, lambda r: new_course(r, "")),
    "course folder exists": (None, lambda r: new_course(r, "demo")),
    "course id used by another course.yaml": (
        add_course_with_explicit_id,
        lambda r: new_course(r, "taken"),
    ),
    "introduction id already used": (add_introduction_id, lambda r: new_course(r, "extra")),
    "empty course title": (None, lambda r: new_course(r, "my-course", title="  ")),
    "two-line course title": (None, lambda r: new_course(r, "my-course", title="a\nb")),
    "missing root": (None, lambda r: new_course(r / "nope", "my-course")),
    "module name with space": (None, lambda r: new_module(r, "demo", "my topic")),
    "module name with slash": (None, lambda r: new_module(r, "demo", "../escape")),
    "course does not exist": (None, lambda r: new_module(r, "nope", "my-topic")),
    "course is a path": (None, lambda r: new_module(r, "demo/01-first", "my-topic")),
    "course without course.yaml": (add_empty_course_folder, lambda r: new_module(r, "empty", "x")),
    "module id used in this course": (None, lambda r: new_module(r, "demo", "first-steps")),
    "module id used in another course": (
        add_other_course,
        lambda r: new_module(r, "demo", "other-introduction"),
    ),
    "module folder name exists": (None, lambda r: new_module(r, "demo", "first")),
    "control character in title": (None, lambda r: new_module(r, "demo", "x", title="a\x00b")),
    "id of a lesson with broken YAML": (
        break_first_lesson,
        lambda r: new_module(r, "demo", "first-steps"),
    ),
    "id of a lesson with a NUL byte": (
        nul_in_second_lesson,
        lambda r: new_module(r, "demo", "nul"),
    ),
    "course.yaml with a NUL byte": (nul_in_course_yaml, lambda r: new_module(r, "demo", "x")),
    "course.yaml that cannot be read": (break_course_yaml, lambda r: new_module(r, "demo", "x")),
    "modules that is not a list": (scalar_modules, lambda r: new_module(r, "demo", "x")),
}


@pytest.mark.parametrize("case", ERRORS)
def test_errors_raise_and_write_nothing(fixture_repo, case):
    root = fixture_repo()
    prepare, call = ERRORS[case]
    if prepare is not None:
        prepare(root)
    before = snapshot(root.parent)
    with pytest.raises(ScaffoldError) as caught:
        call(root)
    assert snapshot(root.parent) == before
    message = str(caught.value)
    assert message and "\n" not in message
    assert isinstance(caught.value, ContentError)


def test_error_messages_say_what_is_wrong(fixture_repo):
    root = fixture_repo()
    with pytest.raises(ScaffoldError, match="lowercase letters, digits and hyphens"):
        new_module(root, "demo", "My_Topic")
    with pytest.raises(ScaffoldError, match="courses/demo already exists"):
        new_course(root, "demo")
    with pytest.raises(ScaffoldError, match="'first-steps' is already used by courses/demo/01"):
        new_module(root, "demo", "first-steps")
    with pytest.raises(ScaffoldError, match="no course 'nope'"):
        new_module(root, "nope", "my-topic")


def test_scaffold_does_not_import_flask():
    source = Path(__file__).parents[2] / "academy" / "content" / "scaffold.py"
    imported = set()
    for node in ast.walk(ast.parse(source.read_text())):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module.split(".")[0])
    assert not {name for name in imported if name.startswith("flask")}
