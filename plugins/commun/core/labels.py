"""The one vocabulary of French labels: every coded value, field and facet as readers see it.

The site, the web form, the terminal questions, the exports and the PDFs all read their words here;
`tests/test_labels.py` fails when a second, disagreeing copy appears.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

LABELS: dict[str, dict[str, str]] = {
    "etat": {"brouillon": "Brouillon", "en_relecture": "En relecture", "publie": "Publiée"},
    "statut": {
        "idee": "Idée",
        "experimentation": "Expérimentation",
        "en_cours": "En cours",
        "perennise": "Pérennisée",
        "termine": "Terminée",
        "abandonne": "Abandonnée",
    },
    "echelle": {
        "communale": "Communale",
        "intercommunale": "Intercommunale",
        "departementale": "Départementale",
        "regionale": "Régionale",
        "nationale": "Nationale",
    },
    "type_structure": {
        "ccas": "CCAS",
        "cias": "CIAS",
        "udccas": "Union départementale (UDCCAS)",
        "unccas": "Union nationale (UNCCAS)",
        "autre": "Autre structure",
    },
    "programme": {"pass-palas": "Pass'PALAS", "design-palas": "Design'PALAS", "autre": "Autres formations"},
    "categorie": {
        "socle": "Module socle",
        "a-la-carte": "Module à la carte",
        "mooc": "MOOC",
        "coaching": "Coaching",
        "immersion": "Immersion",
        "evaluation": "Évaluation",
    },
    "modalite": {"presentiel": "Présentiel", "distanciel": "À distance", "hybride": "Hybride"},
    "priorite": {"prioritaire": "Prioritaire", "secondaire": "Secondaire"},
    "etape": {
        "immersion": "Immersion",
        "ideation": "Idéation",
        "prototypage": "Prototypage",
        "experimentation": "Expérimentation",
        "evaluation": "Évaluation",
        "essaimage": "Essaimage",
    },
    "etat_etape": {"a_venir": "À venir", "en_cours": "En cours", "realise": "Réalisé", "abandonne": "Abandonné"},
    "role": {"referent": "Référent", "membre": "Membre"},
    "type_outil": {
        "methode": "Méthode",
        "modele": "Modèle",
        "grille": "Grille",
        "questionnaire": "Questionnaire",
        "guide": "Guide",
        "logiciel": "Logiciel",
    },
    "licence": {"etalab-2.0": "Licence Ouverte / Open Licence 2.0 (Etalab)"},
}



def label(value: Any, group: str) -> str:
    """The French label of a coded value (`en_cours` → « En cours »)."""
    return LABELS.get(group, {}).get(value, str(value)) if value is not None else ""


@dataclass(frozen=True)
class Relation:
    """How the pages of two linked fiches name their link: a reference written in a fiche of `kind` under
    `field`. `outgoing` heads the section of the citing fiche's page (None: its facts box shows the link),
    `incoming` (singular, plural) the section of the cited fiche's page."""

    kind: str
    field: str
    outgoing: str | None
    incoming: tuple[str, str]
    cards: bool = False
    """The cited fiche's page shows the citing fiches as cards (title, résumé, facts), not as links."""


RELATIONS: tuple[Relation, ...] = (
    Relation("initiatives", "porteur", None, ("Initiative portée", "Initiatives portées"), cards=True),
    Relation("projets", "porteur", None, ("Projet du Labo porté", "Projets du Labo portés"), cards=True),
    Relation("ccas", "udccas", None, ("CCAS membre", "CCAS membres")),
    Relation("ccas", "parrains", None, ("CCAS parrainé", "CCAS parrainés")),
    Relation("initiatives", "structure", None, ("Initiative recommandée", "Initiatives recommandées"), cards=True),
    Relation(
        "initiatives",
        "modules",
        "Formations de ce programme",
        ("Programme dont elle fait partie", "Programmes dont elle fait partie"),
    ),
    Relation(
        "initiatives",
        "outils",
        "Outils utilisés",
        ("Initiative qui utilise cet outil", "Initiatives qui utilisent cet outil"),
    ),
    Relation(
        "projets",
        "outils",
        "Outils utilisés",
        ("Projet du Labo qui utilise cet outil", "Projets du Labo qui utilisent cet outil"),
    ),
    Relation(
        "initiatives",
        "inspire_de",
        "Initiatives dont elle s'inspire",
        ("Initiative qui s'en inspire", "Initiatives qui s'en inspirent"),
    ),
    Relation("initiatives", "projets", "Projets du Labo liés", ("Initiative liée", "Initiatives liées")),
    Relation(
        "projets",
        "initiative",
        "Initiative issue de ce projet",
        ("Projet du Labo d'origine", "Projets du Labo d'origine"),
    ),
    Relation(
        "ccas",
        "module",
        None,
        ("Structure dont des agents l'ont suivie", "Structures dont des agents l'ont suivie"),
    ),
)
"""Every kind of link between fiches, in the order their sections come on a page."""


# Facets of the « Banque d'expériences »: Pagefind filter name → French label (URL keys are the names).
FACETS: dict[str, str] = {
    "type": "Type de fiche",
    "theme": "Thème",
    "public": "Public",
    "commune": "Commune",
    "epci": "Intercommunalité",
    "statut": "Statut",
    "programme": "Programme",
    "annee": "Année",
}
