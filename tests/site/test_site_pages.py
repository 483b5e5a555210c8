"""The core's rendering, without MkDocs: content folder → check → graph → Renderer pages.

Pages are Markdown with HTML blocks; links are relative hrefs, resolved here against each page's
directory-style URL to the page they lead to.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from urllib.parse import urlsplit

import markdown
import pytest
from commun.core.fields import field_plan
from commun.core.kinds import KINDS
from commun.core.labels import RELATIONS, Relation
from commun.core.models import Ref
from commun.core.urls import page_url
from commun.outputs.pages.render import Renderer
from sitekit import (
    FICHES,
    THEMATIQUES,
    Site,
    folded_facts,
    heading_section,
    headings,
    hrefs,
    identity,
    internal,
    make_site_content,
    resolve,
    section,
    shown_facts,
    write_base,
    write_fiche,
)

PUBLISHED_FICHES = sorted(f"{kind}/{slug}.md" for (kind, slug), data in FICHES.items() if data["etat"] == "publie")
DRAFT = "initiatives/jardin-partage.md"
DRAFT_TITLE = FICHES[("initiatives", "jardin-partage")]["titre"]


def targets(site: Site, path: str, text: str) -> list[str | None]:
    """The pages that the links of `text`, written on page `path`, lead to (None for a dead link)."""
    return [site.target(path, href) for href in hrefs(text)]


def counted_entries(markdown: str) -> dict[str, tuple[str, int]]:
    """Entries of a taxonomy index: name → (href, count)."""
    found = re.findall(r'<li><a href="([^"]+)">([^<]+)</a> <span class="commun-compte">(\d+) fiches?</span>', markdown)
    return {name.replace("&#39;", "'"): (href, int(count)) for href, name, count in found}


# --- the link helper itself ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("here", "href", "expected"),
    [
        ("initiatives/epicerie/", "../../ccas/ccas-a/", "ccas/ccas-a/"),
        ("initiatives/", "epicerie/", "initiatives/epicerie/"),
        ("ccas/ccas-a/", "attestation/", "ccas/ccas-a/attestation/"),
        ("ccas/ccas-a/", "./", "ccas/ccas-a/"),
        ("ccas/ccas-a/", "#sources", "ccas/ccas-a/"),
        ("", "initiatives/", "initiatives/"),
        ("outils/grille/", "../fichiers/grille.csv", "outils/fichiers/grille.csv"),
        ("initiatives/", "../../../dehors/", None),
        ("initiatives/", "https://exemple.fr/", None),
        ("initiatives/", "mailto:accueil@exemple.fr", None),
    ],
)
def test_resolve_follows_relative_hrefs_like_a_browser(here: str, href: str, expected: str | None) -> None:
    assert resolve(here, href) == expected


def test_site_target_is_none_for_a_page_that_does_not_exist(site: Site) -> None:
    assert site.target("initiatives/epicerie-solidaire.md", "../../ccas/ccas-mamoudzou/") == "ccas/ccas-mamoudzou.md"
    assert site.target("initiatives/epicerie-solidaire.md", "../ccas/ccas-mamoudzou/") is None
    assert site.target("initiatives/epicerie-solidaire.md", "../../ccas/ccas-inconnu/") is None


# --- pages and links ---------------------------------------------------------------------------------


def test_every_published_fiche_has_a_page_at_its_kind_and_slug(site: Site) -> None:
    fiche_pages = sorted(
        path
        for path in site.by_path
        if path.count("/") == 1 and path.split("/")[0] in KINDS and not path.endswith("/index.md")
    )
    assert fiche_pages == PUBLISHED_FICHES
    assert site.by_path["initiatives/epicerie-solidaire.md"].url == "initiatives/epicerie-solidaire/"
    assert site.by_path["initiatives/epicerie-solidaire.md"].source == (
        site.content.root / "initiatives" / "epicerie-solidaire.md"
    )


def test_every_internal_link_of_every_page_leads_to_a_page_or_a_file(site: Site) -> None:
    """Links to pages must lead to a generated page; links to a tool's file, to that file in the content.

    Other files (data exports, PDFs) are written by the MkDocs adapter, not by the renderer: the built
    site's test checks those links.
    """
    editorial = {"contribuer/", "le-commun/"}  # written by hand in docs/, not generated
    checked = 0
    dead = []
    for page in site.pages:
        for href in hrefs(page.markdown):
            if not internal(href):
                continue
            url = resolve(page.url, href)
            if url is None:
                dead.append((page.path, href))
            elif url.startswith("outils/fichiers/"):
                checked += 1
                if not (site.content.root / url).is_file():
                    dead.append((page.path, href))
            elif url == "" or url.endswith("/"):
                checked += 1
                if url not in site.by_url and url not in editorial:
                    dead.append((page.path, href))
    assert checked > 100
    assert dead == []


def test_kind_index_pages_and_taxonomy_index_pages_exist(site: Site) -> None:
    for kind in KINDS:
        assert f"{kind}/index.md" in site
    for folder in ("thematiques", "publics", "communes", "epci"):
        assert f"{folder}/index.md" in site
    assert "epci/ca-du-grand-nord-de-mayotte.md" in site


def test_a_term_without_fiche_has_no_page_and_no_link(site: Site) -> None:
    assert "thematiques/personnes-agees.md" not in site
    assert "Personnes âgées" not in site["thematiques/index.md"]
    assert "thematiques/aide-alimentaire.md" in site
    assert not [p.path for p in site.pages if "thematiques/personnes-agees/" in p.markdown]


# --- identity box --------------------------------------------------------------------------------------


def test_initiative_identity_box_links_to_its_porteur_and_names_its_status_in_french(site: Site) -> None:
    path = "initiatives/epicerie-solidaire.md"
    rows = identity(site[path])
    text, links = rows["Porteur"]
    assert text == "CCAS de Mamoudzou"
    assert [site.target(path, href) for href in links] == ["ccas/ccas-mamoudzou.md"]
    assert rows["Statut"] == ("En cours", [])
    assert rows["Échelle"][0] == "Communale"
    assert rows["Territoire"][0] == "Mayotte (976) · Mamoudzou"
    assert [site.target(path, h) for h in rows["Territoire"][1]] == ["departements/976.md", "communes/97611.md"]
    assert rows["Dates"][0] == "à partir du 4 janvier 2021"
    assert targets(site, path, "".join(f'<a href="{h}">' for h in rows["Thèmes"][1])) == [
        "thematiques/aide-alimentaire.md",
        "thematiques/acces-aux-droits.md",
    ]


def test_who_where_and_when_come_first_and_the_other_facts_are_folded(site: Site) -> None:
    markdown = site["initiatives/epicerie-solidaire.md"]
    assert list(shown_facts(markdown)) == ["Porteur", "Statut", "Dates", "Échelle", "Territoire"]
    assert list(folded_facts(markdown)) == ["Thèmes", "Publics", "Intercommunalité"]
    assert "<summary>Thèmes, publics et intercommunalités</summary>" in markdown


def test_the_folded_facts_are_named_in_their_summary(site: Site) -> None:
    markdown = site["modules/carte-partenariats.md"]
    summary = section(markdown, '<details class="commun-plus">\n<summary>', "</summary>")
    names = ["objectifs", "prérequis", "méthodes", "modalités d'évaluation", "effectif maximum", "accessibilité"]
    names += ["délai d'accès", "tarif", "satisfaction"]
    assert summary == (", ".join(names) + " et contact").capitalize().replace("'", "&#39;")
    assert list(folded_facts(markdown))[:3] == ["Objectifs", "Prérequis", "Méthodes"]


@pytest.mark.parametrize(("count", "folded"), [(3, False), (4, True)])
def test_a_long_list_of_communes_is_folded_behind_its_count(site: Site, count: int, folded: bool) -> None:
    renderer = Renderer(site.graph)
    template = renderer.env.from_string(
        '{% import "_macros.md.j2" as ui with context %}{{ ui.territory_row("Territoire", communes, []) }}'
    )
    communes = [f"Commune {n}" for n in range(count)]
    html = template.render(renderer.context("initiatives/x.md", communes=communes))
    assert ("<details" in html) is folded
    assert (f"<summary>{count} communes</summary>" in html) is folded
    assert all(f"<li>{name}</li>" in html for name in communes)


@pytest.mark.parametrize(
    ("slug", "statut"),
    [("portage-repas", "Pérennisée"), ("permanence-droits", "Expérimentation"), ("initiative-exemple", "Idée")],
)
def test_initiative_status_label_is_french(site: Site, slug: str, statut: str) -> None:
    assert identity(site[f"initiatives/{slug}.md"])["Statut"][0] == statut


QUALIOPI_ROWS = [
    "Public",
    "Prérequis",
    "Durée",
    "Modalité",
    "Effectif maximum",
    "Méthodes",
    "Modalités d'évaluation",
    "Accessibilité",
    "Délai d'accès",
    "Tarif",
    "Contact",
    "Satisfaction",
]


def test_module_identity_shows_no_empty_field(site: Site) -> None:
    """What a training offer must publish is shown where the fiche gives it, and nothing where it does not."""
    markdown = site["modules/socle-numerique.md"]
    rows = identity(markdown)
    assert [name for name in QUALIOPI_ROWS if name in rows] == []
    assert rows["Programme"][0] == "Formation hors programme"
    assert rows["Catégorie"][0] == "Module socle"
    assert "non renseigné" not in markdown


def test_module_identity_shows_filled_qualiopi_fields(site: Site) -> None:
    rows = identity(site["modules/carte-partenariats.md"])
    assert [name for name in QUALIOPI_ROWS if name not in rows] == []
    assert rows["Durée"][0] == "2 jours · 14 heures"
    assert rows["Modalité"][0] == "Présentiel"
    assert rows["Tarif"][0] == "Gratuit"
    assert rows["Satisfaction"][0] == "92\u202f% (2022)"  # French typography: narrow no-break space
    assert rows["Programme"][0] == "Formation hors programme"
    assert rows["Catégorie"][0] == "Module à la carte"


def test_lists_of_values_are_lists(site: Site) -> None:
    markdown = site["modules/carte-partenariats.md"]
    assert "<dt>Méthodes</dt><dd><ul><li>Ateliers</li></ul></dd>" in markdown
    assert "<dt>Objectifs</dt><dd><ul><li>Cartographier ses partenaires.</li></ul></dd>" in markdown


# --- links both ways -----------------------------------------------------------------------------------


def relation_heading(relation: Relation, count: int, incoming: bool) -> str:
    """The heading a fiche's page gives a relation (core/labels.py), with its count."""
    words = (relation.incoming[0] if count == 1 else relation.incoming[1]) if incoming else relation.outgoing
    return f"{words} ({count})"


