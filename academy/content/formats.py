"""Ways to print a checker report: for people, for GitHub Actions, and for tools."""

from __future__ import annotations

import json

from academy.content.checker import Report


def _plural(count: int, word: str) -> str:
    """`1 error`, `2 errors`."""
    return f"{count} {word}{'' if count == 1 else 's'}"


def as_text(report: Report) -> str:
    """One `path:line:col: severity: message [check-id]` line per problem, then a summary."""
    lines = [str(problem) for problem in report.problems]
    checked = f"{_plural(report.modules, 'module')} checked"
    if report.problems:
        lines.append(
            f"{_plural(report.errors, 'error')} and "
            f"{_plural(report.warnings, 'warning')}; {checked}."
        )
    else:
        lines.append(f"No problems; {checked}.")
    return "\n".join(lines)


def _escape(value: str, *, property_value: bool = False) -> str:
    """Escape text for a GitHub Actions workflow command."""
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_value:
        value = value.replace(":", "%3A").replace(",", "%2C")
    return value


def as_github(report: Report) -> str:
    """GitHub Actions annotations, shown on the pull request's changed lines."""
    lines = []
    for problem in report.problems:
        place = [f"file={_escape(problem.path, property_value=True)}"]
        if problem.line:
            place += [f"line={problem.line}", f"col={problem.column}"]
        place.append(f"title={_escape(problem.code, property_value=True)}")
        lines.append(f"::{problem.severity} {','.join(place)}::{_escape(problem.message)}")
    lines.append(
        as_text(Report([], report.modules))
        if not report.problems
        else as_text(report).splitlines()[-1]
    )
    return "\n".join(lines)


def as_json(report: Report) -> str:
    """Every problem as an object, with the counts, for other tools."""
    return json.dumps(
        {
            "problems": [
                {
                    "path": p.path,
                    "line": p.line,
                    "column": p.column,
                    "severity": p.severity,
                    "code": p.code,
                    "message": p.message,
                }
                for p in report.problems
            ],
            "errors": report.errors,
            "warnings": report.warnings,
            "modules": report.modules,
        },
        indent=2,
        ensure_ascii=False,
    )


FORMATS = {"text": as_text, "github": as_github, "json": as_json}
