"""The MkDocs adapter: MkDocs' hooks handed to `build.Build`, nothing more (ProperDocs runs it unchanged)."""

from __future__ import annotations

import gc
import logging
import re
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import jinja2
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.structure.toc import get_toc

from ..build import Build, BuildError, Options
from ..core.french import number_fr
from ..core.problems import summary
from ..core.urls import list_of
from ..outputs.htmlcache import Digest, HtmlCache, code_digest
from ..outputs.pages.render import HtmlBlockError, Page, PlannedPage, stable_text
from ..outputs.search_index import SearchError
from ..outputs.templating import COMPILED, compiled_on_disk
from .watching import notified

log = logging.getLogger("mkdocs.plugins.commun")

CACHED_TEMPLATE = "commun-page-en-cache.html"
"""The template of a page taken from the build cache: its HTML, already laid out by the theme, as it is."""


# MkDocs' own lines under `mkdocs serve` (after the optional time of its live-reload server), in French;
# None: left out.
ENGINE_LINES: tuple[tuple[re.Pattern[str], str | None], ...] = tuple(
    (re.compile(r"^(?:\[\d\d:\d\d:\d\d\] )?" + pattern), french)
    for pattern, french in (
        (r"A 'dirty' build is being performed", None),
        (r"Building documentation\.\.\.$", "Construction de l'aperçu…"),
        (r"Documentation built in (\d+)\.(\d+) seconds$", None),  # said by `on_post_build`, every time
        (r"Serving on (\S+)", "Aperçu sur {0} : il se met à jour à chaque enregistrement (Ctrl-C l'arrête)."),
        (r"Detected file changes$", "Modification enregistrée : l'aperçu se met à jour…"),
        (r"Shutting down\.\.\.$", "Arrêt de l'aperçu."),
    )
)


class FrenchPreview(logging.Filter):
    """Under `mkdocs serve`, the engine's own lines said in French or left out: a contributor reads this terminal.

    The « dirty build » warning is left out (the preview rebuilds only what changed, on purpose), and so is the
    engine's other chatter below the warning level; its warnings and errors, and every line of the commun's,
    are kept.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name == log.name or not record.name.startswith(("mkdocs", "properdocs")):
            return True
        message = record.getMessage()
        for pattern, french in ENGINE_LINES:
            if match := pattern.match(message):
                if french is None:
                    return False
                record.msg, record.args = french.format(*match.groups()), ()
                return True
        return record.levelno >= logging.WARNING


FRENCH_PREVIEW = FrenchPreview()


def speak_french() -> None:
    """Put the filter on the engine's terminal output (its handlers see the records of every engine logger)."""
    for name in ("mkdocs", "properdocs"):
        for handler in logging.getLogger(name).handlers:
            if FRENCH_PREVIEW not in handler.filters:
                handler.addFilter(FRENCH_PREVIEW)


class CommunConfig(base.Config):
    contenu = c.Type(str, default="content")
    brouillons = c.Type(bool, default=False)
    edition = c.Optional(c.Type(str))
    """Address where the forge edits a file of the repository, e.g. `https://forge/org/commun/edit/main/`."""
    recherche = c.Type(bool, default=True)
    """Build the Pagefind search index after the site (also skipped with the environment COMMUN_RECHERCHE=0)."""
    cms = c.Type(dict, default={})
    """The web form at /admin/ (see cms.Options): forge, depot, branche, oauth, app_id, api, local, actif."""
    livrables = c.Type(bool, default=True)
    """Write the PDF deliverables of each CCAS after the build (not under `mkdocs serve`; cached in .cache/)."""
    hors_ligne = c.Type(bool, default=True)
    """Write the offline copy (telechargements/commun-hors-ligne.zip) after the build (not under `mkdocs serve`)."""


class Attachment(File):
    """A downloadable tool file, copied as is even when it is Markdown (a template to fill in, not a page)."""

    def is_documentation_page(self) -> bool:
        return False


