"""Contributing without friction: each route a contributor takes, tested end to end where it can run here.

- the commit hook (.pre-commit-config.yaml) run by the real `pre-commit` on a temporary repository;
- `commun check` given the files of a commit;
- `commun new` asking its questions in a terminal (a real pseudo-terminal), or answering from flags;
- the forge's files (.github/): workflows and issue forms validated against the schemas of check-jsonschema,
  and read for what they must do, since they cannot run here;
- editor help (.vscode/, .editorconfig) and CONTRIBUTING.md, checked against the repository they describe.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import pty
import re
import select
import shutil
import subprocess
import sys
import time
import typing
from pathlib import Path
from typing import Any

import pytest
import yaml
from commun.adapters.cli import parser
from commun.authoring.questions import Answers, Asker, ask_new, literal_options
from commun.core.kinds import KINDS
from commun.core.models import Initiative
from commun.outputs.scaffold import render_new
from commun.stages.check import check
from factories import ROOT, fiche_data, write_fiche

BIN = Path(sys.executable).parent
IDENTITY = {
    "GIT_AUTHOR_NAME": "Essai",
    "GIT_AUTHOR_EMAIL": "essai@exemple.invalid",
    "GIT_COMMITTER_NAME": "Essai",
    "GIT_COMMITTER_EMAIL": "essai@exemple.invalid",
}
BROKEN = "champ obligatoire « publics » manquant"


def run(*args: str | Path, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(a) for a in args], cwd=cwd, env={**os.environ, **(env or {})},
        capture_output=True, text=True, check=False, stdin=subprocess.DEVNULL,
    )


def commun(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return run(sys.executable, "-m", "commun", *args, cwd=cwd)


# --- the commit hook -------------------------------------------------------------------------------------


@pytest.fixture
def hooked_repo(content_dir: Path) -> Path:
    """A git repository with the minimal content, the project's hook config and its environment (.venv)."""
    repo = content_dir.parent
    shutil.copy(ROOT / ".pre-commit-config.yaml", repo)
    (repo / ".venv").symlink_to(Path(sys.executable).parents[1])
    (repo / ".gitignore").write_text(".venv\n.pre-commit/\n", encoding="utf-8")
    env = {**IDENTITY, "PRE_COMMIT_HOME": str(repo / ".pre-commit")}
    assert run("git", "init", "-q", "-b", "main", cwd=repo).returncode == 0
    installed = run(BIN / "pre-commit", "install", cwd=repo, env=env)
    assert installed.returncode == 0, installed.stderr
    return repo


def commit(repo: Path, message: str, *paths: str) -> subprocess.CompletedProcess[str]:
    run("git", "add", *(paths or ["-A"]), cwd=repo)
    env = {**IDENTITY, "PRE_COMMIT_HOME": str(repo / ".pre-commit")}
    return run("git", "commit", "-q", "-m", message, cwd=repo, env=env)


def commits(repo: Path) -> int:
    return int(run("git", "rev-list", "--count", "HEAD", cwd=repo).stdout.strip() or 0)


def test_the_commit_hook_refuses_a_broken_fiche_in_french_and_accepts_a_valid_one(hooked_repo: Path) -> None:
    content = hooked_repo / "content"
    first = commit(hooked_repo, "Contenu de départ")
    assert first.returncode == 0, first.stdout + first.stderr
    assert "Vérification des fiches (commun check)" in first.stdout + first.stderr

    broken = fiche_data("initiatives", "epicerie-solidaire", publics=None, titre="Jardin partagé")
    write_fiche(content, "initiatives", "jardin-partage", broken)
    refused = commit(hooked_repo, "Une fiche incomplète")
    output = refused.stdout + refused.stderr
    assert refused.returncode != 0
    assert f"content/initiatives/jardin-partage.md:2:1: erreur: {BROKEN}" in output
    assert commits(hooked_repo) == 1

    write_fiche(content, "initiatives", "jardin-partage", {**broken, "publics": ["familles"]})
    accepted = commit(hooked_repo, "La fiche complétée")
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    assert commits(hooked_repo) == 2


