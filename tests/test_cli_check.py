import json

from academy import create_app
from tests.conftest import REPO_ROOT


def run(tmp_path, *args):
    app = create_app(
        {
            "SECRET_KEY": "x",
            "ACADEMY_DATABASE_URL": f"sqlite:///{tmp_path}/a.db",
            "ACADEMY_COURSES_DIR": str(REPO_ROOT / "courses"),
        }
    )
    return app.test_cli_runner().invoke(args=["check", *map(str, args)])


def test_real_courses_pass_strict_check(tmp_path):
    result = run(tmp_path, "--strict")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("No problems;")


def test_errors_fail_and_warnings_fail_only_when_strict(tmp_path, fixture_repo):
    broken = run(tmp_path, fixture_repo("broken/bad-version"))
    assert broken.exit_code == 1
    assert "courses/tiny/01-alpha/lesson.md:4:1: error: version '1.0'" in broken.output
    warned = fixture_repo("checks/media-unused")
    assert run(tmp_path, warned).exit_code == 0
    assert run(tmp_path, warned, "--strict").exit_code == 1


def test_a_module_folder_can_be_checked_alone(tmp_path, fixture_repo):
    courses = fixture_repo("broken/duplicate-across-courses")
    assert run(tmp_path, courses / "one" / "01-alpha").exit_code == 0
    assert run(tmp_path, courses / "two" / "01-alpha").exit_code == 1


def test_json_output_for_tools(tmp_path, fixture_repo):
    result = run(tmp_path, fixture_repo(), "--format", "json")
    assert json.loads(result.output)["warnings"] == 1


def test_unknown_git_base_is_a_usage_error(tmp_path):
    result = run(tmp_path, "--base", "no-such-ref")
    assert result.exit_code == 2
    assert "git cannot find 'no-such-ref'" in result.output
    assert "Traceback" not in result.output


def test_new_course_and_module_from_the_command_line(tmp_path):
    courses = tmp_path / "courses"
    courses.mkdir()
    app = create_app(
        {
            "SECRET_KEY": "x",
            "ACADEMY_DATABASE_URL": f"sqlite:///{tmp_path}/a.db",
            "ACADEMY_COURSES_DIR": str(courses),
        }
    )
    runner = app.test_cli_runner()
    made = runner.invoke(args=["new", "course", "street-safety"])
    assert made.exit_code == 0, made.output
    added = runner.invoke(
        args=["new", "module", "street-safety", "bad-dates", "--title", "Warning lists"]
    )
    assert added.exit_code == 0, added.output
    assert (courses / "street-safety" / "02-bad-dates" / "lesson.md").is_file()
    again = runner.invoke(args=["new", "module", "street-safety", "bad-dates"])
    assert again.exit_code == 1 and "Traceback" not in again.output
    checked = runner.invoke(args=["check", "--strict"])
    assert checked.exit_code == 0, checked.output
    assert "2 modules checked" in checked.output
