"""The `commun` command: check content, start a fiche, write the JSON Schemas."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from .load import display, load_vocabularies
from .models import KINDS
from .problems import Problem, plural, summary
from .scaffold import render_new
from .schema import render_schemas, write_schemas
from .validate import SLUG, check

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
    problems = content.problems
    if args.format == "json":
        payload = {
            "problemes": [
                {"fichier": p.path, "ligne": p.line, "colonne": p.column, "gravite": p.severity, "message": p.message}
                for p in problems
            ],
            "erreurs": len(content.errors),
            "avertissements": len(problems) - len(content.errors),
            "fiches": sum(1 for _ in content.all()),
        }
        print(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        for problem in problems:
            print(_github(problem) if args.format == "github" else problem)
        count = sum(1 for _ in content.all())
        if problems:
            print(summary(problems))
        else:
            print(f"Aucun problème : {plural(count, 'fiche valide', 'fiches valides')}.")
    return 1 if content.errors else 0


def run_new(args: argparse.Namespace) -> int:
    if not SLUG.match(args.identifiant):
        raise UsageError(f"identifiant invalide « {args.identifiant} » : minuscules sans accents, chiffres et tirets")
    folder = Path(args.dossier) / args.type
    existing = [folder / f"{args.identifiant}{suffix}" for suffix in (".md", ".yml")]
    for path in existing:
        if path.exists():
            print(f"commun : {display(path)} existe déjà ; rien n'a été écrit.", file=sys.stderr)
            return 1
    folder.mkdir(parents=True, exist_ok=True)
    path = existing[0]
    path.write_text(render_new(args.type, today=dt.date.today(), titre=args.titre), encoding="utf-8")
    print(f"Fiche créée : {display(path)}")
    print(f"Complétez-la, puis vérifiez-la avec : commun check {args.dossier}")
    return 0


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
        "--format",
        choices=("texte", "json", "github"),
        default="texte",
        help="texte (défaut), json, ou annotations GitHub Actions",
    )
    check_cmd.set_defaults(run=run_check)

    new_cmd = commands.add_parser("new", help="crée une fiche à compléter, à partir d'un modèle")
    new_cmd.add_argument("type", choices=list(KINDS), help="type de fiche")
    new_cmd.add_argument("identifiant", help="nom du fichier, sans extension (ex. epicerie-solidaire)")
    new_cmd.add_argument("--titre", help="titre de la fiche")
    new_cmd.add_argument("--dossier", default="content", help="dossier du contenu (content/)")
    new_cmd.set_defaults(run=run_new)

    schema_cmd = commands.add_parser("schema", help="écrit les schémas JSON des fiches (schemas/)")
    schema_cmd.add_argument("--dossier", default="content", help="dossier du contenu (content/)")
    schema_cmd.add_argument("--sortie", default="schemas", help="dossier des schémas")
    schema_cmd.add_argument("--verifier", action="store_true", help="échoue si les schémas écrits sont périmés")
    schema_cmd.set_defaults(run=run_schema)
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
