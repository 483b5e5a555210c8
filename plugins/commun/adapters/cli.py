"""The `commun` command: check content, start a fiche, write the JSON Schemas."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import shutil
import signal
import subprocess
import sys
import typing
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from ..authoring.form_copy import FormCopyError, french, prepare, server_environment
from ..authoring.importer import IMPORTABLE, ImportProblem, Mapping, import_csv, load_mapping, pairs, report_lines
from ..authoring.questions import Abandon, Answers, Asker, ask_new, check_values
from ..build import Build, Options
from ..core.corpus import display
from ..core.kinds import KINDS
from ..core.problems import Problem, plural, summary
from ..core.schema import render_schemas, write_schemas
from ..outputs import cms
from ..outputs.offline import ARCHIVE
from ..outputs.pdf.deliverables import deliverables
from ..outputs.scaffold import render_new
from ..outputs.search_index import SearchError
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
    print(f"Complétez-la, puis vérifiez-la avec : {check_command(args.dossier)}")
    return 0


def check_command(folder: str) -> str:
    """The command that checks `folder`, written so that it runs as is from here: `make check` in the project
    (it sets up .venv first), else the command of the project's .venv, of the PATH, or of this Python."""
    makefile = Path("Makefile")
    if folder == "content" and makefile.is_file() and re.search(r"^check:", makefile.read_text("utf-8"), re.M):
        return "make check"
    local = Path(".venv") / "bin" / "commun"
    if local.is_file():
        return f"{local} check {folder}"
    if shutil.which("commun"):
        return f"commun check {folder}"
    return f"{sys.executable} -m commun check {folder}"


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
    new_cmd.add_argument("--sans-questions", action="store_true", help="ne pose aucune question, même dans un terminal")
    new_cmd.add_argument("--dossier", default="content", help="dossier du contenu (content/)")
    new_cmd.set_defaults(run=run_new)

    schema_cmd = commands.add_parser("schema", help="écrit les schémas JSON des fiches (schemas/)")
    schema_cmd.add_argument("--dossier", default="content", help="dossier du contenu (content/)")
    schema_cmd.add_argument("--sortie", default="schemas", help="dossier des schémas")
    schema_cmd.add_argument("--verifier", action="store_true", help="échoue si les schémas écrits sont périmés")
    schema_cmd.set_defaults(run=run_schema)
    add_import_command(commands)
    add_deliverables_command(commands)
    add_offline_command(commands)
    add_zensical_command(commands)
    add_form_command(commands)
    return main


def add_import_command(commands: Any) -> None:
    """`commun import csv FICHIER --kind KIND`, on the `commun` command's subparsers."""
    command = commands.add_parser("import", help="crée des fiches en brouillon depuis un tableur (CSV)")
    formats = command.add_subparsers(dest="format_import", metavar="FORMAT", required=True)
    csv_cmd = formats.add_parser(
        "csv",
        help="une fiche par ligne d'un fichier CSV (export Excel ou LibreOffice)",
        description=(
            "Crée une fiche à l'état brouillon par ligne du fichier, sans jamais écraser une fiche existante. "
            "Les colonnes titrées comme un champ (Titre, Résumé, Thématiques, Date de début, Commune(s)…) sont "
            "reprises d'office ; les autres s'indiquent par --colonne ou un fichier de correspondance, et chaque "
            "colonne laissée de côté est signalée, avec l'option --colonne qui la reprendrait."
        ),
    )
    csv_cmd.add_argument("fichier", help="fichier CSV (UTF-8 ou Windows-1252, séparé par ; , ou tabulation)")
    csv_cmd.add_argument(
        "--kind", "--type", dest="kind", choices=IMPORTABLE, required=True, help="type des fiches à créer"
    )
    csv_cmd.add_argument(
        "--correspondance",
        metavar="FICHIER.yml",
        help="correspondance en YAML : colonnes (champ: colonne), valeurs (champ: valeur), texte, sections",
    )
    csv_cmd.add_argument(
        "--colonne", action="append", default=[], metavar="CHAMP=COLONNE", help="remplit CHAMP depuis COLONNE"
    )
    csv_cmd.add_argument(
        "--valeur", action="append", default=[], metavar="CHAMP=VALEUR", help="même VALEUR pour toutes les fiches"
    )
    csv_cmd.add_argument("--texte", metavar="COLONNE", help="colonne du texte de la fiche (Markdown)")
    csv_cmd.add_argument("--dossier", default="content", help="dossier du contenu (content/)")
    csv_cmd.add_argument(
        "--dry-run", "--essai", dest="dry_run", action="store_true", help="vérifie tout sans rien écrire"
    )
    csv_cmd.set_defaults(run=run_import)


