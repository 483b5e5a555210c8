"""`commun import csv`: new fiches from a spreadsheet, such as the banks of experience kept in Excel.

Each row becomes a fiche at `etat: brouillon`, to be completed and proofread before publication. Rows are
read as a spreadsheet shows them (Excel's Windows-1252 or UTF-8 exports, `;` or `,` or tab separated,
empty lines, cells over several lines) and mapped to fields by a mapping file or by flags. Every row is
validated exactly as `commun check` does — on a copy of the content folder with the new fiches added — and
a row with an error is rejected with its row number and the reason; an existing fiche is never overwritten.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
import re
import shutil
import tempfile
import typing
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..core.corpus import display
from ..core.fields import field_plan, field_shape, model_at, strip_optional
from ..core.kinds import KINDS
from ..core.labels import field_name, group, label
from ..core.models import Ref, Term
from ..core.problems import ContentError, plural
from ..core.text import SLUG_PATTERN, slugify
from ..stages.check import check
from ..stages.read import parse_yaml, read_text

IMPORTABLE = ("initiatives", "modules", "outils", "ccas")
"""Kinds a spreadsheet can hold: a Labo project needs its team (function and role of each member), which a
row does not describe well."""

LIST_SEPARATORS = re.compile(r"\s*(?:[;|\n]|\r\n)\s*")
CODE_SEPARATORS = re.compile(r"\s*[;|,\n]\s*")
URL = re.compile(r"https?://\S+")
TRUE = {"oui", "vrai", "true", "1", "x", "o", "yes"}
FALSE = {"non", "faux", "false", "0", "n", "no", ""}
FORCED = {"etat": "brouillon"}


class ImportProblem(Exception):
    """A mistake in the file or the mapping that stops the import as a whole (exit code 2)."""


@dataclass
class Mapping:
    """How columns become fields: `colonnes` (field → column), fixed `valeurs`, and the body (`texte`, or
    `sections`: heading → column)."""

    columns: dict[str, str] = field(default_factory=dict)
    values: dict[str, Any] = field(default_factory=dict)
    text: str | None = None
    sections: dict[str, str] = field(default_factory=dict)


@dataclass
class Table:
    path: Path
    encoding: str
    delimiter: str
    headers: list[str]
    rows: list[tuple[int, list[str]]]  # (spreadsheet row number, cells); the header is row 1


@dataclass
class RowResult:
    line: int
    status: str  # "creee", "rejetee" or "vide"
    reasons: list[str] = field(default_factory=list)
    path: Path | None = None
    slug: str | None = None


@dataclass
class ImportReport:
    table: Table
    results: list[RowResult]
    dry_run: bool
    unused: list[tuple[str, str | None]] = field(default_factory=list)
    """Columns left out (named, or numbered when untitled), with the field each most looks like."""
    text: str | None = None
    """The column that became the text of the fiches, if any."""

    @property
    def created(self) -> list[RowResult]:
        return [r for r in self.results if r.status == "creee"]

    @property
    def rejected(self) -> list[RowResult]:
        return [r for r in self.results if r.status == "rejetee"]

    @property
    def empty(self) -> list[RowResult]:
        return [r for r in self.results if r.status == "vide"]


# --- reading the spreadsheet -----------------------------------------------------------------------------

ENCODING_NAMES = {"utf-8-sig": "UTF-8", "utf-8": "UTF-8", "utf-16": "UTF-16", "cp1252": "Windows-1252 (Excel)"}
DELIMITER_NAMES = {";": "point-virgule", ",": "virgule", "\t": "tabulation"}


def decode(raw: bytes) -> tuple[str, str]:
    """The text of a spreadsheet export and its encoding: UTF-8 (with or without BOM), UTF-16 (Excel's
    « texte Unicode »), else Windows-1252, Excel's export on a French Windows."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16"), "utf-16"
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw.decode("utf-8-sig"), "utf-8-sig"
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), "cp1252"
    except UnicodeDecodeError as exc:
        raise ImportProblem(
            f"encodage illisible (octet {exc.start + 1}) : enregistrez le fichier en « CSV UTF-8 » depuis le tableur"
        ) from None


