"""One real `mkdocs build --strict` of the small fixture site, in a temporary project.

The project copies the repository's mkdocs.yml (theme, extensions, plugins) but points the plugin at
the small content folder of `sitekit` and its docs at a temporary folder holding the repository's
overrides and assets and a few hand-written pages. The site is built twice, into two folders, with
two different build dates: both builds must be byte-identical.
"""

from __future__ import annotations

import re
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from projectkit import mkdocs_build, write_project
from sitekit import FICHES, hrefs, internal, make_site_content, resolve, section, write_fiche

ROOT = Path(__file__).resolve().parents[2]
EDITORIAL = {
    "index.md": (
        "# Commun de test\n\n"
        '{% include "blocs/chiffres.md.j2" %}\n\n'
        "Le commun compte {{ stats.total }} fiches réelles.\n\n"
        "## Dernières fiches\n\n"
        '{% include "blocs/dernieres.md.j2" %}\n'
    ),
    "contribuer.md": "# Contribuer\n\nProposez une fiche.\n",
    "le-commun.md": "# Le commun\n\n## Formations suivies non renseignées { #formations-non-renseignees }\n\nTexte.\n",
    "accessibilite.md": "# Accessibilité\n\nNon conforme.\n",
    "mentions-legales.md": "# Mentions légales\n\nÉditeur : test.\n",
}
NAV = [
    {"Accueil": "index.md"},
    {"Initiatives": "initiatives/index.md"},
    {"Projets du Labo": "projets/index.md"},
    {"Formations": "modules/index.md"},
    {"Outils": "outils/index.md"},
    {"Structures": "ccas/index.md"},
    {
        "Explorer": [
            {"Thématiques": "thematiques/index.md"},
            {"Publics": "publics/index.md"},
            {"Communes": "communes/index.md"},
            {"Intercommunalités": "epci/index.md"},
        ]
    },
]
DAY = 24 * 3600


def make_project(root: Path, **commun: object) -> Path:
    """A MkDocs project under `root`: mkdocs.yml adapted from the repository's (`commun`: options of the
    plugin), docs/ and content/."""
    write_project(root, nav=NAV, pages=EDITORIAL, brouillons=False, **commun)
    make_site_content(root)
    return root


@dataclass
class Built:
    project: Path
    site: Path
    again: Path
    seconds: float


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    project = make_project(tmp_path_factory.mktemp("projet"))
    start = time.monotonic()
    first = mkdocs_build(project, project / "site-1")
    assert first.returncode == 0, first.stdout + first.stderr
    # The second build pretends to run ten days later: nothing in the output may depend on the build date.
    later = str(int(time.time()) + 10 * DAY)
    second = mkdocs_build(project, project / "site-2", SOURCE_DATE_EPOCH=later)
    assert second.returncode == 0, second.stdout + second.stderr
    return Built(project, project / "site-1", project / "site-2", time.monotonic() - start)


