"""Benchmark of the site build. Prints figures, ratios and goals; never asserts. Each comparison is measured
in one run, side by side (the machine is noisy: compare ratios, not seconds between runs).

For each N of `--n`:
- like for like: the commun plugin against the same pages pre-rendered as Markdown, built by Material;
- the whole build, everything on (search index, open data, PDFs, offline copy, web form), against stock
  Material building the same texts (title, résumé, body) as plain pages with its own `search` plugin;
- at `--serve-n`, the time from editing one fiche under `mkdocs serve --dirty` to the page being served.

Then the scale series (`--echelle`, fiches spread over many departments): time per fiche, peak memory,
`commun check`, and the rebuild after a one-fiche edit with the build cache (.cache/) against the build
from nothing (goal at 5,000). The machine's load is printed beside the figures.

    .venv/bin/python scripts/bench_site.py --n 1000 5000 --echelle 1000 5000 20000
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "plugins"))

from commun.outputs.pages.cache import render_pages  # noqa: E402
from commun.outputs.pages.render import Renderer  # noqa: E402
from commun.stages.check import check  # noqa: E402
from commun.stages.graph import build_graph  # noqa: E402
from synthetic import generate  # noqa: E402

# Peak memory is the process's own high-water mark (VmHWM). `ru_maxrss` would not do: Linux carries a
# child's peak across fork and exec, so it read the benchmark's own size (113 MiB) for every build. The
# largest peak of the build's own children (Pagefind, the PDF layout processes) is printed apart, and the peak
# of all of them together (`sample_tree`): Pagefind runs while the build writes the rest, and the goal is
# what the machine must hold.
BUILD = """
import resource, sys, time
from mkdocs.commands.build import build
from mkdocs.config import load_config
start = time.perf_counter()
build(load_config(sys.argv[1]))
elapsed = time.perf_counter() - start
try:
    with open("/proc/self/status") as status:
        peak = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
except OSError:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(elapsed, peak, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


# What the plugin builds beyond the pages: left out of the like-for-like run, measured apart.
EXTRAS_OFF = {"recherche": False, "livrables": False, "hors_ligne": False, "cms": {"actif": False}}


def project(folder: Path, content: Path, *, plugin: bool, extras: bool = False) -> Path:
    """A copy of the repository's MkDocs project, reading `content` (plugin) or pre-rendered pages (baseline).

    The baseline has only the pages; the plugin run matches it unless `extras` adds the search index,
    the PDF deliverables, the offline archive and the web form.
    """
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.Loader)
    docs = folder / "docs"
    shutil.copytree(ROOT / "docs", docs)
    config["docs_dir"] = str(docs)
    config["site_dir"] = str(folder / "site")
    plugins = []
    for entry in config.get("plugins", []):
        name = entry if isinstance(entry, str) else next(iter(entry))
        if name == "commun":
            if plugin:
                plugins.append({"commun": {"contenu": str(content), **({} if extras else EXTRAS_OFF)}})
        else:
            plugins.append(entry)
    config["plugins"] = plugins
    if not plugin:
        renderer = Renderer(build_graph(check(content)))
        for page in render_pages(renderer):
            target = docs / page.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(page.text, encoding="utf-8")
        for page in docs.glob("*.md"):
            page.write_text(renderer.editorial(page.read_text(encoding="utf-8"), page.name), encoding="utf-8")
        attachments = content / "outils" / "fichiers"
        if attachments.is_dir():
            shutil.copytree(attachments, docs / "outils" / "fichiers", dirs_exist_ok=True)
    path = folder / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


STOCK_MATERIAL = {
    "site_name": "Commun (Material seul)",
    "theme": {"name": "material", "language": "fr"},
    "plugins": ["search"],
    "markdown_extensions": ["admonition", "attr_list", "tables", {"toc": {"permalink": True}}],
}


def stock_project(folder: Path, content: Path) -> Path:
    """Stock Material with its own search, building each fiche's text (title, résumé, body) as a plain page."""
    docs = folder / "docs"
    docs.mkdir(parents=True)
    graph = build_graph(check(content))
    (docs / "index.md").write_text("# Commun\n\nLes fiches du commun.\n", encoding="utf-8")
    for fiche in graph.all():
        target = docs / fiche.kind / f"{fiche.slug}.md"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(f"# {fiche.meta.titre}\n\n{fiche.meta.resume}\n\n{fiche.body}", encoding="utf-8")
    config = {**STOCK_MATERIAL, "docs_dir": str(docs), "site_dir": str(folder / "site")}
    path = folder / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def verdict(ok: bool) -> str:
    return "OK" if ok else "NON ATTEINT"


def measure_build(config: Path) -> tuple[float, float]:
    """Seconds and peak MiB of the build's own process."""
    seconds, mib, _, _ = measure_build_and_children(config)
    return seconds, mib


