"""The DuckDB store and the ingest job: idempotent, resumable, nothing lost."""

from __future__ import annotations

import json

import pytest

from dateline.backends.local import run_ingest
from dateline.config import Settings
from dateline.errors import StoreError
from dateline.store import Database

PARAS = [
    "Officials from both governments met in Geneva on Monday for a second round of talks on the prisoner exchange.",
    "The negotiators agreed to meet again next month, according to a statement released by the mediators.",
]


def _corpus(folder, n=5):
    folder.mkdir(exist_ok=True)
    for i in range(n):
        text = "\n\n".join(p.replace("second", f"round-{i}") for p in PARAS)
        (folder / f"a{i}.txt").write_text(text)
    (folder / "empty.txt").write_text("")
    (folder / "copy.txt").write_text((folder / "a0.txt").read_text())
    return folder


def _settings(tmp_path, **kw):
    return Settings().replace(db=str(tmp_path / "t.duckdb"), text_kind="article", batch_size=2, **kw)


def test_ingest_stores_rejects_and_counts_duplicates(tmp_path):
    corpus = _corpus(tmp_path / "in")
    settings = _settings(tmp_path)
    report = run_ingest([str(corpus)], settings, nlp=False)
    assert (report.documents, report.stored, report.rejected, report.duplicates) == (7, 5, 1, 1)
    assert report.reasons == {"empty": 1}
    with Database(settings.db, read_only=True) as db:
        counts = db.counts()
        assert counts["articles"] == 5 and counts["rejects"] == 1 and counts["paragraphs"] == 10
        [reject] = db.query("SELECT uri, stage, code, reason FROM rejects")
        assert reject["uri"].endswith("empty.txt") and reject["code"] == "empty"
        [run] = db.query("SELECT status, documents, stored, rejected, duplicates FROM runs")
        assert run == {"status": "finished", "documents": 7, "stored": 5, "rejected": 1, "duplicates": 1}
        doc = db.article_json(db.query("SELECT id FROM articles LIMIT 1")[0]["id"])
        assert doc["paragraphs"][0]["text"] in doc["text"]


def test_rerun_adds_no_rows(tmp_path):
    corpus = _corpus(tmp_path / "in")
    settings = _settings(tmp_path)
    run_ingest([str(corpus)], settings, nlp=False)
    with Database(settings.db, read_only=True) as db:
        before = {k: v for k, v in db.counts().items() if k != "runs"}
        ids_before = [r["id"] for r in db.query("SELECT id FROM articles ORDER BY id")]
    report = run_ingest([str(corpus)], settings, nlp=False)
    assert report.stored == 0 and report.duplicates == 7
    with Database(settings.db, read_only=True) as db:
        after = {k: v for k, v in db.counts().items() if k != "runs"}
        assert after == before
        assert [r["id"] for r in db.query("SELECT id FROM articles ORDER BY id")] == ids_before
        assert db.counts()["runs"] == 2


def test_resume_after_a_partial_run(tmp_path):
    corpus = _corpus(tmp_path / "in", n=6)
    settings = _settings(tmp_path)
    # a first run that saw only part of the corpus, as a killed run leaves it
    run_ingest([str(corpus / "a0.txt"), str(corpus / "a1.txt")], settings, nlp=False)
    report = run_ingest([str(corpus)], settings, nlp=False)
    assert report.stored == 4
    with Database(settings.db, read_only=True) as db:
        assert db.counts()["articles"] == 6
        assert db.query("SELECT count(DISTINCT id) AS n FROM articles")[0]["n"] == 6


def test_a_killed_run_is_marked_interrupted(tmp_path):
    settings = _settings(tmp_path)
    with Database(settings.db) as db:
        db.start_run("ingest", ["x"], {}, "test")
    run_ingest([str(_corpus(tmp_path / "in", n=1))], settings, nlp=False)
    with Database(settings.db, read_only=True) as db:
        statuses = sorted(r["status"] for r in db.query("SELECT status FROM runs"))
    assert statuses == ["finished", "interrupted"]


def test_settings_are_recorded_with_the_run(tmp_path):
    settings = _settings(tmp_path)
    run_ingest([str(_corpus(tmp_path / "in", n=1))], settings, nlp=False)
    with Database(settings.db, read_only=True) as db:
        [row] = db.query("SELECT settings, inputs FROM runs")
    assert json.loads(row["settings"])["text_kind"] == "article"
    assert json.loads(row["inputs"]) == [str(tmp_path / "in")]


