"""The local backend: the main job on this machine, into the DuckDB store.

One reader (this process) streams documents in batches to ``workers`` processes, each of
which builds the pipeline once (spaCy loads once per worker) and returns finished
articles; this process alone writes to DuckDB. At most two batches per worker are in
flight, so memory stays flat whatever the corpus size.

Resumable: documents whose raw digest is already stored (as an article or a reject) are
skipped before any work is done, and each batch is written in one transaction, so a run
killed at any moment is completed by running the same command again.

A worker that dies (killed, out of memory, a crash in native code) takes its batch with it:
the batch is retried once in a fresh pool, then document by document, and a document that
kills a worker on its own is recorded as a reject (``worker_died``); the run goes on.
"""

from __future__ import annotations

import dataclasses
import logging
import multiprocessing
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from dateline import __version__
from dateline.config import Settings
from dateline.ingest import ReadFailure, read_paths
from dateline.pipeline import Pipeline, RunReport
from dateline.records import Article, RawDocument
from dateline.store import Database

log = logging.getLogger(__name__)


def _batches(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


# -- worker side --------------------------------------------------------------------------

_WORKER_PIPELINE: Pipeline | None = None


def _init_worker(settings: Settings, nlp: bool) -> None:
    global _WORKER_PIPELINE
    _WORKER_PIPELINE = Pipeline(settings=settings, nlp=nlp)
    _WORKER_PIPELINE.setup()


def _work(batch: list[Any]) -> list[Article]:
    assert _WORKER_PIPELINE is not None
    return _strip(_WORKER_PIPELINE.run_batch(batch))


def _strip(articles: list[Article]) -> list[Article]:
    for article in articles:
        article.annotation = None  # not stored; not worth pickling back
    return articles


# -- the job --------------------------------------------------------------------------------


class _Runner:
    """Runs batches through the pipeline, in this process or in a pool of workers."""

    def __init__(self, settings: Settings, nlp: bool) -> None:
        self.settings = settings
        self.nlp = nlp
        self.workers = settings.workers
        self._pipeline: Pipeline | None = None
        self._pool: ProcessPoolExecutor | None = None

    def _new_pool(self) -> ProcessPoolExecutor:
        ctx = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
        return ProcessPoolExecutor(
            self.workers, mp_context=ctx, initializer=_init_worker, initargs=(self.settings, self.nlp)
        )

    def run(self, batches: Iterable[list[Any]]) -> Iterator[list[Article]]:
        """Finished batches, in input order."""
        if self.workers == 1:
            self._pipeline = Pipeline(settings=self.settings, nlp=self.nlp)
            for batch in batches:
                yield _strip(self._pipeline.run_batch(batch))
            return
        self._pool = self._new_pool()
        pending: deque[tuple[list[Any], Future[list[Article]]]] = deque()
        try:
            for batch in batches:
                pending.append((batch, self._pool.submit(_work, batch)))
                while len(pending) >= 2 * self.workers:
                    yield self._collect(*pending.popleft(), pending)
            while pending:
                yield self._collect(*pending.popleft(), pending)
        finally:
            self._pool.shutdown(wait=True, cancel_futures=True)

    def _collect(self, batch: list[Any], future: Future[list[Article]], pending: deque[Any]) -> list[Article]:
        try:
            return future.result()
        except BrokenProcessPool:
            log.warning("a worker died; retrying its batch of %d documents in a fresh pool", len(batch))
            self._restart(pending)
            return self._retry(batch)

    def _restart(self, pending: deque[Any]) -> None:
        assert self._pool is not None
        self._pool.shutdown(wait=False, cancel_futures=True)
        self._pool = self._new_pool()
        # every batch still in flight died with the pool: send them again
        for i, (batch, _) in enumerate(list(pending)):
            pending[i] = (batch, self._pool.submit(_work, batch))

    def _retry(self, batch: list[Any]) -> list[Article]:
        assert self._pool is not None
        try:
            return self._pool.submit(_work, batch).result()
        except BrokenProcessPool:
            pass
        out: list[Article] = []
        for item in batch:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = self._new_pool()
            try:
                out.extend(self._pool.submit(_work, [item]).result())
            except BrokenProcessPool:
                out.append(_worker_died(item))
        return out


def _worker_died(item: Any) -> Article:
    uri = item.uri
    digest = item.digest() if isinstance(item, RawDocument) else ""
    article = Article(id="r" + (digest[:15] or "0" * 15), uri=uri, digest=digest)
    article.add_error(
        "worker", "worker_died", "A worker process died while processing this document (a crash or out of memory)"
    )
    return article


def run_ingest(
    paths: list[str],
    settings: Settings,
    *,
    nlp: bool = True,
    progress: bool = False,
    on_batch: Callable[[RunReport], None] | None = None,
) -> RunReport:
    """Ingest ``paths`` into ``settings.db``; returns what the run did."""
    from dateline.ingest.sources import total_bytes

    report = RunReport()
    started = time.perf_counter()
    with Database(settings.db) as db:
        run_id = db.start_run("ingest", paths, dataclasses.asdict(settings), __version__)
        bar = _Progress(total_bytes(paths)) if progress else None
        status = "failed"

        def todo_batches() -> Iterator[list[Any]]:
            items = read_paths(paths, settings, on_bytes=bar.advance if bar else None)
            for batch in _batches(items, settings.batch_size):
                seen = db.seen(i.digest() for i in batch if isinstance(i, RawDocument))
                todo = [i for i in batch if isinstance(i, ReadFailure) or i.digest() not in seen]
                report.documents += len(batch) - len(todo)
                report.duplicates += len(batch) - len(todo)
                if todo:
                    yield todo

        try:
            for articles in _Runner(settings, nlp).run(todo_batches()):
                for article in articles:
                    report.count(article)
                stored, duplicates = db.write(articles, run_id)
                report.stored += stored
                report.duplicates += duplicates
                if bar:
                    bar.show(report)
                if on_batch:
                    on_batch(report)
            if report.stored:  # new articles: their events may join existing clusters
                from dateline.cluster import cluster_database

                report.clusters = cluster_database(db)
            status = "finished"
        except KeyboardInterrupt:
            status = "interrupted"
            raise
        finally:
            if bar:
                bar.close()
            report.seconds = time.perf_counter() - started
            try:
                db.finish_run(run_id, report, status)
            except Exception as exc:  # the disk may be full: the run's own error matters more
                log.error("could not record the end of run %s: %s", run_id, exc)
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
