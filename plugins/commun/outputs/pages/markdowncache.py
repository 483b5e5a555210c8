"""Pages' Markdown kept on disk between builds (`outputs.recorded`): a build after a one-fiche edit renders
again only the pages that read something the edit changed. A page's name there digests its path and what
its plan handed its template; its reads, the rest."""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from pathlib import Path

from ...core.reads import Reads, identity
from ..recorded import RecordedStore, StableAnswers, shared_digest
from .render import Page, PlannedPage, Renderer, nonce, renonced


class MarkdownCache:
    """`render` of each planned page goes through `planned`: a page is taken from the store while what it
    read is unchanged, else rendered and kept. `close` when the build ends."""

    def __init__(self, path: Path, renderer: Renderer) -> None:
        shared = shared_digest(renderer.graph.content, renderer.settings())
        answers = StableAnswers(renderer.graph, renderer.figures.values)
        self.store = RecordedStore(path, shared.hexdigest(), answers)

    def planned(self, pages: list[PlannedPage]) -> list[PlannedPage]:
        return [replace(page, render=partial(self.render, page)) for page in pages]

    def render(self, planned: PlannedPage) -> Page:
        name = self.store.name(planned.path, repr(identity(planned.shows)))
        if (kept := self.store.get(name)) is not None:
            return Page(planned.path, renonced(kept["markdown"], kept["nonce"]), planned.source, tuple(kept["blocks"]))
        with Reads() as reads:
            page = planned.render()
        kept = {"nonce": nonce(), "blocks": list(page.html_blocks), "markdown": page.markdown}
        self.store.put(name, reads, kept)
        return page

    @property
    def rendered(self) -> int:
        return self.store.made

    @property
    def taken(self) -> int:
        return self.store.taken

    def close(self) -> None:
        self.store.close()