def test_missing_database_for_reading(tmp_path):
    with pytest.raises(StoreError, match="does not exist"):
        Database(tmp_path / "none.duckdb", read_only=True)


def test_unwritable_database_is_a_store_error(tmp_path):
    target = tmp_path / "dir.duckdb"
    target.mkdir()
    with pytest.raises(StoreError):
        Database(target)


def test_parameterised_queries_treat_input_as_data(tmp_path):
    settings = _settings(tmp_path)
    run_ingest([str(_corpus(tmp_path / "in", n=1))], settings, nlp=False)
    with Database(settings.db, read_only=True) as db:
        hostile = "x' OR '1'='1"
        assert db.query("SELECT id FROM articles WHERE id = ?", [hostile]) == []
        assert db.article_json(hostile) is None


def test_two_workers_store_the_same_as_one(tmp_path):
    corpus = _corpus(tmp_path / "in", n=8)
    one = _settings(tmp_path)
    two = Settings().replace(db=str(tmp_path / "two.duckdb"), text_kind="article", batch_size=2, workers=2)
    r1 = run_ingest([str(corpus)], one, nlp=False)
    r2 = run_ingest([str(corpus)], two, nlp=False)
    assert (r1.stored, r1.rejected, r1.duplicates) == (r2.stored, r2.rejected, r2.duplicates)
    with Database(one.db, read_only=True) as a, Database(two.db, read_only=True) as b:
        sql = "SELECT id, text FROM articles ORDER BY id"
        assert a.query(sql) == b.query(sql)


def test_row_mapping_matches_the_schema(tmp_path):
    from dateline.store.rows import TABLES

    with Database(tmp_path / "s.duckdb") as db:
        for table, columns in TABLES.items():
            info = db.query(f"PRAGMA table_info('{table}')")
            assert [(c["name"], c["type"]) for c in info] == columns, table


def test_a_full_disk_stops_the_run_cleanly(tmp_path, monkeypatch):
    import duckdb

    corpus = _corpus(tmp_path / "in", n=4)
    settings = _settings(tmp_path)
    calls = {"n": 0}
    real_insert = Database.insert_rows

    def failing_insert(self, table, rows):
        calls["n"] += 1
        if calls["n"] > 2:
            raise duckdb.IOException("IO Error: No space left on device")
        return real_insert(self, table, rows)

    monkeypatch.setattr(Database, "insert_rows", failing_insert)
    with pytest.raises(StoreError, match="No space left on device"):
        run_ingest([str(corpus)], settings, nlp=False)
    monkeypatch.undo()
    with Database(settings.db, read_only=True) as db:
        [run] = db.query("SELECT status FROM runs")
        assert run["status"] == "failed"
        stored = db.counts()["articles"]
    # the same command, once there is room again, completes the run
    report = run_ingest([str(corpus)], settings, nlp=False)
    assert report.stored == 4 - stored  # four distinct articles (copy.txt repeats a0.txt)
    with Database(settings.db, read_only=True) as db:
        assert db.counts()["articles"] == 4


def test_a_50_mb_page_is_rejected_not_read(tmp_path):
    corpus = tmp_path / "in"
    corpus.mkdir()
    (corpus / "huge.html").write_bytes(b"<html><body>" + b"<p>word </p>" * (50_000_000 // 12) + b"</body></html>")
    (corpus / "fine.txt").write_text("\n\n".join(PARAS))
    report = run_ingest([str(corpus)], _settings(tmp_path), nlp=False)
    assert (report.stored, report.rejected) == (1, 1)
    assert report.reasons == {"too_large": 1}


def test_cli_reports_a_store_error_without_traceback(tmp_path):
    from click.testing import CliRunner

    from dateline.cli import cli

    target = tmp_path / "dir.duckdb"
    target.mkdir()
    (tmp_path / "a.txt").write_text("\n\n".join(PARAS))
    result = CliRunner().invoke(cli, ["ingest", str(tmp_path / "a.txt"), "--db", str(target), "--no-nlp"])
    assert result.exit_code == 1
    assert result.output.startswith("Error: Cannot open database") and "Traceback" not in result.output
