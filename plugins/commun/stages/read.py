"""Stage 1, load: read content files safely into documents that remember where each value was written.

Nothing here trusts its input: size, encoding, YAML tags and aliases are all checked, and every
failure becomes a `ContentError` with a French message, a file and a line.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import yaml

from ..core.corpus import Entry, Sigle, Vocabularies, display
from ..core.kinds import KINDS
from ..core.problems import ContentError, Problem, error, field_path, warning
from ..core.territoires import FOLDER as TERRITOIRES
from ..core.territoires import Territoires
from . import safety

try:
    from yaml import CSafeLoader as SafeLoader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader  # type: ignore[assignment]

MAX_BYTES = 1024 * 1024
MAX_DEPTH = 50  # fiches nest a few levels; much deeper nesting is an attack on the parser
NESTING_SIGNS = "[{-?\n"  # every level of YAML nesting costs at least one of these characters
VOCABULARIES = ("thematiques", "publics")
FRONT_MATTER_END = re.compile(r"^---[ \t]*$", re.MULTILINE)

YAML_MESSAGES = {
    "could not find expected ':'": "« : » attendu après une clé",
    "mapping values are not allowed here": (
        "« : » inattendu ici (mettez la valeur entre guillemets si elle contient « : »)"
    ),
    "found character '\\t' that cannot start any token": "tabulation interdite : indentez avec des espaces",
    "found a tab character that violates indentation": "tabulation interdite : indentez avec des espaces",
    "found undefined alias": "alias YAML inconnu",
    "found unhashable key": "une clé doit être un texte simple",
    "expected <block end>, but found '-'": "liste mal indentée",
    "expected <block end>, but found '<block mapping start>'": "indentation incohérente",
    "expected <block end>, but found '<scalar>'": "indentation incohérente",
    "found unexpected end of stream": "guillemet ou crochet non refermé",
    "found unknown escape character": "séquence d'échappement inconnue entre guillemets",
    "expected ',' or ']', but got": "crochet « ] » attendu",
    "expected ',' or '}', but got": "accolade « } » attendue",
    # The same problems as worded by libyaml (the C parser used when available).
    "mapping values are not allowed in this context": (
        "« : » inattendu ici (mettez la valeur entre guillemets si elle contient « : »)"
    ),
    "found character that cannot start any token": (
        "caractère interdit en début de valeur (tabulation, « @ » ou « ` ») : "
        "indentez avec des espaces et mettez la valeur entre guillemets"
    ),
    "did not find expected key": (
        "ligne mal indentée ou texte en trop après une valeur entre guillemets : une ligne « clé: valeur » est attendue"
    ),
    "did not find expected '-' indicator": "liste mal indentée : chaque élément commence par « - » au même retrait",
    "did not find expected ',' or ']'": "crochet « ] » attendu",
    "did not find expected ',' or '}'": "accolade « } » attendue",
    "did not find expected node content": "valeur attendue",
    "found unexpected ':'": (
        "« : » inattendu dans une liste entre crochets ou un bloc entre accolades : "
        "mettez la valeur entre guillemets"
    ),
    "did not find expected <document start>": (
        "texte inattendu après une ligne « ... » ou une directive « % » : retirez cette ligne"
    ),
    "did not find expected alphabetic or numeric character": (
        "« & » ou « * » en début de valeur : mettez la valeur entre guillemets"
    ),
    "found undefined tag handle": "étiquette YAML inconnue : écrivez une valeur simple",
    "but found another document": "une seule suite de champs attendue : retirez la ligne « --- » en trop",
    "second occurrence": "les alias YAML (&ancre, *alias) ne sont pas acceptés : recopiez la valeur",
    "found incompatible YAML document": "directive YAML (« % ») interdite",
    "found unknown directive name": "directive YAML (« % ») interdite",
    "found duplicate %YAML directive": "directive YAML (« % ») interdite",
    "found duplicate %TAG directive": "directive YAML (« % ») interdite",
    "could not find expected directive name": "directive YAML (« % ») interdite",
    "found unexpected non-alphabetical character": "directive YAML (« % ») interdite",
    "did not find expected digit or '.' character": "directive YAML (« % ») interdite",
    "found extremely long version number": "directive YAML (« % ») interdite",
    "mapping keys are not allowed in this context": "« ? » inattendu ici : mettez la valeur entre guillemets",
    "block sequence entries are not allowed in this context": (
        "« - » inattendu ici : un élément de liste commence une ligne, sinon mettez la valeur entre guillemets"
    ),
    "found unexpected document indicator": "ligne « --- » ou « ... » dans une valeur entre guillemets",
    "did not find expected hexdecimal number": "séquence d'échappement inconnue entre guillemets",
    "found invalid Unicode character escape code": "séquence d'échappement inconnue entre guillemets",
    "found a tab character where an indentation space is expected": (
        "tabulation interdite : indentez avec des espaces"
    ),
    "found an indentation indicator equal to 0": "indentation « 0 » interdite après « | » ou « > »",
    "did not find expected comment or line break": "texte inattendu en fin de ligne",
    "did not find expected whitespace or line break": "espace attendue après l'étiquette ou la directive",
    "did not find expected tag URI": "étiquette YAML (« ! ») mal formée : écrivez une valeur simple",
    "did not find URI escaped octet": "étiquette YAML (« ! ») mal formée : écrivez une valeur simple",
    "found an incorrect leading UTF-8 octet": "étiquette YAML (« ! ») mal formée : écrivez une valeur simple",
    "found an incorrect trailing UTF-8 octet": "étiquette YAML (« ! ») mal formée : écrivez une valeur simple",
    "did not find the expected '>'": "étiquette YAML (« ! ») mal formée : écrivez une valeur simple",
    "did not find expected '!'": "étiquette YAML (« ! ») mal formée : écrivez une valeur simple",
}

UNBUILDABLE = {
    "tag:yaml.org,2002:timestamp": "date invalide « {value} » : écrivez-la AAAA-MM-JJ avec une date qui existe",
    "tag:yaml.org,2002:int": "nombre illisible ou trop long « {value} »",
    "tag:yaml.org,2002:float": "nombre illisible « {value} »",
}


@dataclass(slots=True)
class Document:
    """One content file, parsed but not yet validated; `data` leaves out keys written without a value.

    The YAML node tree that locates values is not kept (it weighs twenty times the text): `position`
    composes it again from `front`, the fields' text, for the rare file that has something to report.
    """

    path: Path
    kind: str
    slug: str
    data: Any
    body: str = ""
    body_line: int = 0
    node: yaml.Node | None = field(default=None, repr=False)
    line_offset: int = 0
    front: str = field(default="", repr=False)
    hidden: list[tuple[int, int, str]] = field(default_factory=list, repr=False)
    """Line, column and character of each invisible character refused in the file (bidirectional controls)."""
    name: str = field(init=False, repr=False)
    """The path as messages show it."""

    def __post_init__(self) -> None:
        self.name = display(self.path)

    def _tree(self) -> yaml.Node | None:
        if self.node is None and self.front:
            loader = _Loader(self.front)
            try:
                self.node = loader.get_single_node()  # the text was parsed once already: it composes
            finally:
                loader.dispose()
        return self.node

    def _find(self, loc: tuple[str | int, ...], key: bool) -> tuple[yaml.Node | None, bool]:
        """The node at `loc` (its key node with `key`), or the nearest parent found and False."""
        node = self._tree()
        for part in loc:
            child = None
            if isinstance(node, yaml.MappingNode):
                for key_node, value_node in node.value:
                    if key_node.value == str(part):
                        child = key_node if key and part == loc[-1] else value_node
                        break
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
                child = node.value[part]
            if child is None:
                return node, False
            node = child
        return node, True

    def _at(self, node: yaml.Node | None) -> tuple[int, int]:
        line, column = (node.start_mark.line, node.start_mark.column) if node else (0, 0)
        return line + 1 + self.line_offset, column + 1

    def position(self, loc: tuple[str | int, ...], *, key: bool = False) -> tuple[int, int]:
        """Line and column (1-based) of the value at `loc`, or of its key; the nearest known parent otherwise."""
        return self._at(self._find(loc, key)[0])

    def written(self, loc: tuple[str | int, ...]) -> tuple[int, int] | None:
        """Line and column of the key at `loc` if the file writes it (even without a value), else None."""
        node, found = self._find(loc, True)
        return self._at(node) if found else None

    def field_at(self, line: int, column: int) -> tuple[str | int, ...]:
        """The field written at a line and column of the file (its key or its value), `()` outside any."""
        mark = (line - 1 - self.line_offset, column - 1)
        node, loc = self._tree(), ()
        while True:
            pairs = (
                node.value
                if isinstance(node, yaml.MappingNode)
                else list(enumerate(node.value))
                if isinstance(node, yaml.SequenceNode)
                else []
            )
            for key_node, value_node in pairs:
                start = key_node if isinstance(key_node, yaml.Node) else value_node
                within = (start.start_mark.line, start.start_mark.column) <= mark
                if within and mark < (value_node.end_mark.line, value_node.end_mark.column):
                    part = key_node.value if isinstance(key_node, yaml.Node) else key_node
                    node, loc = value_node, (*loc, part)
                    break
            else:
                return loc


def read_text(path: Path) -> str:
    """Read a content file as text: at most 1 MiB, UTF-8 (a BOM is dropped), line ends made `\\n`.

    A control character (NUL, escape…) is an error at its line: such a file is not a text.
    """
    return _read(path)[0]


def _read(path: Path) -> tuple[str, bool]:
    """The text of a content file, and whether it may hold invisible characters (see `read_text`)."""
    with path.open("rb") as stream:
        raw = stream.read(MAX_BYTES + 1)
        if len(raw) > MAX_BYTES:
            size = os.fstat(stream.fileno()).st_size
            message = f"fichier trop gros ({size // 1024} Kio, 1 024 Kio au plus)"
            raise ContentError([error(display(path), 1, 1, message)])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ContentError(
            [error(display(path), line, column, "caractère illisible : enregistrez le fichier en UTF-8")]
        ) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    suspect = safety.may_hide(raw)  # most files hold none: the text is not searched
    if suspect:
        controls = [(index, char) for index, char in safety.hiding(text) if safety.is_control(char)]
        if controls:
            raise ContentError(
                error(display(path), *safety.line_column(text, index), f"{safety.describe(char)} : retirez-le")
                for index, char in controls[:20]
            )
    if text.isspace() or not text:
        raise ContentError([error(display(path), 1, 1, "fichier vide")])
    return text, suspect


def _yaml_message(exc: yaml.YAMLError) -> str:
    problem = getattr(exc, "problem", None) or str(exc)
    if "could not determine a constructor for the tag" in problem:
        tag = problem.rsplit(" ", 1)[-1].strip("'").replace("tag:yaml.org,2002:", "!!")
        return f"étiquette YAML « {tag} » interdite : écrivez une valeur simple"
    for english, french in YAML_MESSAGES.items():
        if problem.startswith(english):
            return french
    if isinstance(exc, yaml.constructor.ConstructorError):
        return "valeur illisible : retirez l'étiquette YAML (« !! ») et écrivez une valeur simple"
    return "syntaxe YAML invalide : vérifiez les guillemets, les « : » et l'indentation à cet endroit"


def _too_deep(text: str) -> yaml.Mark | None:
    """Where nesting passes MAX_DEPTH, read from the parser's events before any node is built.

    libyaml composes nodes recursively (tens of thousands of levels crash the process) and slows
    down quadratically with depth, so depth is measured first, but only in texts with enough
    nesting signs to be deep at all: ordinary fiches never pay for it.
    """
    if sum(map(text.count, NESTING_SIGNS)) <= 20 * MAX_DEPTH:
        return None
    loader = SafeLoader(text)
    depth = 0
    try:
        while (event := loader.get_event()) is not None and not isinstance(event, yaml.StreamEndEvent):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    return event.start_mark
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.MarkedYAMLError as exc:
        # Recent libyaml stops at its own depth limit while scanning ahead, before any event.
        if "nesting depth" in (exc.problem or "") and exc.problem_mark is not None:
            return exc.problem_mark
        raise
    finally:
        loader.dispose()
    return None


def _unbuildable(node: yaml.Node) -> tuple[yaml.Node, str]:
    """The first value that cannot be built (a number too long, a date under an explicit tag…), and why,
    naming its field."""
    constructor = yaml.constructor.SafeConstructor()
    stack: list[tuple[yaml.Node, tuple[str | int, ...]]] = [(node, ())]
    while stack:
        current, loc = stack.pop()
        if isinstance(current, yaml.ScalarNode):
            try:
                constructor.construct_object(current)
            except Exception:
                value = current.value if len(current.value) <= 40 else current.value[:40] + "…"
                template = UNBUILDABLE.get(
                    current.tag, "valeur illisible « {value} » : retirez l'étiquette YAML et écrivez une valeur simple"
                )
                message = template.format(value=value)
                return current, f"{field_path(loc)} : {message}" if loc else message
        elif isinstance(current, yaml.MappingNode):
            for key_node, value_node in reversed(current.value):
                stack.append((value_node, (*loc, key_node.value)))
                stack.append((key_node, loc))
        elif isinstance(current, yaml.SequenceNode):
            stack.extend((item, (*loc, index)) for index, item in reversed(list(enumerate(current.value))))
    return node, "valeur YAML illisible : écrivez des valeurs simples"


def _shared_node(node: yaml.Node) -> yaml.Node | None:
    """The first node reached twice, that is through an alias, found without expanding the aliases."""
    seen: set[int] = set()
    stack = [node]
    while stack:
        current = stack.pop()
        if id(current) in seen:
            return current
        seen.add(id(current))
        if isinstance(current, yaml.MappingNode):
            for key_node, value_node in current.value:
                stack.append(key_node)
                stack.append(value_node)
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)
    return None


STR_TAG = "tag:yaml.org,2002:str"
MAP_TAG = "tag:yaml.org,2002:map"
SEQ_TAG = "tag:yaml.org,2002:seq"
NULL_TAG = "tag:yaml.org,2002:null"
TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
SCALAR_TAGS = frozenset(f"tag:yaml.org,2002:{name}" for name in ("null", "bool", "int", "float", "timestamp"))


def _bad_key(node: yaml.Node) -> tuple[yaml.Node, str] | None:
    """A key written twice or that is not a name (`1:`, `yes:`, `~:`, `<<:`), or nesting too deep."""
    stack = [(node, 1)]
    while stack:
        current, depth = stack.pop()
        if depth > MAX_DEPTH:
            return current, f"imbrication trop profonde (plus de {MAX_DEPTH} niveaux)"
        if isinstance(current, yaml.MappingNode):
            keys: set[str] = set()
            for key_node, value_node in current.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    return key_node, "une clé doit être un texte simple"
                if key_node.tag != STR_TAG:
                    value = key_node.value
                    return key_node, f"clé « {value} » invalide : une clé est un texte (nom de champ, ou \"{value}\")"
                if key_node.value in keys:
                    return key_node, f"clé « {key_node.value} » écrite deux fois"
                keys.add(key_node.value)
                stack.append((value_node, depth + 1))
        elif isinstance(current, yaml.SequenceNode):
            stack.extend((child, depth + 1) for child in current.value)
    return None


class _Loader(SafeLoader):
    """The safe loader, made cheaper where libyaml calls back into Python for every node.

    Fiches repeat the same keys and values, and PyYAML's resolver tries a list of regular
    expressions on each plain scalar: their tags are remembered. Quoted scalars and collections
    get their default tag directly. The path-resolver hooks, unused here, become built-ins that
    accept the same arguments and do nothing, sparing two Python calls per node.
    """

    tags: ClassVar[dict[str, str]] = {}
    descend_resolver = slice  # called as (parent, index)
    ascend_resolver = tuple  # called without arguments

    def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is not yaml.ScalarNode:
            return MAP_TAG if kind is yaml.MappingNode else SEQ_TAG
        if not implicit[0]:
            return STR_TAG
        tag = self.tags.get(value)
        if tag is None:
            tag = super().resolve(kind, value, implicit)
            if len(value) <= 64:
                if len(self.tags) >= 100_000:
                    self.tags.clear()
                self.tags[value] = tag
        return tag


class _Unusual(Exception):
    """A node `_build` leaves to PyYAML's constructor (explicit collection tags, unknown tags)."""


