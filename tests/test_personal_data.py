"""No personal contact detail from the source documents is published: names, phone numbers, e-mails.

The repository holds only SHA-256 digests of those details (`tests/personal_digests.txt`, made by
`scripts/personal_digests.py` from `../shared/seeds/`), so the test runs from any clone and never writes
a detail itself. When the seeds are there, the digests are checked to be those of the seeds' details.
A detail planted in a fiche or in a built page is found, which proves the scan can fail.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import personal_digests as scan
import pytest
from factories import fiche_data, write_fiche

ROOT = Path(__file__).resolve().parents[1]
DIGESTS = Path(__file__).with_name("personal_digests.txt")
KNOWN = scan.read(DIGESTS)
TERRITOIRES = ROOT / "content" / "vocabulaires" / "territoires"
"""The referential of communes, generated from official data (scripts/referentiel_communes.py): its place
names share surnames, so only full names are looked for there."""
seeds_needed = pytest.mark.skipif(not scan.SEEDS.is_dir(), reason="../shared/seeds absent : rien à recalculer")

# Made-up details, of no one: their digests are added to the known ones only in the proofs below.
SYNTHETIC = {"email": "zebulon.quintamard@exemple.invalid", "telephone": "06 39 98 76 54", "nom": "Zébulon Quintamard"}


def published_files() -> list[Path]:
    """Every file of the repository (tracked or new, not ignored)."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    return [ROOT / p for p in listed if (ROOT / p).is_file()]


def synthetic_digests() -> set[tuple[str, str]]:
    found = {kind: {value} for kind, value in SYNTHETIC.items()}
    found["email"] = {scan.email(SYNTHETIC["email"])}
    found["telephone"] = {scan.phone(SYNTHETIC["telephone"])}
    return scan.digests(found)


def test_the_digests_cover_each_kind_of_detail() -> None:
    kinds = [kind for kind, _ in KNOWN]
    assert kinds.count("email") >= 3
    assert kinds.count("telephone") >= 3
    assert kinds.count("nom") >= 3
    assert all(len(value) == 64 and int(value, 16) >= 0 for _, value in KNOWN)


def test_no_personal_detail_from_the_seeds_is_in_the_repository() -> None:
    files = published_files()
    places = [path for path in files if path.is_relative_to(TERRITOIRES)]
    others = [path for path in files if not path.is_relative_to(TERRITOIRES)]
    assert places, "the referential of communes is scanned too"
    assert scan.leaks(others, KNOWN) + scan.leaks(places, KNOWN, surnames=False) == []


@pytest.mark.parametrize("page", ["fiche", "page construite"])
def test_the_scan_finds_a_detail_planted_in_a_fiche_or_a_built_page(content_dir: Path, tmp_path: Path, page: str):
    if page == "fiche":
        body = f"## Contact\n\n{SYNTHETIC['nom'].upper()}, {SYNTHETIC['email']}, +33 6 39 98 76 54.\n"
        planted = write_fiche(
            content_dir, "initiatives", "jardin", fiche_data("initiatives", "epicerie-solidaire"), body
        )
    else:  # as MkDocs writes it: tags, entities, the family name first
        planted = tmp_path / "index.html"
        planted.write_text(
            "<p>Contact&nbsp;: <strong>Quintamard</strong> <em>Zébulon</em>, "
            "zebulon.quintamard&#64;exemple.invalid, 06.39.98.76.54</p>",
            encoding="utf-8",
        )
    assert scan.leaks([planted], KNOWN) == []  # details of no one: not among the sources' digests
    found = scan.leaks([planted], KNOWN | synthetic_digests())
    assert {line.split(": ", 1)[1].split(" ", 1)[0] for line in found} == {"email", "telephone", "nom"}, found


@seeds_needed
def test_the_digests_are_those_of_the_seeds() -> None:
    """Run `scripts/personal_digests.py > tests/personal_digests.txt` when a source is added."""
    assert DIGESTS.read_text(encoding="utf-8") == scan.render(scan.digests(scan.details(scan.SEEDS)))


@seeds_needed
def test_the_scan_finds_each_detail_of_the_seeds_planted_in_a_fiche(content_dir: Path) -> None:
    details = scan.details(scan.SEEDS)
    for kind, values in details.items():
        for value in sorted(values):
            shown = value.upper() if kind == "nom" else value
            body = f"## Contact\n\nÀ joindre : {shown}.\n"
            planted = write_fiche(
                content_dir, "initiatives", "jardin", fiche_data("initiatives", "epicerie-solidaire"), body
            )
            found = scan.leaks([planted], KNOWN)
            assert any(line.split(": ", 1)[1].startswith(f"{kind} ") for line in found), kind
