"""`commun new` in a terminal: the questions it asks, in French, with choices drawn from the content.

Every choice offered is one the check accepts: kinds from the models, structures from content/ccas/,
themes and publics from the vocabularies, fixed values from the models' `Literal` fields.
The same answers can be given as flags, so scripts never meet a question.
"""

from __future__ import annotations

import re
import typing
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError

from ..core.corpus import Content
from ..core.fields import field_plan
from ..core.kinds import KINDS
from ..core.labels import field_name, group, label
from ..core.models import INSEE_PATTERN, Ref, RuleError, Term
from ..core.problems import suggest
from ..core.text import fold, slugify
from ..stages.check import SLUG

Option = tuple[str, str]
"""A value and the label shown for it."""

PRESET = frozenset({"etat", "mis_a_jour", "licence", "exemple"})
"""Fields every new fiche starts with (a draft, dated today): never asked."""

INSEE = INSEE_PATTERN


def is_commune(annotation: Any) -> bool:
    """Whether a field holds INSEE commune codes (`InseeCode`, a list of them, or an optional one)."""
    if any(getattr(meta, "pattern", None) == INSEE for meta in getattr(annotation, "__metadata__", ())):
        return True
    return any(is_commune(arg) for arg in typing.get_args(annotation))


class Abandon(Exception):
    """The person stopped answering (Ctrl-D or Ctrl-C): nothing is written."""


@dataclass
class Asker:
    """Asks questions on a terminal; `read` and `write` can be replaced to drive it from a test."""

    read: Callable[[str], str] = input
    write: Callable[[str], None] = print

    def _answer(self, prompt: str) -> str:
        try:
            return self.read(prompt).strip()
        except (EOFError, KeyboardInterrupt):
            self.write("")
            raise Abandon from None

    def text(
        self,
        question: str,
        *,
        default: str | None = None,
        required: bool = False,
        check: Callable[[str], str | None] | None = None,
    ) -> str:
        """A free answer; `check` returns a French message when the answer cannot be used."""
        hint = f" [{default}]" if default else ("" if required else " (Entrée pour passer)")
        while True:
            answer = self._answer(f"{question}{hint} : ") or (default or "")
            if not answer and required:
                self.write("  Une réponse est nécessaire.")
                continue
            message = check(answer) if answer and check else None
            if message is None:
                return answer
            self.write(f"  {message}")

    def _show(self, options: Sequence[Option]) -> None:
        width = len(str(len(options)))
        for number, (value, shown) in enumerate(options, 1):
            detail = f" ({value})" if fold(shown) != fold(value) else ""
            self.write(f"  {number:>{width}}. {shown}{detail}")

    def _find(self, answer: str, options: Sequence[Option]) -> str | list[str] | None:
        """The value an answer designates: a number, a value, or a unique piece of a label."""
        if answer.isdigit():
            number = int(answer)
            return options[number - 1][0] if 1 <= number <= len(options) else None
        for value, _ in options:
            if fold(answer) == fold(value):
                return value
        matches = [value for value, shown in options if fold(answer) in fold(shown)]
        if len(matches) == 1:
            return matches[0]
        return matches or None

    def _resolve(self, answer: str, options: Sequence[Option]) -> str:
        found = self._find(answer, options)
        if isinstance(found, str):
            return found
        if found:
            names = ", ".join(found[:5]) + (" …" if len(found) > 5 else "")
            raise ValueError(f"« {answer} » correspond à plusieurs choix ({names}) : précisez ou tapez le numéro")
        hint = suggest(answer, [value for value, _ in options])
        raise ValueError(f"« {answer} » ne figure pas dans la liste{hint} : tapez un numéro entre 1 et {len(options)}")

    def choice(self, question: str, options: Sequence[Option], *, required: bool = False) -> str | None:
        """One value of a numbered list."""
        self.write(f"{question} :")
        self._show(options)
        while True:
            answer = self._answer("Votre choix (numéro ou nom)" + ("" if required else ", Entrée pour passer") + " : ")
            if not answer:
                if not required:
                    return None
                self.write("  Un choix est nécessaire.")
                continue
            try:
                return self._resolve(answer, options)
            except ValueError as exc:
                self.write(f"  {exc}")

    def choices(self, question: str, options: Sequence[Option], *, required: bool = False) -> list[str]:
        """Several values of a numbered list, separated by commas or spaces."""
        self.write(f"{question} :")
        self._show(options)
        while True:
            skip = "" if required else ", Entrée pour passer"
            answer = self._answer(f"Vos choix (numéros ou noms séparés par des virgules{skip}) : ")
            parts = [p.strip() for p in re.split(r"[,;]|\s+(?=\d)", answer) if p.strip()]
            if not parts and required:
                self.write("  Au moins un choix est nécessaire.")
                continue
            try:
                chosen = [self._resolve(part, options) for part in parts]
            except ValueError as exc:
                self.write(f"  {exc}")
                continue
            return list(dict.fromkeys(chosen))


