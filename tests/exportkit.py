"""Content and a small MkDocs project for the open-data, PDF and offline tests.

The minimal content of `factories`, plus what the exports need: a module with sessions (one known to the
day, one only to the month) in a training programme with a passport rule, a real Labo project with dated
sessions, a structure with a training path, a draft (which must never leak) and a title full of commas and
quotes. Nothing reads the repository's `content/`.
"""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

from factories import COMMON, FICHES, SOURCES, make_content, write_fiche
from projectkit import write_project

SITE_URL = "https://commun.example.org/"

EXTRA: dict[tuple[str, str], dict[str, Any]] = {
    ("modules", "module-numerique"): {
        "titre": "Socle numérique",
        "resume": "Quatre jours pour les outils numériques du CCAS.",
        **COMMON,
        "mis_a_jour": "2024-06-20",
        "thematiques": ["acces-aux-droits"],
        "programme": "parcours-numerique",
        "categorie": "socle",
        "objectifs": ["Utiliser les outils numériques.", "Accompagner les démarches en ligne."],
        "prerequis": "Aucun",
        "duree": {"jours": 4, "heures": 28},
        "modalite": "presentiel",
        "sessions": [
            {"debut": "2021-06-28", "fin": "2021-07-01", "lieu": "Mamoudzou, salle 2; étage", "participants": 17},
            {"debut": "2021-09"},
        ],
        "sources": SOURCES,
    },
    ("projets", "projet-reel"): {
        "titre": "Guichet des droits",
        "resume": "Un projet du Labo pour aller au-devant des habitants.",
        **COMMON,
        "mis_a_jour": "2024-07-01",
        "porteur": "ccas-reel",
        "thematiques": ["acces-aux-droits"],
        "publics": ["familles"],
        "etape": "prototypage",
        "equipe": [{"fonction": "Agent d'accueil", "role": "referent"}],
        "labos": [
            {"numero": 1, "date": "2021-10-05", "avancement": "Choix du thème."},
            {"numero": 2, "date": "2021-11", "avancement": "Prototype."},
        ],
        "feuille_de_route": [{"axe": "Ouvrir une permanence", "priorite": "prioritaire", "echeance": "2022-03-31"}],
        "sources": SOURCES,
    },
    ("initiatives", "aide-urgente"): {
        "titre": 'Aide « urgente », dite "SOS", et secours',
        "resume": "Une aide d'urgence, versée en 48 heures.",
        **COMMON,
        "mis_a_jour": "2023-01-10",
        "porteur": "ccas-reel",
        "thematiques": ["acces-aux-droits", "aide-alimentaire"],
        "publics": ["familles", "seniors"],
        "statut": "perennise",
        "date_debut": "2019",
        "contact": {"fonction": "Accueil du CCAS", "email": "accueil@ccas-reel.example.org"},
        "sources": SOURCES,
    },
    ("initiatives", "parcours-numerique"): {
        "titre": "Parcours numérique des CCAS",
        "nom_court": "Parcours numérique",
        "resume": "Un programme de formation, défini seulement dans les données des tests, et sa règle de passeport.",
        **COMMON,
        "porteur": "udccas-test",
        "thematiques": ["acces-aux-droits"],
        "publics": ["familles"],
        "passeport": [{"categorie": "socle", "tous": True}],
        "sources": SOURCES,
    },
    ("initiatives", "brouillon-secret"): {
        "titre": "Brouillon secret",
        "resume": "Une fiche encore en brouillon, qui ne doit paraître nulle part.",
        "etat": "brouillon",
        "mis_a_jour": "2025-01-01",
        "porteur": "ccas-reel",
        "thematiques": ["aide-alimentaire"],
        "publics": ["familles"],
        "statut": "idee",
    },
}
PARCOURS = [{"module": "module-numerique", "date": "2021-06-28", "participants": 2}]

# A 2×2 PNG, for the offline copy's image.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGOUi1rAwMDAxMDAwMDAAAAMyAEcmM2rsQAAAABJRU5ErkJggg=="
)


def make_export_content(root: Path) -> Path:
    content = make_content(root)
    for (kind, slug), data in EXTRA.items():
        write_fiche(content, kind, slug, data)
    write_fiche(content, "ccas", "ccas-reel", {**FICHES[("ccas", "ccas-reel")], "parcours": PARCOURS})
    return content


def make_project(root: Path, *, site_url: str | None = SITE_URL) -> Path:
    """A MkDocs project: the repository's theme and overrides, this content, a home page with an image."""
    nav = [
        {"Accueil": "index.md"},
        {"Initiatives": "initiatives/index.md"},
        {"Outils": "outils/index.md"},
        {"Structures": "ccas/index.md"},
        {"Le commun": [{"Données": "donnees.md"}]},
    ]
    home = "# Commun de test\n\n![Carte des communes](assets/carte.png)\n\nVoir les [outils](outils/index.md).\n"
    write_project(root, nav=nav, pages={"index.md": home}, site_url=site_url, recherche=False)
    (root / "docs" / "assets" / "carte.png").write_bytes(PNG)
    make_export_content(root)
    return root