def test_cited_fiche_lists_the_citing_fiches_under_plain_headings(site: Site) -> None:
    path = "outils/grille-accueil.md"
    markdown = site[path]
    assert targets(site, path, heading_section(markdown, "Initiative qui utilise cet outil (1)")) == [
        "initiatives/epicerie-solidaire.md"
    ]
    assert targets(site, path, heading_section(markdown, "Projet du Labo qui utilise cet outil (1)")) == [
        "projets/projet-numerique.md"
    ]
    source = "initiatives/epicerie-solidaire.md"
    assert targets(site, source, heading_section(site[source], "Outils utilisés (1)")) == [path]
    assert "(initiative, outil)" not in markdown and "citée par" not in markdown


def test_every_reference_is_a_link_from_the_source_and_a_link_back_from_the_target(site: Site) -> None:
    relations = {(r.kind, r.field): r for r in RELATIONS}
    links = [link for by_source in site.graph.outgoing.values() for link in by_source]
    assert len(links) >= 10
    for link in links:
        source = f"{link.source.kind}/{link.source.slug}.md"
        target = f"{link.target.kind}/{link.target.slug}.md"
        assert target in targets(site, source, site[source]), f"{source} does not link to {target}"
        relation = relations[(link.source.kind, link.field)]
        citing = site.graph.citing(link.target, link.source.kind, link.field)
        back = heading_section(site[target], relation_heading(relation, len(citing), incoming=True))
        assert source in targets(site, target, back), f"{target} does not link back to {source}"