@dataclass
class Answers:
    """What a new fiche starts with: its kind, file name, title and some fields."""

    kind: str | None = None
    identifiant: str | None = None
    titre: str | None = None
    values: dict[str, Any] = field(default_factory=dict)


def literal_options(model: type[BaseModel], name: str) -> list[Option] | None:
    """The values of a `Literal` field (`statut`, `type`…) with their labels, or None for another field."""
    annotation = model.model_fields[name].annotation
    for candidate in (annotation, *typing.get_args(annotation)):
        if typing.get_origin(candidate) is typing.Literal:
            return [(value, label(value, group(model, name))) for value in typing.get_args(candidate)]
    return None


def reference_options(content: Content, marker: Ref) -> list[Option]:
    """Real fiches a reference may point at (examples left out: a new fiche is real)."""
    fiches = content.fiches.get(marker.kind, {})
    return sorted(
        (
            (slug, fiche.meta.titre)
            for slug, fiche in fiches.items()
            if not fiche.meta.exemple and (not marker.types or fiche.meta.type in marker.types)
        ),
        key=lambda option: fold(option[1]),
    )


def questions(kind: str) -> list[tuple[str, Ref | Term | None]]:
    """The fields asked for a kind, in the order a contributor thinks of them: what the fiche is (its required
    fixed values: a structure's type, a project's stage), who carries it, what it is about (themes, publics),
    where (communes), how far along (other fixed values, such as an initiative's status). Asked: references
    and fixed values that are required, themes, publics, communes, and the optional fields the kind still
    asks (`Kind.also_asked`, such as an initiative's porteur)."""
    model = KINDS[kind].model
    also = KINDS[kind].also_asked
    asked = []
    for name, marker, nested in field_plan(model):
        required = model.model_fields[name].is_required()
        if nested is not None or name in PRESET:
            continue
        commune = is_commune(model.model_fields[name].annotation)
        literal = literal_options(model, name) is not None
        if isinstance(marker, Ref):
            rank = 1
        elif isinstance(marker, Term):
            rank = 2
        elif commune:
            rank = 3
        else:
            rank = 0 if required else 4
        if commune or isinstance(marker, Term) or ((required or name in also) and (marker is not None or literal)):
            asked.append((rank, name, marker))
    return [(name, marker) for _, name, marker in sorted(asked, key=lambda item: item[0])]


def ask_new(answers: Answers, content: Content, asker: Asker) -> Answers:
    """Ask, in French, for what the flags did not give; a question the check needs answered is asked again
    until it is."""
    if answers.kind is None:
        options = [(kind, f"{info.singular[:1].upper()}{info.singular[1:]}") for kind, info in KINDS.items()]
        answers.kind = asker.choice("Quel type de fiche voulez-vous créer", options, required=True)
    kind = typing.cast(str, answers.kind)
    info = KINDS[kind]
    if answers.titre is None:
        answers.titre = asker.text(f"Titre de la fiche {info.singular}", required=True)
    if answers.identifiant is None:
        taken = set(content.fiches.get(kind, {}))

        def check_slug(answer: str) -> str | None:
            if not SLUG.match(answer):
                return "minuscules sans accents, chiffres et tirets (ex. epicerie-solidaire)"
            if answer in taken:
                return f"une fiche « {answer} » existe déjà dans content/{kind}/ : choisissez un autre nom"
            return None

        default = slugify(answers.titre)
        answers.identifiant = asker.text(
            "Nom du fichier (sans accents ni espaces)",
            default=default if default and check_slug(default) is None else None,
            required=True,
            check=check_slug,
        )
    model = info.model
    if "resume" not in answers.values and (
        resume := asker.text(
            "Résumé en une ou deux phrases (300 caractères au plus)",
            required=model.model_fields["resume"].is_required(),
            check=lambda text: None if len(text) <= 300 else f"{len(text)} caractères : 300 au plus",
        )
    ):
        answers.values["resume"] = resume
    asked = dict(questions(kind))
    for name, marker in asked.items():
        if name not in answers.values:
            ask_field(answers, content, asker, name, marker, required=model.model_fields[name].is_required())
    # A rule between fields may need one more answer (a CCAS's commune): asked until given.
    while (rule := broken_rule(model, answers.values)) and rule.field in asked and rule.field not in answers.values:
        asker.write(f"  {rule} :")
        ask_field(answers, content, asker, rule.field, asked[rule.field], required=True)
    return answers


