"""Usernames: one normal form, so that look-alike names cannot be two different accounts."""

from __future__ import annotations

import unicodedata
from functools import cache

from confusable_homoglyphs import confusables

MIN_LENGTH = 3
MAX_LENGTH = 30
PUNCTUATION = "._-"
# Scripts that are written together: Japanese mixes kanji and kana in one name.
_SCRIPTS_USED_TOGETHER = {"HIRAGANA": "CJK", "KATAKANA": "CJK"}


def normalise(raw: str) -> str:
    """The name as shown: NFKC (so "ｒｏｓｅ" is "rose") without surrounding spaces."""
    return unicodedata.normalize("NFKC", raw).strip()


def username_key(raw: str) -> str:
    """The name as compared: normalised and case-folded, so "Rose" and "ROSE" are one name."""
    return unicodedata.normalize("NFKC", normalise(raw).casefold())


def username_skeleton(raw: str) -> str:
    """What the name looks like: each letter that looks like a Latin one becomes it ("0" is "o").

    Two names with one skeleton look alike on a phone screen, so only the first may be used;
    this catches a name written wholly in another alphabet ("јоѕіе" is Cyrillic).
    """
    return "".join(_look_alike(character) for character in username_key(raw)).casefold()


@cache
def _look_alike(character: str) -> str:
    """The Latin letter `character` is confusable with, from Unicode's table, or itself."""
    found = confusables.is_confusable(character, greedy=True, preferred_aliases=["latin"])
    for homoglyph in found[0]["homoglyphs"] if found else ():
        if len(homoglyph["c"]) == 1 and homoglyph["n"].startswith("LATIN "):
            return homoglyph["c"]
    return character


def username_problem(name: str) -> str | None:
    """Why a normalised name cannot be used (empty, short, long, characters, scripts), or None."""
    if not name:
        return "empty"
    if len(name) < MIN_LENGTH:
        return "short"
    if len(name) > MAX_LENGTH:
        return "long"
    if not all(_allowed(character) for character in name):
        return "characters"
    # Latin "a" and Cyrillic "а" look the same: a name in one script cannot pose as another.
    if len({_script(character) for character in name if character.isalpha()}) > 1:
        return "scripts"
    return None


def _allowed(character: str) -> bool:
    """Letters, digits and combining marks of any script, and a little punctuation."""
    return character in PUNCTUATION or unicodedata.category(character)[0] in "LNM"


def _script(character: str) -> str:
    """The writing system a letter belongs to, from its Unicode name."""
    script = unicodedata.name(character, "UNKNOWN").split()[0]
    return _SCRIPTS_USED_TOGETHER.get(script, script)
