"""The actor network as GraphML or GEXF, for Gephi, networkx, Cytoscape.

Nodes are the actors the selected documents mention (name, type, country, mentions, documents).
Edges are the store's ``relations`` between two of those actors (sitrep.resolve.relations), one
per (source, target, kind) with ``kind`` (allied, hostile, negotiates, accuses), ``weight`` = the
events of the selected documents that state it, ``documents``, and ``first``/``last``, the days
of the earliest and latest of them. A store without relations gets co-mention edges instead: two
actors named in the same document, ``weight`` = the documents they share, ``kind = "co-mention"``,
``first``/``last`` = the first and last publication day.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from .select import SELECTED

__all__ = ["actor_graph", "write_graph"]


def _set(attrs: dict, **values) -> dict:
    # GraphML and GEXF have no null: a missing value is an absent attribute
    attrs.update({k: (v.isoformat() if isinstance(v, date) else v) for k, v in values.items() if v is not None})
    return attrs


def actor_graph(con):
    """A networkx graph of the actor network of the selected documents: a MultiDiGraph of typed
    relations when the store has them, else a Graph of co-mentions."""
    import networkx as nx

    nodes = con.execute(
        "SELECT a.id, a.name, a.type, a.country, a.parent_key, count(*) AS mentions, count(DISTINCT m.doc) AS documents "
        f"FROM mentions m JOIN {SELECTED} s ON s.id = m.doc JOIN actors a ON a.id = m.entity_id "
        "WHERE m.kind = 'actor' GROUP BY ALL ORDER BY a.id"
    ).fetchall()
    relations = con.execute(
        "SELECT r.source_id, r.target_id, r.kind, count(*) AS weight, count(DISTINCT r.doc) AS documents, "
        "min(r.day) AS first, max(r.day) AS last "
        f"FROM relation_events r JOIN {SELECTED} s ON s.id = r.doc "
        "JOIN actors a ON a.id = r.source_id JOIN actors b ON b.id = r.target_id "
        "GROUP BY ALL ORDER BY 1, 2, 3"
    ).fetchall()
    graph = nx.MultiDiGraph() if relations else nx.Graph()
    graph.graph["name"] = "sitrep actor network"
    known = set()
    for ident, name, type_, country, parent_key, mentions, documents in nodes:
        known.add(ident)
        graph.add_node(ident, **_set({}, label=name, name=name, type=type_, country=country, mentions=mentions,
                                     documents=documents, parent_key=parent_key))
    if relations:
        for source, target, kind, weight, documents, first, last in relations:
            if source in known and target in known:
                graph.add_edge(source, target, key=kind, **_set({}, kind=kind, weight=weight, documents=documents,
                                                                first=first, last=last))
        return graph
    for a, b, weight, first, last in con.execute(
        "WITH am AS (SELECT DISTINCT m.entity_id AS actor, m.doc FROM mentions m "
        f"JOIN {SELECTED} s ON s.id = m.doc WHERE m.kind = 'actor') "
        "SELECT x.actor, y.actor, count(*) AS weight, min(d.published), max(d.published) "
        "FROM am x JOIN am y ON x.doc = y.doc AND x.actor < y.actor JOIN documents d ON d.id = x.doc "
        "GROUP BY ALL ORDER BY 1, 2"
    ).fetchall():
        graph.add_edge(a, b, **_set({}, kind="co-mention", weight=weight, first=first, last=last))
    return graph


def write_graph(con, path: Path, fmt: str) -> dict[str, int]:
    """Write the actor network to ``path`` as ``graphml`` or ``gexf``; returns node and edge counts."""
    import networkx as nx

    graph = actor_graph(con)
    if fmt == "graphml":
        nx.write_graphml(graph, path, encoding="utf-8", prettyprint=True)
    elif fmt == "gexf":
        nx.write_gexf(graph, path, encoding="utf-8", prettyprint=True)
    else:
        raise ValueError(f"unknown graph format {fmt!r}")
    return {"actors": graph.number_of_nodes(), "edges": graph.number_of_edges()}
