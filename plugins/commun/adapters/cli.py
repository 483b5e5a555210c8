"""The `commun` command: check content, start a fiche, write the JSON Schemas."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from ..authoring import importer
from ..authoring.questions import Abandon, Answers, Asker, ask_new, check_values
from ..core.corpus import display
from ..core.kinds import KINDS
from ..core.problems import Problem, plural, summary
from ..core.schema import render_schemas, write_schemas
from ..outputs import offline
from ..outputs.pdf import render as pdf
from ..outputs.scaffold import render_new
from ..stages.check import SLUG, check
from ..stages.read import load_vocabularies

ARGPARSE_FRENCH = {
    "usage: ": "utilisation : ",
    "options": "options",
    "positional arguments": "arguments",
    "show this help message and exit": "affiche cette aide et quitte",
    "the following arguments are required: %s": "arguments obligatoires manquants : %s",
    "unrecognized arguments: %s": "arguments inconnus : %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "choix invalide : %(value)r (possibles : %(choices)s)",
    "argument %(argument_name)s: %(message)s": "argument %(argument_name)s : %(message)s",
    "expected one argument": "une valeur attendue",
    "invalid %(type)s value: %(value)r": "valeur invalide : %(value)r",
    "%(prog)s: error: %(message)s\n": "%(prog)s : erreur : %(message)s\n",
}


def _french(message: str) -> str:
    return ARGPARSE_FRENCH.get(message, message)


argparse._ = _french  # type: ignore[attr-defined]


class UsageError(Exception):
    """A mistake in how the command was called (exit code 2)."""


def _github(problem: Problem) -> str:
    def escape(text: str) -> str:
        return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

    level = "error" if problem.severity == "erreur" else "warning"
    location = f"file={escape(problem.path)},line={problem.line},col={problem.column}"
    return f"::{level} {location}::{escape(problem.message)}"


def run_check(args: argparse.Namespace) -> int:
    content_dir = Path(args.dossier)
    if not content_dir.is_dir():
        raise UsageError(f"le dossier « {args.dossier} » n'existe pas")
    content = check(content_dir)
    problems, hidden = _only(content.problems, args.fichiers)
    if args.format == "json":
        payload = {
            "problemes": [
                {"fichier": p.path, "ligne": p.line, "colonne": p.column, "gravite": p.severity, "message": p.message}
                for p in problems
            ],
            "erreurs": sum(1 for p in problems if p.severity == "erreur"),
            "avertissements": sum(1 for p in problems if p.severity != "erreur"),
            "fiches": sum(1 for _ in content.all()),
        }
        print(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        for problem in problems:
            print(_github(problem) if args.format == "github" else problem)
        count = sum(1 for _ in content.all())
        if problems:
            print(summary(problems))
        elif args.fichiers:
            print(f"Aucun problème dans {plural(len(args.fichiers), 'fichier vérifié', 'fichiers vérifiés')}.")
        else:
            print(f"Aucun problème : {plural(count, 'fiche valide', 'fiches valides')}.")
        if hidden:
            print(
                f"(et {plural(hidden, 'erreur')} dans d'autres fichiers du dossier : "
                f"lancez « commun check {args.dossier} » pour les voir)"
            )
    return 1 if any(p.severity == "erreur" for p in problems) else 0


def _only(problems: list[Problem], files: Sequence[str]) -> tuple[list[Problem], int]:
    """The problems of the given files (all of them when a vocabulary is among them), and how many errors are left out.

    A hook passes the files about to be committed: their problems stop the commit, those of other
    files (work in progress not being committed) are only counted.
    """
    if not files or any(Path(name).parent.name == "vocabulaires" for name in files):
        return problems, 0
    wanted = {Path(name).resolve() for name in files}
    shown = [p for p in problems if Path(p.path).resolve() in wanted]
    return shown, sum(1 for p in problems if p.severity == "erreur" and p not in shown)


def run_new(args: argparse.Namespace) -> int:
    answers = Answers(args.type, args.identifiant, args.titre, _flag_values(args))
    content = check(Path(args.dossier)) if Path(args.dossier).is_dir() else None

    def check_flags() -> None:
        if content is not None and answers.kind and (messages := check_values(answers.kind, answers.values, content)):
            raise UsageError(" ; ".join(messages))

    check_flags()
    if not args.sans_questions and sys.stdin.isatty() and content is not None:
        try:
            answers = ask_new(answers, content, Asker())
        except Abandon:
            print("commun : abandon ; rien n'a été écrit.", file=sys.stderr)
            return 130
        check_flags()
    if answers.kind is None or answers.identifiant is None:
        raise UsageError("indiquez le type et l'identifiant de la fiche (ex. commun new initiatives mon-action)")
    if not SLUG.match(answers.identifiant):
        raise UsageError(f"identifiant invalide « {answers.identifiant} » : minuscules sans accents, chiffres, tirets")
    folder = Path(args.dossier) / answers.kind
    existing = [folder / f"{answers.identifiant}{suffix}" for suffix in (".md", ".yml")]
    for path in existing:
        if path.exists():
            print(f"commun : {display(path)} existe déjà ; rien n'a été écrit.", file=sys.stderr)
            return 1
    folder.mkdir(parents=True, exist_ok=True)
    path = existing[0]
    text = render_new(answers.kind, today=dt.date.today(), titre=answers.titre, answers=answers.values)
    path.write_text(text, encoding="utf-8")
    print(f"Fiche créée : {display(path)}")
    print(f"Complétez-la, puis vérifiez-la avec : commun check {args.dossier}")
    return 0


def _flag_values(args: argparse.Namespace) -> dict[str, object]:
    """Field values given as flags: --resume, --porteur, --thematique, --public, --champ nom=valeur."""
    values: dict[str, object] = {}
    for text in args.champ or []:
        name, sep, value = text.partition("=")
        if not sep or not name.strip():
            raise UsageError(f"--champ « {text} » : écrivez nom=valeur (ex. --champ statut=en_cours)")
        values[name.strip()] = value.strip()
    for name, value in (
        ("resume", args.resume),
        ("porteur", args.porteur),
        ("thematiques", args.thematique),
        ("publics", args.public),
    ):
        if value:
            values[name] = value
    return values


def run_schema(args: argparse.Namespace) -> int:
    content_dir = Path(args.dossier)
    vocabularies, problems = load_vocabularies(content_dir)
    if problems:
        for problem in problems:
            print(problem, file=sys.stderr)
        return 1
    out_dir = Path(args.sortie)
    if args.verifier:
        stale = [
            name
            for name, text in render_schemas(vocabularies).items()
            if not (out_dir / name).is_file() or (out_dir / name).read_text(encoding="utf-8") != text
        ]
        for name in stale:
            print(f"{display(out_dir / name)} : schéma périmé ; lancez « commun schema »", file=sys.stderr)
        return 1 if stale else 0
    written = write_schemas(out_dir, vocabularies)
    print(f"{plural(len(written), 'schéma écrit', 'schémas écrits')} dans {display(out_dir)}")
    return 0


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="commun", description="Outils du commun : vérifier et créer des fiches.")
    commands = main.add_subparsers(dest="commande", metavar="COMMANDE", required=True)

    check_cmd = commands.add_parser("check", help="vérifie toutes les fiches et signale chaque problème")
    check_cmd.add_argument("dossier", nargs="?", default="content", help="dossier du contenu (content/)")
    check_cmd.add_argument(
        "fichiers", nargs="*", help="ne signaler que les problèmes de ces fichiers (ceux d'un commit, par exemple)"
    )
    check_cmd.add_argument(
        "--format",
        choices=("texte", "json", "github"),
        default="texte",
        help="texte (défaut), json, ou annotations GitHub Actions",
    )
    check_cmd.set_defaults(run=run_check)

    new_cmd = commands.add_parser("new", help="crée une fiche à compléter, à partir d'un modèle")
    new_cmd.add_argument("type", nargs="?", choices=list(KINDS), help="type de fiche (demandé s'il manque)")
    new_cmd.add_argument("identifiant", nargs="?", help="nom du fichier, sans extension (ex. epicerie-solidaire)")
    new_cmd.add_argument("--titre", help="titre de la fiche")
    new_cmd.add_argument("--resume", help="résumé de la fiche")
    new_cmd.add_argument("--porteur", help="identifiant de la structure porteuse (content/ccas/)")
    new_cmd.add_argument("--thematique", action="append", help="une thématique (option répétable)")
    new_cmd.add_argument("--public", action="append", help="un public visé (option répétable)")
    new_cmd.add_argument("--champ", action="append", metavar="NOM=VALEUR", help="tout autre champ (répétable)")
    new_cmd.add_argument(
        "--sans-questions", action="store_true", help="ne pose aucune question, même dans un terminal"
    )
    new_cmd.add_argument("--dossier", default="content", help="dossier du contenu (content/)")
    new_cmd.set_defaults(run=run_new)

    schema_cmd = commands.add_parser("schema", help="écrit les schémas JSON des fiches (schemas/)")
    schema_cmd.add_argument("--dossier", default="content", help="dossier du contenu (content/)")
    schema_cmd.add_argument("--sortie", default="schemas", help="dossier des schémas")
    schema_cmd.add_argument("--verifier", action="store_true", help="échoue si les schémas écrits sont périmés")
    schema_cmd.set_defaults(run=run_schema)
    importer.add_command(commands)
    pdf.add_command(commands)
    offline.add_command(commands)
    return main


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.run(args)
    except UsageError as exc:
        print(f"commun : erreur : {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
