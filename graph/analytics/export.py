"""GraphML export of the accountability networks, for Gephi, Cytoscape and yEd.

GraphML holds only scalar attributes, so tuples (an edge's responsibility kinds, a post's
roles) become ``|``-separated strings, and every node says which council it belongs to.
All councils go into one graph: posts and bodies are council-scoped IRIs and stay apart,
while framework items and topics are shared, so a tool sees councils meet on them.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from pathlib import Path

import networkx as nx

from govkg.graph.errors import InputError, Location


def _scalar(value: object) -> str | int | float | bool:
    if isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, tuple | list | set | frozenset):
        return "|".join(str(v) for v in value)
    return str(value)


def combined(networks: Iterable[nx.DiGraph]) -> nx.DiGraph:
    """The networks as one graph with scalar attributes only."""
    merged = nx.DiGraph(name="govkg accountability networks")
    for network in networks:
        council = network.graph.get("label", "")
        for node, attrs in network.nodes(data=True):
            scalar = {k: _scalar(v) for k, v in attrs.items()}
            if node in merged:
                seen = str(merged.nodes[node].get("councils", ""))
                scalar["councils"] = "|".join(sorted({*seen.split("|"), council} - {""}))
                scalar["agent"] = bool(merged.nodes[node].get("agent")) or bool(attrs.get(
                    "agent"))
                scalar["in_scope"] = bool(merged.nodes[node].get("in_scope")) or bool(
                    attrs.get("in_scope"))
            else:
                scalar["councils"] = council
            merged.add_node(node, **scalar)
        for source, target, attrs in network.edges(data=True):
            merged.add_edge(source, target, council=council,
                            **{k: _scalar(v) for k, v in attrs.items()})
    return merged


def graphml_bytes(networks: Iterable[nx.DiGraph]) -> bytes:
    """The networks as one GraphML document (UTF-8)."""
    buffer = io.BytesIO()
    nx.write_graphml(combined(networks), buffer, encoding="utf-8")
    return buffer.getvalue()


def write_graphml(networks: Iterable[nx.DiGraph], path: Path) -> Path:
    """Write the networks to ``path`` as GraphML."""
    data = graphml_bytes(networks)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    except OSError as exc:
        raise InputError(f"cannot write GraphML: {exc.strerror}", Location(str(path))) from None
    return path
