"""The pipeline: documents in, articles out, one stage after another, in batches.

A stage is any object with ``name``, ``needs`` and ``provides`` (names of article fields),
``setup()`` (called once per worker, where heavy resources load) and ``process_batch``
(optionally ``process`` for one article). ``Pipeline`` checks when it is built that every
stage's needs are provided by an earlier stage, and says which is missing.

A stage that raises ``DocumentError`` for one article marks that article rejected with the
reason; any other exception in a stage is recorded the same way with code ``internal``,
so one bad document never ends a run.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from dateline.config import Settings
from dateline.errors import ConfigError, DocumentError
from dateline.records import Article, RawDocument

log = logging.getLogger(__name__)


class Stage(Protocol):
    name: str
    needs: Sequence[str]
    provides: Sequence[str]

    def setup(self) -> None: ...

    def process_batch(self, articles: list[Article]) -> list[Article]: ...


@dataclass
class RunReport:
    """What a run did, for the summary line and the ``runs`` table."""

    documents: int = 0
    stored: int = 0
    rejected: int = 0
    duplicates: int = 0
    reasons: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0
    clusters: dict[str, int] = field(default_factory=dict)

    def count(self, article: Article) -> None:
        self.documents += 1
        if article.rejected:
            self.rejected += 1
            for error in article.errors:
                if error.fatal:
                    self.reasons[error.code] += 1
                    break

    def summary(self) -> str:
        """``1,204 documents: 1,101 stored, 97 rejected (not an article: 80, empty: 17), 6 duplicates``"""
        text = f"{self.documents:,} document{'s' if self.documents != 1 else ''}: {self.stored:,} stored"
        text += f", {self.rejected:,} rejected"
        if self.reasons:
            parts = ", ".join(f"{REASON_WORDS.get(code, code)}: {n:,}" for code, n in self.reasons.most_common())
            text += f" ({parts})"
        text += f", {self.duplicates:,} duplicate{'s' if self.duplicates != 1 else ''}"
        return text


REASON_WORDS = {
    "empty": "empty",
    "binary": "binary",
    "encoding": "bad encoding",
    "truncated": "truncated",
    "too_large": "too large",
    "timeout": "timed out",
    "no_article": "no article text",
    "not_article": "not an article",
    "document": "unreadable",
    "internal": "internal error",
    "worker_died": "worker died",
}


def default_stages(settings: Settings, *, nlp: bool = True) -> list[Any]:
    """The stages of a full run, in order."""
    from dateline.extract import Extractor

    stages: list[Any] = [Extractor(settings)]
    if nlp:
        from dateline.annotate import Annotator
        from dateline.code import Coder
        from dateline.resolve import Resolver

        stages.append(Annotator(settings.spacy_model, settings.batch_size, parse=settings.parse))
        stages.append(Resolver(settings.actor_files))
        stages.append(Coder())
    return stages


class Pipeline:
    """Runs stages over a stream of documents, ``batch_size`` at a time.

    Usage::

        pipe = Pipeline()
        for article in pipe.run(dateline.ingest.read_paths(["news/"])):
            ...
    """

    def __init__(self, stages: list[Any] | None = None, settings: Settings | None = None, *, nlp: bool = True) -> None:
        self.settings = settings or Settings()
        self.stages = stages if stages is not None else default_stages(self.settings, nlp=nlp)
        self._check()
        self._ready = False

    def _check(self) -> None:
        available = {"raw"}
        for stage in self.stages:
            missing = [need for need in stage.needs if need not in available]
            if missing:
                raise ConfigError(
                    f"Stage {stage.name!r} needs {', '.join(missing)}, which no earlier stage provides",
                    hint="Put the stage that provides it earlier in the pipeline",
                )
            available.update(stage.provides)

    def setup(self) -> None:
        if not self._ready:
            for stage in self.stages:
                stage.setup()
            self._ready = True

    def run(self, items: Iterable[Any]) -> Iterator[Article]:
        """Articles for each document (or ``ReadFailure``), in input order."""
        self.setup()
        batch: list[Any] = []
        for item in items:
            batch.append(item)
            if len(batch) >= self.settings.batch_size:
                yield from self.run_batch(batch)
                batch = []
        if batch:
            yield from self.run_batch(batch)

    def run_batch(self, items: list[Any]) -> list[Article]:
        self.setup()
        articles: list[Any] = items
        for stage in self.stages:
            articles = self._apply(stage, articles)
        return articles

    def _apply(self, stage: Any, items: list[Any]) -> list[Any]:
        started = time.perf_counter()
        try:
            out = stage.process_batch(items)
        except Exception:  # one bad document must not sink its batch: retry one by one
            log.warning("stage %s failed on a batch of %d; retrying one by one", stage.name, len(items), exc_info=True)
            out = [self._apply_one(stage, item) for item in items]
        log.debug("stage %s: %d items in %.3fs", stage.name, len(items), time.perf_counter() - started)
        return out

    @staticmethod
    def _apply_one(stage: Any, item: Any) -> Any:
        try:
            return stage.process_batch([item])[0]
        except DocumentError as exc:
            if isinstance(item, Article):
                item.add_error(getattr(exc, "stage", stage.name), exc.code, exc.message)
                return item
            raise
        except Exception as exc:
            if isinstance(item, Article):
                log.exception("stage %s failed on %s", stage.name, item.uri)
                item.add_error(stage.name, "internal", f"{type(exc).__name__}: {exc}")
                return item
            raise


def process(
    text_or_bytes: str | bytes,
    *,
    uri: str | None = None,
    published: str | None = None,
    content_type: str | None = None,
    text_kind: str = "auto",
    settings: Settings | None = None,
) -> Article:
    """Run the whole pipeline on one document and return its Article.

    >>> article = process("Russia and Ukraine exchanged 35 prisoners each on Saturday.", uri="https://example.org/a")
    >>> article.to_json()["source"]
    {'uri': 'https://example.org/a', 'site': 'example.org'}
    """
    settings = (settings or Settings()).replace(text_kind=text_kind)
    meta, source = {}, {}
    if published:
        meta["date"] = published
        source["date"] = "argument"
    doc = RawDocument(uri or "<input>", text_or_bytes, content_type, meta=meta, meta_source=source)
    return _pipeline_for(settings).run_batch([doc])[0]


_CACHE: dict[tuple[Any, ...], Pipeline] = {}


def _pipeline_for(settings: Settings) -> Pipeline:
    key = (
        settings.text_kind,
        settings.spacy_model,
        settings.extract_timeout,
        settings.min_article_chars,
        tuple(settings.actor_files),
        settings.parse,
    )
    if key not in _CACHE:
        _CACHE[key] = Pipeline(settings=settings)
    return _CACHE[key]
