"""The map of the departments shaded by their number of fiches: its data, drawn by `blocs/carte.md.j2` as
inline SVG (no script, nothing fetched), with the same figures as a table beside it.

The geometry (`data/carte-departements.json`, from `scripts/carte_departements.py`) covers the Hexagone and
Corsica; the overseas departments, which it lacks, are labelled boxes in a row below, Mayotte first.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from ...stages.graph import Graph

GEOMETRY = Path(__file__).resolve().parents[2] / "data" / "carte-departements.json"
THRESHOLDS = (1, 5, 15, 50)
"""The lowest number of fiches of each shade: 1-4, 5-14, 15-49, 50 and more (none: no shade)."""
INSETS = ("976", "971", "972", "973", "974")
"""The overseas departments drawn as boxes, in this order."""
INSET_TOP, INSET_HEIGHT, INSET_GAP = 600, 80, 8
"""Where the row of boxes stands below the Hexagone (map units)."""
ZOOM_BOX = (4, 4, 150, 128)
"""Where Paris and the inner ring are drawn again, larger: the Channel, at the top left (x, y, width, height)."""


@cache
def geometry() -> dict[str, Any]:
    return json.loads(GEOMETRY.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Zone:
    """A department on the map: its outline (or its box), its name, its fiches and the page they are on."""

    code: str
    nom: str
    fiches: int
    url: str | None
    shade: int
    path: str = ""
    box: tuple[int, int, int, int] | None = None
    """x, y, width and height of the box of an overseas department."""
    current: bool = False


@dataclass(frozen=True)
class Zoom:
    """A few small departments drawn again, larger, in a box: their outlines and the transform that places them."""

    titre: str
    box: tuple[int, int, int, int]
    transform: str
    zones: list[Zone]


@dataclass(frozen=True)
class Carte:
    width: int
    height: int
    zones: list[Zone]
    insets: list[Zone]
    zoom: Zoom | None
    legend: list[tuple[int, str]]
    """Each shade and the numbers of fiches it stands for."""
    listed: list[Zone]
    """The departments with fiches, for the table that says what the map shows."""
    current: Zone | None = None


def shade(count: int) -> int:
    return sum(1 for threshold in THRESHOLDS if count >= threshold)


def legend() -> list[tuple[int, str]]:
    """« aucune fiche », « 1 à 4 fiches »… « 50 fiches et plus »."""
    entries = [(0, "aucune fiche")]
    for level, low in enumerate(THRESHOLDS, 1):
        high = THRESHOLDS[level] - 1 if level < len(THRESHOLDS) else None
        entries.append((level, f"{low} à {high} fiches" if high else f"{low} fiches et plus"))
    return entries


def carte(graph: Graph, current: str | None = None) -> Carte:
    """The map of `graph`'s fiches by department, `current` (a department's code) set apart."""
    data = geometry()
    territoires = graph.territoires
    by_department = graph.fiches_by_departement()
    width = int(data["viewBox"].split()[2])

    def zone(code: str, **where: Any) -> Zone:
        department = territoires.departement(code)
        count = len(by_department.get(code, []))
        url = f"departements/{code}/" if count else None
        name = department.nom if department else code
        return Zone(code, name, count, url, shade(count), current=code == current, **where)

    zones = [zone(code, path=d) for code, d in data["departements"].items()]
    step = (width + INSET_GAP) // len(INSETS)
    insets = [
        zone(code, box=(index * step, INSET_TOP, step - INSET_GAP, INSET_HEIGHT)) for index, code in enumerate(INSETS)
    ]
    zoom = _zoom(data.get("zoom"), zone)
    drawn = {z.code for z in zones + insets}
    others = [zone(code) for code in by_department if code not in drawn]
    listed = sorted((z for z in zones + insets + others if z.fiches), key=lambda z: (-z.fiches, z.code))
    here = next((z for z in zones + insets + others if z.current), None)
    return Carte(width, INSET_TOP + INSET_HEIGHT, zones, insets, zoom, legend(), listed, here)


def _zoom(data: dict[str, Any] | None, zone: Any) -> Zoom | None:
    """The box of Paris and its inner ring: their finer outlines scaled to fill `ZOOM_BOX`."""
    if not data:
        return None
    points = [point for d in data["departements"].values() for point in _points(d)]
    xs, ys = [x for x, _ in points], [y for _, y in points]
    x, y, width, height = ZOOM_BOX
    margin = 8
    factor = min((width - 2 * margin) / (max(xs) - min(xs)), (height - 2 * margin - 14) / (max(ys) - min(ys)))
    left = x + (width - factor * (max(xs) - min(xs))) / 2 - factor * min(xs)
    top = y + margin + 14 - factor * min(ys)
    transform = f"translate({left:.1f} {top:.1f}) scale({factor:.4f})"
    zones = [zone(code, path=d) for code, d in data["departements"].items()]
    return Zoom(data["titre"], ZOOM_BOX, transform, zones)


def _points(d: str) -> list[tuple[int, int]]:
    """The vertices of a path written by scripts/carte_departements.py: `M x y l dx dy … z` rings."""
    found = []
    for ring in re.findall(r"M([^z]*)z", d):
        start, _, steps = ring.partition("l")
        x, y = (int(v) for v in start.split())
        found.append((x, y))
        numbers = [int(v) for v in re.findall(r"-?\d+", steps)]
        for dx, dy in zip(numbers[::2], numbers[1::2], strict=True):
            x, y = x + dx, y + dy
            found.append((x, y))
    return found
