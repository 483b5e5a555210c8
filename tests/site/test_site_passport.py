"""Passports from programmes as data (`Graph.passeports`): a programme is an initiative that modules name as
their `programme`, and its passport rule is in its `passeport` field. The programmes here exist only in this
test's data, never in `content/`: a union that adds its programme and rule gets its passports with no code change.

« Parcours de l'île » asks for all its socle modules and at least 6 à la carte ones; « Cap accueil » for at
least 2 coaching modules; « Sans règle » has no passport rule. Every structure has also followed the MOOC of
the first programme and a socle of the third, which must count for neither rule.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from commun.stages.check import check
from sitekit import PUBLISHED, Site, heading_section, hrefs, section, write_base, write_fiche

SOCLES = [f"socle-{n}" for n in range(1, 4)]
A_LA_CARTE = [f"carte-{n}" for n in range(1, 8)]
COACHINGS = ["coaching-1", "coaching-2"]
NOT_COUNTED = ["ile-mooc", "sans-regle-socle"]
ILE_RULES = [{"categorie": "socle", "tous": True}, {"categorie": "a-la-carte", "minimum": 6}]
CAP_RULES = [{"categorie": "coaching", "minimum": 2}]
PROGRAMMES: dict[str, dict[str, Any]] = {
    "parcours-ile": {"nom_court": "Parcours de l'île", "passeport": ILE_RULES, "date_debut": 2021},
    "cap-accueil": {"nom_court": "Cap accueil", "passeport": CAP_RULES, "date_debut": 2019},
    "sans-regle": {"nom_court": "Sans règle", "date_debut": 2017},
}


def programme(fields: dict[str, Any]) -> dict[str, Any]:
    return {
        "titre": f"Programme de formation {fields['nom_court']}, défini pour les tests",
        "resume": "Un programme de formation qui n'existe que dans les données des tests.",
        **PUBLISHED,
        "porteur": "udccas-ile",
        "thematiques": ["numerique"],
        "publics": ["agents"],
        **fields,
    }


def module(titre: str, programme_slug: str | None, categorie: str) -> dict[str, Any]:
    data = {"titre": titre, "resume": f"Module {titre} des tests.", **PUBLISHED, "categorie": categorie,
            "objectifs": ["Apprendre."]}
    return {**data, "programme": programme_slug} if programme_slug else data


def structure(slug: str, modules: list[str]) -> dict[str, Any]:
    return {
        "titre": f"CCAS {slug}",
        "resume": "Un CCAS des tests du passeport.",
        **PUBLISHED,
        "type": "ccas",
        "commune": "97601",
        "parcours": [{"module": m, "date": "2022-03-01", "participants": 1} for m in modules],
    }


def write_programmes(content: Path) -> None:
    union = {"titre": "UDCCAS de l'île", "resume": "Union.", **PUBLISHED, "type": "udccas", "departement": "976"}
    write_fiche(content, "ccas", "udccas-ile", union)
    for slug, fields in PROGRAMMES.items():
        write_fiche(content, "initiatives", slug, programme(fields))
    for slug in SOCLES:
        write_fiche(content, "modules", slug, module(f"Socle {slug[-1]}", "parcours-ile", "socle"))
    for slug in A_LA_CARTE:
        write_fiche(content, "modules", slug, module(f"À la carte {slug[-1]}", "parcours-ile", "a-la-carte"))
    for slug in COACHINGS:
        write_fiche(content, "modules", slug, module(f"Coaching {slug[-1]}", "cap-accueil", "coaching"))
    write_fiche(content, "modules", "ile-mooc", module("MOOC de l'île", "parcours-ile", "mooc"))
    write_fiche(content, "modules", "sans-regle-socle", module("Socle sans règle", "sans-regle", "socle"))
    write_fiche(content, "modules", "hors-programme", module("Formation hors programme", None, "socle"))


# (socles done, à la carte done) → complete?
CASES = {
    "ccas-s3-c6": (3, 6, True),
    "ccas-s3-c7": (3, 7, True),
    "ccas-s3-c5": (3, 5, False),
    "ccas-s2-c6": (2, 6, False),
    "ccas-s2-c5": (2, 5, False),
}
OTHERS = {
    # The same module followed twice counts once: 2 distinct socles, 1 distinct à la carte.
    "ccas-repete": ["socle-1", "socle-1", "socle-2"] + ["carte-1"] * 6,
    "ccas-coaching": [*COACHINGS, "socle-1"],
    "ccas-un-coaching": COACHINGS[:1],
    "ccas-sans-regle": ["sans-regle-socle", "hors-programme"],
    "ccas-sans-parcours": [],
}


@pytest.fixture(scope="module")
def passport_site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    content = write_base(tmp_path_factory.mktemp("passeport") / "content")
    write_programmes(content)
    for slug, (socles, cartes, _) in CASES.items():
        write_fiche(content, "ccas", slug, structure(slug, SOCLES[:socles] + A_LA_CARTE[:cartes] + NOT_COUNTED))
    for slug, modules in OTHERS.items():
        write_fiche(content, "ccas", slug, structure(slug, modules))
    return Site(content)


def passports(site: Site, slug: str) -> dict[str, Any]:
    return {p.programme.slug: p for p in site.graph.passeports(site.graph.get("ccas", slug))}


@pytest.mark.parametrize(("slug", "case"), CASES.items(), ids=list(CASES))
def test_passport_counts_every_socle_and_a_la_carte_against_the_minimum(
    passport_site: Site, slug: str, case: tuple[int, int, bool]
) -> None:
    socles, cartes, complete = case
    passport = passports(passport_site, slug)["parcours-ile"]
    socle, carte = passport.exigences
    assert [f.slug for f in socle.faits] == SOCLES[:socles]
    assert [f.slug for f in socle.modules] == SOCLES
    assert sorted(f.slug for f in carte.faits) == A_LA_CARTE[:cartes]
    assert (socle.requis, carte.requis) == (3, 6)
    assert passport.complet is complete


def plain(text: str) -> str:
    """Text with the typography's no-break spaces as plain ones, and apostrophes as written."""
    return text.replace("\u00a0", " ").replace("\u202f", " ").replace("&#39;", "'")


