"""Small factories for the site tests: a tiny content folder, the rendered pages, and link helpers.

Imported by the test modules of `tests/site/` (pytest puts this folder on `sys.path`, as it has no
`__init__.py`). Nothing here reads the repository's `content/`.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml
from commun.core.corpus import Content
from commun.core.urls import page_url
from commun.outputs.pages.cache import render_pages
from commun.outputs.pages.render import Page, Renderer
from commun.stages.check import check
from commun.stages.graph import Graph, build_graph
from factories import write_territoires

THEMATIQUES = {
    "aide-alimentaire": {"libelle": "Aide alimentaire", "description": "Accès à une alimentation suffisante."},
    "acces-aux-droits": {"libelle": "Accès aux droits", "description": "Informer et accompagner vers les droits."},
    "numerique": {"libelle": "Numérique", "description": "Inclusion et outils numériques."},
    "personnes-agees": {"libelle": "Personnes âgées", "description": "Aucune fiche ne porte ce thème."},
}
PUBLICS = {
    "familles": {"libelle": "Familles", "description": "Parents et enfants."},
    "seniors": {"libelle": "Seniors", "description": "Personnes de plus de 60 ans."},
    "agents": {"libelle": "Agents des CCAS", "description": "Professionnels de l'action sociale."},
}
GRAND_NORD = "CA du Grand Nord de Mayotte"
DEMBENI = "CA de Dembeni / Mamoudzou"

SOURCES = [{"titre": "UNCCAS, document de test (2021)"}]
PUBLISHED = {"etat": "publie", "mis_a_jour": "2024-05-02", "sources": SOURCES}
BODY = "## Présentation\n\nUn texte simple pour les tests du site.\n"

# The small site: a union, two CCAS (one with a training path), an example structure, four initiatives
# (one a draft, one an example), two modules outside any programme (one leaves its Qualiopi fields empty), a tool
# with a file to download, and a Labo project.
FICHES: dict[tuple[str, str], dict[str, Any]] = {
    ("ccas", "udccas-ile"): {
        "titre": "UDCCAS de l'île",
        "resume": "Union départementale des CCAS de l'île.",
        **PUBLISHED,
        "type": "udccas",
        "departement": "976",
    },
    ("ccas", "ccas-acoua"): {
        "titre": "CCAS d'Acoua",
        "resume": "Centre communal d'action sociale d'Acoua.",
        **PUBLISHED,
        "mis_a_jour": "2024-03-01",
        "type": "ccas",
        "commune": "97601",
        "departement": "976",
        "epci": GRAND_NORD,
        "udccas": "udccas-ile",
        "parcours": [{"module": "socle-numerique", "date": "2021-06-28", "participants": 2}],
    },
    ("ccas", "ccas-mamoudzou"): {
        "titre": "CCAS de Mamoudzou",
        "resume": "Centre communal d'action sociale de Mamoudzou.",
        **PUBLISHED,
        "type": "ccas",
        "commune": "97611",
        "departement": "976",
        "epci": DEMBENI,
        "udccas": "udccas-ile",
    },
    ("ccas", "ccas-exemple"): {
        "titre": "CCAS d'exemple",
        "resume": "Structure fictive qui porte les fiches d'exemple.",
        "etat": "publie",
        "mis_a_jour": "2024-01-15",
        "type": "autre",
        "exemple": True,
    },
    ("initiatives", "epicerie-solidaire"): {
        "titre": "Épicerie solidaire",
        "resume": "Une épicerie à petits prix pour les familles de Mamoudzou.",
        **PUBLISHED,
        "mis_a_jour": "2024-06-10",
        "porteur": "ccas-mamoudzou",
        "communes": ["97611"],
        "thematiques": ["aide-alimentaire", "acces-aux-droits"],
        "publics": ["familles"],
        "statut": "en_cours",
        "date_debut": "2021-01-04",
        "echelle": "communale",
        "liens": {"outils": ["grille-accueil"], "inspire_de": ["jardin-partage"]},
    },
    ("initiatives", "portage-repas"): {
        "titre": "Portage de repas à domicile",
        "resume": "Des repas livrés aux seniors isolés d'Acoua et de Bandraboua.",
        **PUBLISHED,
        "porteur": "ccas-acoua",
        "communes": ["97601", "97602"],
        "thematiques": ["aide-alimentaire"],
        "publics": ["seniors"],
        "statut": "perennise",
    },
    ("initiatives", "permanence-droits"): {
        "titre": "Permanence d'accès aux droits",
        "resume": "Une permanence hebdomadaire pour les familles de Mamoudzou.",
        **PUBLISHED,
        "porteur": "ccas-mamoudzou",
        "communes": ["97611"],
        "thematiques": ["acces-aux-droits"],
        "publics": ["familles"],
        "statut": "experimentation",
    },
    ("initiatives", "jardin-partage"): {
        "titre": "Jardin partagé confidentiel",
        "resume": "Un brouillon d'initiative pour les familles de Bandraboua.",
        **PUBLISHED,
        "etat": "brouillon",
        "porteur": "ccas-mamoudzou",
        "communes": ["97602"],
        "thematiques": ["aide-alimentaire"],
        "publics": ["familles"],
        "statut": "idee",
        "liens": {"outils": ["grille-accueil"]},
    },
    ("initiatives", "initiative-exemple"): {
        "titre": "Initiative d'exemple",
        "resume": "Une initiative fictive d'aide alimentaire pour les familles.",
        "etat": "publie",
        "mis_a_jour": "2024-01-15",
        "exemple": True,
        "porteur": "ccas-exemple",
        "thematiques": ["aide-alimentaire"],
        "publics": ["familles"],
        "statut": "idee",
    },
    ("modules", "socle-numerique"): {
        "titre": "Socle numérique",
        "resume": "Premier module socle de Design'PALAS, consacré au numérique.",
        **PUBLISHED,
        "thematiques": ["numerique"],
        "categorie": "socle",
        "objectifs": ["Utiliser les outils numériques du CCAS."],
    },
    ("modules", "carte-partenariats"): {
        "titre": "Construire ses partenariats",
        "resume": "Module à la carte de Design'PALAS sur les partenariats locaux.",
        **PUBLISHED,
        "categorie": "a-la-carte",
        "objectifs": ["Cartographier ses partenaires."],
        "public": "Agents et élus des CCAS",
        "prerequis": "Aucun",
        "duree": {"jours": 2, "heures": 14},
        "modalite": "presentiel",
        "effectif_max": 12,
        "methodes": ["Ateliers"],
        "modalites_evaluation": "Quiz de fin de module",
        "accessibilite": "Salle accessible",
        "delai_acces": "Un mois",
        "tarif": "Gratuit",
        "contact": {"fonction": "Chargée de formation"},
        "indicateurs": [{"taux_satisfaction": 92, "annee": 2022}],
    },
    ("outils", "grille-accueil"): {
        "titre": "Grille d'accueil",
        "resume": "Une grille pour conduire un premier entretien d'accueil.",
        **PUBLISHED,
        "type": "grille",
        "fichiers": [{"titre": "La grille", "chemin": "fichiers/grille.csv", "format": "CSV"}],
    },
    ("projets", "projet-numerique"): {
        "titre": "Guichet numérique",
        "resume": "Un projet du Labo pour accompagner les démarches en ligne à Acoua.",
        **PUBLISHED,
        "porteur": "ccas-acoua",
        "thematiques": ["numerique"],
        "publics": ["agents"],
        "etape": "prototypage",
        "equipe": [{"fonction": "Directrice du CCAS", "role": "referent"}],
        "outils": ["grille-accueil"],
    },
}


def dump(data: Any) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)


def write_fiche(content: Path, kind: str, slug: str, data: dict[str, Any], body: str = BODY) -> Path:
    path = content / kind / f"{slug}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\n{dump(data)}---\n{body}", encoding="utf-8")
    return path


def write_base(content: Path) -> Path:
    """Vocabularies, the referential of territories (Mayotte's communes) and the tool's file: everything but the
    fiches."""
    vocabularies = content / "vocabulaires"
    vocabularies.mkdir(parents=True, exist_ok=True)
    (vocabularies / "thematiques.yml").write_text(dump(THEMATIQUES), encoding="utf-8")
    (vocabularies / "publics.yml").write_text(dump(PUBLICS), encoding="utf-8")
    write_territoires(content, "976")
    files = content / "outils" / "fichiers"
    files.mkdir(parents=True, exist_ok=True)
    (files / "grille.csv").write_text("question;réponse\n", encoding="utf-8")
    return content


def make_site_content(root: Path, fiches: dict[tuple[str, str], dict[str, Any]] | None = None) -> Path:
    """The small content folder under `root/content`; returns its path."""
    content = write_base(root / "content")
    for (kind, slug), data in (FICHES if fiches is None else fiches).items():
        write_fiche(content, kind, slug, data)
    return content


def checked(content_dir: Path) -> Content:
    """`check` the folder and insist it is clean: a test fixture with errors would prove nothing."""
    content = check(content_dir)
    assert not content.errors, "\n".join(str(p) for p in content.errors)
    return content


class Site:
    """The rendered pages of a content folder, by path and by URL."""

    def __init__(self, content_dir: Path, *, drafts: bool = False) -> None:
        self.content = checked(content_dir)
        self.graph: Graph = build_graph(self.content, drafts=drafts)
        self.pages: list[Page] = render_pages(Renderer(self.graph, drafts=drafts))
        self.by_path = {page.path: page for page in self.pages}
        self.by_url = {page.url: page for page in self.pages}
        assert len(self.by_path) == len(self.pages), "two pages share a path"
        assert len(self.by_url) == len(self.pages), "two pages share a URL"

    def __getitem__(self, path: str) -> str:
        return self.by_path[path].markdown

    def __contains__(self, path: str) -> bool:
        return path in self.by_path

    def target(self, from_path: str, href: str) -> str | None:
        """The path of the page a relative `href` written on page `from_path` leads to, or None."""
        url = resolve(page_url(from_path), href)
        page = self.by_url.get(url) if url is not None else None
        return page.path if page else None


def resolve(here: str, href: str) -> str | None:
    """The site URL (`a/b/`, root is ``) that a relative `href` on the page at URL `here` points to.

    None for links that leave the site (scheme, `//host`, `mailto:`) or that are absolute paths; the
    fragment and the query are dropped. Going above the site root gives None as well.
    """
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or href.startswith("/"):
        return None
    if not parts.path:
        return here
    segments = [s for s in here.split("/") if s]
    if not here.endswith("/") and segments:
        segments.pop()  # a page URL without its slash: its last segment is a file name
    steps = parts.path.split("/")
    for step in steps[:-1]:
        if step == "..":
            if not segments:
                return None
            segments.pop()
        elif step not in ("", "."):
            segments.append(step)
    last = steps[-1]
    if last == "..":
        if not segments:
            return None
        segments.pop()
        last = ""
    elif last == ".":
        last = ""
    url = "/".join(segments)
    if last:
        return f"{url}/{last}" if url else last
    return f"{url}/" if url else ""


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value is not None and tag in ("a", "link", "img", "script"):
                self.hrefs.append(value)


def hrefs(html: str) -> list[str]:
    """Every `href`/`src` of `<a>`, `<link>`, `<img>` and `<script>` in an HTML (or Markdown+HTML) text."""
    parser = _Links()
    parser.feed(html)
    parser.close()
    return parser.hrefs


def internal(href: str) -> bool:
    parts = urlsplit(href)
    return not (parts.scheme or parts.netloc or href.startswith(("#", "/")))


def _squash(chunks: list[str]) -> str:
    """Join text chunks, folding runs of ordinary white space (not the narrow no-break space of numbers)."""
    return re.sub(r"[ \t\n]+", " ", "".join(chunks)).strip()


class _Rows(HTMLParser):
    """The `<dt>`/`<dd>` pairs of a definition list: label → (text, hrefs)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: dict[str, tuple[str, list[str]]] = {}
        self._in: str | None = None
        self._dt: list[str] = []
        self._dd: list[str] = []
        self._links: list[str] = []
        self._depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "dt" and self._in is None:
            self._in, self._dt = "dt", []
        elif tag == "dd" and self._in is None:
            self._in, self._dd, self._links, self._depth = "dd", [], [], 0
        elif tag == "dd":
            self._depth += 1
        if self._in == "dd" and tag == "a":
            self._links.extend(v for k, v in attrs if k == "href" and v is not None)

    def handle_endtag(self, tag: str) -> None:
        if tag == "dt" and self._in == "dt":
            self._in = None
        elif tag == "dd" and self._in == "dd":
            if self._depth:
                self._depth -= 1
                return
            self.rows[_squash(self._dt)] = (_squash(self._dd), self._links)
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "dt":
            self._dt.append(data)
        elif self._in == "dd":
            self._dd.append(data)


# The attribute list that may end a heading line (`## Fiches proches { .commun-hors-index }`).
HEADING_ATTRIBUTES = r"(?: \{[^}\n]*\})?"


def section(markdown: str, opening: str, closing: str) -> str:
    """The text between the first `opening` and the next `closing` (both excluded); fails if absent."""
    start = markdown.index(opening) + len(opening)
    return markdown[start : markdown.index(closing, start)]


def identity(markdown: str) -> dict[str, tuple[str, list[str]]]:
    """The identity box (« En bref ») of a fiche page: label → (text, hrefs)."""
    box = section(markdown, '<section class="commun-identite" aria-label="En bref">', "</section>")
    parser = _Rows()
    parser.feed(box)
    return parser.rows


def shown_facts(markdown: str) -> dict[str, tuple[str, list[str]]]:
    """The facts of a fiche's box shown at once (who, where, when): label → (text, hrefs)."""
    box = section(markdown, '<section class="commun-identite" aria-label="En bref">', "</section>")
    parser = _Rows()
    parser.feed(box.split('<details class="commun-plus">')[0])
    return parser.rows


def folded_facts(markdown: str) -> dict[str, tuple[str, list[str]]]:
    """The facts of a fiche's box folded behind their summary: label → (text, hrefs)."""
    box = section(markdown, '<section class="commun-identite" aria-label="En bref">', "</section>")
    parser = _Rows()
    parser.feed(box.split('<details class="commun-plus">', 1)[1] if '<details class="commun-plus">' in box else "")
    return parser.rows


def heading_section(markdown: str, heading: str) -> str:
    """The Markdown under the `## heading` line (attribute list aside, an apostrophe written as is or as `&#39;`),
    up to the next `## ` heading or the end of the page's own sections (« Fiches proches », sources, footer);
    fails if absent."""
    words = re.escape(heading).replace("'", "(?:'|&\\#39;)")
    pattern = rf"^## {words}{HEADING_ATTRIBUTES}\n(.*?)(?=^## |^<details class=\"commun-section|^<footer|\Z)"
    match = re.search(pattern, markdown, re.MULTILINE | re.DOTALL)
    assert match, f"no « ## {heading} » section"
    return match.group(1)


def headings(markdown: str, level: int = 2) -> list[str]:
    """The headings of one level, as read (character references such as `&#39;` decoded, attribute list aside)."""
    found = re.findall(rf"^{'#' * level} (.+?){HEADING_ATTRIBUTES}$", markdown, re.MULTILINE)
    return [html.unescape(h) for h in found]


def date(text: str) -> dt.date:
    return dt.date.fromisoformat(text)
