"""The ``dateline`` command: thin commands over library calls.

Exit status: 0 on success, 1 on a user error (one line on stderr, no traceback), 2 on a
usage error (click's own).
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

import click

from dateline import __version__
from dateline.config import TEXT_KINDS, Settings, load_settings
from dateline.errors import DatelineError

F = TypeVar("F", bound=Callable[..., Any])


def _user_errors(func: F) -> F:
    """Turn a DatelineError into ``Error: ...`` on stderr and exit status 1."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except DatelineError as exc:
            click.echo(f"Error: {exc.user_message()}", err=True)
            sys.exit(1)
        except BrokenPipeError:  # `dateline process ... | head`
            sys.stderr.close()
            sys.exit(0)

    return wrapper  # type: ignore[return-value]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="dateline")
@click.option(
    "--config", "config_file", type=click.Path(dir_okay=False), help="Settings file (default ./dateline.toml)."
)
@click.option("-v", "--verbose", count=True, help="Log more (-vv for debug).")
@click.pass_context
def cli(ctx: click.Context, config_file: str | None, verbose: int) -> None:
    """dateline: raw news in, auditable event data out."""
    level = logging.WARNING - 10 * min(verbose, 2)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    ctx.obj = {"config": config_file}


def _settings(ctx: click.Context, **flags: Any) -> Settings:
    return load_settings(ctx.obj.get("config"), **flags)


