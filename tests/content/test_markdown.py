from pathlib import Path

from PIL import Image

from academy.content import render_markdown


def render(text, **options):
    return render_markdown(text, path="c/m/lesson.md", first_line=10, **options)


def test_raw_html_is_shown_as_text_never_run():
    result = render("<script>alert(1)</script>\n\n<b onclick=x>hi</b>")
    assert "<script>" not in result.html
    assert "&lt;script&gt;" in result.html
    assert "<b " not in result.html


def test_headings_get_opaque_anchors_not_topic_words():
    html = render("## Police stops\n\n### After an arrest").html
    assert '<h2 id="s1">Police stops</h2>' in html
    assert '<h3 id="s2">After an arrest</h3>' in html


def test_tables_render():
    html = render("| a | b |\n|---|---|\n| 1 | 2 |").html
    assert "<table>" in html and "<td>1</td>" in html


def test_named_containers_become_labelled_asides():
    html = render("::: activity\nTalk with a partner.\n:::").html
    assert '<aside class="box activity">\n<p class="box-label">Activity</p>' in html
    assert "</aside>" in html


def test_container_labels_follow_the_text_language():
    html = render("::: warning\nSoyez prudente.\n:::", language="fr").html
    assert '<p class="box-label">Attention</p>' in html


def test_facilitator_notes_are_hidden_from_trainees_only():
    text = "Before.\n\n::: facilitator\nAsk the group first.\n:::\n\nAfter."
    trainee = render(text).html
    assert "Ask the group" not in trainee and "Before." in trainee and "After." in trainee
    assert "Ask the group" in render(text, audience="facilitator").html


def test_unknown_container_is_an_error_at_its_line():
    result = render("Intro.\n\n::: tip\nx\n:::")
    assert [str(p) for p in result.problems] == [
        "c/m/lesson.md:12:1: error: unknown block '::: tip': use one of note, activity, "
        "warning, facilitator [markdown.unknown-container]"
    ]


def test_external_links_get_noreferrer_and_safe_schemes_survive():
    html = render(
        "[Hotline](tel:+100) [Mail](mailto:a@b.org) [Site](https://a.org) [Part](#s2)"
    ).html
    assert '<a href="https://a.org" rel="noreferrer noopener">Site</a>' in html
    assert '<a href="tel:+100">Hotline</a>' in html
    assert '<a href="mailto:a@b.org">Mail</a>' in html
    assert '<a href="#s2">Part</a>' in html


def test_dangerous_or_plain_http_links_are_dropped_and_reported():
    result = render("[a](javascript:alert(1)) [b](http://a.org) [c](//evil.org/x) [d](data:x)")
    assert "<a " not in result.html
    assert "a b c d" in result.html
    assert [p.code for p in result.problems] == ["markdown.link-scheme"] * 4
    assert all(p.line == 10 for p in result.problems)


def test_vague_link_text_and_skipped_heading_levels_are_warnings():
    result = render("## One\n\n#### Three\n\n[click here](https://a.org)")
    assert {(p.code, p.severity, p.line) for p in result.problems} == {
        ("markdown.heading-skip", "warning", 12),
        ("markdown.vague-link", "warning", 14),
    }


def test_local_image_is_lazy_with_its_size(tmp_path: Path):
    (tmp_path / "media").mkdir()
    Image.new("RGB", (64, 48)).save(tmp_path / "media" / "map.png")
    result = render(
        "![A map of the city](media/map.png)",
        module_dir=tmp_path,
        media_url=lambda digest, suffix: f"/media/{digest}{suffix}",
    )
    assert result.problems == []
    (digest,) = result.media
    assert result.media[digest].mime == "image/png"
    assert (
        f'<img src="/media/{digest}.png" alt="A map of the city" width="64" height="48" '
        'loading="lazy" decoding="async">'
    ) in result.html


def test_remote_missing_or_undescribed_images_are_errors(tmp_path: Path):
    result = render(
        "![x](https://cdn.example/a.png)\n\n![y](media/none.png)\n\n![](media/none.png)",
        module_dir=tmp_path,
        media_url=lambda d, s: d,
    )
    assert "<img" not in result.html
    assert [(p.code, p.line) for p in result.problems] == [
        ("markdown.image-not-local", 10),
        ("markdown.image-missing", 12),
        ("markdown.image-alt", 14),
        ("markdown.image-missing", 14),
    ]
