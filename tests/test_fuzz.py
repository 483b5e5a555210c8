"""Property-based fuzzing: whatever a file holds, the pipeline answers with problems, never another exception.

Random bytes, random text, YAML-looking token soups, random front matter and random field values
go through the loader and the whole check; only `ContentError` (from the loader) and `Problem`s
(from the check) may come out, each with a position and a French message.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import shutil
from pathlib import Path

import pytest
import yaml
from commun.core.corpus import Content
from commun.core.kinds import KINDS
from commun.core.problems import ContentError, Problem
from commun.stages.check import body_problems, check
from commun.stages.read import load_document, parse_yaml, without_empty
from factories import FICHES, fiche_text, make_content
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

# FUZZ_EXAMPLES=5000 for a longer hunt; 200 keeps the suite fast.
FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "200")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
COUNTER = itertools.count()

# Words of the fallback messages that would let English through from PyYAML or pydantic.
FALLBACKS = ("syntaxe YAML invalide : vérifiez", "valeur invalide (")

text_chars = st.characters(blacklist_categories=("Cs",))  # no lone surrogates: they cannot be written as UTF-8
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(text_chars, max_size=40),
    st.dates(min_value=dt.date(1, 1, 1)),
    st.datetimes(),
    st.sampled_from(
        [
            "ccas-reel",
            "ccas-exemple",
            "udccas-test",
            "module-accueil",
            "grille-entretien",
            "projet-exemple",
            "epicerie-solidaire",
            "acces-aux-droits",
            "familles",
            "referent",
            "membre",
            "publie",
            "brouillon",
            "2024-05-02",
            "2021-06",
            "2017",
            "fichiers/grille.csv",
            "../x",
            "",
        ]
    ),
)
values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.text(text_chars, min_size=1, max_size=12), children, max_size=4),
    ),
    max_leaves=12,
)
field_names = st.sampled_from(
    sorted(
        {name for kind in KINDS.values() for name in kind.model.model_fields}
        | {"fonction", "role", "chemin", "module", "structure", "debut", "fin", "outils", "zzz", "Titre"}
    )
)
TOKENS = [
    "titre",
    "resume",
    "etat",
    "equipe",
    "fichiers",
    "x",
    ": ",
    ":",
    "- ",
    "-",
    "? ",
    "[",
    "]",
    "{",
    "}",
    ", ",
    "&a ",
    "*a",
    "&b ",
    "*b",
    "!!python/object:os.system ",
    "!!binary ",
    "!!timestamp ",
    "!!int ",
    "!!set ",
    "!!omap ",
    "!x!y ",
    "!local ",
    "<<: ",
    '"',
    "'",
    "\\",
    "\\x",
    "#",
    "|",
    ">",
    "%YAML 1.1\n",
    "---\n",
    "...\n",
    "\n",
    "  ",
    "    ",
    "\t",
    "~",
    "null",
    "yes",
    "on",
    "2024-13-01",
    "2024-02-29",
    "1e400",
    "0x1F",
    "0o17",
    ".inf",
    "9" * 30,
    "é",
    "\u00a0",
    "\ufeff",
    "\x07",
    "\x85",
    "\u2028",
    "@",
    "`",
    "%",
    "*",
]
yamlish = st.lists(st.sampled_from(TOKENS), max_size=60).map("".join)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


@pytest.fixture(scope="module")
def content_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_content(tmp_path_factory.mktemp("fuzz-content"))


def load_only_content_errors(path: Path, kind: str = "initiatives") -> None:
    try:
        document = load_document(path, kind)
    except ContentError as exc:
        assert exc.problems, "a ContentError must carry problems"
        for problem in exc.problems:
            assert_good(problem)
    else:
        assert isinstance(document.data, dict)


def assert_good(problem: Problem) -> None:
    assert isinstance(problem, Problem)
    assert problem.line >= 1 and problem.column >= 1
    assert problem.severity in ("erreur", "avertissement")
    assert problem.message.strip()
    assert not problem.message.startswith(FALLBACKS) and not any(f" : {f}" in problem.message for f in FALLBACKS), (
        problem.message
    )


def write(folder: Path, raw: bytes, suffix: str) -> Path:
    path = folder / f"f{next(COUNTER)}{suffix}"
    path.write_bytes(raw)
    return path


def checked_with(content_root: Path, kind: str, name: str, raw: bytes) -> Content:
    path = content_root / kind / name
    path.write_bytes(raw)
    try:
        content = check(content_root)
    finally:
        path.unlink()
    for problem in content.problems:
        assert_good(problem)
    return content


@FUZZ
@given(raw=st.binary(max_size=300), suffix=st.sampled_from([".md", ".yml"]))
def test_random_bytes(folder: Path, raw: bytes, suffix: str):
    load_only_content_errors(write(folder, raw, suffix))


@FUZZ
@given(raw=st.binary(max_size=200))
def test_random_bytes_after_a_front_matter_start(folder: Path, raw: bytes):
    load_only_content_errors(write(folder, b"---\n" + raw + b"\n---\n", ".md"))


@FUZZ
@given(text=st.text(text_chars, max_size=300), suffix=st.sampled_from([".md", ".yml"]))
def test_random_text(folder: Path, text: str, suffix: str):
    load_only_content_errors(write(folder, text.encode("utf-8"), suffix))


@FUZZ
@given(soup=yamlish, suffix=st.sampled_from([".md", ".yml"]), crlf=st.booleans())
def test_yaml_token_soup(folder: Path, soup: str, suffix: str, crlf: bool):
    text = f"---\n{soup}\n---\nCorps.\n" if suffix == ".md" else soup
    if crlf:
        text = text.replace("\n", "\r\n")
    load_only_content_errors(write(folder, text.encode("utf-8"), suffix))


@FUZZ
@given(data=values)
def test_parsed_data_is_what_pyyaml_builds(data):
    """The loader's fast builder gives exactly PyYAML's values (checked on dumps of random data)."""
    text = yaml.safe_dump(data, allow_unicode=True)
    try:
        parsed, _ = parse_yaml(text, "x.yml")
    except ContentError:
        return  # refused (a key `<<`, `1`…): nothing built to compare
    assert repr(parsed) == repr(yaml.load(text, Loader=yaml.CSafeLoader))


@FUZZ
@given(data=values)
def test_fiche_data_is_pyyaml_data_without_empty_keys(data):
    """Fiches are parsed without their empty keys (`cle:`): the same values, minus those keys."""
    text = yaml.safe_dump(data, allow_unicode=True)
    try:
        parsed, _ = parse_yaml(text, "x.yml", empty_keys=False)
    except ContentError:
        return
    assert repr(parsed) == repr(without_empty(yaml.load(text, Loader=yaml.CSafeLoader)))


class ImpossibleDatesAsText(yaml.CSafeLoader):
    """PyYAML's loader, but a date that does not exist (`2024-13-01`) stays text, as parse_yaml keeps it for
    the model to report with its field's name."""


