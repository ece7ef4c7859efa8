"""The Spark backend: the same pipeline on a cluster, as a thin shell (the cc-pyspark pattern).

    dateline spark --input 'hdfs:///crawl/CC-NEWS-*.warc.gz' --output hdfs:///dateline/run1
    spark-submit .../dateline/backends/spark.py --input ... --output ...   (dateline installed on every node)

Every input file (WARC/WARC.gz, HTML, text pages, JSONL/CSV/Parquet tables: any path Hadoop
can read) is read with the local readers inside ``mapPartitions``; each executor builds the
pipeline once (spaCy loads once per executor process) and turns documents into the same rows
the DuckDB store writes (``dateline.store.rows``). The tables are written as Parquet under
``--output``: ``articles/``, ``paragraphs/``, ``mentions/``, ``places/``, ``times/``,
``events/``, ``event_mentions/``, ``rejects/``. Rejects are counted in accumulators, never
raised. This is the only module that imports pyspark, and only when it runs.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import Any

from dateline.config import Settings, load_settings
from dateline.pipeline import Pipeline
from dateline.store.rows import ARTICLE_TABLES, TABLES, article_rows, reject_row

OUTPUT_TABLES = (*ARTICLE_TABLES, "rejects")
# The keys that make a row unique in each table (what the DuckDB store's keys enforce).
_KEYS = {
    "articles": ["id"],
    "paragraphs": ["article_id", "n"],
    "mentions": ["article_id", "n"],
    "places": ["article_id", "n"],
    "times": ["article_id", "n"],
    "events": ["id"],
    "event_mentions": ["event_id", "role", "n"],
    "rejects": ["uri", "digest"],
}

_EXECUTOR_PIPELINE: dict[tuple[Any, ...], Pipeline] = {}


def _pipeline(settings: Settings, nlp: bool) -> Pipeline:
    """The executor's pipeline, built on first use and kept for every later partition."""
    key = (json.dumps(settings.__dict__, sort_keys=True, default=str), nlp)
    if key not in _EXECUTOR_PIPELINE:
        _EXECUTOR_PIPELINE[key] = Pipeline(settings=settings, nlp=nlp)
    return _EXECUTOR_PIPELINE[key]


def documents_of_file(path: str, data: bytes, settings: Settings) -> Iterator[Any]:
    """The documents (or ReadFailures) in one file's bytes, read exactly as the local backend does."""
    from dateline.ingest.sources import read_stream

    yield from read_stream(path, io.BufferedReader(io.BytesIO(data)), settings)  # type: ignore[arg-type]


def rows_of_partition(
    files: Iterable[tuple[str, bytes]], settings: Settings, nlp: bool, counters: dict[str, Any] | None = None
) -> Iterator[tuple[str, dict[str, Any]]]:
    """(table, row) pairs for every document in a partition of (path, bytes) files."""
    pipeline = _pipeline(settings, nlp)
    now = datetime.now(UTC)
    batch: list[Any] = []

    def flush() -> Iterator[tuple[str, dict[str, Any]]]:
        for article in pipeline.run_batch(batch):
            if counters:
                counters["documents"].add(1)
            if article.rejected:
                if counters:
                    counters["rejected"].add(1)
                yield "rejects", reject_row(article, None, now)
                continue
            for table, rows in article_rows(article, None, now).items():
                for row in rows:
                    yield table, row
        batch.clear()

    for path, data in files:
        for item in documents_of_file(_local_name(path), data, settings):
            batch.append(item)
            if len(batch) >= settings.batch_size:
                yield from flush()
    if batch:
        yield from flush()


def _local_name(path: str) -> str:
    """Spark names local files ``file:/x``; the local backend calls them ``/x``."""
    return path[5:] if path.startswith("file:") and not path.startswith("file://") else path.removeprefix("file://")


def _spark_schema(table: str) -> Any:
    from pyspark.sql import types as spark_types

    simple = {
        "VARCHAR": spark_types.StringType(),
        "JSON": spark_types.StringType(),
        "INTEGER": spark_types.IntegerType(),
        "BIGINT": spark_types.LongType(),
        "DOUBLE": spark_types.DoubleType(),
        "BOOLEAN": spark_types.BooleanType(),
        "DATE": spark_types.DateType(),
        "TIMESTAMP WITH TIME ZONE": spark_types.TimestampType(),
        "VARCHAR[]": spark_types.ArrayType(spark_types.StringType()),
    }
    return spark_types.StructType([spark_types.StructField(name, simple[kind], True) for name, kind in TABLES[table]])


def run_spark(
    inputs: list[str],
    output: str,
    settings: Settings | None = None,
    *,
    nlp: bool = True,
    master: str | None = None,
    partitions: int | None = None,
    spark: Any = None,
) -> dict[str, int]:
    """Run the pipeline over ``inputs`` on Spark and write Parquet tables under ``output``."""
    from pyspark import StorageLevel
    from pyspark.sql import SparkSession

    settings = settings or Settings()
    # Local and standalone executors run Python workers: make them this interpreter, where
    # dateline is installed, unless the cluster says otherwise.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    own_session = spark is None
    if spark is None:
        builder = SparkSession.builder.appName("dateline")
        if master:
            builder = builder.master(master)
        spark = builder.getOrCreate()
    sc = spark.sparkContext
    counters = {"documents": sc.accumulator(0), "rejected": sc.accumulator(0)}
    try:
        files = sc.binaryFiles(",".join(inputs), minPartitions=partitions or sc.defaultParallelism)
        rows = files.mapPartitions(lambda part: rows_of_partition(part, settings, nlp, counters))
        rows.persist(StorageLevel.MEMORY_AND_DISK)
        counts: dict[str, int] = {}
        for table in OUTPUT_TABLES:
            columns = [name for name, _ in TABLES[table]]
            table_rows = rows.filter(lambda pair, t=table: pair[0] == t).map(
                lambda pair, c=columns: tuple(pair[1].get(k) for k in c)
            )
            frame = spark.createDataFrame(table_rows, _spark_schema(table)).dropDuplicates(_KEYS[table])
            frame.write.mode("overwrite").parquet(f"{output.rstrip('/')}/{table}")
            counts[table] = spark.read.parquet(f"{output.rstrip('/')}/{table}").count()
        rows.unpersist()
        counts["documents"] = counters["documents"].value
        counts["rejected"] = counters["rejected"].value
        return counts
    finally:
        if own_session:
            spark.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="dateline spark", description=__doc__.split("\n\n")[0])
    parser.add_argument("--input", action="append", required=True, help="input path or glob (repeatable)")
    parser.add_argument("--output", required=True, help="folder for the Parquet tables")
    parser.add_argument("--master", default=None, help="Spark master, e.g. local[2] (default: spark-submit's)")
    parser.add_argument("--partitions", type=int, default=None)
    parser.add_argument("--text-kind", choices=("auto", "page", "article"), default=None)
    parser.add_argument("--no-nlp", action="store_true")
    parser.add_argument("--config", default=None)
    args = parser.parse_args(argv)
    settings = load_settings(args.config, text_kind=args.text_kind)
    counts = run_spark(
        args.input, args.output, settings, nlp=not args.no_nlp, master=args.master, partitions=args.partitions
    )
    print(json.dumps(counts))
    return 0


if __name__ == "__main__":  # pragma: no cover - spark-submit entry
    sys.exit(main())
