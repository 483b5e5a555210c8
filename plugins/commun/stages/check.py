"""Stage 2, validate: turn loaded documents into typed fiches and report every rule they break.

Type rules come from the pydantic models; the rules that need the whole corpus (references,
vocabularies, unique slugs, files on disk) and the safety of Markdown bodies are checked here, with
`safety` for invisible characters and resources from outside the site.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from ..core.corpus import Content, Fiche, collector_paused, display
from ..core.fields import field_plan, marked_values, model_at
from ..core.kinds import KINDS
from ..core.labels import group, label
from ..core.models import DEPARTEMENT_PATTERN, INSEE_PATTERN, Place, Ref, RuleError, Term
from ..core.problems import Problem, error, field_path, hint, names_index, suggest, warning
from ..core.territoires import Territoires
from ..core.text import LIGATURES, SLUG_PATTERN, fold, slugify
from . import safety
from .read import Document, each_document, load_synonyms, load_territoires, load_vocabularies
from .repeats import repeated_paragraphs

SLUG = re.compile(SLUG_PATTERN)

PATTERN_MESSAGES = {
    SLUG_PATTERN: "identifiant invalide « {value} » : minuscules sans accents, chiffres et tirets",
    INSEE_PATTERN: "code INSEE invalide « {value} » : cinq caractères, par exemple 97611",
    r"^https?://\S+$": "adresse web invalide « {value} » : elle doit commencer par https://",
    r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$": "adresse e-mail invalide « {value} »",
    r"^\+?[0-9 .()-]{6,20}$": "numéro de téléphone invalide « {value} »",
    DEPARTEMENT_PATTERN: "numéro de département invalide « {value} » (ex. 976)",
}

NOT_SLUG_BYTES = re.compile(rb"[^a-z0-9]+")
LIGATURE = re.compile(f"[{''.join(map(chr, LIGATURES))}]")
FULL_SLUG = 1_000_000  # titles are compared whole, not cut as identifiers are

IDENTIFIER_ERRORS = ("string_pattern_mismatch", "literal_error")
"""Errors of values that are identifiers or codes, where an invisible character is named."""

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
        re.compile(rf"<\s*({'|'.join(safety.REFUSED_TAGS)})\b", re.I),
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


def _french(err: dict[str, Any], model: type[BaseModel], loc: tuple) -> str:
    kind, ctx, value = err["type"], err.get("ctx") or {}, err.get("input")
    where = field_path(loc)
    identifier = isinstance(value, str) and kind in IDENTIFIER_ERRORS
    if identifier and (char := safety.invisible_in(value)) is not None:
        return f"{where} : {safety.describe(char)} dans l'identifiant « {safety.visible(value)} » : retirez-le"
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
        name = next(str(part) for part in reversed(loc) if isinstance(part, str))
        labels = group(model_at(model, loc[:-1]), name)
        choices = ", ".join(f"{code} ({label(code, labels)})" for code in allowed)
        suggestion = hint(str(value), names_index({code: label(code, labels) for code in allowed}))
        return f"{where} : valeur « {value} » non autorisée ; valeurs possibles : {choices}{suggestion}"
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


@dataclass(frozen=True, slots=True)
class Unresolved:
    """A title or a label written where an identifier is expected: its message waits for the corpus, which
    knows the identifiers to suggest."""

    line: int
    column: int
    message: str
    value: str
    marker: Ref | Term


@dataclass(slots=True)
class Checked:
    """What one file alone tells: its model (None if invalid), its problems, and what the corpus must finish."""

    meta: Any
    problems: list[Problem] = field(default_factory=list)
    unresolved: list[Unresolved] = field(default_factory=list)
    images: list[safety.Image] = field(default_factory=list)


def _marker_at(model: type[BaseModel], loc: tuple) -> Ref | Term | None:
    """The reference or vocabulary marker of the field at `loc`, if it has one."""
    names = [index for index, part in enumerate(loc) if isinstance(part, str)]
    if not names:
        return None
    container = model_at(model, loc[: names[-1]])
    marker = next((marker for name, marker, _ in field_plan(container) if name == loc[names[-1]]), None)
    return marker if isinstance(marker, Ref | Term) else None


def _char_column(document: Document, line: int, column: int, char: str) -> int:
    """The column of `char` on a line of the fields, from the value written at `column`; `column` if not there."""
    lines = document.front.split("\n")
    index = line - 1 - document.line_offset
    found = lines[index].find(char, column - 1) if 0 <= index < len(lines) else -1
    return found + 1 if found >= 0 else column


def _type_problems(
    exc: ValidationError, document: Document, model: type[BaseModel], territoires: Territoires, checked: Checked
) -> None:
    name = document.name
    for err in exc.errors(include_url=False):
        loc = tuple(err["loc"])
        ctx = err.get("ctx") or {}
        value = err.get("input")
        if err["type"] == "value_error" and isinstance(ctx.get("error"), RuleError):
            loc = (*loc, ctx["error"].field)
        if err["type"] == "missing":
            if (written := document.written(loc)) is not None:  # `resume:` with nothing after
                checked.problems.append(error(name, *written, f"champ « {field_path(loc)} » vide : complétez-le"))
                continue
            line, column = document.position(loc[:-1])
        else:
            line, column = document.position(loc, key=err["type"] == "extra_forbidden")
        message = _french(err, model, loc) + _place_hint(err, document, territoires)
        identifier = isinstance(value, str) and err["type"] in IDENTIFIER_ERRORS
        char = safety.invisible_in(value) if identifier else None
        if char is not None and safety.HIDING.match(char):
            continue  # reported where it is written, or as an escape (see _escaped)
        if char is not None:
            column = _char_column(document, line, column, char)
        elif identifier and err["type"] == "string_pattern_mismatch" and (marker := _marker_at(model, loc)):
            checked.unresolved.append(Unresolved(line, column, message, value, marker))
            continue
        checked.problems.append(error(name, line, column, message))


def _escaped(data: Any, loc: tuple = ()) -> Iterator[tuple[tuple, str]]:
    """Each field whose text holds a character refused everywhere, written as an escape (`"\\u202e"`)."""
    if isinstance(data, str):
        if (match := safety.HIDING.search(data)) is not None:
            yield loc, match.group()
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _escaped(value, (*loc, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _escaped(value, (*loc, index))


def _hidden_problems(document: Document) -> Iterator[Problem]:
    """An error at each bidirectional control of the file, naming its field when it is in one."""
    for line, column, char in document.hidden:
        in_fields = document.body_line == 0 or line < document.body_line
        loc = document.field_at(line, column) if in_fields else ()
        where = f"{field_path(loc)} : " if loc else ""
        yield error(document.name, line, column, f"{where}{safety.describe(char)} : retirez-le")


def _place_hint(err: dict[str, Any], document: Document, territoires: Territoires) -> str:
    """The code to write for a commune or a department written by its name (« Bobigny » → 93008)."""
    value, pattern = err.get("input"), (err.get("ctx") or {}).get("pattern")
    if err["type"] != "string_pattern_mismatch" or not isinstance(value, str) or not territoires:
        return ""
    if pattern == INSEE_PATTERN:
        department = document.data.get("departement") if isinstance(document.data, dict) else None
        return territoires.commune_hint(value, department if isinstance(department, str) else None)
    if pattern == DEPARTEMENT_PATTERN:
        return territoires.departement_hint(value)
    return ""


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


class Names:
    """The identifiers a title or a label may stand for, per kind of fiche and per vocabulary (see `hint`);
    each index is made the first time a message needs it."""

    def __init__(self, content: Content, slugs: dict[str, set[str]]) -> None:
        self.content, self.slugs = content, slugs
        self.indexes: dict[str, dict[str, str]] = {}

    def hint(self, value: str, marker: Ref | Term) -> str:
        key = marker.vocabulary if isinstance(marker, Term) else f"/{marker.kind}"
        if key not in self.indexes:
            if isinstance(marker, Term):
                entries = self.content.vocabularies.get(marker.vocabulary, {})
                names = {slug: entry.libelle for slug, entry in entries.items()}
            else:
                fiches = self.content.fiches[marker.kind]
                names = {slug: fiches[slug].meta.titre if slug in fiches else "" for slug in self.slugs[marker.kind]}
            self.indexes[key] = names_index(names)
        return hint(value, self.indexes[key])


def _reference_problems(fiche: Fiche, slugs: dict[str, set[str]], content: Content, names: Names) -> Iterator[Problem]:
    name = fiche.document.name

    def problem(loc: tuple, message: str) -> Problem:  # positions are looked up only for problems
        line, column = fiche.document.position(loc)
        return error(name, line, column, f"{field_path(loc)} : {message}")

    for loc, value, marker in marked_values(fiche.meta):
        if isinstance(marker, Place):
            continue  # see _place_problems
        if isinstance(marker, Term):
            allowed = content.vocabularies.get(marker.vocabulary, {})
            if allowed and value not in allowed:
                yield problem(
                    loc, f"« {value} » n'est pas dans le vocabulaire {marker.vocabulary}{names.hint(value, marker)}"
                )
            continue
        target_kind = KINDS[marker.kind]
        if value not in slugs[marker.kind]:
            elsewhere = [k for k, known in slugs.items() if value in known and k != marker.kind]
            hint = (
                f" : c'est {KINDS[elsewhere[0]].article} {KINDS[elsewhere[0]].singular}"
                if elsewhere
                else names.hint(value, marker)
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


def _place_problems(fiche: Fiche, territoires: Territoires) -> Iterator[Problem]:
    """Communes and departments the referential does not know, and a structure's department or EPCI that
    disagrees with its commune's."""
    if not territoires:
        return
    document, meta = fiche.document, fiche.meta
    communes = []
    for loc, value, marker in marked_values(meta):
        if not isinstance(marker, Place):
            continue
        if marker.level == "commune":
            if (commune := territoires.commune(value)) is None:
                message = territoires.unknown_commune(value)
                yield error(document.name, *document.position(loc), f"{field_path(loc)} : {message}")
            else:
                communes.append(commune)
        elif territoires.departement(value) is None:
            message = f"aucun département ni collectivité d'outre-mer n'a le numéro « {value} »"
            yield error(document.name, *document.position(loc), f"{field_path(loc)} : {message}")
    single = getattr(meta, "commune", None)
    commune = communes[0] if single and communes else None
    if commune is None:
        return
    department = getattr(meta, "departement", None)
    if department and department != commune.departement and territoires.departement(department) is not None:
        message = (
            f"departement : « {department} », or la commune {commune.code} ({territoires.describe(commune)}) "
            f"est dans le département « {commune.departement} »"
        )
        yield error(document.name, *document.position(("departement",)), message)
    epci_name, epci = getattr(meta, "epci", None), territoires.epci(commune.epci)
    if epci_name and epci is not None and fold(epci_name) != fold(epci.nom):
        message = f"epci : « {epci_name} », or la commune {commune.code} appartient à « {epci.nom} » (référentiel)"
        yield warning(document.name, *document.position(("epci",)), message)


