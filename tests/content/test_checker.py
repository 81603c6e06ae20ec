import json
import subprocess
from pathlib import Path

import pytest

from academy.content.checker import PAGE_BUDGET, check_repository
from academy.content.formats import as_github, as_json, as_text
from academy.content.gitbase import git_base
from tests.conftest import FIXTURES, REPO_ROOT

EXPECTED = {
    "link-anchor": "courses/tiny/01-alpha/lesson.md:16:1: error: the link '#s9' points at no "
    "heading on this page: sections are numbered #s1, #s2... in the order they appear "
    "[link.anchor]",
    "link-broken": "courses/tiny/01-alpha/lesson.md:14:1: error: the link "
    "'../02-beta/lesson.md' leads to no file [link.broken]",
    "link-unserved": "courses/tiny/01-alpha/lesson.md:14:1: error: the link 'handout.md' goes to a "
    "file that trainees cannot open: name the lesson in words instead [link.unserved]",
    "media-unused": "courses/tiny/01-alpha/media/old.png: warning: no lesson uses this file: use "
    "it or delete it [media.unused]",
    "media-too-large": "courses/tiny/01-alpha/media/noise.png: warning: the image is 36 KB: make "
    "it 30 KB or less (smaller size or stronger compression) [media.too-large]",
    "translation-unknown-version": "courses/tiny/01-alpha/lesson.fr.md:3:1: error: "
    "translation_of names version 0.9.0, which lesson.md never had (its versions: 1.0.0) "
    "[translation.unknown-version]",
    "translation-behind": "courses/tiny/01-alpha/lesson.fr.md:3:1: warning: this translation "
    "follows version 1.0.0; lesson.md is now 1.1.0: see its 'changes' and update it "
    "[translation.behind]",
    "translation-status": "courses/tiny/01-alpha/lesson.fr.md:4:1: error: 'status' must be one "
    "of: draft, reviewed [frontmatter.status]",
    "long-sentences": "courses/tiny/01-alpha/lesson.md: warning: sentences average 45 words: "
    "aim for 20 or fewer, one idea per sentence [language.long-sentences]",
    "hard-to-read": "courses/tiny/01-alpha/lesson.md: warning: reading level (LIX) is 104: aim "
    "for 45 or less, with shorter words and sentences [language.hard-to-read]",
}


def test_every_check_fixture_has_an_expected_message():
    assert sorted(EXPECTED) == sorted(p.name for p in (FIXTURES / "checks").iterdir())


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_each_check_reports_its_problem_with_its_location(fixture_repo, case):
    report = check_repository(fixture_repo(f"checks/{case}"))
    assert EXPECTED[case] in [str(problem) for problem in report.problems]


def test_the_real_courses_pass_strictly():
    report = check_repository(REPO_ROOT / "courses")
    assert [str(p) for p in report.problems] == []
    assert report.modules >= 2 and not report.failed(strict=True)


def test_checker_collects_loader_errors_and_warnings_together(fixture_repo):
    report = check_repository(fixture_repo("broken/unknown-field"))
    assert report.errors == 2 and report.failed()
    good = check_repository(fixture_repo())
    assert good.errors == 0 and good.warnings == 1
    assert not good.failed() and good.failed(strict=True)


def test_a_heavy_lesson_is_warned_about(fixture_repo):
    courses = fixture_repo("checks/link-broken")
    lesson = courses / "tiny" / "01-alpha" / "lesson.md"
    words = " ".join(f"w{n * 7919 % 100003:x}" for n in range(6000))  # barely compressible
    lesson.write_text(
        lesson.read_text().replace("See [the other lesson](../02-beta/lesson.md).", f"{words}.")
    )
    (problem,) = [p for p in check_repository(courses).problems if p.code == "page.too-heavy"]
    assert f"over the {PAGE_BUDGET // 1024} KB budget" in problem.message