def delimiter_of(text: str) -> str:
    """`;` (French Excel), `,` or tab: the one that splits the first non-empty line, outside quotes, the most."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    outside = re.sub(r'"[^"]*"', "", first)
    counts = {d: outside.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=lambda d: (counts[d], d == ";"))
    return best if counts[best] else ","


def read_table(path: Path) -> Table:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ImportProblem(f"lecture impossible de « {display(path)} » ({exc.strerror})") from None
    text, encoding = decode(raw)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    if not text.strip():
        raise ImportProblem(f"« {display(path)} » est vide")
    delimiter = delimiter_of(text)
    records = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    number = header_line = 0
    headers: list[str] | None = None
    rows: list[tuple[int, list[str]]] = []
    for record in records:
        number += 1
        if headers is None:
            if not any(cell.strip() for cell in record):
                continue  # empty lines before the header
            headers = [" ".join(cell.split()) for cell in record]
            header_line = number
            continue
        rows.append((number, record))
    if headers is None:
        raise ImportProblem(f"« {display(path)} » n'a pas de ligne d'en-tête")
    seen: dict[str, int] = {}
    for index, name in enumerate(headers):
        if name and name in seen:
            raise ImportProblem(f"ligne {header_line} : la colonne « {name} » apparaît deux fois dans l'en-tête")
        seen[name] = index
    return Table(path, encoding, delimiter, headers, rows)


# --- the mapping ---------------------------------------------------------------------------------------


def fold(text: str) -> str:
    """Accents, case, spaces and punctuation left aside: « Mis à jour » → `mis_a_jour`."""
    return slugify(text).replace("-", "_")


def importable_fields(kind: str) -> dict[str, tuple[str, Any]]:
    """Field (dotted for nested objects) → (shape, annotation) of what a column can fill."""
    model = KINDS[kind].model
    fields: dict[str, tuple[str, Any]] = {}
    for name, info in model.model_fields.items():
        shape, nested = field_shape(info.annotation)
        if shape == "model" and nested is not None:
            for sub, sub_info in nested.model_fields.items():
                sub_shape, _ = field_shape(sub_info.annotation)
                if sub_shape in ("scalar", "list"):
                    fields[f"{name}.{sub}"] = (sub_shape, sub_info.annotation)
        elif shape in ("scalar", "list") or name == "sources":
            fields[name] = (shape, info.annotation)
    return fields


def load_mapping(path: Path) -> Mapping:
    name = display(path)
    try:
        data, _ = parse_yaml(read_text(path), name)
    except ContentError as exc:
        raise ImportProblem("\n".join(str(p) for p in exc.problems)) from None
    if not isinstance(data, dict):
        raise ImportProblem(f"{name} : la correspondance doit être une suite de lignes « clé: valeur »")
    unknown = set(data) - {"colonnes", "valeurs", "texte", "sections"}
    if unknown:
        raise ImportProblem(
            f"{name} : clé inconnue « {sorted(unknown)[0]} » (clés possibles : colonnes, valeurs, texte, sections)"
        )
    for key in ("colonnes", "valeurs", "sections"):
        if not isinstance(data.get(key) or {}, dict):
            raise ImportProblem(f"{name} : « {key} » doit associer un nom à une valeur, une par ligne")
    return Mapping(
        columns={str(k): str(v) for k, v in (data.get("colonnes") or {}).items()},
        values=dict(data.get("valeurs") or {}),
        text=str(data["texte"]) if data.get("texte") else None,
        sections={str(k): str(v) for k, v in (data.get("sections") or {}).items()},
    )


def pairs(items: list[str], what: str) -> dict[str, str]:
    """`CHAMP=VALEUR` flags as a dict."""
    result = {}
    for item in items:
        if "=" not in item:
            raise ImportProblem(f"{what} « {item} » : écrivez CHAMP=VALEUR")
        key, value = item.split("=", 1)
        result[key.strip()] = value.strip()
    return result


# Headers spreadsheets often give a field besides its name and its French name (core/labels.py).
HEADER_ALIASES = {
    "porteur": ("Structure porteuse",),
    "thematiques": ("Thème", "Thèmes"),
    "publics": ("Public visé", "Publics visés"),
    "date_debut": ("Début",),
    "date_fin": ("Fin",),
    "texte": ("Description", "Texte de la fiche"),
}


def header_key(text: str) -> str:
    """A header as compared with field names: parentheses aside (« Commune(s) », « Budget (€) »), folded."""
    return fold(re.sub(r"\([^)]*\)", " ", text))


def singular(key: str) -> str:
    return "_".join(word[:-1] if len(word) > 3 and word.endswith("s") else word for word in key.split("_"))


def header_keys(name: str) -> set[str]:
    """The forms a column of field `name` may be headed with: its name, its French name, an alias."""
    parts = name.split(".")
    french = " ".join(field_name(part) for part in parts)
    return {fold(name.replace(".", " ")), header_key(french)} | {header_key(a) for a in HEADER_ALIASES.get(name, ())}


def find_header(name: str, headers: list[str]) -> str | None:
    """The column headed like field `name` (« Date de début » for date_debut), singular or plural."""
    keys = header_keys(name)
    if exact := [h for h in headers if header_key(h) in keys]:
        return exact[0]
    loose = [h for h in headers if singular(header_key(h)) in {singular(k) for k in keys}]
    return loose[0] if len(loose) == 1 else None


def resolve_mapping(kind: str, table: Table, mapping: Mapping) -> Mapping:
    """Complete the mapping with the columns headed like a field, and check every name it uses."""
    fields = importable_fields(kind)
    columns = dict(mapping.columns)
    text = mapping.text
    used = set(columns.values()) | set(mapping.sections.values()) | ({text} if text else set())
    free = [h for h in table.headers if h and h not in used]
    for name in [*fields, "identifiant", "texte"]:
        if name in columns or name in mapping.values or (name == "texte" and (text or mapping.sections)):
            continue
        if (header := find_header(name, free)) is not None:
            free.remove(header)
            if name == "texte":
                text = header
            else:
                columns[name] = header
    allowed = sorted([*fields, "identifiant"])
    for name in [*columns, *mapping.values]:
        if name not in fields and name != "identifiant":
            near = [f for f in allowed if f.split(".")[0] == name]
            hint = f" ; vouliez-vous dire {', '.join(near)} ?" if near else ""
            raise ImportProblem(
                f"champ « {name} » inconnu ou non importable pour {KINDS[kind].plural}{hint} "
                f"(champs possibles : {', '.join(allowed)})"
            )
    known = set(table.headers)
    for column in [*columns.values(), *mapping.sections.values(), *([text] if text else [])]:
        if column not in known:
            raise ImportProblem(
                f"colonne « {column} » absente de {display(table.path)} "
                f"(colonnes : {', '.join(h for h in table.headers if h)})"
            )
    if "titre" not in columns and "titre" not in mapping.values:
        raise ImportProblem("aucune colonne pour le titre : ajoutez --colonne titre=\"NOM DE LA COLONNE\"")
    return Mapping(columns, mapping.values, text, mapping.sections)


def unused_columns(kind: str, table: Table, mapping: Mapping) -> list[tuple[str, str | None]]:
    """Every column the mapping leaves out, with the field it most looks like (one not filled already).

    A column without a header counts when one of its cells holds something; it is named by its number.
    """
    used = set(mapping.columns.values()) | set(mapping.sections.values()) | ({mapping.text} if mapping.text else set())
    open_fields = [f for f in importable_fields(kind) if f not in mapping.columns and f not in mapping.values]
    keys = {key: name for name in open_fields for key in header_keys(name)}
    unused: list[tuple[str, str | None]] = []
    for index, header in enumerate(table.headers):
        if not header:
            if any(index < len(cells) and cells[index].strip() for _, cells in table.rows):
                unused.append((f"n° {index + 1} (sans titre)", None))
            continue
        if header in used:
            continue
        near = difflib.get_close_matches(header_key(header), keys, n=1, cutoff=0.6)
        unused.append((header, keys[near[0]] if near else None))
    return unused


# --- values ----------------------------------------------------------------------------------------------


class Resolver:
    """Turns what a spreadsheet says (a label, a commune's name, a structure's title) into what a fiche holds
    (a vocabulary slug, an INSEE code, a fiche's identifier). What it cannot match is kept, and the check
    reports it with a suggestion."""

    def __init__(self, content_dir: Path) -> None:
        content = check(content_dir)
        self.vocabularies = content.vocabularies
        self.titles = {
            kind: {fold(f.meta.titre): f.slug for f in content.fiches.get(kind, {}).values()} for kind in KINDS
        }
        self.slugs = {kind: set(content.fiches.get(kind, {})) for kind in KINDS}
        self.territoires = content.territoires

    def term(self, vocabulary: str, value: str) -> str:
        terms = self.vocabularies.get(vocabulary, {})
        if value in terms:
            return value
        for slug, entry in terms.items():
            if fold(entry.libelle) == fold(value) or fold(slug) == fold(value):
                return slug
        return slugify(value) or value

    def ref(self, kind: str, value: str) -> str:
        if value in self.slugs[kind]:
            return value
        return self.titles[kind].get(fold(value)) or slugify(value) or value

    def commune(self, value: str) -> str:
        if re.fullmatch(r"\d{5}|2[AB]\d{3}", value):
            return value
        found = self.territoires.named(value) if self.territoires else []
        return found[0].code if len(found) == 1 else value  # several communes of that name: the check asks


def parse_date(text: str) -> Any:
    """`28/06/2021`, `2021-06-28`, `06/2021`, `2021-06`, `2021` as the fiche writes them."""
    text = text.strip()
    if match := re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", text):
        day, month, year = (int(g) for g in match.groups())
        try:
            return dt.date(year, month, day)
        except ValueError:
            return text
    if match := re.fullmatch(r"(\d{1,2})[/.-](\d{4})", text):
        return f"{int(match[2]):04d}-{int(match[1]):02d}"
    if re.fullmatch(r"\d{4}", text):
        return int(text)
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return text


def parse_number(text: str, integer: bool) -> Any:
    cleaned = re.sub(r"[\s\u00a0\u202f€%]", "", text).replace(",", ".")
    try:
        number = float(cleaned)
    except ValueError:
        return text
    return int(number) if integer and number.is_integer() else number


def base_type(annotation: Any) -> Any:
    return strip_optional(annotation)


def is_date(annotation: Any) -> bool:
    inner = base_type(annotation)
    return isinstance(inner, type) and issubclass(inner, dt.date)


def marker_of(kind: str, name: str) -> Ref | Term | None:
    model = KINDS[kind].model
    parts = name.split(".")
    for planned, marker, nested in field_plan(model):
        if planned == parts[0]:
            if len(parts) == 1:
                return marker
            if nested is not None:
                return next((m for n, m, _ in field_plan(nested) if n == parts[1]), None)
    return None


def convert(kind: str, name: str, text: str, resolver: Resolver) -> Any:
    """The value of field `name` from a cell's text."""
    shape, annotation = importable_fields(kind)[name]
    marker = marker_of(kind, name)
    if name == "sources":
        sources = []
        for item in re.split(r"\s*(?:\n|\|)\s*", text):
            if not item:
                continue
            url = URL.search(item)
            title = URL.sub("", item).strip(" -–:;,") if url else item
            sources.append({"titre": title or url[0], **({"url": url[0]} if url else {})} if url else {"titre": item})
        return sources
    if shape == "list":
        separator = CODE_SEPARATORS if marker is not None or name in ("communes",) else LIST_SEPARATORS
        items = [item for item in separator.split(text) if item]
        if isinstance(marker, Term):
            return [resolver.term(marker.vocabulary, item) for item in items]
        if isinstance(marker, Ref):
            return [resolver.ref(marker.kind, item) for item in items]
        if name == "communes":
            return [resolver.commune(item) for item in items]
        return items
    if isinstance(marker, Term):
        return resolver.term(marker.vocabulary, text)
    if isinstance(marker, Ref):
        return resolver.ref(marker.kind, text)
    if name == "commune":
        return resolver.commune(text)
    inner = base_type(annotation)
    if is_date(annotation):
        return parse_date(text)
    if inner is bool:
        folded = fold(text)
        return True if folded in TRUE else False if folded in FALSE else text
    if inner in (int, float):
        return parse_number(text, inner is int)
    if typing.get_origin(inner) is typing.Literal:  # by its code (en_cours) or its label (« En cours »)
        *parents, last = name.split(".")
        labels = group(model_at(KINDS[kind].model, tuple(parents)), last)
        return next((v for v in typing.get_args(inner) if fold(text) in (fold(v), fold(label(v, labels)))), text)
    return " ".join(text.split()) if "\n" not in text else text.strip()


def fiche_data(
    kind: str, cells: dict[str, str], mapping: Mapping, resolver: Resolver, today: dt.date
) -> tuple[dict[str, Any], str, str | None]:
    """The fields, the Markdown body and the explicit identifier of one row."""
    values: dict[str, Any] = {}
    for name, value in mapping.values.items():
        values[name] = convert(kind, name, str(value), resolver) if isinstance(value, str) else value
    for name, column in mapping.columns.items():
        text = cells.get(column, "").strip()
        if text and name != "identifiant":
            values[name] = convert(kind, name, text, resolver)
    values.update(FORCED)
    values.setdefault("mis_a_jour", today)
    data: dict[str, Any] = {}
    for name in KINDS[kind].model.model_fields:  # the model's order, as in `commun new`
        if name in values:
            data[name] = values[name]
        nested = {key.split(".", 1)[1]: v for key, v in values.items() if key.startswith(f"{name}.")}
        if nested:
            data[name] = nested
    body_parts = []
    if mapping.text and cells.get(mapping.text, "").strip():
        body_parts.append(cells[mapping.text].strip())
    for heading, column in mapping.sections.items():
        if cells.get(column, "").strip():
            body_parts.append(f"## {heading}\n\n{cells[column].strip()}")
    identifier = cells.get(mapping.columns["identifiant"], "").strip() if "identifiant" in mapping.columns else None
    return data, "\n\n".join(body_parts), identifier


def fiche_text(data: dict[str, Any], body: str, source: str, line: int) -> str:
    front = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)
    header = f"# Importée de {source}, ligne {line} : à compléter et relire avant publication.\n"
    return f"---\n{header}{front}---\n\n{body}\n" if body else f"---\n{header}{front}---\n"