def _file_problems(fiche: Fiche, content_dir: Path) -> Iterator[Problem]:
    attachments = getattr(fiche.meta, "fichiers", [])
    if not attachments:
        return
    folder = (content_dir / "outils" / "fichiers").resolve()
    for index, attached in enumerate(attachments):
        if safety.HIDING.search(attached.chemin):
            continue  # an invisible character, reported as such
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


def _image_problems(document: Document, images: list[safety.Image], content_dir: Path) -> Iterator[Problem]:
    """The images of the repository a body shows: in content/images/, of an image format, there, not too heavy."""
    folder = (content_dir / safety.IMAGES).resolve()
    for image in images:
        line, column = safety.line_column(document.body, image.offset)
        line += document.body_line - 1
        shown = image.address if len(image.address) <= 80 else image.address[:79] + "…"

        def problem(message: str, line: int = line, column: int = column) -> Problem:
            return error(document.name, line, column, message)

        try:
            target = (content_dir / document.kind / image.path).resolve()
            size = target.stat().st_size if target.is_file() else None
        except (OSError, ValueError):  # a NUL byte, a name too long for the system…
            yield problem(f"chemin d'image invalide « {shown} »")
            continue
        suffix = target.suffix.lower()
        if not target.is_relative_to(folder):
            yield problem(
                f"image « {shown} » hors du dossier content/{safety.IMAGES}/ : placez-la dans ce dossier et "
                f"écrivez ![description](../{safety.IMAGES}/{target.name})"
            )
        elif suffix not in safety.IMAGE_TYPES:
            formats = ", ".join(dict.fromkeys(safety.IMAGE_TYPES.values()))
            yield problem(f"format « {suffix or 'sans extension'} » refusé pour une image : {formats}")
        elif size is None:
            where = target.relative_to(content_dir.resolve()).as_posix()
            yield problem(f"image « {shown} » introuvable : ajoutez le fichier content/{where}")
        elif size > safety.IMAGE_MAX_BYTES:
            yield problem(
                f"image « {shown} » trop lourde : {-(-size // 1024)} Kio, {safety.IMAGE_MAX_BYTES // 1024} Kio au "
                "plus ; réduisez ses dimensions ou sa qualité"
            )


