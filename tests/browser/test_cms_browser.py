"""The web form (/admin/) in a real browser: Decap CMS against decap-server on a copy of the repository.

One scenario, end to end: a person fills in the form for a new initiative and saves it; the editorial
workflow puts it on a branch of its own (the pull request of a forge), the file it wrote passes
`commun check`, and the rebuilt site shows it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from audit_kit import block_outside, served
from commun.build import place_files
from commun.core.kinds import KINDS
from commun.core.text import slugify
from commun.outputs import cms
from commun.stages.check import check
from playwright.sync_api import Page, expect
from projectkit import build, free_port, wait_until_listening

ROOT = Path(__file__).resolve().parents[2]
SERVER = ROOT / "tools" / "cms" / "node_modules" / "decap-server" / "dist" / "index.js"
IDENTITY = {
    "GIT_AUTHOR_NAME": "Essai",
    "GIT_AUTHOR_EMAIL": "essai@exemple.invalid",
    "GIT_COMMITTER_NAME": "Essai",
    "GIT_COMMITTER_EMAIL": "essai@exemple.invalid",
}
TITRE = "Épicerie solidaire d'essai"
SLUG = slugify(TITRE)  # the project's rule (epicerie-solidaire-d-essai), not Decap's (…-dessai)


def git(repo: Path, *args: str) -> str:
    env = {**os.environ, **IDENTITY}
    return subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A git repository holding a copy of the site's sources, as a forge would."""
    repo = tmp_path_factory.mktemp("depot")
    for name in ("content", "docs"):
        shutil.copytree(ROOT / name, repo / name)
    shutil.copy(ROOT / "mkdocs.yml", repo / "mkdocs.yml")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "Copie du commun")
    return repo


