"""Property-based tests: the content parsers turn any input into problems, never a crash.

Bad input must give `Problem`s (or `YamlError` from the low-level YAML functions, or
`InvalidRepository` from `load_repository`), never another exception.
"""

from __future__ import annotations

import re
import struct
import tempfile
import zlib
from datetime import date
from html import unescape
from pathlib import Path

import pytest
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st
from PIL import Image

from academy.content import InvalidRepository, inspect_repository, load_repository, loader
from academy.content.loader import SLUG
from academy.content.markdown import render_markdown
from academy.content.yamlfile import YamlError, parse_yaml, split_front_matter

# -- strategies ------------------------------------------------------------------------------

YAML_FRAGMENTS = [
    "---",
    "\n---\n",
    ":",
    ": ",
    "- ",
    "[",
    "]",
    "{",
    "}",
    ", ",
    "&a ",
    "*a",
    "&a [*a]",
    "<<: *a",
    "? ",
    "!!python/object:os.system ",
    "!!python/name:os.system ",
    "!!int ",
    "!!float ",
    "!!bool ",
    "!!timestamp ",
    "!!binary ",
    "!!set ",
    "!custom ",
    "%YAML 1.1\n",
    "2026-02-30",
    "2026-11-01",
    "1.0.0",
    "0b",
    "0x",
    "~",
    "|\n",
    ">-\n",
    "#",
    "'",
    '"',
    "\\",
    "\t",
    "\n",
    "\r\n",
    "  ",
    "\x00",
    "\x85",
    "\u2028",
    "\ufeff",
    "é",
    "日本語",
    "🙂",
    "id",
    "title",
    "version",
    "modules",
]

MARKDOWN_FRAGMENTS = [
    "::: note",
    "::: facilitator",
    "::: warning Police",
    "::: tip",
    ":::",
    ":::: activity",
    "![a](media/x.png)",
    "![](media/x.png)",
    "![a](media/bad.png)",
    "![a](media/pic.bmp)",
    "![a](media/huge.png)",
    "![a](media/missing.png)",
    "![a](media/../x.png)",
    "![a](https://example.org/x.png)",
    "![a](//%5Bx)",
    "![a](/etc/passwd)",
    "![a](media/%00.png)",
    "[a](javascript:x)",
    "[a](JaVaScRiPt:alert(1))",
    "[a](java&#x73;cript:x)",
    "<javascript:alert(1)>",
    "[a](data:text/html,x)",
    "[a](https://example.org)",
    "[click here](https://example.org)",
    "[](https://example.org)",
    "[a]()",
    "[a](//evil.example)",
    "[a](#s1)",
    "[a]: javascript:x",
    "[a]",
    "#",
    "# ",
    "## ",
    "#### ",
    "|a|b|",
    "|---|---|",
    "| 1 | 2 |",
    "<script>",
    "<script>alert(1)</script>",
    "<a href='javascript:x'>",
    "`",
    "```",
    "> ",
    "- ",
    "1. ",
    "    ",
    "*",
    "_",
    "\\",
    "&amp;",
    "\n",
    "\n\n",
    "\t",
    "\x00",
    "\u2028",
    "é",
    "🙂",
]


def fragments(pieces: list[str]) -> st.SearchStrategy[str]:
    """Text glued together from meaningful fragments and bits of arbitrary text."""
    return st.lists(st.one_of(st.sampled_from(pieces), st.text(max_size=4)), max_size=30).map(
        "".join
    )


yaml_texts = st.one_of(st.text(), fragments(YAML_FRAGMENTS))
markdown_texts = st.one_of(st.text(), fragments(MARKDOWN_FRAGMENTS))

# Values yaml.safe_dump can write and yaml.safe_load reads back.
yaml_values = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(),
        st.text(max_size=20),
        st.dates(),
        st.sampled_from(["1.0.0", "2.1.3", "alpha", "en", "fr", "draft", "reviewed", ""]),
    ),
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.text(max_size=10), children, max_size=4),
    ),
    max_leaves=10,
)

# The loader's own field names, plus one it does not know.
COURSE_KEYS = [*sorted(loader.COURSE_KEYS), "extra"]
LESSON_KEYS = [*sorted(loader.LESSON_KEYS), "extra"]
TRANSLATION_KEYS = [*sorted(loader.TRANSLATION_KEYS), "extra"]


def valid_course(modules: list[str] | None = None) -> dict:
    modules = ["alpha", "beta"] if modules is None else modules
    return {"title": "Tiny", "languages": ["en", "fr"], "modules": modules}


