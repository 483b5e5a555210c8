"""`make formulaire`: the web form's own working copy, so that it never touches the contributor's files.

decap-server (tools/cms) commits with `git add .` in the folder it is given and checks branches out
there. Run on the clone itself, it swept a fiche not yet committed into the form's commit (and onto the
form's branch), and saving failed (« Unknown error ») while a tracked file had uncommitted edits. It runs
instead in a git worktree of the clone, `.cache/formulaire/`, on the branch `formulaire`, brought up to
date with the clone's HEAD each time the form starts: each fiche saved in the form is a commit on that
branch, in the same repository (`git log formulaire`, `git merge formulaire`, or push it and propose it),
and `make apercu-formulaire` previews that copy.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

from ..core.corpus import display
from ..outputs.cms import LOCAL_BRANCH, LOCAL_COPY


class FormCopyError(Exception):
    """The form's working copy cannot be made or updated; the message says why, in French."""


def git(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", *args], cwd=cwd, capture_output=True, text=True, check=False, env={**os.environ, "LC_ALL": "C"}
    )


def _detail(result: subprocess.CompletedProcess[str]) -> str:
    lines = [line.strip() for line in (result.stderr or result.stdout).splitlines() if line.strip()]
    return lines[-1] if lines else f"code {result.returncode}"


def prepare(root: Path) -> Path:
    """The form's working copy of the clone at `root`, created or brought up to date with its HEAD."""
    top = git("rev-parse", "--show-toplevel", cwd=root)
    if top.returncode != 0:
        raise FormCopyError(
            f"« {display(root)} » n'est pas un dépôt git : le formulaire enregistre chaque fiche par un commit ; "
            "travaillez dans une copie du dépôt (git clone …)"
        )
    root = Path(top.stdout.strip())
    head = git("rev-parse", "--verify", "--quiet", "HEAD^{commit}", cwd=root).stdout.strip()
    if not head:
        raise FormCopyError("le dépôt n'a encore aucun commit : faites-en un (git commit) avant d'ouvrir le formulaire")
    if any(git("config", key, cwd=root).returncode != 0 for key in ("user.name", "user.email")):
        raise FormCopyError(
            "git ne sait pas à quel nom enregistrer les fiches du formulaire : "
            'git config user.name "Votre nom" puis git config user.email "votre@adresse"'
        )
    copy = root / LOCAL_COPY
    git("worktree", "prune", cwd=root)
    listed = git("worktree", "list", "--porcelain", cwd=root).stdout.splitlines()
    copies = {Path(line.removeprefix("worktree ")).resolve() for line in listed if line.startswith("worktree ")}
    if copy.resolve() not in copies:
        if copy.exists():
            raise FormCopyError(
                f"{display(copy)} existe mais n'est pas la copie de travail du formulaire : "
                "déplacez ou supprimez ce dossier, puis relancez make formulaire"
            )
        branch = git("rev-parse", "--verify", "--quiet", f"refs/heads/{LOCAL_BRANCH}", cwd=root).returncode == 0
        create = ["worktree", "add", "--quiet", str(copy)]
        added = git(*create, LOCAL_BRANCH, cwd=root) if branch else git(*create, "-b", LOCAL_BRANCH, head, cwd=root)
        if added.returncode != 0:
            raise FormCopyError(
                f"impossible de créer la copie de travail du formulaire dans {display(copy)} (git : {_detail(added)})"
            )
    _update(copy, head)
    return copy


def _update(copy: Path, head: str) -> None:
    """Bring the form's branch up to date with the clone's HEAD, keeping the fiches the form saved."""
    where = display(copy)
    current = git("symbolic-ref", "--quiet", "--short", "HEAD", cwd=copy).stdout.strip()
    if current != LOCAL_BRANCH:
        raise FormCopyError(
            f"la copie de travail du formulaire ({where}) n'est pas sur la branche {LOCAL_BRANCH} : "
            f"git -C {where} switch {LOCAL_BRANCH}, puis relancez make formulaire"
        )
    if changed := git("status", "--porcelain", cwd=copy).stdout.splitlines():
        files = ", ".join(line[3:] for line in changed[:3]) + (" …" if len(changed) > 3 else "")
        raise FormCopyError(
            f"la copie de travail du formulaire ({where}) a des modifications non enregistrées ({files}) : "
            f"enregistrez-les (git -C {where} commit -a) ou annulez-les, puis relancez make formulaire"
        )
    merged = git("merge", "--no-edit", "--quiet", head, cwd=copy)
    if merged.returncode != 0:
        conflicts = git("diff", "--name-only", "--diff-filter=U", cwd=copy).stdout.split()
        git("merge", "--abort", cwd=copy)
        files = f" ({', '.join(conflicts)})" if conflicts else f" (git : {_detail(merged)})"
        raise FormCopyError(
            f"la branche {LOCAL_BRANCH}, où sont les fiches du formulaire, et vos derniers commits modifient les "
            f"mêmes lignes{files} : fusionnez-les vous-même (git merge {LOCAL_BRANCH}), puis relancez make formulaire"
        )


def server_environment(copy: Path, port: int) -> dict[str, str]:
    """decap-server's settings: git mode on the form's copy, on this machine only, errors alone logged."""
    return {
        **os.environ,
        "GIT_REPO_DIRECTORY": str(copy),
        "MODE": "git",
        "BIND_HOST": "127.0.0.1",
        "PORT": str(port),
        "LOG_LEVEL": "warn",
    }


ANSI = re.compile(r"\x1b\[[0-9;]*m")
FAILED_REQUEST = re.compile(r"Error handling \{.*\}: (.*)$")


def french(line: str) -> str | None:
    """A line decap-server prints, said in French (None: nothing worth showing)."""
    line = ANSI.sub("", line).strip()
    if not line:
        return None
    if match := FAILED_REQUEST.search(line):
        return f"Le formulaire n'a pas pu enregistrer la fiche : {match[1]}"
    if "EADDRINUSE" in line:
        return "Le port du formulaire est déjà pris : un autre « make formulaire » tourne-t-il déjà ?"
    return f"decap-server : {line}"
