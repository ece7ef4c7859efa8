"""Shared fixtures: where the public gold sets live, and the seed article."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def shared_dir() -> Path | None:
    """``$DATELINE_SHARED``, else ``../shared`` beside the checkout; None when absent."""
    env = os.environ.get("DATELINE_SHARED")
    path = Path(env) if env else ROOT.parent / "shared"
    return path if (path / "data").is_dir() else None


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The gold sets folder; the test is skipped with a message when it is absent."""
    path = shared_dir()
    if path is None:
        pytest.skip("../shared/data is absent (set DATELINE_SHARED to the folder holding data/)")
    return path / "data"


@pytest.fixture(scope="session")
def seed_text() -> str:
    """The founding article (../shared/seeds), a page saved as text with its chrome."""
    path = shared_dir()
    if path is None:
        pytest.skip("../shared/seeds is absent (set DATELINE_SHARED)")
    return (path / "seeds" / "000_a638fa8de483c75b.txt").read_text(encoding="utf-8")


# --- leaving the interpreter ---------------------------------------------------------------
#
# Once every result is reported, the process leaves with os._exit instead of finalising the
# interpreter. Finalisation stops daemon threads (the ASGI servers' and test clients' worker
# threads, py4j's) where they next take the GIL; one that takes it back inside a C++ call
# (DuckDB releases the GIL with a C++ guard around its queries) is unwound through that
# guard's destructor, and the C++ runtime aborts the whole process ("terminate called after
# throwing an instance of ...", "FATAL: exception not rethrown") after all tests passed. It
# happened once in five full runs. The outcome and the exit status are already decided here.

_EXIT_STATUS: list[int] = []


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    _EXIT_STATUS.append(int(exitstatus))


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    if _EXIT_STATUS and os.environ.get("DATELINE_TEST_FINALIZE") != "1":  # set it to finalise as usual
        import sys

        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(_EXIT_STATUS[-1])
