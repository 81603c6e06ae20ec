from academy.content import content_hash, parse_version
from academy.content.versions import Version


def test_semantic_versions_parse_and_sort_numerically():
    assert parse_version("1.10.0") > parse_version("1.9.3")
    assert str(parse_version("2.0.1")) == "2.0.1"
    assert parse_version("0.1.0") == Version(0, 1, 0)


def test_anything_but_major_minor_patch_is_refused():
    for text in ["1.0", "v1.0.0", "1.0.0-beta", "01.0.0", "", "one", None, 1.0]:
        assert parse_version(text) is None, text


def test_hash_changes_with_any_file_of_the_module(tmp_path):
    (tmp_path / "lesson.md").write_text("hello")
    (tmp_path / "media").mkdir()
    (tmp_path / "media" / "a.png").write_bytes(b"\x89PNG")
    first = content_hash(tmp_path)
    assert content_hash(tmp_path) == first
    (tmp_path / "media" / "a.png").write_bytes(b"\x89PNG!")
    assert content_hash(tmp_path) != first


def test_hash_notices_a_renamed_file(tmp_path):
    (tmp_path / "quiz.md").write_text("q")
    before = content_hash(tmp_path)
    (tmp_path / "quiz.md").rename(tmp_path / "handout.md")
    assert content_hash(tmp_path) != before


def test_hash_ignores_hidden_files(tmp_path):
    (tmp_path / "lesson.md").write_text("hello")
    before = content_hash(tmp_path)
    (tmp_path / ".DS_Store").write_bytes(b"junk")
    assert content_hash(tmp_path) == before