def progress(socles: int, cartes: int) -> str:
    """The passport as progress, never « incomplet »: « 1 module socle sur 3, 0 module à la carte sur 6 au moins »."""
    def count(n: int, word: str) -> str:
        return f"{n} {word if n <= 1 else word.replace('module ', 'modules ').replace(' socle', ' socles')}"

    return f"{count(socles, 'module socle')} sur 3, {count(cartes, 'module à la carte')} sur 6 au moins"


def test_a_programme_without_a_rule_gives_no_passport(passport_site: Site) -> None:
    assert "sans-regle" not in passports(passport_site, "ccas-s3-c6")
    assert passports(passport_site, "ccas-sans-regle") == {}


def test_each_programme_followed_has_its_own_passport_and_rule(passport_site: Site) -> None:
    both = passports(passport_site, "ccas-coaching")
    assert sorted(both) == ["cap-accueil", "parcours-ile"]
    assert both["cap-accueil"].complet is True
    assert both["parcours-ile"].complet is False
    assert passports(passport_site, "ccas-un-coaching")["cap-accueil"].complet is False
    assert "parcours-ile" not in passports(passport_site, "ccas-un-coaching")  # none of its modules followed


@pytest.mark.parametrize(("slug", "case"), CASES.items(), ids=list(CASES))
def test_profile_shows_the_passport_as_progress(passport_site: Site, slug: str, case: tuple[int, int, bool]) -> None:
    socles, cartes, complete = case
    markdown = passport_site[f"ccas/{slug}.md"]
    assert "### Passeport de professionnalisation Parcours de l'île" in markdown.replace("&#39;", "'")
    box = plain(section(markdown, '<div class="commun-passeport commun-hors-index">', "</div>\n"))
    sentence = progress(socles, cartes) + (" : passeport complet" if complete else "")
    assert f"<p>Passeport Parcours de l'île : {sentence}.</p>" in box
    assert "incomplet" not in markdown
    bars = re.findall(r'style="width: (\d+)%"', box)
    assert bars == [str(round(100 * socles / 3)), str(round(100 * min(cartes, 6) / 6))]


def test_module_followed_twice_counts_once(passport_site: Site) -> None:
    socle, carte = passports(passport_site, "ccas-repete")["parcours-ile"].exigences
    assert (len(socle.faits), len(carte.faits)) == (2, 1)


