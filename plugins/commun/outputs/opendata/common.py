"""What the open-data files share: versions, places, licences, stable identifiers, how values and files are written."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from ...core.corpus import Fiche
from ...core.labels import label
from ...core.urls import fiche_path, page_url, posix_dir, relative
from ...stages.graph import Graph, sort_by_title

VERSION = "v1"


DATA_DIR = "donnees"


NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://commun-ccas/")
"""Namespace of the stable identifiers (Atom ids, iCalendar UIDs): they never depend on the site's address."""


AGENDA = f"{DATA_DIR}/agenda.ics"


LICENCES = {
    "etalab-2.0": {
        "id": "etalab-2.0",
        "nom": label("etalab-2.0", "licence"),
        "url": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
    }
}



def plain(value: Any) -> Any:
    """A field value as JSON data, written as a contributor writes it: a date known to the month stays
    `2021-06`, to the year `2021`."""
    if isinstance(value, BaseModel):
        return {name: plain(getattr(value, name)) for name in type(value).model_fields}
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    if isinstance(value, dt.date):
        precision = getattr(value, "precision", "jour")
        if precision == "annee":
            return value.year
        return str(value) if precision == "mois" else value.isoformat()
    return value


def day(value: dt.date | None) -> dt.date | None:
    """The date when it is known to the day, else None (a month is no calendar event)."""
    if value is None or getattr(value, "precision", "jour") != "jour":
        return None
    return dt.date(value.year, value.month, value.day)


def licence_info(code: str) -> dict[str, str]:
    return LICENCES.get(code, {"id": code, "nom": code, "url": ""})


def stable_id(*parts: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, "/".join(parts))


def published(graph: Graph, kind: str) -> list[Fiche]:
    """The published fiches of a kind: previews of drafts never leak into the open data."""
    return sort_by_title(f for f in graph.of_kind(kind) if f.published)


def last_update(fiches: Iterable[Fiche]) -> dt.date | None:
    return max((f.meta.mis_a_jour for f in fiches), default=None)


def dumps(data: Any) -> bytes:
    """A JSON file of the open data: UTF-8, indented, one final line end."""
    return b"".join(json_chunks(data))


def json_chunks(data: Any, size: int = 1 << 16) -> Iterator[bytes]:
    """The bytes of a JSON file of the open data, a few KiB at a time, for the files too large to hold whole."""
    buffer: list[str] = []
    length = 0
    for chunk in json.JSONEncoder(ensure_ascii=False, indent=2).iterencode(data):
        buffer.append(chunk)
        length += len(chunk)
        if length >= size:
            yield "".join(buffer).encode("utf-8")
            buffer, length = [], 0
    buffer.append("\n")
    yield "".join(buffer).encode("utf-8")


def write_files(files: dict[str, bytes] | Iterable[tuple[str, bytes | Iterator[bytes]]], site_dir: Path) -> list[Path]:
    """Write the files (path under the site → content, whole or in chunks) under `site_dir`; returns their paths.

    Each file is written aside then put in place: a failure never leaves half a file in the site."""
    written = []
    for name, data in files.items() if isinstance(files, dict) else files:
        path = site_dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".{path.name}.partiel")
        try:
            with partial.open("wb") as stream:
                if isinstance(data, bytes):
                    stream.write(data)
                else:
                    stream.writelines(data)
            partial.replace(path)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        written.append(path)
    return written


class Addresses:
    """Links of the open data. `site_url` (the site's public address) makes them absolute; without it,
    links are relative to the file that holds them (or to the site's root, in the data files)."""

    def __init__(self, graph: Graph, *, site_url: str | None = None, site_name: str = "Commun") -> None:
        self.graph = graph
        self.site_url = site_url.rstrip("/") + "/" if site_url else None
        self.site_name = site_name

    def url(self, target: str, here: str | None = None) -> str:
        """The address of the site path `target` (`initiatives/x/`): absolute when the site's address is
        known; else relative to the file at `here`, or relative to the site's root when `here` is None."""
        if self.site_url:
            return self.site_url + target
        if here is None:
            return target
        return relative(posix_dir(here), target)

    def fiche_url(self, fiche: Fiche, here: str | None = None) -> str:
        return self.url(page_url(fiche_path(fiche)), here)
