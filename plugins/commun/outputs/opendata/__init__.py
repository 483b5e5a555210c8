"""Open data of the commun: JSON and CSV per kind (field set `v1`), JSON Schemas, Atom feeds, iCalendar
agenda and schema.org JSON-LD.

The sitemap is MkDocs' own `sitemap.xml` (absolute addresses need `site_url`): the plugin dates each page by
its fiche's `mis_a_jour` (`on_pre_page`), which MkDocs writes as `lastmod`; there is no second sitemap.

Plain Python, like the rest of the core: it knows the graph, not MkDocs. `SiteFiles(...).files()` returns
every file to publish (path under the site → bytes); the MkDocs adapter writes them after the build.

Versioning: `V1_FIELDS` is the field set of version 1 of the exports. It never loses nor renames a
field; a change that would is published as `v2`, beside `v1`, so that other sites that copy the data
keep working.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from pydantic import BaseModel

from ...core.corpus import Fiche
from ...core.fields import field_shape
from ...core.kinds import KINDS
from ...core.schema import render_schemas
from ...core.urls import fiche_path, page_url, posix_dir, relative
from ...stages.graph import Graph, commune_codes, sort_by_title
from .. import templating

VERSION = "v1"
DATA_DIR = "donnees"
FEED_SIZE = 50
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://commun-ccas/")
"""Namespace of the stable identifiers (Atom ids, iCalendar UIDs): they never depend on the site's address."""

V1_FIELDS: dict[str, tuple[str, ...]] = {
    "initiatives": (
        "titre", "resume", "etat", "mis_a_jour", "thematiques", "sources", "licence", "exemple", "porteur",
        "communes", "publics", "statut", "date_debut", "date_fin", "echelle", "partenaires", "financements",
        "budget_eur", "moyens_humains", "contact", "liens", "recommandee_par",
    ),
    "projets": (
        "titre", "resume", "etat", "mis_a_jour", "thematiques", "sources", "licence", "exemple", "porteur",
        "priorite", "publics", "etape", "equipe", "labos", "feuille_de_route", "outils", "initiative",
    ),
    "modules": (
        "titre", "resume", "etat", "mis_a_jour", "thematiques", "sources", "licence", "exemple", "programme",
        "categorie", "objectifs", "public", "prerequis", "duree", "modalite", "effectif_max", "sessions",
        "methodes", "modalites_evaluation", "accessibilite", "delai_acces", "tarif", "contact", "indicateurs",
    ),
    "outils": (
        "titre", "resume", "etat", "mis_a_jour", "thematiques", "sources", "licence", "exemple", "type", "usage",
        "duree", "participants", "materiel", "etapes", "fichiers",
    ),
    "ccas": (
        "titre", "resume", "etat", "mis_a_jour", "thematiques", "sources", "licence", "exemple", "type", "commune",
        "departement", "epci", "population", "udccas", "adresse", "site_web", "contact", "parrains",
        "feuille_de_route", "parcours",
    ),
}  # fmt: skip

LICENCES = {
    "etalab-2.0": {
        "id": "etalab-2.0",
        "nom": "Licence Ouverte / Open Licence 2.0 (Etalab)",
        "url": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
    }
}
DEFAULT_LICENCE = "etalab-2.0"

TITLES = {
    "initiatives": "Banque d'expériences : les initiatives",
    "projets": "Projets du Labo",
    "modules": "Modules de formation",
    "outils": "Outils",
    "ccas": "Structures : CCAS, CIAS et unions",
}

# --- values -------------------------------------------------------------------------------------------


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


# --- CSV columns ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One column of a CSV file: its name, its French description, and how a value is written."""

    name: str
    description: str
    path: tuple[str, ...] = ()
    encoding: str = "texte"  # texte, liste (values joined by « | ») or json (a list of objects)

    def cell(self, meta: Any) -> str:
        value = meta
        for part in self.path:
            value = getattr(value, part, None) if value is not None else None
        return cell(plain(value), self.encoding)