class GeneratedPage(File):
    """A page of the commun, rendered when MkDocs reads it: the site's text is never all held at once
    before MkDocs converts it, and its HTML blocks are kept only until they are put back (see fill)."""

    planned: PlannedPage | None = None
    rendered: Page | None = None

    @classmethod
    def planned_page(cls, config: Any, planned: PlannedPage) -> GeneratedPage:
        file = cls.generated(config, planned.path, content="")
        file.planned = planned
        return file

    @property
    def content_string(self) -> str:
        if self.planned is not None:
            self.rendered, self.planned = self.planned.render(), None
            self._content = self.rendered.markdown
        return str(self._content)

    @property
    def content_bytes(self) -> bytes:
        return self.content_string.encode("utf-8")

    def fill(self, html: str) -> str:
        """The page's HTML with its blocks put back, once; its text and blocks are then let go."""
        rendered, self.rendered, self._content = self.rendered, None, ""
        return rendered.fill(html) if rendered is not None else html


class LivePage(File):
    """A page that `mkdocs serve --dirty` rebuilds though its file did not change: a hand-written page
    showing live figures (`{{ … }}`), which an edited fiche changes, and every page when the content
    errors shown at its top appear, change or go."""

    def is_modified(self) -> bool:
        return True


class WarnedPages(logging.Handler):
    """Pages about which MkDocs warned while building them: not kept in the build cache, so that the
    next build warns again (and `--strict` fails again) rather than taking them silently."""

    def __init__(self, config: Any) -> None:
        super().__init__(logging.WARNING)
        self.config = config
        self.pages: set[str] = set()

    def emit(self, record: logging.LogRecord) -> None:
        page = getattr(self.config, "_current_page", None)
        if page is not None:
            self.pages.add(page.file.src_uri)


class SetAside:
    """Pages' HTML between MkDocs' two passes (converting every page, then laying each out), kept in an unnamed
    temporary file rather than in memory: MkDocs would hold every page's HTML and Markdown at once."""

    def __init__(self) -> None:
        self.file = tempfile.TemporaryFile()  # noqa: SIM115 (lives across hooks: closed after the pages)
        self.where: dict[str, tuple[int, int]] = {}

    def put(self, key: str, text: str) -> None:
        data = text.encode("utf-8", "surrogatepass")
        self.where[key] = (self.file.seek(0, 2), len(data))
        self.file.write(data)

    def take(self, key: str) -> str | None:
        if (found := self.where.pop(key, None)) is None:
            return None
        self.file.seek(found[0])
        return self.file.read(found[1]).decode("utf-8", "surrogatepass")

    def close(self) -> None:
        self.file.close()


