"""The web form on a clone (`make formulaire`) saves into its own working copy, never into the contributor's.

decap-server, run by `commun formulaire` as `make formulaire` does, is driven through its HTTP API exactly as
the preview's /admin/ page drives it (the branch and publish mode of the preview's configuration), with
work in progress in the clone: a fiche not yet committed and an uncommitted edit of a tracked fiche.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from commun.authoring.form_copy import FormCopyError, prepare
from commun.outputs import cms
from factories import fiche_data, fiche_text, make_content, write_fiche
from projectkit import free_port, wait_until_listening

IDENTITY = {
    "GIT_AUTHOR_NAME": "Essai",
    "GIT_AUTHOR_EMAIL": "essai@exemple.invalid",
    "GIT_COMMITTER_NAME": "Essai",
    "GIT_COMMITTER_EMAIL": "essai@exemple.invalid",
}


def git(repo: Path, *args: str) -> str:
    result = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    return result.stdout


def commun(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "commun", *args], cwd=cwd, capture_output=True, text=True, check=False, timeout=60
    )


@pytest.fixture
def clone(tmp_path: Path) -> Path:
    """A clone with the minimal content, committed on main, its author known to git."""
    repo = tmp_path / "depot"
    make_content(repo)
    (repo / ".gitignore").write_text(".cache/\n", encoding="utf-8")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.name", IDENTITY["GIT_AUTHOR_NAME"])
    git(repo, "config", "user.email", IDENTITY["GIT_AUTHOR_EMAIL"])
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "Contenu de départ")
    return repo


@pytest.fixture
def form(clone: Path) -> Iterator[str]:
    """`commun formulaire` (what `make formulaire` runs) serving the clone; its API's address."""
    try:
        cms.server_script()
    except cms.CmsError as exc:
        pytest.fail(str(exc))
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "commun", "formulaire", "--port", str(port)],
        cwd=clone,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    if (printed := wait_until_listening(process, port)) is not None:
        pytest.fail(f"le formulaire n'a pas démarré :\n{printed}")
    yield f"http://127.0.0.1:{port}/api/v1"
    process.terminate()
    process.wait(timeout=10)
    with pytest.raises(OSError):  # stopping the command stops decap-server: nothing left listening
        socket.create_connection(("127.0.0.1", port), timeout=1).close()


def preview_settings() -> dict[str, Any]:
    """What the preview's /admin/ page (mkdocs serve) tells Decap CMS: the branch and the publish mode."""
    config = cms.config({}, cms.Options(), preview=True)
    return {"branch": config["backend"]["branch"], "workflow": config["publish_mode"] == "editorial_workflow"}