def valid_lesson(module_id: str) -> dict:
    return {
        "id": module_id,
        "title": "Alpha",
        "version": "1.0.0",
        "minutes": 10,
        "objectives": ["Learn"],
        "changes": [{"version": "1.0.0", "date": date(2026, 11, 1), "summary": "First"}],
        "sources": ["A source"],
    }


def valid_translation() -> dict:
    return {"title": "Alpha en français", "translation_of": "1.0.0", "status": "draft"}


def mutated(base: dict, keys: list[str]) -> st.SearchStrategy[dict]:
    """`base` as is, with one field removed or changed, or with several changes."""
    removed_one = st.sampled_from(sorted(base)).map(
        lambda gone: {key: value for key, value in base.items() if key != gone}
    )
    changed_one = st.tuples(st.sampled_from(keys), yaml_values).map(
        lambda change: {**base, change[0]: change[1]}
    )
    changed_many = st.builds(
        lambda removed, changed: {
            **{key: value for key, value in base.items() if key not in removed},
            **changed,
        },
        st.sets(st.sampled_from(sorted(base))),
        st.dictionaries(st.sampled_from(keys), yaml_values, max_size=3),
    )
    return st.one_of(st.just(base), removed_one, changed_one, changed_one, changed_many)


def yaml_document(base: dict, keys: list[str]) -> st.SearchStrategy[str]:
    """YAML text: mostly a mutated valid mapping, sometimes any value or raw YAML-ish text."""
    dumped = st.one_of(mutated(base, keys), mutated(base, keys), mutated(base, keys), yaml_values)
    return st.one_of(
        dumped.map(lambda data: yaml.safe_dump(data, allow_unicode=True, sort_keys=False)),
        dumped.map(lambda data: yaml.safe_dump(data, allow_unicode=True, sort_keys=False)),
        yaml_texts,
    )


def markdown_file(base: dict, keys: list[str]) -> st.SearchStrategy[str]:
    """A Markdown file whose front matter is random, and sometimes missing or unclosed."""
    return st.builds(
        lambda meta, body, shape: {
            "ok": f"---\n{meta}\n---\n{body}",
            "unclosed": f"---\n{meta}\n{body}",
            "none": f"{meta}\n{body}",
        }[shape],
        yaml_document(base, keys),
        st.one_of(st.just("Hello.\n"), markdown_texts),
        st.sampled_from(["ok", "ok", "ok", "unclosed", "none"]),
    )


def valid_file(meta: dict, body: str = "Hello.\n") -> str:
    return f"---\n{yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)}---\n{body}"


