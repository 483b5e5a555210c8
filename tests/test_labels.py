"""One word for each coded value: the site, the web form, the terminal and the check all say what
`core/labels.py` says, and no second copy of a label hides anywhere in the code or the templates.

A second, disagreeing copy (the web form once read « Pérennisé » where the site read « Pérennisée » and
the terminal `perennise`) fails here: by comparing what each channel shows for every value, and by
scanning the source for a label written out by hand.
"""

from __future__ import annotations

import ast
import html
import io
import re
import tokenize
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from commun.authoring.questions import literal_options
from commun.core.corpus import Fiche
from commun.core.fields import field_plan
from commun.core.kinds import KINDS
from commun.core.labels import FIELD_NAMES, LABELS, group, label
from commun.core.models import Etape, Membre, RegleModules
from commun.outputs import cms
from commun.outputs.pages.render import Renderer
from commun.stages.check import check
from commun.stages.graph import build_graph
from factories import ROOT, fiche_data, write_fiche
from pydantic import BaseModel

PACKAGE = ROOT / "plugins" / "commun"
LABELS_MODULE = PACKAGE / "core" / "labels.py"


def literal_values(annotation: Any) -> tuple[str, ...]:
    """The values of the `Literal` inside a field's annotation (`X | None`, `Annotated[…]`), if any."""
    if typing.get_origin(annotation) is typing.Literal:
        return typing.get_args(annotation)
    for arg in typing.get_args(annotation):
        if values := literal_values(arg):
            return values
    return ()


def coded_fields(model: type[BaseModel], seen: set[type] | None = None) -> Iterator[tuple[type[BaseModel], str]]:
    """Every (model, field) holding a coded value, nested blocks included."""
    seen = set() if seen is None else seen
    if model in seen:
        return
    seen.add(model)
    for name, _, nested in field_plan(model):
        if literal_values(model.model_fields[name].annotation):
            yield model, name
        if nested is not None:
            yield from coded_fields(nested, seen)


CODED = sorted(
    {pair for info in KINDS.values() for pair in coded_fields(info.model)}, key=lambda p: (p[0].__name__, p[1])
)
CASES = [(model, name, value) for model, name in CODED for value in literal_values(model.model_fields[name].annotation)]


def ids(case: tuple[type[BaseModel], str, str]) -> str:
    return f"{case[0].__name__}.{case[1]}={case[2]}"


def test_the_models_have_coded_fields_to_check() -> None:
    assert {(m.__name__, n) for m, n in CODED} >= {("Initiative", "statut"), ("Structure", "type"), ("Etape", "etat")}


@pytest.mark.parametrize("case", CASES, ids=ids)
def test_every_coded_value_has_a_label(case: tuple[type[BaseModel], str, str]) -> None:
    model, name, value = case
    assert value in LABELS.get(group(model, name), {}), f"{model.__name__}.{name} : « {value} » sans libellé"


def test_every_field_has_a_name_people_read() -> None:
    names = {name for info in KINDS.values() for name in all_fields(info.model)}
    assert sorted(names - set(FIELD_NAMES)) == []


def all_fields(model: type[BaseModel]) -> set[str]:
    names = set(model.model_fields)
    for _, _, nested in field_plan(model):
        if nested is not None:
            names |= all_fields(nested)
    return names


# --- every channel says the same word ---------------------------------------------------------------


def form_options(form: cms.Form, model: type[BaseModel], name: str) -> dict[str, str]:
    plan = {n: (marker, nested) for n, marker, nested in field_plan(model)}
    spec = form.field(model, name, *plan[name], required=False)
    options = spec.get("options") or spec.get("field", {}).get("options")
    return {option["value"]: option["label"] for option in options}


@pytest.mark.parametrize(("model", "name"), CODED, ids=[f"{m.__name__}.{n}" for m, n in CODED])
def test_the_web_form_and_the_terminal_offer_each_value_by_its_label(model: type[BaseModel], name: str) -> None:
    expected = {
        value: label(value, group(model, name)) for value in literal_values(model.model_fields[name].annotation)
    }
    assert form_options(cms.Form({}), model, name) == expected
    assert dict(literal_options(model, name) or []) == expected


# The site: every coded value of a fiche is shown by its label, in the « En bref » box under the field's
# name, or for nested blocks (a roadmap, a team) on the page; the state of a draft in its notice.
NESTED = {
    Etape: {"axe": "Axe de la feuille de route"},
    Membre: {"fonction": "Agente d'accueil"},
    RegleModules: {"tous": True},
}


def page_with(content_dir: Path, kind: str, model: type[BaseModel], name: str, value: str) -> str:
    # The initiative becomes a programme (a module is part of it): its page then shows its passport.
    module = fiche_data("modules", "module-accueil", programme="epicerie-solidaire")
    write_fiche(content_dir, "modules", "module-du-programme", module)
    content = check(content_dir)
    assert content.errors == []
    fiches = list(content.fiches[kind].values())
    if model is KINDS[kind].model:
        fiche = fiches[0]
        meta = fiche.meta.model_copy(update={name: value})
    else:  # a nested block: on the fiche that has one already (a programme's passport shows with its modules)
        parent = next(n for n, _, nested in field_plan(KINDS[kind].model) if nested is model)
        fiche = next((f for f in fiches if getattr(f.meta, parent)), fiches[0])
        meta = fiche.meta.model_copy(update={parent: [model(**NESTED[model], **{name: value})]})
    graph = build_graph(content, drafts=True)
    page = Renderer(graph, drafts=True).fiche_page(Fiche(fiche.kind, fiche.slug, meta, fiche.body, fiche.document))
    return re.sub("[\u00a0\u202f]", " ", html.unescape(page.markdown))  # typography's no-break spaces aside


