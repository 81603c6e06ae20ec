import re
from pathlib import Path

import pytest

from academy.content import InvalidRepository, inspect_repository, load_repository
from tests.conftest import FIXTURES


def problems_of(fixture_repo, case: str) -> list[str]:
    _repository, problems = inspect_repository(fixture_repo(f"broken/{case}"))
    return [str(problem) for problem in problems]


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
        "languages, modules, order, quiz_min_questions, summary, title) [course.unknown-key]",
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
    "course-duplicate-id": [
        "courses/two/course.yaml:1:1: error: course id 'same' is already used by courses/one/course.yaml [course.duplicate-id]",
    ],
    "course-id": [
        "courses/tiny/course.yaml:1:1: error: course id 'Tiny Course' must be lowercase letters, digits and hyphens [course.id]",
    ],
    "course-languages": [
        "courses/tiny/course.yaml:2:1: error: languages must be a list of language codes, the original first, for example [en, fr] [course.languages]",
    ],
    "course-missing-file": [
        "courses/tiny: error: course folder has no course.yaml [course.missing-file]",
    ],
    "course-modules": [
        "courses/tiny/course.yaml:1:1: error: course.yaml needs 'modules:', a list of module ids in teaching order [course.modules]",
    ],
    "course-schema": [
        "courses/tiny/course.yaml:1:1: error: course.yaml must be a list of 'key: value' lines [course.schema]",
    ],
    "unlisted-module": [
        "courses/tiny/02-beta/lesson.md:2:1: warning: module 'beta' is not listed in course.yaml, so trainees will not see it [course.unlisted-module]",
    ],
    "front-matter-schema": [
        "courses/tiny/01-alpha/lesson.md:1:1: error: the front matter must be 'key: value' lines between the two '---' lines [frontmatter.schema]",
    ],
    "markdown-empty-link": [
        "courses/tiny/01-alpha/lesson.md:14:1: warning: the link 'the hotline' has no address [markdown.empty-link]",
    ],
    "markdown-heading-level": [
        "courses/tiny/01-alpha/lesson.md:14:1: warning: use '##' for sections: the page already has the title as its only top heading [markdown.heading-level]",
    ],
    "markdown-image-type": [
        "courses/tiny/01-alpha/lesson.md:14:1: error: 'media/square.bmp' is a BMP image: use PNG, JPEG, GIF or WebP [markdown.image-type]",
    ],
    "module-id": [
        "courses/tiny/01-alpha/lesson.md:2:1: error: front matter needs 'id:', made of lowercase letters, digits and hyphens (it must never change) [module.id]",
    ],
    "module-minutes": [
        "courses/tiny/01-alpha/lesson.md:5:1: error: 'minutes' must be a whole number of minutes, from 1 to 600 [module.minutes]",
    ],
    "module-objectives": [
        "courses/tiny/01-alpha/lesson.md:6:1: error: 'objectives' is required: a list with one text per line, each starting with '- ' [module.objectives]",
    ],
    "module-sources": [
        "courses/tiny/01-alpha/lesson.md:2:1: error: 'sources' is required: a list with one text per line, each starting with '- ' [module.sources]",
    ],
    "module-title": [
        "courses/tiny/01-alpha/lesson.md:3:1: error: 'title' is required and must be text [module.title]",
    ],
    "legal-review": [
        "courses/tiny/01-alpha/lesson.md:12:1: error: 'legal_review' must be one of: pending, reviewed [frontmatter.legal-review]",
    ],
    "translation-language": [
        "courses/tiny/01-alpha/lesson.de.md: error: language 'de' is not in the languages of course.yaml [module.translation-language]",
    ],
    "translation-title": [
        "courses/tiny/01-alpha/lesson.fr.md:2:1: error: 'title' is required and must be text [translation.title]",
    ],
    "translation-unknown-key": [
        "courses/tiny/01-alpha/lesson.fr.md:5:1: error: unknown field 'version' (known fields: objectives, status, title, translation_of) [translation.unknown-key]",
    ],
    "translation-version": [
        "courses/tiny/01-alpha/lesson.fr.md:2:1: error: a translation needs 'translation_of:', the version of lesson.md it translates, for example 1.0.0 [translation.version]",
    ],
    "quiz-too-few": [
        "courses/tiny/01-alpha/quiz.md: error: the quiz has only 1 of the 2 questions this course asks for [quiz.too-few-questions]",
    ],
    "quiz-translation-mismatch": [
        "courses/tiny/01-alpha/quiz.fr.md:1:1: error: question 1 does not match quiz.md (its kind, its options or which ones are correct) [translation.quiz-mismatch]",
    ],
    "course-quiz-min-questions": [
        "courses/tiny/course.yaml:2:1: error: quiz_min_questions must be a whole number [course.quiz-min-questions]",
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


def test_every_check_id_in_the_code_is_exercised_by_a_test():
    package = Path(__file__).parents[2] / "academy"
    pattern = re.compile(
        r'"((?:yaml|course|module|frontmatter|translation|markdown|link|media|'
        r'language|page|version|file|repository|handout|glossary)\.[a-z-]+)"'
    )
    codes = {code for path in package.rglob("*.py") for code in pattern.findall(path.read_text())}
    codes |= {"frontmatter.legal-review", "frontmatter.status"}  # built from the field name
    tests = "".join(p.read_text() for p in Path(__file__).parents[1].rglob("test_*.py"))
    untested = sorted(code for code in codes if code not in tests)
    assert untested == []


def test_missing_repository_has_its_own_id(tmp_path):
    _repository, problems = inspect_repository(tmp_path / "nowhere")
    assert [p.code for p in problems] == ["repository.missing"]


def test_a_change_date_with_a_time_is_refused(fixture_repo):
    courses = fixture_repo()
    lesson = courses / "demo" / "01-first" / "lesson.md"
    lesson.write_text(lesson.read_text().replace("date: 2026-11-01,", "date: 2026-11-01 10:00:00,"))
    _repository, problems = inspect_repository(courses)
    assert [(p.code, p.line) for p in problems if p.is_error] == [("module.changes", 9)]


def test_an_id_with_a_trailing_newline_is_refused(fixture_repo):
    courses = fixture_repo()
    lesson = courses / "demo" / "01-first" / "lesson.md"
    lesson.write_text(lesson.read_text().replace("id: first-steps", 'id: "first-steps\\n"'))
    _repository, problems = inspect_repository(courses)
    assert "module.id" in [p.code for p in problems]


def test_courses_are_listed_in_the_order_course_yaml_gives(fixture_repo):
    courses = fixture_repo()
    import shutil

    shutil.copytree(courses / "demo", courses / "another")
    yaml = courses / "another" / "course.yaml"
    text = (
        yaml.read_text()
        .replace("first-steps", "first-steps-b")
        .replace("second-steps", "second-steps-b")
    )
    yaml.write_text("order: 1\n" + text)
    for lesson in (courses / "another").glob("*/lesson*.md"):
        lesson.write_text(
            lesson.read_text()
            .replace("id: first-steps", "id: first-steps-b")
            .replace("id: second-steps", "id: second-steps-b")
        )
    repository, problems = inspect_repository(courses)
    assert [p for p in problems if p.is_error] == []
    assert [course.id for course in repository.courses] == ["another", "demo"]  # not a, d by luck


def test_a_bad_course_order_is_an_error_at_its_line(fixture_repo):
    courses = fixture_repo()
    yaml = courses / "demo" / "course.yaml"
    yaml.write_text("order: first\n" + yaml.read_text())
    _repository, problems = inspect_repository(courses)
    assert [(p.code, p.line) for p in problems if p.is_error] == [("course.order", 1)]


def test_a_file_linked_from_outside_the_repository_is_refused(fixture_repo, tmp_path):
    root = fixture_repo()
    secret = tmp_path / "outside.md"
    secret.write_text((root / "demo/01-first/lesson.md").read_text(encoding="utf-8") + "SECRET")
    lesson = root / "demo/01-first/lesson.md"
    lesson.unlink()
    lesson.symlink_to(secret)
    _repository, problems = inspect_repository(root)
    assert [str(p) for p in problems if p.code == "file.outside"] == [
        "courses/demo/01-first/lesson.md: error: the file is a link to somewhere outside the course "
        "repository: copy the file in instead [file.outside]"
    ]
    with pytest.raises(InvalidRepository):
        load_repository(root)


def test_an_image_linked_from_outside_its_module_is_refused(fixture_repo, tmp_path):
    root = fixture_repo()
    image = root / "demo/02-second/media/square.png"
    outside = tmp_path / "elsewhere.png"
    outside.write_bytes(image.read_bytes())
    image.unlink()
    image.symlink_to(outside)
    _repository, problems = inspect_repository(root)
    messages = [str(p) for p in problems if p.code == "markdown.image-not-local"]
    assert len(messages) == 1 and "is a link to a file outside this module" in messages[0]