def half_valid(valid: str, other: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """`valid` half the time, else a draw from `other` (one_of would weigh by branch count)."""
    return st.booleans().flatmap(lambda ok: st.just(valid) if ok else other)


# Each file is valid half the time, so that later stages (modules, translations) run.
course_files = half_valid(
    yaml.safe_dump(valid_course()), yaml_document(valid_course(), COURSE_KEYS)
)
lesson_files = st.sampled_from(["alpha", "beta"]).flatmap(
    lambda module_id: half_valid(
        valid_file(valid_lesson(module_id)),
        markdown_file(valid_lesson(module_id), LESSON_KEYS),
    )
)
translation_files = st.one_of(
    st.none(),
    half_valid(
        valid_file(valid_translation(), "Bonjour.\n"),
        markdown_file(valid_translation(), TRANSLATION_KEYS),
    ),
)
# One or two module folders: lesson.md, and maybe lesson.fr.md.
module_files = st.lists(st.tuples(lesson_files, translation_files), min_size=1, max_size=2)


# -- helpers ---------------------------------------------------------------------------------


def png_header(width: int, height: int) -> bytes:
    """A PNG with only a header: enough for Pillow to read its size without decoding."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IEND", b"")


@pytest.fixture(scope="module")
def module_dir(tmp_path_factory) -> Path:
    """A module folder whose media/ holds a good PNG, a BMP, a non-image and a huge PNG."""
    folder = tmp_path_factory.mktemp("module")
    media = folder / "media"
    media.mkdir()
    Image.new("RGB", (4, 3)).save(media / "x.png")
    Image.new("RGB", (4, 3)).save(media / "pic.bmp")
    (media / "bad.png").write_text("not an image")
    # Over twice Pillow's MAX_IMAGE_PIXELS: Image.open raises DecompressionBombError.
    (media / "huge.png").write_bytes(png_header(20_000, 20_000))
    return folder


SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):")


def href_scheme(href: str) -> str:
    """The scheme a browser would see in an href attribute value, or ''."""
    url = unescape(href)
    # As the URL standard does: drop tabs and newlines, trim C0 controls and spaces.
    url = re.sub(r"[\t\n\r]", "", url).strip("".join(map(chr, range(0x21))))
    match = SCHEME.match(url.lower())
    return match.group(1) if match else ""


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


# -- 1. YAML ---------------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(text=yaml_texts, first_line=st.integers(1, 50))
@example(text="date: 2026-02-30", first_line=1)
@example(text="a: !!int 0b", first_line=1)
@example(text="a: !!bool maybe", first_line=1)
@example(text="a: !!timestamp soon", first_line=1)
@example(text="a: " + "1" * 5000, first_line=1)
@example(text="&a [*a]", first_line=1)
@example(text="[" * 2000, first_line=1)
@example(text="\x00", first_line=3)
def test_parse_yaml_returns_or_raises_yaml_error(text, first_line):
    try:
        document = parse_yaml(text, first_line=first_line)
    except YamlError as exc:
        assert exc.line >= first_line
        assert exc.message
        return
    assert document.first_line == first_line
    assert all(line >= first_line for line in document.lines.values())


@settings(max_examples=300, deadline=None)
@given(
    text=st.one_of(
        st.text(),
        fragments(YAML_FRAGMENTS),
        st.builds(lambda a, b: f"---\n{a}\n---\n{b}", yaml_texts, st.text()),
    )
)
@example(text="---\nchanges:\n  - {date: 2026-02-30}\n---\nBody")
@example(text="---\n\x00\n---\n")
def test_split_front_matter_returns_or_raises_yaml_error(text):
    try:
        split = split_front_matter(text)
    except YamlError as exc:
        assert exc.line >= 1
        return
    assert split.meta.first_line == 2
    assert split.body_first_line >= 3


# -- 2. Markdown -----------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(
    text=markdown_texts,
    first_line=st.integers(1, 100),
    audience=st.sampled_from(["trainee", "facilitator"]),
    language=st.sampled_from(["en", "fr", "xx"]),
)
@example(text="![a](//%5Bx)", first_line=1, audience="trainee", language="en")
@example(text="![a](https://[::1)", first_line=1, audience="trainee", language="en")
@example(text="![a](media/huge.png)", first_line=1, audience="trainee", language="en")
def test_render_markdown_never_raises_and_stays_safe(
    module_dir, text, first_line, audience, language
):
    result = render_markdown(
        text,
        path="x/lesson.md",
        first_line=first_line,
        module_dir=module_dir,
        media_url=lambda digest, suffix: f"/media/{digest}{suffix}",
        audience=audience,
        language=language,
    )
    assert all(problem.line >= first_line for problem in result.problems)
    assert all(problem.path == "x/lesson.md" for problem in result.problems)
    html = result.html.lower()
    assert "<script" not in html
    for href in re.findall(r'href="([^"]*)"', html):
        # No javascript: (nor data:, vbscript:...) link; "javascript:" inside an https: URL is
        # harmless text, so the scheme a browser would run is what is checked.
        assert href_scheme(href) in {"", "https", "mailto", "tel"}, href
    for src in re.findall(r'src="([^"]*)"', html):
        assert src.startswith("/media/"), src
    for media in result.media.values():
        assert media.path.parent == module_dir / "media"


# -- 3. Whole repositories -------------------------------------------------------------------

# Field values authors get wrong: empty (`objectives:` is None), wrong type, wrong shape.
field_values = st.one_of(
    st.sampled_from(
        [None, "", " ", 0, -1, 1.5, True, [], {}, [None], [""], ["x", 1], {"a": 1}, "1.0", "x"]
    ),
    yaml_values,
)
ABSENT = "<absent>"


@st.composite
def one_bad_field(draw) -> tuple[str, list[tuple[str, str | None]]]:
    """A valid course, lesson and translation, with one field of one file removed or changed."""
    metas = {
        "course": (valid_course(["alpha"]), COURSE_KEYS),
        "lesson": (valid_lesson("alpha"), LESSON_KEYS),
        "translation": (valid_translation(), TRANSLATION_KEYS),
    }
    meta, keys = metas[draw(st.sampled_from(sorted(metas)))]
    key = draw(st.sampled_from(keys))
    value = draw(st.one_of(st.just(ABSENT), field_values))
    if value is ABSENT:
        meta.pop(key, None)
    else:
        meta[key] = value
    course_yaml = yaml.safe_dump(metas["course"][0], allow_unicode=True)
    lesson = valid_file(metas["lesson"][0])
    translation = valid_file(metas["translation"][0], "Bonjour.\n")
    return course_yaml, [(lesson, translation)]


def check_repository(course_yaml: str, lessons: list[tuple[str, str | None]]) -> None:
    """Write the files into a fresh `courses/`; inspect and load must give problems only."""
    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp) / "courses"
        write(root / "tiny" / "course.yaml", course_yaml)
        for index, (lesson, translation) in enumerate(lessons):
            folder = root / "tiny" / f"0{index}-module"
            write(folder / "lesson.md", lesson)
            if translation is not None:
                write(folder / "lesson.fr.md", translation)

        repository, problems = inspect_repository(root)
        for problem in problems:
            assert str(problem).startswith("courses/"), str(problem)
            assert problem.line >= 0
        assert all(not warning.is_error for warning in repository.warnings)

        try:
            loaded = load_repository(root)
        except InvalidRepository as exc:
            assert exc.problems
            assert all(str(problem).startswith("courses/") for problem in exc.problems)
            assert [str(p) for p in exc.problems] == [str(p) for p in problems if p.is_error]
        else:
            assert not any(problem.is_error for problem in problems)
            assert [c.id for c in loaded.courses] == [c.id for c in repository.courses]


@settings(max_examples=150, deadline=None)
@given(course_yaml=course_files, lessons=module_files)
@example(
    course_yaml="title: T\nmodules: [alpha]\n",
    lessons=[(valid_file(valid_lesson("alpha")).replace("2026-11-01", "2026-02-30"), None)],
)
def test_random_repositories_give_problems_not_crashes(course_yaml, lessons):
    check_repository(course_yaml, lessons)


@settings(max_examples=150, deadline=None)
@given(files=one_bad_field())
@example(
    files=(
        "title: T\nlanguages: [en, fr]\nmodules: [alpha]\n",
        [
            (
                valid_file(valid_lesson("alpha")),
                "---\ntitle: A\ntranslation_of: 1.0.0\nstatus: draft\nobjectives:\n---\n",
            )
        ],
    )
)
def test_one_bad_field_gives_problems_not_crashes(files):
    check_repository(*files)


# -- 4. Valid input stays valid --------------------------------------------------------------

titles = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=40
).filter(lambda title: title.strip())
versions = st.tuples(*[st.integers(0, 999)] * 3).map(lambda parts: ".".join(map(str, parts)))


@settings(max_examples=100, deadline=None)
@given(
    module_id=st.from_regex(SLUG, fullmatch=True).filter(lambda slug: len(slug) <= 40),
    title=titles,
    minutes=st.integers(1, loader.MAX_MINUTES),
    version=versions,
)
@example(module_id="a", title="Police: your rights", minutes=1, version="0.0.0")
def test_generated_valid_lesson_loads_without_errors(module_id, title, minutes, version):
    meta = {
        "id": module_id,
        "title": title,
        "version": version,
        "minutes": minutes,
        "objectives": ["Know your rights"],
        "changes": [{"version": version, "date": date(2026, 11, 1), "summary": "First"}],
        "sources": ["A source"],
    }
    course = {"title": "Tiny", "languages": ["en"], "modules": [module_id]}
    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp) / "courses"
        write(root / "tiny" / "course.yaml", yaml.safe_dump(course, allow_unicode=True))
        write(
            root / "tiny" / "01-module" / "lesson.md",
            "---\n" + yaml.safe_dump(meta, allow_unicode=True) + "---\n\nHello.\n",
        )
        repository, problems = inspect_repository(root)
        assert [str(problem) for problem in problems] == []
        (module,) = load_repository(root).courses[0].modules

    assert module.id == module_id
    assert module.title == title.strip()
    assert module.minutes == minutes
    assert str(module.version) == version


def test_nested_aliases_are_walked_once_not_exponentially():
    levels = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for depth in range(1, 12):
        name, previous = chr(97 + depth), chr(96 + depth)
        levels.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
    document = parse_yaml("\n".join(levels) + "\n")  # 9**11 paths if every alias were followed
    assert len(document.lines) < 200


def test_nested_mapping_aliases_are_walked_once():
    levels = ["a0: &a0 {z: 1}"]
    for depth in range(1, 24):
        levels.append(f"a{depth}: &a{depth} {{p: {{z: *a{depth - 1}}}, q: {{z: *a{depth - 1}}}}}")
    document = parse_yaml("\n".join(levels) + "\n")  # 2**23 paths if aliases were re-walked
    assert len(document.lines) < 500