def test_every_reference_field_of_the_models_has_its_headings() -> None:
    named = {(r.kind, r.field) for r in RELATIONS}
    fields = set()

    def has_relation(kind: str, name: str) -> bool:
        return (kind, name) in named or (None, name) in named

    def walk(kind: str, model: type) -> None:
        for name, marker, nested in field_plan(model):
            if isinstance(marker, Ref):
                fields.add((kind, name))
            if nested is not None:
                walk(kind, nested)

    for kind, info in KINDS.items():
        walk(kind, info.model)
    assert [field for field in sorted(fields) if not has_relation(*field)] == []
    assert [r for r in RELATIONS if not any(r.field == name and r.kind in (None, kind) for kind, name in fields)] == []


def test_fiche_cited_by_nobody_has_no_section_about_citing_fiches(site: Site) -> None:
    incoming = {heading for r in RELATIONS for heading in r.incoming or ()}
    own = [h.rsplit(" (", 1)[0] for h in headings(site["initiatives/permanence-droits.md"])]
    assert [h for h in own if h in incoming] == []
    tool = [h.rsplit(" (", 1)[0] for h in headings(site["outils/grille-accueil.md"])]
    assert [h for h in tool if h in incoming] != []


def test_a_union_lists_its_members_once(site: Site) -> None:
    path = "ccas/udccas-ile.md"
    linked = [t for t in targets(site, path, site[path]) if t in ("ccas/ccas-acoua.md", "ccas/ccas-mamoudzou.md")]
    assert sorted(linked) == ["ccas/ccas-acoua.md", "ccas/ccas-mamoudzou.md"]  # each once, not twice