_db = click.option("--db", default=None, help="Database file (default dateline.duckdb).")
_text_kind = click.option(
    "--text-kind",
    type=click.Choice(TEXT_KINDS),
    default=None,
    help="What a plain-text input is: page (chrome included), article (keep every line), auto (decide).",
)


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["json", "text"]), default="json", show_default=True)
@_text_kind
@click.option("--no-nlp", is_flag=True, help="Extraction only: skip entities, places, times and events.")
@click.pass_context
@_user_errors
def process(ctx: click.Context, paths: tuple[str, ...], fmt: str, text_kind: str | None, no_nlp: bool) -> None:
    """Process documents without a database: one JSON object per document per line.

    PATHS are files, folders, globs or - for standard input.
    """
    from dateline.ingest import read_paths
    from dateline.pipeline import Pipeline

    settings = _settings(ctx, text_kind=text_kind)
    pipeline = Pipeline(settings=settings, nlp=not no_nlp)
    for article in pipeline.run(read_paths(paths, settings)):
        if fmt == "json":
            click.echo(json.dumps(article.to_json(), ensure_ascii=False))
        else:
            from dateline.render import print_article

            print_article(article)


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@_db
@click.option("--workers", type=click.IntRange(min=1), default=None, help="Worker processes (default 1).")
@_text_kind
@click.option("--no-nlp", is_flag=True, help="Extraction only: skip entities, places, times and events.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
@click.pass_context
@_user_errors
def ingest(
    ctx: click.Context,
    paths: tuple[str, ...],
    db: str | None,
    workers: int | None,
    text_kind: str | None,
    no_nlp: bool,
    quiet: bool,
) -> None:
    """Ingest documents into the database: idempotent, resumable.

    PATHS are files, folders, globs or - for standard input: text pages, HTML (.gz too),
    WARC/WARC.gz, JSONL/CSV/Parquet tables of articles.
    """
    from dateline.backends.local import run_ingest

    settings = _settings(ctx, db=db, workers=workers, text_kind=text_kind)
    report = run_ingest(list(paths), settings, nlp=not no_nlp, progress=not quiet and sys.stderr.isatty())
    click.echo(report.summary())
    if report.clusters:
        c = report.clusters
        click.echo(
            f"Clusters: {c['duplicate_articles']:,} near-duplicate article(s); "
            f"{c['event_mentions']:,} event mention(s) in {c['event_clusters']:,} real-world event(s)"
        )
    click.echo(f"Database: {settings.db}  (try: dateline articles --db {settings.db})")


@cli.command()
@_db
@click.option("--limit", default=20, show_default=True)
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl"]), default="table", show_default=True)
@click.pass_context
@_user_errors
def articles(ctx: click.Context, db: str | None, limit: int, fmt: str) -> None:
    """List stored articles, newest stated date first."""
    from dateline.store import Database

    settings = _settings(ctx, db=db)
    with Database(settings.db, read_only=True) as database:
        rows = database.query(
            "SELECT id, published_stated AS stated, site, section, title, len(text) AS chars, language "
            "FROM articles ORDER BY published_stated DESC NULLS LAST, id LIMIT ?",
            [limit],
        )
    _print_rows(rows, fmt)


@cli.command()
@click.argument("item_id")
@_db
@click.option("--format", "fmt", type=click.Choice(["json", "text"]), default="text", show_default=True)
@click.pass_context
@_user_errors
def show(ctx: click.Context, item_id: str, db: str | None, fmt: str) -> None:
    """Show one stored article, or one event with every article that reports it, by id."""
    from dateline.store import Database
    from dateline.store.queries import get_event_with_reports

    settings = _settings(ctx, db=db)
    with Database(settings.db, read_only=True) as database:
        doc = database.article_json(item_id)
        event = None if doc is not None else get_event_with_reports(database, item_id)
    if doc is None and event is None:
        raise DatelineError(
            f"No article or event with id {item_id!r} in {settings.db}",
            hint="List ids with `dateline articles` or `dateline events`",
        )
    if fmt == "json":
        click.echo(json.dumps(doc if doc is not None else event, ensure_ascii=False, indent=2, default=str))
    elif doc is not None:
        from dateline.render import print_document

        print_document(doc)
    else:
        from dateline.render import print_event

        print_event(event)


@cli.command()
@_db
@click.option("--limit", default=50, show_default=True)
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl"]), default="table", show_default=True)
@click.pass_context
@_user_errors
def rejects(ctx: click.Context, db: str | None, limit: int, fmt: str) -> None:
    """List rejected documents with the reason for each."""
    from dateline.store import Database

    settings = _settings(ctx, db=db)
    with Database(settings.db, read_only=True) as database:
        rows = database.query("SELECT uri, stage, code, reason FROM rejects ORDER BY uri LIMIT ?", [limit])
    _print_rows(rows, fmt)


@cli.command()
@_db
@click.option("--actor", help="Actor name or country code (JPN).")
@click.option("--recipient", help="Recipient name or country code.")
@click.option("--country", help="Where it happened or who took part (JP or JPN).")
@click.option("--type", "event_type", help="PLOVER event type (CONSULT, ASSAULT, ...).")
@click.option("--aux", help="future, hypothetical, historical, negated, or none (it happened).")
@click.option("--from", "date_from", help="Earliest date: 2018, 2018-06 or 2018-06-12.")
@click.option("--to", "date_to", help="Latest date.")
@click.option("--place", help="A place name or GeoNames id.")
@click.option("--min-sources", type=click.IntRange(min=1), help="Reported by at least this many articles.")
@click.option("--sort", default="-date", show_default=True, help="date, -date, confidence, -confidence, ...")
@click.option("--limit", default=50, show_default=True, type=click.IntRange(min=1, max=100_000))
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl", "csv"]), default="table", show_default=True)
@click.pass_context
@_user_errors
def events(
    ctx: click.Context,
    db: str | None,
    actor: str | None,
    recipient: str | None,
    country: str | None,
    event_type: str | None,
    aux: str | None,
    date_from: str | None,
    date_to: str | None,
    place: str | None,
    min_sources: int | None,
    sort: str,
    limit: int,
    fmt: str,
) -> None:
    """List coded events, filtered: one record per event mention, with its cluster."""
    from dateline.store import Database
    from dateline.store.queries import EventFilter, list_events

    settings = _settings(ctx, db=db)
    filters = EventFilter(
        actor=actor, recipient=recipient, country=country, type=event_type, aux=aux,
        date_from=date_from, date_to=date_to, place=place, min_sources=min_sources,
    ).validate()  # fmt: skip
    with Database(settings.db, read_only=True) as database:
        page = list_events(database, filters, sort=sort, page=1, size=limit)
    if fmt == "jsonl":
        for item in page.items:
            click.echo(json.dumps(item, default=str, ensure_ascii=False))
        return
    rows = [_event_row(item) for item in page.items]
    if fmt == "csv":
        import csv

        writer = csv.DictWriter(click.get_text_stream("stdout"), fieldnames=list(rows[0]) if rows else ["id"])
        writer.writeheader()
        writer.writerows(rows)
        return
    _print_rows(rows, "table")
    click.echo(f"{page.total:,} event(s) match; {len(rows):,} shown.")


def _event_row(item: dict[str, Any]) -> dict[str, Any]:
    def names(parties: list[dict[str, Any]] | None) -> str:
        return "; ".join(p.get("name") or p.get("text") or "?" for p in parties or [])

    loc = item.get("event_loc") or {}
    return {
        "id": item.get("id"),
        "date": item.get("date"),
        "event": item.get("event") + (f"/{item['mode']}" if item.get("mode") else ""),
        "aux": ",".join(item.get("aux") or []),
        "actor": names(item.get("actor")),
        "recipient": names(item.get("recipient")),
        "place": loc.get("name") or "",
        "sources": item.get("sources"),
        "confidence": item.get("confidence"),
    }


@cli.command()
@_db
@click.option("--format", "fmt", type=click.Choice(["plover", "parquet", "csv", "gdelt"]), required=True)
@click.option("--out", required=True, help="A .jsonl file for plover; a folder for the others.")
@click.pass_context
@_user_errors
def export(ctx: click.Context, db: str | None, fmt: str, out: str) -> None:
    """Export the database: PLOVER JSONL, Parquet or CSV tables, GDELT 2.0 Events/Mentions TSV."""
    from dateline.store.exports import export as run_export

    settings = _settings(ctx, db=db)
    for path, rows in run_export(settings.db, fmt, out).items():
        click.echo(f"{path}: {rows:,} row(s)")


@cli.command()
@_db
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Address to bind; anything but loopback is public."
)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.pass_context
@_user_errors
def serve(ctx: click.Context, db: str | None, host: str, port: int) -> None:
    """Serve the web UI and the REST API (OpenAPI at /docs) over a database, read-only."""
    from dateline.web.app import serve as run_server

    settings = _settings(ctx, db=db)
    click.echo(f"Serving {settings.db} at http://{host if ':' not in host else f'[{host}]'}:{port}/ (Ctrl-C to stop)")
    run_server(settings.db, host=host, port=port)


