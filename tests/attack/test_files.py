"""Attacks through files: path traversal, hostile course files, huge bodies, PDF metadata."""

import io
import re

import pytest
from pypdf import PdfReader

from academy.cli import sync_courses
from academy.content import InvalidRepository
from tests.attack.conftest import snapshot

# Text that only files outside the site's content contain: none may ever be served.
OUTSIDE = [b"root:", b"SECRET_KEY", b"DEFAULTS", b"import "]


@pytest.mark.parametrize(
    "path",
    [
        "/media/../../academy/config.py",
        "/media/..%2f..%2facademy%2fconfig.py",
        "/media/%2e%2e/%2e%2e/academy/config.py",
        "/media/%252e%252e%252f%252e%252e%252facademy%252fconfig.py",
        "/media/..\\..\\academy\\config.py",
        "/media//etc/passwd",
        "/static/../academy/config.py",
        "/academy-..%2f..%2facademy%2fconfig.css",
    ],
    ids=[
        "dot-dot",
        "encoded-slashes",
        "encoded-dots",
        "double-encoded",
        "backslashes",
        "absolute-path",
        "static-folder",
        "stylesheet-route",
    ],
)
def test_path_traversal_never_reaches_a_file_outside(client, path):
    response = client.get(path, follow_redirects=True)
    assert response.status_code == 404
    body = response.get_data()
    for marker in OUTSIDE:
        assert marker not in body, marker


def _outside_copy(courses, relative: str, extra: bytes = b"") -> None:
    """Move a course file outside the course root and leave a symlink to it in its place."""
    inside = courses / relative
    outside = courses.parent / ("outside-" + inside.name)
    outside.write_bytes(inside.read_bytes() + extra)
    inside.unlink()
    inside.symlink_to(outside)


@pytest.mark.parametrize(
    "relative",
    ["demo/02-second/lesson.md", "demo/02-second/media/square.png"],
    ids=["lesson-file", "media-file"],
)
def test_course_file_symlinked_outside_the_repository_is_refused(make_app, fixture_repo, relative):
    courses = fixture_repo()
    # A pull request can add a symlink; on the server it could point at any file there.
    _outside_copy(
        courses, relative, b"\nOUTSIDE-THE-COURSES\n" if relative.endswith(".md") else b""
    )
    app = make_app(courses)
    before = snapshot(app)
    with app.app_context(), pytest.raises(InvalidRepository):
        sync_courses()
    assert snapshot(app) == before
    check = app.test_cli_runner().invoke(args=["check", str(courses)])
    assert check.exit_code == 1
    assert "02-second" in check.output and "outside" in check.output


@pytest.mark.parametrize(
    ("relative", "line"),
    [
        ("demo/course.yaml", "summary: !!python/object/apply:os.system ['touch {marker}']\n"),
        ("demo/01-first/lesson.md", "title: !!python/object/new:os.system ['touch {marker}']\n"),
    ],
    ids=["course-yaml", "lesson-front-matter"],
)
def test_yaml_python_tags_are_refused_and_never_run(
    make_app, fixture_repo, tmp_path, relative, line
):
    courses = fixture_repo()
    marker = tmp_path / "yaml-ran"
    path = courses / relative
    key = line.split(":", 1)[0]
    # Replace the real value of the key, so this tag is the file's only problem.
    text = re.sub(
        rf"^{key}: .*\n", line.format(marker=marker), path.read_text(), count=1, flags=re.M
    )
    path.write_text(text)
    app = make_app(courses)
    before = snapshot(app)
    with app.app_context(), pytest.raises(InvalidRepository) as refused:
        sync_courses()
    assert relative.split("/")[-1] in str(refused.value)
    assert not marker.exists()
    assert snapshot(app) == before


def test_oversized_request_bodies_are_refused_with_413(app, client):
    assert app.config["MAX_CONTENT_LENGTH"] == 64 * 1024
    before = snapshot(app)
    huge = "x" * 100_000
    for path, data in [
        ("/join", {"username": "rose", "password": huge}),
        ("/sign-in", {"username": "rose", "password": huge}),
    ]:
        response = client.post(path, data=data)
        assert response.status_code == 413, path
        assert "That was too much to send" in response.get_data(as_text=True)
    assert snapshot(app) == before


def test_downloads_carry_neutral_names_and_pdf_metadata(site):
    topic = ["demo", "first", "second", "steps", "tuesday", "fatima", "rose"]
    for client, path in [
        (site.rose, f"/m/{site.first}/handout.pdf"),
        (site.fatima, f"/f/m/{site.first}/pack.pdf"),
        (site.fatima, f"/f/c/{site.course}/pack.pdf"),
        (site.fatima, f"/f/g/{site.cohort}/slip.pdf"),
        (site.fatima, f"/f/g/{site.cohort}/grid.csv"),
        (site.fatima, f"/f/g/{site.cohort}/q/{site.first}/csv"),
    ]:
        response = client.get(path)
        assert response.status_code == 200, path
        disposition = response.headers["Content-Disposition"]
        name = re.fullmatch(r'(?:inline|attachment); filename="([a-z0-9.-]+)"', disposition)
        assert name is not None, disposition
        assert not any(word in name.group(1) for word in topic), disposition
        if path.endswith(".pdf"):
            metadata = PdfReader(io.BytesIO(response.get_data())).metadata or {}
            text = " ".join(str(value) for value in metadata.values()).lower()
            assert not any(word in text for word in topic), (path, metadata)