def test_an_unfinished_fiche_left_out_of_the_commit_does_not_block_it(hooked_repo: Path) -> None:
    content = hooked_repo / "content"
    assert commit(hooked_repo, "Contenu de départ").returncode == 0
    write_fiche(content, "initiatives", "pas-finie", {"titre": "Pas finie"})
    write_fiche(content, "initiatives", "jardin", fiche_data("initiatives", "epicerie-solidaire", titre="Jardin"))
    result = commit(hooked_repo, "Seulement le jardin", "content/initiatives/jardin.md")
    assert result.returncode == 0, result.stdout + result.stderr
    assert commits(hooked_repo) == 2


def test_without_its_environment_the_hook_says_in_french_what_to_do(content_dir: Path) -> None:
    """A clone where `make hooks` was run once, then .venv removed: the commit is refused, in French."""
    repo = content_dir.parent
    shutil.copy(ROOT / ".pre-commit-config.yaml", repo)
    env = {**IDENTITY, "PRE_COMMIT_HOME": str(repo / ".pre-commit")}
    assert run("git", "init", "-q", "-b", "main", cwd=repo).returncode == 0
    (repo / ".gitignore").write_text(".pre-commit/\n", encoding="utf-8")
    assert run(BIN / "pre-commit", "install", cwd=repo, env=env).returncode == 0
    run("git", "add", "-A", cwd=repo)
    refused = run("git", "commit", "-q", "-m", "Contenu", cwd=repo, env={**env, "PATH": "/usr/bin:/bin"})
    output = refused.stdout + refused.stderr
    assert refused.returncode != 0 and commits(repo) == 0
    assert "Vérification des fiches (commun check)" in output
    assert "La commande commun est introuvable : lancez « make hooks » à la racine du dépôt" in output
    assert "not found" not in output


