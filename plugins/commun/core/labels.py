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


GROUPS: dict[str, str] = {
    "Structure.type": "type_structure",
    "Outil.type": "type_outil",
    "Etape.etat": "etat_etape",
}
"""The label group of a coded field whose group is not named like the field (`Model.field` → group)."""


def group(model: type, name: str) -> str:
    """The group of LABELS that names the values of field `name` of `model` (its parents' rules hold)."""
    for cls in model.__mro__:
        if found := GROUPS.get(f"{cls.__name__}.{name}"):
            return found
    return name


def label(value: Any, group: str) -> str:
    """The French label of a coded value (`en_cours` → « En cours »)."""
    return LABELS.get(group, {}).get(value, str(value)) if value is not None else ""


def coded(item: Any, name: str) -> str:
    """The label of a fiche's (or a nested block's) coded field: `coded(structure, "type")` → « CCAS ».

    `item.__class__`, not `type(item)`: under `mkdocs serve` a fiche's fields come through a recording view.
    """
    return label(getattr(item, name), group(item.__class__, name))


FIELD_NAMES: dict[str, str] = {
    "titre": "Titre",
    "resume": "Résumé",
    "etat": "État",
    "mis_a_jour": "Mis à jour",
    "thematiques": "Thématiques",
    "sources": "Sources",
    "url": "Adresse web",
    "licence": "Licence",
    "exemple": "Fiche d'exemple",
    "porteur": "Porteur",
    "communes": "Communes",
    "publics": "Publics",
    "statut": "Statut",
    "date_debut": "Date de début",
    "date_fin": "Date de fin",
    "echelle": "Échelle",
    "partenaires": "Partenaires",
    "financements": "Financements",
    "financeur": "Financeur",
    "montant_eur": "Montant (€)",
    "budget_eur": "Budget (€)",
    "moyens_humains": "Moyens humains",
    "contact": "Contact",
    "fonction": "Fonction",
    "email": "Adresse e-mail",
    "telephone": "Téléphone",
    "liens": "Liens",
    "inspire_de": "Inspirée de",
    "outils": "Outils",
    "modules": "Modules de formation",
    "projets": "Projets du Labo",
    "recommandee_par": "Recommandée par",
    "structure": "Union",
    "date": "Date",
    "priorite": "Priorité",
    "etape": "Étape",
    "equipe": "Équipe",
    "role": "Rôle",
    "labos": "Sessions du Labo",
    "numero": "Numéro",
    "avancement": "Avancement",
    "feuille_de_route": "Feuille de route",
    "axe": "Axe",
    "echeance": "Échéance",
    "initiative": "Initiative",
    "programme": "Programme",
    "categorie": "Catégorie",
    "objectifs": "Objectifs",
    "public": "Public",
    "prerequis": "Prérequis",
    "duree": "Durée",
    "jours": "Jours",
    "heures": "Heures",
    "modalite": "Modalité",
    "effectif_max": "Effectif maximum",
    "sessions": "Sessions",
    "debut": "Début",
    "fin": "Fin",
    "lieu": "Lieu",
    "participants": "Participants",
    "methodes": "Méthodes",
    "modalites_evaluation": "Modalités d'évaluation",
    "accessibilite": "Accessibilité",
    "delai_acces": "Délai d'accès",
    "tarif": "Tarif",
    "indicateurs": "Indicateurs",
    "taux_satisfaction": "Taux de satisfaction (%)",
    "annee": "Année",
    "type": "Type",
    "usage": "Usage",
    "materiel": "Matériel",
    "etapes": "Étapes",
    "fichiers": "Fichiers",
    "chemin": "Chemin",
    "format": "Format",
    "commune": "Commune",
    "departement": "Département",
    "epci": "Intercommunalité (EPCI)",
    "population": "Population",
    "valeur": "Habitants",
    "source": "Source",
    "udccas": "Union départementale",
    "adresse": "Adresse",
    "site_web": "Site web",
    "parrains": "CCAS parrains",
    "parcours": "Parcours de formation",
    "module": "Module",
    "nom_court": "Nom court",
    "passeport": "Passeport de professionnalisation",
    "tous": "Tous les modules",
    "minimum": "Nombre minimum de modules",
    "relecture": "Relecture",
    "par": "Relue par",
}
"""The name of each key of a fiche as people read it: in the web form, the terminal, the import's messages."""


def field_name(name: str) -> str:
    """`mis_a_jour` → « Mis à jour »; a key without a name (a model field added since) reads as written."""
    return FIELD_NAMES.get(name) or name.replace("_", " ").capitalize()


@dataclass(frozen=True)
class Relation:
    """How the pages of two linked fiches name their link: a reference written in a fiche of `kind` (None: of
    any kind) under `field`. `outgoing` heads the section of the citing fiche's page, `incoming` (singular,
    plural) the section of the cited fiche's page; None where the page shows the link its own way (the facts
    box, the review line, a programme's modules by category)."""

    kind: str | None
    field: str
    outgoing: str | None
    incoming: tuple[str, str] | None
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
        "Formations liées",
        ("Initiative liée à cette formation", "Initiatives liées à cette formation"),
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
    Relation("modules", "programme", None, None),
    Relation(None, "par", None, ("Fiche relue par cette union", "Fiches relues par cette union")),
)
"""Every kind of link between fiches, in the order their sections come on a page."""


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
