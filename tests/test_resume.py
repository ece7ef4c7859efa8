"""kill -9 at any moment, then the same command: nothing lost, nothing duplicated."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from dateline.backends.local import run_ingest
from dateline.config import Settings
from dateline.store import Database

SENTENCES = [
    "Delegations from the two countries met in Vienna on Tuesday to resume talks on the nuclear programme.",
    "Protesters gathered outside the parliament building demanding the release of detained journalists.",
    "The defence ministry announced joint military exercises with its neighbour near the border next month.",
]


def _corpus(folder, n):
    folder.mkdir()
    for i in range(n):
        paras = [f"{s} Report number {i}, paragraph {j}." for j, s in enumerate(SENTENCES)]
        (folder / f"doc{i:03d}.txt").write_text("\n\n".join(paras))
    return folder


def _snapshot(db_path):
    with Database(db_path, read_only=True) as db:
        return (
            db.query("SELECT id, uri, text FROM articles ORDER BY id"),
            db.query("SELECT article_id, n, text FROM paragraphs ORDER BY article_id, n"),
        )


SLOW_INGEST = textwrap.dedent(
    """
    import sys, time
    from dateline.backends.local import run_ingest
    from dateline.config import Settings
    settings = Settings().replace(db=sys.argv[2], text_kind="article", batch_size=3)
    run_ingest([sys.argv[1]], settings, nlp=False, on_batch=lambda report: time.sleep(0.05))
    """
)


@pytest.mark.parametrize("kill_after", [0.4, 0.9, 1.6])
def test_kill_9_then_rerun_completes_exactly(tmp_path, kill_after):
    corpus = _corpus(tmp_path / "in", 90)
    reference = str(tmp_path / "ref.duckdb")
    run_ingest([str(corpus)], Settings().replace(db=reference, text_kind="article"), nlp=False)

    target = str(tmp_path / "killed.duckdb")
    proc = subprocess.Popen([sys.executable, "-c", SLOW_INGEST, str(corpus), target])
    time.sleep(kill_after)
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait()

    report = run_ingest([str(corpus)], Settings().replace(db=target, text_kind="article"), nlp=False)
    assert report.documents == 90
    assert _snapshot(target) == _snapshot(reference)
    with Database(target, read_only=True) as db:
        statuses = [r["status"] for r in db.query("SELECT status FROM runs ORDER BY started_at")]
    assert statuses[-1] == "finished"