def measure_build_and_children(config: Path) -> tuple[float, float, float, float]:
    """Seconds, peak MiB of the build's own process, the largest peak MiB of its children, and the peak MiB
    of the build and its children together (sampled every 0.1 s: what the machine must hold at once)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    process = subprocess.Popen(
        [sys.executable, "-c", BUILD, str(config)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )
    together = [0]
    sampler = threading.Thread(target=sample_tree, args=(process, together), daemon=True)
    sampler.start()
    out, err = process.communicate()
    sampler.join()
    if process.returncode != 0:
        sys.exit(f"échec de la construction :\n{err[-3000:]}")
    seconds, kib, children = out.split()[-3:]
    return float(seconds), float(kib) / 1024, float(children) / 1024, together[0] / 1024


def sample_tree(process: subprocess.Popen[str], peak: list[int]) -> None:
    """The largest resident size (KiB) of `process` and its descendants together, until it ends."""
    while process.poll() is None:
        parents: dict[int, int] = {}
        sizes: dict[int, int] = {}
        for stat in Path("/proc").glob("[0-9]*/status"):
            try:
                fields = dict(line.split(":", 1) for line in stat.read_text().splitlines() if ":" in line)
                pid = int(stat.parent.name)
                parents[pid] = int(fields["PPid"])
                sizes[pid] = int(fields.get("VmRSS", "0 kB").split()[0])
            except (OSError, KeyError, ValueError):
                continue
        tree = {process.pid}
        for _ in range(4):  # build → Pagefind or the PDF layout processes: a few generations at most
            tree |= {pid for pid, parent in parents.items() if parent in tree}
        peak[0] = max(peak[0], sum(sizes.get(pid, 0) for pid in tree))
        time.sleep(0.1)


def load() -> str:
    """The machine's load (1, 5, 15 minutes): on 2 shared cores, figures measured under load are inflated."""
    return "charge " + " ".join(f"{value:.2f}" for value in os.getloadavg())


def site_size(site: Path) -> tuple[int, int]:
    pages = list(site.rglob("index.html"))
    total = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    return total, len(pages)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8", "replace")
    except OSError:
        return ""


def measure_serve_edit(config: Path, content: Path, *, edits: int = 3) -> list[float]:
    """Seconds from saving an edited fiche to `mkdocs serve --dirty` serving the updated page."""
    port = free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--dirty", "--livereload", "-f", str(config), "-a",
         f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=config.parent,
    )
    fiche = sorted((content / "initiatives").glob("*.md"))[0]
    url = f"http://127.0.0.1:{port}/initiatives/{fiche.stem}/"
    timings = []
    try:
        deadline = time.monotonic() + 600
        while "<html" not in fetch(url):
            if time.monotonic() > deadline or server.poll() is not None:
                sys.exit("le serveur n'a pas démarré")
            time.sleep(0.2)
        for number in range(edits):
            marker = f"Mesure de modification numéro {number} {time.time_ns()}"
            text = fiche.read_text(encoding="utf-8")
            text = re.sub(r"^resume: .*$", f"resume: {marker}", text, count=1, flags=re.M)
            time.sleep(1.1)
            start = time.monotonic()
            fiche.write_text(text, encoding="utf-8")
            while marker not in fetch(url):
                if time.monotonic() - start > 120:
                    sys.exit("la page modifiée n'a pas été servie en 120 s")
                time.sleep(0.02)
            timings.append(time.monotonic() - start)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--serve-n", type=int, default=1000, help="N du test d'édition sous mkdocs serve (0 : aucun)")
    parser.add_argument("--echelle", type=int, nargs="*", default=[], help="tailles de la série d'échelle")
    args = parser.parse_args()
    print(f"Début : {load()}")
    for n in args.n:
        with tempfile.TemporaryDirectory() as tmp:
            tmp_path = Path(tmp)
            content = generate(tmp_path / "content", n)
            plugin_cfg = project(tmp_path / "plugin", content, plugin=True)
            full_cfg = project(tmp_path / "complet", content, plugin=True, extras=True)
            base_cfg = project(tmp_path / "baseline", content, plugin=False)
            stock_cfg = stock_project(tmp_path / "material", content)
            base_time, base_mem = measure_build(base_cfg)
            plugin_time, plugin_mem = measure_build(plugin_cfg)
            stock_time, stock_mem = measure_build(stock_cfg)
            full_time, full_mem = measure_build(full_cfg)
            size, pages = site_size(tmp_path / "plugin" / "site")
            full_size, _ = site_size(tmp_path / "complet" / "site")
            print(f"N = {n} fiches, {pages} pages")
            print(f"  Markdown pré-rendu, Material seul : {base_time:7.2f} s  {base_mem:7.0f} Mio")
            print(f"  greffon commun, mêmes pages       : {plugin_time:7.2f} s  {plugin_mem:7.0f} Mio")
            print(
                f"  greffon commun, tout compris      : {full_time:7.2f} s  {full_mem:7.0f} Mio"
                f"  (recherche, données ouvertes, PDF, copie hors ligne, formulaire ; site {full_size / 1e6:.1f} Mo)"
            )
            ratio_t, ratio_m = plugin_time / base_time, plugin_mem / base_mem
            print(f"  ratio temps {ratio_t:.2f} (objectif ≤ 1,0 : {'OK' if ratio_t <= 1.0 else 'NON ATTEINT'})")
            print(f"  ratio mémoire {ratio_m:.2f} (objectif ≤ 1,2 : {'OK' if ratio_m <= 1.2 else 'NON ATTEINT'})")
            print(f"  site : {size / 1e6:.1f} Mo, {size / max(pages, 1) / 1024:.1f} Kio par page")
            ratio_full = full_time / stock_time
            print(
                f"  de bout en bout : tout compris {full_time:.2f} s contre Material seul (pages simples, sa recherche)"
                f" {stock_time:.2f} s ({stock_mem:.0f} Mio) : {ratio_full:.2f} ×"
                f" (objectif ≤ 2,0 : {verdict(ratio_full <= 2.0)})"
            )
            if n == args.serve_n:
                timings = measure_serve_edit(full_cfg, content, edits=6)
                print(
                    "  mkdocs serve --dirty, une fiche modifiée → page servie : "
                    + ", ".join(f"{t:.2f} s" for t in timings)
                    + f" (objectif ≤ 1,0 s à chaque modification : {verdict(max(timings) <= 1.0)})"
                )
    if args.echelle:
        scale(args.echelle)
    print(f"Fin : {load()}")


