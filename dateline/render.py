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
    if doc.get("links"):
        c.print("[bold]links in the text[/]")
        for link in doc["links"]:
            c.print(f"  - {escape(link['text'])} [dim]→ {escape(link['href'])}[/]")
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


def print_event(event: dict[str, Any]) -> None:
    """A readable view of one event record and the reports of it."""
    c = _console

    def parties(items: list[dict[str, Any]] | None) -> str:
        return (
            "; ".join(
                f"{p.get('name') or p.get('text') or '?'} ({p.get('country') or '?'}{'/' + p['sector'] if p.get('sector') else ''})"
                for p in items or []
            )
            or "—"
        )

    loc = event.get("event_loc") or {}
    kind = event["event"] + (f" / {event['mode']}" if event.get("mode") else "")
    c.rule(escape(f"{kind}  {event.get('date') or 'undated'}"))
    c.print(f"[bold]id[/] {event['id']}   [bold]cluster[/] {event.get('cluster') or event['id']}")
    c.print(f"[bold]actor[/] {escape(parties(event.get('actor')))}")
    c.print(f"[bold]recipient[/] {escape(parties(event.get('recipient')))}")
    c.print(f"[bold]aux[/] {', '.join(event.get('aux') or []) or 'none (it happened)'}")
    if loc:
        c.print(f"[bold]where[/] {escape(loc.get('name') or loc.get('text') or '?')} {loc.get('country_code') or ''}")
    attribution = event.get("attribution") or {}
    if attribution.get("source") or attribution.get("via"):
        c.print(
            f"[bold]according to[/] {escape(attribution.get('source') or '?')} via {escape(attribution.get('via') or '—')}"
        )
    c.print(
        f"[bold]CAMEO[/] {event.get('cameo')}  [bold]quad[/] {event.get('quad_code')}  [bold]confidence[/] {event.get('confidence')}"
    )
    reports = event.get("reports") or []
    if reports:
        c.print(f"[bold]reported by {len(reports)} article(s)[/]")
        for r in reports:
            c.print(f"  - {escape(r.get('title') or r.get('uri') or '?')} ({escape(r.get('site') or '')})")
            if r.get("evidence"):
                c.print(f"    [dim]{escape(r['evidence'])}[/]")
