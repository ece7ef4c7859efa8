"""The Spark backend in local[2] gives the same records as the local backend on the same input."""

from __future__ import annotations

import json
import shutil

import pytest

from dateline.backends.local import run_ingest
from dateline.config import Settings
from dateline.store import Database

pyspark = pytest.importorskip("pyspark", reason="pyspark is not installed (pip install 'dateline[spark]')")
if shutil.which("java") is None:
    pytest.skip("Spark needs a Java runtime (apt-get install default-jre-headless)", allow_module_level=True)

PAGE = """09:15 GMT 14 May 2019
World News
Share this article

Diplomats from Iran and the European Union met in Vienna on Monday to discuss the nuclear deal, officials said.

The talks ended without agreement, and both sides said they would meet again next month in Brussels.

Tags: Iran, EU, nuclear deal, Vienna
© 2019 Example News. All rights reserved.
"""


@pytest.fixture(scope="module")
def spark():
    import os
    import sys

    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    session = (
        SparkSession.builder.master("local[2]")
        .appName("dateline-test")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def _corpus(folder):
    folder.mkdir()
    (folder / "page.txt").write_text(PAGE)
    (folder / "copy.txt").write_text(PAGE)
    (folder / "empty.txt").write_text("")
    rows = [
        {
            "url": "https://t.example/1",
            "maintext": "Troops from both countries exchanged fire across the border overnight, the army said.\n\nNo casualties were reported by either side.",
        },
        {"url": "https://t.example/2", "title": "no text"},
    ]
    (folder / "rows.jsonl").write_text("\n".join(json.dumps(r) for r in rows))
    return folder


def test_spark_records_equal_local_records(tmp_path, spark):
    from dateline.backends.spark import run_spark

    corpus = _corpus(tmp_path / "in")
    settings = Settings().replace(db=str(tmp_path / "local.duckdb"), batch_size=2)
    run_ingest([str(corpus)], settings, nlp=False)
    counts = run_spark([str(corpus)], str(tmp_path / "out"), settings, nlp=False, spark=spark)
    assert counts["documents"] == 5 and counts["rejected"] == 2
    assert counts["articles"] == 2 and counts["rejects"] == 2

    cols = "id, uri, title, section, tags, text, published_stated, language"
    with Database(settings.db, read_only=True) as db:
        local_articles = db.query(f"SELECT {cols} FROM articles ORDER BY id")
        local_paragraphs = db.query("SELECT article_id, n, start_char, end_char, text FROM paragraphs ORDER BY 1, 2")
        local_rejects = db.query("SELECT uri, code FROM rejects ORDER BY uri")
    out = tmp_path / "out"
    spark_articles = [
        r.asDict()
        for r in spark.read.parquet(str(out / "articles")).selectExpr(*cols.split(", ")).orderBy("id").collect()
    ]
    spark_paragraphs = [
        r.asDict()
        for r in spark.read.parquet(str(out / "paragraphs"))
        .select("article_id", "n", "start_char", "end_char", "text")
        .orderBy("article_id", "n")
        .collect()
    ]
    spark_rejects = [
        r.asDict() for r in spark.read.parquet(str(out / "rejects")).select("uri", "code").orderBy("uri").collect()
    ]
    # a copy of the same page is stored once by both backends
    assert [a["id"] for a in spark_articles] == [a["id"] for a in local_articles]
    for mine, theirs in zip(spark_articles, local_articles, strict=True):
        mine["published_stated"] = mine["published_stated"] and mine["published_stated"].isoformat()[:16]
        theirs["published_stated"] = (
            theirs["published_stated"] and theirs["published_stated"].astimezone(mine_tz()).isoformat()[:16]
        )
        assert mine == theirs
    assert spark_paragraphs == local_paragraphs
    assert spark_rejects == local_rejects


def mine_tz():
    from datetime import datetime

    return datetime.now().astimezone().tzinfo
