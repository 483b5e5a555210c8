"""Stage 4, render: every page of the site as Markdown (with HTML blocks), from the graph and Jinja2 templates.

Knows nothing of MkDocs: it returns `Page` objects (a path such as `initiatives/slug.md` and its text),
which any engine that reads Markdown can build. URLs are directory-style (`initiatives/slug/`).
"""

from __future__ import annotations

import json
import posixpath
import re
import secrets
import zlib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from ...core.corpus import Fiche
from ...core.kinds import KINDS
from ...core.labels import group, label
from ...core.problems import plural
from ...core.reads import identity
from ...core.territoires import department_of
from ...core.text import slugify
from ...core.typography import typeset
from ...core.urls import fiche_path, page_url, relative
from ...stages.graph import Graph, commune_codes, sort_by_title
from ..templating import environment
from .carte import carte
from .facets import fiche_search
from .relations import link_sections
from .stats import LiveFigures, charts, counted, examples

# A placeholder: a nonce no contributor can write by chance, the block's number, and a digest of the
# block, so that a page written to disk changes whenever one of its blocks does (`materialise`).
_NONCE = secrets.token_hex(4)
HTML_BLOCK = f"commun-bloc-html-{_NONCE}-{{}}-{{:08x}}"
HTML_BLOCK_MARK = re.compile(rf"commun-bloc-html-{_NONCE}-(\d+)-[0-9a-f]{{8}}")
HTML_BLOCK_PARAGRAPH = re.compile(rf"<p>commun-bloc-html-{_NONCE}-(\d+)-[0-9a-f]{{8}}</p>")


def stable_text(markdown: str) -> str:
    """A page's Markdown without this process's nonce: the same page gives the same text in every build."""
    return markdown.replace(f"commun-bloc-html-{_NONCE}-", "commun-bloc-html-")


def nonce() -> str:
    """This process's placeholder nonce, kept beside a page's Markdown stored for a later build."""
    return _NONCE


def renonced(markdown: str, nonce: str) -> str:
    """A page's Markdown stored by a process whose placeholders carried `nonce`, with this process's."""
    return markdown.replace(f"commun-bloc-html-{nonce}-", f"commun-bloc-html-{_NONCE}-")


class HtmlBlockError(Exception):
    """A page's HTML block did not come out of the Markdown engine as a paragraph of its own."""


@dataclass(frozen=True)
class Page:
    """One page to build: its path under the site's sources, its Markdown text, the file it comes from.

    With a renderer made with `html_blocks=True`, the finished HTML of the templates (identity boxes,
    cards, link lists) is not in `markdown` but in `html_blocks`, each replaced by a placeholder line:
    the Markdown engine then has nothing to parse there, and `fill` puts the HTML into its output.
    `text` is the page with everything in place, for an engine that reads only Markdown.
    """

    path: str
    markdown: str
    source: Path | None = None
    html_blocks: tuple[str, ...] = ()

    @property
    def url(self) -> str:
        return page_url(self.path)

    @property
    def text(self) -> str:
        if not self.html_blocks:
            return self.markdown
        return HTML_BLOCK_MARK.sub(lambda match: self.html_blocks[int(match[1])], self.markdown)

    def fill(self, html: str) -> str:
        """The HTML the engine made of `markdown`, with each placeholder paragraph replaced by its block."""
        if not self.html_blocks:
            return html
        placed: set[int] = set()

        def block(match: re.Match[str]) -> str:
            index = int(match[1])
            placed.add(index)
            return self.html_blocks[index] + "\n"  # raw HTML is followed by a blank line, as Markdown leaves it

        filled = HTML_BLOCK_PARAGRAPH.sub(block, html)
        if not html.endswith("\n"):
            filled = filled.rstrip("\n")
        if len(placed) != len(self.html_blocks):
            missing = sorted(set(range(len(self.html_blocks))) - placed)
            raise HtmlBlockError(f"{self.path} : bloc HTML n° {missing[0]} introuvable dans la page produite")
        return filled


