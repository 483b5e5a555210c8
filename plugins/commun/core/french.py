"""French formatting of dates, periods, durations, numbers and passports, for pages, feeds and PDFs alike."""

from __future__ import annotations

import datetime as dt
import unicodedata
from typing import Any

from .labels import label
from .problems import plural

VOWELS = frozenset("aeiouy")
MONTHS = "janvier février mars avril mai juin juillet août septembre octobre novembre décembre".split()



def date_fr(value: dt.date | None) -> str:
    if value is None:
        return ""
    precision = getattr(value, "precision", "jour")
    if precision == "annee":
        return str(value.year)
    if precision == "mois":
        return f"{MONTHS[value.month - 1]} {value.year}"
    day = "1er" if value.day == 1 else str(value.day)
    return f"{day} {MONTHS[value.month - 1]} {value.year}"



def period_fr(start: dt.date | None, end: dt.date | None) -> str:
    """« 2017 – 2018 », « 1er janvier 2017 – 31 décembre 2018 », « à partir de 2021 », « jusqu'en 2018 ».

    A start alone says when it began, not that it still goes on (« depuis » would).
    """

    def day_precise(value: dt.date) -> bool:
        return getattr(value, "precision", "jour") == "jour"

    if start and end:
        return f"{date_fr(start)} – {date_fr(end)}"
    if start:
        return ("à partir du " if day_precise(start) else "à partir de ") + date_fr(start)
    if end:
        return ("jusqu'au " if day_precise(end) else "jusqu'en ") + date_fr(end)
    return ""



def duration_fr(duree: Any) -> str:
    """« 4 jours · 28 heures » from a module's `duree`."""
    if duree is None:
        return ""
    parts = []
    if duree.jours is not None:
        parts.append(f"{number_fr(duree.jours)} jour{'s' if duree.jours > 1 else ''}")
    if duree.heures is not None:
        parts.append(f"{number_fr(duree.heures)} heure{'s' if duree.heures > 1 else ''}")
    return " · ".join(parts)



def number_fr(value: float | int | None) -> str:
    if value is None:
        return ""
    if float(value).is_integer():
        text = f"{int(value):,}".replace(",", "\u202f")
    else:
        text = f"{value:,.2f}".replace(",", "\u202f").replace(".", ",")
    return text



def article_fr(name: str, feminine: bool = True) -> str:
    """The definite article before a name: « l' » before a vowel (« l'UDCCAS de Mayotte »), else « la »/« le »."""
    first = unicodedata.normalize("NFKD", name[:1]).lower()[:1]
    if first in VOWELS:
        return "l'"
    return "la " if feminine else "le "


def upper_first(text: str) -> str:
    """Capital first letter, the rest untouched (Jinja's `capitalize` lowers « Labo » to « labo »)."""
    return text[:1].upper() + text[1:]



def modules_fr(count: int, categorie: str) -> str:
    """« 1 module socle », « 3 modules socles », « 6 modules à la carte »."""
    return plural(count, label(categorie, "categorie_un"), label(categorie, "categorie_plusieurs"))


def passeport_fr(passeport: Any) -> str:
    """« Passeport <programme> : 1 module socle sur 3, 0 module à la carte sur 6 au moins. », « … : passeport
    complet. », from a structure's passport (`graph.Passeport`): progress, never « incomplet » (read as blame)."""
    parts = [
        f"{modules_fr(len(e.faits), e.regle.categorie)} sur {e.requis}{'' if e.regle.tous else ' au moins'}"
        for e in passeport.exigences
    ]
    done = " : passeport complet" if passeport.complet else ""
    return f"Passeport {passeport.programme.meta.nom} : {', '.join(parts)}{done}."


def join_fr(items: list[str]) -> str:
    """« a, b et c »."""
    items = [item for item in items if item]
    if len(items) < 2:
        return "".join(items)
    return ", ".join(items[:-1]) + " et " + items[-1]


def count_fr(count: int, singular: str, plural: str | None = None) -> str:
    """« 1 fiche », « 3 fiches », « 0 fiche » (French agreement: 0 and 1 take the singular)."""
    return f"{number_fr(count)} {singular if count <= 1 else plural or singular + 's'}"