def test_only_keeps_problems_under_the_given_folder(fixture_repo):
    courses = fixture_repo("broken/duplicate-across-courses")
    everything = check_repository(courses)
    assert [p.path for p in everything.problems] == ["courses/two/01-alpha/lesson.md"]
    assert check_repository(courses, only=courses / "one").problems == []


def test_published_content_cannot_change_under_the_same_version(fixture_repo):
    courses = fixture_repo()
    report = check_repository(courses, published=lambda module_id: {"1.0.0": "0" * 64})
    assert [p.code for p in report.problems if p.is_error] == ["version.unchanged"]
    assert report.problems[0].path == "courses/demo/01-first/lesson.md"


def git(cwd: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
    )


@pytest.fixture
def git_courses(fixture_repo):
    courses = fixture_repo()
    git(courses.parent, "init", "-q")
    git(courses.parent, "add", ".")
    git(courses.parent, "commit", "-q", "-m", "base")
    return courses


def edit(lesson: Path, old: str, new: str) -> None:
    lesson.write_text(lesson.read_text().replace(old, new, 1))


def test_base_change_without_bump_is_an_error(git_courses):
    lesson = git_courses / "demo" / "01-first" / "lesson.md"
    edit(lesson, "apples", "plums")
    report = check_repository(git_courses, base=git_base(git_courses, "HEAD"))
    assert [str(p) for p in report.problems if p.is_error] == [
        "courses/demo/01-first/lesson.md:4:1: error: this module changed but its version is "
        "still 1.0.0: raise it and add a 'changes' entry [version.not-bumped]"
    ]


def test_base_new_untracked_file_counts_as_a_change(git_courses):
    (git_courses / "demo" / "02-second" / "handout.md").write_text("Handout\n")
    report = check_repository(git_courses, base=git_base(git_courses, "HEAD"))
    assert [p.code for p in report.problems if p.is_error] == ["version.not-bumped"]


def test_base_bumped_or_unchanged_modules_pass(git_courses):
    lesson = git_courses / "demo" / "01-first" / "lesson.md"
    edit(lesson, "apples", "plums")
    edit(lesson, "version: 1.0.0", "version: 1.0.1")
    edit(lesson, "changes:\n", "changes:\n  - {version: 1.0.1, date: 2026-11-20, summary: Fix}\n")
    report = check_repository(git_courses, base=git_base(git_courses, "HEAD"))
    assert report.errors == 0


def test_base_version_may_not_go_down(git_courses):
    lesson = git_courses / "demo" / "02-second" / "lesson.md"
    edit(lesson, "version: 1.1.0", "version: 1.0.0")
    report = check_repository(git_courses, base=git_base(git_courses, "HEAD"))
    assert [p.code for p in report.problems if p.is_error] == ["version.lowered"]


def test_unknown_base_is_a_clear_error(git_courses):
    from academy.content import ContentError

    with pytest.raises(ContentError, match="git cannot find 'origin/nope'"):
        git_base(git_courses, "origin/nope")


def test_text_format_ends_with_a_summary(fixture_repo):
    text = as_text(check_repository(fixture_repo("broken/bad-version")))
    assert text.splitlines()[-1] == "2 errors and 0 warnings; 0 modules checked."
    assert as_text(check_repository(REPO_ROOT / "courses")).startswith("No problems;")


def test_github_format_is_workflow_annotations(fixture_repo):
    lines = as_github(check_repository(fixture_repo("broken/bad-version"))).splitlines()
    assert lines[0] == (
        "::error file=courses/tiny/01-alpha/lesson.md,line=4,col=1,title=module.version::"
        "version '1.0' is not a semantic version: write MAJOR.MINOR.PATCH, for example 1.0.0"
    )


def test_json_format_lists_problems_and_counts(fixture_repo):
    data = json.loads(as_json(check_repository(fixture_repo())))
    assert data["errors"] == 0 and data["warnings"] == 1 and data["modules"] == 2
    assert data["problems"][0]["code"] == "markdown.vague-link"
    assert data["problems"][0]["line"] == 18
