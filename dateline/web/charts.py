"""Geometry for the events page's SVG charts: the timeline, the map and the actor network.

The server lays the charts out and the templates draw them as plain SVG, so the page shows
its data with scripts off and under a strict Content-Security-Policy; ``static/app.js`` only
adds hover details. Every label goes through the template's autoescaping.
"""

from __future__ import annotations

import math
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

QUAD_CLASSES = {"1": "q1", "2": "q2", "3": "q3", "4": "q4", "0": "q0"}


def timeline_chart(data: dict[str, Any], width: int = 960, height: int = 220) -> dict[str, Any]:
    """Stacked bars: one per day, split by quad class."""
    days = data.get("days") or []
    left, right, top, bottom = 36, 8, 10, 28
    plot_w, plot_h = width - left - right, height - top - bottom
    chart: dict[str, Any] = {
        "width": width,
        "height": height,
        "bars": [],
        "xticks": [],
        "yticks": [],
        "empty": not days,
    }
    if not days:
        return chart
    first = date.fromisoformat(days[0]["date"])
    last = date.fromisoformat(days[-1]["date"])
    n_days = (last - first).days + 1
    step_y = _nice_step(max(d["total"] for d in days) / 4)
    peak = step_y * math.ceil(max(d["total"] for d in days) / step_y)
    step = plot_w / n_days
    bar_w = max(step * 0.85, 0.6)
    for d in days:
        day = date.fromisoformat(d["date"])
        x = left + (day - first).days * step
        y = top + plot_h
        for quad in ("1", "2", "3", "4", "0"):
            n = d["counts"].get(quad, 0)
            if not n:
                continue
            h = plot_h * n / peak
            y -= h
            chart["bars"].append(
                {
                    "x": round(x, 2), "y": round(y, 2), "w": round(bar_w, 2), "h": round(h, 2),
                    "cls": QUAD_CLASSES[quad], "title": f"{d['date']}: {n} × {data['quads'].get(quad, 'other')}",
                    "date": d["date"],
                }
            )  # fmt: skip
    # month ticks, or weekly ones for a short range
    tick = first.replace(day=1)
    ticks = []
    while tick <= last:
        if tick >= first:
            ticks.append(tick)
        tick = (tick.replace(day=28) + timedelta(days=4)).replace(day=1)
    if len(ticks) < 2:
        ticks = [first + timedelta(days=k) for k in range(0, n_days, 7)]
    every = max(1, math.ceil(len(ticks) / 12))
    for t in ticks[::every]:
        chart["xticks"].append({"x": round(left + (t - first).days * step, 2), "label": t.strftime("%d %b %Y")})
    for k in range(0, round(peak / step_y) + 1):
        value = k * step_y
        chart["yticks"].append({"y": round(top + plot_h - plot_h * value / peak, 2), "label": f"{value:g}"})
    chart["plot"] = {"left": left, "top": top, "width": plot_w, "height": plot_h, "bottom": top + plot_h}
    chart["range"] = [first.isoformat(), last.isoformat()]
    return chart


def _nice_step(raw: float) -> float:
    """A round step (1, 2 or 5 times a power of ten, at least 1) near ``raw``."""
    if raw <= 1:
        return 1
    power = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 5, 10):
        if raw <= m * power:
            return m * power
    return 10 * power


def _short(label: str, limit: int = 22) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def map_points(locations: list[dict[str, Any]], params: dict[str, str]) -> list[dict[str, Any]]:
    """Circles in the base map's frame (x = lon + 180, y = 90 - lat), area by event count."""
    if not locations:
        return []
    peak = max(r["n"] for r in locations) or 1
    points = []
    for r in sorted(locations, key=lambda r: -r["n"]):
        share = r.get("conflict_share") or 0
        link = {**params, "place": str(r["geonameid"])} if r.get("geonameid") else params
        points.append(
            {
                "cx": round(r["lon"] + 180, 2), "cy": round(90 - r["lat"], 2),
                "r": round(1.2 + 6 * math.sqrt(r["n"] / peak), 2),
                "cls": "conflict" if share >= 0.5 else "coop",
                "title": f"{r.get('name') or 'unnamed place'} ({r.get('country_code') or '?'}): {r['n']} events, "
                f"{round(100 * share)}% conflict",
                "href": "/events?" + urlencode(link),
            }
        )  # fmt: skip
    return points


