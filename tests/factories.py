"""Tiny factories for content folders: a minimal valid corpus, and helpers to add fiches to it.

Tests build their own content in `tmp_path`; only the schema-staleness test and the check of the
real corpus read the repository's `content/`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from commun.core.problems import Problem

ROOT = Path(__file__).resolve().parent.parent

THEMATIQUES = {
    "acces-aux-droits": {"libelle": "Accès aux droits", "description": "Informer et accompagner vers les droits."},
    "aide-alimentaire": {"libelle": "Aide alimentaire", "description": "Accès à l'alimentation."},
    "personnes-agees": {"libelle": "Personnes âgées", "description": "Prévention et lutte contre l'isolement."},
}
PUBLICS = {
    "familles": {"libelle": "Familles", "description": "Parents et enfants."},
    "jeunes": {"libelle": "Jeunes", "description": "Adolescents et jeunes adultes."},
    "seniors": {"libelle": "Seniors", "description": "Personnes de plus de 60 ans."},
}

SOURCES = [{"titre": "UNCCAS, rapport d'activité (2021)"}]
COMMON = {"etat": "publie", "mis_a_jour": "2024-05-02"}

# One fiche per kind (and one structure per type the references need), as (kind, slug) -> fields.
# Real fiches cite a source so that the minimal folder has no warning at all.
FICHES: dict[tuple[str, str], dict[str, Any]] = {
    ("ccas", "udccas-test"): {
        "titre": "UDCCAS de test",
        "resume": "Union départementale fictive des tests.",
        **COMMON,
        "type": "udccas",
        "departement": "976",
        "sources": SOURCES,
    },
    ("ccas", "ccas-reel"): {
        "titre": "CCAS réel",
        "resume": "Un CCAS rattaché à une commune.",
        **COMMON,
        "type": "ccas",
        "commune": "97611",
        "udccas": "udccas-test",
        "sources": SOURCES,
    },
    ("ccas", "ccas-exemple"): {
        "titre": "CCAS d'exemple",
        "resume": "Structure fictive qui porte les fiches d'exemple.",
        **COMMON,
        "type": "autre",
        "exemple": True,
    },
    ("initiatives", "epicerie-solidaire"): {
        "titre": "Épicerie solidaire",
        "resume": "Une épicerie à petits prix pour les familles.",
        **COMMON,
        "porteur": "ccas-reel",
        "thematiques": ["aide-alimentaire"],
        "publics": ["familles"],
        "statut": "en_cours",
        "date_debut": "2021-01-04",
        "liens": {"outils": ["grille-entretien"], "modules": ["module-accueil"]},
        "sources": SOURCES,
    },
    ("projets", "projet-exemple"): {
        "titre": "Projet d'exemple",
        "resume": "Un projet fictif du Labo.",
        **COMMON,
        "exemple": True,
        "porteur": "ccas-exemple",
        "etape": "ideation",
        "equipe": [{"fonction": "Directrice du CCAS", "role": "referent"}, {"fonction": "Agent", "role": "membre"}],
    },
    ("modules", "module-accueil"): {
        "titre": "Accueil des publics",
        "resume": "Deux jours pour améliorer le premier accueil.",
        **COMMON,
        "categorie": "socle",
        "objectifs": ["Savoir accueillir."],
        "sources": SOURCES,
    },
    ("outils", "grille-entretien"): {
        "titre": "Grille d'entretien",
        "resume": "Une grille pour conduire un entretien d'accueil.",
        **COMMON,
        "type": "grille",
        "fichiers": [{"titre": "La grille", "chemin": "fichiers/grille.csv", "format": "CSV"}],
        "sources": SOURCES,
    },
}

BODY = "## Présentation\n\nUn texte simple, sans code ni coordonnées personnelles.\n"


def dump(data: Any) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)


def fiche_text(data: dict[str, Any], body: str = BODY) -> str:
    """The text of a Markdown fiche: front matter from `data`, then `body`."""
    return f"---\n{dump(data)}---\n{body}"


def write_fiche(
    content: Path, kind: str, slug: str, data: dict[str, Any], body: str = BODY, *, suffix: str = ".md"
) -> Path:
    """Write a fiche from a dict (+ a Markdown body for .md); returns its path.

    A copy of a fiche of the minimal folder written under another slug gets a title of its own, `… (slug)`:
    two fiches with one title and one porteur are reported as one fiche written twice.
    """
    copied = [data.get("titre") == fields["titre"] for (k, s), fields in FICHES.items() if k == kind and s != slug]
    if any(copied):
        data = {**data, "titre": f"{data['titre']} ({slug})"}
    path = content / kind / f"{slug}{suffix}"
    path.parent.mkdir(parents=True, exist_ok=True)
    text = fiche_text(data, body) if suffix == ".md" else dump(data)
    path.write_text(text, encoding="utf-8")
    return path


def fiche_data(kind: str, slug: str, **changes: Any) -> dict[str, Any]:
    """A copy of one fiche of the minimal folder, with `changes` applied (None removes a key)."""
    data = {key: value for key, value in FICHES[(kind, slug)].items()}
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def make_content(root: Path) -> Path:
    """A minimal valid content folder under `root`; returns its path."""
    content = root / "content"
    vocabularies = content / "vocabulaires"
    vocabularies.mkdir(parents=True)
    (vocabularies / "thematiques.yml").write_text(dump(THEMATIQUES), encoding="utf-8")
    (vocabularies / "publics.yml").write_text(dump(PUBLICS), encoding="utf-8")
    files = content / "outils" / "fichiers"
    files.mkdir(parents=True)
    (files / "grille.csv").write_text("question;réponse\n", encoding="utf-8")
    for (kind, slug), data in FICHES.items():
        write_fiche(content, kind, slug, data)
    return content


TERRITOIRES = ROOT / "content" / "vocabulaires" / "territoires"


def write_territoires(content: Path, *departements: str) -> Path:
    """The repository's referential of territories in `content`, with the communes of `departements` only
    (every department if none is named): real codes, names and EPCIs, as a contributor's copy has them."""
    folder = content / "vocabulaires" / "territoires"
    (folder / "communes").mkdir(parents=True, exist_ok=True)
    for name in ("departements.csv", "epci.csv", "autres-codes.csv"):
        (folder / name).write_bytes((TERRITOIRES / name).read_bytes())
    for path in (TERRITOIRES / "communes").glob("*.csv"):
        if not departements or path.stem in departements:
            (folder / "communes" / path.name).write_bytes(path.read_bytes())
    return folder


def messages(problems: list[Problem]) -> list[str]:
    return [str(problem) for problem in problems]