class CommunPlugin(BasePlugin[CommunConfig]):
    """Builds the commun's pages from `content/`; a content error stops the build with French messages.

    Each hook hands its work to `build.Build`; nothing here knows the content.
    """

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Declaring this hook keeps one plugin instance across `mkdocs serve` rebuilds; the preview's terminal
        speaks French."""
        self.serving = command == "serve"
        if self.serving:
            speak_french()

    def on_config(self, config: Any) -> Any:
        serving = getattr(self, "serving", False)
        if serving:
            self._start = time.monotonic()
            self._started = getattr(self, "_started", 0) + 1
            if getattr(self, "build", None) is not None:  # a rebuild: see `_after_rebuild`
                gc.disable()
        options = Options.with_environment(
            root=Path(config.config_file_path or ".").resolve().parent,
            content=self.config.contenu,
            site_name=config.site_name,
            site_url=config.site_url,
            repo_url=config.repo_url,
            edit_url=self.config.edition,
            drafts=self.config.brouillons,
            search=self.config.recherche,
            deliverables=self.config.livrables,
            offline=self.config.hors_ligne,
            cms=self.config.cms,
            serving=serving,
        )
        # The public address, known only when publishing (absolute links in the sitemap, feeds and data).
        config.site_url = options.site_url
        if getattr(self, "build", None) is None or self.build.options != options:
            self.build = Build(options)
        content = self.build.check()
        self.preview_errors: list[str] = []
        starting = self.build.renderer is None
        if content.errors:
            message = self.build.error_message(content, previewing=serving)
            if not serving:
                raise PluginError(message)
            # The preview shows the errors at the top of every page (docs/overrides/main.html), over the last
            # valid content, or when it starts over the fiches that could be read (a fiche with a wrong field
            # is left out, a reference to nothing shows as text): it starts even when fiches have errors, and
            # never leaves the browser waiting for a build that fails.
            log.error(message)
            self.preview_errors = [str(p) for p in content.errors]
            if not starting:
                return config
        elif serving and starting and content.problems:
            log.warning("\n".join(str(p) for p in content.problems) + "\n" + summary(content.problems))
        self.build.link(content)
        try:
            self.admin = self.build.admin_files()
        except BuildError as exc:
            raise PluginError(str(exc)) from None
        self.html_cache = None if serving else HtmlCache(options.cache_dir / "html")
        self.aside = None if serving else SetAside()
        if self.html_cache is not None:
            self.warned = WarnedPages(config)
            logging.getLogger("mkdocs").addHandler(self.warned)
        return config

    def on_files(self, files: Files, config: Any) -> Files:
        self.dates, self.latest = self.build.page_dates()
        if getattr(self, "serving", False):
            # Pages on disk, rewritten only when they change: `mkdocs serve --dirty` then rebuilds just those;
            # all of them when the errors shown at the top of every page change.
            errors_changed = self.preview_errors != getattr(self, "shown_errors", [])
            self.shown_errors = self.preview_errors
            for file in list(files.documentation_pages()):  # the hand-written pages, before ours join them
                text = file.content_string
                if errors_changed or "{{" in text or "{%" in text:
                    files.remove(file)
                    files.append(LivePage(file.src_uri, file.src_dir, file.dest_dir, file.use_directory_urls))
            cache_dir = self.build.options.cache_dir / "pages"
            pages = self.build.written_pages(cache_dir)
            kind = LivePage if errors_changed else File
            for page in pages:
                files.append(kind(page.path, str(cache_dir), config.site_dir, config.use_directory_urls))
            self.written = {page.path: page for page in pages if page.html_blocks}
        else:
            pages = self.build.planned_pages()
            for planned in pages:
                files.append(GeneratedPage.planned_page(config, planned))
            # The content and its graph live as long as the build: out of the collector's sight, each
            # collection walks fewer objects and full collections come sooner (0.5 MiB less at 1,000 fiches).
            gc.freeze()
        self.generated = {page.path for page in pages}
        for uri, path in self.build.attachments():
            files.append(Attachment.generated(config, uri, abs_src_path=str(path)))
        for uri, source in self.admin.items():
            if isinstance(source, Path):
                files.append(File.generated(config, uri, abs_src_path=str(source)))
            else:
                files.append(File.generated(config, uri, content=source))
        return files

    def on_pre_page(self, page: Any, config: Any, files: Files) -> Any:
        """A fiche's page (and certificate) is dated by its `mis_a_jour`, other pages by the latest fiche's.

        MkDocs would use the build date, in the sitemap's `lastmod` and the `sitemap.xml.gz` header.
        """
        date = self.dates.get(page.file.src_uri, self.latest)
        if date is not None:
            page.update_date = date.isoformat()
        if getattr(self, "html_cache", None) is not None:
            page.render = self._cached_render(page, page.render)
        return page

    def on_nav(self, nav: Any, config: Any, files: Files) -> Any:
        """Each page outside the navigation (a fiche, a theme, a commune…) joins the section of its list page
        (`initiatives/index.md` for `initiatives/x.md`): the theme then highlights that section's tab, and the
        breadcrumb leads back to the list, as for the pages the navigation names.

        And what every page of the build cache is made of besides itself: the commun's code, the engine's
        versions, the configuration (its navigation), the hand-written documents and theme overrides, the
        list of files."""
        sections = {page.url: page.parent for page in nav.pages if page.is_index and page.parent is not None}
        for file in files.documentation_pages():
            page = file.page
            if page is None or page.parent is not None or page in nav.pages:
                continue
            if (folder := list_of(page.url, sections)) is not None:
                page.parent = sections[folder]
        if getattr(self, "html_cache", None) is not None:
            docs = Path(config.docs_dir)
            self.shared = (
                Digest(code_digest(), Path(config.config_file_path).read_bytes(), config.site_url)
                .add_files((p for p in docs.rglob("*") if p.is_file()), docs)
                .add(sorted((f.src_uri, f.dest_uri, f.url) for f in files))
                .hexdigest()
            )
        return nav

    def _cached_render(self, page: Any, render: Any) -> Any:
        """`page.render`, unless the build cache holds the page made from the same inputs: then the page's
        HTML is its cached HTML, laid out as it is (`CACHED_TEMPLATE`)."""

        def cached_render(config: Any, files: Files) -> None:
            rendered = page.file.rendered if isinstance(page.file, GeneratedPage) else None
            blocks = rendered.html_blocks if rendered is not None else ()
            key = Digest(
                self.shared,
                page.file.src_uri,
                stable_text(page.markdown),
                len(blocks),
                *blocks,
                page.meta,
                page.update_date,
                self.build.jsonld_for(page.file.src_uri),
            ).hexdigest()
            found = self.html_cache.title(key)
            if found is None:
                page.commun_cache_key = key
                render(config, files)
                return
            (page._title_from_render,), page.content = found, ""
            page.toc = get_toc([])
            page.meta["template"] = CACHED_TEMPLATE
            page.commun_cached = key
            if isinstance(page.file, GeneratedPage):
                page.file.rendered = None

        return cached_render

    def on_page_markdown(self, markdown: str, page: Any, config: Any, files: Files) -> str:
        if page.file.src_uri in self.generated or page.file.generated_by:
            return markdown
        return self.build.editorial(markdown, page.file.src_uri)

    def on_page_content(self, html: str, page: Any, config: Any, files: Files) -> str:
        """A generated page's HTML blocks put back; in a build, the page's HTML set aside until it is laid out."""
        if getattr(page, "commun_cached", False):
            return html
        html = self._filled(html, page)
        if (aside := getattr(self, "aside", None)) is not None:
            aside.put(page.file.src_uri, html)
            page.markdown = ""
            return ""
        return html

    def _filled(self, html: str, page: Any) -> str:
        if isinstance(page.file, GeneratedPage):
            fill = page.file.fill
        elif (written := getattr(self, "written", {}).get(page.file.src_uri)) is not None:
            fill = written.fill
        else:
            return html
        try:
            return fill(html)
        except HtmlBlockError as exc:
            raise PluginError(f"Page générée mal formée ({exc}) : un bloc HTML des gabarits doit être seul") from None

    def on_env(self, env: Any, config: Any, files: Files) -> Any:
        """The theme's templates are compiled once: under `mkdocs serve`, not at every rebuild (0.3 s); in a
        build, not when an earlier build compiled them."""
        if getattr(self, "serving", False):
            env.bytecode_cache = COMPILED
        else:
            env.bytecode_cache = compiled_on_disk(self.build.options.cache_dir / "gabarits")
        if getattr(self, "html_cache", None) is not None:
            env.loader = jinja2.ChoiceLoader([jinja2.DictLoader({CACHED_TEMPLATE: "{{ page.content }}"}), env.loader])
        return env

    def on_page_context(self, context: Any, page: Any, config: Any, nav: Any) -> Any:
        """A fiche's schema.org data, for `<head>` (docs/overrides/main.html), made while the page is
        written rather than kept on every page until the end of the build; in the preview, the content
        errors to show at the top of the page. A page's HTML set aside comes back."""
        if (aside := getattr(self, "aside", None)) is not None and (html := aside.take(page.file.src_uri)) is not None:
            page.content = html
        if getattr(page, "commun_cached", False):
            return context
        context["commun_jsonld"] = self.build.jsonld_for(page.file.src_uri)
        context["commun_erreurs"] = self.preview_errors
        return context

    def on_post_page(self, output: str, page: Any, config: Any) -> str:
        """A page just laid out goes into the build cache, unless MkDocs warned about it; a page taken from
        the cache is its cached HTML, read now."""
        if cached := getattr(page, "commun_cached", None):
            try:
                return self.html_cache.html(cached)
            except FileNotFoundError:
                message = f"Page « {page.file.src_uri} » retirée du cache pendant la construction : relancez-la"
                raise PluginError(message) from None
        key = getattr(page, "commun_cache_key", None)
        if key is not None and page.file.src_uri not in self.warned.pages:
            self.html_cache.put(key, page._title_from_render, output)
        if getattr(self, "aside", None) is not None:
            page.content = ""  # written: MkDocs would keep it until the end of the build
        return output

    def on_build_error(self, error: Exception) -> None:
        gc.enable()
        self._stop_watching_warnings()
        if getattr(self, "aside", None) is not None:
            self.aside.close()

    def _stop_watching_warnings(self) -> None:
        if (warned := getattr(self, "warned", None)) is not None:
            logging.getLogger("mkdocs").removeHandler(warned)

    def on_post_build(self, config: Any) -> None:
        """What follows the site (`Build.after_site`): open data, PDFs, offline copy, search index.

        Under `mkdocs serve` it runs in the background, one rebuild at a time, once edits have paused
        for a few seconds: Pagefind has no incremental mode and the data files cover every fiche (3 to
        4 s of processor at 1,000 fiches), so the edited page is served at once, the rebuilds of a
        series of edits do not share the processor with them, and the preview's data and search
        catch up when the editing pauses.
        """
        gc.unfreeze()
        site_dir = Path(config.site_dir)
        self._stop_watching_warnings()
        if getattr(self, "aside", None) is not None:
            self.aside.close()
        if getattr(self, "html_cache", None) is not None:
            self.html_cache.prune()
        if getattr(self, "serving", False):
            # MkDocs' own line is dropped by its filter of repeated messages when two rebuilds take the same time.
            log.info(f"Aperçu construit en {number_fr(round(time.monotonic() - self._start, 2))} s.")
            self._rebuilds = getattr(self, "_rebuilds", 0) + 1
            after = threading.Thread(target=self._after_rebuild, args=(self._rebuilds, self._started, site_dir))
            after.daemon = True
            after.start()
            return
        # What the build made so far lives until its end: out of the collector's sight, the post-build steps'
        # collections walk only their own objects (open data took 6 s at 5,000 fiches instead of 1).
        gc.freeze()
        try:
            for line in self.build.after_site(site_dir):
                log.info(line)
        except SearchError as exc:
            raise PluginError(f"Recherche : {exc}") from None
        finally:
            gc.unfreeze()

    _background = threading.Lock()
    SERVED_SECONDS = 0.5
    QUIET_SECONDS = 5.0

    def _after_rebuild(self, rebuild: int, started: int, site_dir: Path) -> None:
        """Once the page is served, the garbage of the rebuild; once edits pause, the data and search.

        A rebuild replaces the graph, its renderer and the engine's pages, all in reference cycles that
        only the cyclic collector frees: left to run during the rebuilds, it walked them at random moments,
        0.1 to 0.2 s at 1,000 fiches. It is paused while the preview rebuilds (`on_config`) and runs here,
        after the browser has had the page, unless another rebuild has started meanwhile.
        """
        time.sleep(self.SERVED_SECONDS)
        if started == self._started:
            gc.enable()
            gc.collect()
        time.sleep(self.QUIET_SECONDS - self.SERVED_SECONDS)
        if rebuild != self._rebuilds:
            return  # edited again meanwhile: the newer rebuild's thread publishes
        with self._background:  # one at a time; the last rebuild's thread writes the latest data
            if rebuild != self._rebuilds:
                return
            try:
                for line in self.build.after_site(site_dir):
                    log.info(line)
            except (SearchError, OSError) as exc:  # a rebuild may clean the folder meanwhile: the next one redoes it
                log.warning(f"Données ou recherche non mises à jour : {exc}")

    def on_serve(self, server: Any, config: Any, builder: Any) -> Any:
        server.watch(str(self.build.options.content_dir))
        notified(server)
        return server