def save(api: str, kind: str, slug: str, text: str) -> tuple[int, dict[str, Any]]:
    """Save a fiche as the form does when « Enregistrer » is clicked."""
    settings = preview_settings()
    body = {
        "action": "persistEntry",
        "params": {
            "branch": settings["branch"],
            "dataFiles": [{"slug": slug, "path": f"content/{kind}/{slug}.md", "raw": text}],
            "assets": [],
            "options": {
                "collectionName": kind,
                "commitMessage": f"Nouvelle fiche {kind} : {slug}",
                "useWorkflow": settings["workflow"],
                "status": "draft",
            },
        },
    }
    request = urllib.request.Request(
        api, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def state(repo: Path, *paths: str) -> dict[str, Any]:
    """What the contributor has in the clone: files, status, current commit and branch."""
    return {
        "files": {path: (repo / path).read_bytes() for path in paths},
        "status": git(repo, "status", "--porcelain", "--untracked-files=all"),
        "head": git(repo, "rev-parse", "HEAD"),
        "branch": git(repo, "branch", "--show-current"),
        "stash": git(repo, "stash", "list"),
    }


UNFINISHED = "content/initiatives/pas-finie.md"
EDITED = "content/initiatives/epicerie-solidaire.md"


def work_in_progress(repo: Path) -> None:
    write_fiche(repo / "content", "initiatives", "pas-finie", {"titre": "Pas finie, pas encore ajoutée à git"})
    with (repo / EDITED).open("a", encoding="utf-8") as stream:
        stream.write("\nUne phrase en cours d'écriture, pas encore enregistrée dans git.\n")


def test_the_form_saves_beside_work_in_progress_and_never_touches_it(clone: Path, form: str) -> None:
    work_in_progress(clone)
    before = state(clone, UNFINISHED, EDITED)
    text = fiche_text(fiche_data("initiatives", "epicerie-solidaire", titre="Jardin partagé", etat="brouillon"))

    status, answer = save(form, "initiatives", "jardin-partage", text)
    assert status == 200, answer
    # The form's edit of a fiche being edited here too: saved there, not here.
    edited = fiche_text(fiche_data("initiatives", "epicerie-solidaire", resume="Résumé revu dans le formulaire."))
    status, answer = save(form, "initiatives", "epicerie-solidaire", edited)
    assert status == 200, answer

    assert state(clone, UNFINISHED, EDITED) == before
    branch = cms.LOCAL_BRANCH
    assert git(clone, "show", f"{branch}:content/initiatives/jardin-partage.md") == text
    assert git(clone, "show", f"{branch}:{EDITED}") == edited
    saved = git(clone, "log", "--name-only", "--format=", f"main..{branch}").split()
    assert sorted(saved) == [EDITED, "content/initiatives/jardin-partage.md"]
    # The saved fiches are in the form's working copy, which `make apercu-formulaire` serves.
    copy = clone / cms.LOCAL_COPY
    assert (copy / "content" / "initiatives" / "jardin-partage.md").read_text(encoding="utf-8") == text
    assert git(copy, "status", "--porcelain") == ""


def test_the_form_starts_from_the_latest_commit_and_keeps_what_it_saved(clone: Path) -> None:
    copy = prepare(clone)
    (copy / "content" / "initiatives" / "du-formulaire.md").write_text(
        fiche_text(fiche_data("initiatives", "epicerie-solidaire", titre="Du formulaire")), encoding="utf-8"
    )
    git(copy, "add", "-A")
    git(copy, "commit", "-q", "-m", "Une fiche du formulaire")
    write_fiche(clone / "content", "initiatives", "de-la-copie", fiche_data("initiatives", "epicerie-solidaire"))
    git(clone, "add", "-A")
    git(clone, "commit", "-q", "-m", "Une fiche de la copie")

    assert prepare(clone) == copy
    files = git(clone, "ls-tree", "-r", "--name-only", cms.LOCAL_BRANCH, "content/initiatives/").split()
    assert {"content/initiatives/du-formulaire.md", "content/initiatives/de-la-copie.md"} <= set(files)
    assert git(clone, "branch", "--show-current").strip() == "main"


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("pas-de-depot", "n'est pas un dépôt git"),
        ("dossier-occupe", ".cache/formulaire existe mais n'est pas la copie de travail du formulaire"),
        ("conflit", "modifient les mêmes lignes (content/initiatives/epicerie-solidaire.md)"),
        ("sans-auteur", "git ne sait pas à quel nom enregistrer les fiches du formulaire"),
    ],
)
def test_what_stops_the_form_is_said_in_french(clone: Path, tmp_path: Path, setup: str, message: str) -> None:
    where = clone
    if setup == "pas-de-depot":
        where = tmp_path / "pas-un-depot"
        make_content(where)
    elif setup == "dossier-occupe":
        (clone / cms.LOCAL_COPY).mkdir(parents=True)
        (clone / cms.LOCAL_COPY / "notes.txt").write_text("à garder", encoding="utf-8")
    elif setup == "conflit":
        copy = prepare(clone)
        for repo, words in ((copy, "dans le formulaire"), (clone, "dans la copie")):
            write_fiche(repo / "content", "initiatives", "epicerie-solidaire",
                        fiche_data("initiatives", "epicerie-solidaire", resume=f"Résumé écrit {words}."))
            git(repo, "commit", "-q", "-am", f"Résumé {words}")
    elif setup == "sans-auteur":
        git(clone, "config", "--unset", "user.name")
    environment = {key: value for key, value in os.environ.items() if not key.startswith("GIT_")}
    result = subprocess.run(
        [sys.executable, "-m", "commun", "formulaire", "--port", str(free_port())],
        cwd=where, capture_output=True, text=True, check=False, timeout=60,
        env={**environment, "HOME": str(tmp_path), "GIT_CONFIG_NOSYSTEM": "1"},
    )  # fmt: skip
    assert result.returncode == 1
    assert message in result.stderr, result.stderr
    assert result.stderr.startswith("commun : erreur : formulaire web : ") and "Traceback" not in result.stderr
    if setup == "dossier-occupe":
        assert (clone / cms.LOCAL_COPY / "notes.txt").read_text(encoding="utf-8") == "à garder"
    if setup == "conflit":
        assert git(clone / cms.LOCAL_COPY, "status", "--porcelain") == ""  # the merge was undone


def test_prepare_raises_a_french_error_outside_a_repository(tmp_path: Path) -> None:
    with pytest.raises(FormCopyError, match="n'est pas un dépôt git"):
        prepare(tmp_path)


def test_only_the_preview_sends_the_form_to_its_working_copy() -> None:
    preview = cms.config({}, cms.Options(), preview=True)
    assert (preview["backend"]["branch"], preview["publish_mode"]) == (cms.LOCAL_BRANCH, "simple")
    published = cms.config({}, cms.Options())
    assert (published["backend"]["branch"], published["publish_mode"]) == ("main", "editorial_workflow")
    no_local = cms.config({}, cms.Options(local=False), preview=True)
    assert no_local["backend"]["branch"] == "main"
