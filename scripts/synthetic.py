"""A synthetic content folder of any size, for benchmarks: valid, deterministic, and realistic enough.

    python scripts/synthetic.py OUT --n 5000 [--seed 0]

writes OUT as a complete content folder: the repository's vocabularies (or minimal ones), then `n`
fiches spread over every kind (structures, initiatives, projets, modules, outils) with references
between them and bodies of a few paragraphs, recombined from the sentences of the repository's real
fiches (see `Prose`). Every fiche is an example (`exemple: true`) and published, so examples only
point at examples. `commun check OUT` finds no error.
"""

from __future__ import annotations

import argparse
import csv
import random
import re
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
PROSE_SOURCES = ROOT / "content"
# Sentences left out of the training text: addresses, numbers that could be telephones, leftover markup.
UNFIT = re.compile(r"https?:|www\.|@|[\[\]*_<>|{}\\]|\d{2}[ .]?\d{2}[ .]?\d{2}")


@dataclass
class Plan:
    """The slugs of every fiche, decided before any is written so that references can point anywhere."""

    slugs: dict[str, list[str]] = field(default_factory=dict)
    unions: list[str] = field(default_factory=list)  # the first ones are udccas, the last an unccas
    departmental: list[str] = field(default_factory=list)
    programmes: list[str] = field(default_factory=list)
    """Initiatives that modules name as their training programme."""
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
    communes = _referential_communes(folder / "territoires", ["976"])  # Mayotte's 17 communes by default
    communes = communes or [(f"976{i:02d}", place, "") for i, place in enumerate(PLACES, 1)]
    return _vocabulary_slugs(folder / "thematiques.yml"), _vocabulary_slugs(folder / "publics.yml"), communes


Commune = tuple[str, str, str]
"""INSEE code, name, name of its intercommunality."""


def _referential_communes(territoires: Path, departments: list[str], per_department: int = 0) -> list[Commune]:
    """Communes of `departments` in the referential of territories (code, name, EPCI name), all of them or the
    first `per_department` of each, taken in turn from each department."""
    if not (territoires / "epci.csv").is_file():
        return []
    with (territoires / "epci.csv").open(encoding="utf-8", newline="") as stream:
        epcis = {row["siren"]: row["nom"] for row in csv.DictReader(stream)}
    by_department = []
    for code in departments:
        with (territoires / "communes" / f"{code}.csv").open(encoding="utf-8", newline="") as stream:
            rows = [(r["code"], r["nom"], epcis.get(r["epci"], "")) for r in csv.DictReader(stream)]
        by_department.append(rows[:per_department] if per_department else rows)
    if per_department:
        return [row for rank in zip(*by_department, strict=False) for row in rank]
    return [row for rows in by_department for row in rows]


class Prose:
    """French prose in the style of the repository's real fiches: a word-level Markov chain of order 2
    trained on their bodies.

    Benchmarks measure sizes that depend on the text itself (compressed search indexes, pages). A few
    template sentences repeated over 5,000 fiches compressed 17:1, against about 6:1 for the real
    fiches, and gave every word of those templates a posting in most pages; sentences drawn from the
    real vocabulary, recombined, keep the redundancy and word frequencies of real text.
    """

    START = ("", "")

    def __init__(self, folder: Path = PROSE_SOURCES) -> None:
        self.chain: dict[tuple[str, str], list[str]] = {}
        sentences = [s for path in sorted(folder.glob("*/*.md")) for s in _sentences(_prose(path))]
        if len(sentences) < 50:
            raise SystemExit(f"synthetic : trop peu de texte dans {folder} pour écrire des fiches")
        for sentence in sentences:
            state = self.START
            for word in [*sentence.split(), ""]:
                self.chain.setdefault(state, []).append(word)
                state = (state[1], word)

    def sentence(self, rng: random.Random, longest: int = 40) -> str:
        words: list[str] = []
        state = self.START
        while len(words) < longest and (word := rng.choice(self.chain[state])):
            words.append(word)
            state = (state[1], word)
        text = " ".join(words)
        return text if text[-1:] in ".!?»" else text + "."

    def paragraph(self, rng: random.Random) -> str:
        target, text = rng.randint(90, 260), ""
        while len(text) < target:
            text = f"{text} {self.sentence(rng)}".strip()
        return text