def run_import(args: Any) -> int:
    """0: every row imported; 1: some rows rejected (the others are written); 2: nothing could be done."""
    try:
        mapping = load_mapping(Path(args.correspondance)) if args.correspondance else Mapping()
        mapping.columns.update(pairs(args.colonne, "--colonne"))
        mapping.values.update(pairs(args.valeur, "--valeur"))
        if args.texte:
            mapping.text = args.texte
        report = import_csv(Path(args.fichier), args.kind, Path(args.dossier), mapping=mapping, dry_run=args.dry_run)
    except ImportProblem as exc:
        print(f"commun : erreur : {exc}", file=sys.stderr)
        return 2
    for line in report_lines(report):
        print(line)
    return 1 if report.rejected else 0


# --- commands that run the build's steps outside MkDocs ---------------------------------------------------


def project_options(root: Path, **given: Any) -> Options:
    """The build options `mkdocs build` would use: site name, address and the plugin's options from
    mkdocs.yml, completed from the environment."""
    config_file = root / "mkdocs.yml"
    try:
        config = yaml.safe_load(config_file.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise UsageError(f"{display(config_file)} illisible ({exc})") from None
    plugin: dict[str, Any] = {}
    for entry in config.get("plugins") or []:
        if isinstance(entry, dict) and "commun" in entry:
            plugin = entry["commun"] or {}
    settings: dict[str, Any] = {
        "root": root,
        "content": plugin.get("contenu", "content"),
        "site_name": config.get("site_name", "Commun"),
        "site_url": config.get("site_url"),
        "repo_url": config.get("repo_url"),
        "edit_url": plugin.get("edition"),
        "drafts": plugin.get("brouillons", False),
        "search": plugin.get("recherche", True),
        "deliverables": plugin.get("livrables", True),
        "offline": plugin.get("hors_ligne", True),
        "cms": plugin.get("cms", {}),
    }
    return Options.with_environment(**{**settings, **given})


def checked_build(options: Options, *, links_from_source: bool = False) -> Build | None:
    """A linked build, or None after printing the content's errors."""
    if not options.content_dir.is_dir():
        raise UsageError(f"le dossier « {options.content} » n'existe pas")
    build = Build(options)
    content = build.check()
    if content.errors:
        for problem in content.errors:
            print(problem, file=sys.stderr)
        print(summary(content.errors) + " : corrigez le contenu (commun check content)", file=sys.stderr)
        return None
    build.link(content, html_blocks=False, links_from_source=links_from_source)
    return build


def add_deliverables_command(commands: Any) -> None:
    """`commun livrables`: the PDF deliverables without building the site."""
    command = commands.add_parser(
        "livrables", help="écrit les livrables PDF du Labo : fiche individuelle et certificat d'assiduité"
    )
    command.add_argument("--dossier", default="content", help="dossier du contenu (content/)")
    command.add_argument("--sortie", default="livrables", help="dossier où écrire les PDF (livrables/)")
    command.add_argument("--structure", metavar="IDENTIFIANT", help="une seule structure (ex. ccas-acoua)")
    command.set_defaults(run=run_deliverables)


def run_deliverables(args: Any) -> int:
    from ..outputs.pdf.render import PdfRenderer  # fpdf weighs 30 MiB: loaded only when PDFs are made

    build = checked_build(project_options(Path.cwd(), content=args.dossier))
    if build is None or build.graph is None:
        return 1
    if args.structure and args.structure not in {d.slug for d in deliverables(build.graph)}:
        raise UsageError(f"pas de livrables pour « {args.structure} » : CCAS ou CIAS publié attendu")
    out = Path(args.sortie)
    for name, data in PdfRenderer(build.graph, site_name=build.options.site_name).files(only=args.structure).items():
        path = out / name.removeprefix("ccas/")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        print(f"PDF écrit : {display(path)}")
    return 0


def add_offline_command(commands: Any) -> None:
    """`commun hors-ligne`: the offline copy of a site already built (the build also writes it)."""
    command = commands.add_parser("hors-ligne", help="fait la copie hors ligne (ZIP) d'un site déjà construit")
    command.add_argument("--site", default="site", help="dossier du site construit (site/)")
    command.add_argument("--sortie", help=f"archive à écrire (par défaut SITE/{ARCHIVE})")
    command.add_argument("--dossier", default="content", help="dossier du contenu (content/)")
    command.set_defaults(run=run_offline)


def run_offline(args: Any) -> int:
    site = Path(args.site)
    if not (site / "index.html").is_file():
        raise UsageError(f"pas de site construit dans « {args.site} » (lancez make build)")
    build = checked_build(project_options(Path.cwd(), content=args.dossier))
    if build is None:
        return 1
    report = build.offline_copy(site, Path(args.sortie) if args.sortie else None)
    print(f"Copie hors ligne écrite : {display(report.path)} ({report.pages} pages, {report.size // 1024} Kio)")
    return 0


ZENSICAL_DOCS = Path(".cache") / "zensical" / "docs"
ZENSICAL_CONFIG = ".zensical.yml"
ZENSICAL_SITE = "site-zensical"


def add_zensical_command(commands: Any) -> None:
    """`commun zensical`: the same site built by Zensical, which runs no plugin of ours."""
    command = commands.add_parser(
        "zensical",
        help=f"construit le site avec Zensical dans {ZENSICAL_SITE}/ (pages écrites d'avance, puis données, "
        "livrables, copie hors ligne et recherche)",
    )
    command.add_argument("--sortie", default=ZENSICAL_SITE, help=f"dossier du site ({ZENSICAL_SITE}/)")
    command.set_defaults(run=run_zensical)


def run_zensical(args: Any) -> int:
    """Write every page into an engine-neutral docs folder, have Zensical build it, then run the steps
    that follow the site: Zensical ignores the plugins it does not know."""
    root = Path.cwd()
    options = project_options(root)
    build = checked_build(options, links_from_source=True)
    if build is None:
        return 1
    docs = root / ZENSICAL_DOCS
    count = build.write_docs(root / "docs", docs)
    print(f"pages écrites pour Zensical : {count} dans {display(docs)}")
    config = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    config.pop("plugins", None)
    config.update(docs_dir=ZENSICAL_DOCS.as_posix(), site_dir=args.sortie)
    config["theme"]["custom_dir"] = "docs/overrides"
    if options.site_url:
        config["site_url"] = options.site_url
    (root / ZENSICAL_CONFIG).write_text(
        "# Written by `commun zensical` from mkdocs.yml: the pages are already in docs_dir.\n"
        + yaml.safe_dump(config, allow_unicode=True, sort_keys=False),
        encoding="utf-8",
    )
    program = shutil.which("zensical", path=str(Path(sys.executable).parent)) or shutil.which("zensical")
    if program is None:
        raise UsageError("programme zensical introuvable : installez les outils de développement (make install)")
    done = subprocess.run([program, "build", "-f", ZENSICAL_CONFIG], cwd=root, check=False)
    if done.returncode != 0:
        print(f"commun : erreur : Zensical a échoué (code {done.returncode})", file=sys.stderr)
        return 1
    build.copy_attachments(root / args.sortie)
    try:
        for line in build.after_site(root / args.sortie):
            print(line)
    except SearchError as exc:
        print(f"commun : erreur : recherche : {exc}", file=sys.stderr)
        return 1
    return 0


# --- the web form on a clone ---------------------------------------------------------------------------


def add_form_command(commands: Any) -> None:
    """`commun formulaire`: decap-server on the form's own working copy (what `make formulaire` runs)."""
    command = commands.add_parser(
        "formulaire",
        help=f"sert le formulaire web (/admin/) de l'aperçu sur sa propre copie de travail ({cms.LOCAL_COPY}/, "
        f"branche {cms.LOCAL_BRANCH}) : vos fichiers ne sont jamais touchés",
    )
    command.add_argument("--port", type=int, default=8081, help="port de decap-server (8081)")
    command.set_defaults(run=run_form)


def run_form(args: Any) -> int:
    root = Path.cwd()
    node = shutil.which("node")
    try:
        script = cms.server_script(root)
        if node is None:
            raise FormCopyError("Node.js introuvable : lancez « make cms », qui l'installe")
        copy = prepare(root)
    except (FormCopyError, cms.CmsError) as exc:
        print(f"commun : erreur : formulaire web : {exc}", file=sys.stderr)
        return 1
    print(
        f"Formulaire web : chaque fiche enregistrée sera un commit sur la branche {cms.LOCAL_BRANCH}, dans "
        f"{display(copy)}/ (à jour de votre dernier commit) ; vos fichiers ne sont pas touchés.\n"
        "Ouvrez http://127.0.0.1:8000/admin/ (make serve dans un autre terminal) ; les fiches enregistrées "
        "se prévisualisent avec make apercu-formulaire. Ctrl-C arrête le formulaire.",
        flush=True,
    )
    server = subprocess.Popen(
        [str(node), str(script)],
        env=server_environment(copy, args.port),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )

    def stop(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)  # stopped by another program (a test, a supervisor): as by Ctrl-C
    try:
        for line in typing.cast(typing.IO[str], server.stdout):
            if (said := french(line)) is not None:
                print(said, flush=True)
        server.wait()
    except KeyboardInterrupt:
        print("\nFormulaire arrêté.")
        return 0
    finally:  # the server never outlives the command
        if server.poll() is None:
            server.terminate()
            server.wait(timeout=10)
    print("commun : erreur : le serveur du formulaire s'est arrêté", file=sys.stderr)
    return 1


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
