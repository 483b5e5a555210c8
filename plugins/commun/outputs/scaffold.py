"""`commun new`: a fiche template with every field of its kind present and explained in French."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

import jinja2
from pydantic import BaseModel

from ..core.fields import field_plan
from ..core.kinds import KINDS
from ..core.models import DEFAULT_LICENCE
from . import templating


@dataclass
class FieldDoc:
    """One key of the template: its French explanation, whether it is required, a starting value."""

    name: str
    description: str
    required: bool
    value: str = ""
    is_list: bool = False
    children: list[FieldDoc] = field(default_factory=list)


def _field_docs(model: type[BaseModel], values: dict[str, str]) -> list[FieldDoc]:
    docs = []
    nested = {name: inner for name, _, inner in field_plan(model)}
    for name, info in model.model_fields.items():
        annotation = str(info.annotation)
        inner = nested.get(name)
        docs.append(
            FieldDoc(
                name=name,
                description=info.description or "",
                required=info.is_required(),
                value=values.get(name, ""),
                is_list=annotation.startswith("list") or "list[" in annotation,
                children=_field_docs(inner, {}) if inner is not None else [],
            )
        )
    return docs


def environment() -> jinja2.Environment:
    return templating.environment("", html=False, keep_trailing_newline=True)


def yaml_scalar(value: Any) -> str:
    """A value written as a YAML scalar that always reads back as text."""
    return json.dumps(str(value), ensure_ascii=False)


def render_new(
    kind: str, *, today: dt.date, titre: str | None = None, answers: dict[str, Any] | None = None
) -> str:
    """The text of a new fiche; `answers` (field → text or list of texts) are filled in."""
    values = {"etat": "brouillon", "mis_a_jour": today.isoformat(), "licence": DEFAULT_LICENCE, "exemple": "false"}
    if titre:
        values["titre"] = yaml_scalar(titre)
    for name, value in (answers or {}).items():
        values[name] = json.dumps(value, ensure_ascii=False) if isinstance(value, list) else yaml_scalar(value)
    return (
        environment()
        .get_template("new/fiche.md.j2")
        .render(
            kind=kind,
            info=KINDS[kind],
            fields=_field_docs(KINDS[kind].model, values),
        )
    )
