"""A synthetic content folder of any size, for benchmarks: valid, deterministic, and realistic enough.

    python scripts/synthetic.py OUT --n 5000 [--seed 0]

writes OUT as a complete content folder: the repository's vocabularies (or minimal ones), then `n`
fiches spread over every kind (structures, initiatives, projets, modules, outils) with French text
bodies of a few paragraphs and references between them. Every fiche is an example (`exemple: true`)
and published, so examples only point at examples. `commun check OUT` finds no error.
"""

from __future__ import annotations

import argparse
import csv
import random
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
VOCABULARIES = ROOT / "content" / "vocabulaires"

# Share of each kind in the corpus (structures first: every other fiche needs a porteur).
SHARES = {"ccas": 0.10, "initiatives": 0.45, "projets": 0.15, "modules": 0.15, "outils": 0.15}
PREFIXES = {"ccas": "ccas", "initiatives": "initiative", "projets": "projet", "modules": "module", "outils": "outil"}

MINIMAL_THEMES = {
    "acces-aux-droits": "Accès aux droits et non-recours",
    "accueil-social": "Accueil social",
    "aide-alimentaire": "Aide alimentaire",
    "personnes-agees": "Personnes âgées",
    "inclusion-numerique": "Inclusion numérique",
    "logement-hebergement": "Logement et hébergement",
}
MINIMAL_PUBLICS = {
    "tous-habitants": "Tous les habitants",
    "familles": "Familles",
    "jeunes": "Jeunes",
    "personnes-agees": "Personnes âgées",
    "personnes-handicapees": "Personnes en situation de handicap",
}

PLACES = ["Sada", "Acoua", "Chiconi", "Kani-Kéli", "Bandrélé", "Tsingoni", "Ouangani", "Dembéni", "Koungou", "Boueni"]
ACTIONS = [
    ("Épicerie solidaire", "une épicerie à petits prix ouverte aux familles orientées par le CCAS"),
    ("Permanence d'accès aux droits", "une permanence hebdomadaire pour ouvrir les droits et réduire le non-recours"),
    ("Atelier numérique", "des ateliers pour faire ses démarches en ligne avec un conseiller"),
    ("Visites de convivialité", "des visites régulières aux personnes âgées isolées"),
    ("Jardin partagé", "un jardin cultivé ensemble par les habitants du quartier"),
    ("Guichet unique", "un accueil commun du CCAS et de ses partenaires"),
    ("Aide aux vacances", "un soutien aux départs en vacances des familles"),
    ("Transport solidaire", "des trajets assurés par des bénévoles vers les rendez-vous médicaux"),
    ("Analyse des besoins sociaux", "un diagnostic partagé des besoins de la population"),
    ("Café des aidants", "des rencontres mensuelles pour les proches aidants"),
]
PARTNERS = ["la caisse d'allocations familiales", "le conseil départemental", "la mission locale",
            "les associations de quartier", "le centre hospitalier", "la caisse de sécurité sociale",
            "les bailleurs sociaux", "l'union départementale des CCAS"]
FUNCTIONS = ["Directrice du CCAS", "Travailleur social", "Agent d'accueil", "Conseillère numérique",
             "Responsable de l'action sociale", "Chargé de mission", "Coordinatrice de projet"]