def _build(node: yaml.Node, loader: Any, empty_keys: bool, depth: int = 1) -> Any:
    """The data of a node tree checked by `_shared_node`, several times faster than PyYAML's constructor:
    text is taken as is, other scalars use PyYAML's own constructors, so values are the same.

    Whatever `_bad_key` would refuse (a key that is not text, a key written twice, nesting too deep)
    stops it with `_Unusual`, so that `_bad_key` walks only the trees that have something to report.
    Without `empty_keys`, keys left without a value are dropped, as `without_empty` does.
    """
    if depth > MAX_DEPTH:
        raise _Unusual
    kind = node.__class__
    if kind is yaml.ScalarNode:
        if node.tag == STR_TAG:
            return node.value
        if node.tag not in SCALAR_TAGS:
            raise _Unusual
        if node.tag == TIMESTAMP_TAG:
            try:
                return loader.yaml_constructors[TIMESTAMP_TAG](loader, node)
            except ValueError:  # a date that does not exist (2024-13-01): the model says so, naming the field
                return node.value
        return loader.yaml_constructors[node.tag](loader, node)
    if kind is yaml.MappingNode and node.tag == MAP_TAG:
        data = {}
        empty = False
        for key, value in node.value:
            if key.__class__ is not yaml.ScalarNode or key.tag != STR_TAG:
                raise _Unusual
            if value.__class__ is yaml.ScalarNode and value.tag == STR_TAG:  # most values: spare a call
                data[key.value] = value.value
            elif value.__class__ is yaml.ScalarNode and value.tag == NULL_TAG:
                data[key.value] = None
                empty = True
            else:
                data[key.value] = _build(value, loader, empty_keys, depth + 1)
        if len(data) != len(node.value):
            raise _Unusual
        if empty and not empty_keys:
            return {key: value for key, value in data.items() if value is not None}
        return data
    if kind is yaml.SequenceNode and node.tag == SEQ_TAG:
        return [
            item.value
            if item.__class__ is yaml.ScalarNode and item.tag == STR_TAG
            else _build(item, loader, empty_keys, depth + 1)
            for item in node.value
        ]
    raise _Unusual