def _timestamp(loader: yaml.CSafeLoader, node: yaml.ScalarNode) -> object:
    try:
        return loader.construct_yaml_timestamp(node)
    except ValueError:
        return node.value


ImpossibleDatesAsText.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)


@FUZZ
@given(soup=yamlish)
def test_parsed_soup_is_what_pyyaml_builds(soup: str):
    try:
        parsed, _ = parse_yaml(soup, "x.yml")
    except ContentError:
        return
    assert repr(parsed) == repr(yaml.load(soup, Loader=ImpossibleDatesAsText))


def test_a_date_that_does_not_exist_is_kept_as_written():
    assert parse_yaml("a: 2024-13-01\nb: 2024-02-29\n", "x.yml")[0] == {"a": "2024-13-01", "b": dt.date(2024, 2, 29)}


@FUZZ
@given(data=values, kind=st.sampled_from(list(KINDS)))
def test_random_front_matter_through_the_whole_check(content_root: Path, data, kind: str):
    raw = f"---\n{yaml.safe_dump(data, allow_unicode=True)}---\nCorps.\n".encode()
    checked_with(content_root, kind, "fuzz.md", raw)


@FUZZ
@given(
    base=st.sampled_from(sorted(FICHES)),
    changes=st.dictionaries(field_names, values, min_size=1, max_size=4),
    drop=st.lists(field_names, max_size=2),
)
def test_random_field_values_through_the_whole_check(content_root: Path, base, changes: dict, drop: list):
    kind, _ = base
    data = {**FICHES[base], **changes}
    for name in drop:
        data.pop(name, None)
    raw = fiche_text(data).encode("utf-8")
    content = checked_with(content_root, kind, "fuzz.md", raw)
    if not any(p.path.endswith("fuzz.md") and p.severity == "erreur" for p in content.problems):
        assert "fuzz" in content.fiches[kind]


@FUZZ
@given(
    base=st.sampled_from(sorted(FICHES)),
    nested=st.sampled_from(
        [
            "equipe",
            "fichiers",
            "sessions",
            "liens",
            "contact",
            "sources",
            "recommandee_par",
            "parcours",
            "feuille_de_route",
            "population",
            "duree",
            "labos",
            "financements",
        ]
    ),
    items=st.lists(st.dictionaries(field_names, values, max_size=3), max_size=3),
)
def test_random_nested_blocks_through_the_whole_check(content_root: Path, base, nested: str, items: list):
    kind, _ = base
    data = {
        **FICHES[base],
        nested: items if nested not in ("liens", "contact", "population", "duree") else (items[0] if items else {}),
    }
    checked_with(content_root, kind, "fuzz.md", fiche_text(data).encode("utf-8"))


BODY_TOKENS = [
    "<script>",
    "<",
    ">",
    "a",
    "on",
    "onclick",
    "=",
    '"',
    "'",
    "/",
    " ",
    "\n",
    "](",
    "[x]: ",
    "javascript",
    ":",
    "data",
    "&#",
    "x61;",
    "&colon;",
    "\t",
    "href",
    "src",
    "@",
    ".fr",
    "06",
    " 12",
    "+33",
    "00",
    "<svg",
    "é",
]


@FUZZ
@given(body=st.lists(st.sampled_from(BODY_TOKENS), max_size=80).map("".join), first=st.integers(1, 500))
def test_random_bodies(body: str, first: int):
    for problem in body_problems(body, first, "x.md"):
        assert problem.line >= first
        assert_good(problem)


@FUZZ
@given(body=st.text(text_chars, max_size=500))
def test_random_markdown_fiche_bodies_through_the_whole_check(content_root: Path, body: str):
    data = FICHES[("outils", "grille-entretien")]
    checked_with(content_root, "outils", "fuzz.md", fiche_text(data, body).encode("utf-8"))


def test_fuzz_folders_are_left_clean(content_root: Path):
    assert not (content_root / "outils" / "fuzz.md").exists()
    assert check(content_root).problems == []
    shutil.rmtree(content_root)
