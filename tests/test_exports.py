"""Exports and event queries over a database built by a real ingest."""

from __future__ import annotations

import json

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from dateline.backends.local import run_ingest
from dateline.cli import cli
from dateline.config import Settings
from dateline.store.exports import GDELT_EVENT_COLUMNS, GDELT_MENTION_COLUMNS, TABLES, export

STORY_A = (
    "Japanese Foreign Minister Taro Kono met his South Korean counterpart Kang Kyung-wha in Bangkok on "
    "August 1, 2019, officials said.\n\nThe two ministers failed to resolve a dispute over export controls."
)
STORY_B = (
    "South Korea's foreign minister Kang Kyung-wha held talks with Japan's Taro Kono in Bangkok on "
    "August 1, 2019.\n\nThe meeting ended without agreement on trade curbs, diplomats said."
)
STORY_C = (
    "North Korean troops attacked a border post on March 3, 2019, the South Korean army said.\n\n"
    "Seoul condemned the attack and called for restraint."
)


@pytest.fixture(scope="module")
def db_path(tmp_path_factory):
    folder = tmp_path_factory.mktemp("corpus")
    for name, text in (("a.txt", STORY_A), ("b.txt", STORY_B), ("c.txt", STORY_C)):
        (folder / name).write_text(text)
    path = str(folder / "x.duckdb")
    report = run_ingest([str(folder)], Settings().replace(db=path, text_kind="article"))
    assert report.stored == 3
    return path


def test_plover_export_is_one_valid_record_per_line(db_path, tmp_path):
    from dateline.schema import validation_errors

    out = tmp_path / "events.jsonl"
    counts = export(db_path, "plover", str(out))
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert counts[str(out)] == len(records) > 0
    for record in records:
        assert record["cluster"]
        assert validation_errors(record, "event") == []


def test_the_same_meeting_reported_twice_is_one_cluster(db_path, tmp_path):
    out = tmp_path / "events.jsonl"
    export(db_path, "plover", str(out))
    records = [json.loads(line) for line in out.read_text().splitlines()]
    meetings = [r for r in records if r["event"] == "CONSULT" and r["date"] == "2019-08-01"]
    assert len({r["id"] for r in meetings}) >= 2
    assert len({r["cluster"] for r in meetings}) == 1


def test_gdelt_export_has_gdelt_columns(db_path, tmp_path):
    counts = export(db_path, "gdelt", str(tmp_path / "g"))
    events = (tmp_path / "g" / "events.export.CSV").read_text().splitlines()
    mentions = (tmp_path / "g" / "mentions.CSV").read_text().splitlines()
    assert len(events) == counts[str(tmp_path / "g" / "events.export.CSV")] > 0
    assert len(mentions) >= len(events)
    assert len(GDELT_EVENT_COLUMNS) == 61 and len(GDELT_MENTION_COLUMNS) == 16
    for line in events:
        cols = line.split("\t")
        assert len(cols) == 61
        assert cols[0].isdigit()
        assert cols[26] == "" or cols[26][:2].isdigit()  # EventCode: a CAMEO code
    for line in mentions:
        assert len(line.split("\t")) == 16
    consult = [line.split("\t") for line in events if line.split("\t")[1] == "20190801"]
    assert consult and max(int(c[31]) for c in consult) >= 2  # NumMentions: two reports of one meeting
    assert any(c[53] == "TH" for c in consult)  # ActionGeo_CountryCode is FIPS: Thailand is TH


def test_parquet_and_csv_exports_have_every_table(db_path, tmp_path):
    counts = export(db_path, "parquet", str(tmp_path / "p"))
    for table in TABLES:
        path = tmp_path / "p" / f"{table}.parquet"
        assert pq.read_table(path).num_rows == counts[str(path)]
    assert pq.read_table(tmp_path / "p" / "articles.parquet").num_rows == 3
    counts = export(db_path, "csv", str(tmp_path / "c"))
    assert (tmp_path / "c" / "events.csv").read_text().splitlines()[0].startswith("id,article_id,event")


def test_events_command_filters(db_path):
    runner = CliRunner()
    result = runner.invoke(cli, ["events", "--db", db_path, "--type", "ASSAULT", "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    items = [json.loads(line) for line in result.output.splitlines()]
    assert items and {i["event"] for i in items} == {"ASSAULT"}
    bad = runner.invoke(cli, ["events", "--db", db_path, "--from", "last year"])
    assert bad.exit_code == 1 and bad.output.startswith("Error: ")
    table = runner.invoke(cli, ["events", "--db", db_path, "--country", "TH"])
    assert table.exit_code == 0 and "event(s) match" in table.output


def test_export_unknown_format_is_a_usage_error(db_path):
    result = CliRunner().invoke(cli, ["export", "--db", db_path, "--format", "xml", "--out", "x"])
    assert result.exit_code == 2


def test_show_an_event_with_its_reports(db_path):
    runner = CliRunner()
    events = runner.invoke(cli, ["events", "--db", db_path, "--type", "CONSULT", "--format", "jsonl"])
    event_id = json.loads(events.output.splitlines()[0])["id"]
    shown = runner.invoke(cli, ["show", event_id, "--db", db_path, "--format", "json"])
    assert shown.exit_code == 0, shown.output
    record = json.loads(shown.output)
    assert record["id"] == event_id and record["event"] == "CONSULT" and len(record["reports"]) >= 1
    text = runner.invoke(cli, ["show", event_id, "--db", db_path])
    assert text.exit_code == 0 and "CONSULT" in text.output and "reported by" in text.output
