"""Regenerates the referential of French territories in `content/vocabulaires/territoires/` from the npm
package `@etalab/decoupage-administratif` (Licence Ouverte):

    python scripts/referentiel_communes.py [--paquet ARCHIVE.tgz|DOSSIER] [--sortie content/vocabulaires/territoires]

Writes small CSV files, so that a check reads only the departments its fiches name:

- `departements.csv`: every department and overseas collectivity (code, name, region, zone, year of the
  populations);
- `epci.csv`: every intercommunality with its own taxation (SIREN, name, type, population, the departments
  of its communes, and the slug of its page, made unique);
- `communes/<département>.csv`: the current communes of one department (INSEE code, name, EPCI SIREN,
  municipal population);
- `autres-codes.csv`: the codes that are not current communes but that a contributor may write
  (municipal arrondissements of Paris, Lyon and Marseille, delegated and associated communes), with the
  commune they belong to.

Populations are the INSEE municipal populations the package carries: those of 2023 (in force on
1 January 2026) for the departments, 2017 for Mayotte (its last legal populations in the package); the
package gives no year for the overseas collectivities, so none is written.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "plugins"))
from commun.core.text import slugify
from paquet_npm import unpacked

PACKAGE = "@etalab/decoupage-administratif"
VERSION = "6.0.0"
ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "content" / "vocabulaires" / "territoires"

POPULATION_YEAR = {"metro": "2023", "drom": "2023", "com": ""}
POPULATION_YEAR_BY_DEPARTMENT = {"976": "2017"}
"""Mayotte's populations in the package are those of 2017 (see the package's README, « Sources »)."""
OTHER_TYPES = ("arrondissement-municipal", "commune-deleguee", "commune-associee")


def department_of(code: str) -> str:
    """The department of a commune code, as the check derives it: 3 digits overseas, else 2 (2A, 2B)."""
    return code[:3] if code.startswith(("97", "98")) else code[:2]


def _write(path: Path, header: list[str], rows: list[list[Any]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def build(package: Path, output: Path) -> dict[str, int]:
    data = package / "data"
    communes = json.loads((data / "communes.json").read_text(encoding="utf-8"))
    departements = json.loads((data / "departements.json").read_text(encoding="utf-8"))
    regions = {r["code"]: r["nom"] for r in json.loads((data / "regions.json").read_text(encoding="utf-8"))}
    epcis = json.loads((data / "epci.json").read_text(encoding="utf-8"))

    current = [c for c in communes if c["type"] == "commune-actuelle"]
    codes = {c["code"] for c in current}
    known_departments = {d["code"] for d in departements}
    for commune in current:  # the check finds a commune's file from its code: the rule must hold for all
        if department_of(commune["code"]) != commune["departement"] or commune["departement"] not in known_departments:
            sys.exit(f"commune {commune['code']} : département {commune['departement']} inattendu")

    epci_of: dict[str, str] = {}
    departments_of_epci: dict[str, set[str]] = defaultdict(set)
    for epci in epcis:
        for member in epci["membres"]:
            if member["code"] in codes:
                epci_of[member["code"]] = epci["code"]
                departments_of_epci[epci["code"]].add(department_of(member["code"]))
    names = Counter(slugify(e["nom"]) for e in epcis)

    def epci_slug(epci: dict[str, Any]) -> str:
        slug = slugify(epci["nom"])
        return slug if names[slug] == 1 else f"{slug}-{'-'.join(sorted(departments_of_epci[epci['code']])).lower()}"

    epci_rows = sorted(
        [
            [e["code"], e["nom"], e["type"], e.get("populationMunicipale", ""),
             " ".join(sorted(departments_of_epci[e["code"]])), epci_slug(e)]
            for e in epcis
        ],
        key=lambda row: row[0],
    )
    slugs = [row[5] for row in epci_rows]
    if len(set(slugs)) != len(slugs):
        sys.exit("deux intercommunalités auraient la même adresse de page")

    department_rows = [
        [
            d["code"],
            d["nom"],
            regions.get(d["region"], ""),
            d["zone"],
            POPULATION_YEAR_BY_DEPARTMENT.get(d["code"], POPULATION_YEAR[d["zone"]]),
        ]
        for d in sorted(departements, key=lambda d: d["code"])
    ]

    by_department: dict[str, list[list[Any]]] = defaultdict(list)
    for commune in sorted(current, key=lambda c: c["code"]):
        by_department[commune["departement"]].append(
            [commune["code"], commune["nom"], epci_of.get(commune["code"], ""), commune.get("population", "")]
        )

    others = sorted(
        (
            [c["code"], c["nom"], c["type"], c.get("commune") or c.get("chefLieu", "")]
            for c in communes
            if c["type"] in OTHER_TYPES and c["code"] not in codes
        ),
        key=lambda row: row[0],
    )
    others = list({row[0]: row for row in others}.values())  # a code both delegated and associated: once

    folder = output / "communes"
    if folder.is_dir():
        for old in folder.glob("*.csv"):
            old.unlink()
    _write(output / "departements.csv", ["code", "nom", "region", "zone", "annee_population"], department_rows)
    _write(output / "epci.csv", ["siren", "nom", "type", "population", "departements", "slug"], epci_rows)
    _write(output / "autres-codes.csv", ["code", "nom", "type", "commune"], others)
    for department, rows in by_department.items():
        _write(folder / f"{department}.csv", ["code", "nom", "epci", "population"], rows)
    return {
        "départements et collectivités": len(department_rows),
        "intercommunalités": len(epci_rows),
        "communes": len(current),
        "autres codes": len(others),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--paquet", type=Path, help=f"archive .tgz ou dossier du paquet {PACKAGE} {VERSION}")
    parser.add_argument("--sortie", type=Path, default=OUTPUT, help="dossier écrit (territoires/ du contenu)")
    args = parser.parse_args()
    with unpacked(PACKAGE, VERSION, args.paquet) as package:
        counts = build(package, args.sortie)
    print(f"{PACKAGE} {VERSION} → {args.sortie}")
    for what, count in counts.items():
        print(f"  {count:>6} {what}")


if __name__ == "__main__":
    main()
