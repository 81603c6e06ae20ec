import re


def module_url(client, number=1):
    course = re.search(r'href="(/c/[^"]+)"', client.get("/").get_data(as_text=True)).group(1)
    modules = re.findall(r'href="(/m/[^"]+)"', client.get(course).get_data(as_text=True))
    return modules[number - 1]


def test_preview_shows_a_banner_and_facilitator_notes(make_app, fixture_repo):
    client = make_app(fixture_repo(), ACADEMY_PREVIEW=True).test_client()
    html = client.get(module_url(client)).get_data(as_text=True)
    assert "Preview: what you see here is not published." in html
    assert "Only for facilitators: pears." in html
    assert '<aside class="box facilitator">' in html


def test_the_real_site_has_neither(client):
    html = client.get(module_url(client)).get_data(as_text=True)
    assert "Preview:" not in html and "pears" not in html


def test_preview_follows_edits_without_a_version_bump(make_app, fixture_repo):
    courses = fixture_repo()
    client = make_app(courses, ACADEMY_PREVIEW=True).test_client()
    url = module_url(client)
    assert "apples" in client.get(url).get_data(as_text=True)
    lesson = courses / "demo" / "01-first" / "lesson.md"
    lesson.write_text(lesson.read_text().replace("apples", "ripe plums"))
    assert "ripe plums" in client.get(url).get_data(as_text=True)


def test_preview_lists_problems_until_they_are_fixed(make_app, fixture_repo):
    courses = fixture_repo()
    client = make_app(courses, ACADEMY_PREVIEW=True).test_client()
    url = module_url(client)
    lesson = courses / "demo" / "01-first" / "lesson.md"
    good = lesson.read_text()
    lesson.write_text(good.replace("version: 1.0.0\n", "version: 1.0\n", 1))
    broken = client.get(url)
    assert broken.status_code == 500
    page = broken.get_data(as_text=True)
    assert "The courses have problems to fix" in page
    assert "courses/demo/01-first/lesson.md:4:1" in page and "[module.version]" in page
    lesson.write_text(good)
    assert client.get(url).status_code == 200