@dataclass(frozen=True)
class PlannedPage:
    """A page known by its path and source, rendered only when `render` is called.

    An engine that reads pages one at a time (the MkDocs plugin's `GeneratedPage`) never holds every
    rendered page at once, besides what it keeps of each page itself.
    """

    path: str
    source: Path | None
    render: Callable[[], Page]
    shows: dict[str, Any] | None = None
    """What the page's template is given (fiches, names, counts), when that is all it depends on
    besides what every page shares: `PageCache` then knows when it is unchanged."""


def markdown_escape(text: str) -> str:
    """Text that Markdown shows as written, in a heading or a list.

    `<`, `>` and `&` are left to the templates' autoescaping: Markdown shows their entities as written,
    whereas a backslash before an entity would show.
    """
    return re.sub(r"([\\`*_{}\[\]#|])", r"\\\1", str(text))


class Renderer:
    """Renders the pages of one graph; `edit_url` is the forge's edit address (`…/edit/main/`), if any.

    A renderer made again and again in one process (`mkdocs serve`) passes `compiled=COMPILED`.
    """

    def __init__(
        self,
        graph: Graph,
        *,
        edit_url: str | None = None,
        drafts: bool = False,
        html_blocks: bool = False,
        links_from_source: bool = False,
        compiled: jinja2.BytecodeCache | None = None,
    ) -> None:
        self.graph = graph
        self.links_from_source = links_from_source
        self.edit_url = edit_url
        self.drafts = drafts
        self.html_blocks = html_blocks
        self._blocks: list[str] | None = None
        self.env = environment("site", compiled=compiled)
        self.env.filters.update(md=markdown_escape, tojson_fr=_json, html_block=self.html_block)
        self.env.globals["graph"] = graph
        self._cache: dict[str, jinja2.Template] = {}
        self.figures = LiveFigures(graph)

    def settings(self) -> list[Any]:
        """The build's settings a page may show (options, the site's address, the offline copy, the
        deliverables): part of the key of every kept page, in the serve cache and on disk alike."""
        names = self.env.globals
        return [
            self.edit_url,
            self.drafts,
            self.html_blocks,
            self.links_from_source,
            names.get("site_url"),
            names.get("hors_ligne"),
            repr(identity(names.get("livrables"))),
        ]

    def template(self, name: str) -> jinja2.Template:
        if name not in self._cache:
            self._cache[name] = self.env.get_template(name)
        return self._cache[name]

    def context(self, path: str, **extra: Any) -> dict[str, Any]:
        # MkDocs leaves a link that is not to a Markdown file as written: relative to the page's URL.
        # Zensical reads every relative link from the Markdown file's folder and rewrites it.
        here = posixpath.dirname(path) + "/" if self.links_from_source else page_url(path)

        def href(target: Fiche | str) -> str:
            url = page_url(fiche_path(target)) if isinstance(target, Fiche) else target
            return relative(here, url)

        return {"href": href, "page_path": path, "stats": self.figures, **extra}

    def render(self, template: str, path: str, source: Path | None = None, **extra: Any) -> Page:
        self._blocks = [] if self.html_blocks else None
        try:
            text = typeset(self.template(template).render(self.context(path, **extra)))
            return Page(path, text, source, tuple(self._blocks or ()))
        finally:
            self._blocks = None

    def later(self, template: str, path: str, source: Path | None = None, **extra: Any) -> PlannedPage:
        """`render`, deferred until the page is needed."""
        return PlannedPage(path, source, partial(self.render, template, path, source, **extra), {template: extra})

    def html_block(self, html: str) -> Markup:
        """`{% filter html_block %}…{% endfilter %}` around finished HTML that stands as a block of its own.

        While a page is rendered with `html_blocks`, the HTML is set aside and a placeholder line takes
        its place (see `Page`); otherwise, as in hand-written pages, the HTML stays where it is.
        """
        if self._blocks is None:
            return Markup(html)
        text = typeset(str(html), "html")
        block = text.strip("\n")
        if not block:
            return Markup(html)
        self._blocks.append(block)
        start = text.index(block)
        mark = HTML_BLOCK.format(len(self._blocks) - 1, zlib.crc32(block.encode("utf-8")))
        return Markup(text[:start] + mark + text[start + len(block) :])

    def term(self, vocabulary: str, slug: str) -> Any:
        return self.graph.content.vocabularies.get(vocabulary, {}).get(slug)

    # --- pages ---------------------------------------------------------------------------------

    def fiche_page(self, fiche: Fiche) -> Page:
        edit = f"{self.edit_url.rstrip('/')}/content/{fiche.kind}/{fiche.path.name}" if self.edit_url else None
        extra: dict[str, Any] = {}
        if fiche.kind_info.is_structure:
            extra = self.structure_context(fiche)
        return self.render(
            f"fiche/{fiche.kind}.md.j2",
            fiche_path(fiche),
            fiche.path,
            fiche=fiche,
            m=fiche.meta,
            term=self.term,
            edit=edit,
            related=self.graph.related_to(fiche),
            link_sections=link_sections(self.graph, fiche),
            recherche=fiche_search(fiche, self.graph, self.graph.content.synonymes),
            **self.places_context(fiche),
            **extra,
        )

    def places_context(self, fiche: Fiche) -> dict[str, Any]:
        """The communes of a fiche (a code the referential lacks stays a code), their intercommunalities with
        a page, and the departments it concerns: each links to its page."""
        territoires = self.graph.territoires
        communes = [territoires.commune(code) or code for code in commune_codes(fiche)]
        # The fiche concerns these communes: their intercommunalities have a page.
        epcis = {c.epci: e for c in communes if not isinstance(c, str) and (e := territoires.epci(c.epci))}
        departements = [territoires.departements[code] for code in self.graph.departements_of(fiche)]
        return {"communes": communes, "epcis": list(epcis.values()), "departements": departements}

    def structure_context(self, fiche: Fiche) -> dict[str, Any]:
        graph = self.graph
        modules = []
        for step in fiche.meta.parcours:
            module = graph.get("modules", step.module)
            modules.append((step, module))
        initiatives = graph.citing(fiche, "initiatives", "porteur")
        projets = graph.citing(fiche, "projets", "porteur")
        tools: dict[str, Fiche] = {}
        for item in initiatives + projets:
            for tool in graph.cited(item, "outils"):
                tools.setdefault(tool.slug, tool)
        return {
            "parcours": modules,
            "outils_utilises": sort_by_title(tools.values()),
            "passeports": graph.passeports(fiche),
        }

    def certificate_page(self, fiche: Fiche) -> Page:
        return self.render(
            "attestation.md.j2",
            f"ccas/{fiche.slug}/attestation.md",
            fiche.path,
            fiche=fiche,
            m=fiche.meta,
            **self.structure_context(fiche),
        )

    def kind_index(self, kind: str) -> PlannedPage:
        """A kind's list: its fiches grouped (see `Grouping`), then its example fiches, apart."""
        info = KINDS[kind]
        grouping = info.grouping
        fiches = sort_by_title(self.graph.of_kind(kind))
        groups: dict[str | None, list[Fiche]] = defaultdict(list)
        for fiche in counted(fiches):
            groups[getattr(fiche.meta, grouping.field)].append(fiche)
        if grouping.by_reference:  # under the name of each fiche referenced: modules under their programme
            cited = self.graph.cited_through(kind, grouping.field)
            names = {f.slug: getattr(f.meta, "nom", None) or f.meta.titre for f in cited}
            groups[None] += [f for value, of_value in groups.items() if value and value not in names for f in of_value]
            ordered = [(names[f.slug], groups[f.slug]) for f in cited if groups.get(f.slug)]
            if groups.get(None):
                ordered.append((grouping.unknown, groups[None]))
        else:
            labels = group(info.model, grouping.field)
            order = grouping.order if None in grouping.order else (*grouping.order, None)
            ordered = [
                (grouping.unknown if value is None else label(value, labels), groups[value])
                for value in order
                if groups.get(value)
            ]
        return self.later(
            "index.md.j2",
            f"{kind}/index.md",
            kind=kind,
            info=info,
            groups=ordered,
            examples=examples(fiches),
            total=len(counted(fiches)),
        )

    def vocabulary_pages(self, vocabulary: str, title: str) -> list[PlannedPage]:
        """The index of a vocabulary and a page per term that has fiches: a term without one has no page."""
        index = self.graph.fiches_by_term(vocabulary)
        terms = self.graph.content.vocabularies.get(vocabulary, {})
        used = [slug for slug in terms if index.get(slug)]
        pages = [
            self.later(
                "taxonomie/index.md.j2",
                f"{vocabulary}/index.md",
                title=title,
                vocabulary=vocabulary,
                entries=[
                    _entry(terms[s].libelle, f"{vocabulary}/{s}/", terms[s].description, index[s])
                    for s in sorted(used, key=lambda s: slugify(terms[s].libelle))
                ],
            )
        ]
        for slug in used:
            term = terms[slug]
            pages.append(
                self.later(
                    "taxonomie/terme.md.j2",
                    f"{vocabulary}/{slug}.md",
                    titre=term.libelle,
                    description=term.description,
                    parent=title,
                    by_kind=_by_kind(index[slug]),
                    examples=examples(index[slug]),
                )
            )
        return pages

    def commune_pages(self) -> list[PlannedPage]:
        """A page for each commune, intercommunality and department some fiche concerns, and their lists."""
        graph, territoires = self.graph, self.graph.territoires
        index = graph.fiches_by_commune()
        epcis = graph.epcis()
        pages = []
        entries = []
        for code, fiches in index.items():
            commune = territoires.commune(code)
            name = commune.nom if commune else code
            epci = territoires.epci(commune.epci) if commune and commune.epci in epcis else None
            department = territoires.departement(department_of(code)) if commune else None
            entries.append(_entry(name, f"communes/{code}/", epci.nom if epci else "", fiches))
            pages.append(
                self.later(
                    "taxonomie/commune.md.j2",
                    f"communes/{code}.md",
                    code=code,
                    commune=commune,
                    titre=name,
                    epci=epci,
                    departement=department,
                    ccas=[f for f in fiches if f.kind_info.is_structure],
                    by_kind=_by_kind(fiches),
                    examples=examples(fiches),
                    charts=charts(self.graph, fiches),
                )
            )
        entries.sort(key=lambda e: slugify(e.name))
        pages.append(
            self.later(
                "taxonomie/index.md.j2", "communes/index.md", title="Communes", vocabulary="communes", entries=entries
            )
        )
        epci_entries = []
        for siren, codes in epcis.items():
            epci = territoires.epcis[siren]
            fiches = sort_by_title({(f.kind, f.slug): f for c in codes for f in index.get(c, [])}.values())
            epci_entries.append(_entry(epci.nom, f"epci/{epci.slug}/", plural(len(codes), "commune"), fiches))
            members = sorted(territoires.communes_of_epci(epci), key=lambda c: slugify(c.nom))
            pages.append(
                self.later(
                    "taxonomie/epci.md.j2",
                    f"epci/{epci.slug}.md",
                    epci=epci,
                    titre=epci.nom,
                    communes=[(c, c.code in index) for c in members],
                    departements=[territoires.departements[d] for d in epci.departements],
                    with_page=list(graph.fiches_by_departement()),
                    by_kind=_by_kind(fiches),
                    examples=examples(fiches),
                    charts=charts(self.graph, fiches),
                )
            )
        pages.append(
            self.later(
                "taxonomie/index.md.j2",
                "epci/index.md",
                title="Intercommunalités (EPCI)",
                vocabulary="epci",
                entries=epci_entries,
            )
        )
        return pages

    def departement_pages(self) -> list[PlannedPage]:
        """A page for each department some fiche concerns (`departements/93/`), and the map of them all."""
        graph = self.graph
        by_department = graph.fiches_by_departement()
        pages = [self.later("taxonomie/departements.md.j2", "departements/index.md", carte=carte(graph))]
        for code in by_department:
            pages.append(
                self.later(
                    "taxonomie/departement.md.j2",
                    f"departements/{code}.md",
                    **self.departement_context(code),
                )
            )
        return pages

    def departement_context(self, code: str) -> dict[str, Any]:
        """What a department's page shows: its union, structures, their initiatives and projects, the practices
        its union recommends, the trainings its structures followed, its communes and figures, the map."""
        graph, territoires = self.graph, self.graph.territoires
        fiches = graph.fiches_by_departement()[code]
        structures = [f for f in fiches if f.kind_info.is_structure]
        unions = [f for f in structures if f.meta.type == "udccas"]
        recommended = sort_by_title(
            {(f.kind, f.slug): f for union in unions for f in graph.citing(union, "initiatives", "structure")}.values()
        )
        followed: dict[str, list[Fiche]] = defaultdict(list)
        for structure in structures:
            for step in structure.meta.parcours:
                module = graph.get("modules", step.module)
                if module is not None and structure not in followed[module.slug]:
                    followed[module.slug].append(structure)
        trainings = [(graph.get("modules", slug), by) for slug, by in followed.items()]
        trainings.sort(key=lambda item: (-len(item[1]), slugify(item[0].meta.titre)))
        communes = [territoires.commune(c) for c in graph.fiches_by_commune() if department_of(c) == code]
        epcis = graph.epcis()
        return {
            "code": code,
            "departement": territoires.departements[code],
            "chiffres": self.figures.departements[code],
            "unions": unions,
            "structures": [f for f in structures if f not in unions],
            "porte": _by_kind([f for f in fiches if not f.kind_info.is_structure]),
            "exemples": examples([f for f in fiches if not f.kind_info.is_structure]),
            "charts": charts(graph, fiches),
            "recommandees": recommended,
            "formations": trainings,
            "communes": sorted((c for c in communes if c is not None), key=lambda c: slugify(c.nom)),
            "epcis": [
                territoires.epcis[siren]
                for siren in epcis
                if code in territoires.epcis[siren].departements
                and any(department_of(c) == code for c in epcis[siren])
            ],
            "carte": carte(graph, code),
        }

    def editorial(self, markdown: str, path: str) -> str:
        """A hand-written page with live figures (its `{{ … }}` and `{% … %}` filled from the graph), typeset."""
        if "{{" in markdown or "{%" in markdown:
            markdown = self.env.from_string(markdown).render(self.context(path))
        return typeset(markdown)



def _by_kind(fiches: list[Fiche]) -> list[tuple[str, list[Fiche]]]:
    """Counted fiches by kind; the example fiches are listed apart (`stats.examples`)."""
    grouped: dict[str, list[Fiche]] = defaultdict(list)
    for fiche in counted(fiches):
        grouped[fiche.kind].append(fiche)
    return [(kind, grouped[kind]) for kind in KINDS if grouped.get(kind)]


@dataclass(frozen=True)
class IndexEntry:
    """A line of a taxonomy index: a term, a commune or an intercommunality, and what it counts."""

    name: str
    url: str
    note: str
    count: int
    examples: int


def _entry(name: str, url: str, note: str, fiches: list[Fiche]) -> IndexEntry:
    return IndexEntry(name, url, note, len(counted(fiches)), len(examples(fiches)))


def _json(value: Any) -> Markup:
    """A value as JSON, which is also valid YAML: for the front matter of generated pages."""
    return Markup(json.dumps(str(value), ensure_ascii=False))


