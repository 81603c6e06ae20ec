"""Glossaries (`courses/glossary.<lang>.yaml`): the words every translation uses for key terms."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

# A glossary maps an English term to the word (or the accepted words) a translation uses:
#   sex work: travail du sexe
#   sex worker: [travailleuse du sexe, travailleur du sexe, TDS]


@dataclass
class Glossary:
    """One language's terms, with the line each is written on."""

    language: str
    terms: dict[str, list[str]]
    lines: dict[str, int]


def plain_text(rendered: str) -> str:
    """Rendered HTML as lowercase text, for looking terms up."""
    return html.unescape(re.sub(r"<[^>]+>", " ", rendered)).casefold()


def missing_terms(glossary: Glossary, source_html: str, translated_html: str) -> list[str]:
    """English terms the source uses whose agreed translation the translated text never uses."""
    source, translated = plain_text(source_html), plain_text(translated_html)
    return [
        term
        for term, forms in glossary.terms.items()
        if re.search(rf"\b{re.escape(term.casefold())}", source)
        and not any(form.casefold() in translated for form in forms)
    ]
