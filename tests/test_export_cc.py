"""`academy export cc`: IMS Common Cartridge packages that Moodle and Canvas import.

No package on PyPI or npm ships the IMS CC 1.3 XSDs, so the cartridges are checked for the
structure the specification and its schematron rules ask for, file by file.
"""

import zipfile
from pathlib import Path, PurePosixPath

import pytest
from lxml import etree

from academy import create_app
from academy.content import load_repository
from academy.content.quiz import parse_quiz
from academy.export.package import write_zip
from academy.export.profiles import PROFILES, QTI
from academy.export.qti import assessment_xml
from tests.conftest import REPO_ROOT

CC13 = "http://www.imsglobal.org/xsd/imsccv1p3/imscp_v1p1"
CC11 = "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1"
LOM13 = "http://ltsc.ieee.org/xsd/imsccv1p3/LOM/manifest"
Q = {"q": QTI}


def run(tmp_path, courses, *args):
    app = create_app(
        {
            "SECRET_KEY": "x",
            "ACADEMY_DATABASE_URL": f"sqlite:///{tmp_path}/a.db",
            "ACADEMY_COURSES_DIR": str(courses),
        }
    )
    return app.test_cli_runner().invoke(args=["export", "cc", *map(str, args)])


def export(tmp_path, courses, course="demo", *args):
    target = tmp_path / f"{course}.imscc"
    result = run(tmp_path, courses, course, "-o", target, *args)
    assert result.exit_code == 0, result.output
    return zipfile.ZipFile(target), result.output


def structure(archive, package=CC13):
    """Check what a cartridge must hold together; return the manifest's root element."""
    names = set(archive.namelist())
    assert archive.testzip() is None
    manifest = etree.fromstring(archive.read("imsmanifest.xml"))
    ns = {"cp": package}
    assert manifest.tag == f"{{{package}}}manifest"
    identifiers = manifest.xpath("//@identifier")
    assert len(identifiers) == len(set(identifiers)), "identifiers must be unique"
    resources = {r.get("identifier"): r for r in manifest.xpath("//cp:resource", namespaces=ns)}
    for resource in resources.values():
        files = resource.xpath("cp:file/@href", namespaces=ns)
        assert files and len(files) == len(set(files))
        for href in files:
            assert href in names, href
        if resource.get("href") is not None:
            assert resource.get("href") in files
        for dependency in resource.xpath("cp:dependency/@identifierref", namespaces=ns):
            assert dependency in resources
        if resource.get("type").endswith("/assessment"):
            # Schematron rule 3: one file, no href, for an assessment.
            assert len(files) == 1 and resource.get("href") is None
            quiz = etree.fromstring(archive.read(files[0]))
            assert quiz.tag == f"{{{QTI}}}questestinterop"
            assert len(quiz.xpath("q:assessment/q:section", namespaces=Q)) == 1
    for item in manifest.xpath("//cp:item[@identifierref]", namespaces=ns):
        assert item.get("identifierref") in resources
        assert not item.xpath("cp:item", namespaces=ns), "a link holds no other entries"
        assert item.xpath("cp:title/text()", namespaces=ns)
    assert len(manifest.xpath("cp:organizations/cp:organization", namespaces=ns)) == 1
    # Every file in the zip is listed somewhere: nothing travels that the LMS would not see.
    listed = set(manifest.xpath("//cp:file/@href", namespaces=ns)) | {"imsmanifest.xml"}
    assert names == listed
    return manifest


def modules(manifest, package=CC13):
    """The top-level entries: one per module, in course order."""
    ns = {"cp": package}
    return manifest.xpath("cp:organizations/cp:organization/cp:item/cp:item", namespaces=ns)


def quiz(archive, module):
    return etree.fromstring(archive.read(f"quizzes/{module}.xml"))


def texts(element, path):
    return [text.strip() for text in element.xpath(path, namespaces=Q)]


def test_fixture_course_is_a_complete_cartridge(tmp_path, fixture_repo):
    archive, output = export(tmp_path, fixture_repo())
    manifest = structure(archive)
    ns = {"cp": CC13, "lomimscc": LOM13}
    assert manifest.xpath("string(cp:metadata/cp:schemaversion)", namespaces=ns) == "1.3.0"
    assert manifest.xpath("string(//lomimscc:general/lomimscc:language)", namespaces=ns) == "en"
    title = manifest.xpath("//lomimscc:title/lomimscc:string", namespaces=ns)[0]
    assert (title.text, title.get("language")) == ("Demo course", "en")
    entries = modules(manifest)
    assert [entry.get("identifier") for entry in entries] == [
        "ITEM-first-steps",
        "ITEM-second-steps",
    ]
    assert [e.xpath("string(cp:title)", namespaces=ns) for e in entries] == [
        "First steps",
        "Second steps",
    ]
    first = [item.get("identifier") for item in entries[0].xpath("cp:item", namespaces=ns)]
    assert first == [
        "ITEM-first-steps-lesson",
        "ITEM-first-steps-handout",
        "ITEM-first-steps-quiz",
        "ITEM-first-steps-guide",
    ]
    assert "Wrote" in output
    assert "first-steps: 1 question gives part marks" in output