def measure_check(content: Path) -> float:
    """Seconds of `commun check` on a content folder, as a contributor runs it."""
    start = time.perf_counter()
    command = [sys.executable, "-m", "commun.adapters.cli", "check", str(content)]
    subprocess.run(command, capture_output=True, check=False)
    return time.perf_counter() - start


def edit_one_fiche(content: Path, marker: str) -> None:
    fiche = sorted((content / "initiatives").glob("*.md"))[len(list((content / "initiatives").glob("*.md"))) // 2]
    text = fiche.read_text(encoding="utf-8")
    fiche.write_text(re.sub(r"^resume: .*$", f"resume: {marker}", text, count=1, flags=re.M), encoding="utf-8")


def scale(sizes: list[int]) -> None:
    """The whole build at several sizes, structures spread over every department (see synthetic.py): from
    nothing (no .cache/), then again after a one-fiche edit with the cache the first build left."""
    print("Échelle : construction complète (recherche, données, PDF, copie hors ligne, formulaire)")
    per_fiche: dict[int, float] = {}
    for n in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            tmp_path = Path(tmp)
            content = generate(tmp_path / "content", n, departments=95)
            config = project(tmp_path / "complet", content, plugin=True, extras=True)
            print(f"  N = {n:6d} ({load()})")
            checking = measure_check(content)
            seconds, mib, children, together = measure_build_and_children(config)
            per_fiche[n] = seconds / n
            print(
                f"    à froid : {seconds:7.1f} s, {1000 * seconds / n:5.1f} ms par fiche ;"
                f" pic de mémoire : construction {mib:6.0f} Mio, processus enfants (Pagefind, PDF) {children:6.0f} Mio"
                f" au plus, ensemble {together:6.0f} Mio"
                + (f" (objectif ≤ 1 536 : {verdict(max(mib, together) <= 1536)})" if n >= 20000 else "")
            )
            print(
                f"    commun check : {checking:5.1f} s"
                + (f" (objectif ≤ 8 s : {verdict(checking <= 8)})" if n >= 20000 else "")
            )
            edit_one_fiche(content, f"Fiche modifiée pour la mesure {time.time_ns()}")
            warm, warm_mib = measure_build(config)
            ratio = warm / seconds
            print(
                f"    après une fiche modifiée, avec le cache : {warm:6.1f} s ({warm_mib:.0f} Mio),"
                f" {ratio:.2f} × à froid"
                + (f" (objectif ≤ 0,30 : {verdict(ratio <= 0.3)})" if n == 5000 else "")
                + f" ({load()})"
            )
    if 1000 in per_fiche and max(per_fiche) > 1000:
        largest = max(per_fiche)
        ratio = per_fiche[largest] / per_fiche[1000]
        print(f"  temps par fiche à {largest} / à 1 000 : {ratio:.2f} (objectif ≤ 1,2 : {verdict(ratio <= 1.2)})")


if __name__ == "__main__":
    main()
