"""The one Jinja2 factory: every output that writes text from a template (pages, feeds, PDFs, the offline
copy, the new-fiche model, the web form) gets its environment here, with the same French filters."""

from __future__ import annotations

from pathlib import Path

import jinja2

from ..core.french import (
    article_fr,
    count_fr,
    date_fr,
    duration_fr,
    join_fr,
    modules_fr,
    number_fr,
    passeport_fr,
    period_fr,
    upper_first,
)
from ..core.kinds import KINDS
from ..core.labels import LABELS, coded, field_name, label
from ..core.models import DEFAULT_LICENCE
from ..core.typography import typeset

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"


class CompiledTemplates(jinja2.BytecodeCache):
    """Templates compiled once per process, not once per build: `mkdocs serve` makes a new
    renderer at each rebuild, and compiling the templates cost it 0.4 s. An edited template
    has another checksum, so it is compiled again."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if (code := self.compiled.get(bucket.key)) is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


COMPILED = CompiledTemplates()


def compiled_on_disk(folder: Path) -> jinja2.BytecodeCache:
    """Templates compiled by an earlier build, kept in `folder`: Jinja checks each one's source checksum
    (and Python's version) before using it, so an edited template is compiled again."""
    folder.mkdir(parents=True, exist_ok=True)
    return jinja2.FileSystemBytecodeCache(str(folder))


def environment(
    folder: str,
    *,
    html: bool = True,
    keep_trailing_newline: bool = False,
    compiled: jinja2.BytecodeCache | None = COMPILED,
) -> jinja2.Environment:
    """The environment of the templates under `templates/<folder>`; `html` escapes values (pages, feeds,
    PDFs), plain text does not (scripts, README, YAML)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES / folder),
        bytecode_cache=compiled,
        autoescape=html,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=keep_trailing_newline,
        undefined=jinja2.StrictUndefined,
    )
    env.filters.update(
        article_fr=article_fr,
        date_fr=date_fr,
        period_fr=period_fr,
        duration_fr=duration_fr,
        number_fr=number_fr,
        upper_first=upper_first,
        join_fr=join_fr,
        count_fr=count_fr,
        label=label,
        coded=coded,
        modules_fr=modules_fr,
        passeport_fr=passeport_fr,
        typo=_typo,
    )
    env.globals.update(KINDS=KINDS, LABELS=LABELS, DEFAULT_LICENCE=DEFAULT_LICENCE, field_name=field_name)
    return env


def _typo(text: object) -> str:
    """French no-break spaces in a plain text value (a title, a summary), before it is escaped."""
    return typeset(str(text), "text")
