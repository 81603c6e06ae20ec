"""handout.md: plain Markdown for one or two printed pages, checked like every course file."""

from academy.content import inspect_repository, load_repository


def _problems(courses):
    _repository, problems = inspect_repository(courses)
    return [(p.path, p.line, p.code, p.severity) for p in problems]


def test_a_handout_is_rendered_per_language_with_the_original_as_fallback(fixture_repo):
    repository = load_repository(fixture_repo())
    module = repository.courses[0].modules[0]
    assert set(module.handouts) == {"en"}
    assert "<p>Apples grow on trees." in module.handouts["en"]
    assert '<aside class="box note">' in module.handouts["en"]


def test_front_matter_in_a_handout_is_an_error_at_line_1(fixture_repo):
    courses = fixture_repo()
    handout = courses / "demo" / "01-first" / "handout.md"
    handout.write_text("---\ntitle: Apples\n---\n\nText.\n")
    assert ("courses/demo/01-first/handout.md", 1, "handout.front-matter", "error") in _problems(
        courses
    )


def test_a_top_level_title_gets_the_usual_heading_warning_at_its_line(fixture_repo):
    courses = fixture_repo()
    handout = courses / "demo" / "01-first" / "handout.md"
    handout.write_text("Intro.\n\n# Apples\n\nText.\n")
    assert ("courses/demo/01-first/handout.md", 3, "markdown.heading-level", "warning") in (
        _problems(courses)
    )


def test_a_handout_too_long_for_two_pages_is_a_warning(fixture_repo):
    courses = fixture_repo()
    handout = courses / "demo" / "01-first" / "handout.md"
    handout.write_text("Apples are good. " * 150)
    assert ("courses/demo/01-first/handout.md", 0, "handout.too-long", "warning") in (
        _problems(courses)
    )


def test_a_handout_in_a_language_the_course_lacks_is_reported(fixture_repo):
    courses = fixture_repo()
    (courses / "demo" / "01-first" / "handout.de.md").write_text("Äpfel.\n")
    assert ("courses/demo/01-first/handout.de.md", 0, "module.translation-language", "error") in (
        _problems(courses)
    )


def test_a_translated_handout_is_used_for_its_language(fixture_repo):
    courses = fixture_repo()
    (courses / "demo" / "01-first" / "handout.fr.md").write_text("Les pommes poussent.\n")
    module = load_repository(courses).courses[0].modules[0]
    assert "Les pommes poussent." in module.handouts["fr"]