def cell(value: Any, encoding: str) -> str:
    if value is None:
        return ""
    if encoding == "json":
        return json.dumps(value, ensure_ascii=False) if value else ""
    if encoding == "liste":
        return " | ".join(cell(item, "texte") for item in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def csv_columns(kind: str) -> list[Column]:
    """The CSV columns of a kind in `v1`: identifier and page, then the fields, nested objects flattened."""
    model = KINDS[kind].model
    columns = [
        Column("identifiant", "Identifiant de la fiche (nom de son fichier, sans extension)."),
        Column("url", "Adresse de la page de la fiche (relative à la racine du site si l'adresse n'est pas connue)."),
    ]
    for name in V1_FIELDS[kind]:
        info = model.model_fields[name]
        shape, nested = field_shape(info.annotation)
        description = info.description or ""
        if shape == "model" and nested is not None:
            for sub, sub_info in nested.model_fields.items():
                sub_shape, _ = field_shape(sub_info.annotation)
                columns.append(
                    Column(
                        f"{name}.{sub}",
                        f"{description.rstrip('.')} : {(sub_info.description or sub).rstrip('.')}.",
                        (name, sub),
                        "liste" if sub_shape == "list" else "json" if sub_shape == "models" else "texte",
                    )
                )
        else:
            encoding = {"list": "liste", "models": "json"}.get(shape, "texte")
            columns.append(Column(name, description, (name,), encoding))
    return columns


# --- the site's files --------------------------------------------------------------------------------


@dataclass
class Dataset:
    """The files of one kind: for the catalogue, the Données page and the files themselves."""

    kind: str
    title: str
    count: int
    updated: dt.date | None
    columns: list[Column]

    @property
    def json(self) -> str:
        return f"{DATA_DIR}/{VERSION}/{self.kind}.json"

    @property
    def csv(self) -> str:
        return f"{DATA_DIR}/{VERSION}/{self.kind}.csv"

    @property
    def export_schema(self) -> str:
        return f"{DATA_DIR}/{VERSION}/{self.kind}.schema.json"

    @property
    def fiche_schema(self) -> str:
        return f"{DATA_DIR}/schemas/{self.kind}.schema.json"


@dataclass
class Feed:
    path: str
    title: str
    fiches: list[Fiche]
    term: str | None = None


@dataclass
class Event:
    uid: str
    summary: str
    start: dt.date
    end: dt.date
    description: str
    location: str | None = None
    url: str | None = None
    stamp: dt.date | None = None
    categories: list[str] = field(default_factory=list)


def environment() -> jinja2.Environment:
    env = templating.environment("exports", keep_trailing_newline=True)
    env.filters["atom_date"] = lambda value: f"{value.isoformat()}T00:00:00Z"
    return env


class SiteFiles:
    """Every open-data file of one graph. `site_url` (the site's public address) makes links absolute;
    without it, links are relative to the file that holds them (or to the site's root, in the data files)."""

    def __init__(self, graph: Graph, *, site_url: str | None = None, site_name: str = "Commun") -> None:
        self.graph = graph
        self.site_url = site_url.rstrip("/") + "/" if site_url else None
        self.site_name = site_name
        self.env = environment()

    # links

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

    # datasets

    def datasets(self) -> list[Dataset]:
        result = []
        for kind in KINDS:
            fiches = published(self.graph, kind)
            result.append(Dataset(kind, TITLES[kind], len(fiches), last_update(fiches), csv_columns(kind)))
        return result

    def record(self, fiche: Fiche) -> dict[str, Any]:
        fields = {name: plain(getattr(fiche.meta, name)) for name in V1_FIELDS[fiche.kind]}
        return {"identifiant": fiche.slug, "url": self.fiche_url(fiche), **fields, "texte": fiche.body.strip()}

    def dataset_json(self, dataset: Dataset) -> dict[str, Any]:
        return {
            "version": VERSION,
            "type": dataset.kind,
            "titre": dataset.title,
            "licence": licence_info(DEFAULT_LICENCE),
            "licence_note": "Sauf mention contraire dans le champ « licence » d'une fiche.",
            "mis_a_jour": dataset.updated.isoformat() if dataset.updated else None,
            "nombre": dataset.count,
            "schema": f"{dataset.kind}.schema.json",
            "schema_fiche": f"../schemas/{dataset.kind}.schema.json",
            "fiches": [self.record(f) for f in published(self.graph, dataset.kind)],
        }

    def dataset_csv(self, dataset: Dataset) -> str:
        stream = io.StringIO(newline="")
        writer = csv.writer(stream, lineterminator="\r\n")
        writer.writerow([c.name for c in dataset.columns])
        for fiche in published(self.graph, dataset.kind):
            row = []
            for column in dataset.columns:
                if column.name == "identifiant":
                    row.append(fiche.slug)
                elif column.name == "url":
                    row.append(self.fiche_url(fiche))
                else:
                    row.append(column.cell(fiche.meta))
            writer.writerow(row)
        return stream.getvalue()

    def export_schema(self, dataset: Dataset, fiche_schema: dict[str, Any]) -> dict[str, Any]:
        """JSON Schema of a `v1` file: the envelope, and each fiche as its fields plus identifier, URL, text."""
        record = {key: value for key, value in fiche_schema.items() if key not in ("$schema", "$id", "$defs")}
        properties = {name: fiche_schema["properties"][name] for name in V1_FIELDS[dataset.kind]}
        record["properties"] = {
            "identifiant": {"type": "string", "pattern": r"^[a-z0-9]+(?:-[a-z0-9]+)*$"},
            "url": {"type": "string", "minLength": 1},
            **properties,
            "texte": {"type": "string", "description": "Texte de la fiche, en Markdown."},
        }
        record["required"] = ["identifiant", "url", *fiche_schema.get("required", []), "texte"]
        record["additionalProperties"] = False
        return {
            "$schema": fiche_schema["$schema"],
            "$id": f"{dataset.kind}.schema.json",
            "title": f"Export {VERSION} : {dataset.title}",
            "description": f"Fichier {dataset.kind}.json des données ouvertes du commun, version {VERSION}.",
            "type": "object",
            "required": ["version", "type", "licence", "mis_a_jour", "nombre", "fiches"],
            "additionalProperties": False,
            "properties": {
                "version": {"const": VERSION},
                "type": {"const": dataset.kind},
                "titre": {"type": "string"},
                "licence": {
                    "type": "object",
                    "required": ["id", "nom", "url"],
                    "properties": {k: {"type": "string"} for k in ("id", "nom", "url")},
                },
                "licence_note": {"type": "string"},
                "mis_a_jour": {"type": ["string", "null"], "format": "date"},
                "nombre": {"type": "integer", "minimum": 0},
                "schema": {"type": "string"},
                "schema_fiche": {"type": "string"},
                "fiches": {"type": "array", "items": {"$ref": "#/$defs/Fiche"}},
            },
            "$defs": {**fiche_schema.get("$defs", {}), "Fiche": record},
        }

    def catalogue(self, datasets: list[Dataset], feeds: list[Feed]) -> dict[str, Any]:
        here = f"{DATA_DIR}/{VERSION}/catalogue.json"
        return {
            "version": VERSION,
            "titre": f"Données ouvertes – {self.site_name}",
            "licence": licence_info(DEFAULT_LICENCE),
            "mis_a_jour": max((d.updated for d in datasets if d.updated), default=dt.date(1970, 1, 1)).isoformat(),
            "jeux": [
                {
                    "type": d.kind,
                    "titre": d.title,
                    "nombre": d.count,
                    "mis_a_jour": d.updated.isoformat() if d.updated else None,
                    "json": self.url(d.json, here),
                    "csv": self.url(d.csv, here),
                    "schema": self.url(d.export_schema, here),
                    "schema_fiche": self.url(d.fiche_schema, here),
                    "colonnes_csv": [{"nom": c.name, "description": c.description} for c in d.columns],
                }
                for d in datasets
            ],
            "flux": [{"titre": f.title, "url": self.url(f.path, here)} for f in feeds],
            "agenda": self.url(AGENDA, here),
        }

    # feeds

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

    # agenda

    def events(self) -> list[Event]:
        """Sessions of the modules, and sessions of the Labo (one event per session, with its projects)."""
        events: list[Event] = []
        for module in published(self.graph, "modules"):
            programme = self.graph.get("initiatives", module.meta.programme) if module.meta.programme else None
            for index, session in enumerate(module.meta.sessions):
                start = day(session.debut)
                if start is None:
                    continue
                end = day(session.fin) or start
                events.append(
                    Event(
                        uid=f"{stable_id('modules', module.slug, 'sessions', str(index))}",
                        summary=f"Formation : {module.meta.titre}",
                        start=start,
                        end=end + dt.timedelta(days=1),
                        description=module.meta.resume,
                        location=session.lieu,
                        url=self.fiche_url(module, AGENDA) if self.site_url else None,
                        stamp=module.meta.mis_a_jour,
                        categories=[programme.meta.nom] if programme else [],
                    )
                )
        labos: dict[tuple[int, dt.date], list[Fiche]] = {}
        for projet in published(self.graph, "projets"):
            for labo in projet.meta.labos:
                if (when := day(labo.date)) is not None:
                    labos.setdefault((labo.numero, when), []).append(projet)
        for (numero, when), projets in sorted(labos.items(), key=lambda item: (item[0][1], item[0][0])):
            events.append(
                Event(
                    uid=f"{stable_id('labo', str(numero), when.isoformat())}",
                    summary=f"Labo des solutions innovantes, session n° {numero}",
                    start=when,
                    end=when + dt.timedelta(days=1),
                    description="Projets : " + " ; ".join(p.meta.titre for p in projets),
                    stamp=max(p.meta.mis_a_jour for p in projets),
                    categories=["Labo"],
                )
            )
        return sorted(events, key=lambda e: (e.start, e.summary))

    def icalendar(self) -> str:
        lines = [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            f"PRODID:-//{ical_text(self.site_name)}//Agenda du commun//FR",
            "CALSCALE:GREGORIAN",
            f"X-WR-CALNAME:{ical_text(self.site_name + ' : formations et Labo')}",
        ]
        for event in self.events():
            stamp = event.stamp or event.start
            lines += [
                "BEGIN:VEVENT",
                f"UID:{event.uid}",
                f"DTSTAMP:{stamp.strftime('%Y%m%d')}T000000Z",
                f"DTSTART;VALUE=DATE:{event.start.strftime('%Y%m%d')}",
                f"DTEND;VALUE=DATE:{event.end.strftime('%Y%m%d')}",
                f"SUMMARY:{ical_text(event.summary)}",
                f"DESCRIPTION:{ical_text(event.description)}",
            ]
            if event.location:
                lines.append(f"LOCATION:{ical_text(event.location)}")
            if event.url:
                lines.append(f"URL:{event.url}")
            if event.categories:
                lines.append("CATEGORIES:" + ",".join(ical_text(c) for c in event.categories))
            lines.append("END:VEVENT")
        lines.append("END:VCALENDAR")
        return "".join(fold(line) + "\r\n" for line in lines)

    # structured data

    def jsonld_for(self, path: str) -> dict[str, Any] | None:
        """The JSON-LD of the page at Markdown path `path` (`initiatives/x.md`), if it shows a fiche."""
        if not hasattr(self, "_by_path"):
            self._by_path = {fiche_path(f): f for f in self.graph.all()}
        fiche = self._by_path.get(path)
        return self.jsonld(fiche) if fiche is not None else None

    def jsonld(self, fiche: Fiche) -> dict[str, Any]:
        """schema.org data of a fiche page: organisations, courses, projects and creative works."""
        here = fiche_path(fiche).removesuffix(".md") + "/index.html"
        meta = fiche.meta
        themes = self.graph.content.vocabularies.get("thematiques", {})
        publics = self.graph.content.vocabularies.get("publics", {})
        licence = licence_info(meta.licence)
        data: dict[str, Any] = {
            "@context": "https://schema.org",
            "@type": "Thing",
            "name": meta.titre,
            "description": meta.resume,
            "url": self.fiche_url(fiche, here),
        }

        def org(slug: str | None) -> dict[str, Any] | None:
            target = self.graph.get("ccas", slug) if slug else None
            if target is None:
                return None
            kind = "GovernmentOrganization" if target.meta.type in ("ccas", "cias") else "Organization"
            return {"@type": kind, "name": target.meta.titre, "url": self.fiche_url(target, here)}

        def places(codes: list[str]) -> list[dict[str, Any]]:
            found = []
            for code in codes:
                commune = self.graph.territoires.commune(code)
                place: dict[str, Any] = {"@type": "AdministrativeArea", "identifier": code}
                if commune:
                    place["name"] = commune.nom
                found.append(place)
            return found

        keywords = [themes[t].libelle if t in themes else t for t in meta.thematiques]
        work = {
            "inLanguage": "fr",
            "dateModified": meta.mis_a_jour.isoformat(),
            "license": licence["url"] or licence["nom"],
        }
        if fiche.kind == "ccas":
            data["@type"] = "GovernmentOrganization" if meta.type in ("ccas", "cias") else "Organization"
            if meta.site_web:
                data["sameAs"] = meta.site_web
            if meta.adresse:
                data["address"] = meta.adresse
            if meta.contact and meta.contact.email:
                data["email"] = meta.contact.email
            if meta.contact and meta.contact.telephone:
                data["telephone"] = meta.contact.telephone
            if codes := commune_codes(fiche):
                data["areaServed"] = places(codes)
            if parent := org(meta.udccas):
                data["parentOrganization"] = parent
        elif fiche.kind == "modules":
            data.update(work)
            data.update({"@type": "Course", "teaches": list(meta.objectifs)})
            if keywords:
                data["keywords"] = keywords
            if meta.prerequis:
                data["coursePrerequisites"] = meta.prerequis
            if meta.duree and meta.duree.heures:
                data["timeRequired"] = f"PT{meta.duree.heures:g}H"
            mode = {"presentiel": "onsite", "distanciel": "online", "hybride": "blended"}.get(meta.modalite or "")
            instances = []
            for session in meta.sessions:
                instance: dict[str, Any] = {"@type": "CourseInstance", "startDate": plain(session.debut)}
                if session.fin:
                    instance["endDate"] = plain(session.fin)
                if session.lieu:
                    instance["location"] = {"@type": "Place", "name": session.lieu}
                if mode:
                    instance["courseMode"] = mode
                instances.append(instance)
            if instances:
                data["hasCourseInstance"] = instances
        elif fiche.kind == "projets":
            data["@type"] = "Project"
            if keywords:
                data["keywords"] = keywords
            if parent := org(meta.porteur):
                data["parentOrganization"] = parent
            data["member"] = [{"@type": "OrganizationRole", "roleName": m.fonction} for m in meta.equipe]
        else:
            data.update(work)
            data["@type"] = "CreativeWork"
            if keywords:
                data["keywords"] = keywords
            if fiche.kind == "initiatives":
                if creator := org(meta.porteur):
                    data["creator"] = creator
                data["audience"] = [
                    {"@type": "Audience", "audienceType": publics[p].libelle if p in publics else p}
                    for p in meta.publics
                ]
                if codes := commune_codes(fiche):
                    data["spatialCoverage"] = places(codes)
                if meta.date_debut:
                    end = plain(meta.date_fin) if meta.date_fin else ".."
                    data["temporalCoverage"] = f"{plain(meta.date_debut)}/{end}"
                if meta.financements:
                    data["funder"] = [{"@type": "Organization", "name": f.financeur} for f in meta.financements]
            else:
                data["associatedMedia"] = [
                    {
                        "@type": "MediaObject",
                        "name": f.titre,
                        "contentUrl": self.url(f"outils/{f.chemin}", here),
                        **({"encodingFormat": f.format} if f.format else {}),
                    }
                    for f in meta.fichiers
                ]
        return data

    # all together

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


AGENDA = f"{DATA_DIR}/agenda.ics"


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


def ical_text(text: str) -> str:
    """A TEXT value of iCalendar (RFC 5545, 3.3.11): backslash, semicolon, comma and newline escaped."""
    return (
        text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\\n").replace("\n", "\\n")
    )


def fold(line: str, limit: int = 75) -> str:
    """Fold a content line at 75 octets, never inside a UTF-8 character (RFC 5545, 3.1)."""
    parts: list[str] = []
    current, size = "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            parts.append(current)
            current, size = " ", 1
        current += char
        size += width
    parts.append(current)
    return "\r\n".join(parts)


def write_files(files: dict[str, bytes] | Iterable[tuple[str, bytes | Iterator[bytes]]], site_dir: Path) -> list[Path]:
    """Write the files (path under the site → content, whole or in chunks) under `site_dir`; returns their paths."""
    written = []
    for name, data in files.items() if isinstance(files, dict) else files:
        path = site_dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            with path.open("wb") as stream:
                stream.writelines(data)
        written.append(path)
    return written


# --- the Données page ------------------------------------------------------------------------------------


