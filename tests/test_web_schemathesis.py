"""Property tests of the REST API against its own OpenAPI spec (schemathesis).

Generated requests, valid and invalid, must never get a 5xx, and every response must match
the status codes, content types and schemas the spec declares. Examples are bounded so the
whole file runs in well under a minute; ``POST /api/process`` uses a fake pipeline (the real
one is tested in test_web_api.py).
"""

from __future__ import annotations

import atexit
import tempfile
from pathlib import Path

import pytest

pytest.importorskip("fastapi", reason="the web extra is not installed")
schemathesis = pytest.importorskip("schemathesis", reason="schemathesis is not installed")

import webdb  # noqa: E402
from hypothesis import HealthCheck, settings  # noqa: E402
from schemathesis import checks  # noqa: E402

from dateline.web.app import create_app  # noqa: E402


class _Doc:
    def __init__(self, doc: dict) -> None:
        self.doc = doc

    def to_json(self) -> dict:
        return self.doc


def _fake_process(text, *, uri=None, published=None, content_type=None, text_kind="auto"):
    return _Doc({"id": "0" * 16, "source": {"uri": uri, "site": None}, "text": text, "events": [], "errors": []})


def _schema():
    # Built at collection: schemathesis parametrizes from the loaded spec (its lazy
    # from_fixture loader does not run under pytest 9). The folder goes at exit.
    folder = tempfile.TemporaryDirectory(prefix="dateline-schema-")
    atexit.register(folder.cleanup)
    fixture = webdb.build_database(Path(folder.name) / "schema.duckdb", n_articles=20)
    app = create_app(fixture.path, max_body_bytes=20_000, processor=_fake_process)
    atexit.register(app.state.database.close)
    return schemathesis.openapi.from_asgi("/openapi.json", app)


schema = _schema()

CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
]


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_api_matches_its_spec(case):
    case.call_and_validate(checks=CHECKS)
