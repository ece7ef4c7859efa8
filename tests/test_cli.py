"""The command line: documented commands, exit codes, output formats."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from dateline.cli import cli
from dateline.schema import validation_errors

TEXT = (
    "Russia and Ukraine exchanged 90 prisoners of war on Sunday, officials in both countries said.\n\n"
    "The exchange was mediated by the United Arab Emirates, the fourth such deal this year."
)


@pytest.fixture
def runner():
    return CliRunner()


@pytest.fixture
def article_file(tmp_path):
    path = tmp_path / "story.txt"
    path.write_text(TEXT)
    return path


def test_process_json_is_one_valid_object_per_line(runner, article_file, tmp_path):
    (tmp_path / "empty.txt").write_text("")
    result = runner.invoke(cli, ["process", str(tmp_path), "--format", "json", "--no-nlp", "--text-kind", "article"])
    assert result.exit_code == 0, result.output
    lines = result.output.strip().split("\n")
    docs = [json.loads(line) for line in lines]
    assert len(docs) == 2
    by_uri = {d["source"]["uri"].rsplit("/", 1)[-1]: d for d in docs}
    assert by_uri["empty.txt"]["errors"][0]["code"] == "empty"
    assert [p["text"] for p in by_uri["story.txt"]["paragraphs"]] == TEXT.split("\n\n")
    for doc in docs:
        assert validation_errors(doc) == []


def test_process_text_view(runner, article_file):
    result = runner.invoke(cli, ["process", str(article_file), "--format", "text", "--no-nlp"])
    assert result.exit_code == 0, result.output
    assert "Russia and Ukraine exchanged 90 prisoners" in result.output


def test_process_reads_stdin(runner):
    result = runner.invoke(cli, ["process", "-", "--no-nlp", "--text-kind", "article"], input=TEXT)
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["source"]["uri"] == "<stdin>"


def test_missing_path_is_a_user_error(runner, tmp_path):
    result = runner.invoke(cli, ["process", str(tmp_path / "nope.txt")])
    assert result.exit_code == 1
    assert result.output.startswith("Error: ")
    assert "Traceback" not in result.output


def test_bad_flag_is_a_usage_error(runner, article_file):
    result = runner.invoke(cli, ["process", str(article_file), "--text-kind", "poem"])
    assert result.exit_code == 2


def test_bad_config_is_a_user_error(runner, article_file, tmp_path):
    config = tmp_path / "dateline.toml"
    config.write_text('[dateline]\ntext_kind = "poem"\n')
    result = runner.invoke(cli, ["--config", str(config), "process", str(article_file)])
    assert result.exit_code == 1 and "text_kind must be one of" in result.output


def test_ingest_then_query(runner, article_file, tmp_path):
    db = str(tmp_path / "x.duckdb")
    result = runner.invoke(cli, ["ingest", str(article_file), "--db", db, "--no-nlp", "--text-kind", "article"])
    assert result.exit_code == 0, result.output
    assert "1 document: 1 stored, 0 rejected, 0 duplicates" in result.output
    listing = runner.invoke(cli, ["articles", "--db", db, "--format", "jsonl"])
    [row] = [json.loads(line) for line in listing.output.strip().split("\n")]
    shown = runner.invoke(cli, ["show", row["id"], "--db", db, "--format", "json"])
    assert json.loads(shown.output)["id"] == row["id"]
    missing = runner.invoke(cli, ["show", "nope", "--db", db])
    assert missing.exit_code == 1 and "No article or event with id" in missing.output


def test_entry_point_runs_as_a_program(article_file):
    proc = subprocess.run(
        [sys.executable, "-m", "dateline.cli", "process", str(article_file), "--no-nlp", "--text-kind", "article"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["paragraphs"]


def test_eval_times_prints_the_scorecard(runner, shared_data):
    result = runner.invoke(cli, ["eval", "times", "--shared", str(shared_data.parent), "--json"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)
    assert figures["overall"]["docs"] == 256
    assert figures["AQUAINT"]["value_f1"] >= 0.74


def test_eval_without_data_is_a_user_error(runner, tmp_path):
    result = runner.invoke(cli, ["eval", "geo", "--shared", str(tmp_path / "none")])
    assert result.exit_code == 1 and "DATELINE_SHARED" in result.output


def test_serve_answers_on_loopback(tmp_path, article_file):
    import socket
    import time
    import urllib.request

    db = str(tmp_path / "s.duckdb")
    CliRunner().invoke(cli, ["ingest", str(article_file), "--db", db, "--no-nlp", "--text-kind", "article"])
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "dateline.cli", "serve", "--db", db, "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/stats", timeout=2) as response:
                    stats = json.loads(response.read())
                break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise
                time.sleep(0.3)
        assert stats["articles"] == 1
    finally:
        proc.terminate()
        proc.wait(timeout=10)