def network_layout(network: dict[str, Any], params: dict[str, str], size: int = 520, max_nodes: int = 24) -> dict:
    """A force-directed layout (Fruchterman-Reingold, seeded on a circle: deterministic)."""
    nodes = network.get("nodes", [])[:max_nodes]
    names = [n["id"] for n in nodes]
    index = {name: i for i, name in enumerate(names)}
    edges = [e for e in network.get("edges", []) if e["source"] in index and e["target"] in index]
    n = len(names)
    layout: dict[str, Any] = {"size": size, "nodes": [], "edges": [], "empty": n == 0}
    if n == 0:
        return layout
    pos = [[math.cos(2 * math.pi * i / n) * size * 0.35, math.sin(2 * math.pi * i / n) * size * 0.35] for i in range(n)]
    area = (size * 0.8) ** 2
    k = math.sqrt(area / n)
    temp = size * 0.1
    weights = [(index[e["source"]], index[e["target"]], e["weight"]) for e in edges]
    top_weight = max((w for _, _, w in weights), default=1)
    for _ in range(120):
        disp = [[0.0, 0.0] for _ in range(n)]
        for i in range(n):
            for j in range(i + 1, n):
                dx, dy = pos[i][0] - pos[j][0], pos[i][1] - pos[j][1]
                dist = math.hypot(dx, dy) or 0.01
                force = k * k / dist
                disp[i][0] += dx / dist * force
                disp[i][1] += dy / dist * force
                disp[j][0] -= dx / dist * force
                disp[j][1] -= dy / dist * force
        for i, j, w in weights:
            dx, dy = pos[i][0] - pos[j][0], pos[i][1] - pos[j][1]
            dist = math.hypot(dx, dy) or 0.01
            force = dist * dist / k * (0.5 + w / top_weight)
            disp[i][0] -= dx / dist * force
            disp[i][1] -= dy / dist * force
            disp[j][0] += dx / dist * force
            disp[j][1] += dy / dist * force
        for i in range(n):
            # a gentle pull to the centre keeps unconnected actors on the canvas
            disp[i][0] -= pos[i][0] * 0.05
            disp[i][1] -= pos[i][1] * 0.05
            d = math.hypot(*disp[i]) or 0.01
            step = min(d, temp)
            pos[i][0] += disp[i][0] / d * step
            pos[i][1] += disp[i][1] / d * step
        temp *= 0.96
    # fit into the canvas with a margin for labels
    xs, ys = [p[0] for p in pos], [p[1] for p in pos]
    span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1
    margin = 60
    scale = (size - 2 * margin) / span
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    xy = [(size / 2 + (p[0] - cx) * scale, size / 2 + (p[1] - cy) * scale) for p in pos]
    top_node = max(nd["weight"] for nd in nodes) or 1
    for name, node, (x, y) in zip(names, nodes, xy, strict=True):
        layout["nodes"].append(
            {
                "x": round(x, 1), "y": round(y, 1), "r": round(4 + 10 * math.sqrt(node["weight"] / top_node), 1),
                "label": _short(name), "name": name, "title": f"{name}: {node['weight']} events", "href": "/events?" + urlencode({**params, "actor": name}),
            }
        )  # fmt: skip
    for e in edges:
        (x1, y1), (x2, y2) = xy[index[e["source"]]], xy[index[e["target"]]]
        # bend each edge a little so that A->B and B->A do not overlap
        mx, my = (x1 + x2) / 2 - (y2 - y1) * 0.12, (y1 + y2) / 2 + (x2 - x1) * 0.12
        # stop at the target's rim, so that the arrowhead shows
        rim = layout["nodes"][index[e["target"]]]["r"] + 2
        dx, dy = x2 - mx, y2 - my
        dist = math.hypot(dx, dy) or 1
        x2, y2 = x2 - dx / dist * rim, y2 - dy / dist * rim
        share = e.get("conflict_share") or 0
        layout["edges"].append(
            {
                "d": f"M{x1:.1f} {y1:.1f} Q{mx:.1f} {my:.1f} {x2:.1f} {y2:.1f}",
                "w": round(0.8 + 5 * e["weight"] / top_weight, 2),
                "cls": "conflict" if share >= 0.5 else "coop",
                "title": f"{e['source']} → {e['target']}: {e['weight']} events, {round(100 * share)}% conflict",
                "source": e["source"], "target": e["target"],
            }
        )  # fmt: skip
    return layout
