"""The one vocabulary of French labels: every coded value, field and facet as readers see it.

The site, the web form, the terminal questions, the exports and the PDFs all read their words here;
`tests/test_labels.py` fails when a second, disagreeing copy appears.
"""

from __future__ import annotations

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
    "categorie": {
        "socle": "Module socle",
        "a-la-carte": "Module à la carte",
        "mooc": "MOOC",
        "coaching": "Coaching",
        "immersion": "Immersion",
        "evaluation": "Évaluation",
    },
    # A number of modules of a category, as a passport counts them: « 1 module socle », « 3 modules socles ».
    "categorie_un": {
        "socle": "module socle",
        "a-la-carte": "module à la carte",
        "mooc": "MOOC",
        "coaching": "module de coaching",
        "immersion": "module d'immersion",
        "evaluation": "module d'évaluation",
    },
    "categorie_plusieurs": {
        "socle": "modules socles",
        "a-la-carte": "modules à la carte",
        "mooc": "MOOC",
        "coaching": "modules de coaching",
        "immersion": "modules d'immersion",
        "evaluation": "modules d'évaluation",
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


FIELD_LABELS = {
    "porteur": "porteur",
    "udccas": "union départementale",
    "parrains": "parrain",
    "module": "module suivi",
    "inspire_de": "inspirée de",
    "outils": "outil",
    "modules": "module",
    "projets": "projet",
    "structure": "recommandation",
    "initiative": "initiative issue du projet",
    "programme": "programme",
    "par": "relecture",
}


# Facets of the « Banque d'expériences »: Pagefind filter name → French label (URL keys are the names).
FACETS: dict[str, str] = {
    "type": "Type de fiche",
    "theme": "Thème",
    "public": "Public",
    "departement": "Département",
    "commune": "Commune",
    "epci": "Intercommunalité",
    "statut": "Statut",
    "programme": "Programme",
    "recommandation": "Recommandée par",
    "annee": "Année",
}
