"""Terminal views of articles and tables (rich)."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from dateline.records import Article

_console = Console(highlight=False, soft_wrap=False)


def print_article(article: Article) -> None:
    print_document(article.to_json())


def print_document(doc: dict[str, Any]) -> None:
    """A readable view of one document JSON: metadata, body, then what was set aside."""
    c = _console
    c.rule(escape(doc.get("title") or doc["source"]["uri"]))
    pub = doc["published"]
    c.print(
        f"[bold]id[/] {doc['id']}   [bold]source[/] {escape(doc['source']['uri'])}   [bold]language[/] {doc.get('language')}"
    )
    if pub.get("stated"):
        trust = {True: "trusted", False: "[red]NOT trusted[/]", None: "not checked"}[pub.get("trusted")]
        c.print(f"[bold]stated date[/] {pub['stated']} (from {pub.get('stated_source')}; {trust})")
        for reason in pub.get("reasons") or []:
            c.print(f"  - {escape(reason)}")
        est = pub.get("estimate") or {}
        if est.get("start") or est.get("end"):
            c.print(f"  content allows {est.get('start') or '…'} to {est.get('end') or '…'}")
    if doc.get("section"):
        c.print(f"[bold]section[/] {escape(doc['section'])}")
    if doc.get("tags"):
        c.print(f"[bold]tags[/] {escape(', '.join(doc['tags']))}")
    for err in doc.get("errors") or []:
        c.print(f"[red]error[/] {err['stage']}/{err['code']}: {escape(err['message'])}")
    c.print()
    for p in doc.get("paragraphs") or []:
        c.print(escape(p["text"]))
        c.print()
    if doc.get("read_more"):
        c.print("[bold]read more[/]")
        for line in doc["read_more"]:
            c.print(f"  - {escape(line)}")
    if doc.get("related"):
        c.print("[bold]related[/]")
        for line in doc["related"]:
            c.print(f"  - {escape(line)}")
    if doc.get("boilerplate"):
        c.print(f"[dim]{len(doc['boilerplate'])} boilerplate line(s) removed[/]")
    _print_annotations(doc)


def _print_annotations(doc: dict[str, Any]) -> None:
    c = _console
    if doc.get("mentions"):
        table = Table("mention", "actor", "country", "sector", "role", title="actors", title_justify="left")
        for m in doc["mentions"]:
            actor = m.get("actor") or {}
            table.add_row(
                escape(m["text"]), escape(actor.get("name") or "?"), actor.get("country") or "", actor.get("sector") or "",
                escape(actor.get("role") or ""),
            )  # fmt: skip
        c.print(table)
    if doc.get("places"):
        table = Table("place", "resolved", "country", "geonameid", "level", title="places", title_justify="left")
        for p in doc["places"]:
            table.add_row(
                escape(p["text"]), escape(p.get("name") or "unknown"), p.get("country_code") or "",
                str(p.get("geonameid") or ""), p.get("resolution") or "",
            )  # fmt: skip
        c.print(table)
    if doc.get("times"):
        table = Table("time", "value", "type", "from", "to", title="times", title_justify="left")
        for t in doc["times"]:
            table.add_row(
                escape(t["text"]), t.get("value") or "", t.get("type") or "", t.get("interval_start") or "",
                t.get("interval_end") or "",
            )  # fmt: skip
        c.print(table)


def print_table(rows: list[dict[str, Any]]) -> None:
    if not rows:
        _console.print("(no rows)")
        return
    table = Table(*rows[0].keys())
    for row in rows:
        table.add_row(*(escape("" if v is None else str(v)) for v in row.values()))
    _console.print(table)
