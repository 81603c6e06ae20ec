"""The `academy` command speaks the operator's language, from their locale, else English."""

import json
import re

import click
import pytest

from academy.locale import operator_language
from tests.conftest import PASSWORD

OFFERED = ["en", "fr", "es", "ru"]
VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


def locale(**values: str) -> dict:
    """An environment with exactly these locale variables set, whatever the machine has."""
    return {name: values.get(name) for name in VARIABLES}


def run(app, args, env, **kwargs):
    return app.test_cli_runner().invoke(args=args, env=env, **kwargs)


@pytest.mark.parametrize(
    ("env", "language"),
    [
        ({}, "en"),
        ({"LANG": "fr_FR.UTF-8"}, "fr"),
        ({"LANG": "es_MX.UTF-8@euro"}, "es"),
        ({"LANGUAGE": "ru", "LANG": "fr_FR.UTF-8"}, "ru"),
        ({"LANGUAGE": "de:es", "LANG": "fr_FR.UTF-8"}, "es"),
        ({"LC_ALL": "fr_FR.UTF-8", "LANG": "ru_RU.UTF-8"}, "fr"),
        ({"LC_MESSAGES": "ru_RU.UTF-8", "LANG": "fr_FR.UTF-8"}, "ru"),
        ({"LANGUAGE": "", "LANG": "es_ES"}, "es"),
        ({"LANG": "de_DE.UTF-8"}, "en"),
        ({"LC_ALL": "de_DE.UTF-8", "LANG": "fr_FR.UTF-8"}, "en"),
        ({"LANG": "C"}, "en"),
        ({"LANG": "C.UTF-8"}, "en"),
        ({"LC_ALL": "POSIX", "LANG": "fr_FR.UTF-8"}, "en"),
        ({"LANGUAGE": "C:fr"}, "en"),
        ({"LANG": "zh_CN.UTF-8"}, "en"),
    ],
)
def test_the_operator_language_follows_the_locale_variables_in_gettext_order(env, language):
    assert operator_language(OFFERED, env) == language


def test_only_offered_languages_are_spoken():
    assert operator_language(["en", "fr"], {"LANG": "ru_RU.UTF-8"}) == "en"


def test_every_academy_command_speaks_the_operator_language(make_app):
    def callbacks(command, path):
        if isinstance(command, click.Group):
            for name, sub in command.commands.items():
                yield from callbacks(sub, [*path, name])
        else:
            yield " ".join(path), command.callback

    found = dict(callbacks(make_app().cli, []))
    assert {"sync", "user create", "pack", "backup", "restore", "db upgrade"} <= set(found)
    forgotten = [
        name for name, call in found.items() if not getattr(call, "in_operator_language", 0)
    ]
    assert forgotten == [], "decorate these with @in_operator_language"


def test_sync_summary_in_french(make_app, fixture_repo):
    app = make_app(fixture_repo())
    first = run(app, ["sync"], locale(LANG="fr_FR.UTF-8"))
    assert first.exit_code == 0, first.output
    assert "publié : first-steps 1.0.0" in first.output
    assert "nouveau cours : demo" in first.output
    second = run(app, ["sync"], locale(LANG="fr_FR.UTF-8"))
    assert "Rien à faire : la base de données correspond déjà aux cours." in second.output


def test_sync_problems_counted_in_russian(make_app, fixture_repo):
    app = make_app(fixture_repo("broken/bad-version"))
    result = run(app, ["sync"], locale(LANGUAGE="ru"))
    assert result.exit_code == 1
    assert "Синхронизация остановлена: нужно исправить 2 проблемы." in result.output
    # The checker's diagnostics stay in English, like `academy check` and CI annotations.
    assert "error: version '1.0' is not a semantic" in result.output