def without_empty(data: Any) -> Any:
    """Drop keys left without a value (`cle:`): an empty key means « not filled in », as in the templates."""
    if isinstance(data, dict):
        return {key: without_empty(value) for key, value in data.items() if value is not None}
    if isinstance(data, list):
        return [without_empty(item) for item in data]
    return data


def parse_yaml(
    text: str, name: str, line_offset: int = 0, *, empty_keys: bool = True
) -> tuple[Any, yaml.Node | None]:
    """Parse one YAML document safely; returns the data and the node tree that locates it.

    With `empty_keys=False`, keys left without a value are left out of the data (see `without_empty`).
    """
    loader = _Loader(text)
    node = None
    try:
        if (deep := _too_deep(text)) is not None:
            raise ContentError(
                [
                    error(
                        name,
                        deep.line + 1 + line_offset,
                        deep.column + 1,
                        f"imbrication trop profonde (plus de {MAX_DEPTH} niveaux)",
                    )
                ]
            )
        node = loader.get_single_node()
        if node is None:
            return None, None
        if "*" in text and (shared := _shared_node(node)) is not None:
            mark = shared.start_mark
            raise ContentError(
                [
                    error(
                        name,
                        mark.line + 1 + line_offset,
                        mark.column + 1,
                        "les alias YAML (&ancre, *alias) ne sont pas acceptés : recopiez la valeur",
                    )
                ]
            )
        try:
            return _build(node, loader, empty_keys), node
        except (_Unusual, ValueError, TypeError, ArithmeticError, AttributeError, LookupError) as exc:
            if (bad := _bad_key(node)) is not None:
                mark = bad[0].start_mark
                raise ContentError([error(name, mark.line + 1 + line_offset, mark.column + 1, bad[1])]) from None
            if not isinstance(exc, _Unusual):
                raise
        data = loader.construct_document(node)
        return (data if empty_keys else without_empty(data)), node
    except yaml.MarkedYAMLError as exc:
        # An unclosed quote or a key without « : » is shown where it starts, not where the parser gave up.
        starts = exc.context in ("while scanning a quoted scalar", "while scanning a simple key")
        mark = (exc.context_mark if starts else None) or exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise ContentError([error(name, line + line_offset, column, _yaml_message(exc))]) from None
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        message = f"caractère de contrôle interdit (U+{exc.character:04X}) : retirez-le"
        raise ContentError([error(name, line + line_offset, column, message)]) from None
    except yaml.YAMLError as exc:
        raise ContentError([error(name, 1 + line_offset, 1, _yaml_message(exc))]) from None
    except (ValueError, TypeError, ArithmeticError, AttributeError, LookupError):  # a value PyYAML cannot build
        culprit, message = _unbuildable(node) if node is not None else (None, "valeur YAML illisible")
        mark = culprit.start_mark if culprit is not None else None
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise ContentError([error(name, line + line_offset, column, message)]) from None
    finally:
        loader.dispose()


