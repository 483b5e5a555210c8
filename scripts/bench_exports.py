"""Benchmark of what the build writes after the pages: open data, PDF deliverables, offline copy.

Prints figures (seconds, files, sizes) on the repository's content and on a built site; never asserts.
Justifies the design choices: PDFs cached by content (their layout is the slow part), the offline copy made
by post-processing the built site rather than by a second MkDocs build.

    .venv/bin/python scripts/bench_exports.py            # builds the site into a temporary folder first
    .venv/bin/python scripts/bench_exports.py --site site
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "plugins"))

from commun.outputs.offline import build_archive, search_entries  # noqa: E402
from commun.outputs.opendata import SiteFiles  # noqa: E402
from commun.outputs.pdf.render import PdfRenderer  # noqa: E402
from commun.stages.check import check  # noqa: E402
from commun.stages.graph import build_graph  # noqa: E402


def timed(label: str, action):
    start = time.perf_counter()
    result = action()
    print(f"{label:<48} {time.perf_counter() - start:7.2f} s")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--site", help="a site already built (else one is built in a temporary folder)")
    args = parser.parse_args()
    graph = build_graph(check(ROOT / "content"))
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(args.site) if args.site else Path(tmp) / "site"
        if not args.site:
            env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "COMMUN_RECHERCHE": "0"}
            command = [sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(site)]
            timed("one MkDocs build (with everything below)", lambda: subprocess.run(command, cwd=ROOT, env=env))
        files = timed("open data (JSON, CSV, schemas, feeds, agenda)", lambda: SiteFiles(graph).files())
        print(f"{'':<48} {len(files)} files, {sum(map(len, files.values())) // 1024} KiB")
        pdfs = timed("PDF deliverables, no cache", lambda: PdfRenderer(graph).files())
        cache = Path(tmp) / "cache"
        timed("PDF deliverables, cache filled", lambda: PdfRenderer(graph, cache_dir=cache).files())
        timed("PDF deliverables, from the cache", lambda: PdfRenderer(graph, cache_dir=cache).files())
        print(f"{'':<48} {len(pdfs)} PDF, {sum(map(len, pdfs.values())) // 1024} KiB")
        entries = timed("offline search index (HTML parsed)", lambda: search_entries(site))
        print(f"{'':<48} {len(entries)} pages")
        report = timed(
            "offline copy (links rewritten, index, zip)",
            lambda: build_archive(site, Path(tmp) / "copie.zip", date=dt.date.today()),
        )
        print(f"{'':<48} {report.pages} pages, {report.files} files, {report.size // 1024} KiB zipped")


if __name__ == "__main__":
    main()
