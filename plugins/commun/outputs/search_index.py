"""The Pagefind index of the built site: the header search and the Banque d'expériences query it.

Only fiche pages are indexed (those marked `data-pagefind-body`, see pages/facets.py). Knows no engine:
it reads the HTML files of a built site.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from ..core.french import number_fr
from .templating import environment

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

# Pagefind holds every page it indexes in memory until it writes its bundle: about 0.14 MiB a fiche page,
# 2.6 GiB for 20,000, beside the build's own (about 860 MiB at 20,000 fiches once the pages are written).
# Up to `AT_ONCE` pages, the site is indexed at once: one index costs a search the fewest bytes (lots cost
# 1.3 to 2.4 times as many at 5,000 fiches). Above, it is indexed in lots of at most `LOT` pages (about
# 490 MiB each), one run of Pagefind after another, merged in the browser (assets/recherche.js, Pagefind's
# `mergeIndex`) as `LOTS_FILE` in the bundle lists them; `LEXICON` names the page and the filter that keep
# lots answering as one index.
AT_ONCE = 6000
LOT = 3500
LOTS_FILE = "commun-lots.json"
LEXICON = "commun-lexique"
# How Pagefind reads text (pagefind/src/fossick/parser.rs): these elements are spaced from their neighbours,
# any other tag joins the text on either side.
SPACED_ELEMENTS = re.compile(r"</?(?:h[1-6]|p|td|div|ul|li|article|section|br)(?=[\s/>])[^>]*>")
ANY_TAG = re.compile(r"<[^>]*>")

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
# What a lot merged into the first one does not need: the browser runs the first lot's program.
MERGED_UNUSED = ("pagefind.js", "pagefind-worker.js", "wasm.*.pagefind")
MISSING_PROGRAM = "programme Pagefind introuvable : installez le paquet « pagefind[bin] » (make test l'installe)"


class SearchError(Exception):
    """The search index could not be built; the message is in French."""


# --- the Pagefind index ------------------------------------------------------------------------------


@dataclass(frozen=True)
class IndexReport:
    """What `build_index` did: pages indexed, seconds taken, files and bytes of the bundle on disk."""

    pages: int
    seconds: float
    files: int
    bytes: int
    lots: int = 1

    def __str__(self) -> str:
        lots = f"{self.lots} lots, " if self.lots > 1 else ""
        return (
            f"recherche : {number_fr(self.pages)} fiches indexées en {number_fr(round(self.seconds, 2))} s "
            f"({lots}{number_fr(self.files)} fichiers, {number_fr(round(self.bytes / 1024))} Kio)"
        )


@dataclass(frozen=True)
class Lot:
    """A share of the fiche pages, indexed by one run of Pagefind: its staged pages, and where its bundle goes
    inside the site's bundle folder ("" for the first lot, the one assets/recherche.js loads first)."""

    folder: Path
    bundle: str


