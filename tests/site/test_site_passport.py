"""The Design'PALAS passport (`Graph.passeport`) and the certificate page, on both sides of each threshold.

A passport is complete with the 3 core (socle) modules and at least 6 optional (à la carte) ones.
Every structure here has also followed a Pass'PALAS socle and a Design'PALAS MOOC, which must count
for neither: counted by mistake, they would push the 2-socle and 5-à-la-carte cases over the line.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from sitekit import PUBLISHED, Site, heading_section, hrefs, section, write_base, write_fiche

SOCLES = [f"socle-{n}" for n in range(1, 4)]
A_LA_CARTE = [f"carte-{n}" for n in range(1, 8)]
NOT_COUNTED = ["pass-socle", "design-mooc"]


def module(titre: str, programme: str, categorie: str) -> dict[str, Any]:
    return {
        "titre": titre,
        "resume": f"Module {titre} des tests.",
        **PUBLISHED,
        "programme": programme,
        "categorie": categorie,
        "objectifs": ["Apprendre."],
    }


def structure(slug: str, modules: list[str]) -> dict[str, Any]:
    return {
        "titre": f"CCAS {slug}",
        "resume": "Un CCAS des tests du passeport.",
        **PUBLISHED,
        "type": "ccas",
        "commune": "97601",
        "parcours": [{"module": m, "date": "2022-03-01", "participants": 1} for m in modules],
    }


# (socles done, à la carte done) → complete?
CASES = {
    "ccas-s3-c6": (3, 6, True),
    "ccas-s3-c7": (3, 7, True),
    "ccas-s3-c5": (3, 5, False),
    "ccas-s2-c6": (2, 6, False),
    "ccas-s2-c5": (2, 5, False),
}


@pytest.fixture(scope="module")
def passport_site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    content = write_base(tmp_path_factory.mktemp("passeport") / "content")
    for slug in SOCLES:
        write_fiche(content, "modules", slug, module(f"Socle {slug[-1]}", "design-palas", "socle"))
    for slug in A_LA_CARTE:
        write_fiche(content, "modules", slug, module(f"À la carte {slug[-1]}", "design-palas", "a-la-carte"))
    write_fiche(content, "modules", "pass-socle", module("Socle Pass'PALAS", "pass-palas", "socle"))
    write_fiche(content, "modules", "design-mooc", module("MOOC Design'PALAS", "design-palas", "mooc"))
    for slug, (socles, cartes, _) in CASES.items():
        write_fiche(content, "ccas", slug, structure(slug, SOCLES[:socles] + A_LA_CARTE[:cartes] + NOT_COUNTED))
    # The same module followed twice counts once: 2 distinct socles, 1 distinct à la carte.
    repeated = ["socle-1", "socle-1", "socle-2"] + ["carte-1"] * 6
    write_fiche(content, "ccas", "ccas-repete", structure("ccas-repete", repeated))
    write_fiche(content, "ccas", "ccas-sans-parcours", structure("ccas-sans-parcours", []))
    return Site(content)


@pytest.mark.parametrize(("slug", "case"), CASES.items(), ids=list(CASES))
def test_passport_counts_socles_out_of_three_and_a_la_carte_against_six(
    passport_site: Site, slug: str, case: tuple[int, int, bool]
) -> None:
    socles, cartes, complete = case
    passport = passport_site.graph.passeport(passport_site.graph.get("ccas", slug))
    assert [f.slug for f in passport.socles_faits] == SOCLES[:socles]
    assert [f.slug for f in passport.socles_requis] == SOCLES
    assert sorted(f.slug for f in passport.a_la_carte_faits) == A_LA_CARTE[:cartes]
    assert passport.minimum_a_la_carte == 6
    assert passport.complet is complete


def progress(socles: int, cartes: int) -> str:
    """The passport as progress, never « incomplet »: « 1 module socle sur 3, 0 module à la carte sur 6 au moins »."""
    def count(n: int, word: str) -> str:
        return f"{n} {word if n <= 1 else word.replace('module ', 'modules ').replace(' socle', ' socles')}"

    return f"{count(socles, 'module socle')} sur 3, {count(cartes, 'module à la carte')} sur 6 au moins"


@pytest.mark.parametrize(("slug", "case"), CASES.items(), ids=list(CASES))
def test_profile_shows_the_passport_as_progress(passport_site: Site, slug: str, case: tuple[int, int, bool]) -> None:
    socles, cartes, complete = case
    markdown = passport_site[f"ccas/{slug}.md"]
    box = section(markdown, '<div class="commun-passeport commun-hors-index">', "</div>\n")
    sentence = progress(socles, cartes) + (" : passeport complet" if complete else "")
    assert f"<p>{sentence}.</p>" in box
    assert "incomplet" not in markdown
    bars = re.findall(r'style="width: (\d+)%"', box)
    assert bars == [str(round(100 * socles / 3)), str(round(100 * min(cartes, 6) / 6))]


def test_module_followed_twice_counts_once(passport_site: Site) -> None:
    passport = passport_site.graph.passeport(passport_site.graph.get("ccas", "ccas-repete"))
    assert len(passport.socles_faits) == 2
    assert len(passport.a_la_carte_faits) == 1
    assert passport.complet is False


def test_no_design_palas_socle_means_no_complete_passport(tmp_path: Path) -> None:
    content = write_base(tmp_path / "content")
    for slug in A_LA_CARTE:
        write_fiche(content, "modules", slug, module(f"À la carte {slug[-1]}", "design-palas", "a-la-carte"))
    write_fiche(content, "ccas", "ccas-carte", structure("ccas-carte", A_LA_CARTE))
    site = Site(content)
    passport = site.graph.passeport(site.graph.get("ccas", "ccas-carte"))
    assert len(passport.a_la_carte_faits) == 7
    assert passport.socles_requis == []
    assert passport.complet is False


def test_certificate_page_exists_only_for_structures_with_a_parcours(passport_site: Site) -> None:
    certificates = sorted(p for p in passport_site.by_path if p.endswith("/attestation.md"))
    assert certificates == sorted(f"ccas/{slug}/attestation.md" for slug in [*CASES, "ccas-repete"])
    assert "Attestation de participation" not in passport_site["ccas/ccas-sans-parcours.md"]
    assert "Passeport de professionnalisation" not in passport_site["ccas/ccas-sans-parcours.md"]  # nothing to show


@pytest.mark.parametrize("slug", ["ccas-s3-c6", "ccas-s2-c5"])
def test_certificate_links_both_ways_with_the_profile(passport_site: Site, slug: str) -> None:
    profile, certificate = f"ccas/{slug}.md", f"ccas/{slug}/attestation.md"
    assert certificate in [passport_site.target(profile, h) for h in hrefs(passport_site[profile])]
    assert profile in [passport_site.target(certificate, h) for h in hrefs(passport_site[certificate])]


@pytest.mark.parametrize(
    ("slug", "sentence"),
    [
        ("ccas-s3-c6", progress(3, 6) + " : passeport complet."),
        ("ccas-s2-c6", progress(2, 6) + "."),
        ("ccas-s3-c5", progress(3, 5) + "."),
    ],
)
def test_certificate_states_the_passport_and_lists_the_modules(passport_site: Site, slug: str, sentence: str) -> None:
    markdown = passport_site[f"ccas/{slug}/attestation.md"]
    assert f"Passeport Design'PALAS : {sentence}" in markdown.replace("&#39;", "'")
    rows = re.findall(r"<tr><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td></tr>", markdown)
    assert len(rows) == int(slug[6]) + int(slug[9]) + len(NOT_COUNTED)
    assert ("Socle 1", "Design&#39;PALAS", "1er mars 2022", "1") in rows
    assert ("Socle Pass&#39;PALAS", "Pass&#39;PALAS", "1er mars 2022", "1") in rows


def test_profile_lists_the_modules_followed_with_links(passport_site: Site) -> None:
    path = "ccas/ccas-s2-c5.md"
    table = heading_section(passport_site[path], "Formations suivies")
    linked = [passport_site.target(path, h) for h in hrefs(section(table, "<tbody>", "</tbody>"))]
    assert sorted(linked) == sorted(f"modules/{m}.md" for m in SOCLES[:2] + A_LA_CARTE[:5] + NOT_COUNTED)
