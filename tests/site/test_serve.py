"""`mkdocs serve` builds the same pages as `mkdocs build`, and an edited fiche shows at the next rebuild.

Under serve the plugin writes pages to disk for `--dirty`, reuses unchanged pages and checked files,
and puts the templates' HTML blocks back after Markdown: the article of every page must still be what a
full build makes. The serve builds run in a child process, as MkDocs' own serve command drives them.
"""

from __future__ import annotations

import html
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from projectkit import environment, mkdocs_build
from test_site_build import make_project

# The child process: a first serve build, then for each version of the fiche (a file holding its text), the
# fiche saved with that text and a serve rebuild; the site is copied aside after each build.
SERVE = """
import gc, os, shutil, sys, time
from pathlib import Path
from mkdocs.commands.build import build
from mkdocs.config import load_config

site, snapshots, fiche, *versions = sys.argv[1:]
url = "http://127.0.0.1:8000/"

def rebuild(name, first=False):
    config = load_config("mkdocs.yml", site_dir=site)
    config.site_url = url
    if first:
        config.plugins.on_startup(command="serve", dirty=True)
    build(config, serve_url=url, dirty=True)
    shutil.copytree(site, Path(snapshots) / name)

rebuild("avant", first=True)
path = Path(fiche)
for version in versions:
    path.write_text(Path(version).read_text(encoding="utf-8"), encoding="utf-8")
    status = path.stat()
    os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns + 1_000_000_000))
    rebuild(Path(version).name)
    print("collecteur pendant la reconstruction :", gc.isenabled(), file=sys.stderr)
time.sleep(2)
print("collecteur après :", gc.isenabled(), file=sys.stderr)
"""

ARTICLE = re.compile(r"<article.*?</article>", re.S)


def articles(site: Path) -> dict[str, str]:
    found = {}
    for page in site.rglob("index.html"):
        match = ARTICLE.search(page.read_text(encoding="utf-8"))
        if match:
            found[page.relative_to(site).as_posix()] = match[0]
    return found


def serve_rebuilds(project: Path, fiche: Path, versions: dict[str, str]) -> tuple[dict[str, dict[str, str]], str]:
    """The articles after a first serve build (« avant ») and after saving each version of `fiche` in turn,
    by name; and what the serve builds wrote on the terminal."""
    folder = project / "versions"
    folder.mkdir()
    for name, text in versions.items():
        (folder / name).write_text(text, encoding="utf-8")
    snapshots = project / "instantanes"
    result = subprocess.run(
        [sys.executable, "-c", SERVE, str(project / "site-serve"), str(snapshots), str(fiche)]
        + [str(folder / name) for name in versions],
        cwd=project,
        env=environment(COMMUN_RECHERCHE="0"),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return {name: articles(snapshots / name) for name in ("avant", *versions)}, result.stderr


Served = tuple[dict[str, str], dict[str, str], Path, str]
"""The articles served after the edit, those of a build of the edited content, the fiche, the terminal."""


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Served:
    # Neither PDFs nor the offline copy are made under serve (pages link to them only when they exist).
    project = make_project(tmp_path_factory.mktemp("serve"), livrables=False, hors_ligne=False)
    fiche = next((project / "content" / "initiatives").glob("*.md"))
    text = fiche.read_text(encoding="utf-8")
    old = re.search(r"^titre: .*$", text, re.M)[0]  # type: ignore[index]
    edited = text.replace(old, "titre: Titre modifié pendant l'aperçu", 1)
    states, terminal = serve_rebuilds(project, fiche, {"modifiee": edited})
    built = mkdocs_build(project, project / "site-build", COMMUN_RECHERCHE="0")
    assert built.returncode == 0, built.stderr[-3000:]
    return states["modifiee"], articles(project / "site-build"), fiche, terminal


def test_served_pages_are_the_built_pages(served: Served) -> None:
    serve, build, _, _ = served
    assert set(serve) == set(build)
    assert len(build) > 20
    # « Données » says whether the sitemap is filled, which depends on the site's address: serve has one.
    different = [path for path in build if serve[path] != build[path] and path != "donnees/index.html"]
    assert not different, different[:5]


def test_the_edit_shows_in_its_page_and_in_the_lists(served: Served) -> None:
    serve, _, fiche, _ = served
    showing = [path for path, article in serve.items() if "Titre modifié pendant l&#39;aperçu" in article]
    assert f"initiatives/{fiche.stem}/index.html" in showing
    assert "initiatives/index.html" in showing
    assert "index.html" in showing  # the home page's latest updates, though docs/index.md did not change
    assert not any("commun-bloc-html" in article for article in serve.values())


BANNER = "Aperçu : 1 erreur dans le contenu"
BANNER_BLOCK = re.compile(r'<div class="admonition failure commun-erreurs".*?</ul>\s*</div>\s*', re.S)


def test_the_collector_waits_for_the_page_to_be_served(served: Served) -> None:
    """Paused while the preview rebuilds (its garbage is collected after), running again once it is served."""
    terminal = served[3]
    assert "collecteur pendant la reconstruction : False" in terminal
    assert "collecteur après : True" in terminal


def fiche_with_unknown_porteur(project: Path) -> tuple[Path, str, str, int]:
    """A fiche of the project, its text, that text with a porteur no fiche has, and the line of the porteur."""
    fiche = next((project / "content" / "initiatives").glob("*.md"))
    text = fiche.read_text(encoding="utf-8")
    old = re.search(r"^porteur: .*$", text, re.M)[0]  # type: ignore[index]
    return fiche, text, text.replace(old, "porteur: ccas-inconnu", 1), text.splitlines().index(old) + 1


@pytest.fixture(scope="module")
def broken_then_mended(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, dict[str, str]], Path, int]:
    project = make_project(tmp_path_factory.mktemp("serve-erreur"), livrables=False, hors_ligne=False)
    fiche, text, broken, line = fiche_with_unknown_porteur(project)
    states, terminal = serve_rebuilds(project, fiche, {"cassee": broken, "reparee": text})
    assert f"{fiche.stem}.md:{line}:10: erreur: porteur" in terminal  # the terminal says it too
    return states, fiche, line


