"""CAMEO <-> PLOVER crosswalk, quad classes and conflict-cooperation scores.

The tables are data (``dateline/data/cameo_plover.csv``, ``dateline/data/plover_types.csv``),
written from the PLOVER v0.8 manual and its CAMEO conversion table:

    >>> plover_for_cameo("0874")
    ('RETREAT', 'disarm', ('military',))
    >>> cameo_for("CONSULT", "visit")
    '042'
    >>> quad_code("SANCTION")
    4

Quad codes follow the CAMEO/GDELT convention: 1 verbal cooperation, 2 material cooperation,
3 verbal conflict, 4 material conflict (0 is used by some gold sets for "no event").
"""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass
from importlib import resources

PLOVER_TYPES = (
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "REQUEST",
    "ACCUSE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "SANCTION",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
)

# When a (type, mode) pair has no row of its own, the CAMEO code that stands for the type.
_ROOT_CODES = {
    "AGREE": "030",
    "CONSULT": "040",
    "SUPPORT": "050",
    "COOPERATE": "060",
    "AID": "070",
    "CONCEDE": "080",
    "RETREAT": "084",
    "ACCUSE": "112",
    "REQUEST": "100",
    "REJECT": "120",
    "THREATEN": "130",
    "PROTEST": "140",
    "MOBILIZE": "150",
    "SANCTION": "160",
    "COERCE": "170",
    "ASSAULT": "190",
}

# CAMEO 03x "express intent to ..." for an announced cooperative event, by PLOVER type.
_INTENT_CODES = {
    "CONSULT": "036",
    "AID": "033",
    "COOPERATE": "031",
    "SUPPORT": "032",
    "CONCEDE": "035",
    "RETREAT": "035",
    "AGREE": "030",
}
# CAMEO 13x "threaten ..." for an announced conflictual event.
_THREAT_CODES = {
    "ASSAULT": "138",
    "COERCE": "132",
    "SANCTION": "131",
    "MOBILIZE": "138",
    "PROTEST": "133",
    "REJECT": "130",
    "ACCUSE": "130",
    "REQUEST": "130",
    "THREATEN": "130",
}


@dataclass(frozen=True)
class CrosswalkRow:
    cameo: str
    event: str | None
    mode: str | None
    context: tuple[str, ...]
    cameo_name: str


def _open(name: str):  # type: ignore[no-untyped-def]
    return resources.files("dateline.data").joinpath(name).open(encoding="utf-8", newline="")


@functools.cache
def crosswalk() -> dict[str, CrosswalkRow]:
    """CAMEO code -> PLOVER (type, mode, contexts), from ``cameo_plover.csv``."""
    rows: dict[str, CrosswalkRow] = {}
    with _open("cameo_plover.csv") as handle:
        for row in csv.DictReader(handle):
            code = row["cameo"].strip()
            contexts = tuple(c.strip() for c in (row.get("context") or "").split(";") if c.strip())
            rows[code] = CrosswalkRow(
                code, row["event"].strip() or None, row["mode"].strip() or None, contexts, row["cameo_name"]
            )
    return rows


@functools.cache
def _types() -> dict[tuple[str, str], tuple[int, float]]:
    table: dict[tuple[str, str], tuple[int, float]] = {}
    with _open("plover_types.csv") as handle:
        for row in csv.DictReader(handle):
            table[(row["event"], row["mode"])] = (int(row["quad_code"]), float(row["cc_score"]))
    return table


def cameo_quad(code: str | None, scheme: str = "gdelt") -> int:
    """The CAMEO quad class of a CAMEO code by its root: 0 for statements and appeals (01-02),
    1 verbal cooperation (03-05), 2 material cooperation (06-08), 3 verbal conflict (09-13),
    4 material conflict (14-20). ``scheme="phoenix"`` follows the Phoenix/PETRARCH data sets,
    which put 16 (reduce relations: sanctions, expulsions, cut aid) in verbal conflict.

    >>> cameo_quad("0231"), cameo_quad("036"), cameo_quad("160"), cameo_quad("160", "phoenix")
    (0, 1, 4, 3)
    """
    if not code or not code[:2].isdigit():
        return 0
    root = int(code[:2])
    if scheme == "phoenix" and root == 16:
        return 3
    return 0 if root <= 2 else 1 if root <= 5 else 2 if root <= 8 else 3 if root <= 13 else 4


def plover_for_cameo(code: str) -> tuple[str | None, str | None, tuple[str, ...]]:
    """PLOVER (type, mode, contexts) for a CAMEO code; a 4-digit code falls back to its 3-digit parent.

    CAMEO 01 (statements) and 02 (appeals) have no PLOVER type: (None, None, ()).
    """
    table = crosswalk()
    code = code.strip()
    for candidate in (code, code[:3], code[:2] + "0"):
        row = table.get(candidate)
        if row is not None:
            return row.event, row.mode, row.context
    return None, None, ()


@functools.cache
def _reverse() -> dict[tuple[str, str | None], str]:
    reverse: dict[tuple[str, str | None], str] = {}
    for code, row in crosswalk().items():
        if row.event:
            reverse.setdefault((row.event, row.mode), code)
    return reverse


def cameo_for(event: str, mode: str | None = None, *, intent: bool = False) -> str | None:
    """The CAMEO code that best stands for a PLOVER (type, mode).

    ``intent=True`` is for an event the actor announces it will carry out: CAMEO codes those
    as "express intent to cooperate" (03x) or "threaten" (13x).
    """
    if intent:
        if quad_code(event) in (1, 2):
            return _INTENT_CODES.get(event, "030")
        return _THREAT_CODES.get(event, "130")
    reverse = _reverse()
    if mode and (event, mode) in reverse:
        return reverse[(event, mode)]
    return _ROOT_CODES.get(event) or reverse.get((event, None))


def quad_code(event: str | None) -> int:
    """1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict; 0 none."""
    if not event:
        return 0
    found = _types().get((event, ""))
    return found[0] if found else 0


def cc_score(event: str, mode: str | None = None) -> float | None:
    """PLOVER's conflict-cooperation score (-10 .. +10) for a type and mode (manual, table of scores)."""
    table = _types()
    found = table.get((event, mode or "")) or table.get((event, ""))
    return found[1] if found else None
