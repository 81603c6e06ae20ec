import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, inspect, select

from academy.cli import sync_courses
from academy.content import InvalidRepository
from academy.db import db
from academy.models import Base, Course, MediaFile, Module, ModuleText, ModuleVersion


def snapshot() -> dict:
    """Every row of every table, to prove a sync changed nothing."""
    rows = {}
    for table in Base.metadata.sorted_tables:
        rows[table.name] = sorted(
            tuple(str(value) for value in row) for row in db.session.execute(select(table))
        )
    return rows


def bump(module_dir: Path, old: str, new: str, summary: str = "Fixed a typo") -> None:
    lesson = module_dir / "lesson.md"
    text = lesson.read_text().replace(f"\nversion: {old}\n", f"\nversion: {new}\n")
    text = text.replace(
        "changes:\n", f"changes:\n  - {{version: {new}, date: 2026-11-20, summary: {summary}}}\n"
    )
    lesson.write_text(text)


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_first_sync_loads_everything(make_app, fixture_repo):
    app = make_app(fixture_repo())
    with app.app_context():
        report = sync_courses()
        assert report.courses_added == ["demo"]
        assert report.versions_added == ["first-steps 1.0.0", "second-steps 1.1.0"]
        course = db.session.scalar(select(Course))
        assert (course.key, course.title, course.languages) == ("demo", "Demo course", ["en", "fr"])
        assert [m.key for m in course.modules] == ["first-steps", "second-steps"]
        assert count(ModuleVersion) == 2
        assert count(ModuleText) == 3  # first-steps in en and fr, second-steps in en
        assert count(MediaFile) == 1


def test_second_sync_changes_nothing(make_app, fixture_repo):
    app = make_app(fixture_repo())
    with app.app_context():
        sync_courses()
        before = snapshot()
        report = sync_courses()
        assert not report.changed
        assert report.lines() == ["Nothing to do: the database already matches the courses."]
        assert snapshot() == before


def test_version_bump_adds_a_version_and_keeps_the_old_one(make_app, fixture_repo):
    courses = fixture_repo()
    app = make_app(courses)
    with app.app_context():
        sync_courses()
        lesson = courses / "demo" / "01-first" / "lesson.md"
        lesson.write_text(lesson.read_text().replace("apples", "plums"))
        bump(courses / "demo" / "01-first", "1.0.0", "1.0.1")
        report = sync_courses()
        assert report.versions_added == ["first-steps 1.0.1"]
        module = db.session.scalar(select(Module).where(Module.key == "first-steps"))
        assert [v.version for v in module.versions] == ["1.0.0", "1.0.1"]
        assert module.current_version == "1.0.1"
        old, new = module.versions
        assert "apples" in old.text(["en"]).html and "plums" in new.text(["en"]).html
        assert old.content_hash != new.content_hash


def test_change_without_version_bump_is_refused_and_nothing_is_written(make_app, fixture_repo):
    courses = fixture_repo()
    app = make_app(courses)
    with app.app_context():
        sync_courses()
        before = snapshot()
        lesson = courses / "demo" / "01-first" / "lesson.md"
        lesson.write_text(lesson.read_text().replace("apples", "plums"))
        # A second, legitimate change in the same run must not be half-applied either.
        bump(courses / "demo" / "02-second", "1.1.0", "1.2.0")
        with pytest.raises(InvalidRepository) as caught:
            sync_courses()
        assert [str(p) for p in caught.value.problems] == [
            "courses/demo/01-first/lesson.md:4:1: error: module 'first-steps' changed, but "
            "version 1.0.0 is already published with other content: raise the version and "
            "add a 'changes' entry that tells trainees what changed [version.unchanged]"
        ]
        db.session.rollback()
        assert snapshot() == before


def test_broken_repository_leaves_the_database_untouched(make_app, fixture_repo):
    courses = fixture_repo()
    app = make_app(courses)
    with app.app_context():
        sync_courses()
        before = snapshot()
        (courses / "demo" / "course.yaml").write_text("title: [broken\n")
        with pytest.raises(InvalidRepository):
            sync_courses()
        assert snapshot() == before


def test_removed_module_is_hidden_but_kept(make_app, fixture_repo):
    courses = fixture_repo()
    app = make_app(courses)
    with app.app_context():
        sync_courses()
        yaml = courses / "demo" / "course.yaml"
        yaml.write_text(yaml.read_text().replace("  - second-steps\n", ""))
        shutil.rmtree(courses / "demo" / "02-second")
        report = sync_courses()
        assert report.retired == ["second-steps"]
        module = db.session.scalar(select(Module).where(Module.key == "second-steps"))
        assert module is not None and not module.listed
        assert count(ModuleVersion) == 2