def split_front_matter(text: str, name: str) -> tuple[str, str, int]:
    """Split a Markdown fiche into its YAML front matter, its body and the body's first line."""
    if not text.startswith("---") or text.split("\n", 1)[0].rstrip() != "---":
        raise ContentError([error(name, 1, 1, "la fiche doit commencer par une ligne « --- » suivie de ses champs")])
    start = text.index("\n") + 1 if "\n" in text else len(text)
    end = FRONT_MATTER_END.search(text, start)
    if end is None:
        raise ContentError([error(name, 1, 1, "en-tête non refermé : ajoutez une ligne « --- » après les champs")])
    front = text[start : end.start()]
    body_start = end.end() + 1
    body_line = text.count("\n", 0, body_start) + 1
    return front, text[body_start:], body_line


def load_document(path: Path, kind: str) -> Document:
    document = Document(path, kind, path.stem, None)
    name = document.name
    text, suspect = _read(path)
    if path.suffix == ".md":
        front, body, body_line = split_front_matter(text, name)
        offset = 1
    else:
        front, body, body_line, offset = text, "", 0, 0
    data, _ = parse_yaml(front, name, offset, empty_keys=False)
    if not isinstance(data, dict):
        what = "vide" if data is None else "une liste ou une valeur seule"
        raise ContentError(
            [error(name, 1 + offset, 1, f"l'en-tête est {what} : il doit être une suite de lignes « clé: valeur »")]
        )
    document.data, document.body, document.body_line, document.line_offset, document.front = (
        data,
        body,
        body_line,
        offset,
        front,
    )
    if suspect:
        document.hidden = [(*safety.line_column(text, index), char) for index, char in safety.hiding(text)]
    return document


