"""Links of the built site: every internal link and anchor leads somewhere; external links are listed (in
test-results/liens-externes.txt) and checked for form, never fetched.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from audit_kit import ROOT, LinkReport, check_links


@pytest.fixture(scope="module")
def report(built_site: Path) -> LinkReport:
    return check_links(built_site)


def test_no_broken_internal_link_or_anchor(report: LinkReport) -> None:
    assert report.checked > 1000, f"trop peu de liens vérifiés ({report.checked}) : le site est-il complet ?"
    assert report.broken == [], "Liens cassés :\n" + "\n".join(report.broken)


def test_external_links_are_listed_and_well_formed(report: LinkReport) -> None:
    listing = ROOT / "test-results" / "liens-externes.txt"
    listing.parent.mkdir(parents=True, exist_ok=True)
    listing.write_text("".join(f"{url}\n" for url in report.external), encoding="utf-8")
    malformed = [u for u in report.external if urlsplit(u).scheme not in ("http", "https") or not urlsplit(u).netloc]
    assert malformed == [], f"Liens externes mal formés : {malformed}"


def test_the_checker_finds_broken_links_and_anchors(tmp_path: Path) -> None:
    (tmp_path / "fiche").mkdir()
    (tmp_path / "index.html").write_text(
        '<html lang="fr"><body><h2 id="haut">Haut</h2>'
        '<a href="fiche/">bon</a> <a href="#haut">bonne ancre</a> <a href="https://exemple.fr/">externe</a>'
        '<a href="absente/">page absente</a> <a href="fiche/#nulle-part">ancre absente</a>'
        '<img src="image.png" alt="absente"></body></html>',
        encoding="utf-8",
    )
    (tmp_path / "fiche" / "index.html").write_text(
        '<html lang="fr"><body><h1 id="titre">Fiche</h1><a href="../#haut">retour</a>'
        '<a href="../../hors-du-site/">hors du site</a></body></html>',
        encoding="utf-8",
    )
    report = check_links(tmp_path)
    assert report.broken == [
        "fiche/index.html : a[href]=« ../../hors-du-site/ » → fichier introuvable",
        "index.html : a[href]=« absente/ » → fichier introuvable",
        "index.html : a[href]=« fiche/#nulle-part » → ancre #nulle-part introuvable",
        "index.html : img[src]=« image.png » → fichier introuvable",
    ]
    assert report.external == ["https://exemple.fr/"]