OPENINGS = [
    "Le CCAS de {place} a constaté que {public} renonçaient souvent à leurs démarches.",
    "À {place}, les agents d'accueil recevaient chaque semaine des demandes auxquelles personne ne répondait.",
    "L'analyse des besoins sociaux conduite à {place} a fait ressortir un besoin d'accompagnement {public_de}.",
    "Les élus de {place} ont souhaité rapprocher le CCAS {public_de}.",
]
MIDDLES = [
    "L'action repose sur {action}, construite avec {partner}.",
    "Le projet s'appuie sur {action} ; {partner} y participe depuis le début.",
    "Concrètement, il s'agit de {action}, en lien étroit avec {partner}.",
]
DETAILS = [
    "Une réunion de bilan réunit chaque trimestre les agents, les bénévoles et les partenaires.",
    "Les personnes accompagnées donnent leur avis au moyen d'un court questionnaire anonyme.",
    "Le conseil d'administration du CCAS a validé le règlement de fonctionnement.",
    "Les horaires ont été adaptés après les premiers mois pour mieux correspondre aux besoins.",
    "Un agent référent coordonne l'ensemble et tient un tableau de suivi.",
    "La communication passe par les écoles, les associations et l'affichage en mairie.",
]
RESULTS = [
    "En {year}, {count} personnes en ont bénéficié, soit bien plus que prévu.",
    "Le nombre de dossiers ouverts a progressé d'environ {percent} % la première année.",
    "Les partenaires jugent l'action utile et souhaitent la poursuivre en {year}.",
]
DIFFICULTIES = [
    "La principale difficulté reste la mobilité des habitants des villages éloignés.",
    "Le recrutement de bénévoles réguliers demande un effort constant.",
    "Le financement n'est assuré que pour une année, ce qui fragilise l'action.",
]


@dataclass
class Plan:
    """The slugs of every fiche, decided before any is written so that references can point anywhere."""

    slugs: dict[str, list[str]] = field(default_factory=dict)
    unions: list[str] = field(default_factory=list)  # the first ones are udccas, the last an unccas
    departmental: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)


def _counts(n: int) -> dict[str, int]:
    counts = {kind: int(n * share) for kind, share in SHARES.items()}
    for kind in list(SHARES)[: n - sum(counts.values())]:  # the rounding remainder, structures first
        counts[kind] += 1
    if n >= 1 and counts["ccas"] == 0:
        counts["ccas"], counts[max(counts, key=counts.get)] = 1, counts[max(counts, key=counts.get)] - 1
    return counts


def _vocabulary_slugs(path: Path) -> list[str]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return sorted(data)