def hidden_problems(text: str, shown: str) -> list[Problem]:
    """An error at each bidirectional control of a text that is read whole (a vocabulary, the synonyms)."""
    return [
        error(shown, *safety.line_column(text, index), f"{safety.describe(char)} : retirez-le")
        for index, char in safety.hiding(text)
    ]


def content_files(content_dir: Path) -> Iterator[tuple[str, Path]]:
    """Every fiche file, by kind, in a stable order (by name; `scandir` spares a `stat` per file)."""
    for kind in KINDS:
        folder = content_dir / kind
        if folder.is_dir():
            with os.scandir(folder) as entries:
                names = sorted(entry.name for entry in entries if entry.is_file())
            for name in names:
                yield kind, folder / name


def each_document(
    content_dir: Path,
    problems: list[Problem],
    reuse: Callable[[Path], Document | None] | None = None,
    unreadable: set[tuple[str, str]] | None = None,
) -> Iterator[Document]:
    """Every fiche, one file at a time; a broken file is reported in `problems` and skipped, so that all
    problems show in one run. A caller that validates each document as it comes never holds the raw data
    of every file at once. `reuse` may give a file's document without reading it again (see
    validate.CheckCache). The kind and slug of each file skipped go to `unreadable`: references to it are
    not reported as well."""
    for folder in sorted(p for p in content_dir.iterdir() if p.is_dir()):
        if folder.name not in KINDS and folder.name not in ("vocabulaires", safety.IMAGES):
            problems.append(warning(display(folder), 1, 1, "dossier inconnu, ignoré"))
    for kind, path in content_files(content_dir):
        if path.suffix not in (".md", ".yml"):
            if path.suffix == ".yaml":
                problems.append(error(display(path), 1, 1, "extension « .yaml » : renommez le fichier en « .yml »"))
            elif not path.name.startswith("."):
                problems.append(warning(display(path), 1, 1, "fichier ignoré : une fiche se termine par .md ou .yml"))
            continue
        if reuse is not None and (document := reuse(path)) is not None:
            yield document
            continue
        try:
            yield load_document(path, kind)
            continue
        except ContentError as exc:
            problems.extend(exc.problems)
        except OSError as exc:
            problems.append(error(display(path), 1, 1, f"lecture impossible ({exc.strerror})"))
        if unreadable is not None:
            unreadable.add((kind, path.stem))
    _Loader.tags.clear()  # remembered for the files of one folder, not for the life of the process


