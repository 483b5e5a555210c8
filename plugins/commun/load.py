"""Stage 1, load: read content files safely into documents that remember where each value was written.

Nothing here trusts its input: size, encoding, YAML tags and aliases are all checked, and every
failure becomes a `ContentError` with a French message, a file and a line.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .models import KINDS
from .problems import ContentError, Problem, error, warning

try:
    from yaml import CSafeLoader as SafeLoader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader  # type: ignore[assignment]

MAX_BYTES = 1024 * 1024
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
}


@dataclass
class Document:
    """One content file, parsed but not yet validated."""

    path: Path
    kind: str
    slug: str
    data: Any
    body: str = ""
    body_line: int = 0
    node: yaml.Node | None = field(default=None, repr=False)
    line_offset: int = 0

    def position(self, loc: tuple[str | int, ...], *, key: bool = False) -> tuple[int, int]:
        """Line and column (1-based) of the value at `loc`, or of its key; the nearest known parent otherwise."""
        node = self.node
        line, column = (node.start_mark.line, node.start_mark.column) if node else (0, 0)
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
                break
            node = child
            line, column = node.start_mark.line, node.start_mark.column
        return line + 1 + self.line_offset, column + 1


def display(path: Path) -> str:
    """Paths in messages are relative to where the user runs the command, when possible."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def read_text(path: Path) -> str:
    """Read a content file as text: at most 1 MiB, UTF-8 (a BOM is dropped), line ends made `\\n`."""
    name = display(path)
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise ContentError([error(name, 1, 1, f"fichier trop gros ({size // 1024} Kio, 1 024 Kio au plus)")])
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ContentError(
            [error(name, line, column, "caractère illisible : enregistrez le fichier en UTF-8")]
        ) from None
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        raise ContentError([error(name, 1, 1, "le fichier contient des octets nuls : ce n'est pas un texte")])
    if not text.strip():
        raise ContentError([error(name, 1, 1, "fichier vide")])
    return text


def _yaml_message(exc: yaml.YAMLError) -> str:
    problem = getattr(exc, "problem", None) or str(exc)
    if "could not determine a constructor for the tag" in problem:
        tag = problem.rsplit(" ", 1)[-1].strip("'")
        return f"étiquette YAML « {tag} » interdite : écrivez une valeur simple"
    for english, french in YAML_MESSAGES.items():
        if problem.startswith(english):
            return french
    return f"syntaxe YAML invalide ({problem})"


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


def _duplicate_key(node: yaml.Node) -> yaml.Node | None:
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, yaml.MappingNode):
            keys: set[str] = set()
            for key_node, value_node in current.value:
                if isinstance(key_node, yaml.ScalarNode):
                    if key_node.value in keys:
                        return key_node
                    keys.add(key_node.value)
                stack.append(value_node)
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)
    return None


def parse_yaml(text: str, name: str, line_offset: int = 0) -> tuple[Any, yaml.Node | None]:
    """Parse one YAML document safely; returns the data and the node tree that locates it."""
    loader = SafeLoader(text)
    try:
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
        if (duplicate := _duplicate_key(node)) is not None:
            mark = duplicate.start_mark
            raise ContentError(
                [
                    error(
                        name,
                        mark.line + 1 + line_offset,
                        mark.column + 1,
                        f"clé « {duplicate.value} » écrite deux fois",
                    )
                ]
            )
        return loader.construct_document(node), node
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise ContentError([error(name, line + line_offset, column, _yaml_message(exc))]) from None
    except yaml.YAMLError as exc:
        raise ContentError([error(name, 1 + line_offset, 1, _yaml_message(exc))]) from None
    except (ValueError, TypeError, OverflowError) as exc:
        raise ContentError([error(name, 1 + line_offset, 1, f"valeur YAML illisible ({exc})")]) from None
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
    name = display(path)
    text = read_text(path)
    if path.suffix == ".md":
        front, body, body_line = split_front_matter(text, name)
        offset = 1
    else:
        front, body, body_line, offset = text, "", 0, 0
    data, node = parse_yaml(front, name, offset)
    if not isinstance(data, dict):
        what = "vide" if data is None else "une liste ou une valeur seule"
        raise ContentError(
            [error(name, 1 + offset, 1, f"l'en-tête est {what} : il doit être une suite de lignes « clé: valeur »")]
        )
    return Document(path, kind, path.stem, data, body, body_line, node, offset)


def content_files(content_dir: Path) -> Iterator[tuple[str, Path]]:
    """Every fiche file, by kind, in a stable order."""
    for kind in KINDS:
        folder = content_dir / kind
        if folder.is_dir():
            for path in sorted(folder.iterdir()):
                if path.is_file():
                    yield kind, path


def load_documents(content_dir: Path) -> tuple[list[Document], list[Problem]]:
    """Load every fiche; a broken file is reported and skipped so that all problems show in one run."""
    documents: list[Document] = []
    problems: list[Problem] = []
    for folder in sorted(p for p in content_dir.iterdir() if p.is_dir()):
        if folder.name not in KINDS and folder.name != "vocabulaires":
            problems.append(warning(display(folder), 1, 1, "dossier inconnu, ignoré"))
    for kind, path in content_files(content_dir):
        if path.suffix not in (".md", ".yml"):
            if path.suffix == ".yaml":
                problems.append(error(display(path), 1, 1, "extension « .yaml » : renommez le fichier en « .yml »"))
            elif not path.name.startswith("."):
                problems.append(warning(display(path), 1, 1, "fichier ignoré : une fiche se termine par .md ou .yml"))
            continue
        try:
            documents.append(load_document(path, kind))
        except ContentError as exc:
            problems.extend(exc.problems)
        except OSError as exc:
            problems.append(error(display(path), 1, 1, f"lecture impossible ({exc.strerror})"))
    return documents, problems


@dataclass(frozen=True)
class Entry:
    """One value of a vocabulary: a theme or a public."""

    slug: str
    libelle: str
    description: str


Vocabularies = dict[str, dict[str, Entry]]


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
            data, node = parse_yaml(read_text(path), shown)
        except ContentError as exc:
            problems.extend(exc.problems)
            continue
        document = Document(path, "vocabulaires", name, data, node=node)
        if not isinstance(data, dict):
            problems.append(error(shown, 1, 1, "le vocabulaire doit associer chaque identifiant à un libellé"))
            continue
        for slug, value in data.items():
            line, column = document.position((slug,), key=True)
            if not isinstance(slug, str) or not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", slug):
                problems.append(
                    error(shown, line, column, f"identifiant invalide « {slug} » : minuscules, chiffres, tirets")
                )
            elif not isinstance(value, dict) or not isinstance(value.get("libelle"), str):
                problems.append(error(shown, line, column, f"« {slug} » : « libelle » (texte) attendu"))
            else:
                vocabularies[name][slug] = Entry(slug, value["libelle"], str(value.get("description") or ""))
    return vocabularies, problems


@dataclass(frozen=True)
class Commune:
    code: str
    nom: str
    epci: str
    population: int | None


def load_communes(content_dir: Path) -> dict[str, Commune]:
    """The commune referential (INSEE code → name, EPCI), from `vocabulaires/communes.csv` when present."""
    path = content_dir / "vocabulaires" / "communes.csv"
    if not path.is_file():
        return {}
    with path.open(encoding="utf-8", newline="") as stream:
        return {
            row["code_insee"]: Commune(
                row["code_insee"],
                row["nom"],
                row.get("epci_nom") or "",
                int(row["pop_municipale_2017"]) if row.get("pop_municipale_2017") else None,
            )
            for row in csv.DictReader(stream)
        }