def test_a_broken_fiche_shows_its_error_on_every_page_over_the_last_valid_content(
    broken_then_mended: tuple[dict[str, dict[str, str]], Path, int],
) -> None:
    states, fiche, line = broken_then_mended
    before, broken = states["avant"], states["cassee"]
    assert set(broken) == set(before)
    assert [path for path, article in broken.items() if BANNER not in article] == []
    page = html.unescape(broken[f"initiatives/{fiche.stem}/index.html"])
    assert f"{fiche.stem}.md:{line}:10: erreur: porteur : aucune fiche « ccas-inconnu »" in page
    # Below the errors, every page is the one served before the fiche broke.
    assert {path: BANNER_BLOCK.sub("", article) for path, article in broken.items()} == before


def test_mending_the_fiche_takes_every_error_away(
    broken_then_mended: tuple[dict[str, dict[str, str]], Path, int],
) -> None:
    states, _, _ = broken_then_mended
    assert states["reparee"] == states["avant"]


@pytest.fixture(scope="module")
def broken_from_the_start(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, dict[str, str]], str, Path]:
    """`make serve` started while a fiche has an error, then the fiche mended."""
    project = make_project(tmp_path_factory.mktemp("serve-demarrage"), livrables=False, hors_ligne=False)
    fiche, text, broken, _ = fiche_with_unknown_porteur(project)
    fiche.write_text(broken, encoding="utf-8")
    states, terminal = serve_rebuilds(project, fiche, {"reparee": text})
    return states, terminal, fiche


def test_the_preview_starts_though_a_fiche_has_an_error_and_shows_it(
    broken_from_the_start: tuple[dict[str, dict[str, str]], str, Path],
) -> None:
    states, terminal, fiche = broken_from_the_start
    first = states["avant"]
    assert len(first) > 20, "l'aperçu doit démarrer avec les fiches lisibles"
    assert f"{fiche.stem}.md:" in terminal and "porteur : aucune fiche « ccas-inconnu »" in terminal
    assert [path for path, article in first.items() if BANNER not in article] == []
    assert f"initiatives/{fiche.stem}/index.html" in first  # the fiche itself, its reference shown as text


def test_the_errors_of_the_start_go_when_the_fiche_is_mended(
    broken_from_the_start: tuple[dict[str, dict[str, str]], str, Path],
) -> None:
    states, _, _ = broken_from_the_start
    assert [path for path, article in states["reparee"].items() if BANNER in article] == []
    assert set(states["reparee"]) == set(states["avant"])


def test_make_serve_goes_on_where_make_build_stops() -> None:
    """`make serve` no longer stops on `commun check`; `make build` stays strict."""
    makefile = (Path(__file__).resolve().parents[2] / "Makefile").read_text(encoding="utf-8")
    recipes = dict(re.findall(r"^([a-z-]+):[^\n]*\n((?:\t[^\n]*\n)+)", makefile, re.M))
    assert "commun check" not in recipes["serve"] and "mkdocs serve" in recipes["serve"]
    assert "mkdocs build --strict" in recipes["build"]


ENGLISH = ("dirty", "Building documentation", "Documentation built", "Serving on", "Watching paths", "Cleaning site",
           "Detected file changes", "Reloading browsers")  # fmt: skip


def test_the_preview_terminal_speaks_french(tmp_path: Path) -> None:
    """The real `mkdocs serve` of `make serve`: started, a fiche saved, stopped with Ctrl-C."""
    project = make_project(tmp_path, livrables=False, hors_ligne=False)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--dirty", "--livereload", "-a", f"127.0.0.1:{port}"],
        cwd=project, env=environment(COMMUN_RECHERCHE="0"), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    lines: list[str] = []
    threading.Thread(target=lambda: lines.extend(iter(process.stdout.readline, "")), daemon=True).start()  # type: ignore[union-attr]

    def wait_for(text: str, count: int = 1) -> None:
        deadline = time.monotonic() + 120
        while sum(text in line for line in lines) < count:
            assert process.poll() is None and time.monotonic() < deadline, "".join(lines)
            time.sleep(0.2)

    try:
        wait_for(f"Aperçu sur http://127.0.0.1:{port}/")
        fiche = next((project / "content" / "initiatives").glob("*.md"))
        for count in (2, 3, 4):  # the same edit again and again: rebuilds of the same length, each said
            text = fiche.read_text(encoding="utf-8")
            fiche.write_text(text.replace("titre:", "titre: Modifié -", 1), encoding="utf-8")
            wait_for("Modification enregistrée : l'aperçu se met à jour…", count=count - 1)
            wait_for("Aperçu construit en", count=count)
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=30)
    output = "".join(lines)
    assert output.count("Construction de l'aperçu…") == output.count("Aperçu construit en") == 4
    assert "Arrêt de l'aperçu." in output
    assert [line for line in output.splitlines() if any(word in line for word in ENGLISH)] == []