def html_files(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def url_of(site: Path, path: Path) -> str:
    """Directory URL of a built HTML file: `a/b/index.html` → `a/b/`, `404.html` → `` (served at the root)."""
    relative = path.relative_to(site).as_posix()
    return relative.removesuffix("index.html") if relative.endswith("index.html") else ""


def target_file(site: Path, url: str) -> Path | None:
    """The built file a site URL is served from, if any."""
    candidate = site / url
    if url == "" or url.endswith("/"):
        candidate = candidate / "index.html"
    return candidate if candidate.is_file() else None


def internal_links(site: Path, page: Path, text: str) -> list[tuple[str, Path | None]]:
    """Each internal link of `text` (written on the built `page`) with the built file it leads to, or None."""
    found = []
    for href in hrefs(text):
        here = url_of(site, page)
        relative = href
        if href.startswith("/") and not href.startswith("//"):  # the 404 page links from the root
            relative, here = href.lstrip("/"), ""
        if internal(relative) and not relative.startswith(("javascript:", "data:")):
            url = resolve(here, relative)
            found.append((href, target_file(site, url) if url is not None else None))
    return found


def internal_targets(site: Path, page: Path, text: str) -> list[Path | None]:
    return [target for _, target in internal_links(site, page, text)]


@pytest.mark.build
def test_fiche_pages_are_built_at_kind_and_slug(built: Built) -> None:
    for (kind, slug), data in FICHES.items():
        page = built.site / kind / slug / "index.html"
        assert page.is_file() is (data["etat"] == "publie"), page
    assert (built.site / "ccas" / "ccas-acoua" / "attestation" / "index.html").is_file()
    assert not (built.site / "ccas" / "ccas-mamoudzou" / "attestation").exists()
    for folder in ("initiatives", "projets", "modules", "outils", "ccas", "thematiques", "publics", "communes", "epci"):
        assert (built.site / folder / "index.html").is_file(), folder
    assert (built.site / "outils" / "fichiers" / "grille.csv").read_text(encoding="utf-8") == "question;réponse\n"


@pytest.mark.build
def test_every_internal_link_of_every_built_page_resolves(built: Built) -> None:
    pages = html_files(built.site)
    assert len(pages) > 30
    dead = []
    checked = 0
    for page in pages:
        for href, target in internal_links(built.site, page, page.read_text(encoding="utf-8")):
            checked += 1
            if target is None:
                dead.append((page.relative_to(built.site).as_posix(), href))
    assert checked > 500
    assert dead == []


@pytest.mark.build
def test_built_pages_link_both_ways(built: Built) -> None:
    initiative = built.site / "initiatives" / "epicerie-solidaire" / "index.html"
    tool = built.site / "outils" / "grille-accueil" / "index.html"
    porteur = built.site / "ccas" / "ccas-mamoudzou" / "index.html"
    html = initiative.read_text(encoding="utf-8")
    assert tool in internal_targets(built.site, initiative, html)
    assert porteur in internal_targets(built.site, initiative, section(html, "<dt>Porteur</dt>", "</dd>"))
    cited_by = section(tool.read_text(encoding="utf-8"), 'id="initiative-qui-utilise-cet-outil-1"', "<h2")
    assert initiative in internal_targets(built.site, tool, cited_by)
    profile = section(porteur.read_text(encoding="utf-8"), 'id="initiatives-portees-2"', "<details")
    assert initiative in internal_targets(built.site, porteur, profile)


@pytest.mark.build
def test_draft_is_absent_from_the_built_site(built: Built) -> None:
    title = FICHES[("initiatives", "jardin-partage")]["titre"]
    assert not (built.site / "initiatives" / "jardin-partage").exists()
    leaks = [
        path.relative_to(built.site).as_posix()
        for path in sorted(built.site.rglob("*"))
        if path.is_file() and path.suffix in (".html", ".json", ".xml") and title in path.read_text(encoding="utf-8")
    ]
    assert leaks == []
    assert "jardin-partage/" not in (built.site / "sitemap.xml").read_text(encoding="utf-8")


@pytest.mark.build
def test_fiche_page_html_shows_identity_banner_and_title(built: Built) -> None:
    example = (built.site / "initiatives" / "initiative-exemple" / "index.html").read_text(encoding="utf-8")
    assert '<p class="admonition-title">Fiche d\'exemple</p>' in example
    real = (built.site / "initiatives" / "epicerie-solidaire" / "index.html").read_text(encoding="utf-8")
    assert "admonition-title" not in real
    assert "<title>Épicerie solidaire - Commun – le commun des CCAS</title>" in real
    assert "<dt>Statut</dt><dd>En cours</dd>" in real


@pytest.mark.build
def test_editorial_home_page_shows_live_figures(built: Built) -> None:
    home = (built.site / "index.html").read_text(encoding="utf-8")
    assert "{{" not in home
    assert "{%" not in home
    real = [key for key, data in FICHES.items() if data["etat"] == "publie" and not data.get("exemple")]
    initiatives = sum(1 for kind, _ in real if kind == "initiatives")
    assert f'<li><strong>{initiatives}</strong> <a href="initiatives/">initiatives</a></li>' in home
    assert f"Le commun compte {len(real)} fiches réelles." in home


# Pagefind, run by the plugin after the build, writes its filter and metadata files in an order that
# changes from one run to the next, even for the same pages: their hashed names and `pagefind-entry.json`
# then differ (upstream: Pagefind/pagefind#638, fixed for fragments only). Its word index and fragments,
# the bulk of the bundle, are stable and compared like every other file.
PAGEFIND_UNSTABLE = re.compile(r"pagefind/(?:filter/[^/]+\.pf_filter|pagefind\.[^/]+\.pf_meta|pagefind-entry\.json)")


@pytest.mark.build
def test_rebuild_ten_days_later_is_byte_identical(built: Built) -> None:
    first = {p.relative_to(built.site).as_posix(): p for p in built.site.rglob("*") if p.is_file()}
    second = {p.relative_to(built.again).as_posix(): p for p in built.again.rglob("*") if p.is_file()}
    assert {"sitemap.xml", "sitemap.xml.gz", "index.html", "initiatives/index.html"} <= set(first)
    assert len(first) == len(second)
    stable = sorted(name for name in first if not PAGEFIND_UNSTABLE.fullmatch(name))
    assert stable == sorted(name for name in second if not PAGEFIND_UNSTABLE.fullmatch(name))
    differing = [name for name in stable if first[name].read_bytes() != second[name].read_bytes()]
    assert differing == []


@pytest.mark.build
def test_broken_fiche_fails_the_build_with_a_french_message(built: Built, tmp_path: Path) -> None:
    project = tmp_path / "projet"
    shutil.copytree(built.project, project, ignore=shutil.ignore_patterns("site-*"))
    data = {**FICHES[("initiatives", "portage-repas")], "porteur": "ccas-inconnu"}
    path = write_fiche(project / "content", "initiatives", "cassee", data)
    line = path.read_text(encoding="utf-8").splitlines().index("porteur: ccas-inconnu") + 1
    result = mkdocs_build(project, project / "site")
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert (
        f"content/initiatives/cassee.md:{line}:10: erreur: porteur : aucune fiche « ccas-inconnu » "
        "dans content/ccas/ (structures)"
    ) in output
    assert "Traceback" not in output
    assert not (project / "site" / "initiatives" / "cassee").exists()