def title_letters(title: str) -> bytes:
    """The letters and digits of a title's slug, in order, without its hyphens: two titles with one slug have
    the same. A third of the cost of `slugify`, as the accents are dropped in C (test_safety checks the two
    agree on every character)."""
    if not title.isascii():
        if LIGATURE.search(title):
            title = title.translate(LIGATURES)
        title = unicodedata.normalize("NFKD", title)
    return NOT_SLUG_BYTES.sub(b"", title.casefold().encode("ascii", "ignore"))


def _same_title_and_porteur(content: Content) -> Iterator[Problem]:
    """A warning on each of two fiches of a kind with the same title (by its slug) and the same porteur: one
    fiche written twice? Titles are compared by their letters first, by their slug where those agree."""
    groups: dict[tuple[str, str, bytes], list[Fiche]] = {}
    for fiche in content.all():
        meta = fiche.meta
        if (porteur := getattr(meta, "porteur", None)) is not None:
            groups.setdefault((fiche.kind, porteur, title_letters(meta.titre)), []).append(fiche)
    for (_, porteur, _), candidates in groups.items():
        if len(candidates) < 2:
            continue
        by_slug: dict[str, list[Fiche]] = {}
        for fiche in candidates:
            by_slug.setdefault(slugify(fiche.meta.titre, max_length=FULL_SLUG), []).append(fiche)
        for fiches in by_slug.values():
            for fiche in fiches if len(fiches) > 1 else ():
                others = ", ".join(other.document.name for other in fiches if other is not fiche)
                yield warning(
                    fiche.document.name,
                    *fiche.document.position(("titre",)),
                    f"même titre et même porteur (« {porteur} ») que {others} : une même fiche écrite deux fois ?",
                )


