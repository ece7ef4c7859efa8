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
