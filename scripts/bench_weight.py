"""Page weight: the compressed bytes a first visit downloads (HTML, CSS, JS, fonts, images, other), per page type.

Builds the site (or reads --site), serves it on 127.0.0.1 compressed as a static server would send it (brotli
when the `brotli` module is installed, else gzip -9; already compressed files as they are), opens each page type
in headless Chromium with an empty cache and adds up the encoded body sizes of every response. Prints the
figures against the goal (120 KB for a fiche page); never asserts.

    .venv/bin/python scripts/bench_weight.py [--site site/] [--detail fiche-initiatives]
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import mimetypes
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "browser"))

from audit_kit import BANK, PAGE_TYPES, page_types  # noqa: E402

try:
    import brotli  # type: ignore[import-not-found]
except ImportError:  # optional: gzip is what every static server can send
    brotli = None

GOAL_KB = 120
CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
COMPRESSIBLE = (".html", ".css", ".js", ".mjs", ".json", ".svg", ".xml", ".txt", ".csv", ".md", ".ics", ".wasm")
CATEGORIES = {"document": "HTML", "stylesheet": "CSS", "script": "JS", "font": "polices", "image": "images"}
IMAGES = (".png", ".svg", ".ico", ".jpg", ".jpeg", ".webp", ".gif", ".avif")
COLUMNS = ["HTML", "CSS", "JS", "polices", "images", "autres"]


class CompressingHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, compressed once and kept in memory, like a server with pre-compressed files."""

    cache: dict[tuple[str, str], bytes] = {}  # noqa: RUF012 - shared on purpose, across requests

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if not path.is_file():
            self.send_error(404)
            return
        accepted = self.headers.get("Accept-Encoding", "")
        encoding = ""
        if path.suffix in COMPRESSIBLE:
            encoding = "br" if brotli is not None and "br" in accepted else "gzip" if "gzip" in accepted else ""
        key = (str(path), encoding)
        if key not in self.cache:
            data = path.read_bytes()
            if encoding == "br":
                data = brotli.compress(data, quality=11)
            elif encoding == "gzip":
                data = gzip.compress(data, compresslevel=9, mtime=0)
            self.cache[key] = data
        body = self.cache[key]
        self.send_response(200)
        self.send_header("Content-Type", mimetypes.guess_type(path.name)[0] or "application/octet-stream")
        if encoding:
            self.send_header("Content-Encoding", encoding)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def build(folder: Path) -> Path:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(folder)], cwd=ROOT, env=env, check=True
    )
    return folder


def measure(browser: Any, url: str, search: bool) -> list[tuple[str, str, int]]:
    """(category, url, encoded bytes) of every response a first visit to `url` receives."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    seen: list[Any] = []
    page.on("requestfinished", lambda request: seen.append(request))
    page.goto(url, wait_until="networkidle")
    if search:
        page.locator("#commun-banque-resultats li").first.wait_for(state="visible")
        page.wait_for_load_state("networkidle")
    rows = []
    for request in seen:
        sizes = request.sizes()
        category = CATEGORIES.get(request.resource_type, "autres")
        if category == "autres" and request.url.split("?")[0].endswith(IMAGES):  # the favicon
            category = "images"
        rows.append((category, request.url, sizes["responseBodySize"]))
    context.close()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--site", type=Path, help="site déjà construit (par défaut : construit dans un dossier temporaire)"
    )
    parser.add_argument("--detail", default="fiche-initiatives", help="type de page dont lister chaque fichier")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        site = args.site or build(Path(tmp) / "site")
        types = page_types(site)
        server = http.server.ThreadingHTTPServer(
            ("127.0.0.1", 0), functools.partial(CompressingHandler, directory=str(site))
        )
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        encoding = "brotli (qualité 11)" if brotli is not None else "gzip -9"
        print(f"Poids d'une première visite (cache vide), octets compressés ({encoding}), Chromium {CHROMIUM}")
        print(f"Objectif : ≤ {GOAL_KB} Ko pour une page de fiche.\n")
        header = (
            f"{'type de page':<20}" + "".join(f"{c:>9}" for c in COLUMNS) + f"{'total':>10}{'objectif':>10}  requêtes"
        )
        print(header)
        print("-" * len(header))
        details: list[tuple[str, str, int]] = []
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=CHROMIUM, args=["--disable-gpu", "--disable-quic", "--no-sandbox"]
            )
            for name in PAGE_TYPES:
                url = types.get(name)
                if url is None:
                    continue
                search = url == BANK
                rows = measure(browser, base + url + ("?q=formation" if search else ""), search)
                totals: dict[str, int] = defaultdict(int)
                for category, _, size in rows:
                    totals[category] += size
                total = sum(totals.values())
                label = name + (" (résultats)" if search else "")
                print(
                    f"{label:<20}"
                    + "".join(f"{totals[c] / 1024:>8.1f}K" for c in COLUMNS)
                    + f"{total / 1024:>9.1f}K{100 * total / (GOAL_KB * 1024):>9.0f} %  {len(rows)}"
                )
                if name == args.detail:
                    details = rows
            browser.close()
        server.shutdown()
        if details:
            print(f"\nFichiers de « {args.detail} », du plus lourd au plus léger :")
            for category, url, size in sorted(details, key=lambda r: -r[2]):
                print(f"  {size / 1024:>7.1f}K  {category:<8} {url.removeprefix(base)}")


if __name__ == "__main__":
    main()