def test_lesson_page_has_text_sources_version_and_legal_notice(tmp_path, fixture_repo):
    archive, _ = export(tmp_path, fixture_repo())
    lesson = archive.read("web_resources/first-steps/lesson.html").decode()
    assert lesson.startswith("<!DOCTYPE html>")
    assert '<html lang="en"' in lesson
    assert "<title>First steps</title>" in lesson
    assert "Welcome to the first lesson about apples." in lesson
    assert "NSWP (2024), Test source" in lesson
    assert "Version 1.0.0" in lesson
    assert "A lawyer has not checked this lesson yet." in lesson  # legal_review: pending
    assert 'href="../academy.css"' in lesson and "style=" not in lesson
    assert "pears" not in lesson.lower()  # the ::: facilitator note stays out of trainees' pages
    reviewed = archive.read("web_resources/second-steps/lesson.html").decode()
    assert "A lawyer has not checked" not in reviewed
    assert "Version 1.1.0" in reviewed
    assert "body {" in archive.read("web_resources/academy.css").decode()


def test_images_are_packed_beside_the_lesson(tmp_path, fixture_repo):
    courses = fixture_repo()
    archive, _ = export(tmp_path, courses)
    manifest = structure(archive)
    lesson = archive.read("web_resources/second-steps/lesson.html").decode()
    src = etree.HTML(lesson).xpath("//img/@src")[0]
    packed = str(PurePosixPath("web_resources/second-steps") / src)
    square = courses / "demo" / "02-second" / "media" / "square.png"
    assert archive.read(packed) == square.read_bytes()
    ns = {"cp": CC13}
    lesson_resource = manifest.xpath(
        "//cp:resource[@identifier='RES-second-steps-lesson']", namespaces=ns
    )[0]
    media = manifest.xpath("//cp:resource[@identifier='RES-second-steps-media']", namespaces=ns)[0]
    assert media.xpath("cp:file/@href", namespaces=ns) == [packed]
    assert "RES-second-steps-media" in lesson_resource.xpath(
        "cp:dependency/@identifierref", namespaces=ns
    )


def test_session_plan_is_for_instructors_only(tmp_path, fixture_repo):
    archive, _ = export(tmp_path, fixture_repo())
    manifest = structure(archive)
    ns = {"cp": CC13, "lom": "http://ltsc.ieee.org/xsd/imsccv1p3/LOM/resource"}
    guide = manifest.xpath("//cp:resource[@identifier='RES-first-steps-guide']", namespaces=ns)[0]
    assert guide.get("intendeduse") == "lessonplan"
    role = guide.xpath("cp:metadata/lom:lom/lom:educational/lom:intendedEndUserRole", namespaces=ns)
    assert texts(role[0], "*[local-name()='value']/text()") == ["Instructor"]
    others = manifest.xpath(
        "//cp:resource[not(@identifier='RES-first-steps-guide')]", namespaces=ns
    )
    assert not any(r.xpath("cp:metadata", namespaces=ns) for r in others)
    page = archive.read("web_resources/first-steps/session-plan.html").decode()
    assert "Session plan: First steps" in page
    assert "Three apples" in page  # materials
    assert "Nobody has to share anything about themselves." in page