def stage_pages(
    site_dir: Path, stage_dir: Path, *, at_once: int = AT_ONCE, lot: int = LOT, stop: threading.Event | None = None
) -> list[Lot]:
    """Copy the fiche pages of a built site (those with `data-pagefind-body`) under `stage_dir`, for Pagefind:
    all in one lot up to `at_once` pages, else in lots of at most `lot` pages. Each copy starts at the fiche's
    element: what precedes it (header, navigation, sidebars) is never indexed, and leaving it out saves
    Pagefind a third of its work on thousands of pages. Apostrophes are made plain. The bundle folder and the
    working folders of `build_index` are skipped.

    Pages are dealt to the lots in turn, so that each lot is a sample of the whole site (its word statistics,
    which rank the results of its index, are those of the site). With more than one lot, every lot also gets
    the lexicon page (see `lexicon_page`). Once `stop` is set, it stages nothing more and returns no lot.
    """
    marker = BODY_ATTRIBUTE.encode()
    first = stage_dir / "lot-1"
    staged: list[Path] = []
    for path in sorted(site_dir.rglob("*.html")):
        if stop is not None and stop.is_set():
            return []
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
        target = first / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(STAGED_PAGE + text, encoding="utf-8")
        staged.append(relative)
    count = 1 if len(staged) <= at_once else -(-len(staged) // max(lot, 1))
    lots = [Lot(stage_dir / f"lot-{n}", "" if n == 1 else f"lot-{n}/") for n in range(1, count + 1)]
    if count == 1:
        return lots
    # A page's folder moves to its lot whole when no other page lies below it: creating folders and files is
    # what staging spends its time on (20,000 of each took 20 s), renaming them costs a tenth of that.
    holding = {folder for relative in staged for folder in relative.parents[1:]}
    made: set[Path] = set()
    words: set[str] = set()
    for number, relative in enumerate(staged):
        if stop is not None and stop.is_set():
            return []
        target = lots[number % count].folder / relative
        if number % count:
            moved, source = (target.parent, (first / relative).parent)
            if relative.parent in holding or relative.parent == Path("."):
                moved, source = target, first / relative
            if moved.parent not in made:
                moved.parent.mkdir(parents=True, exist_ok=True)
                made.add(moved.parent)
            source.rename(moved)
        words.update(indexed_words(target.read_text(encoding="utf-8")))
    page = lexicon_page(words)
    for share in lots:
        (share.folder / LEXICON).mkdir(parents=True)
        (share.folder / LEXICON / "index.html").write_text(page, encoding="utf-8")
    return lots


def indexed_words(page: str) -> list[str]:
    """The words Pagefind reads in a staged page, as it splits them before stemming, and a few more: the text
    of every element, spaced where Pagefind spaces it (elements it reads as sentences, and `<br>`) and joined
    where it joins it (« <dt>Statut</dt><dd>En cours</dd> » is « StatutEn cours » to Pagefind)."""
    return html.unescape(ANY_TAG.sub("", SPACED_ELEMENTS.sub(" ", page))).split()


def lexicon_page(words: set[str]) -> str:
    """The page each lot indexes besides its share: every word of the site, as a metadata field.

    Pagefind, asked for a word its index lacks, answers with the pages of the longest indexed word that
    begins the query (Pagefind/pagefind#315): a lot without « numérique » would answer « numéro ». With the
    lexicon, every lot knows every word of the site and answers as one index of the whole site would. As
    metadata, the words leave the page's length at one word (results are ranked against the lot's average
    page length); the page is left out of every search by its filter (`commun-lots.json`, `sans`)."""
    env = environment("exports")
    return env.get_template("lexique.html.j2").render(
        language=LANGUAGE, name=LEXICON, words=" ".join(sorted(words))
    )


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


def _check_bundle(fresh: Path, *, merged: bool = False) -> int:
    """The page count of the bundle Pagefind wrote into `fresh`, once its files are checked complete; files
    the site does not use are removed (and, from a `merged` lot, the program the first lot brings)."""
    try:
        entry = json.loads((fresh / "pagefind-entry.json").read_text(encoding="utf-8"))
        pages = int(entry["languages"][LANGUAGE]["page_count"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise SearchError("Pagefind n'a pas écrit un index complet (pagefind-entry.json vide ou illisible)") from exc
    if not (fresh / "pagefind.js").is_file():
        raise SearchError("Pagefind n'a pas écrit un index complet (pagefind.js manquant)")
    for name in UNUSED:
        (fresh / name).unlink(missing_ok=True)
    if merged:
        for pattern in MERGED_UNUSED:
            for path in fresh.glob(pattern):
                path.unlink()
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
    """The Pagefind index of a built site, being written while the build goes on.

    `start_index` starts a thread that stages the fiche pages and has Pagefind's program index them, lot after
    lot (it mostly waits: for the disk, then for the program); `finish` waits for the last lot and puts the
    bundle in place at once (a served site never shows half an index); `cancel` stops it. Either way, the
    working folders (hidden, in the site folder) are removed: nothing half-written is left.
    """

    def __init__(self, site_dir: Path, *, at_once: int = AT_ONCE, lot: int = LOT) -> None:
        self.start = time.perf_counter()
        self.site_dir = site_dir.resolve()
        self.at_once, self.lot = at_once, lot
        self.fresh = Path(tempfile.mkdtemp(prefix=f".{BUNDLE}-", dir=self.site_dir))
        self.stage = Path(tempfile.mkdtemp(prefix=f".{BUNDLE}-pages-", dir=self.site_dir))
        self.lots: list[Lot] = []
        self.process: subprocess.Popen[str] | None = None
        self.failure: SearchError | None = None
        self.indexed: list[int] = []
        self.stopping = threading.Event()
        self.lock = threading.Lock()
        self.runner = threading.Thread(target=self._index, name="commun-pagefind", daemon=True)
        self.runner.start()

    def _start(self, share: Lot) -> bool:
        """Start Pagefind on a lot, unless the index is being cancelled."""
        # Only these options: no pagefind.* file of the working folder, no PAGEFIND_* setting of the shell.
        env = {key: value for key, value in os.environ.items() if not key.startswith("PAGEFIND_")}
        command = _command(share.folder, self.fresh / share.bundle)
        with self.lock:
            if self.stopping.is_set():
                return False
            try:
                self.process = subprocess.Popen(
                    command, cwd=share.folder, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
                )
            except (FileNotFoundError, PermissionError) as exc:
                raise SearchError(MISSING_PROGRAM) from exc
        return True

    def _index(self) -> None:
        """Stage the pages, then index each lot in turn (one Pagefind in memory at a time), each bundle checked
        as soon as it is written."""
        try:
            self.lots = stage_pages(self.site_dir, self.stage, at_once=self.at_once, lot=self.lot, stop=self.stopping)
            for number, share in enumerate(self.lots):
                if not self._start(share):
                    return
                assert self.process is not None
                out, err = self.process.communicate()
                if self.stopping.is_set():
                    return
                if self.process.returncode != 0:
                    raise SearchError(f"Pagefind n'a pas pu indexer le site ({(err or out).strip()})")
                self.indexed.append(_check_bundle(self.fresh / share.bundle, merged=bool(number)))
        except SearchError as exc:
            self.failure = exc
        except OSError as exc:
            self.failure = SearchError(f"l'index de recherche n'a pas pu être écrit ({exc})")

    def finish(self) -> IndexReport:
        try:
            self.runner.join()
            if self.failure is not None:
                raise self.failure
            merged = [share.bundle for share in self.lots[1:]]
            lexicon = {LEXICON: "oui"} if merged else {}
            manifest = {"lots": merged, "sans": lexicon}
            (self.fresh / LOTS_FILE).write_text(json.dumps(manifest, ensure_ascii=False) + "\n", encoding="utf-8")
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
        lexicons = len(self.lots) if len(self.lots) > 1 else 0
        pages = sum(self.indexed) - lexicons
        return IndexReport(pages, seconds, len(files), sum(p.stat().st_size for p in files), len(self.lots))

    def cancel(self) -> None:
        """Stop Pagefind if it still runs and remove the working folders."""
        with self.lock:
            self.stopping.set()
            if self.process is not None and self.process.poll() is None:
                self.process.kill()
        if self.runner is not threading.current_thread():
            self.runner.join()
        shutil.rmtree(self.stage, ignore_errors=True)
        shutil.rmtree(self.fresh, ignore_errors=True)


def start_index(site_dir: Path, *, at_once: int = AT_ONCE, lot: int = LOT) -> PendingIndex:
    """Start indexing the fiche pages of the built site `site_dir` (see `PendingIndex`)."""
    return PendingIndex(site_dir, at_once=at_once, lot=lot)


def build_index(site_dir: Path, *, at_once: int = AT_ONCE, lot: int = LOT) -> IndexReport:
    """Index the fiche pages of the built site `site_dir` with Pagefind (French), into `site_dir/pagefind/`:
    at once up to `at_once` pages, else in lots of at most `lot` pages."""
    return start_index(site_dir, at_once=at_once, lot=lot).finish()