# --- the import ------------------------------------------------------------------------------------------


def existing(content_dir: Path, kind: str, slug: str) -> Path | None:
    for suffix in (".md", ".yml", ".yaml"):
        path = content_dir / kind / f"{slug}{suffix}"
        if path.exists():
            return path
    return None


def import_csv(
    path: Path,
    kind: str,
    content_dir: Path,
    *,
    mapping: Mapping | None = None,
    dry_run: bool = False,
    today: dt.date | None = None,
) -> ImportReport:
    """Import the rows of `path` as fiches of `kind` into `content_dir`; see the module's docstring."""
    if kind not in IMPORTABLE:
        raise ImportProblem(f"l'import de fiches « {kind} » n'est pas prévu (possibles : {', '.join(IMPORTABLE)})")
    if not content_dir.is_dir():
        raise ImportProblem(f"le dossier « {display(content_dir)} » n'existe pas")
    today = today or dt.date.today()
    table = read_table(path)
    mapping = resolve_mapping(kind, table, mapping or Mapping())
    resolver = Resolver(content_dir)
    results: list[RowResult] = []
    candidates: dict[str, tuple[RowResult, str]] = {}
    first_row: dict[str, int] = {}
    for line, record in table.rows:
        result = RowResult(line, "rejetee")
        results.append(result)
        if not any(cell.strip() for cell in record):
            result.status = "vide"
            continue
        if len(record) > len(table.headers) and any(cell.strip() for cell in record[len(table.headers) :]):
            result.reasons.append(
                f"{len(record)} cellules pour {len(table.headers)} colonnes : un séparateur « "
                f"{table.delimiter} » de trop, ou une cellule à mettre entre guillemets"
            )
            continue
        cells = {header: (record[i] if i < len(record) else "") for i, header in enumerate(table.headers)}
        data, body, identifier = fiche_data(kind, cells, mapping, resolver, today)
        title = str(data.get("titre") or "").strip()
        if not title:
            column = mapping.columns.get("titre", "titre")
            result.reasons.append(f"titre manquant (colonne « {column} ») : une fiche a besoin d'un titre")
            continue
        slug = identifier or slugify(title)
        result.slug = slug
        if not slug or not re.fullmatch(SLUG_PATTERN, slug):
            result.reasons.append(f"identifiant invalide « {slug} » : minuscules sans accents, chiffres et tirets")
            continue
        if slug in first_row:
            result.reasons.append(
                f"même identifiant « {slug} » que la ligne {first_row[slug]} (titre en double ?) : "
                "changez le titre ou donnez un identifiant distinct (colonne identifiant)"
            )
            continue
        first_row[slug] = line
        if (found := existing(content_dir, kind, slug)) is not None:
            result.reasons.append(f"la fiche {display(found)} existe déjà : l'import n'écrase jamais une fiche")
            continue
        candidates[slug] = (result, fiche_text(data, body, path.name, line))
    validate_candidates(kind, content_dir, candidates)
    for slug, (result, text) in candidates.items():
        if result.reasons:
            continue
        result.status = "creee"
        result.path = content_dir / kind / f"{slug}.md"
        if not dry_run:
            result.path.parent.mkdir(parents=True, exist_ok=True)
            with result.path.open("x", encoding="utf-8") as stream:  # "x": never overwrite, even in a race
                stream.write(text)
    return ImportReport(table, results, dry_run, unused_columns(kind, table, mapping), mapping.text)


