"""Benchmark of search at N synthetic fiches: Pagefind (this site) against Material's built-in lunr search on
the same pages. Prints figures and ratios; never asserts.

For each variant, the same content (scripts/synthetic.py) is built by MkDocs; the site is served on
127.0.0.1 by a small server that gzips what a static host would (Pagefind's chunks are already gzipped)
and counts the bytes it sends. Headless Chromium opens a fiche, types a first then a second query in the
header search box, and the bytes of search files (Pagefind's bundle and assets/recherche.*, or Material's
search index, worker and lunr scripts) are summed from the page load to each query's results.

    .venv/bin/python scripts/bench_search.py --n 5000
    .venv/bin/python scripts/bench_search.py --n 5000 --dossier /tmp/bench-recherche   # keeps the builds
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote, urlparse

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "plugins"))

from commun.outputs.search_index import build_index  # noqa: E402
from synthetic import generate  # noqa: E402

CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
GOAL_BYTES = 250 * 1000
GOAL_RATIO = 0.1
COMPRESSIBLE = {".html", ".js", ".css", ".json", ".svg", ".xml", ".txt", ".wasm", ".pagefind", ".map"}


def project(folder: Path, content: Path, *, material: bool) -> Path:
    """The repository's MkDocs project reading `content`: with Pagefind (ours) or with Material's search."""
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.Loader)
    docs = folder / "docs"
    shutil.copytree(ROOT / "docs", docs)
    config["docs_dir"] = str(docs)
    config["site_dir"] = str(folder / "site")
    # The deliverables and offline copy of other issues are not what is measured here.
    commun = {"contenu": str(content), "recherche": False, "livrables": False, "hors_ligne": False}
    config["plugins"] = [{"commun": commun}]
    if material:
        config["plugins"].insert(0, {"search": {"lang": "fr"}})
        config["theme"].pop("custom_dir", None)  # Material's own header and search box
        config["extra_javascript"] = [
            s for s in config.get("extra_javascript", []) if "recherche" not in (s if isinstance(s, str) else s["path"])
        ]
        config["extra_css"] = [s for s in config.get("extra_css", []) if "recherche" not in s]
    path = folder / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def build(config: Path) -> float:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config)],
        capture_output=True, text=True, env=env, check=False,
    )
    if result.returncode != 0:
        sys.exit(f"échec de la construction de {config} :\n{result.stderr[-3000:]}")
    return time.perf_counter() - start


class CountingHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files, gzipped when the browser accepts it (as a static host would); records bytes sent."""

    sent: list[tuple[str, int, int]]
    cache: dict[Path, bytes]

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        url = unquote(urlparse(self.path).path)
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not url.endswith("/"):
                self.send_response(301)
                self.send_header("Location", url + "/")
                self.end_headers()
                return
            path = path / "index.html"
        if not path.is_file():
            self.send_error(404)
            return
        body = path.read_bytes()
        raw = len(body)
        zipped = "gzip" in self.headers.get("Accept-Encoding", "") and path.suffix in COMPRESSIBLE
        zipped = zipped and body[:2] != b"\x1f\x8b"
        if zipped:
            if path not in self.cache:
                self.cache[path] = gzip.compress(body, 6)
            body = self.cache[path]
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        if zipped:
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        self.sent.append((url, len(body), raw))


@contextmanager
def serve(site: Path) -> Iterator[tuple[str, list[tuple[str, int, int]]]]:
    sent: list[tuple[str, int, int]] = []
    handler = type("Handler", (CountingHandler,), {"sent": sent, "cache": {}})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", sent
    finally:
        server.shutdown()


def is_search_file(url: str, material: bool) -> bool:
    if material:
        return url.startswith("/search/") or "/workers/search" in url or "/lunr/" in url
    return url.startswith("/pagefind/") or url.startswith("/assets/recherche.")


def measure(
    site: Path, fiche: str, queries: list[str], *, material: bool, detail: bool = False
) -> list[tuple[int, int, int]]:
    """Per query, since the previous step: search bytes sent (compressed), search requests, the same bytes
    uncompressed."""
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=300_000)

    steps: list[tuple[int, int, int]] = []
    with serve(site) as (base, sent), sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_context().new_page()
        page.set_default_timeout(180_000)
        page.goto(f"{base}/{fiche}")
        page.wait_for_load_state("networkidle")
        seen = 0
        field = page.locator(".md-search__input")
        for query in queries:
            field.evaluate("field => field.blur()")
            page.keyboard.press("/")
            if material and not steps:  # Material ignores what is typed before its index is loaded
                expect(page.locator(".md-search-result__meta")).to_contain_text("Taper pour")
            field.press("Control+a")
            field.press("Delete")
            field.press_sequentially(query)
            if material:
                expect(page.locator(".md-search-result__meta")).to_contain_text(re.compile(r"documents? trouvé"))
                expect(page.locator(".md-search-result__list li").first).to_be_visible()
            else:
                expect(page.locator(f'.commun-recherche__resultats[data-pour="{query}"] li').first).to_be_visible()
            page.wait_for_load_state("networkidle")
            page.wait_for_timeout(500)
            now = list(sent)
            step = now[seen:] if steps else now
            seen = len(now)
            search = [(size, raw) for url, size, raw in step if is_search_file(url, material)]
            if detail:
                for url, size, raw in step:
                    if is_search_file(url, material):
                        print(f"    [{query}] {url} {size} o ({raw} o non compressés)")
            steps.append((sum(size for size, _ in search), len(search), sum(raw for _, raw in search)))
        browser.close()
    return steps