def load_vocabularies(content_dir: Path) -> tuple[Vocabularies, list[Problem]]:
    """The allowed values of theme and public fields, read from `vocabulaires/<name>.yml`."""
    vocabularies: Vocabularies = {}
    problems: list[Problem] = []
    for name in VOCABULARIES:
        path = content_dir / "vocabulaires" / f"{name}.yml"
        vocabularies[name] = {}
        shown = display(path)
        if not path.is_file():
            problems.append(error(shown, 1, 1, f"vocabulaire « {name} » introuvable"))
            continue
        try:
            text, suspect = _read(path)
            data, node = parse_yaml(text, shown)
        except ContentError as exc:
            problems.extend(exc.problems)
            continue
        if suspect:
            problems.extend(hidden_problems(text, shown))
        document = Document(path, "vocabulaires", name, data, node=node)
        if not isinstance(data, dict):
            problems.append(error(shown, 1, 1, "le vocabulaire doit associer chaque identifiant à un libellé"))
            continue
        for slug, value in data.items():
            line, column = document.position((slug,), key=True)
            if isinstance(slug, str) and (char := safety.invisible_in(slug)) is not None:
                shown_slug = safety.visible(slug)
                message = f"{safety.describe(char)} dans l'identifiant « {shown_slug} » : retirez-le"
                problems.append(error(shown, line, column, message))
            elif not isinstance(slug, str) or not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", slug):
                problems.append(
                    error(shown, line, column, f"identifiant invalide « {slug} » : minuscules, chiffres, tirets")
                )
            elif not isinstance(value, dict) or not isinstance(value.get("libelle"), str):
                problems.append(error(shown, line, column, f"« {slug} » : « libelle » (texte) attendu"))
            else:
                vocabularies[name][slug] = Entry(slug, value["libelle"], str(value.get("description") or ""))
    return vocabularies, problems