def _write_vocabularies(content: Path) -> tuple[list[str], list[str], list[tuple[str, str, str]]]:
    """Copy the repository's vocabularies (or write minimal ones); returns themes, publics and communes."""
    folder = content / "vocabulaires"
    if (VOCABULARIES / "thematiques.yml").is_file() and (VOCABULARIES / "publics.yml").is_file():
        shutil.copytree(VOCABULARIES, folder)
    else:
        folder.mkdir(parents=True)
        for name, terms in (("thematiques", MINIMAL_THEMES), ("publics", MINIMAL_PUBLICS)):
            data = {slug: {"libelle": label, "description": f"{label}."} for slug, label in terms.items()}
            (folder / f"{name}.yml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    communes = []
    if (folder / "communes.csv").is_file():
        with (folder / "communes.csv").open(encoding="utf-8", newline="") as stream:
            communes = [(r["code_insee"], r["nom"], r.get("epci_nom") or "") for r in csv.DictReader(stream)]
    communes = communes or [(f"976{i:02d}", place, "") for i, place in enumerate(PLACES, 1)]
    return _vocabulary_slugs(folder / "thematiques.yml"), _vocabulary_slugs(folder / "publics.yml"), communes


def _paragraphs(rng: random.Random, count: int, place: str) -> list[str]:
    action = rng.choice(ACTIONS)[1]
    public = rng.choice(["familles", "personnes âgées", "jeunes", "habitants"])
    values = {
        "place": place, "public": f"les {public}", "public_de": f"des {public}", "action": action,
        "partner": rng.choice(PARTNERS),
        "year": rng.randint(2015, 2024), "count": rng.randint(12, 900), "percent": rng.randint(5, 60),
    }
    pools = [OPENINGS, MIDDLES, DETAILS, RESULTS, DIFFICULTIES]
    out = []
    for index in range(count):
        pool = pools[index % len(pools)]
        sentences = [rng.choice(pool), *rng.sample(DETAILS, k=rng.randint(1, 3))]
        out.append(" ".join(s.format(**values) for s in sentences))
    return out


def _body(rng: random.Random, headings: list[str], link: tuple[str, str, str] | None, place: str) -> str:
    parts = []
    for heading, paragraph in zip(headings, _paragraphs(rng, len(headings), place), strict=True):
        parts.append(f"## {heading}\n\n{paragraph}\n")
    if link is not None:
        kind, slug, title = link
        parts.append(f"Voir aussi la fiche [{title}](../{kind}/{slug}.md).\n")
    return "\n".join(parts)


def _date(rng: random.Random, start: int = 2016, end: int = 2024) -> str:
    return f"{rng.randint(start, end)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def _resume(text: str) -> str:
    return text if len(text) <= 300 else text[:297].rsplit(" ", 1)[0] + "…"


class Generator:
    def __init__(self, content: Path, n: int, seed: int) -> None:
        self.content = content
        self.rng = random.Random(seed)
        self.counts = _counts(n)
        self.themes, self.publics, self.communes = _write_vocabularies(content)
        self.plan = Plan()
        self.titles: dict[tuple[str, str], str] = {}
        for kind, count in self.counts.items():
            self.plan.slugs[kind] = [f"{PREFIXES[kind]}-{index:05d}" for index in range(1, count + 1)]
        self.plan.unions = self.plan.slugs["ccas"][: max(1, len(self.plan.slugs["ccas"]) // 10)]
        self.plan.departmental = self.plan.unions[:-1] or self.plan.unions

    def pick(self, kind: str, k: int = 1, exclude: str | None = None) -> list[str]:
        pool = [slug for slug in self.plan.slugs[kind] if slug != exclude]
        return self.rng.sample(pool, k=min(k, len(pool)))

    def common(self, kind: str, slug: str, title: str, summary: str) -> dict[str, Any]:
        self.titles[(kind, slug)] = title
        return {
            "titre": title,
            "resume": _resume(summary),
            "etat": "publie",
            "mis_a_jour": _date(self.rng, 2023, 2025),
            "exemple": True,
            "thematiques": self.rng.sample(self.themes, k=self.rng.randint(1, 3)),
            "sources": [{"titre": f"Compte rendu d'activité {self.rng.randint(2016, 2024)} (document fictif)"}],
        }

    def link(self) -> tuple[str, str, str] | None:
        written = list(self.titles)
        if not written or self.rng.random() < 0.5:
            return None
        kind, slug = self.rng.choice(written)
        return kind, slug, self.titles[(kind, slug)]

    def write(self, kind: str, slug: str, data: dict[str, Any], headings: list[str], place: str = "") -> None:
        body = _body(self.rng, headings, self.link(), place or self.rng.choice(PLACES))
        front = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)
        (self.content / kind / f"{slug}.md").write_text(f"---\n{front}---\n\n{body}", encoding="utf-8")

    # One method per kind.

    def structure(self, index: int, slug: str) -> None:
        code, name, epci = self.communes[index % len(self.communes)]
        if slug in self.plan.unions:
            kind_of = "udccas" if slug in self.plan.departmental else "unccas"
            data = self.common("ccas", slug, f"Union d'exemple n° {index + 1}",
                               "Union fictive qui fédère les CCAS d'exemple et recommande leurs bonnes pratiques.")
            data.update(type=kind_of, departement="976")
        else:
            data = self.common("ccas", slug, f"CCAS d'exemple de {name} ({index + 1})",
                               f"Structure fictive, sur le modèle du CCAS de {name} : elle porte des fiches "
                               "d'exemple et montre une feuille de route.")
            data.update(type=self.rng.choice(["ccas", "ccas", "ccas", "cias"]), commune=code,
                        udccas=self.rng.choice(self.plan.departmental))
            if epci:
                data["epci"] = epci
            data["parrains"] = self.pick("ccas", self.rng.randint(0, 2), exclude=slug)
            if self.plan.slugs["modules"]:
                data["parcours"] = [{"module": m, "participants": self.rng.randint(1, 8)}
                                    for m in self.pick("modules", self.rng.randint(0, 3))]
        data["feuille_de_route"] = [
            {"axe": self.rng.choice(ACTIONS)[0], "priorite": self.rng.choice(["prioritaire", "secondaire"]),
             "etat": self.rng.choice(["a_venir", "en_cours", "realise"])}
            for _ in range(self.rng.randint(0, 3))
        ]
        self.write("ccas", slug, data, ["Présentation", "Feuille de route"], name)

    def initiative(self, index: int, slug: str) -> None:
        title, what = self.rng.choice(ACTIONS)
        place = self.rng.choice(PLACES)
        data = self.common("initiatives", slug, f"{title} à {place} ({index + 1})",
                           f"{what[0].upper()}{what[1:]}, à {place}. Une initiative d'exemple du commun.")
        start = self.rng.randint(2012, 2022)
        data.update(
            porteur=self.rng.choice(self.plan.slugs["ccas"]),
            publics=self.rng.sample(self.publics, k=self.rng.randint(1, 2)),
            statut=self.rng.choice(["idee", "experimentation", "en_cours", "perennise", "termine"]),
            date_debut=f"{start}-{self.rng.randint(1, 12):02d}-01",
            date_fin=f"{start + self.rng.randint(1, 3)}-06-30",
            echelle=self.rng.choice(["communale", "intercommunale", "departementale"]),
            partenaires=self.rng.sample(PARTNERS, k=2),
            budget_eur=float(self.rng.randint(1, 200) * 500),
            liens={
                "inspire_de": self.pick("initiatives", self.rng.randint(0, 2), exclude=slug),
                "outils": self.pick("outils", self.rng.randint(0, 2)),
                "modules": self.pick("modules", self.rng.randint(0, 1)),
                "projets": self.pick("projets", self.rng.randint(0, 1)),
            },
            recommandee_par=[{"structure": u} for u in self.rng.sample(self.plan.unions, k=self.rng.randint(0, 1))],
        )
        headings = ["Contexte", "Objectifs", "Description", "Résultats", "Difficultés"]
        self.write("initiatives", slug, data, headings, place)

    def projet(self, index: int, slug: str) -> None:
        title = self.rng.choice(ACTIONS)[0]
        data = self.common("projets", slug, f"Projet d'exemple : {title.lower()} ({index + 1})",
                           f"Projet fictif du Labo des solutions innovantes autour de : {title.lower()}.")
        team = [{"fonction": f, "role": "membre"} for f in self.rng.sample(FUNCTIONS, k=self.rng.randint(1, 3))]
        team[self.rng.randrange(len(team))]["role"] = "referent"
        data.update(
            porteur=self.rng.choice(self.plan.slugs["ccas"]),
            priorite=self.rng.choice(["prioritaire", "secondaire"]),
            publics=self.rng.sample(self.publics, k=1),
            etape=self.rng.choice(["immersion", "ideation", "prototypage", "experimentation", "evaluation"]),
            equipe=team,
            labos=[{"numero": number, "avancement": "Présentation de l'avancement au Labo."}
                   for number in range(1, self.rng.randint(1, 4))],
            outils=self.pick("outils", self.rng.randint(0, 2)),
        )
        if self.plan.slugs["initiatives"] and self.rng.random() < 0.3:
            data["initiative"] = self.rng.choice(self.plan.slugs["initiatives"])
        self.write("projets", slug, data, ["Le besoin", "L'idée", "Avancement"])

    def module(self, index: int, slug: str) -> None:
        title = self.rng.choice(["Accueil des publics", "Accès aux droits", "Budget du CCAS", "Conduite de projet",
                                 "Analyse des besoins sociaux", "Partenariats locaux"])
        data = self.common("modules", slug, f"{title} (module d'exemple {index + 1})",
                           f"Module de formation fictif : {title.lower()}, pour les agents des CCAS.")
        year = self.rng.randint(2018, 2024)
        data.update(
            programme=self.rng.choice(["pass-palas", "design-palas", "autre"]),
            categorie=self.rng.choice(["socle", "a-la-carte", "coaching", "evaluation"]),
            objectifs=[f"Savoir {verb}." for verb in self.rng.sample(
                ["accueillir le public", "ouvrir les droits", "lire un budget", "animer un partenariat",
                 "conduire un entretien", "évaluer une action"], k=self.rng.randint(1, 3))],
            public="Agents et élus des CCAS.",
            duree={"jours": float(self.rng.randint(1, 3))},
            modalite=self.rng.choice(["presentiel", "distanciel", "hybride"]),
            effectif_max=self.rng.randint(8, 20),
            sessions=[{"debut": f"{year}-0{m}-10", "fin": f"{year}-0{m}-11", "participants": self.rng.randint(4, 15)}
                      for m in range(1, self.rng.randint(1, 4))],
            methodes=["Apports théoriques et études de cas.", "Mises en situation."],
        )
        self.write("modules", slug, data, ["Programme", "Déroulé"])

    def outil(self, index: int, slug: str) -> None:
        kind_of = self.rng.choice(["methode", "modele", "grille", "questionnaire", "guide"])
        data = self.common("outils", slug, f"Outil d'exemple n° {index + 1} ({kind_of})",
                           "Un outil fictif pour préparer, conduire ou évaluer une action sociale locale.")
        data.update(
            type=kind_of,
            usage="Préparer une réunion d'équipe ou un entretien.",
            duree="Une demi-journée.",
            etapes=["Préparer le support.", "Réunir l'équipe.", "Faire le bilan."],
        )
        if self.plan.files and self.rng.random() < 0.3:
            data["fichiers"] = [{"titre": "Le modèle à compléter", "chemin": self.rng.choice(self.plan.files),
                                 "format": "CSV"}]
        self.write("outils", slug, data, ["Mode d'emploi", "Conseils"])

    def run(self) -> None:
        files = self.content / "outils" / "fichiers"
        files.mkdir(parents=True)
        for number in range(1, 4):
            (files / f"modele-{number}.csv").write_text("question;réponse\n", encoding="utf-8")
            self.plan.files.append(f"fichiers/modele-{number}.csv")
        makers: dict[str, Callable[[int, str], None]] = {
            "ccas": self.structure, "modules": self.module, "outils": self.outil,
            "initiatives": self.initiative, "projets": self.projet,
        }
        for kind, make in makers.items():
            (self.content / kind).mkdir(parents=True, exist_ok=True)
            for index, slug in enumerate(self.plan.slugs[kind]):
                make(index, slug)


def generate(out_dir: Path, n: int, seed: int = 0) -> Path:
    """Write a content folder of `n` example fiches at `out_dir` (which must not exist or be empty)."""
    out_dir = Path(out_dir)
    if out_dir.exists() and any(out_dir.iterdir()):
        raise FileExistsError(f"{out_dir} n'est pas vide")
    out_dir.mkdir(parents=True, exist_ok=True)
    Generator(out_dir, n, seed).run()
    return out_dir


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Écrit un dossier de contenu synthétique (fiches d'exemple).")
    parser.add_argument("sortie", type=Path, help="dossier à créer (vide)")
    parser.add_argument("--n", type=int, default=5000, help="nombre de fiches (5000 par défaut)")
    parser.add_argument("--seed", type=int, default=0, help="graine du hasard (0 par défaut)")
    args = parser.parse_args(argv)
    try:
        generate(args.sortie, args.n, args.seed)
    except FileExistsError as exc:
        print(f"synthetic : {exc}", file=sys.stderr)
        return 2
    print(f"{args.n} fiches écrites dans {args.sortie}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
