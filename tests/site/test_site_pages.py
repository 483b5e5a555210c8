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
from commun.core.kinds import KINDS
from commun.core.urls import page_url
from sitekit import (
    FICHES,
    Site,
    heading_section,
    headings,
    hrefs,
    identity,
    internal,
    make_site_content,
    resolve,
    section,
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
    assert "thematiques/personnes-agees.md" in site  # a theme without fiche still has its page
    assert "epci/ca-du-grand-nord-de-mayotte.md" in site


# --- identity box --------------------------------------------------------------------------------------


def test_initiative_identity_box_links_to_its_porteur_and_names_its_status_in_french(site: Site) -> None:
    path = "initiatives/epicerie-solidaire.md"
    rows = identity(site[path])
    text, links = rows["Porteur"]
    assert text == "CCAS de Mamoudzou"
    assert [site.target(path, href) for href in links] == ["ccas/ccas-mamoudzou.md"]
    assert rows["Statut"] == ("En cours", [])
    assert rows["Échelle"][0] == "Communale"
    assert rows["Dates"][0] == "depuis le 4 janvier 2021"
    assert rows["Thèmes"][0] == "Aide alimentaire Accès aux droits"
    assert targets(site, path, "".join(f'<a href="{h}">' for h in rows["Thèmes"][1])) == [
        "thematiques/aide-alimentaire.md",
        "thematiques/acces-aux-droits.md",
    ]
    assert [site.target(path, h) for h in rows["Communes"][1]] == ["communes/97611.md"]


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


def test_module_identity_leaves_out_each_empty_qualiopi_field(site: Site) -> None:
    """What a training offer must publish is shown where the fiche gives it, and nothing where it does not."""
    rows = identity(site["modules/socle-numerique.md"])
    assert [name for name in QUALIOPI_ROWS if name in rows] == []
    assert rows["Programme"][0] == "Formation hors programme"
    assert rows["Catégorie"][0] == "Module socle"


def test_module_identity_shows_filled_qualiopi_fields(site: Site) -> None:
    rows = identity(site["modules/carte-partenariats.md"])
    assert "non renseigné" not in str(rows)
    assert rows["Durée"][0] == "2 jours · 14 heures"
    assert rows["Modalité"][0] == "Présentiel"
    assert rows["Tarif"][0] == "Gratuit"
    assert rows["Satisfaction"][0] == "92\u202f% (2022)"  # French typography: narrow no-break space
    assert rows["Catégorie"][0] == "Module à la carte"


# --- links both ways -----------------------------------------------------------------------------------


def test_cited_fiche_lists_the_citing_fiches_with_links_back(site: Site) -> None:
    path = "outils/grille-accueil.md"
    cited_by = heading_section(site[path], "Cette fiche est citée par")
    assert sorted(targets(site, path, cited_by)) == ["initiatives/epicerie-solidaire.md", "projets/projet-numerique.md"]
    assert "(initiative, outil)" in cited_by
    assert "(projet du Labo, outil)" in cited_by
    source = "initiatives/epicerie-solidaire.md"
    assert path in targets(site, source, heading_section(site[source], "Pour aller plus loin"))


def test_every_reference_is_a_link_from_the_source_and_a_link_back_from_the_target(site: Site) -> None:
    links = [link for by_source in site.graph.outgoing.values() for link in by_source]
    assert len(links) >= 10
    for link in links:
        source = f"{link.source.kind}/{link.source.slug}.md"
        target = f"{link.target.kind}/{link.target.slug}.md"
        assert target in targets(site, source, site[source]), f"{source} does not link to {target}"
        back = heading_section(site[target], "Cette fiche est citée par")
        assert source in targets(site, target, back), f"{target} does not link back to {source}"


def test_fiche_cited_by_nobody_has_no_cited_by_section(site: Site) -> None:
    assert "Cette fiche est citée par" not in site["initiatives/permanence-droits.md"]
    assert "Cette fiche est citée par" in site["outils/grille-accueil.md"]


# --- related fiches ------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", [p for p in PUBLISHED_FICHES if p.startswith("initiatives/")])
def test_related_fiches_list_three_to_five_other_pages(site: Site, path: str) -> None:
    related = targets(site, path, heading_section(site[path], "Fiches proches"))
    assert 3 <= len(related) <= 5
    assert None not in related
    assert path not in related
    assert len(set(related)) == len(related)


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
        related = targets(site, path, heading_section(site[path], "Fiches proches"))
        assert len(related) == 5
        assert None not in related
        assert path not in related


# --- index pages ---------------------------------------------------------------------------------------


def test_initiatives_index_groups_fiches_by_status_in_editorial_order(site: Site) -> None:
    path = "initiatives/index.md"
    markdown = site[path]
    assert headings(markdown) == ["En cours (1)", "Expérimentation (1)", "Pérennisée (1)", "Idée (1)"]
    assert "4 fiches. " in markdown
    # The list leads to the « Banque d'expériences » with the initiatives already chosen as type of fiche.
    intro = markdown.split("\n## ")[0]
    assert targets(site, path, intro) == ["banque-d-experiences.md"]
    assert [urlsplit(href).query for href in hrefs(intro)] == ["type=Initiative"]
    expected = {
        "En cours (1)": "initiatives/epicerie-solidaire.md",
        "Expérimentation (1)": "initiatives/permanence-droits.md",
        "Pérennisée (1)": "initiatives/portage-repas.md",
        "Idée (1)": "initiatives/initiative-exemple.md",
    }
    for heading, fiche in expected.items():
        assert fiche in targets(site, path, heading_section(markdown, heading))


@pytest.mark.parametrize(
    ("kind", "groups", "title"),
    [
        ("ccas", ["Union départementale (UDCCAS) (1)", "CCAS (2)", "Autre structure (1)"], "Structures"),
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
    card = section(site["ccas/ccas-acoua.md"], "## Ses projets du Labo (1)", "</li>")
    assert '<p class="commun-carte__type">Projet du Labo</p>' in card


def test_theme_index_counts_published_fiches_per_theme(site: Site) -> None:
    path = "thematiques/index.md"
    entries = counted_entries(site[path])
    assert {name: count for name, (_, count) in entries.items()} == {
        "Accès aux droits": 2,
        "Aide alimentaire": 3,
        "Numérique": 2,
        "Personnes âgées": 0,
    }
    assert site.target(path, entries["Aide alimentaire"][0]) == "thematiques/aide-alimentaire.md"
    assert "0 fiche<" in site[path]


def test_theme_page_lists_its_fiches_by_kind(site: Site) -> None:
    path = "thematiques/aide-alimentaire.md"
    markdown = site[path]
    assert headings(markdown) == ["Initiatives (3)"]
    assert sorted(targets(site, path, heading_section(markdown, "Initiatives (3)"))) == [
        "ccas/ccas-acoua.md",
        "ccas/ccas-exemple.md",
        "ccas/ccas-mamoudzou.md",
        "initiatives/epicerie-solidaire.md",
        "initiatives/initiative-exemple.md",
        "initiatives/portage-repas.md",
    ]  # each card links to its fiche and to its porteur
    assert "Aucune fiche publiée pour l'instant." in site["thematiques/personnes-agees.md"]


def test_public_index_counts_fiches_per_public(site: Site) -> None:
    entries = counted_entries(site["publics/index.md"])
    assert {name: count for name, (_, count) in entries.items()} == {
        "Agents des CCAS": 1,
        "Familles": 3,
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
    cards = heading_section(markdown, "Ses initiatives (2)")
    assert [t for t in targets(site, path, cards) if t and t.startswith("initiatives/")] == [
        "initiatives/epicerie-solidaire.md",
        "initiatives/permanence-droits.md",
    ]
    assert "Ses projets du Labo" not in markdown
    assert 'passeport de professionnalisation\u00a0: <span class="commun-vide">non renseignés</span>' in markdown
    assert "../../le-commun/#formations-non-renseignees" in hrefs(markdown)  # the reason, written once there
    assert "attestation" not in markdown


def test_ccas_profile_shows_its_projects_tools_and_union(site: Site) -> None:
    path = "ccas/ccas-acoua.md"
    markdown = site[path]
    assert "projets/projet-numerique.md" in targets(site, path, heading_section(markdown, "Ses projets du Labo (1)"))
    assert targets(site, path, heading_section(markdown, "Outils utilisés")) == ["outils/grille-accueil.md"]
    assert [site.target(path, h) for h in identity(markdown)["Union départementale"][1]] == ["ccas/udccas-ile.md"]
    assert identity(markdown)["Type"][0] == "CCAS"


def test_union_profile_lists_its_member_ccas(site: Site) -> None:
    path = "ccas/udccas-ile.md"
    members = heading_section(site[path], "CCAS membres (2)")
    assert targets(site, path, members) == ["ccas/ccas-acoua.md", "ccas/ccas-mamoudzou.md"]
    assert "Formations suivies" not in site[path]


# --- drafts and examples --------------------------------------------------------------------------------


def test_draft_has_no_page_and_no_link_by_default(site: Site) -> None:
    assert DRAFT not in site
    draft_url = page_url(DRAFT)
    for page in site.pages:
        assert DRAFT_TITLE not in page.markdown, page.path
        assert draft_url not in {resolve(page.url, href) for href in hrefs(page.markdown)}, page.path
    assert counted_entries(site["communes/index.md"])["Bandraboua"][1] == 1
    assert "Ses initiatives (2)" in site["ccas/ccas-mamoudzou.md"]


def test_reference_to_a_draft_stays_text_without_link(site: Site) -> None:
    more = heading_section(site["initiatives/epicerie-solidaire.md"], "Pour aller plus loin")
    inspired = section(more, "<dt>Inspirée de</dt><dd>", "</dd>")
    assert inspired == "jardin-partage"


def test_draft_preview_has_a_page_with_the_unpublished_banner(preview: Site) -> None:
    assert DRAFT in preview
    markdown = preview[DRAFT]
    assert '!!! warning "Brouillon\u00a0: fiche non publiée"' in markdown
    assert markdown.index("!!! warning") < markdown.index(f"# {DRAFT_TITLE}")
    assert "fiche non publiée" not in preview["initiatives/epicerie-solidaire.md"]


def test_draft_preview_links_the_draft_both_ways(preview: Site) -> None:
    source = "initiatives/epicerie-solidaire.md"
    more = heading_section(preview[source], "Pour aller plus loin")
    assert DRAFT in targets(preview, source, more)
    cited_by = heading_section(preview[DRAFT], "Cette fiche est citée par")
    assert source in targets(preview, DRAFT, cited_by)
    tool = "outils/grille-accueil.md"
    assert DRAFT in targets(preview, tool, heading_section(preview[tool], "Cette fiche est citée par"))
    assert "Ses initiatives (3)" in preview["ccas/ccas-mamoudzou.md"]
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