def size_of(path: Path) -> tuple[int, int]:
    files = [p for p in path.rglob("*") if p.is_file()] if path.is_dir() else [path]
    return len(files), sum(p.stat().st_size for p in files)


def kio(count: float) -> str:
    return f"{count / 1024:,.0f} Kio".replace(",", " ")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=5000, help="nombre de fiches synthétiques")
    parser.add_argument("--dossier", type=Path, help="dossier de travail gardé (réutilise les sites déjà construits)")
    parser.add_argument("--requetes", nargs=2, default=["accès aux droits", "épicerie solidaire"])
    parser.add_argument("--detail", action="store_true", help="affiche chaque fichier de recherche transféré")
    parser.add_argument("--sans-material", action="store_true", help="ne mesure que Pagefind (lots et index unique)")
    args = parser.parse_args()
    work = args.dossier or Path(tempfile.mkdtemp(prefix="bench-recherche-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        content = work / "content"
        if not content.is_dir():
            generate(content, args.n, seed=0)
        ours, theirs = work / "pagefind", work / "material"
        times = {}
        for folder, material in ((ours, False), (theirs, True)):
            if not (folder / "site" / "index.html").is_file():
                shutil.rmtree(folder, ignore_errors=True)
                times[folder] = build(project(folder, content, material=material))
        before = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        report = build_index(ours / "site")
        after = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = sum(b.ru_utime + b.ru_stime - a.ru_utime - a.ru_stime for a, b in zip(before, after, strict=True))
        fiche = sorted((ours / "site" / "initiatives").glob("*/index.html"))[0].parent
        fiche_url = fiche.relative_to(ours / "site").as_posix() + "/"
        pagefind = measure(ours / "site", fiche_url, args.requetes, material=False, detail=args.detail)
        lunr = None
        if not args.sans_material:
            lunr = measure(theirs / "site", fiche_url, args.requetes, material=True, detail=args.detail)
        whole = None
        if report.lots > 1:  # what the lots cost a reader: the same site indexed at once, for comparison
            whole_report = build_index(ours / "site", at_once=sys.maxsize)
            whole = measure(ours / "site", fiche_url, args.requetes, material=False, detail=args.detail)

        pages = sum(1 for _ in (ours / "site").rglob("index.html"))
        lunr_files, lunr_bytes = size_of(theirs / "site" / "search")
        lunr_index = theirs / "site" / "search" / "search_index.json"
        lunr_gz = len(gzip.compress(lunr_index.read_bytes(), 6)) if lunr_index.is_file() else 0
        print(f"N = {args.n} fiches synthétiques ({report.pages} fiches indexées, {pages} pages), page : /{fiche_url}")
        print(f"requêtes : « {args.requetes[0]} » puis « {args.requetes[1]} » (tapées touche par touche)")
        print()
        print("Octets transférés pour la recherche, compressés comme par un hébergeur statique (non compressés)")
        for rank, label in enumerate(("1re requête (depuis le chargement)", "2e requête")):
            ours_bytes, ours_requests, ours_raw = pagefind[rank]
            line = f"  {label:36} Pagefind {kio(ours_bytes):>10} ({kio(ours_raw)}, {ours_requests} requêtes)"
            if lunr is not None:
                their_bytes, their_requests, their_raw = lunr[rank]
                ratio = ours_bytes / their_bytes if their_bytes else float("inf")
                line += f"   Material {kio(their_bytes):>10} ({kio(their_raw)}, {their_requests} requêtes)"
                line += f"   ratio {ratio:.3f}"
            print(line)
        if whole is not None:
            print(f"  Pagefind en {report.lots} lots (ci-dessus) ; le même site en un seul index :")
            for rank, label in enumerate(("1re requête (depuis le chargement)", "2e requête")):
                ratio = pagefind[rank][0] / max(whole[rank][0], 1)
                print(
                    f"  {label:36} un index {kio(whole[rank][0]):>10} ({whole[rank][1]} requêtes)"
                    f"   lots / un index {ratio:.2f}"
                )
        first = pagefind[0][0]
        print(
            f"  objectif 1re requête ≤ {GOAL_BYTES // 1000} Ko : {'OK' if first <= GOAL_BYTES else 'NON ATTEINT'}"
            f" ({first / 1000:.0f} Ko)"
        )
        if lunr is not None:
            first_ratio, raw_ratio = first / max(lunr[0][0], 1), pagefind[0][2] / max(lunr[0][2], 1)
            print(
                f"  objectif ≤ {GOAL_RATIO}× Material : {'OK' if first_ratio <= GOAL_RATIO else 'NON ATTEINT'}"
                f" ({first_ratio:.3f}× compressé ; {raw_ratio:.4f}× non compressé)"
            )
        print()
        print("Index")
        print(
            f"  Pagefind : construit en {report.seconds:.1f} s ({cpu:.1f} s de processeur), "
            f"{report.files} fichiers, {kio(report.bytes)} sur disque"
            + (f", en {report.lots} lots (en un seul index : {kio(whole_report.bytes)})" if whole else "")
        )
        print(
            f"  Material : {lunr_files} fichiers, {kio(lunr_bytes)} sur disque "
            f"(search_index.json : {kio(lunr_index.stat().st_size if lunr_index.is_file() else 0)}, "
            f"{kio(lunr_gz)} compressé) ; construit pendant mkdocs build, non séparable"
        )
        if times:
            print()
            print("Construction MkDocs (sans index Pagefind)")
            for folder, seconds in times.items():
                print(f"  {folder.name:9} : {seconds:.1f} s")
    finally:
        if not args.dossier:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
