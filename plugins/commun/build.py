"""The one wiring of the pipeline, for the MkDocs adapter and the CLI alike:

    content files → read → check → graph → pages / open data / PDF / offline copy / search index → site

`Build` knows no engine: an adapter hands it options, asks for the pages and the files to add, and calls
`after_site` once the engine has written the HTML. The environment (`COMMUN_*` variables) is read here
and nowhere else.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .core.corpus import Content, collector_paused
from .core.problems import summary
from .core.urls import fiche_path
from .outputs import cms
from .outputs.offline import ARCHIVE, ArchiveReport, build_archive
from .outputs.opendata import SiteFiles
from .outputs.opendata.common import last_update, write_files
from .outputs.pages.cache import PageCache, materialise, render_pages
from .outputs.pages.markdowncache import MarkdownCache
from .outputs.pages.render import Page, PlannedPage, Renderer
from .outputs.pages.site import plan
from .outputs.pdf.deliverables import deliverables
from .outputs.search_index import IndexReport, build_index, start_index
from .outputs.templating import COMPILED, compiled_on_disk
from .stages.check import CheckCache, check
from .stages.graph import Graph, RelatedMemory, build_graph
from .stages.safety import IMAGE_TYPES, IMAGES

ATTACHMENTS = Path("outils") / "fichiers"
"""Where the downloadable files of the tools live, under the content folder and on the site."""
EPOCH = dt.date(1970, 1, 1)


def place_files(files: Iterable[tuple[str, str | Path]], folder: Path) -> None:
    """Files under `folder`, each given by its path there and its text or the file to copy."""
    for uri, source in files:
        target = folder / uri
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(source, Path):
            shutil.copyfile(source, target)
        else:
            target.write_text(source, encoding="utf-8")


class BuildError(Exception):
    """The build cannot go on; the message is in French and names what to fix."""


def switched_on(value: str | None) -> bool:
    return (value or "") not in ("", "0")


@dataclass(frozen=True)
class Options:
    """What a build is asked for, whoever asks (the MkDocs options, the CLI's flags, the environment)."""

    root: Path
    """The folder of mkdocs.yml: the repository."""
    content: str = "content"
    site_name: str = "Commun"
    site_url: str | None = None
    repo_url: str | None = None
    edit_url: str | None = None
    """Address where the forge edits a file of the repository (`…/edit/main/`)."""
    drafts: bool = False
    search: bool = True
    deliverables: bool = True
    offline: bool = True
    cms: Mapping[str, Any] = field(default_factory=dict)
    serving: bool = False
    environment: Mapping[str, str] = field(default_factory=dict, repr=False)

    @classmethod
    def with_environment(cls, environment: Mapping[str, str] | None = None, **given: Any) -> Options:
        """Options completed from the environment: `COMMUN_SITE_URL` (when no `site_url` is set),
        `COMMUN_BROUILLONS=1` (drafts in the preview), `COMMUN_RECHERCHE=0` (no search index)."""
        env = dict(os.environ if environment is None else environment)
        if not given.get("site_url") and (address := env.get("COMMUN_SITE_URL")):
            given["site_url"] = address.rstrip("/") + "/"
        given["drafts"] = given.get("drafts", False) or switched_on(env.get("COMMUN_BROUILLONS"))
        given["search"] = given.get("search", True) and env.get("COMMUN_RECHERCHE", "") != "0"
        if not given.get("edit_url") and given.get("repo_url"):
            given["edit_url"] = given["repo_url"].rstrip("/") + "/edit/main/"
        return cls(environment=env, **given)

    @property
    def content_dir(self) -> Path:
        return self.root / self.content

    @property
    def cache_dir(self) -> Path:
        return self.root / ".cache" / "commun"


class Build:
    """One build of the commun: check the content, link it, plan its pages, then write what follows the site.

    Under `mkdocs serve` one `Build` lives across rebuilds: `check` then reuses unchanged files, `link`
    the related fiches an edit cannot have changed, and `pages` unchanged pages.
    """

    def __init__(self, options: Options) -> None:
        self.options = options
        self.check_cache = CheckCache() if options.serving else None
        self.page_cache = PageCache() if options.serving else None
        self.related = RelatedMemory() if options.serving else None
        self.graph: Graph | None = None
        self.renderer: Renderer | None = None
        self.markdown_cache: MarkdownCache | None = None

    # --- check → graph ---------------------------------------------------------------------------

    def check(self) -> Content:
        """Read and check the content folder; never raises for bad content (see `Content.problems`)."""
        return check(self.options.content_dir, self.check_cache)

    def error_message(self, content: Content, *, previewing: bool) -> str:
        return (
            "Le contenu a des erreurs ; "
            + ("corrigez-les : l'aperçu se mettra à jour" if previewing else "corrigez-les puis relancez")
            + " (commun check content) :\n"
            + "\n".join(str(p) for p in content.problems)
            + "\n"
            + summary(content.problems)
        )

    def link(self, content: Content, *, html_blocks: bool = True, links_from_source: bool = False) -> Graph:
        """The graph of the visible fiches and the renderer of its pages. `html_blocks`: the templates'
        finished HTML is set aside for the engine to put back (see `Page.fill`); `links_from_source`:
        links are relative to the page's Markdown file, for an engine that rewrites them (Zensical)."""
        opts = self.options
        self.graph = build_graph(content, drafts=opts.drafts, related=self.related)
        # A rebuild of the preview compiles nothing again; a build compiles only what an earlier one did not.
        compiled = COMPILED if opts.serving else compiled_on_disk(opts.cache_dir / "gabarits")
        self.renderer = Renderer(
            self.graph,
            edit_url=opts.edit_url,
            drafts=opts.drafts,
            html_blocks=html_blocks,
            links_from_source=links_from_source,
            compiled=compiled,
        )
        self.renderer.env.globals["site_url"] = opts.site_url
        # No PDFs nor offline copy in the preview: pages link to them only when they are written.
        if self.writes_deliverables:
            self.renderer.env.globals["livrables"] = {d.slug: d for d in deliverables(self.graph)}
        # The offline copy's address, for the pages that link to it, when the build writes it.
        self.renderer.env.globals["hors_ligne"] = ARCHIVE if self.writes_offline_copy else None
        self.open_data = SiteFiles(self.graph, site_url=opts.site_url, site_name=opts.site_name)
        # A build renders again only the pages an edit changed; a rebuild of the preview keeps its pages in memory.
        if not opts.serving:
            self.markdown_cache = MarkdownCache(opts.cache_dir / "pages.sqlite", self.renderer)
        return self.graph

    @property
    def writes_deliverables(self) -> bool:
        return self.options.deliverables and not self.options.serving

    @property
    def writes_offline_copy(self) -> bool:
        return self.options.offline and not self.options.serving

    # --- pages and files -------------------------------------------------------------------------

    def planned_pages(self) -> list[PlannedPage]:
        """Every generated page, rendered when the engine reads it (or taken from an earlier build's cache)."""
        pages = plan(self._renderer())
        return self.markdown_cache.planned(pages) if self.markdown_cache is not None else pages

    def pages(self) -> list[Page]:
        """Every generated page, rendered now (reusing the previous rebuild's unchanged pages)."""
        return render_pages(self._renderer(), self.page_cache)

    def written_pages(self, folder: Path) -> list[Page]:
        """Every generated page (`pages`), written under `folder` where its text changed, for an engine that
        reads pages from files and rebuilds those whose file changed (`mkdocs serve --dirty`)."""
        pages = self.pages()
        materialise(pages, folder, self.page_cache.reused if self.page_cache is not None else ())
        return pages

    def editorial(self, markdown: str, path: str) -> str:
        """A hand-written page with its live figures filled in."""
        return self._renderer().editorial(markdown, path)

    def page_dates(self) -> tuple[dict[str, dt.date], dt.date | None]:
        """The date of each fiche's page (its `mis_a_jour`) and the latest one, for every other page:
        pages are dated from the content, never from the build, so that rebuilding gives the same bytes."""
        graph = self._graph()
        updated = {fiche_path(fiche): fiche.meta.mis_a_jour for fiche in graph.all()}
        certificates = {f"ccas/{f.slug}/attestation.md": f.meta.mis_a_jour for f in graph.of_kind("ccas")}
        return {**certificates, **updated}, max(updated.values(), default=None)

    def attachments(self) -> Iterator[tuple[str, Path]]:
        """The files the site serves as they are, at the same place under it as under the content folder:
        the tools' downloadable files, and the images of the fiches (those of an accepted format only, as
        the check accepts no other in a page). Site path and file."""
        for where, accepted in ((ATTACHMENTS, None), (Path(IMAGES), IMAGE_TYPES)):
            folder = self.options.content_dir / where
            if folder.is_dir():
                for path in sorted(folder.rglob("*")):
                    if not path.is_file() or path.name.startswith("."):
                        continue
                    if accepted is None or path.suffix.lower() in accepted:
                        yield f"{where.as_posix()}/{path.relative_to(folder).as_posix()}", path

    def admin_files(self) -> dict[str, str | Path]:
        """The web form's files (/admin/): site path → text, or a file to copy."""
        opts = self.options
        content = self._graph().content
        try:
            return cms.site_files(
                content.vocabularies,
                cms.options(opts.cms, repo_url=opts.repo_url, env=opts.environment),
                root=opts.root,
                content_dir=opts.content,
                site_name=opts.site_name,
                site_url=opts.site_url,
                preview=opts.serving,
            )
        except cms.CmsError as exc:
            raise BuildError(f"Formulaire web (/admin/) : {exc}") from None

    def jsonld_for(self, path: str) -> dict[str, Any] | None:
        return self.open_data.jsonld_for(path)

    def write_docs(self, docs_dir: Path, out_dir: Path) -> int:
        """An engine-neutral docs folder: the hand-written pages (live figures filled in), every generated
        page as Markdown, the tools' files and the web form. Returns the number of pages written.

        For an engine that runs no plugin (Zensical): it builds the site from this folder alone, then
        `copy_attachments` adds the tools' files as they are, since such an engine makes pages of the
        Markdown ones.
        """
        if out_dir.exists():
            shutil.rmtree(out_dir)
        count = 0
        for path in sorted(docs_dir.rglob("*")):
            if not path.is_file() or path.name.startswith("."):
                continue
            relative = path.relative_to(docs_dir).as_posix()
            target = out_dir / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            if path.suffix == ".md":
                target.write_text(self.editorial(path.read_text(encoding="utf-8"), relative), encoding="utf-8")
                count += 1
            else:
                shutil.copyfile(path, target)
        with collector_paused():
            for planned in self.planned_pages():
                target = out_dir / planned.path
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(planned.render().text, encoding="utf-8")
                count += 1
        place_files([*self.attachments(), *self.admin_files().items()], out_dir)
        return count

    def copy_attachments(self, site_dir: Path) -> int:
        """Copy the tools' files and the images into a built site, as they are (a Markdown template is a download)."""
        count = 0
        for uri, path in self.attachments():
            target = site_dir / uri
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
            count += 1
        return count

    # --- after the site ----------------------------------------------------------------------------

    def after_site(self, site_dir: Path) -> list[str]:
        """What follows the engine's HTML: the open data, the PDF deliverables and the offline copy (unless
        serving), and the search index. Returns one French line per step, for the build's log.

        Pagefind, a program of its own, indexes the pages while Python writes the rest; its bundle is put in
        place last (the offline copy leaves the search folders out). If a step fails, Pagefind is stopped
        and its working folders removed: nothing half-written is left in the site.
        """
        graph, opts = self._graph(), self.options
        report = []
        if (pages := self.markdown_cache) is not None:
            pages.close()
            report.append(f"pages générées : {pages.rendered} rendues, {pages.taken} reprises du cache")
        pending = start_index(site_dir) if opts.search else None
        try:
            data = write_files(self.open_data.each_file(), site_dir)
            report.append(f"données ouvertes : {len(data)} fichiers")
            if self.writes_deliverables:
                from .outputs.pdf.render import PdfRenderer  # fpdf weighs 30 MiB: loaded only when PDFs are made

                pdfs = PdfRenderer(graph, site_name=opts.site_name, cache_dir=opts.cache_dir / "pdf").files()
                write_files(pdfs, site_dir)
                report.append(f"livrables : {len(pdfs)} PDF")
            if self.writes_offline_copy:
                archive = self.offline_copy(site_dir)
                report.append(f"copie hors ligne : {archive.pages} pages, {archive.size // 1024} Kio")
        except BaseException:
            if pending is not None:
                pending.cancel()
            raise
        if pending is not None:
            report.append(str(pending.finish()))
        return report

    def offline_copy(self, site_dir: Path, archive: Path | None = None) -> ArchiveReport:
        """The offline copy of a built site, dated by its latest published fiche."""
        graph = self._graph()
        date = last_update(f for f in graph.all() if f.published) or EPOCH
        return build_archive(
            site_dir,
            archive or site_dir / ARCHIVE,
            date=date,
            site_name=self.options.site_name,
            site_url=self.options.site_url,
            cache_dir=self.options.cache_dir / "hors-ligne",
        )

    def search_index(self, site_dir: Path) -> IndexReport:
        return build_index(site_dir)

    # ---

    def _graph(self) -> Graph:
        if self.graph is None:
            raise RuntimeError("Build.link() comes first")
        return self.graph

    def _renderer(self) -> Renderer:
        if self.renderer is None:
            raise RuntimeError("Build.link() comes first")
        return self.renderer
