import pytest

from academy.content import load_repository
from academy.content.guide import parse_guide
from tests.conftest import FIXTURES

GUIDES = FIXTURES / "guides"

EXPECTED = {
    "agenda-minutes": [
        "guides/agenda-minutes.md:9:1: error: 'ten' is not a number of minutes: the first column of the agenda is minutes [guide.agenda-minutes]",
    ],
    "materials": [
        "guides/materials.md:3:1: error: materials must be a list, one item per line [guide.materials]",
    ],
    "minutes-mismatch": [
        "guides/minutes-mismatch.md:10:1: error: the agenda adds up to 10 + 40 = 50 minutes, but total_minutes is 60 [guide.minutes-mismatch]",
    ],
    "no-agenda": [
        "guides/no-agenda.md:4:1: error: the guide needs '## Agenda' with a table: | Minutes | Activity | Method | [guide.no-agenda]",
    ],
    "total-minutes": [
        "guides/total-minutes.md:2:1: error: total_minutes is required: the length of the whole session, in minutes [guide.total-minutes]",
    ],
    "unknown-key": [
        "guides/unknown-key.md:3:1: error: unknown field 'room' (known fields: materials, total_minutes) [guide.unknown-key]",
    ],
}

GOOD = """---
total_minutes: 45
materials: [Flip chart, Markers]
---

Before the session, read the lesson.

## Agenda

| Minutes | Activity | Method |
|---:|---|---|
| 10 | Welcome and ground rules | Whole group |
| 25 | The five legal models | Small groups |
| 10 | Paper quiz | Alone |

## Safety in the room

::: facilitator
Nobody has to say where they work.
:::
"""


def test_every_guide_fixture_has_an_expected_message():
    assert sorted(EXPECTED) == sorted(p.stem for p in GUIDES.glob("*.md"))


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_each_guide_check_points_at_its_line(case):
    guide, problems = parse_guide((GUIDES / f"{case}.md").read_text(), f"guides/{case}.md")
    assert [str(p) for p in problems] == EXPECTED[case]
    assert guide is None


def test_a_good_guide_has_its_agenda_and_facilitator_notes():
    guide, problems = parse_guide(GOOD, "facilitator.md")
    assert problems == []
    assert guide.total_minutes == 45 and guide.materials == ["Flip chart", "Markers"]
    assert [(i.minutes, i.activity, i.method) for i in guide.agenda] == [
        (10, "Welcome and ground rules", "Whole group"),
        (25, "The five legal models", "Small groups"),
        (10, "Paper quiz", "Alone"),
    ]
    assert "Nobody has to say where they work." in guide.html


def test_modules_carry_their_guides(fixture_repo):
    courses = fixture_repo()
    (courses / "demo" / "01-first" / "facilitator.md").write_text(GOOD)
    module = load_repository(courses).courses[0].modules[0]
    assert module.guides["en"].total_minutes == 45


def test_a_translated_guide_may_name_its_agenda_and_columns_in_its_own_language():
    from academy.content.guide import parse_guide

    text = (
        "---\ntotal_minutes: 15\n---\n\n## Программа\n\n"
        "| Мин. | Что делаем | Как |\n|---:|---|---|\n| 10 | Знакомство | Все вместе |\n"
        "| 5 | Тест | В парах |\n"
    )
    guide, problems = parse_guide(text, "facilitator.ru.md", "ru")
    assert problems == []
    assert [(item.minutes, item.activity) for item in guide.agenda] == [
        (10, "Знакомство"),
        (5, "Тест"),
    ]