def box_row(page: str, title: str) -> str | None:
    box = re.search(r'<section class="commun-identite" aria-label="En bref">(.*?)</section>', page, re.S)
    assert box, "pas d'encadré « En bref »"
    row = re.search(rf"<dt>{re.escape(title)}</dt><dd>(.*?)</dd>", box[1], re.S)
    return re.sub(r"<[^>]+>", "", row[1]).strip() if row else None


SITE_CASES = [
    (kind, model, name, value)
    for kind, info in KINDS.items()
    for model, name in coded_fields(info.model)
    for value in literal_values(model.model_fields[name].annotation)
]


@pytest.mark.parametrize("case", SITE_CASES, ids=[f"{c[0]}:{c[1].__name__}.{c[2]}={c[3]}" for c in SITE_CASES])
def test_the_site_shows_each_value_by_its_label(case: tuple[str, type[BaseModel], str, str], content_dir: Path) -> None:
    kind, model, name, value = case
    page = page_with(content_dir, kind, model, name, value)
    shown = label(value, group(model, name))
    if model is KINDS[kind].model and name == "etat":
        if value != "publie":
            assert f"{shown} : fiche non publiée" in page
        return
    if model is KINDS[kind].model:
        assert box_row(page, FIELD_NAMES[name]) == shown, (FIELD_NAMES[name], page[:2000])
    else:  # in a sentence, in the form the sentence needs (`categorie_plusieurs`: « tous les modules socles »)
        grp = group(model, name)
        forms = {LABELS[g][value] for g in LABELS if (g == grp or g.startswith(f"{grp}_")) and value in LABELS[g]}
        assert any(form.casefold() in page.casefold() for form in forms), (forms, shown)


def test_the_check_lists_possible_values_by_their_labels(content_dir: Path) -> None:
    path = write_fiche(
        content_dir, "initiatives", "statut-faux", fiche_data("initiatives", "epicerie-solidaire", statut="perenise")
    )
    message = next(p.message for p in check(content_dir).errors if Path(p.path) == path)
    initiative = KINDS["initiatives"].model
    for value in literal_values(initiative.model_fields["statut"].annotation):
        assert f"{value} ({label(value, group(initiative, 'statut'))})" in message


# --- no copy of a label outside core/labels.py -------------------------------------------------------

# A label that is only its code in capitals (`ccas` → « CCAS ») is the word itself: it has no wording to copy.
WORDS = {text.casefold() for values in LABELS.values() for code, text in values.items() if text != code.upper()}
CODES = {code for values in LABELS.values() for code in values}
QUOTED = re.compile(r"^[a-zA-Z]*('''|\"\"\"|'|\")(.*)\1$", re.S)


def python_strings(path: Path) -> Iterator[tuple[int, str]]:
    """The string literals of a Python file (the literal pieces of f-strings included), with their line."""
    for token in tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline):
        if token.type == tokenize.STRING:
            try:
                yield token.start[0], str(ast.literal_eval(token.string))
            except ValueError:  # an f-string
                for piece in re.split(r"\{[^{}]*\}", QUOTED.sub(r"\2", token.string)):
                    yield token.start[0], piece
        elif token.type == getattr(tokenize, "FSTRING_MIDDLE", -1):  # Python 3.12 splits f-strings
            yield token.start[0], token.string


def template_texts(path: Path) -> Iterator[tuple[int, str]]:
    """The text between tags or signs of a template, and its quoted strings, with their line."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        for piece in re.split(r"[<>\"|{}()\[\]:;,·]", line):  # an apostrophe is part of a French word
            yield number, piece
        for expression in re.findall(r"\{[{%](.*?)[%}]\}", line):
            for piece in re.findall(r"'([^']*)'", expression):
                yield number, piece


def copies(path: Path) -> list[str]:
    """Every string or text of a file that is, word for word, a label of LABELS."""
    pieces = python_strings(path) if path.suffix == ".py" else template_texts(path)
    found = []
    for number, text in pieces:
        words = " ".join(text.split())
        if words.casefold() in WORDS and words not in CODES:  # `ccas` is a code, « CCAS » its label
            found.append(f"{path.name}:{number}: « {words} »")
    return found


SOURCES = sorted(
    path
    for folder in (PACKAGE, ROOT / "docs" / "overrides", ROOT / "scripts")
    for path in folder.rglob("*")
    if path.suffix in (".py", ".j2", ".html", ".js") and path != LABELS_MODULE and "__pycache__" not in path.parts
)


def test_no_module_or_template_writes_a_label_out() -> None:
    assert len(SOURCES) > 50
    found = [copy for path in SOURCES for copy in copies(path)]
    assert found == []


def test_the_scan_finds_a_label_written_out(tmp_path: Path) -> None:
    module = tmp_path / "copie.py"
    module.write_text('STATUTS = {"perennise": "Pérennisée"}\nTEXTE = f"{x}Terminée"\n', encoding="utf-8")
    template = tmp_path / "copie.md.j2"
    template.write_text("{{ ui.row('Statut', 'En cours') }}\n<td> Abandonnée </td>\n## L'idée\n", encoding="utf-8")
    assert copies(module) + copies(template) == [
        "copie.py:1: « Pérennisée »",
        "copie.py:2: « Terminée »",
        "copie.md.j2:1: « En cours »",
        "copie.md.j2:2: « Abandonnée »",
    ]
