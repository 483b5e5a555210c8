"""JSON Schemas of the fiches, for editors and other tools: generated from the models and vocabularies."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .corpus import Vocabularies
from .fields import field_plan
from .kinds import KINDS
from .models import Term

SCHEMA_BASE = "https://json-schema.org/draft/2020-12/schema"


def _vocabulary_fields(model: type) -> dict[str, str]:
    """Field name → vocabulary, for the top-level fields of `model` that take vocabulary slugs."""
    return {name: marker.vocabulary for name, marker, _ in field_plan(model) if isinstance(marker, Term)}


def kind_schema(kind: str, vocabularies: Vocabularies) -> dict[str, Any]:
    """The JSON Schema of one kind; vocabulary fields list the values the vocabulary files allow."""
    info = KINDS[kind]
    schema = info.model.model_json_schema(mode="validation")
    schema = {
        "$schema": SCHEMA_BASE,
        "$id": f"{kind}.schema.json",
        **schema,
        "title": f"Fiche {info.singular}",
        "description": f"Champs d'une fiche {info.singular} du commun (content/{kind}/).",
    }
    for name, vocabulary in _vocabulary_fields(info.model).items():
        terms = vocabularies.get(vocabulary, {})
        items = schema["properties"][name]["items"]
        items.pop("pattern", None)
        items["enum"] = sorted(terms)
        items["description"] = f"Identifiant du vocabulaire {vocabulary}."
    return schema


def render_schemas(vocabularies: Vocabularies) -> dict[str, str]:
    """File name → JSON text, deterministic so that a stale committed schema can be detected."""
    return {
        f"{kind}.schema.json": json.dumps(kind_schema(kind, vocabularies), ensure_ascii=False, indent=2) + "\n"
        for kind in KINDS
    }


def write_schemas(out_dir: Path, vocabularies: Vocabularies) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in render_schemas(vocabularies).items():
        path = out_dir / name
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            written.append(path)
    return written