def test_a_long_list_of_linked_fiches_is_folded_behind_its_count(tmp_path: Path) -> None:
    fiches = dict(FICHES)
    for number in range(7):
        fiches[("ccas", f"ccas-membre-{number}")] = {
            **FICHES[("ccas", "ccas-acoua")],
            "titre": f"CCAS membre n° {number}",
            "parcours": [],
        }
    site = Site(make_site_content(tmp_path, fiches))
    members = heading_section(site["ccas/udccas-ile.md"], "CCAS membres (9)")
    assert "<summary>Afficher les 9</summary>" in members
    assert len(targets(site, "ccas/udccas-ile.md", members)) == 9


# --- related fiches ------------------------------------------------------------------------------------


def related_section(markdown: str) -> str:
    """The « Fiches proches » of a fiche's page (a section that opens on demand)."""
    return section(markdown, "<summary>Fiches proches (", "</details>")


@pytest.mark.parametrize("path", [p for p in PUBLISHED_FICHES if p.startswith("initiatives/")])
def test_related_fiches_list_other_pages_not_linked_otherwise(site: Site, path: str) -> None:
    related = [site.target(path, href) for href in hrefs(related_section(site[path]))]
    assert 1 <= len(related) <= 5
    assert None not in related
    assert path not in related
    assert len(set(related)) == len(related)
    fiche = site.graph.get(*path.removesuffix(".md").split("/"))
    linked = {f"{link.target.kind}/{link.target.slug}.md" for link in site.graph.links_from(fiche)}
    linked |= {f"{link.source.kind}/{link.source.slug}.md" for link in site.graph.links_to(fiche)}
    assert linked.isdisjoint(related)


def test_related_fiches_stop_at_five(tmp_path: Path) -> None:
    fiches = {key: data for key, data in FICHES.items() if key[0] != "initiatives"}
    for number in range(8):
        fiches[("initiatives", f"repas-{number}")] = {
            **FICHES[("initiatives", "portage-repas")],
            "titre": f"Portage de repas n° {number}",
        }
    site = Site(make_site_content(tmp_path, fiches))
    for number in range(8):
        path = f"initiatives/repas-{number}.md"
        related = [site.target(path, href) for href in hrefs(related_section(site[path]))]
        assert len(related) == 5
        assert None not in related
        assert path not in related


# --- index pages ---------------------------------------------------------------------------------------


def test_initiatives_index_groups_fiches_by_status_in_editorial_order(site: Site) -> None:
    path = "initiatives/index.md"
    markdown = site[path]
    assert headings(markdown) == ["En cours (1)", "Expérimentation (1)", "Pérennisée (1)", "Fiche d'exemple (1)"]
    assert "3 fiches, et 1 fiche d&#39;exemple." in markdown
    # The list leads to the « Banque d'expériences » with the initiatives already chosen as type of fiche.
    intro = markdown.split("\n## ")[0]
    assert targets(site, path, intro) == ["banque-d-experiences.md"]
    assert [urlsplit(href).query for href in hrefs(intro)] == ["type=Initiative"]
    expected = {
        "En cours (1)": "initiatives/epicerie-solidaire.md",
        "Expérimentation (1)": "initiatives/permanence-droits.md",
        "Pérennisée (1)": "initiatives/portage-repas.md",
        "Fiche d'exemple (1)": "initiatives/initiative-exemple.md",
    }
    for heading, fiche in expected.items():
        assert fiche in targets(site, path, heading_section(markdown, heading.replace("'", "'")))