@pytest.fixture(scope="module")
def decap_server(repo: Path) -> Iterator[str]:
    if not SERVER.is_file():
        pytest.fail("decap-server introuvable : lancez « make cms » (npm ci dans tools/cms)")
    port = free_port()
    env = {**os.environ, **IDENTITY, "GIT_REPO_DIRECTORY": str(repo), "PORT": str(port)}
    env.update({"BIND_HOST": "127.0.0.1", "MODE": "git", "LOG_LEVEL": "error"})
    process = subprocess.Popen(["node", str(SERVER)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if (printed := wait_until_listening(process, port)) is not None:
        pytest.fail(f"decap-server n'a pas démarré :\n{printed}")
    yield f"http://127.0.0.1:{port}/api/v1"
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="module")
def admin_url(repo: Path, decap_server: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """/admin/ as the build writes it, told to use the local decap-server, served on 127.0.0.1."""
    out = tmp_path_factory.mktemp("admin-site")
    content = check(repo / "content")
    place_files(cms.site_files(content.vocabularies, cms.Options(local=decap_server), root=ROOT).items(), out)
    with served(out) as url:
        yield url + "admin/"


def only_local(page: Page) -> list[str]:
    """Requests to anything but this machine are blocked and recorded (no CDN, no fonts, no tracker)."""
    return block_outside(page, lambda host: host.split(":")[0] == "127.0.0.1")


def choose(page: Page, label: str, text: str) -> None:
    """Pick an option in a select or relation field by typing part of its label, as a person would."""
    box = page.get_by_label(re.compile(f"^{label}"))
    box.click()
    box.press_sequentially(text)
    page.get_by_role("option", name=re.compile(text, re.I)).first.click()


def test_the_built_site_has_the_form(built_site: Path) -> None:
    config = yaml.safe_load((built_site / "admin" / "config.yml").read_text(encoding="utf-8"))
    assert [c["name"] for c in config["collections"]] == list(KINDS)
    assert (built_site / "admin" / "decap-cms.js").is_file()
    assert "decap-cms.js" in (built_site / "admin" / "index.html").read_text(encoding="utf-8")


def test_a_new_initiative_from_the_form_becomes_a_checked_fiche_of_the_site(
    page: Page, admin_url: str, repo: Path, tmp_path: Path
) -> None:
    outside = only_local(page)
    page.goto(admin_url)
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_role("link", name="Initiatives").first.click()
    page.get_by_role("link", name="Créer une entrée de type initiative").click()

    page.get_by_label("Titre", exact=True).fill(TITRE)
    page.get_by_label("Résumé", exact=True).fill("Une épicerie à petits prix, ouverte deux jours par semaine.")
    choose(page, "Thématiques", "Aide alimentaire")
    choose(page, "Porteur", "CCAS de Mamoudzou")
    choose(page, "Publics", "Familles")
    choose(page, "Statut", "En cours")
    page.get_by_role("button", name="Ajouter communes").click()  # a commune is typed as its INSEE code
    page.get_by_label(re.compile("^Communes")).last.fill("97611")
    page.get_by_label(re.compile("^Date de début")).fill("2021-06")
    page.get_by_role("button", name="Ajouter sources").click()
    page.get_by_label(re.compile("^Titre")).nth(1).fill("CCAS de Mamoudzou, rapport d'activité (2021)")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Entrée enregistrée")).to_be_visible(timeout=20_000)

    # The editorial workflow: the fiche waits on its own branch, main is untouched until a union publishes it.
    # Both are read from git, in a clone: decap-server may still be switching branches in `repo`'s tree.
    branch = f"cms/initiatives/{SLUG}"
    assert git(repo, "branch", "--list", branch).strip() != ""
    assert f"{SLUG}.md" not in git(repo, "ls-tree", "--name-only", "main", "content/initiatives/")
    proposal = tmp_path / "proposition"
    git(tmp_path, "clone", "-q", "-b", branch, str(repo), str(proposal))
    written = (proposal / "content" / "initiatives" / f"{SLUG}.md").read_text(encoding="utf-8")
    assert f"titre: {TITRE}" in written and "porteur: ccas-mamoudzou" in written

    result = subprocess.run(
        [sys.executable, "-m", "commun", "check", "content"], cwd=proposal, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{SLUG}.md" not in result.stdout, result.stdout

    site = tmp_path / "site"
    build(proposal, site, COMMUN_BROUILLONS="1")
    page_html = (site / "initiatives" / SLUG / "index.html").read_text(encoding="utf-8")
    assert TITRE.replace("'", "&#39;") in page_html or TITRE in page_html
    assert outside == []


# --- the form of a clone's preview: `make formulaire` and its own working copy --------------------------------

UNFINISHED = "content/initiatives/pas-finie.md"
EDITED = sorted((ROOT / "content" / "initiatives").glob("*.md"))[0].relative_to(ROOT).as_posix()


@pytest.fixture
def clone_with_work_in_progress(repo: Path, tmp_path: Path) -> Path:
    """A clone of the repository, a fiche not yet added to git and an uncommitted edit in it."""
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(repo), str(clone))
    git(clone, "config", "user.name", IDENTITY["GIT_AUTHOR_NAME"])
    git(clone, "config", "user.email", IDENTITY["GIT_AUTHOR_EMAIL"])
    (clone / UNFINISHED).write_text("---\ntitre: Pas finie\n---\n", encoding="utf-8")
    with (clone / EDITED).open("a", encoding="utf-8") as stream:
        stream.write("\nUne phrase en cours d'écriture.\n")
    return clone


@pytest.fixture
def local_form(clone_with_work_in_progress: Path, tmp_path: Path) -> Iterator[str]:
    """`commun formulaire` (what `make formulaire` runs) on the clone, and the preview's /admin/ pointing at it."""
    clone = clone_with_work_in_progress
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "commun", "formulaire", "--port", str(port)],
        cwd=clone, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    if (printed := wait_until_listening(process, port)) is not None:
        pytest.fail(f"le formulaire n'a pas démarré :\n{printed}")
    out = tmp_path / "apercu"
    content = check(clone / "content")
    opts = cms.Options(local=f"http://127.0.0.1:{port}/api/v1")
    place_files(cms.site_files(content.vocabularies, opts, root=ROOT, preview=True).items(), out)
    with served(out) as url:
        yield url + "admin/"
    process.terminate()
    process.wait(timeout=10)


def test_the_form_of_a_clone_commits_on_its_own_branch_and_leaves_the_clone_alone(
    page: Page, local_form: str, clone_with_work_in_progress: Path
) -> None:
    clone = clone_with_work_in_progress
    before = {p: (clone / p).read_bytes() for p in (UNFINISHED, EDITED)}
    status = git(clone, "status", "--porcelain", "--untracked-files=all")
    outside = only_local(page)
    page.goto(local_form)
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_role("link", name="Initiatives").first.click()
    page.get_by_role("link", name="Créer une entrée de type initiative").click()
    title = "Permanence d'accès aux droits d'essai"
    page.get_by_label("Titre", exact=True).fill(title)
    page.get_by_label("Résumé", exact=True).fill("Une permanence hebdomadaire, en mairie.")
    choose(page, "Thématiques", "Aide alimentaire")
    choose(page, "Publics", "Familles")
    page.get_by_role("button", name="Publier").click()
    page.get_by_text("Publier maintenant").click()
    expect(page.get_by_role("button", name="Publiée")).to_be_visible(timeout=20_000)

    slug = slugify(title)
    written = git(clone, "show", f"{cms.LOCAL_BRANCH}:content/initiatives/{slug}.md")
    assert f"titre: {title}" in written
    assert {p: (clone / p).read_bytes() for p in (UNFINISHED, EDITED)} == before
    assert git(clone, "status", "--porcelain", "--untracked-files=all") == status
    assert (clone / cms.LOCAL_COPY / "content" / "initiatives" / f"{slug}.md").is_file()  # make apercu-formulaire
    assert outside == []