def test_quiz_holds_every_question_with_its_profile_answers_and_feedback(tmp_path, fixture_repo):
    archive, _ = export(tmp_path, fixture_repo())
    assessment = quiz(archive, "first-steps")
    items = assessment.xpath("//q:item", namespaces=Q)
    assert len(items) == 4
    profiles = [
        item.xpath(
            "string(.//q:qtimetadatafield[q:fieldlabel='cc_profile']/q:fieldentry)", namespaces=Q
        )
        for item in items
    ]
    assert profiles == [
        "cc.multiple_choice.v0p1",
        "cc.multiple_response.v0p1",
        "cc.true_false.v0p1",
        "cc.fib.v0p1",
    ]
    assert texts(assessment, "//q:rubric//q:mattext/text()") == ["You pass with 60%."]
    assert texts(
        assessment,
        "q:assessment/q:qtimetadata/q:qtimetadatafield[q:fieldlabel='cc_maxattempts']/q:fieldentry/text()",
    ) == ["unlimited"]

    def label_text(item, ident):
        return texts(item, f".//q:response_label[@ident='{ident}']//q:mattext/text()")[0]

    single, multiple, true_false, short = items
    right = single.xpath(".//q:respcondition[q:setvar='100']//q:varequal/text()", namespaces=Q)
    assert [label_text(single, ident) for ident in right] == ["Apples"]
    feedback = single.xpath(
        f".//q:itemfeedback[@ident='{right[0]}_fb']//q:mattext/text()", namespaces=Q
    )
    assert feedback == ["Yes, apples."]
    assert single.xpath("string(.//q:response_lid/@rcardinality)", namespaces=Q) == "Single"

    both = multiple.xpath(".//q:respcondition[q:setvar='100']/q:conditionvar/q:and", namespaces=Q)[
        0
    ]
    ticked = [label_text(multiple, i) for i in both.xpath("q:varequal/text()", namespaces=Q)]
    unticked = [
        label_text(multiple, i) for i in both.xpath("q:not/q:varequal/text()", namespaces=Q)
    ]
    assert (ticked, unticked) == (["Apples", "Oranges"], ["Carrots"])
    assert multiple.xpath("string(.//q:response_lid/@rcardinality)", namespaces=Q) == "Multiple"

    right = true_false.xpath(".//q:respcondition[q:setvar='100']//q:varequal/text()", namespaces=Q)
    assert [label_text(true_false, ident) for ident in right] == ["True"]

    assert short.xpath(".//q:response_str/q:render_fib", namespaces=Q)
    accepted = short.xpath(".//q:respcondition[q:setvar='100']//q:varequal/text()", namespaces=Q)
    assert accepted == ["red", "rouge"]
    assert texts(short, ".//q:itemfeedback[@ident='general_fb']//q:mattext/text()") == [
        "The square is red."
    ]
    # Every feedback shown is defined, and every one defined is shown (schematron rule 12).
    for item in items:
        shown = set(item.xpath(".//q:displayfeedback/@linkrefid", namespaces=Q))
        assert shown == set(item.xpath("q:itemfeedback/@ident", namespaces=Q))


def test_short_answers_also_accept_the_plain_spelling():
    text = "## Which word? {short}\n- = Décriminalisation\n- = l’État\n\n> Why.\n"
    parsed, problems = parse_quiz(text, "quiz.md", "fr")
    assert parsed is not None, problems
    xml = etree.fromstring(assessment_xml(parsed, "QUIZ-x", "Quiz", "Pass", PROFILES["1.3"]))
    assert xml.xpath("//q:varequal/text()", namespaces=Q) == [
        "Décriminalisation",
        "decriminalisation",
        "l’État",
        "l'etat",
    ]
    assert set(xml.xpath("//q:varequal/@case", namespaces=Q)) == {"No"}


def test_a_translation_gets_its_own_cartridge_and_falls_back_where_missing(tmp_path, fixture_repo):
    archive, output = export(tmp_path, fixture_repo(), "demo", "--language", "fr")
    manifest = structure(archive)
    ns = {"cp": CC13, "lomimscc": LOM13}
    assert manifest.xpath("string(//lomimscc:general/lomimscc:language)", namespaces=ns) == "fr"
    assert manifest.get("identifier") == "academy-demo-fr"
    # course.yaml has one title, in the original language, and says so.
    title = manifest.xpath("//lomimscc:title/lomimscc:string", namespaces=ns)[0]
    assert (title.text, title.get("language")) == ("Demo course", "en")
    first = archive.read("web_resources/first-steps/lesson.html").decode()
    assert '<html lang="fr"' in first and "Bienvenue dans la première leçon" in first
    assert "Dans cette leçon" in first  # the page's own labels are French too
    assert "Cette traduction est un brouillon" in first  # status: draft
    second = archive.read("web_resources/second-steps/lesson.html").decode()
    assert '<html lang="en"' in second and "The second lesson about oranges." in second
    assert "Cette leçon n’existe pas encore en Français." in second
    assert "second-steps has no lesson.fr.md: this cartridge uses the en text there." in output
    assert "first-steps has no handout.fr.md, quiz.fr.md, facilitator.fr.md" in output


def test_real_course_in_every_language(tmp_path):
    courses = REPO_ROOT / "courses"
    out = tmp_path / "out"
    out.mkdir()
    result = run(tmp_path, courses, "legal-literacy", "--all-languages", "-o", out)
    assert result.exit_code == 0, result.output
    course = next(c for c in load_repository(courses).courses if c.id == "legal-literacy")
    assert sorted(p.name for p in out.iterdir()) == sorted(
        f"legal-literacy.{language}.imscc" for language in course.languages
    )
    for language in course.languages:
        archive = zipfile.ZipFile(out / f"legal-literacy.{language}.imscc")
        manifest = structure(archive)
        ns = {"cp": CC13, "lomimscc": LOM13}
        assert manifest.xpath("string(//lomimscc:language)", namespaces=ns) == language
        assert [e.get("identifier") for e in modules(manifest)] == [
            f"ITEM-{module.id}" for module in course.modules
        ]
        for module in course.modules:
            items = quiz(archive, module.id).xpath("//q:item", namespaces=Q)
            source = module.quizzes.get(language) or module.quizzes[course.languages[0]]
            assert len(items) == len(source.questions)
    french = zipfile.ZipFile(out / "legal-literacy.fr.imscc")
    for module in course.modules:
        text = module.texts["fr"]
        page = french.read(f"web_resources/{module.id}/lesson.html").decode()
        assert f"<h1>{text.title}</h1>".replace("'", "&#39;") in page
        title = quiz(french, module.id).xpath("string(//q:assessment/@title)", namespaces=Q)
        assert title == f"Quiz : {text.title}"