def test_ideas_come_after_what_was_done_and_fiches_without_status(tmp_path: Path) -> None:
    fiches = dict(FICHES)
    base = FICHES[("initiatives", "portage-repas")]
    fiches[("initiatives", "idee")] = {**base, "titre": "Une idée", "statut": "idee"}
    fiches[("initiatives", "finie")] = {**base, "titre": "Finie", "statut": "termine"}
    inconnu = {k: v for k, v in base.items() if k != "statut"}
    fiches[("initiatives", "inconnu")] = {**inconnu, "titre": "Sans statut"}
    order = headings(Site(make_site_content(tmp_path, fiches))["initiatives/index.md"])
    assert order.index("Terminée (1)") < order.index("Statut non connu (1)") < order.index("Idée (1)")
    assert order.index("Pérennisée (1)") < order.index("Idée (1)")


@pytest.mark.parametrize(
    ("kind", "groups", "title"),
    [
        ("ccas", ["Union départementale (UDCCAS) (1)", "CCAS (2)", "Fiche d'exemple (1)"], "Structures"),
        ("modules", ["Formations hors programme (2)"], "Modules de formation"),
        ("projets", ["Prototypage (1)"], "Projets du Labo"),
        ("outils", ["Grille (1)"], "Outils"),
    ],
)
def test_kind_index_groups_and_title(site: Site, kind: str, groups: list[str], title: str) -> None:
    markdown = site[f"{kind}/index.md"]
    assert headings(markdown) == groups
    assert headings(markdown, 1) == [title]
    assert f'title: "{title}"' in markdown


def test_cards_name_the_kind_with_its_capitals(site: Site) -> None:
    card = section(site["ccas/ccas-acoua.md"], "## Projet du Labo porté (1)", "</li>")
    assert '<p class="commun-carte__type">Projet du Labo</p>' in card


def test_cards_give_the_dates_of_an_initiative_as_a_period(site: Site) -> None:
    card = section(site["initiatives/index.md"], ">Épicerie solidaire</a>", "</li>")
    assert "En cours · à partir du 4 janvier 2021 · " in card
    assert "depuis" not in card


def test_theme_index_counts_published_fiches_per_theme_examples_apart(site: Site) -> None:
    path = "thematiques/index.md"
    entries = counted_entries(site[path])
    real = [f for f in site.graph.all() if not f.meta.exemple]
    expected = {}
    for slug, term in THEMATIQUES.items():
        if any(slug in f.meta.thematiques for f in site.graph.all()):
            expected[term["libelle"]] = sum(slug in f.meta.thematiques for f in real)
    assert {name: count for name, (_, count) in entries.items()} == expected
    assert site.target(path, entries["Aide alimentaire"][0]) == "thematiques/aide-alimentaire.md"
    assert "(et 1 fiche d&#39;exemple)" in section(site[path], ">Aide alimentaire</a>", "</li>")


def test_theme_page_lists_its_fiches_by_kind_and_the_examples_last(site: Site) -> None:
    path = "thematiques/aide-alimentaire.md"
    markdown = site[path]
    assert headings(markdown) == ["Initiatives (2)", "Fiche d'exemple (1)"]
    assert sorted(targets(site, path, heading_section(markdown, "Initiatives (2)"))) == [
        "ccas/ccas-acoua.md",
        "ccas/ccas-mamoudzou.md",
        "initiatives/epicerie-solidaire.md",
        "initiatives/portage-repas.md",
    ]  # each card links to its fiche and to its porteur
    assert "initiatives/initiative-exemple.md" in targets(site, path, heading_section(markdown, "Fiche d'exemple (1)"))


def test_public_index_counts_fiches_per_public(site: Site) -> None:
    entries = counted_entries(site["publics/index.md"])
    assert {name: count for name, (_, count) in entries.items()} == {
        "Agents des CCAS": 1,
        "Familles": 2,
        "Seniors": 1,
    }
    assert headings(site["publics/agents.md"]) == ["Projets du Labo (1)"]