class CheckCache:
    """What `check` made of each file, reused while the file keeps its size and modification time: under
    `mkdocs serve`, an edit reads and validates one fiche again, not all of them. Slugs, references and
    everything else between fiches are checked again every time."""

    def __init__(self) -> None:
        self.stamps: dict[Path, tuple[int, int]] = {}
        self.results: dict[Path, tuple[Document, Checked]] = {}

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


def validate(
    documents: Iterable[Document],
    content: Content,
    cache: CheckCache | None = None,
    unreadable: set[tuple[str, str]] | None = None,
) -> None:
    """Validate `documents` into `content.fiches`, appending every problem to `content.problems`.

    Each document's raw data is let go once its model holds it. The fiches in `unreadable` (kind, slug)
    exist but could not be read: references to them are not errors too.
    """
    seen: dict[tuple[str, str], Document] = {}
    pending: list[tuple[Document, Checked]] = []
    for document in documents:
        name = document.name
        if not SLUG.match(document.slug):
            hidden = safety.invisible_in(document.slug)
            why = f"{safety.describe(hidden)} : retirez-le" if hidden else "minuscules sans accents, chiffres et tirets"
            content.problems.append(
                error(
                    name,
                    1,
                    1,
                    f"nom de fichier invalide « {safety.visible(document.path.name)} » : {why} "
                    "(ex. epicerie-solidaire.md)",
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
            checked = cached[1]
        else:
            checked = _validate_file(document, content.territoires)
            if cache is not None:
                cache.results[document.path] = (document, checked)
        if checked.meta is not None:
            content.fiches[document.kind][document.slug] = Fiche(
                document.kind, document.slug, checked.meta, document.body, document
            )
        content.problems.extend(checked.problems)
        if checked.unresolved or checked.images:
            pending.append((document, checked))

    slugs = {kind: set() for kind in KINDS}
    for kind, slug in [*seen, *(unreadable or ())]:
        slugs[kind].add(slug)
    names = Names(content, slugs)
    for document, checked in pending:
        for item in checked.unresolved:
            message = item.message + names.hint(item.value, item.marker)
            content.problems.append(error(document.name, item.line, item.column, message))
        content.problems.extend(_image_problems(document, checked.images, content.root))
    for fiche in content.all():
        content.problems.extend(_reference_problems(fiche, slugs, content, names))
        content.problems.extend(_place_problems(fiche, content.territoires))
        content.problems.extend(_file_problems(fiche, content.root))
        if fiche.published and not fiche.meta.exemple and not fiche.meta.sources:
            content.problems.append(
                warning(
                    fiche.document.name,
                    *fiche.document.position(("etat",)),
                    "fiche publiée sans source : citez les documents qui la fondent dans « sources »",
                )
            )
    content.problems.extend(_same_title_and_porteur(content))


def _validate_file(document: Document, territoires: Territoires) -> Checked:
    """What one document alone tells: its model (None if invalid), its problems, what the corpus must finish."""
    model = KINDS[document.kind].model
    checked = Checked(None)
    if "\\" in document.front:  # escapes in quoted text may write what the file's bytes do not show
        for loc, char in _escaped(document.data):
            line, column = document.position(loc)
            message = f"{field_path(loc)} : {safety.describe(char)}, écrit sous forme d'échappement : retirez-le"
            checked.problems.append(error(document.name, line, column, message))
    try:
        checked.meta = model.model_validate(document.data)
    except ValidationError as exc:
        _type_problems(exc, document, model, territoires, checked)
    else:
        document.data = None
    if document.hidden:
        checked.problems.extend(_hidden_problems(document))
    body = document.body
    checked.problems.extend(body_problems(body, document.body_line, document.name))
    if "<" in body or "{" in body or "![" in body:  # else nothing a browser would load (most bodies)
        refused, checked.images = safety.body_resources(body)
        for offset, message in refused:
            line, column = safety.line_column(body, offset)
            checked.problems.append(error(document.name, line + document.body_line - 1, column, message))
    return checked


def check(content_dir: Path, cache: CheckCache | None = None) -> Content:
    """Load and validate a whole content folder; never raises for bad content.

    With a `cache` (kept from the previous check), unchanged files are neither read nor validated again.
    """
    with collector_paused():
        vocabularies, problems = load_vocabularies(content_dir)
        territoires = load_territoires(content_dir)
        content = Content(content_dir, {kind: {} for kind in KINDS}, vocabularies, territoires, problems)
        content.synonymes, synonym_problems = load_synonyms(content_dir)
        content.problems.extend(synonym_problems)
        unreadable: set[tuple[str, str]] = set()
        documents: Iterable[Document] = each_document(
            content_dir, content.problems, cache.document if cache is not None else None, unreadable
        )
        if cache is not None:
            documents = list(documents)
            cache.keep_only({document.path for document in documents})  # files removed or now unreadable
        validate(documents, content, cache, unreadable)
        content.problems.extend(content.territoires.problems)  # the files of the referential read so far
        content.problems.extend(repeated_paragraphs(content.all()))
        content.problems.sort()
        # Every problem has its line now: the node trees that located them are let go, and the text they
        # were composed from unless a cache may need lines again.
        for fiche in content.all():
            fiche.document.node = None
            if cache is None:
                fiche.document.front = ""
        return content
