"""The datasets of the open data: JSON and CSV per kind (field set `v1`), their JSON Schemas and the catalogue.

Versioning: `V1_FIELDS` is the field set of version 1 of the exports. It never loses nor renames a
field; a change that would is published as `v2`, beside `v1`, so that other sites that copy the data
keep working. A new optional field may join `v1` at the end of its kind's list (`relecture` did): a
reader of `v1` finds every field and column it knew, in the same place.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass
from typing import Any

from ...core.corpus import Fiche
from ...core.fields import field_shape
from ...core.kinds import KINDS
from ...core.models import DEFAULT_LICENCE
from .common import AGENDA, DATA_DIR, VERSION, Addresses, last_update, licence_info, plain, published
from .feeds import Feed

V1_FIELDS: dict[str, tuple[str, ...]] = {
    "initiatives": (
        "titre", "resume", "etat", "mis_a_jour", "thematiques", "sources", "licence", "exemple", "porteur",
        "communes", "publics", "statut", "date_debut", "date_fin", "echelle", "partenaires", "financements",
        "budget_eur", "moyens_humains", "contact", "liens", "recommandee_par", "relecture",
    ),
    "projets": (
        "titre", "resume", "etat", "mis_a_jour", "thematiques", "sources", "licence", "exemple", "porteur",
        "priorite", "publics", "etape", "equipe", "labos", "feuille_de_route", "outils", "initiative", "relecture",
    ),
    "modules": (
        "titre", "resume", "etat", "mis_a_jour", "thematiques", "sources", "licence", "exemple", "programme",
        "categorie", "objectifs", "public", "prerequis", "duree", "modalite", "effectif_max", "sessions",
        "methodes", "modalites_evaluation", "accessibilite", "delai_acces", "tarif", "contact", "indicateurs",
        "relecture",
    ),
    "outils": (
        "titre", "resume", "etat", "mis_a_jour", "thematiques", "sources", "licence", "exemple", "type", "usage",
        "duree", "participants", "materiel", "etapes", "fichiers", "relecture",
    ),
    "ccas": (
        "titre", "resume", "etat", "mis_a_jour", "thematiques", "sources", "licence", "exemple", "type", "commune",
        "departement", "epci", "population", "udccas", "adresse", "site_web", "contact", "parrains",
        "feuille_de_route", "parcours", "relecture",
    ),
}  # fmt: skip


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


class Datasets(Addresses):
    """The JSON and CSV files of each kind, their schemas and the catalogue."""

    def datasets(self) -> list[Dataset]:
        result = []
        for kind in KINDS:
            fiches = published(self.graph, kind)
            result.append(Dataset(kind, KINDS[kind].dataset_title, len(fiches), last_update(fiches), csv_columns(kind)))
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