def ask_field(
    answers: Answers, content: Content, asker: Asker, name: str, marker: Ref | Term | None, *, required: bool
) -> None:
    """Ask for one field of the new fiche; a skipped optional field is left out of `answers`."""
    model = KINDS[typing.cast(str, answers.kind)].model
    description = (model.model_fields[name].description or name).rstrip(".")
    value: Any = None
    if isinstance(marker, Term):
        terms = content.vocabularies.get(marker.vocabulary, {})
        options = [(slug, entry.libelle) for slug, entry in terms.items()]
        value = asker.choices(description, options, required=required and bool(options))
    elif isinstance(marker, Ref):
        options = reference_options(content, marker)
        value = asker.choice(description, options, required=required) if options else None
    elif is_commune(model.model_fields[name].annotation):
        many = typing.get_origin(model.model_fields[name].annotation) is list
        value = ask_communes(asker, description, content, many=many, required=required)
    elif options := literal_options(model, name):
        value = asker.choice(field_name(name), options, required=required)
    if value:
        answers.values[name] = value


def broken_rule(model: type[BaseModel], values: dict[str, Any]) -> RuleError | None:
    """The rule between fields (`RuleError`) the answers break so far, if any: the other required fields, not
    all asked, are stood in for."""
    stand_ins = {"titre": "-", "resume": "-", "etat": "brouillon", "mis_a_jour": "2000-01-01"}
    try:
        model.model_validate({**stand_ins, **values})
    except ValidationError as exc:
        for error in exc.errors():
            if isinstance(found := (error.get("ctx") or {}).get("error"), RuleError):
                return found
    return None


def ask_communes(
    asker: Asker, description: str, content: Content, *, many: bool, required: bool = False
) -> str | list[str] | None:
    """Communes typed by INSEE code or by name, separated by commas: a name is looked up in the referential
    (`vocabulaires/territoires/`), and when several communes bear it, the person chooses one."""
    territoires = content.territoires

    def parts(answer: str) -> list[str]:
        return [p.strip() for chunk in re.split(r"[,;]", answer) for p in _codes_or_name(chunk.strip()) if p.strip()]

    def check(answer: str) -> str | None:
        for part in parts(answer):
            if re.fullmatch(INSEE, part):
                if territoires and part not in territoires:
                    return territoires.unknown_commune(part)
            elif not territoires:
                return f"code INSEE invalide « {part} » : cinq caractères, par exemple 97611"
            elif not territoires.named(part):
                return f"aucune commune « {part} » : vérifiez l'orthographe, ou tapez son code INSEE"
        return None

    question = description if "INSEE" in description else f"{description} (code INSEE ou nom)"
    answer = asker.text(question + (", séparés par des virgules" if many else ""), required=required, check=check)
    codes = []
    for part in parts(answer):
        if re.fullmatch(INSEE, part):
            codes.append(part)
            continue
        found = territoires.named(part)
        options = [(c.code, territoires.describe(c)) for c in found]
        if len(options) > 1:
            codes.append(typing.cast(str, asker.choice(f"Quelle commune « {part} »", options, required=True)))
        else:
            codes.append(options[0][0])
    return codes if many else (codes[0] if codes else None)


def _codes_or_name(chunk: str) -> list[str]:
    """`97611 97601` is two codes; `Saint-Denis` or `Le Mans` is one name."""
    words = chunk.split()
    return words if words and all(re.fullmatch(INSEE, word) for word in words) else [chunk]


def check_values(kind: str, values: dict[str, Any], content: Content) -> list[str]:
    """French messages for flag values the check would refuse (unknown structure, theme, value)."""
    model = KINDS[kind].model
    plan = {name: marker for name, marker, _ in field_plan(model)}
    messages = []
    for name, value in values.items():
        if name not in model.model_fields:
            messages.append(f"champ inconnu « {name} »{suggest(name, model.model_fields)}")
            continue
        marker = plan[name]
        if isinstance(marker, Term):
            allowed: Sequence[str] = list(content.vocabularies.get(marker.vocabulary, {}))
        elif isinstance(marker, Ref):
            allowed = [slug for slug, _ in reference_options(content, marker)]
        elif options := literal_options(model, name):
            allowed = [v for v, _ in options]
        else:
            continue
        for item in value if isinstance(value, list) else [value]:
            if item not in allowed:
                messages.append(f"{name} : « {item} » n'est pas une valeur possible{suggest(item, allowed)}")
    return messages
