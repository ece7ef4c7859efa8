"""The local backend: the main job on this machine, into the DuckDB store.

Resumable: documents whose raw digest is already stored (as an article or a reject) are
skipped before any work is done, and each batch is written in one transaction, so a run
killed at any moment is completed by running the same command again.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterable, Iterator
from typing import Any

from dateline import __version__
from dateline.config import Settings
from dateline.ingest import ReadFailure, read_paths
from dateline.pipeline import Pipeline, RunReport
from dateline.records import RawDocument
from dateline.store import Database


def _batches(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def run_ingest(paths: list[str], settings: Settings, *, nlp: bool = True, progress: bool = False) -> RunReport:
    """Ingest ``paths`` into ``settings.db``; returns what the run did."""
    from dateline.ingest.sources import total_bytes

    report = RunReport()
    started = time.perf_counter()
    pipeline = Pipeline(settings=settings, nlp=nlp)
    with Database(settings.db) as db:
        run_id = db.start_run("ingest", paths, dataclasses.asdict(settings), __version__)
        bar = _Progress(total_bytes(paths)) if progress else None
        status = "failed"
        try:
            items = read_paths(paths, settings, on_bytes=bar.advance if bar else None)
            for batch in _batches(items, settings.batch_size):
                digests = {i.digest(): i for i in batch if isinstance(i, RawDocument)}
                seen = db.seen(digests)
                todo = [i for i in batch if isinstance(i, ReadFailure) or i.digest() not in seen]
                report.documents += len(batch) - len(todo)
                report.duplicates += len(batch) - len(todo)
                articles = pipeline.run_batch(todo) if todo else []
                for article in articles:
                    report.count(article)
                stored, duplicates = db.write(articles, run_id)
                report.stored += stored
                report.duplicates += duplicates
                if bar:
                    bar.show(report)
            status = "finished"
        except KeyboardInterrupt:
            status = "interrupted"
            raise
        finally:
            if bar:
                bar.close()
            report.seconds = time.perf_counter() - started
            db.finish_run(run_id, report, status)
    return report


class _Progress:
    """A rich progress bar over the bytes read, with the running counts and an ETA."""

    def __init__(self, total: int) -> None:
        from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

        self._progress = Progress(
            TextColumn("[bold]ingest"),
            BarColumn(),
            TextColumn("{task.percentage:>3.0f}%"),
            TimeRemainingColumn(),
            TextColumn("{task.fields[counts]}"),
            transient=False,
        )
        self._task = self._progress.add_task("ingest", total=max(total, 1), counts="")
        self._progress.start()

    def advance(self, n: int) -> None:
        self._progress.advance(self._task, n)

    def show(self, report: RunReport) -> None:
        self._progress.update(self._task, counts=f"{report.documents:,} docs, {report.rejected:,} rejected")

    def close(self) -> None:
        self._progress.stop()