def test_the_hook_configuration_is_valid_and_local() -> None:
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    assert [repo["repo"] for repo in config["repos"]] == ["local"], "un crochet distant se téléchargerait"
    result = run(BIN / "pre-commit", "validate-config", ".pre-commit-config.yaml", cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


# --- commun check on the files of a commit ------------------------------------------------------------------


def test_check_given_files_reports_theirs_and_counts_the_others(chdir_tmp: Path, content_dir: Path) -> None:
    write_fiche(content_dir, "initiatives", "cassee", fiche_data("initiatives", "epicerie-solidaire", publics=None))
    mine = commun("check", "content", "content/initiatives/cassee.md", cwd=chdir_tmp)
    assert mine.returncode == 1
    assert f"content/initiatives/cassee.md:2:1: erreur: {BROKEN}" in mine.stdout

    other = commun("check", "content", "content/initiatives/epicerie-solidaire.md", cwd=chdir_tmp)
    assert other.returncode == 0, other.stdout
    assert other.stdout.splitlines() == [
        "Aucun problème dans 1 fichier vérifié.",
        "(et 1 erreur dans d'autres fichiers du dossier : lancez « commun check content » pour les voir)",
    ]


def test_check_given_a_vocabulary_reports_every_file(chdir_tmp: Path, content_dir: Path) -> None:
    write_fiche(content_dir, "initiatives", "cassee", fiche_data("initiatives", "epicerie-solidaire", publics=None))
    result = commun("check", "content", "content/vocabulaires/thematiques.yml", cwd=chdir_tmp)
    assert result.returncode == 1
    assert BROKEN in result.stdout


# --- commun new: questions in a terminal, flags in a script ------------------------------------------------


class Terminal:
    """A program run in a pseudo-terminal: what it prints is read, answers are typed."""

    def __init__(self, args: list[str], cwd: Path) -> None:
        self.master, slave = pty.openpty()
        self.process = subprocess.Popen(args, cwd=cwd, stdin=slave, stdout=slave, stderr=slave)
        os.close(slave)
        self.screen = ""
        self.seen = 0
        """How much of the screen earlier expectations matched: each one waits for text printed after."""

    def expect(self, text: str, timeout: float = 20) -> None:
        deadline = time.monotonic() + timeout
        while text not in self.screen[self.seen :]:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([self.master], [], [], remaining)[0]:
                raise AssertionError(f"« {text} » n'est pas apparu ; écran :\n{self.screen}")
            try:
                self.screen += os.read(self.master, 4096).decode("utf-8", "replace")
            except OSError:  # the program ended
                raise AssertionError(f"« {text} » n'est pas apparu ; écran :\n{self.screen}") from None
        self.seen = self.screen.index(text, self.seen) + len(text)

    def type(self, answer: str) -> None:
        os.write(self.master, answer.encode() + b"\n")

    def close(self) -> int:
        code = self.process.wait(timeout=20)
        os.close(self.master)
        return code


def test_commun_new_asks_in_french_in_a_terminal_and_writes_a_valid_fiche(chdir_tmp: Path, content_dir: Path) -> None:
    term = Terminal([sys.executable, "-m", "commun", "new"], chdir_tmp)
    try:
        # In the order CONTRIBUTING.md tells; a required question left blank is asked again.
        for question, answer in [
            ("Quel type de fiche voulez-vous créer", "initiative"),
            ("Titre de la fiche initiative", "Jardin partagé"),
            ("Nom du fichier (sans accents ni espaces) [jardin-partage]", ""),
            ("Résumé en une ou deux phrases (300 caractères au plus) : ", ""),
            ("Une réponse est nécessaire.", "Un jardin cultivé par les habitants du quartier."),
            ("Structure qui porte l'initiative", "réel"),
            ("Thématiques", ""),
            ("Au moins un choix est nécessaire.", "aide"),
            ("Publics visés", ""),
            ("Au moins un choix est nécessaire.", "familles, jeunes"),
            ("Codes INSEE des communes concernées, séparés par des virgules", "97611"),
            ("Statut :", "en cours"),
        ]:
            term.expect(question)
            term.type(answer)
        term.expect("Fiche créée : content/initiatives/jardin-partage.md")
        term.expect("vérifiez-la avec : ")
    finally:
        code = term.close()
    assert code == 0, term.screen
    text = (content_dir / "initiatives" / "jardin-partage.md").read_text(encoding="utf-8")
    assert 'porteur: "ccas-reel"' in text and 'publics: ["familles", "jeunes"]' in text
    assert 'communes: ["97611"]' in text
    content = check(content_dir)
    assert content.errors == [], content.errors
    assert content.fiches["initiatives"]["jardin-partage"].meta.statut == "en_cours"


def test_commun_new_stops_cleanly_when_the_person_gives_up(chdir_tmp: Path, content_dir: Path) -> None:
    term = Terminal([sys.executable, "-m", "commun", "new", "initiatives"], chdir_tmp)
    term.expect("Titre de la fiche initiative")
    os.write(term.master, b"\x04")
    term.expect("abandon ; rien n'a été écrit")
    assert term.close() == 130
    assert sorted(p.name for p in (content_dir / "initiatives").iterdir()) == ["epicerie-solidaire.md"]


def scripted(answers: list[str] | typing.Callable[[str], str]) -> tuple[Asker, list[str]]:
    """An asker answering from a list (or from the prompt), recording everything it shows."""
    pending, shown = (list(answers) if isinstance(answers, list) else None), []

    def read(prompt: str) -> str:
        shown.append(prompt)
        if len(shown) > 500:  # a question asked again and again: give up rather than loop for ever
            raise EOFError
        if pending is None:
            return typing.cast(typing.Callable[[str], str], answers)(prompt)
        if not pending:
            raise EOFError
        return pending.pop(0)

    return Asker(read=read, write=shown.append), shown


def test_wrong_answers_are_explained_and_asked_again(content_dir: Path) -> None:
    asker, shown = scripted(
        ["", "Jardin", "Epicerie-Solidaire", "epicerie-solidaire", "jardin", "x" * 301, "", "Un jardin.",  # titre…
         "", "", "sant, 99", "aide", "seniors", "976", "97611, 97617", "inconnu", "termine"]  # porteur, thèmes…
    )
    answers = ask_new(Answers(kind="initiatives"), check(content_dir), asker)
    assert shown.count("  Une réponse est nécessaire.") == 2  # the title, the summary
    assert shown.count("  Au moins un choix est nécessaire.") == 1  # the themes
    assert "  minuscules sans accents, chiffres et tirets (ex. epicerie-solidaire)" in shown
    assert "  une fiche « epicerie-solidaire » existe déjà dans content/initiatives/ : choisissez un autre nom" in shown
    assert "  301 caractères : 300 au plus" in shown
    assert any(line.startswith("  « sant » ne figure pas dans la liste") for line in shown), shown
    assert any("« inconnu » ne figure pas dans la liste" in line for line in shown)
    assert "  code INSEE invalide « 976 » : cinq caractères, par exemple 97611" in shown
    assert (answers.identifiant, answers.titre) == ("jardin", "Jardin")
    assert answers.values == {
        "resume": "Un jardin.", "thematiques": ["aide-alimentaire"], "publics": ["seniors"],
        "communes": ["97611", "97617"], "statut": "termine",
    }


@pytest.mark.parametrize(("structure_type", "asked_again"), [("ccas", True), ("autre", False)])
def test_a_rule_between_fields_asks_again_what_it_needs(
    content_dir: Path, structure_type: str, asked_again: bool
) -> None:
    """A CCAS must give its commune (a rule of the model): left blank, it is asked again; another structure not."""
    asker, shown = scripted(["CCAS de Mtsangamouji", "", "Le CCAS.", structure_type, "", "", "97613"])
    answers = ask_new(Answers(kind="ccas"), check(content_dir), asker)
    assert ("  un CCAS doit indiquer sa commune (code INSEE) :" in shown) is asked_again
    assert answers.values.get("commune") == ("97613" if asked_again else None)


def test_the_questions_offer_only_what_the_check_accepts(content_dir: Path) -> None:
    """Taking the first choice everywhere gives a fiche whose only errors are fields no list can fill."""
    content = check(content_dir)
    for kind, info in KINDS.items():
        asker, _ = scripted(lambda prompt: "97611" if "INSEE" in prompt else "Une fiche" if "Titre" in prompt
                            else "" if "Nom du fichier" in prompt else "Un résumé." if "Résumé" in prompt else "1")
        answers = ask_new(Answers(kind=kind), content, asker)
        text = render_new(kind, today=dt.date(2024, 5, 2), titre=answers.titre, answers=answers.values)
        path = content_dir / kind / f"{answers.identifiant}.md"
        path.write_text(text, encoding="utf-8")
        problems = [p.message for p in check(content_dir).errors if Path(p.path) == path]
        required = {name for name, field in info.model.model_fields.items() if field.is_required()}
        unasked = required - set(answers.values) - {"titre", "etat", "mis_a_jour"}
        missing = (
            r"champ obligatoire « (\w+) » manquant|champ « (\w+) » vide : complétez-le"
            r"|(\w+) : au moins 1 élément attendu"
        )
        fields = [re.fullmatch(missing, m) for m in problems]
        assert all(fields), problems
        assert {match[1] or match[2] or match[3] for match in fields if match} <= unasked, problems
        path.unlink()


def test_commun_new_in_a_script_asks_nothing(chdir_tmp: Path, content_dir: Path) -> None:
    flags = ["--titre", "Jardin", "--resume", "Un jardin.", "--porteur", "ccas-reel", "--thematique",
             "aide-alimentaire", "--public", "familles", "--champ", "statut=en_cours"]
    result = commun("new", "initiatives", "jardin", *flags, cwd=chdir_tmp)
    assert result.returncode == 0, result.stderr
    assert "?" not in result.stdout and "Votre choix" not in result.stdout
    assert check(content_dir).errors == []


def test_commun_new_ends_with_a_check_command_that_runs_as_written(content_dir: Path) -> None:
    """In a clone, the hint is `make check` (which sets up .venv first), not a bare `commun` off the PATH."""
    project = content_dir.parent
    for name in ("Makefile", "pyproject.toml", "requirements/dev.txt"):
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / name, project / name)
    # The clone's .venv, already set up: its `commun` runs this one (never the real .venv, which make could
    # otherwise reinstall from this copy); its stamp is newer than what it was installed from.
    venv = project / ".venv"
    (venv / "bin").mkdir(parents=True)
    (venv / "bin" / "commun").write_text(f'#!/bin/sh\nexec "{sys.executable}" -m commun "$@"\n', encoding="utf-8")
    (venv / "bin" / "commun").chmod(0o755)
    (venv / ".installed").touch()
    later = time.time() + 60
    os.utime(venv / ".installed", (later, later))
    flags = ["--titre", "Jardin", "--resume", "Un jardin.", "--porteur", "ccas-reel", "--thematique",
             "aide-alimentaire", "--public", "familles"]
    created = commun("new", "initiatives", "jardin", *flags, cwd=project)
    assert created.returncode == 0, created.stderr
    hint = created.stdout.strip().splitlines()[-1]
    assert hint == "Complétez-la, puis vérifiez-la avec : make check"
    command = hint.split(" : ", 1)[1].split()
    ran = run(*command, cwd=project, env={"PATH": "/usr/bin:/bin"})  # nothing of .venv on the PATH
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert "Aucun problème" in ran.stdout and "pip" not in ran.stdout + ran.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "indiquez le type et l'identifiant de la fiche"),
        (["initiatives", "jardin", "--porteur", "ccas-reels"],
         "porteur : « ccas-reels » n'est pas une valeur possible ; vouliez-vous dire « ccas-reel » ?"),
        (["initiatives", "jardin", "--thematique", "sante"], "thematiques : « sante » n'est pas une valeur possible"),
        (["initiatives", "jardin", "--champ", "statut"], "--champ « statut » : écrivez nom=valeur"),
        (["initiatives", "jardin", "--champ", "statu=idee"], "champ inconnu « statu » ; vouliez-vous dire « statut »"),
    ],
)
def test_commun_new_in_a_script_explains_wrong_flags(
    args: list[str], message: str, chdir_tmp: Path, content_dir: Path
) -> None:
    result = commun("new", *args, cwd=chdir_tmp)
    assert result.returncode == 2
    assert message in result.stderr
    assert not (content_dir / "initiatives" / "jardin.md").exists()


