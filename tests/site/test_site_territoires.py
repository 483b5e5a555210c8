"""A contributor adds a CCAS and the initiative it carries, anywhere in France: the check passes and the site
gives them a commune page, their intercommunality's page and their department's page, linked both ways.

Bobigny (93008, Seine-Saint-Denis), Mamoudzou (97611, Mayotte) and Saint-Denis (97411, La Réunion), with
the repository's referential of territories; a union recommends one initiative as good practice.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from factories import write_territoires
from sitekit import PUBLISHED, Site, heading_section, hrefs, write_base, write_fiche

PLACES = {
    # code: (department, slug of the CCAS, slug of the EPCI page)
    "93008": ("93", "ccas-bobigny", "metropole-du-grand-paris"),
    "97611": ("976", "ccas-mamoudzou", "ca-de-dembeni-mamoudzou"),
    "97411": ("974", "ccas-saint-denis-reunion", "ca-intercommunale-du-nord-de-la-reunion-cinor"),
}


def ccas(code: str) -> dict[str, Any]:
    return {"titre": f"CCAS {code}", "resume": "Un CCAS ajouté par un contributeur.", **PUBLISHED, "type": "ccas",
            "commune": code}


def initiative(porteur: str, code: str, **extra: Any) -> dict[str, Any]:
    return {"titre": f"Épicerie solidaire {code}", "resume": "Une initiative ajoutée par un contributeur.", **PUBLISHED,
            "porteur": porteur, "communes": [code], "thematiques": ["aide-alimentaire"], "publics": ["familles"],
            **extra}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    content = write_base(tmp_path_factory.mktemp("territoires") / "content")
    write_territoires(content, "93", "974", "976")
    union = {"titre": "UDCCAS de Seine-Saint-Denis", "resume": "Union.", **PUBLISHED, "type": "udccas",
             "departement": "93"}
    write_fiche(content, "ccas", "udccas-93", union)
    for code, (_, slug, _) in PLACES.items():
        write_fiche(content, "ccas", slug, {**ccas(code), **({"udccas": "udccas-93"} if code == "93008" else {})})
        extra = {"recommandee_par": [{"structure": "udccas-93", "date": "2025-03"}]} if code == "93008" else {}
        write_fiche(content, "initiatives", f"epicerie-{code}", initiative(slug, code, **extra))
    write_fiche(content, "modules", "module-93", {"titre": "Accueil", "resume": "Un module.", **PUBLISHED,
                                                 "objectifs": ["Accueillir."]})
    write_fiche(content, "ccas", "ccas-bobigny", {**ccas("93008"), "udccas": "udccas-93",
                                                 "parcours": [{"module": "module-93", "date": "2024"}]})
    return Site(content)  # checked: no error


def links(site: Site, path: str, markdown: str | None = None) -> set[str | None]:
    return {site.target(path, h) for h in hrefs(site[path] if markdown is None else markdown)}


@pytest.mark.parametrize("code", PLACES)
def test_ccas_and_initiative_get_commune_epci_and_department_pages_linked_both_ways(site: Site, code: str) -> None:
    department, slug, epci = PLACES[code]
    fiches = [f"ccas/{slug}.md", f"initiatives/epicerie-{code}.md"]
    places = [f"communes/{code}.md", f"epci/{epci}.md", f"departements/{department}.md"]
    for fiche in fiches:
        for place in places:
            assert place in links(site, fiche), (fiche, place)
            assert fiche in links(site, place), (place, fiche)


def test_department_page_shows_its_union_structures_recommended_practices_and_trainings(site: Site) -> None:
    path = "departements/93.md"
    markdown = site[path]
    assert "ccas/udccas-93.md" in links(site, path, heading_section(markdown, "Union départementale"))
    assert links(site, path, heading_section(markdown, "Structures (1)")) >= {"ccas/ccas-bobigny.md"}
    recommended = heading_section(markdown, "Bonnes pratiques recommandées par l'union (1)")
    assert "initiatives/epicerie-93008.md" in links(site, path, recommended)
    trainings = heading_section(markdown, "Formations suivies (1)")
    assert {"modules/module-93.md", "ccas/ccas-bobigny.md"} <= links(site, path, trainings)


def test_department_figures_count_its_fiches(site: Site) -> None:
    figures = site.graph.fiches_by_departement()
    assert {code: len(found) for code, found in figures.items()} == {"93": 3, "974": 2, "976": 2}
    markdown = site["departements/93.md"]
    assert re.search(r"<strong>3</strong> fiches concernent le département", markdown)
    assert re.search(r"<strong>1</strong> CCAS ou CIAS décrit, pour [\d\u202f]+ habitants", markdown)


def test_a_department_page_exists_only_where_a_fiche_concerns_it(site: Site) -> None:
    pages = sorted(p for p in site.by_path if p.startswith("departements/"))
    assert pages == ["departements/93.md", "departements/974.md", "departements/976.md", "departements/index.md"]


def test_the_map_shades_and_lists_the_departments_with_fiches(site: Site) -> None:
    path = "departements/index.md"
    markdown = site[path]
    table = re.search(r"<tbody>(.*?)</tbody>", markdown, re.S).group(1)
    rows = re.findall(r'<th scope="row"><a href="([^"]+)">([^<]+)</a></th><td>(\d+)</td>', table)
    assert [(site.target(path, href), name, int(n)) for href, name, n in rows] == [
        ("departements/93.md", "Seine-Saint-Denis (93)", 3),
        ("departements/974.md", "La Réunion (974)", 2),
        ("departements/976.md", "Mayotte (976)", 2),
    ]
    drawing = re.search(r"<svg .*?</svg>", markdown, re.S).group(0)
    assert 'aria-hidden="true"' in drawing and "<script" not in drawing and "http" not in drawing
    shaded = dict(re.findall(r'<a href="[^"]+" tabindex="-1"><path class="commun-carte__n(\d)[^"]*" d="[^"]+"><title>'
                             r"([^:]+) :", drawing))
    assert shaded == {"1": "Seine-Saint-Denis"}
    boxes = re.findall(r'class="commun-carte__nom[^"]*"[^>]*>([^<]+)</text>', drawing)
    assert boxes[0] == "Mayotte" and {"Guadeloupe", "Martinique", "Guyane", "La Réunion"} <= set(boxes)


def test_the_recommendation_shows_on_the_initiative(site: Site) -> None:
    path = "initiatives/epicerie-93008.md"
    assert "Recommandée par" in site[path]
    assert "ccas/udccas-93.md" in links(site, path)


def test_a_commune_with_no_fiche_has_no_page(site: Site) -> None:
    assert "communes/93066.md" not in site and "communes/97601.md" not in site
    members = site["epci/metropole-du-grand-paris.md"]
    assert "Saint-Denis" in members and "communes/93066" not in members  # named, not linked


PROGRAMME_NAMES = re.compile(r"design-palas|pass-palas|design'palas|pass'palas|DESIGN_PALAS|PASS_PALAS", re.I)
PLUGINS = Path(__file__).resolve().parents[2] / "plugins"


def programme_names(folder: Path) -> list[str]:
    """Every line of code or template under `folder` that writes the name of a programme of content/."""
    return [
        f"{path.relative_to(folder)}:{number}"
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.suffix in (".py", ".j2", ".json", ".yml", ".md", ".html", ".txt", ".js", ".css")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if PROGRAMME_NAMES.search(line)
    ]


def test_no_programme_name_is_written_in_the_code() -> None:
    """Programmes are data: their names and slugs live in content/, never in plugins/."""
    assert programme_names(PLUGINS) == []


def test_the_programme_name_scan_would_catch_one(tmp_path: Path) -> None:
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "x.md.j2").write_text("Passeport Design'PALAS\n", encoding="utf-8")
    (tmp_path / "graph.py").write_text('if module.programme == "pass-palas":\n', encoding="utf-8")
    assert programme_names(tmp_path) == ["graph.py:1", "templates/x.md.j2:1"]