def test_commune_index_and_pages_count_fiches_and_name_the_epci(site: Site) -> None:
    entries = counted_entries(site["communes/index.md"])
    assert {name: count for name, (_, count) in entries.items()} == {"Acoua": 2, "Bandraboua": 1, "Mamoudzou": 3}
    assert site.target("communes/index.md", entries["Acoua"][0]) == "communes/97601.md"
    path = "communes/97601.md"
    rows = identity(site[path])
    assert rows["Code INSEE"][0] == "97601"
    assert rows["Intercommunalité"][0] == "CA du Grand Nord de Mayotte"
    assert [site.target(path, h) for h in rows["Intercommunalité"][1]] == ["epci/ca-du-grand-nord-de-mayotte.md"]
    assert [site.target(path, h) for h in rows["Structures"][1]] == ["ccas/ccas-acoua.md"]
    assert rows["Population municipale 2017"][0].startswith("5\u202f192 habitants")
    assert headings(site[path]) == ["Initiatives (1)", "Structures (1)"]


def test_epci_index_and_pages_count_fiches_and_communes(site: Site) -> None:
    markdown = site["epci/index.md"]
    entries = counted_entries(markdown)
    assert {name: count for name, (_, count) in entries.items()} == {
        "CA de Dembeni / Mamoudzou": 3,
        "CA du Grand Nord de Mayotte": 2,
    }
    assert '<span class="commun-discret">2 communes</span>' in markdown
    assert '<span class="commun-discret">1 commune</span>' in markdown
    path = "epci/ca-du-grand-nord-de-mayotte.md"
    assert [site.target(path, h) for h in identity(site[path])["Communes"][1]] == [
        "communes/97601.md",
        "communes/97602.md",
    ]
    assert headings(site[path]) == ["Initiatives (1)", "Structures (1)"]


# --- structure profiles ---------------------------------------------------------------------------------


def test_ccas_profile_shows_its_initiatives(site: Site) -> None:
    path = "ccas/ccas-mamoudzou.md"
    markdown = site[path]
    cards = heading_section(markdown, "Initiatives portées (2)")
    assert [t for t in targets(site, path, cards) if t and t.startswith("initiatives/")] == [
        "initiatives/epicerie-solidaire.md",
        "initiatives/permanence-droits.md",
    ]
    assert "Projet du Labo porté" not in markdown
    assert "Formations suivies" not in markdown and "passeport" not in markdown.lower()
    assert "attestation" not in markdown


def test_ccas_profile_shows_its_projects_tools_and_union(site: Site) -> None:
    path = "ccas/ccas-acoua.md"
    markdown = site[path]
    assert "projets/projet-numerique.md" in targets(site, path, heading_section(markdown, "Projet du Labo porté (1)"))
    tools = heading_section(markdown, "Outils utilisés dans ses initiatives et projets (1)")
    assert targets(site, path, tools) == ["outils/grille-accueil.md"]
    assert [site.target(path, h) for h in identity(markdown)["Union départementale"][1]] == ["ccas/udccas-ile.md"]
    assert identity(markdown)["Type"][0] == "CCAS"


def test_union_profile_lists_its_member_ccas(site: Site) -> None:
    path = "ccas/udccas-ile.md"
    members = heading_section(site[path], "CCAS membres (2)")
    assert targets(site, path, members) == ["ccas/ccas-acoua.md", "ccas/ccas-mamoudzou.md"]
    assert "Formations suivies" not in site[path]


def test_fiche_footer_names_no_file(site: Site) -> None:
    for path in PUBLISHED_FICHES:
        footer = section(site[path], '<footer class="commun-pied-fiche">', "</footer>")
        assert "content/" not in footer and ".md" not in footer, path
        assert "Proposer une modification" in footer


def test_fiche_footer_names_a_licence_only_when_it_is_not_the_sites(tmp_path: Path) -> None:
    """The site's footer states the default licence once; a fiche under another one says so in its own footer."""
    fiches = dict(FICHES)
    fiches[("outils", "grille-autre")] = {**FICHES[("outils", "grille-accueil")], "licence": "cc-by-sa-4.0"}
    site = Site(make_site_content(tmp_path, fiches))
    other = section(site["outils/grille-autre.md"], '<footer class="commun-pied-fiche">', "</footer>")
    assert "Licence\u00a0: cc-by-sa-4.0" in other
    default = section(site["outils/grille-accueil.md"], '<footer class="commun-pied-fiche">', "</footer>")
    assert "Licence" not in default and "Mise à jour le" in default


