"""Parquet: one file per store table, ``TABLE.parquet``, in one folder.

Unfiltered, every table is copied whole. With a selection, each table keeps the rows that belong
to the selected documents: rows with a ``doc`` column by that column; actors and places mentioned
there (with the parents of those actors, and the places of their events); the actors, quantities
and clusters of their events. ``runs`` and ``schema_version`` are always whole: they describe the
store, not documents.
"""

from __future__ import annotations

from pathlib import Path

from .select import SELECTED

__all__ = ["write_parquet"]

_ACTORS = f"""
WITH RECURSIVE chosen(id) AS (
    SELECT entity_id FROM mentions WHERE kind = 'actor' AND doc IN (SELECT id FROM {SELECTED})
    UNION
    SELECT p.id FROM chosen c JOIN actors a ON a.id = c.id JOIN actors p ON p.key = a.parent_key
)
SELECT * FROM actors WHERE id IN (SELECT id FROM chosen)
"""
_EVENTS = f"SELECT id FROM events WHERE doc IN (SELECT id FROM {SELECTED})"
_CLUSTERS = f"SELECT cluster_id FROM event_cluster_members WHERE event_id IN ({_EVENTS})"

# Row filters for tables that do not say their document in a ``doc`` column.
_SELECTED_ROWS = {
    "documents": f"SELECT * FROM documents WHERE id IN (SELECT id FROM {SELECTED})",
    "actors": _ACTORS,
    "places": (f"SELECT * FROM places WHERE id IN (SELECT entity_id FROM mentions WHERE kind = 'place' "
               f"AND doc IN (SELECT id FROM {SELECTED})) OR id IN (SELECT place_id FROM events "
               f"WHERE doc IN (SELECT id FROM {SELECTED}))"),
    "event_actors": f"SELECT * FROM event_actors WHERE event_id IN ({_EVENTS})",
    "event_clusters": f"SELECT * FROM event_clusters WHERE id IN ({_CLUSTERS})",
    "event_cluster_members": f"SELECT * FROM event_cluster_members WHERE cluster_id IN ({_CLUSTERS})",
    # an edge is kept whole (its corpus-wide weight) when any selected document states it
    "relations": f"SELECT * FROM relations WHERE id IN (SELECT relation_id FROM relation_events "
                 f"WHERE doc IN (SELECT id FROM {SELECTED}))",
}
_WHOLE = {"runs", "schema_version"}


def _tables(con) -> list[tuple[str, set[str]]]:
    columns: dict[str, set[str]] = {}
    for table, column in con.execute(
        "SELECT table_name, column_name FROM information_schema.columns "
        "WHERE table_schema = 'main' AND table_catalog = current_database() ORDER BY table_name"
    ).fetchall():
        columns.setdefault(table, set()).add(column)
    return sorted(columns.items())


def write_parquet(con, folder: Path, *, filtered: bool) -> dict[str, int]:
    """Write every table to ``folder/TABLE.parquet``; returns the rows written per table."""
    folder.mkdir(parents=True, exist_ok=True)
    written = {}
    for table, columns in _tables(con):
        # table names come from the store's own catalogue, never from the user
        if not filtered or table in _WHOLE:
            sql = f'SELECT * FROM "{table}"'
        elif table in _SELECTED_ROWS:
            sql = _SELECTED_ROWS[table]
        elif "doc" in columns:
            sql = f'SELECT * FROM "{table}" WHERE doc IN (SELECT id FROM {SELECTED})'
        else:
            sql = f'SELECT * FROM "{table}"'  # a table added later that no rule covers: whole
        relation = con.sql(sql)
        relation.write_parquet(str(folder / f"{table}.parquet"), compression="zstd")
        written[table] = con.execute("SELECT count(*) FROM read_parquet(?)", [str(folder / f"{table}.parquet")]).fetchone()[0]
    return written