def load_territoires(content_dir: Path) -> Territoires:
    """The referential of communes, EPCIs and departments (`vocabulaires/territoires/`), read as fiches need it;
    without it (a small test folder), codes are checked for their form only."""
    return Territoires(content_dir / TERRITOIRES, display)


SIGLE_PATTERN = re.compile(r"[A-ZÀ-Ý0-9][A-ZÀ-Ý0-9&'.-]*")
YAML_STR = "tag:yaml.org,2002:str"


def _forms(raw: str, value_node: yaml.Node, shown: str) -> tuple[list[str], Problem | None]:
    """The expansions written for one acronym: a text or a list of texts."""
    items = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
    forms = []
    for item in items or [value_node]:
        text = item.value.strip() if isinstance(item, yaml.ScalarNode) and item.tag == YAML_STR else ""
        if not text:
            mark = item.start_mark
            message = f"« {raw} » : forme développée attendue (un texte, ou une liste de textes)"
            return [], error(shown, mark.line + 1, mark.column + 1, message)
        forms.append(text)
    return forms, None


def load_synonyms(content_dir: Path) -> tuple[list[Sigle], list[Problem]]:
    """Acronyms ↔ expansions for search, from the optional `vocabulaires/synonymes.yml` (`SIGLE: forme`)."""
    path = content_dir / "vocabulaires" / "synonymes.yml"
    if not path.is_file():
        return [], []
    shown = display(path)
    try:
        text, suspect = _read(path)
        data, node = parse_yaml(text, shown)
    except ContentError as exc:
        return [], list(exc.problems)
    hidden = hidden_problems(text, shown) if suspect else []
    if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
        line = node.start_mark.line + 1 if node else 1
        message = "le fichier doit associer chaque sigle à sa forme développée (« SIGLE: forme développée »)"
        return [], [*hidden, error(shown, line, 1, message)]
    sigles: list[Sigle] = []
    problems: list[Problem] = hidden
    owner: dict[str, str] = {}
    for key_node, value_node in node.value:
        line, column = key_node.start_mark.line + 1, key_node.start_mark.column + 1
        raw = str(key_node.value)  # parse_yaml refuses keys that are not texts (`NO:`, `1:`)
        if not SIGLE_PATTERN.fullmatch(raw):
            message = f"sigle invalide « {raw} » : écrivez-le en capitales, sans espace (ex. ABS)"
            problems.append(error(shown, line, column, message))
            continue
        forms, problem = _forms(raw, value_node, shown)
        if problem:
            problems.append(problem)
            continue
        clash = next((owner[v.casefold()] for v in (raw, *forms) if v.casefold() in owner), None)
        if clash is not None:
            message = f"« {raw} » reprend une forme déjà donnée pour le sigle « {clash} » : regroupez-les"
            problems.append(error(shown, line, column, message))
            continue
        owner.update({variant.casefold(): raw for variant in (raw, *forms)})
        sigles.append(Sigle(raw, tuple(forms)))
    return sigles, problems
