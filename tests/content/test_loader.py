from pathlib import Path

import pytest

from academy.content import InvalidRepository, load_repository
from tests.conftest import FIXTURES


def problems_of(fixture_repo, case: str) -> list[str]:
    with pytest.raises(InvalidRepository) as caught:
        load_repository(fixture_repo(f"broken/{case}"))
    return [str(problem) for problem in caught.value.problems]


def test_good_repository_loads_in_course_order(fixture_repo):
    repository = load_repository(fixture_repo())
    (course,) = repository.courses
    assert course.id == "demo"
    assert course.title == "Demo course"
    assert course.languages == ["en", "fr"]
    assert [m.id for m in course.modules] == ["first-steps", "second-steps"]
    assert course.minutes == 25
    first, second = course.modules
    assert str(first.version) == "1.0.0"
    assert first.sources == ["NSWP (2024), Test source"]
    assert first.changes == [{"version": "1.0.0", "date": "2026-11-01", "summary": "First version"}]
    assert first.legal_review == "pending" and second.legal_review == "reviewed"


def test_translations_load_beside_the_original(fixture_repo):
    first = load_repository(fixture_repo()).courses[0].modules[0]
    assert set(first.texts) == {"en", "fr"}
    french = first.texts["fr"]
    assert french.title == "Premiers pas"
    assert (french.translation_of, french.status) == ("1.0.0", "draft")
    assert "Bienvenue" in french.html
    assert first.texts["en"].status == "original"


def test_module_media_is_collected(fixture_repo):
    second = load_repository(fixture_repo()).courses[0].modules[1]
    (media,) = second.media.values()
    assert media.path.name == "square.png" and media.mime == "image/png"
    assert 'width="40" height="30"' in second.texts["en"].html


def test_warnings_do_not_stop_loading(fixture_repo):
    repository = load_repository(fixture_repo())
    assert [p.code for p in repository.warnings] == ["markdown.vague-link"]


def test_real_courses_load_without_errors_or_warnings():
    repository = load_repository(Path(__file__).parents[2] / "courses")
    assert repository.courses, "the course repository is empty"
    assert [str(p) for p in repository.warnings] == []


def test_missing_folder_is_reported(tmp_path):
    with pytest.raises(InvalidRepository) as caught:
        load_repository(tmp_path / "courses")
    assert "the course folder does not exist" in str(caught.value)


EXPECTED = {
    "course-yaml-syntax": [
        "courses/tiny/course.yaml:3:1: error: not valid YAML: expected ',' or ']', but got "
        "'<stream end>' while parsing a flow sequence [yaml.syntax]",
    ],
    "front-matter-syntax": [
        "courses/tiny/01-alpha/lesson.md:3:1: error: not valid YAML: mapping values are not "
        "allowed here [yaml.syntax]",
    ],
    "no-front-matter": [
        "courses/tiny/01-alpha/lesson.md:1:1: error: the file must start with front matter: a "
        "line '---', the fields, '---' [yaml.syntax]",
    ],
    "missing-lesson": [
        "courses/tiny/02-beta: error: module folder has no lesson.md [module.missing-lesson]",
    ],
    "absent-module": [
        "courses/tiny/course.yaml:4:1: error: module 'ghost' is listed but no module folder has "
        "this id [course.unknown-module]",
    ],
    "listed-twice": [
        "courses/tiny/course.yaml:4:1: error: module 'alpha' is listed twice "
        "[course.duplicate-module]",
    ],
    "duplicate-module-id": [
        "courses/tiny/02-copy/lesson.md:2:1: error: module id 'alpha' is already used by "
        "courses/tiny/01-alpha/lesson.md [module.duplicate-id]",
    ],
    "duplicate-across-courses": [
        "courses/two/01-alpha/lesson.md:2:1: error: module id 'alpha' is already used by "
        "courses/one/01-alpha/lesson.md [module.duplicate-id]",
    ],
    "bad-version": [
        "courses/tiny/01-alpha/lesson.md:4:1: error: version '1.0' is not a semantic version: "
        "write MAJOR.MINOR.PATCH, for example 1.0.0 [module.version]",
        "courses/tiny/01-alpha/lesson.md:9:1: error: each change needs a version (1.0.0), a "
        "date (2026-11-01) and a summary [module.changes]",
    ],
    "unknown-field": [
        "courses/tiny/01-alpha/lesson.md:12:1: error: unknown field 'minuts' (known fields: "
        "changes, id, legal_review, minutes, objectives, sources, title, version) "
        "[module.unknown-key]",
        "courses/tiny/course.yaml:4:1: error: unknown field 'titel' (known fields: audience, id, "
        "languages, modules, summary, title) [course.unknown-key]",
    ],
    "missing-change-entry": [
        "courses/tiny/01-alpha/lesson.md:8:1: error: 'changes' has no entry for version 1.1.0: "
        "say what changed for trainees [module.changes-current]",
    ],
    "missing-title": [
        "courses/tiny/course.yaml:1:1: error: 'title' is required and must be text "
        "[course.missing-title]",
    ],
    "duplicate-key": [
        "courses/tiny/01-alpha/lesson.md:12:1: error: 'minutes' is written twice "
        "[yaml.duplicate-key]",
    ],
}


def test_every_broken_fixture_has_an_expected_message():
    assert sorted(EXPECTED) == sorted(p.name for p in (FIXTURES / "broken").iterdir())


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_bad_input_gives_one_clear_line_per_problem(fixture_repo, case):
    assert problems_of(fixture_repo, case) == EXPECTED[case]


def test_all_problems_are_collected_before_reporting(fixture_repo, tmp_path):
    courses = fixture_repo("broken/unknown-field")
    (courses / "tiny" / "01-alpha" / "lesson.md").write_text(
        (courses / "tiny" / "01-alpha" / "lesson.md").read_text().replace("1.0.0", "1.0")
    )
    codes = {
        p.code for p in pytest.raises(InvalidRepository, load_repository, courses).value.problems
    }
    assert {"module.unknown-key", "course.unknown-key", "module.version"} <= codes


def test_non_utf8_file_is_reported_not_crashed(fixture_repo):
    courses = fixture_repo()
    (courses / "demo" / "course.yaml").write_bytes("title: Caf\xe9\n".encode("latin-1"))
    with pytest.raises(InvalidRepository) as caught:
        load_repository(courses)
    assert [p.code for p in caught.value.problems] == ["file.encoding"]
