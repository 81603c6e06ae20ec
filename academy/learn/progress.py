"""Where a trainee stands in each module: new, opened, passed, or updated since they passed."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from academy.content.versions import parse_version
from academy.learn.queries import ModuleEntry
from academy.models import ModuleProgress, User


@dataclass
class ModuleState:
    """One module's state for one trainee."""

    status: str  # "new", "opened", "passed" or "updated"
    best_percent: int | None = None
    passed_version: str | None = None
    # The `changes` entries between the version passed and the current one, newest first.
    changes_since: list[dict] = field(default_factory=list)

    @property
    def done(self) -> bool:
        """True once the module's quiz was passed, on this version or an earlier one."""
        return self.status in ("passed", "updated")


def module_states(
    session: Session, user: User | None, entries: list[ModuleEntry]
) -> dict[int, ModuleState]:
    """Each entry's state by module id; everything is "new" for a guest."""
    if user is None or not entries:
        return {entry.module.id: ModuleState("new") for entry in entries}
    rows = session.scalars(
        select(ModuleProgress)
        .where(
            ModuleProgress.user_id == user.id,
            ModuleProgress.module_id.in_([entry.module.id for entry in entries]),
        )
        .options(selectinload(ModuleProgress.passed_version))
    )
    progress = {row.module_id: row for row in rows}
    return {entry.module.id: state_of(entry, progress.get(entry.module.id)) for entry in entries}


def state_of(entry: ModuleEntry, progress: ModuleProgress | None) -> ModuleState:
    """The state of one module from its progress row."""
    if progress is None:
        return ModuleState("new")
    passed = progress.passed_version
    # A module without a quiz is done once read.
    if passed is None and entry.text.quiz is None:
        return ModuleState("passed", passed_version=entry.version.version)
    if passed is None:
        return ModuleState("opened", progress.best_percent)
    since = parse_version(passed.version)
    # A patch release (1.1.0 to 1.1.1) changes nothing a trainee must learn again: a typo, a
    # facilitator guide. Only a new minor or major version asks them to look again.
    if since[:2] == parse_version(entry.version.version)[:2]:
        return ModuleState("passed", progress.best_percent, passed.version)
    changes = [
        change
        for change in entry.version.changes
        if (parse_version(str(change.get("version"))) or since) > since
    ]
    return ModuleState("updated", progress.best_percent, passed.version, changes)


def course_complete(states: dict[int, ModuleState]) -> bool:
    """A course is complete when every module's quiz is passed."""
    return bool(states) and all(state.done for state in states.values())


def done_per_course(
    entries: dict[int, list[ModuleEntry]], states: dict[int, ModuleState]
) -> dict[int, int]:
    """For each course id, how many of its modules are done."""
    return {
        course_id: sum(states[entry.module.id].done for entry in course_entries)
        for course_id, course_entries in entries.items()
    }