# --- drafts and examples --------------------------------------------------------------------------------


def test_draft_has_no_page_and_no_link_by_default(site: Site) -> None:
    assert DRAFT not in site
    draft_url = page_url(DRAFT)
    for page in site.pages:
        assert DRAFT_TITLE not in page.markdown, page.path
        assert draft_url not in {resolve(page.url, href) for href in hrefs(page.markdown)}, page.path
    assert counted_entries(site["communes/index.md"])["Bandraboua"][1] == 1
    assert "Initiatives portées (2)" in site["ccas/ccas-mamoudzou.md"]


def test_reference_to_a_draft_is_left_out_of_the_page(site: Site) -> None:
    markdown = site["initiatives/epicerie-solidaire.md"]
    assert "jardin-partage" not in markdown
    assert "Initiatives dont elle s&#39;inspire" not in markdown and "Initiatives dont elle s'inspire" not in markdown


def test_draft_preview_has_a_page_with_the_unpublished_banner(preview: Site) -> None:
    assert DRAFT in preview
    markdown = preview[DRAFT]
    assert '!!! warning "Brouillon\u00a0: fiche non publiée"' in markdown
    assert markdown.index("!!! warning") < markdown.index(f"# {DRAFT_TITLE}")
    assert "fiche non publiée" not in preview["initiatives/epicerie-solidaire.md"]


def test_draft_preview_links_the_draft_both_ways(preview: Site) -> None:
    source = "initiatives/epicerie-solidaire.md"
    assert targets(preview, source, heading_section(preview[source], "Initiatives dont elle s'inspire (1)")) == [DRAFT]
    assert targets(preview, DRAFT, heading_section(preview[DRAFT], "Initiative qui s'en inspire (1)")) == [source]
    tool = "outils/grille-accueil.md"
    assert DRAFT in targets(preview, tool, heading_section(preview[tool], "Initiatives qui utilisent cet outil (2)"))
    assert "Initiatives portées (3)" in preview["ccas/ccas-mamoudzou.md"]
    assert "Initiative · Brouillon" in preview["ccas/ccas-mamoudzou.md"]


def test_example_fiche_shows_the_example_banner(site: Site) -> None:
    for path in ("initiatives/initiative-exemple.md", "ccas/ccas-exemple.md"):
        markdown = site[path]
        assert '!!! example "Fiche d\'exemple"' in markdown, path
        assert markdown.index("!!! example") < markdown.index("\n# ")
    for path in ("initiatives/epicerie-solidaire.md", "ccas/ccas-mamoudzou.md"):
        assert "Fiche d'exemple" not in site[path], path


def test_page_in_review_is_left_out_by_default_and_flagged_in_preview(tmp_path: Path) -> None:
    content = write_base(tmp_path / "content")
    for key in [("ccas", "udccas-ile"), ("ccas", "ccas-mamoudzou"), ("initiatives", "permanence-droits")]:
        write_fiche(content, *key, FICHES[key])
    write_fiche(
        content, "initiatives", "en-relecture", {**FICHES[("initiatives", "permanence-droits")], "etat": "en_relecture"}
    )
    assert "initiatives/en-relecture.md" not in Site(content)
    preview = Site(content, drafts=True)
    assert '!!! warning "En relecture\u00a0: fiche non publiée"' in preview["initiatives/en-relecture.md"]


@pytest.mark.parametrize(
    "titre",
    ["Repas > 60 ans & plus", "Aide <urgence>", "Fiche_outil *n° 1* #2 [bis] {x} | y", "CCAS d'Acoua"],
)
def test_fiche_title_shows_as_written_in_the_page_heading(tmp_path: Path, titre: str) -> None:
    content = write_base(tmp_path / "content")
    write_fiche(content, "outils", "outil", {**FICHES[("outils", "grille-accueil")], "titre": titre})
    site = Site(content)
    heading = next(line for line in site["outils/outil.md"].splitlines() if line.startswith("# "))
    rendered = markdown.markdown(heading, extensions=["admonition", "attr_list", "tables", "toc"])
    assert html.unescape(re.fullmatch(r'<h1 id="[^"]*">(.*)</h1>', rendered).group(1)) == titre