def test_a_rule_on_a_category_without_modules_is_never_met(tmp_path: Path) -> None:
    content = write_base(tmp_path / "content")
    write_programmes(content)
    for slug in SOCLES:
        (content / "modules" / f"{slug}.md").unlink()
    write_fiche(content, "ccas", "ccas-carte", structure("ccas-carte", A_LA_CARTE))
    site = Site(content)
    socle, carte = passports(site, "ccas-carte")["parcours-ile"].exigences
    assert (socle.modules, len(carte.faits)) == ([], 7)
    assert passports(site, "ccas-carte")["parcours-ile"].complet is False


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ({"categorie": "socle"}, "passeport › n° 1 › categorie : dites ce qui est requis"),
        ({"categorie": "socle", "tous": True, "minimum": 2}, "passeport › n° 1 › minimum : écrivez « tous: true »"),
        ({"categorie": "socle", "minimum": 0}, "passeport › n° 1 › minimum : doit valoir au moins 1"),
        ({"categorie": "soclee", "tous": True}, "valeur « soclee » non autorisée"),
        ({"categorie": "socle", "tout": True}, "champ inconnu « tout » ; vouliez-vous dire « tous » ?"),
    ],
)
def test_a_badly_written_rule_is_a_french_error_at_its_line(tmp_path: Path, rule: dict[str, Any], message: str) -> None:
    content = write_base(tmp_path / "content")
    write_programmes(content)
    data = programme({"nom_court": "Île", "passeport": [rule]})
    path = write_fiche(content, "initiatives", "parcours-ile", data)
    (error,) = check(content).errors
    assert message in error.message
    line = path.read_text(encoding="utf-8").splitlines()[error.line - 1].strip()
    assert line.startswith(("- categorie", "tous", "minimum", "tout")), line


def test_two_rules_for_one_category_are_an_error(tmp_path: Path) -> None:
    content = write_base(tmp_path / "content")
    write_programmes(content)
    rules = [{"categorie": "socle", "tous": True}, {"categorie": "socle", "minimum": 1}]
    write_fiche(content, "initiatives", "parcours-ile", programme({"nom_court": "Île", "passeport": rules}))
    (error,) = check(content).errors
    assert error.message == "passeport : la catégorie « socle » a deux règles : une seule par catégorie"


def test_modules_list_is_grouped_by_programme_most_recent_first(passport_site: Site) -> None:
    markdown = passport_site["modules/index.md"].replace("&#39;", "'")
    headings = re.findall(r"^## (.*)$", markdown, re.M)
    assert headings == ["Parcours de l'île (11)", "Cap accueil (2)", "Sans règle (1)", "Formations hors programme (1)"]


def test_programme_page_lists_its_modules_by_category_and_states_its_rule(passport_site: Site) -> None:
    path = "initiatives/parcours-ile.md"
    markdown = passport_site[path]
    part = heading_section(markdown, "Formations de ce programme (11)")
    assert "tous les modules socles du programme et au moins 6 modules à la carte" in part.replace("\u00a0", " ")
    socles = section(part, "<summary>Modules socles (3)</summary>", "</details>")  # one line per category
    assert sorted(passport_site.target(path, h) for h in hrefs(socles)) == [f"modules/{s}.md" for s in SOCLES]
    module_page = "modules/socle-1.md"
    assert path in [passport_site.target(module_page, h) for h in hrefs(passport_site[module_page])]


def test_certificate_page_exists_only_for_structures_with_a_parcours(passport_site: Site) -> None:
    certificates = sorted(p for p in passport_site.by_path if p.endswith("/attestation.md"))
    with_parcours = [*CASES, *(slug for slug, modules in OTHERS.items() if modules)]
    assert certificates == sorted(f"ccas/{slug}/attestation.md" for slug in with_parcours)
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
    assert f"Passeport Parcours de l'île : {sentence}" in plain(markdown)
    rows = re.findall(r"<tr><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td></tr>", markdown)
    assert len(rows) == int(slug[6]) + int(slug[9]) + len(NOT_COUNTED)
    assert ("Socle 1", "Parcours de l&#39;île", "1er mars 2022", "1") in rows
    assert ("Socle sans règle", "Sans règle", "1er mars 2022", "1") in rows


def test_certificate_without_a_rule_states_no_passport(passport_site: Site) -> None:
    markdown = passport_site["ccas/ccas-sans-regle/attestation.md"]
    assert "Passeport" not in markdown
    assert "<td>Formation hors programme</td><td>Hors programme</td>" in markdown


def test_profile_lists_the_modules_followed_with_links(passport_site: Site) -> None:
    path = "ccas/ccas-s2-c5.md"
    table = heading_section(passport_site[path], "Formations suivies")
    linked = [passport_site.target(path, h) for h in hrefs(section(table, "<tbody>", "</tbody>"))]
    assert sorted(linked) == sorted(f"modules/{m}.md" for m in SOCLES[:2] + A_LA_CARTE[:5] + NOT_COUNTED)
