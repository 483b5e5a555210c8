"""Open data of the commun: JSON and CSV per kind, JSON Schemas, Atom feeds, iCalendar agenda and
schema.org JSON-LD (one module each).

The sitemap is MkDocs' own `sitemap.xml` (absolute addresses need `site_url`): pages are dated by their
fiche's `mis_a_jour` (`Build.page_dates`), which MkDocs writes as `lastmod`; there is no second sitemap.

Plain Python: it knows the graph, not the engine. `SiteFiles(...).each_file()` yields every file to
publish (path under the site → bytes); the build writes them after the site.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import jinja2

from ...core.schema import render_schemas
from ...stages.graph import Graph
from .. import templating
from .agenda import Agenda
from .common import AGENDA, DATA_DIR, VERSION, dumps, json_chunks
from .datasets import Datasets
from .feeds import Feeds
from .jsonld import StructuredData


def environment() -> jinja2.Environment:
    env = templating.environment("exports", keep_trailing_newline=True)
    env.filters["atom_date"] = lambda value: f"{value.isoformat()}T00:00:00Z"
    return env


class SiteFiles(Datasets, Feeds, Agenda, StructuredData):
    """Every open-data file of one graph."""

    def __init__(self, graph: Graph, *, site_url: str | None = None, site_name: str = "Commun") -> None:
        super().__init__(graph, site_url=site_url, site_name=site_name)
        self.env = environment()

    def files(self) -> dict[str, bytes]:
        """Path under the site → content, for every file of the open data."""
        return {path: data if isinstance(data, bytes) else b"".join(data) for path, data in self.each_file()}

    def each_file(self) -> Iterator[tuple[str, bytes | Iterator[bytes]]]:
        """The files of the open data one at a time, the large JSON files as chunks: writing them never
        holds them all, nor one whole JSON text (at 5,000 fiches that was 30 MiB more at the build's peak)."""
        datasets = self.datasets()
        schemas = render_schemas(self.graph.content.vocabularies)
        for dataset in datasets:
            fiche_schema_text = schemas[f"{dataset.kind}.schema.json"]
            yield dataset.fiche_schema, fiche_schema_text.encode("utf-8")
            yield dataset.export_schema, dumps(self.export_schema(dataset, json.loads(fiche_schema_text)))
            yield dataset.json, json_chunks(self.dataset_json(dataset))
            yield dataset.csv, self.dataset_csv(dataset).encode("utf-8")
        feeds = self.feeds()
        for feed in feeds:
            yield feed.path, self.atom(feed).encode("utf-8")
        yield f"{DATA_DIR}/{VERSION}/catalogue.json", dumps(self.catalogue(datasets, feeds))
        yield AGENDA, self.icalendar().encode("utf-8")
