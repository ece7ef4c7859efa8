"""Storage: the DuckDB database and the exports."""

from dateline.store.database import Database

__all__ = ["Database"]
