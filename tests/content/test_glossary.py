"""Glossaries: translations use the agreed word for each key term, or the checker says so."""

from academy.content import inspect_repository


def _problems(courses):
    _repository, problems = inspect_repository(courses)
    return [(p.path, p.line, p.code, p.severity, p.message) for p in problems]


def test_a_translation_that_skips_the_agreed_word_gets_a_warning(fixture_repo):
    courses = fixture_repo()
    (courses / "glossary.fr.yaml").write_text(
        "apples: pommes\nlesson: [leçon, cours]\nsection: partie\n"
    )
    (courses / "demo" / "01-first" / "lesson.fr.md").write_text(
        (courses / "demo" / "01-first" / "lesson.fr.md").read_text().replace("pommes", "fruits")
    )
    glossary = [p for p in _problems(courses) if p[2] == "translation.glossary"]
    assert glossary == [
        (
            "courses/demo/01-first/lesson.fr.md",
            0,
            "translation.glossary",
            "warning",
            "lesson.md says 'apples', but this translation never uses the glossary's 'pommes' "
            "(glossary.fr.yaml line 1)",
        ),
        (
            "courses/demo/01-first/lesson.fr.md",
            0,
            "translation.glossary",
            "warning",
            "lesson.md says 'section', but this translation never uses the glossary's 'partie' "
            "(glossary.fr.yaml line 3)",
        ),
    ]


def test_any_accepted_form_will_do_and_terms_the_lesson_lacks_are_ignored(fixture_repo):
    courses = fixture_repo()
    (courses / "glossary.fr.yaml").write_text(
        "apples: [pomme, pommes]\nlesson: [leçon, cours]\ncherries: cerises\n"
    )
    assert [p for p in _problems(courses) if p[2] == "translation.glossary"] == []


def test_a_badly_written_glossary_is_an_error_at_its_line(fixture_repo):
    courses = fixture_repo()
    (courses / "glossary.fr.yaml").write_text("apples: pommes\nlesson: []\npears: {a: b}\n")
    format_errors = [(p[1], p[3]) for p in _problems(courses) if p[2] == "glossary.format"]
    assert format_errors == [(2, "error"), (3, "error")]