def test_version_1_1_for_moodle(tmp_path, fixture_repo):
    archive, _ = export(tmp_path, fixture_repo(), "demo", "--cc-version", "1.1")
    manifest = structure(archive, package=CC11)
    ns = {"cp": CC11, "lom": "http://ltsc.ieee.org/xsd/imsccv1p1/LOM/resource"}
    assert manifest.xpath("string(cp:metadata/cp:schemaversion)", namespaces=ns) == "1.1.0"
    types = set(manifest.xpath("//cp:resource/@type", namespaces=ns))
    assert types == {"webcontent", "imsqti_xmlv1p2/imscc_xmlv1p1/assessment"}
    assert texts(manifest, "//*[local-name()='source']/text()") == ["IMSGLC_CC_Rolesv1p1"]
    assert len(modules(manifest, package=CC11)) == 2


def test_default_file_name_and_same_bytes_every_time(tmp_path, fixture_repo, monkeypatch):
    courses = fixture_repo()
    monkeypatch.chdir(tmp_path)
    assert run(tmp_path, courses, "demo").exit_code == 0
    first = (tmp_path / "demo.en.imscc").read_bytes()
    assert run(tmp_path, courses, "demo").exit_code == 0
    assert (tmp_path / "demo.en.imscc").read_bytes() == first
    assert sorted(p.name for p in tmp_path.glob("*.imscc*")) == ["demo.en.imscc"]


def leftovers(folder: Path):
    return sorted(p.name for p in folder.iterdir() if ".imscc" in p.name)


def test_unknown_course_or_language_is_one_clear_line(tmp_path, fixture_repo):
    courses = fixture_repo()
    target = tmp_path / "x.imscc"
    unknown = run(tmp_path, courses, "nope", "-o", target)
    assert unknown.exit_code == 1
    assert unknown.output == f"Error: no course 'nope' in {courses} (courses: demo)\n"
    language = run(tmp_path, courses, "demo", "--language", "de", "-o", target)
    assert language.exit_code == 1
    assert language.output == "Error: demo has no 'de' text (languages: en, fr)\n"
    both = run(tmp_path, courses, "demo", "--language", "fr", "--all-languages")
    assert both.exit_code == 2
    assert leftovers(tmp_path) == []


def test_broken_repository_shows_the_checkers_problems_and_writes_nothing(tmp_path, fixture_repo):
    courses = fixture_repo("broken/bad-version")
    result = run(tmp_path, courses, "tiny", "-o", tmp_path / "tiny.imscc")
    assert result.exit_code == 1
    assert "courses/tiny/01-alpha/lesson.md:4:1: error: version '1.0'" in result.output
    assert "Export stopped: 2 problems to fix in the courses. No file was written." in result.output
    assert "Traceback" not in result.output
    assert leftovers(tmp_path) == []


def test_unwritable_output_is_an_error_and_leaves_nothing(tmp_path, fixture_repo):
    courses = fixture_repo()
    missing = run(tmp_path, courses, "demo", "-o", tmp_path / "no-such-folder" / "demo.imscc")
    assert missing.exit_code == 1
    assert missing.output.startswith(f"Error: cannot write {tmp_path}/no-such-folder/demo.imscc:")
    assert missing.output.count("\n") == 1
    folder = tmp_path / "a-folder.imscc"
    folder.mkdir()
    occupied = run(tmp_path, courses, "demo", "-o", folder)
    assert occupied.exit_code == 1 and "cannot write" in occupied.output
    assert leftovers(tmp_path) == ["a-folder.imscc"]
    assert list(folder.iterdir()) == []


def test_a_failed_write_keeps_the_old_file_and_leaves_no_part(tmp_path):
    target = tmp_path / "course.imscc"
    target.write_bytes(b"the old cartridge")
    with pytest.raises(TypeError):
        write_zip({"imsmanifest.xml": b"<manifest/>", "broken": object()}, target)
    assert target.read_bytes() == b"the old cartridge"
    assert leftovers(tmp_path) == ["course.imscc"]
