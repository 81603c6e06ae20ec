"""Interface translations: complete catalogues, nothing left unmarked, a language menu."""

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from tests.conftest import REPO_ROOT

TRANSLATIONS = REPO_ROOT / "translations"
LANGUAGES = ["fr", "es", "ru"]


def catalogue(language: str):
    with open(TRANSLATIONS / language / "LC_MESSAGES" / "messages.po", "rb") as file:
        return read_po(file, locale=language)


def template_ids() -> set:
    with open(TRANSLATIONS / "messages.pot", "rb") as file:
        return {message.id for message in read_po(file) if message.id}


def test_message_template_is_up_to_date_with_the_code():
    method_map = [("**.py", "python"), ("**/templates/**.html", "jinja2")]
    found = {
        message[2] if isinstance(message[2], str) else tuple(message[2])
        for message in extract_from_dir(
            REPO_ROOT / "academy",
            method_map,
            keywords={"_": None, "gettext": None, "ngettext": (1, 2), "_l": None},
        )
    }
    assert found == template_ids(), "run `make i18n-update` and translate the new strings"


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_is_complete_and_current(language):
    messages = [m for m in catalogue(language) if m.id]
    assert {m.id for m in messages} == template_ids()
    for message in messages:
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(strings), f"{language}: untranslated {message.id!r}"
        assert not message.fuzzy, f"{language}: fuzzy {message.id!r}"
        wanted = set(re.findall(r"%\(\w+\)\w", str(message.id)))
        for string in strings:
            found = set(re.findall(r"%\(\w+\)\w", string))
            assert found == wanted, f"{language}: placeholders differ in {message.id!r}"


# What may stand in a template outside {{ _("...") }}: punctuation and symbols only.
ALLOWED_BARE = re.compile(r"^[\s·←→✓✗½.,:;()\[\]%&#;0-9*…–—×-]*$")


@pytest.mark.parametrize(
    "template", sorted((REPO_ROOT / "academy").rglob("templates/**/*.html")), ids=lambda p: p.name
)
def test_templates_have_no_visible_text_left_unmarked(template: Path):
    text = template.read_text()
    text = re.sub(r"{#.*?#}|{%.*?%}|{{.*?}}", " ", text, flags=re.S)
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", text, flags=re.S)
    visible = re.sub(r"<[^>]+>", " ", text).replace("&nbsp;", " ")
    words = [chunk.strip() for chunk in visible.split("\n") if not ALLOWED_BARE.match(chunk)]
    assert words == [], f"{template.name}: mark these for translation: {words}"


def test_language_menu_sets_a_cookie_and_returns_to_the_page(client):
    response = client.get("/lang/fr?next=/c/abc")
    assert response.status_code == 303 and response.headers["Location"] == "/c/abc"
    assert "lang=fr" in response.headers["Set-Cookie"]
    assert "HttpOnly" in response.headers["Set-Cookie"]
    html = client.get("/").get_data(as_text=True)
    assert '<html lang="fr" dir="ltr">' in html
    assert '<strong lang="fr">Français</strong>' in html


def test_language_menu_never_redirects_to_another_site(client):
    for target in ["//evil.example/x", "https://evil.example/", "/\\evil.example", ""]:
        response = client.get("/lang/es", query_string={"next": target})
        assert response.headers["Location"] == "/", target
    assert client.get("/lang/xx").status_code == 404


def test_chosen_language_beats_the_browser(client):
    client.get("/lang/ru?next=/")
    html = client.get("/", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert '<html lang="ru" dir="ltr">' in html


@pytest.mark.parametrize(
    ("language", "heading"), [("fr", "Cours"), ("es", "Cursos"), ("ru", "Курсы")]
)
def test_interface_is_translated(client, language, heading):
    client.get(f"/lang/{language}?next=/")
    assert f"<h1>{heading}</h1>" in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize(
    "target", ["/%09/evil.example", "/\t/evil.example", "/%0A", "/\n", "/ok?next=//x", "/a b"]
)
def test_language_menu_rejects_disguised_targets_without_crashing(client, target):
    response = client.get(
        "/lang/fr", query_string={"next": target.replace("%09", "\t").replace("%0A", "\n")}
    )
    assert response.status_code == 303
    assert response.headers["Location"] == "/"
