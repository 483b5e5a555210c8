"""Stage 2, validate: turn loaded documents into typed fiches and report every rule they break.

Type rules come from the pydantic models; the rules that need the whole corpus (references,
vocabularies, unique slugs, files on disk) and the safety of Markdown bodies are checked here.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from ..core.corpus import Content, Fiche, collector_paused, display
from ..core.fields import marked_values, model_at
from ..core.kinds import KINDS
from ..core.models import RuleError, Term
from ..core.problems import Problem, error, suggest, warning
from ..core.text import SLUG_PATTERN
from .read import Document, each_document, load_communes, load_synonyms, load_vocabularies

SLUG = re.compile(SLUG_PATTERN)

PATTERN_MESSAGES = {
    SLUG_PATTERN: "identifiant invalide « {value} » : minuscules sans accents, chiffres et tirets",
    r"^(?:\d{5}|2[AB]\d{3})$": "code INSEE invalide « {value} » : cinq caractères, par exemple 97611",
    r"^https?://\S+$": "adresse web invalide « {value} » : elle doit commencer par https://",
    r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$": "adresse e-mail invalide « {value} »",
    r"^\+?[0-9 .()-]{6,20}$": "numéro de téléphone invalide « {value} »",
    r"^(?:\d{2,3}|2[AB])$": "numéro de département invalide « {value} » (ex. 976)",
}

TYPE_MESSAGES = {
    "string_type": "texte attendu",
    "string_too_short": "valeur vide : écrivez un texte ou retirez la ligne",
    "list_type": "liste attendue (une ligne « - valeur » par élément)",
    "model_type": "bloc de champs attendu (lignes « clé: valeur » en retrait)",
    "model_attributes_type": "bloc de champs attendu (lignes « clé: valeur » en retrait)",
    "dict_type": "bloc de champs attendu (lignes « clé: valeur » en retrait)",
    "int_type": "nombre entier attendu",
    "int_parsing": "nombre entier attendu",
    "int_from_float": "nombre entier attendu (sans virgule)",
    "float_type": "nombre attendu (avec un point décimal, sans espace)",
    "float_parsing": "nombre attendu (avec un point décimal, sans espace)",
    "bool_type": "true ou false attendu",
    "bool_parsing": "true ou false attendu",
    "finite_number": "nombre fini attendu",
}

UNSAFE_BODY = [
    (
        re.compile(r"<\s*(script|iframe|object|embed|applet|form|style|base|meta|link)\b", re.I),
        "balise « <{0}> » interdite dans le texte d'une fiche",
        "<",  # a pattern runs only on bodies holding one of these (lowercase) strings
    ),
    (
        # Also `<svg/onload=`, `<img src="x"/onerror=`, `<a href="x"onclick=`: browsers read them as attributes.
        # A tag without such an attribute is matched whole (up to `>`) and skipped: the scan stays linear.
        re.compile(r"<[a-z][^>]*?(?:(?:(?<=<[a-z])[a-z0-9]*/+|\s/*|(?<![=\s])[\"']/*)(on[a-z]+)\s*=|>|\Z)", re.I),
        "attribut « {0} » interdit : pas de code dans le texte d'une fiche",
        "<",
    ),
    (
        re.compile(
            r"(?:\]\(\s*<?|(?:href|src|action|formaction)\s*=\s*[\"']?|^[ \t]*\[[^\]\n]+\]:[ \t]*<?|<)"
            r"\s*(javascript|vbscript|data)\s*:",
            re.I | re.M,
        ),
        "lien « {0}: » interdit : seuls les liens web et les liens vers d'autres fiches sont acceptés",
        "javascript",
        "vbscript",
        "data",
    ),
    (  # a scheme disguised with character references or tabs (`jav&#x61;script:`), which browsers decode
        re.compile(
            r"(?:\]\(\s*<?|(?:href|src|action|formaction)\s*=\s*[\"']?|^[ \t]*\[[^\]\n]+\]:[ \t]*<?)\s*"
            r"[a-z0-9+.-]{0,40}(?:(?:&#?[a-z0-9]{1,10};?|[\t\r\n])[a-z0-9+.&#;\t\r\n-]{0,80}?"
            r"(?::|&colon;|&#0*58;?|&#x0*3a;?)|&colon;|&#0*58;?|&#x0*3a;?)",
            re.I | re.M,
        ),
        "lien à l'adresse codée (&#…; ou tabulation) interdit : écrivez l'adresse en clair",
        "&",
        "\t",
        "=",
    ),
    (
        re.compile(r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,}"),  # linear
        "adresse e-mail dans le texte : mettez les coordonnées dans le champ « contact »",
        "@",
    ),
    (
        re.compile(  # `(?=[+0])` first lets the engine jump between candidates instead of trying every position
            r"(?=[+0])(?<![\w+])(?:(?:\+|00)\s?\d{2,3}[\s.-]?(?:\(0\)\s?)?\d(?:[\s.-]?\d{2,3}){3,4}"
            r"|0[1-9](?:[\s.-]?\d{2}){4})(?![\d])"
        ),
        "numéro de téléphone dans le texte : mettez les coordonnées dans le champ « contact »",
        "0",
        "+",
    ),
]


def _field_path(loc: tuple) -> str:
    return " › ".join(f"n° {part + 1}" if isinstance(part, int) else str(part) for part in loc)


def _french(err: dict[str, Any], model: type[BaseModel], loc: tuple) -> str:
    kind, ctx, value = err["type"], err.get("ctx") or {}, err.get("input")
    where = _field_path(loc)
    if value is None and kind.endswith("_type"):
        return f"champ « {where} » vide : complétez-le ou retirez la ligne"
    if kind == "missing":
        return f"champ obligatoire « {where} » manquant"
    if kind == "extra_forbidden":
        known = model_at(model, loc[:-1]).model_fields
        return f"champ inconnu « {loc[-1]} »{suggest(str(loc[-1]), known)}"
    if kind == "value_error":
        return f"{where} : {ctx.get('error', err['msg'])}"
    if kind == "literal_error":
        allowed = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        return (
            f"{where} : valeur « {value} » non autorisée ; valeurs possibles : {', '.join(allowed)}"
            f"{suggest(str(value), allowed)}"
        )
    if kind == "string_pattern_mismatch":
        template = PATTERN_MESSAGES.get(ctx.get("pattern", ""), "valeur « {value} » mal formée")
        return f"{where} : {template.format(value=value)}"
    if kind == "string_too_long":
        return f"{where} : {ctx['max_length']} caractères au plus (ici {len(str(value))})"
    if kind == "too_short":
        return f"{where} : au moins {plural_items(ctx['min_length'])} attendu"
    if kind == "too_long":
        return f"{where} : au plus {plural_items(ctx['max_length'])}"
    if kind == "greater_than_equal":
        return f"{where} : doit valoir au moins {ctx['ge']}"
    if kind == "less_than_equal":
        return f"{where} : doit valoir au plus {ctx['le']}"
    if kind in TYPE_MESSAGES:
        return f"{where} : {TYPE_MESSAGES[kind]}"
    return f"{where} : valeur invalide ({err['msg']})"


def plural_items(count: int) -> str:
    return f"{count} élément" if count <= 1 else f"{count} éléments"


def _type_problems(exc: ValidationError, document: Document, model: type[BaseModel]) -> Iterator[Problem]:
    name = document.name
    for err in exc.errors(include_url=False):
        loc = tuple(err["loc"])
        ctx = err.get("ctx") or {}
        if err["type"] == "value_error" and isinstance(ctx.get("error"), RuleError):
            loc = (*loc, ctx["error"].field)
        if err["type"] == "missing":
            line, column = document.position(loc[:-1])
        else:
            line, column = document.position(loc, key=err["type"] == "extra_forbidden")
        yield error(name, line, column, _french(err, model, loc))


def body_problems(body: str, first_line: int, name: str) -> Iterator[Problem]:
    """Unsafe HTML, script links and personal contact details written in a Markdown body."""
    lowered = body.lower()
    for pattern, message, *needles in UNSAFE_BODY:
        if needles and not any(needle in lowered for needle in needles):
            continue  # cannot match: most bodies skip most patterns
        line, counted = first_line, 0  # lines counted incrementally: matches come in order
        for match in pattern.finditer(body):
            if pattern.groups and not any(match.groups()):
                continue  # matched whole but harmless (a tag without event attribute)
            line, counted = line + body.count("\n", counted, match.start()), match.start()
            column = match.start() - (body.rfind("\n", 0, match.start()) + 1) + 1
            yield error(name, line, column, message.format(*(g for g in match.groups() if g)))


def _reference_problems(fiche: Fiche, slugs: dict[str, set[str]], content: Content) -> Iterator[Problem]:
    name = fiche.document.name

    def problem(loc: tuple, message: str) -> Problem:  # positions are looked up only for problems
        line, column = fiche.document.position(loc)
        return error(name, line, column, f"{_field_path(loc)} : {message}")

    for loc, value, marker in marked_values(fiche.meta):
        if isinstance(marker, Term):
            allowed = content.vocabularies.get(marker.vocabulary, {})
            if allowed and value not in allowed:
                yield problem(
                    loc, f"« {value} » n'est pas dans le vocabulaire {marker.vocabulary}{suggest(value, allowed)}"
                )
            continue
        target_kind = KINDS[marker.kind]
        if value not in slugs[marker.kind]:
            elsewhere = [k for k, known in slugs.items() if value in known and k != marker.kind]
            hint = (
                f" : c'est {KINDS[elsewhere[0]].article} {KINDS[elsewhere[0]].singular}"
                if elsewhere
                else suggest(value, slugs[marker.kind])
            )
            yield problem(loc, f"aucune fiche « {value} » dans content/{marker.kind}/ ({target_kind.plural}){hint}")
            continue
        target = content.fiches[marker.kind].get(value)
        if target is None:
            continue
        if marker.types and target.meta.type not in marker.types:
            expected = " ou ".join(marker.types)
            yield problem(loc, f"« {value} » est de type {target.meta.type}, or {expected} est attendu")
        if fiche.meta.exemple and not target.meta.exemple and KINDS[marker.kind].is_structure:
            yield problem(loc, f"une fiche d'exemple ne peut pas être rattachée à une structure réelle (« {value} »)")
        if not fiche.meta.exemple and target.meta.exemple:
            yield problem(loc, f"une fiche réelle ne peut pas renvoyer à la fiche d'exemple « {value} »")


def _file_problems(fiche: Fiche, content_dir: Path) -> Iterator[Problem]:
    attachments = getattr(fiche.meta, "fichiers", [])
    if not attachments:
        return
    folder = (content_dir / "outils" / "fichiers").resolve()
    for index, attached in enumerate(attachments):
        line, column = fiche.document.position(("fichiers", index, "chemin"))
        try:
            target = (content_dir / "outils" / attached.chemin).resolve()
            found = target.is_file()
        except (OSError, ValueError):  # a NUL byte, a name too long for the system…
            yield error(display(fiche.path), line, column, f"chemin de fichier invalide « {attached.chemin[:80]!r} »")
            continue
        if not target.is_relative_to(folder):
            yield error(
                display(fiche.path),
                line,
                column,
                f"fichier « {attached.chemin} » hors de content/outils/fichiers/ : placez-le dans ce dossier",
            )
        elif not found:
            yield error(display(fiche.path), line, column, f"fichier « {attached.chemin} » introuvable")


class CheckCache:
    """What `check` made of each file, reused while the file keeps its size and modification time: under
    `mkdocs serve`, an edit reads and validates one fiche again, not all of them. Slugs, references and
    everything else between fiches are checked again every time."""

    def __init__(self) -> None:
        self.stamps: dict[Path, tuple[int, int]] = {}
        self.results: dict[Path, tuple[Document, Any, list[Problem]]] = {}

    def document(self, path: Path) -> Document | None:
        """The document read from `path` last time, if the file has not changed since."""
        status = path.stat()
        stamp = (status.st_mtime_ns, status.st_size)
        if self.stamps.get(path) == stamp and (result := self.results.get(path)) is not None:
            return result[0]
        self.stamps[path] = stamp
        self.results.pop(path, None)
        return None

    def keep_only(self, paths: set[Path]) -> None:
        self.stamps = {path: stamp for path, stamp in self.stamps.items() if path in paths}
        self.results = {path: result for path, result in self.results.items() if path in paths}


def validate(documents: Iterable[Document], content: Content, cache: CheckCache | None = None) -> None:
    """Validate `documents` into `content.fiches`, appending every problem to `content.problems`.

    Each document's raw data is let go once its model holds it.
    """
    seen: dict[tuple[str, str], Document] = {}
    for document in documents:
        name = document.name
        if not SLUG.match(document.slug):
            content.problems.append(
                error(
                    name,
                    1,
                    1,
                    f"nom de fichier invalide « {document.path.name} » : "
                    "minuscules sans accents, chiffres et tirets (ex. epicerie-solidaire.md)",
                )
            )
            continue
        if (previous := seen.get((document.kind, document.slug))) is not None:
            content.problems.append(
                error(name, 1, 1, f"identifiant « {document.slug} » déjà pris par {previous.name}")
            )
            continue
        seen[(document.kind, document.slug)] = document
        cached = cache.results.get(document.path) if cache is not None else None
        if cached is not None and cached[0] is document:
            _, meta, problems = cached
        else:
            meta, problems = _validate_file(document)
            if cache is not None:
                cache.results[document.path] = (document, meta, problems)
        if meta is not None:
            content.fiches[document.kind][document.slug] = Fiche(
                document.kind, document.slug, meta, document.body, document
            )
        content.problems.extend(problems)

    slugs = {kind: set() for kind in KINDS}
    for kind, slug in seen:
        slugs[kind].add(slug)
    for fiche in content.all():
        content.problems.extend(_reference_problems(fiche, slugs, content))
        content.problems.extend(_file_problems(fiche, content.root))
        if fiche.published and not fiche.meta.exemple and not fiche.meta.sources:
            content.problems.append(
                warning(
                    fiche.document.name,
                    *fiche.document.position(("etat",)),
                    "fiche publiée sans source : citez les documents qui la fondent dans « sources »",
                )
            )


def _validate_file(document: Document) -> tuple[Any, list[Problem]]:
    """The model of one document (None if invalid) and the problems found in it alone."""
    model = KINDS[document.kind].model
    problems: list[Problem] = []
    meta = None
    try:
        meta = model.model_validate(document.data)
    except ValidationError as exc:
        problems.extend(_type_problems(exc, document, model))
    else:
        document.data = None
    problems.extend(body_problems(document.body, document.body_line, document.name))
    return meta, problems


def check(content_dir: Path, cache: CheckCache | None = None) -> Content:
    """Load and validate a whole content folder; never raises for bad content.

    With a `cache` (kept from the previous check), unchanged files are neither read nor validated again.
    """
    with collector_paused():
        vocabularies, problems = load_vocabularies(content_dir)
        try:
            communes = load_communes(content_dir)
        except (KeyError, ValueError, csv.Error, OSError) as exc:  # UnicodeDecodeError is a ValueError
            communes = {}
            why = f"colonne « {exc.args[0]} » absente" if isinstance(exc, KeyError) else "fichier mal formé"
            if isinstance(exc, UnicodeDecodeError):
                why = "enregistrez le fichier en UTF-8"
            shown = display(content_dir / "vocabulaires" / "communes.csv")
            problems.append(error(shown, 1, 1, f"référentiel des communes illisible : {why}"))
        content = Content(content_dir, {kind: {} for kind in KINDS}, vocabularies, communes, problems)
        content.synonymes, synonym_problems = load_synonyms(content_dir)
        content.problems.extend(synonym_problems)
        documents: Iterable[Document] = each_document(
            content_dir, content.problems, cache.document if cache is not None else None
        )
        if cache is not None:
            documents = list(documents)
            cache.keep_only({document.path for document in documents})  # files removed or now unreadable
        validate(documents, content, cache)
        content.problems.sort()
        # Every problem has its line now: the node trees that located them are let go, and the text they
        # were composed from unless a cache may need lines again.
        for fiche in content.all():
            fiche.document.node = None
            if cache is None:
                fiche.document.front = ""
        return content