def validate_candidates(kind: str, content_dir: Path, candidates: dict[str, tuple[RowResult, str]]) -> None:
    """Run `commun check` on a copy of the content with the candidate fiches added; a candidate's errors
    become the reasons its row is rejected."""
    if not candidates:
        return
    with tempfile.TemporaryDirectory(prefix="commun-import-") as tmp:
        copy = Path(tmp) / "content"
        shutil.copytree(content_dir, copy, ignore=shutil.ignore_patterns(".*"))
        names: dict[str, str] = {}
        for slug, (_, text) in candidates.items():
            target = copy / kind / f"{slug}.md"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
            names[str(target.resolve())] = slug
        content = check(copy)
        for problem in content.errors:
            slug = names.get(str(Path(problem.path).resolve()))
            if slug is not None:
                candidates[slug][0].reasons.append(problem.message)


def report_lines(report: ImportReport) -> Iterator[str]:
    """The French report: one line per row that is not imported as is, then the summary."""
    table = report.table
    name = display(table.path)
    yield (
        f"{name} : lu en {ENCODING_NAMES.get(table.encoding, table.encoding)}, séparateur "
        f"{DELIMITER_NAMES.get(table.delimiter, table.delimiter)}, {plural(len(table.rows), 'ligne')} sous l'en-tête"
    )
    for column, near in report.unused:
        if near:
            yield f'{name} : colonne « {column} » ignorée : --colonne "{near}={column}" ?'
        elif column.startswith("n° "):
            yield f"{name} : colonne {column} ignorée : donnez-lui un titre pour la reprendre"
        else:
            text = "" if report.text else f', ou --texte "{column}" pour en faire le texte des fiches'
            yield (
                f"{name} : colonne « {column} » ignorée : aucun champ ne lui ressemble ; "
                f'--colonne "CHAMP={column}" pour la reprendre{text}'
            )
    verb = "serait créée" if report.dry_run else "créée"
    for result in report.results:
        if result.status == "creee" and result.path is not None:
            yield f"{name}:{result.line}: fiche {verb} : {display(result.path)}"
        elif result.status == "rejetee":
            for reason in result.reasons:
                yield f"{name}:{result.line}: ligne rejetée : {reason}"
    created, rejected, empty = len(report.created), len(report.rejected), len(report.empty)
    done = "à créer" if report.dry_run else plural(created, "créée").split(" ", 1)[1]
    summary = f"{plural(created, 'fiche')} {done} (à l'état brouillon), "
    summary += plural(rejected, "ligne rejetée", "lignes rejetées")
    if empty:
        summary += f", {plural(empty, 'ligne vide ignorée', 'lignes vides ignorées')}"
    yield summary + (" ; essai : rien n'a été écrit." if report.dry_run else ".")


# --- the command ----------------------------------------------------------------------------------------