# --- the forge's files ------------------------------------------------------------------------------------

GITHUB = ROOT / ".github"
WORKFLOWS = sorted((GITHUB / "workflows").glob("*.yml"))
FORMS = sorted((GITHUB / "ISSUE_TEMPLATE").glob("*.yml"))


def schema_check(schema: str, *files: Path) -> subprocess.CompletedProcess[str]:
    return run(BIN / "check-jsonschema", "--builtin-schema", schema, *files, cwd=ROOT)


def test_workflows_follow_the_github_schema_and_set_timeouts() -> None:
    assert WORKFLOWS
    for schema in ("vendor.github-workflows", "custom.github-workflows-require-timeout"):
        result = schema_check(schema, *WORKFLOWS)
        assert result.returncode == 0, result.stdout + result.stderr


def test_the_schema_check_catches_a_broken_workflow(tmp_path: Path) -> None:
    data = yaml.safe_load(WORKFLOWS[0].read_text(encoding="utf-8"))
    job = next(iter(data["jobs"].values()))
    del job["runs-on"]
    job["steps"][0]["uses"] = None
    broken = tmp_path / "casse.yml"
    broken.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert schema_check("vendor.github-workflows", broken).returncode != 0


def workflow(name: str) -> dict[str, Any]:
    data = yaml.safe_load((GITHUB / "workflows" / name).read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def steps(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [step for job in data["jobs"].values() for step in job.get("steps", [])]


def test_pull_requests_get_annotations_a_build_a_preview_and_the_tests() -> None:
    data = workflow("verifier.yml")
    assert "pull_request" in data["on"]
    runs = [step.get("run", "") for step in steps(data)]
    uses = [step.get("uses", "") for step in steps(data)]
    check_step = next(i for i, r in enumerate(runs) if "commun check content --format github" in r)
    build_step = next(i for i, r in enumerate(runs) if "mkdocs build --strict" in r)
    upload_step = next(i for i, u in enumerate(uses) if u.startswith("actions/upload-artifact@"))
    test_step = next(i for i, r in enumerate(runs) if r.strip() == "make test")
    assert check_step < build_step < upload_step < test_step
    assert steps(data)[build_step]["env"]["COMMUN_BROUILLONS"] == "1"
    built = re.search(r"--site-dir (\S+)", runs[build_step])[1]  # type: ignore[index]
    assert steps(data)[upload_step]["with"]["path"].rstrip("/") == built
    assert any(u.startswith("actions/setup-node@") for u in uses), "npm ci (formulaire web) a besoin de Node.js"
    assert data["permissions"] == {"contents": "read"}


def test_main_is_deployed_to_github_pages() -> None:
    data = workflow("publier.yml")
    assert data["on"]["push"]["branches"] == ["main"]
    assert (data["permissions"]["pages"], data["permissions"]["id-token"]) == ("write", "write")
    uses = [step.get("uses", "") for step in steps(data)]
    assert any(u.startswith("actions/upload-pages-artifact@") for u in uses)
    assert any(u.startswith("actions/deploy-pages@") for u in uses)
    build = next(step for step in steps(data) if "mkdocs build --strict" in step.get("run", ""))
    assert "COMMUN_BROUILLONS" not in build.get("env", {}), "seules les fiches publiées sont en ligne"
    deploy = data["jobs"]["publier"]
    assert deploy["environment"]["name"] == "github-pages" and deploy["needs"] == "construire"


def test_issue_forms_follow_the_github_schema() -> None:
    names = {yaml.safe_load(path.read_text(encoding="utf-8"))["name"] for path in FORMS}
    assert names == {"Proposer une initiative", "Signaler une erreur"}
    result = schema_check("vendor.github-issue-forms", *FORMS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_schema_check_catches_a_broken_issue_form(tmp_path: Path) -> None:
    data = yaml.safe_load(FORMS[0].read_text(encoding="utf-8"))
    dropdown = next(item for item in data["body"] if item["type"] == "dropdown")
    dropdown["attributes"]["options"] = []
    data["body"].append({"type": "champ-libre", "attributes": {"label": "?"}})
    broken = tmp_path / "casse.yml"
    broken.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert schema_check("vendor.github-issue-forms", broken).returncode != 0


def test_issue_forms_ask_for_what_a_fiche_needs_without_personal_data() -> None:
    form = yaml.safe_load((GITHUB / "ISSUE_TEMPLATE" / "proposer-une-initiative.yml").read_text(encoding="utf-8"))
    items = {item.get("id"): item for item in form["body"]}
    ids = [item["id"] for item in form["body"] if "id" in item]
    assert len(ids) == len(set(ids))
    statuts = [shown for _, shown in literal_options(Initiative, "statut") or []]
    assert items["statut"]["attributes"]["options"] == statuts
    required = {i for i, item in items.items() if item.get("validations", {}).get("required")}
    assert {"titre", "porteur", "resume", "sources"} <= required
    consents = [o for o in items["accord"]["attributes"]["options"] if o.get("required")]
    assert any("donnée personnelle" in o["label"] for o in consents)


def test_the_pull_request_template_is_a_short_french_checklist() -> None:
    text = (GITHUB / "PULL_REQUEST_TEMPLATE.md").read_text(encoding="utf-8")
    items = re.findall(r"^- \[ \] (.+)$", text, re.M)
    assert 3 <= len(items) <= 8
    for needed in ("sources", "personnelle", "en_relecture", "aperçu"):
        assert any(needed in item for item in items), needed


# --- editor help ------------------------------------------------------------------------------------------


def test_vscode_maps_each_schema_to_its_content_folder() -> None:
    settings = json.loads((ROOT / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    mapping = settings["yaml.schemas"]
    schemas = {f"./schemas/{path.name}" for path in (ROOT / "schemas").glob("*.schema.json")}
    assert set(mapping) == schemas
    for kind in KINDS:
        assert mapping[f"./schemas/{kind}.schema.json"] == [f"content/{kind}/*.yml"]


def test_the_vscode_task_puts_check_problems_in_the_problems_panel(chdir_tmp: Path, content_dir: Path) -> None:
    tasks = json.loads((ROOT / ".vscode" / "tasks.json").read_text(encoding="utf-8"))["tasks"]
    task = next(t for t in tasks if "commun check" in t["command"])
    write_fiche(content_dir, "initiatives", "cassee", fiche_data("initiatives", "epicerie-solidaire", publics=None))
    output = commun("check", "content", cwd=chdir_tmp).stdout
    found = []
    for matcher in task["problemMatcher"]:
        pattern = matcher["pattern"]
        regex = re.compile(pattern["regexp"].replace("\\\\", "\\"))
        for match in map(regex.match, output.splitlines()):
            if match:
                found.append((matcher["severity"], match[pattern["file"]], int(match[pattern["line"]]),
                              match[pattern["message"]]))
    assert found == [("error", "content/initiatives/cassee.md", 2, BROKEN)]


def editorconfig() -> dict[str, dict[str, str]]:
    sections: dict[str, dict[str, str]] = {}
    current = sections.setdefault("", {})
    for line in (ROOT / ".editorconfig").read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line.startswith("["):
            current = sections.setdefault(line[1:-1], {})
        elif "=" in line and not line.startswith("#"):
            key, value = (part.strip() for part in line.split("=", 1))
            current[key] = value
    return sections


def test_editorconfig_matches_the_repository() -> None:
    sections = editorconfig()
    assert sections[""]["root"] == "true"
    rules = {key: sections["*"][key] for key in ("charset", "end_of_line", "insert_final_newline")}
    assert rules == {"charset": "utf-8", "end_of_line": "lf", "insert_final_newline": "true"}
    assert sections["Makefile"]["indent_style"] == "tab"
    assert re.search(r"^\t", (ROOT / "Makefile").read_text(encoding="utf-8"), re.M)
    for path in sorted((ROOT / "content").rglob("*")):
        if path.suffix in (".md", ".yml", ".csv"):
            raw = path.read_bytes()
            raw.decode("utf-8")
            assert b"\r" not in raw and raw.endswith(b"\n"), path


# --- CONTRIBUTING.md --------------------------------------------------------------------------------------


def test_contributing_walks_through_each_route_and_names_only_what_exists() -> None:
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    for route in ("commun new", "commun check", "COMMUN_BROUILLONS=1 make serve", "/admin/", "en_relecture",
                  "publie", "OAuth", "Proposer une initiative", "Signaler une erreur"):
        assert route in text, route
    targets = set(re.findall(r"^([a-z][\w-]*):", (ROOT / "Makefile").read_text(encoding="utf-8"), re.M))
    for target in re.findall(r"\bmake ([a-z][\w-]*)", text):
        assert target in targets, f"make {target}"
    commands = set(parser()._subparsers._group_actions[0].choices)  # type: ignore[union-attr]
    named = re.findall(r"(?:`|bin/)commun ([a-z]+)", text)
    assert {"new", "check"} <= set(named) <= commands, named
    for path in re.findall(r"`((?:\.github|\.vscode|tools|content|schemas)/[^`*<]+?)`", text):
        assert (ROOT / path).exists(), path


def test_the_template_in_contributing_has_every_required_field_of_an_initiative(content_dir: Path) -> None:
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    template = re.search(r"```yaml\n(---\n.*?)```", text, re.S)[1]  # type: ignore[index]
    front = yaml.safe_load(template.split("---\n")[1])
    required = {name for name, field in Initiative.model_fields.items() if field.is_required()}
    assert required <= set(front) <= set(Initiative.model_fields)
    path = content_dir / "initiatives" / "depuis-le-modele.md"
    path.write_text(template, encoding="utf-8")
    # Once its placeholders are replaced the fiche is valid: here, only the porteur is left to choose.
    problems = [p.message for p in check(content_dir).errors if Path(p.path) == path]
    assert problems == ["porteur : aucune fiche « ccas-de-votre-commune » dans content/ccas/ (structures)"]