@cli.command("eval")
@click.argument("gold_set", type=click.Choice(["events", "geo", "times"]))
@click.option("--shared", default=None, help="The folder holding data/ (default $DATELINE_SHARED or ../shared).")
@click.option("--limit", type=click.IntRange(min=1), default=None, help="Score only the first N items of each set.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON instead of a table.")
@_user_errors
def eval_command(gold_set: str, shared: str | None, limit: int | None, as_json: bool) -> None:
    """Score dateline on a public gold set and print the scorecard.

    events: PLOVER GSR, ConfliBERT, PETRARCH2 records, event locations; geo: LGL and GeoVirus;
    times: TempEval-3 on TimeBank and AQUAINT.
    """
    import os
    from pathlib import Path

    from dateline.eval.scorecards import SCORECARDS

    root = Path(shared or os.environ.get("DATELINE_SHARED") or Path.cwd().parent / "shared")
    data = root / "data" if (root / "data").is_dir() else root
    if not data.is_dir():
        raise DatelineError(f"No gold data at {data}", hint="Pass --shared DIR or set DATELINE_SHARED")
    card = SCORECARDS[gold_set]
    results, table = card(data, limit=limit) if gold_set != "times" else card(data)
    click.echo(json.dumps(results, indent=2, default=str) if as_json else table)


@cli.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@click.pass_context
@_user_errors
def spark(ctx: click.Context) -> None:
    """Run the pipeline on Apache Spark: --input URI... --output URI [--master local[4]].

    Writes the same tables as Parquet. The same module runs under spark-submit:
    `spark-submit path/to/dateline/backends/spark.py --input ... --output ...`.
    """
    try:
        from dateline.backends.spark import main as spark_main
    except ImportError as exc:  # pragma: no cover - pyspark is an optional extra
        raise DatelineError("pyspark is not installed", hint="pip install 'dateline[spark]'") from exc
    sys.exit(spark_main(list(ctx.args)))


def _print_rows(rows: list[dict[str, Any]], fmt: str) -> None:
    if fmt == "jsonl":
        for row in rows:
            click.echo(json.dumps(row, default=str, ensure_ascii=False))
        return
    from dateline.render import print_table

    print_table(rows)


def main() -> None:
    cli(prog_name="dateline")


if __name__ == "__main__":  # pragma: no cover
    main()
