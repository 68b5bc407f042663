"""The situation store (DuckDB) and the resumable batch that fills it; see docs/store.md."""

from .store import MEMORY, QueryResult, SaveReport, Store, open_store

__all__ = ["MEMORY", "QueryResult", "SaveReport", "Store", "open_store"]