def test_renamed_module_folder_keeps_its_identity(make_app, fixture_repo):
    courses = fixture_repo()
    app = make_app(courses)
    with app.app_context():
        sync_courses()
        public_id = db.session.scalar(select(Module.public_id).where(Module.key == "first-steps"))
        (courses / "demo" / "01-first").rename(courses / "demo" / "01-renamed")
        report = sync_courses()
        assert not report.changed
        assert (
            db.session.scalar(select(Module.public_id).where(Module.key == "first-steps"))
            == public_id
        )


def test_cli_sync_reports_problems_and_exits_non_zero(make_app, fixture_repo):
    app = make_app(fixture_repo("broken/bad-version"))
    result = app.test_cli_runner().invoke(args=["sync"])
    assert result.exit_code == 1
    assert "courses/tiny/01-alpha/lesson.md:4:1: error: version '1.0' is not a semantic" in (
        result.output
    )
    assert "Sync stopped: 2 problems to fix. The database was not changed." in result.output
    assert "Traceback" not in result.output
    with app.app_context():
        assert count(Course) == 0


def test_cli_sync_twice(make_app, fixture_repo):
    app = make_app(fixture_repo())
    runner = app.test_cli_runner()
    first = runner.invoke(args=["sync"])
    assert first.exit_code == 0, first.output
    assert "published: first-steps 1.0.0" in first.output
    second = runner.invoke(args=["sync"])
    assert second.exit_code == 0
    assert "Nothing to do" in second.output


def test_cli_sync_asks_for_migrations_on_an_empty_database(tmp_path, fixture_repo):
    from academy import create_app

    app = create_app(
        {
            "SECRET_KEY": "x",
            "ACADEMY_COURSES_DIR": str(fixture_repo()),
            "ACADEMY_DATABASE_URL": f"sqlite:///{tmp_path}/new.sqlite3",
        }
    )
    result = app.test_cli_runner().invoke(args=["sync"])
    assert result.exit_code == 1
    assert "run 'academy db upgrade'" in result.output
    upgrade = app.test_cli_runner().invoke(args=["db", "upgrade"])
    assert upgrade.exit_code == 0
    with app.app_context():
        assert "module_version" in inspect(db.engine).get_table_names()


def test_empty_repository_is_refused_instead_of_hiding_every_course(
    make_app, fixture_repo, tmp_path
):
    app = make_app(fixture_repo())
    with app.app_context():
        sync_courses()
        before = snapshot()
        empty = tmp_path / "empty" / "courses"
        empty.mkdir(parents=True)
        with pytest.raises(InvalidRepository) as caught:
            sync_courses(empty)
        assert [p.code for p in caught.value.problems] == ["repository.empty"]
        db.session.rollback()
        assert snapshot() == before


def test_going_back_to_an_older_version_is_refused(make_app, fixture_repo):
    courses = fixture_repo()
    app = make_app(courses)
    lesson = courses / "demo" / "01-first" / "lesson.md"
    original = lesson.read_text()
    with app.app_context():
        sync_courses()
        lesson.write_text(original.replace("apples", "plums"))
        bump(courses / "demo" / "01-first", "1.0.0", "1.1.0")
        sync_courses()
        lesson.write_text(original)  # a revert in git
        with pytest.raises(InvalidRepository) as caught:
            sync_courses()
        assert [str(p) for p in caught.value.problems] == [
            "courses/demo/01-first/lesson.md:4:1: error: version 1.0.0 is lower than 1.1.0, "
            "which is already published: to undo a change, publish it as a new, higher version "
            "[version.lowered]"
        ]


def test_the_publication_number_rises_only_when_a_sync_changes_something(make_app, fixture_repo):
    from academy.learn.queries import publication_number

    courses = fixture_repo()
    app = make_app(courses)
    with app.app_context():
        assert publication_number(db.session) is None  # nothing published yet
        sync_courses()
        first = publication_number(db.session)
        sync_courses()  # the same files: cached pages stay good
        assert publication_number(db.session) == first
        bump(courses / "demo" / "01-first", "1.0.0", "1.0.1")
        sync_courses()
        assert publication_number(db.session) == first + 1