def _prose(path: Path) -> str:
    """The running text of a fiche body, without front matter or Markdown markup."""
    body = path.read_text(encoding="utf-8").split("\n---\n", 1)[-1]
    lines = []
    for line in body.splitlines():
        line = re.sub(r"^\s*(?:[-*+]|\d+\.)\s+", "", line)
        if not line.strip() or line.lstrip().startswith(("#", "|", "!!!", "<", ">", "```")):
            lines.append("")
            continue
        lines.append(re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", line).replace("**", "").replace("`", ""))
    return "\n".join(lines)


def _sentences(text: str) -> list[str]:
    """Sentences of plain prose; those with addresses, numbers that could be telephones or markup are left out."""
    out = []
    for paragraph in re.split(r"\n\s*\n", text):
        for sentence in re.split(r"(?<=[.!?])\s+(?=[A-ZÀ-Ý«])", " ".join(paragraph.split())):
            if len(sentence) > 20 and not UNFIT.search(sentence):
                out.append(sentence)
    return out


def _body(rng: random.Random, prose: Prose, headings: list[str], link: tuple[str, str, str] | None) -> str:
    parts = [f"## {heading}\n\n{prose.paragraph(rng)}\n" for heading in headings]
    if link is not None:
        kind, slug, title = link
        parts.append(f"Voir aussi la fiche [{title}](../{kind}/{slug}.md).\n")
    return "\n".join(parts)


def _date(rng: random.Random, start: int = 2016, end: int = 2024) -> str:
    return f"{rng.randint(start, end)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def _resume(text: str) -> str:
    return text if len(text) <= 300 else text[:297].rsplit(" ", 1)[0] + "…"


def department(code: str) -> str:
    """The department of an INSEE commune code: three digits overseas (976), two elsewhere."""
    return code[:3] if code.startswith(("97", "98")) else code[:2]


def _add_departments(content: Path, count: int) -> list[tuple[str, str, str]]:
    """Communes of `count` departments of mainland France (twelve each, from the referential of territories):
    the corpus then spreads over the national network."""
    codes = [f"{number:02d}" for number in range(1, 96) if number != 20][:count]
    return _referential_communes(content / "vocabulaires" / "territoires", codes, per_department=12)


class Generator:
    def __init__(self, content: Path, n: int, seed: int, departments: int = 0) -> None:
        self.content = content
        self.rng = random.Random(seed)
        self.prose = Prose()
        self.counts = _counts(n)
        self.themes, self.publics, self.communes = _write_vocabularies(content)
        if departments:
            self.communes = _add_departments(content, departments)
        self.plan = Plan()
        self.titles: dict[tuple[str, str], str] = {}
        for kind, count in self.counts.items():
            self.plan.slugs[kind] = [f"{PREFIXES[kind]}-{index:05d}" for index in range(1, count + 1)]
        self.plan.unions = self.plan.slugs["ccas"][: max(1, len(self.plan.slugs["ccas"]) // 10)]
        self.plan.departmental = self.plan.unions[:-1] or self.plan.unions
        codes = sorted({department(code) for code, _, _ in self.communes})
        self.union_of = {codes[i % len(codes)]: slug for i, slug in enumerate(self.plan.departmental)}
        self.department_of = {slug: code for code, slug in self.union_of.items()}

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

    def write(self, kind: str, slug: str, data: dict[str, Any], headings: list[str]) -> None:
        body = _body(self.rng, self.prose, headings, self.link())
        front = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)
        (self.content / kind / f"{slug}.md").write_text(f"---\n{front}---\n\n{body}", encoding="utf-8")

    # One method per kind.

    def structure(self, index: int, slug: str) -> None:
        code, name, epci = self.communes[index % len(self.communes)]
        if slug in self.plan.unions:
            kind_of = "udccas" if slug in self.plan.departmental else "unccas"
            data = self.common("ccas", slug, f"Union d'exemple n° {index + 1}",
                               "Union fictive qui fédère les CCAS d'exemple et recommande leurs bonnes pratiques.")
            data.update(type=kind_of, departement=self.department_of.get(slug, "976"))
        else:
            data = self.common("ccas", slug, f"CCAS d'exemple de {name} ({index + 1})",
                               f"Structure fictive, sur le modèle du CCAS de {name} : elle porte des fiches "
                               "d'exemple et montre une feuille de route.")
            data.update(type=self.rng.choice(["ccas", "ccas", "ccas", "cias"]), commune=code,
                        udccas=self.union_of.get(department(code)) or self.rng.choice(self.plan.departmental))
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
        self.write("ccas", slug, data, ["Présentation", "Feuille de route"])

    def initiative(self, index: int, slug: str) -> None:
        title, what = self.rng.choice(ACTIONS)
        place = self.rng.choice(PLACES)
        data = self.common("initiatives", slug, f"{title} à {place} ({index + 1})",
                           f"{what[0].upper()}{what[1:]}, à {place}. Une initiative d'exemple du commun.")
        start = self.rng.randint(2012, 2022)
        data.update(
            porteur=self.rng.choice(self.plan.slugs["ccas"]),
            communes=sorted({code for code, _, _ in self.rng.sample(self.communes, k=self.rng.randint(0, 2))}),
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
        if slug in self.plan.programmes:  # a training programme, the first with a passport rule
            data["nom_court"] = f"Programme d'exemple {self.plan.programmes.index(slug) + 1}"
            if slug == self.plan.programmes[0]:
                data["passeport"] = [{"categorie": "socle", "tous": True}, {"categorie": "a-la-carte", "minimum": 2}]
        headings = ["Contexte", "Objectifs", "Description", "Résultats", "Difficultés"]
        self.write("initiatives", slug, data, headings)

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
            programme=self.rng.choice([*self.plan.programmes, None]),
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
        if data["programme"] is None:
            del data["programme"]
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


def generate(out_dir: Path, n: int, seed: int = 0, departments: int = 0) -> Path:
    """Write a content folder of `n` example fiches at `out_dir` (which must not exist or be empty); with
    `departments`, the structures spread over that many departments (communes of the referential)."""
    out_dir = Path(out_dir)
    if out_dir.exists() and any(out_dir.iterdir()):
        raise FileExistsError(f"{out_dir} n'est pas vide")
    out_dir.mkdir(parents=True, exist_ok=True)
    Generator(out_dir, n, seed, departments).run()
    return out_dir


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Écrit un dossier de contenu synthétique (fiches d'exemple).")
    parser.add_argument("sortie", type=Path, help="dossier à créer (vide)")
    parser.add_argument("--n", type=int, default=5000, help="nombre de fiches (5000 par défaut)")
    parser.add_argument("--seed", type=int, default=0, help="graine du hasard (0 par défaut)")
    parser.add_argument("--departements", type=int, default=0, help="structures réparties sur N départements")
    args = parser.parse_args(argv)
    try:
        generate(args.sortie, args.n, args.seed, args.departements)
    except FileExistsError as exc:
        print(f"synthetic : {exc}", file=sys.stderr)
        return 2
    print(f"{args.n} fiches écrites dans {args.sortie}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