def test_user_create_prompts_and_reports_in_french(app):
    result = run(
        app,
        ["user", "create", "fatima", "--role", "facilitator"],
        locale(LANG="fr_FR.UTF-8"),
        input=f"{PASSWORD}\n{PASSWORD}\n",
    )
    assert result.exit_code == 0, result.output
    assert "Mot de passe: " in result.output and "Répétez pour confirmer: " in result.output
    assert "Compte fatima créé (rôle : facilitator)." in result.output
    again = run(app, ["user", "create", "fatima", "--password", PASSWORD], locale(LANG="fr_FR"))
    assert again.exit_code == 1
    assert "le pseudo « fatima » est déjà utilisé" in again.output.replace("\xa0", " ")


def test_user_errors_in_russian(app):
    russian = locale(LANGUAGE="ru", LANG="C.UTF-8")
    unknown = run(app, ["user", "role", "nobody", "admin"], russian)
    assert unknown.exit_code == 1 and "аккаунта с логином «nobody» нет" in unknown.output
    short = run(app, ["user", "create", "ab", "--password", PASSWORD], russian)
    assert "В логине должно быть не меньше" in short.output
    made = run(app, ["user", "create", "rose", "--password", PASSWORD], russian)
    assert "Создан аккаунт rose (роль: trainee)." in made.output
    changed = run(app, ["user", "role", "ROSE", "admin"], russian)
    assert "У аккаунта rose теперь роль admin." in changed.output


def test_backup_rows_take_russian_plural_forms(make_app, tmp_path):
    app = make_app()
    russian = locale(LANGUAGE="ru")
    target = tmp_path / "site.gz"
    run(app, ["user", "create", "user0", "--password", PASSWORD], russian)
    one = run(app, ["backup", str(target)], russian)
    assert one.exit_code == 0, one.output
    # The table count takes its own form too: 21 таблице, 22 таблицах (the number of tables
    # grows with the schema, so the test accepts the right form for whichever it is).
    tables = r"\d*1 таблице|\d+ таблицах"
    assert re.search(rf"Записан файл .*site\.gz: 1 строка в ({tables})\.", one.output), one.output
    for number in range(1, 5):
        run(app, ["user", "create", f"user{number}", "--password", PASSWORD], russian)
    five = run(app, ["backup", str(target)], russian)
    assert re.search(rf": 5 строк в ({tables})\.", five.output), five.output
    # The file is for machines: its JSON is the same whatever the operator's language.
    assert target.read_bytes()[:2] == b"\x1f\x8b"


def test_a_missing_backup_file_in_spanish_and_french(make_app, tmp_path):
    app = make_app()
    missing = tmp_path / "none.gz"
    spanish = run(app, ["restore", str(missing)], locale(LANG="es_ES.UTF-8"))
    assert spanish.exit_code == 1 and f"no existe el archivo {missing}" in spanish.output
    french = run(app, ["restore", str(missing)], locale(LC_ALL="fr_FR.UTF-8"))
    assert f"aucun fichier {missing}" in french.output


def test_pack_errors_in_spanish(app):
    result = run(app, ["pack", "nope"], locale(LANG="es_ES.UTF-8"))
    assert result.exit_code == 1
    assert "no hay ningún curso «nope» (cursos publicados: demo)" in result.output


@pytest.mark.parametrize("env", [locale(LANG="de_DE.UTF-8"), locale(LANG="C"), locale()])
def test_unoffered_or_plain_locales_get_english(app, env):
    made = run(app, ["user", "create", "fatima", "--password", PASSWORD], env)
    assert "Created fatima (trainee)." in made.output
    unknown = run(app, ["user", "role", "nobody", "admin"], env)
    assert "no account is called 'nobody'" in unknown.output
    assert (
        "Nothing to do: the database already matches the courses." in run(app, ["sync"], env).output
    )


def test_machine_readable_output_stays_untranslated(app, fixture_repo):
    result = run(app, ["check", "--format", "json", str(fixture_repo())], locale(LANGUAGE="fr"))
    assert json.loads(result.output)["errors"] == 0
