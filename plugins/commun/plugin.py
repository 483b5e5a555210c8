"""The MkDocs adapter: wires the core stages (check → graph → render) into MkDocs hooks, nothing more."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from .graph import build_graph
from .problems import summary
from .render import Renderer, materialise
from .validate import check


class CommunConfig(base.Config):
    contenu = c.Type(str, default="content")
    brouillons = c.Type(bool, default=False)
    edition = c.Optional(c.Type(str))
    """Address where the forge edits a file of the repository, e.g. `https://forge/org/commun/edit/main/`."""


class Attachment(File):
    """A downloadable tool file, copied as is even when it is Markdown (a template to fill in, not a page)."""

    def is_documentation_page(self) -> bool:
        return False


class CommunPlugin(BasePlugin[CommunConfig]):
    """Builds the commun's pages from `content/`; a content error stops the build with French messages."""

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Declaring this hook keeps one plugin instance across `mkdocs serve` rebuilds."""
        self.serving = command == "serve"

    def on_config(self, config: Any) -> Any:
        root = Path(config.config_file_path or ".").resolve().parent
        self.content_dir = root / self.config.contenu
        self.cache_dir = root / ".cache" / "commun" / "pages"
        drafts = self.config.brouillons or os.environ.get("COMMUN_BROUILLONS", "") not in ("", "0")
        content = check(self.content_dir)
        if content.errors:
            lines = [str(p) for p in content.problems]
            raise PluginError(
                "Le contenu a des erreurs ; corrigez-les puis relancez (commun check content) :\n"
                + "\n".join(lines)
                + "\n"
                + summary(content.problems)
            )
        edit_url = self.config.edition or (config.repo_url.rstrip("/") + "/edit/main/" if config.repo_url else None)
        self.renderer = Renderer(build_graph(content, drafts=drafts), edit_url=edit_url, drafts=drafts)
        return config

    def on_files(self, files: Files, config: Any) -> Files:
        pages = self.renderer.pages()
        self.generated = {page.path for page in pages}
        # Pages are dated from the content, never from the build, so that rebuilding gives the same bytes.
        updated = {fiche.path: fiche.meta.mis_a_jour for fiche in self.renderer.graph.all()}
        self.dates = {page.path: updated[page.source] for page in pages if page.source in updated}
        self.latest = max(updated.values(), default=None)
        if getattr(self, "serving", False):
            # Pages on disk, rewritten only when they change: `mkdocs serve --dirty` then rebuilds just those.
            materialise(pages, self.cache_dir)
            for page in pages:
                files.append(File(page.path, str(self.cache_dir), config.site_dir, config.use_directory_urls))
        else:
            for page in pages:
                files.append(File.generated(config, page.path, content=page.markdown))
        attachments = self.content_dir / "outils" / "fichiers"
        if attachments.is_dir():
            for path in sorted(attachments.rglob("*")):
                if path.is_file() and not path.name.startswith("."):
                    uri = f"outils/fichiers/{path.relative_to(attachments).as_posix()}"
                    files.append(Attachment.generated(config, uri, abs_src_path=str(path)))
        return files

    def on_pre_page(self, page: Any, config: Any, files: Files) -> Any:
        """A fiche's page (and certificate) is dated by its `mis_a_jour`, other pages by the latest fiche's.

        MkDocs would use the build date, in the sitemap's `lastmod` and the `sitemap.xml.gz` header.
        """
        date = self.dates.get(page.file.src_uri, self.latest)
        if date is not None:
            page.update_date = date.isoformat()
        return page

    def on_page_markdown(self, markdown: str, page: Any, config: Any, files: Files) -> str:
        if page.file.src_uri in self.generated or page.file.generated_by:
            return markdown
        return self.renderer.editorial(markdown, page.file.src_uri)

    def on_serve(self, server: Any, config: Any, builder: Any) -> Any:
        server.watch(str(self.content_dir))
        return server
