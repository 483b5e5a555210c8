"""The Pagefind index of the built site: the header search and the Banque d'expériences query it.

Only fiche pages are indexed (those marked `data-pagefind-body`, see pages/facets.py). Knows no engine:
it reads the HTML files of a built site.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

BUNDLE = "pagefind"
LANGUAGE = "fr"
BODY_ATTRIBUTE = "data-pagefind-body"


# Inside a fiche's indexed content, what is not the fiche's own text: heading anchors (« ¶ ») and the
# « Modifier » button of the theme, the « Fiche d'exemple » notice of fictive fiches, the « En bref » box
# (an excerpt must quote the fiche's text, not its facts: their words are indexed apart, see
# fiche/_recherche.md.j2), table column headings, lists and cards of *other* fiches, the page footer, and
# what the templates mark `commun-hors-index` (the sections about other fiches, generated documents and
# notices). Class names come from the theme and from templates/site/.
EXCLUDED_SELECTORS = (
    ".headerlink",
    ".md-content__button",
    ".admonition.example",
    ".commun-identite",
    ".commun-tableau thead",
    ".commun-liens",
    ".commun-cartes",
    ".commun-pied-fiche",
    ".commun-hors-index",
)

# Pagefind splits « l'accès » into « l » and « accès », but not « l’accès » (typographic apostrophe):
# pages are indexed with plain apostrophes so that « accès » finds both spellings.
APOSTROPHES = ("\u2019", "\u02bc", "\u2032")
STAGED_PAGE = f'<!doctype html><html lang="{LANGUAGE}"><head><meta charset="utf-8"></head><body>'
# Pagefind's ready-made interfaces, unused (assets/recherche.js queries pagefind.js): not published.
UNUSED = (
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
    "pagefind-highlight.js",
)
MISSING_PROGRAM = "programme Pagefind introuvable : installez le paquet « pagefind[bin] » (make test l'installe)"


class SearchError(Exception):
    """The search index could not be built; the message is in French."""


# --- what a fiche gives the index --------------------------------------------------------------------


# --- the « Banque d'expériences » page ---------------------------------------------------------------


# --- the Pagefind index ------------------------------------------------------------------------------


@dataclass(frozen=True)
class IndexReport:
    """What `build_index` did: pages indexed, seconds taken, files and bytes of the bundle on disk."""

    pages: int
    seconds: float
    files: int
    bytes: int

    def __str__(self) -> str:
        return (
            f"recherche : {self.pages} fiches indexées en {self.seconds:.1f} s "
            f"({self.files} fichiers, {self.bytes / 1024:.0f} Kio)"
        )


def stage_pages(site_dir: Path, stage_dir: Path) -> int:
    """Copy the fiche pages of a built site (those with `data-pagefind-body`) under `stage_dir`, for Pagefind;
    returns how many. Each copy starts at the fiche's element: what precedes it (header, navigation,
    sidebars) is never indexed, and leaving it out saves Pagefind a third of its work on thousands of pages.
    Apostrophes are made plain. The bundle folder and the working folders of `build_index` are skipped."""
    marker = BODY_ATTRIBUTE.encode()
    count = 0
    for path in sorted(site_dir.rglob("*.html")):
        relative = path.relative_to(site_dir)
        if relative.parts[0] == BUNDLE or relative.parts[0].startswith(f".{BUNDLE}-"):
            continue
        data = path.read_bytes()
        found = data.find(marker)
        if found < 0:
            continue
        text = data[data.rfind(b"<", 0, found) :].decode("utf-8", errors="replace")
        for mark in APOSTROPHES:
            text = text.replace(mark, "'")
        target = stage_dir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(STAGED_PAGE + text, encoding="utf-8")
        count += 1
    return count


def _command(stage: Path, fresh: Path) -> list[str]:
    """Pagefind's own command on the staged pages, writing the bundle into `fresh`.

    The command, not Pagefind's Python service: the service answers « files written » while its last writes
    are still pending, and the wrapper then stops it, which left pagefind-entry.json empty (and search
    broken) in about one build in fifteen. The command finishes its writes before it exits.
    """
    from pagefind.service import get_executable

    program = get_executable()
    if program is None:
        raise SearchError(MISSING_PROGRAM)
    command = [str(program), "--site", str(stage), "--output-path", str(fresh), "--force-language", LANGUAGE]
    for selector in EXCLUDED_SELECTORS:
        command += ["--exclude-selectors", selector]
    return [*command, "--quiet"]


def _check_bundle(fresh: Path) -> int:
    """The page count of the bundle Pagefind wrote into `fresh`, once its files are checked complete."""
    try:
        entry = json.loads((fresh / "pagefind-entry.json").read_text(encoding="utf-8"))
        pages = int(entry["languages"][LANGUAGE]["page_count"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise SearchError("Pagefind n'a pas écrit un index complet (pagefind-entry.json vide ou illisible)") from exc
    if not (fresh / "pagefind.js").is_file():
        raise SearchError("Pagefind n'a pas écrit un index complet (pagefind.js manquant)")
    for name in UNUSED:
        (fresh / name).unlink(missing_ok=True)
    return pages


def readable(folder: Path) -> None:
    """Folders 0755 and files 0644 under `folder`, itself included, like the rest of a built site: the bundle
    is written in a temporary folder, made 0700 for its owner alone, which a web server running as another
    user could not read."""
    folder.chmod(0o755)
    for path in folder.rglob("*"):
        if not path.is_symlink():
            path.chmod(0o755 if path.is_dir() else 0o644)


class PendingIndex:
    """The Pagefind index of a built site, being written by Pagefind's program while the build goes on.

    `start_index` stages the fiche pages and starts the program; `finish` waits for it and puts the bundle
    in place at once (a served site never shows half an index); `cancel` stops it. Either way, the working
    folders (hidden, in the site folder) are removed: nothing half-written is left.
    """

    def __init__(self, site_dir: Path) -> None:
        self.start = time.perf_counter()
        self.site_dir = site_dir.resolve()
        self.fresh = Path(tempfile.mkdtemp(prefix=f".{BUNDLE}-", dir=self.site_dir))
        self.stage = Path(tempfile.mkdtemp(prefix=f".{BUNDLE}-pages-", dir=self.site_dir))
        self.process: subprocess.Popen[str] | None = None
        try:
            stage_pages(self.site_dir, self.stage)
            # Only these options: no pagefind.* file of the working folder, no PAGEFIND_* setting of the shell.
            env = {key: value for key, value in os.environ.items() if not key.startswith("PAGEFIND_")}
            command = _command(self.stage, self.fresh)
            try:
                self.process = subprocess.Popen(
                    command, cwd=self.stage, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
                )
            except (FileNotFoundError, PermissionError) as exc:
                raise SearchError(MISSING_PROGRAM) from exc
        except BaseException:
            self.cancel()
            raise

    def finish(self) -> IndexReport:
        try:
            assert self.process is not None
            out, err = self.process.communicate()
            if self.process.returncode != 0:
                raise SearchError(f"Pagefind n'a pas pu indexer le site ({(err or out).strip()})")
            pages = _check_bundle(self.fresh)
            readable(self.fresh)
            bundle = self.site_dir / BUNDLE
            old = self.site_dir / f"{self.fresh.name}-ancien"
            if bundle.exists():
                bundle.rename(old)
            self.fresh.rename(bundle)
            shutil.rmtree(old, ignore_errors=True)
        finally:
            self.cancel()
        files = [p for p in bundle.rglob("*") if p.is_file()]
        seconds = time.perf_counter() - self.start
        return IndexReport(pages, seconds, len(files), sum(p.stat().st_size for p in files))

    def cancel(self) -> None:
        """Stop Pagefind if it still runs and remove the working folders."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.communicate()
        shutil.rmtree(self.stage, ignore_errors=True)
        shutil.rmtree(self.fresh, ignore_errors=True)


def start_index(site_dir: Path) -> PendingIndex:
    """Start indexing the fiche pages of the built site `site_dir` (see `PendingIndex`)."""
    return PendingIndex(site_dir)


def build_index(site_dir: Path) -> IndexReport:
    """Index the fiche pages of the built site `site_dir` with Pagefind (French), into `site_dir/pagefind/`."""
    return start_index(site_dir).finish()
