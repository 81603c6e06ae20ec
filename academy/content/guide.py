"""Facilitator guides (`facilitator.md`): a session plan whose timed agenda must add up."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from academy.content.errors import Problem
from academy.content.markdown import parse_tokens, render_markdown
from academy.content.yamlfile import YamlError, split_front_matter

GUIDE_KEYS = {"total_minutes", "materials"}
# The agenda's heading, in the languages guides are written in (a translation may keep "Agenda").
AGENDA_HEADINGS = {"agenda", "programme", "programa", "orden del día", "программа", "план"}


@dataclass
class AgendaItem:
    """One timed step of the session."""

    minutes: int
    activity: str
    method: str
    line: int


@dataclass
class Guide:
    """A session plan: its total time, materials, agenda and the rendered guide."""

    total_minutes: int
    materials: list[str]
    agenda: list[AgendaItem] = field(default_factory=list)
    html: str = ""


def guide_to_data(guide: Guide) -> dict:
    """The guide as plain JSON-able data, to store with a published version."""
    return asdict(guide)


def guide_from_data(data: dict) -> Guide:
    """Rebuild a guide stored by guide_to_data."""
    agenda = [AgendaItem(**item) for item in data["agenda"]]
    return Guide(data["total_minutes"], data["materials"], agenda, data["html"])


def parse_guide(text: str, path: str, language: str = "en") -> tuple[Guide | None, list[Problem]]:
    """Parse a facilitator guide; returns no guide when it has errors."""
    problems: list[Problem] = []

    def report(line: int, message: str, code: str) -> None:
        problems.append(Problem(path, line, message, code))

    try:
        split = split_front_matter(text)
    except YamlError as exc:
        return None, [Problem(path, exc.line, exc.message, "yaml.syntax")]
    meta = split.meta
    data = meta.data if isinstance(meta.data, dict) else {}
    for key in data:
        if key not in GUIDE_KEYS:
            report(
                meta.line_of(str(key)),
                f"unknown field '{key}' (known fields: {', '.join(sorted(GUIDE_KEYS))})",
                "guide.unknown-key",
            )
    total = data.get("total_minutes")
    if isinstance(total, bool) or not isinstance(total, int) or total <= 0:
        report(
            meta.line_of("total_minutes"),
            "total_minutes is required: the length of the whole session, in minutes",
            "guide.total-minutes",
        )
        total = 0
    materials = data.get("materials", [])
    if not isinstance(materials, list) or not all(isinstance(m, str) for m in materials):
        report(
            meta.line_of("materials"),
            "materials must be a list, one item per line",
            "guide.materials",
        )
        materials = []
    agenda = _agenda(split.body, split.body_first_line, report)
    if total and agenda and sum(item.minutes for item in agenda) != total:
        added = " + ".join(str(item.minutes) for item in agenda)
        report(
            agenda[0].line,
            f"the agenda adds up to {added} = "
            f"{sum(item.minutes for item in agenda)} minutes, but total_minutes is {total}",
            "guide.minutes-mismatch",
        )
    rendered = render_markdown(
        split.body,
        path=path,
        first_line=split.body_first_line,
        audience="facilitator",
        language=language,
    )
    problems += rendered.problems
    guide = Guide(total, list(materials), agenda, rendered.html)
    return (None if any(p.is_error for p in problems) else guide), problems


def _agenda(body: str, first_line: int, report) -> list[AgendaItem]:
    """Rows of the first table after an `## Agenda` heading: minutes, activity, method."""
    tokens = parse_tokens(body)
    in_agenda, items, row, row_line, seen_table = False, [], [], 0, False
    in_head = False
    for index, token in enumerate(tokens):
        if token.type == "heading_open":
            title = tokens[index + 1].content.strip().lower()
            in_agenda = token.tag == "h2" and title in AGENDA_HEADINGS
        elif in_agenda and token.type == "table_open":
            seen_table = True
        elif in_agenda and token.type == "table_close":
            in_agenda = False
        elif token.type in ("thead_open", "thead_close"):
            in_head = token.type == "thead_open"  # the header row, in whatever language
        elif in_head:
            continue
        elif in_agenda and seen_table and token.type == "tr_open":
            row, row_line = [], first_line + (token.map[0] if token.map else 0)
        elif in_agenda and seen_table and token.type == "inline":
            row.append(token.content.strip())
        elif in_agenda and seen_table and token.type == "tr_close" and row:
            if row[0].lower() in ("minutes", "min", "time"):
                continue  # the header row
            if not row[0].isdigit() or int(row[0]) <= 0:
                report(
                    row_line,
                    f"'{row[0]}' is not a number of minutes: the first column "
                    "of the agenda is minutes",
                    "guide.agenda-minutes",
                )
                continue
            items.append(AgendaItem(int(row[0]), *(row[1:3] + ["", ""])[:2], line=row_line))
    if not seen_table:
        report(
            first_line,
            "the guide needs '## Agenda' with a table: | Minutes | Activity | Method |",
            "guide.no-agenda",
        )
    return items
