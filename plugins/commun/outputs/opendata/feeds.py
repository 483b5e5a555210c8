"""Atom feeds: the newest fiches, and one feed per theme."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import jinja2

from ...core.corpus import Fiche
from ...core.kinds import KINDS
from .common import DATA_DIR, Addresses, last_update, licence_info, stable_id

FEED_SIZE = 50


@dataclass
class Feed:
    path: str
    title: str
    fiches: list[Fiche]
    term: str | None = None


class Feeds(Addresses):
    """Atom feeds of the published fiches."""

    env: jinja2.Environment

    def feeds(self) -> list[Feed]:
        visible = [f for f in self.graph.all() if f.published]
        newest = sorted(visible, key=lambda f: (f.meta.mis_a_jour, f.kind, f.slug), reverse=True)
        feeds = [Feed(f"{DATA_DIR}/flux/atom.xml", f"{self.site_name} : fiches nouvelles et mises à jour", newest)]
        themes = self.graph.content.vocabularies.get("thematiques", {})
        for slug, entry in sorted(themes.items()):
            chosen = [f for f in newest if slug in (f.meta.thematiques or [])]
            path = f"{DATA_DIR}/flux/thematiques/{slug}.xml"
            feeds.append(Feed(path, f"{self.site_name} : {entry.libelle}", chosen, slug))
        return feeds

    def atom(self, feed: Feed) -> str:
        themes = self.graph.content.vocabularies.get("thematiques", {})
        entries = feed.fiches[:FEED_SIZE]
        updated = last_update(entries) or last_update(f for f in self.graph.all() if f.published) or dt.date(1970, 1, 1)
        return self.env.get_template("atom.xml.j2").render(
            feed=feed,
            feed_id=f"urn:uuid:{stable_id('flux', feed.path)}",
            self_url=self.url(feed.path, feed.path),
            home=self.url("", feed.path),
            updated=updated,
            site_name=self.site_name,
            entries=[
                {
                    "id": f"urn:uuid:{stable_id(f.kind, f.slug)}",
                    "fiche": f,
                    "kind": KINDS[f.kind].singular,
                    "url": self.fiche_url(f, feed.path),
                    "themes": [(t, themes[t].libelle if t in themes else t) for t in f.meta.thematiques],
                    "licence": licence_info(f.meta.licence),
                }
                for f in entries
            ],
        )
