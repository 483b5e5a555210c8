"""How long `commun check` takes on a large corpus, against merely parsing the same YAML.

    python scripts/bench_check.py [--n 5000] [--seed 0] [--runs 3]

Generates N synthetic fiches (scripts/synthetic.py) in a temporary folder, then prints the best
of 3 runs of the in-process `check()` and of a bare parse of the same files (read, split off the
front matter, `yaml.load` with the C `CSafeLoader`), their ratio, the time of the whole
`commun check` command (Python start-up included), and the goals (at most 2 s, at
most 1.5 times the bare parse). It prints figures and never fails: goals are shown OK or NON ATTEINT.
"""

from __future__ import annotations

import argparse
import gc
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from commun.core.kinds import KINDS
from commun.stages.check import check
from synthetic import generate

GOAL_SECONDS = 2.0
GOAL_RATIO = 1.5


def best_of(runs: int, *works: Callable[[], object]) -> list[float]:
    """Best time of each work over `runs` rounds, the works taking turns so that both see the same machine load."""
    best = [float("inf")] * len(works)
    for _ in range(runs):
        for index, work in enumerate(works):
            gc.collect()
            started = time.perf_counter()
            work()
            best[index] = min(best[index], time.perf_counter() - started)
    return best


def bare_parse(content: Path) -> int:
    """Read every fiche and parse its YAML with the C loader, nothing else."""
    count = 0
    for kind in KINDS:
        for path in sorted((content / kind).glob("*.*")):
            if not path.is_file():
                continue
            text = path.read_text(encoding="utf-8")
            if path.suffix == ".md":
                text = text.split("\n---\n", 1)[0].removeprefix("---\n")
            yaml.load(text, Loader=yaml.CSafeLoader)
            count += 1
    return count


def verdict(ok: bool) -> str:
    return "OK" if ok else "NON ATTEINT"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=5000, help="number of fiches (5000)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--runs", type=int, default=3, help="runs of each measure; the best is kept (3)")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="commun-bench-") as tmp:
        started = time.perf_counter()
        content = generate(Path(tmp) / "content", args.n, args.seed)
        print(f"corpus     : {args.n} fiches synthétiques générées en {time.perf_counter() - started:.2f} s")
        result = check(content)  # also warms the file cache and the models
        if result.errors:
            print(f"attention  : le corpus a {len(result.errors)} erreurs (premier : {result.errors[0]})")
        parsed = bare_parse(content)

        check_time, parse_time = best_of(args.runs, lambda: check(content), lambda: bare_parse(content))
        command = [sys.executable, "-m", "commun", "check", "--format", "json", str(content)]
        (command_time,) = best_of(args.runs, lambda: subprocess.run(command, capture_output=True, check=False))

    ratio = check_time / parse_time
    print(f"check()    : {check_time:.3f} s  (meilleur de {args.runs}, {sum(1 for _ in result.all())} fiches valides)")
    print(f"yaml seul  : {parse_time:.3f} s  (meilleur de {args.runs}, {parsed} fichiers, CSafeLoader)")
    print(f"rapport    : {ratio:.2f} × le simple parsage YAML")
    print(f"commande   : {command_time:.3f} s  (`commun check` en entier, démarrage de Python compris)")
    print(f"objectif   : commande ≤ {GOAL_SECONDS:.1f} s : {verdict(command_time <= GOAL_SECONDS)}")
    print(f"objectif   : check ≤ {GOAL_RATIO:.1f} × parsage : {verdict(ratio <= GOAL_RATIO)}")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
    print(f"machine    : {os.cpu_count()} processeurs, charge moyenne {load:.2f} (les temps absolus en dépendent)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
