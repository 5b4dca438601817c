"""The pictures on the pages, drawn for people to read: the coverage heatmap of the home
page, and a council's accountability as an agents x principles matrix (RACI style) and
as a network in which every node carries its name.

The data comes from the analytics' public functions (:func:`projection.fetch`,
:func:`projection.accountability_networks`, :func:`comparison.coverage_matrix`,
:func:`accountability.owned_items`); only the drawing is here. The heatmap and the
matrix are HTML tables (a screen reader reads their headers; colour is never the only
signal: every cell also says its value), the network is inline SVG with a title, a
description and a text label on every node, so all of them work in the static site too.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from html import escape
from typing import Any

import networkx as nx

from govkg.api.querying import QueryRunner, runner_store
from govkg.graph.analytics.accountability import agents, owned_items
from govkg.graph.analytics.comparison import coverage_matrix
from govkg.graph.analytics.projection import (
    AnalyticsData,
    accountability_networks,
    fetch,
    notation_key,
)
from govkg.graph.store.base import Store

#: RACI letters for govkg's responsibility kinds (the legend on the page says so)
RACI = {"responsible-for": "R", "leads": "A", "approves": "A", "signs": "A", "monitors": "I"}
RACI_LEGEND = [("R", "responsible for"), ("A", "leads, approves or signs (accountable)"),
               ("I", "monitors (kept informed, oversight)")]
KIND_COLOURS = {"responsible-for": "#1d70b8", "leads": "#00703c", "approves": "#4c2c92",
                "signs": "#912b88", "monitors": "#505a5f"}


def _store(runner: QueryRunner) -> Store:
    return runner_store(runner)


def _principle_of(data: AnalyticsData, item: str) -> str | None:
    """The core principle an item sits under (the item itself for a principle)."""
    seen: set[str] = set()
    while item in data.items and item not in seen:
        seen.add(item)
        info = data.items[item]
        if info.level == "principle":
            return item
        if not info.broader:
            return None
        item = info.broader[0]
    return None


def shade(share: float | None) -> str:
    """A cell colour from white to GOV.UK blue; text stays dark enough to read on it."""
    if share is None:
        return "#f3f2f1"
    level = round(255 - share * 150)  # never darker than #69a0ff-ish: black text reads
    return f"rgb({level}, {min(255, level + 20)}, 255)"


def coverage_heatmap(runner: QueryRunner) -> dict[str, Any]:
    """Councils x core principles: the share of each principle's items each council's
    code addresses, grouped by edition (a council follows one)."""
    data = fetch(_store(runner), only=("scope", "nodes", "facts", "items", "councils",
                                       "responsibilities"))
    councils = data.councils()
    matrix = coverage_matrix(accountability_networks(data), data, councils)
    editions: dict[str, list[int]] = defaultdict(list)
    for column, (_iri, edition, _notation) in enumerate(matrix.principles):
        editions[edition].append(column)
    tables = []
    for edition, columns in sorted(editions.items()):
        rows = [(council, [(matrix.shares[r][c], shade(matrix.shares[r][c])) for c in columns])
                for r, council in enumerate(matrix.councils)
                if any(matrix.shares[r][c] is not None for c in columns)]
        if rows:
            tables.append({"edition": data.label(edition) or edition,
                           "principles": [(matrix.principles[c][0], matrix.principles[c][2],
                                           data.items[matrix.principles[c][0]].label)
                                          for c in columns],
                           "rows": rows})
    return {"tables": tables}


@dataclass
class Accountability:
    """One council's agents x principles matrix and its network picture."""

    principles: list[tuple[str, str, str]] = field(default_factory=list)
    rows: list[dict[str, Any]] = field(default_factory=list)
    svg: str = ""
    legend: list[tuple[str, str]] = field(default_factory=lambda: list(RACI_LEGEND))


#: the analytics rows a council's accountability is drawn from: these narrowed to the
#: council by its ``council`` parameter, the rest (:data:`BY_NODE`) to its nodes; the
#: framework items (:data:`SHARED`) are every council's alike
BY_COUNCIL = ("responsibilities", "scope", "items", "councils")
BY_NODE = ("nodes", "facts")
SHARED = ("items",)


def council_data(runner: QueryRunner, council: str) -> AnalyticsData:
    """The analytics rows one council's accountability network is drawn from.

    The kinds, labels and facts of nodes have no council parameter: they are every
    council's (about 62,000 rows at 400 councils), of which one council's page uses a few
    hundred, so reading them all cost the page seconds. They are read for this council's
    nodes only: the agents, duties and scope that its own rows name, the council itself
    and the framework items (whose labels and places the matrix shows), bound in the
    same named queries. What is read of the framework items (their rows, and their
    nodes' rows) is the same for every council, so the runner keeps it until the store
    is written (:meth:`QueryRunner.kept`): a page reads only its council's own.
    """
    # imported here, not at the top: only this function needs them
    from rdflib import URIRef

    from govkg.graph.analytics.projection import QUERY_FILES, council_iri
    from govkg.graph.querylib import get_query
    from govkg.graph.store.terms import bind_lateral, bind_rows

    store = _store(runner)
    data = fetch(store, council, only=[n for n in BY_COUNCIL if n not in SHARED])
    rows = dict(data.rows)
    rows.update(runner.kept(("analytics", SHARED), lambda: {
        name: found for name, found in fetch(store, only=SHARED).rows.items()
        if name in SHARED}))
    items = {row["item"] for row in rows["items"]}
    nodes = {str(council_iri(council))}
    nodes.update(row[key] for row in data.rows["responsibilities"] for key in ("agent", "duty"))
    nodes.update(row[key] for row in data.rows["scope"] for key in ("node", "item"))
    own = [URIRef(node) for node in sorted(nodes - items)]
    # LATERAL where the engine has it: the query then runs from the values (see
    # bind_lateral); a plain VALUES block elsewhere gives the same rows, more slowly
    bind = bind_lateral if runner.lateral else bind_rows

    def node_rows(name: str, terms: list[URIRef]) -> list[dict[str, str]]:
        if not terms:
            return []
        query = bind(get_query(QUERY_FILES[name]).text, "node", terms)
        return list(runner.select_text(query).rows)  # as the analytics read rows

    for name in BY_NODE:
        shared = runner.kept(("analytics", name, "items"), lambda name=name: node_rows(
            name, [URIRef(item) for item in sorted(items)]))
        rows[name] = shared + node_rows(name, own)
    return AnalyticsData.from_plain(rows)


def accountability(runner: QueryRunner, council: str) -> Accountability:
    """The council's agents x principles matrix and its network picture; empty when no
    post, body or role answers for a framework item (the page then says why rather than
    drawing a table without columns and dots joined to nothing)."""
    data = council_data(runner, council)
    network = accountability_networks(data).get(council)
    if network is None or not agents(network):
        return Accountability()
    letters: dict[str, dict[str, set[str]]] = {}
    used: set[str] = set()
    for agent in agents(network):
        cells: dict[str, set[str]] = defaultdict(set)
        for duty in network.successors(agent):
            kinds = network.edges[agent, duty].get("kinds", ())
            items = ({duty} if network.nodes[duty].get("kind") == "item" else
                     {i for i in network.successors(duty)
                      if network.nodes[i].get("kind") == "item"})
            for item in items & owned_items(network, agent):
                principle = _principle_of(data, item)
                if principle:
                    cells[principle].update(RACI[k] for k in kinds if k in RACI)
                    used.add(principle)
        letters[agent] = cells
    if not used:  # agents, but none answers for an item: a matrix without columns says
        return Accountability()  # nothing, and the network would be dots on one side
    principles = sorted(used, key=lambda p: (data.items[p].edition,
                                             notation_key(data.items[p].notation)))
    result = Accountability(
        principles=[(p, data.items[p].notation, data.items[p].label) for p in principles])
    for agent in agents(network):
        attrs = network.nodes[agent]
        result.rows.append({"agent": agent, "label": attrs.get("label") or agent,
                            "kind": attrs.get("kind", ""),
                            "cells": ["".join(sorted(letters[agent].get(p, set()),
                                                     key="RACI".index))
                                      for p in principles]})
    result.svg = network_svg(network)
    return result


def _short(text: str, width: int = 46) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _item_name(network: nx.DiGraph, item: str) -> str:
    """A framework item's name in the network: its number and label."""
    attrs = network.nodes[item]
    return f'{attrs.get("notation") or ""} {attrs.get("label") or item}'.strip()


#: an upper bound of a character's advance at font-size 13 in the sans-serif fonts
#: browsers pick (DejaVu Sans, the widest common one, averages about 8 px)
CHAR_WIDTH = 9


def _text_width(text: str) -> int:
    """Room, in the picture's units, for ``text`` at font-size 13: the layout has no
    font metrics, so it reserves the most a line of that many characters takes."""
    return CHAR_WIDTH * len(text)


def network_svg(network: nx.DiGraph) -> str:
    """Agents on the left, the framework items they own on the right, one line per
    ownership coloured by the kind of responsibility; every node has its name beside it
    (shortened, the full name in its tooltip)."""
    agent_nodes = agents(network)
    owned: dict[str, set[str]] = {}
    kinds_of: dict[tuple[str, str], set[str]] = defaultdict(set)
    for agent in agent_nodes:
        owned[agent] = owned_items(network, agent)
        for duty in network.successors(agent):
            kinds = set(network.edges[agent, duty].get("kinds", ()))
            targets = ({duty} if network.nodes[duty].get("kind") == "item"
                       else set(network.successors(duty)))
            for item in targets & owned[agent]:
                kinds_of[agent, item] |= kinds
    items = sorted({i for found in owned.values() for i in found},
                   key=lambda i: notation_key(str(network.nodes[i].get("notation") or "")))
    agent_labels = {a: _short(str(network.nodes[a].get("label") or a)) for a in agent_nodes}
    item_labels = {i: _short(_item_name(network, i), 56) for i in items}
    row, top = 24, 40
    height = top + row * max(len(agent_nodes), len(items), 1) + 20
    # the names are drawn right of x=10 (agents, right-aligned to their dots) and left of
    # the picture's edge (items): room for the longest of each, so none is cut off
    left_x = max(330, 20 + _text_width(max(agent_labels.values(), key=len, default="")))
    right_x = left_x + 230
    width = max(980, right_x + 20 + _text_width(max(item_labels.values(), key=len,
                                                    default="")))
    ys_agents = {a: top + row * n for n, a in enumerate(agent_nodes)}
    ys_items = {i: top + row * n for n, i in enumerate(items)}
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
             f'width="{width}" height="{height}" role="img" '
             'aria-labelledby="network-title network-desc" class="network">',
             '<title id="network-title">Accountability network</title>',
             f'<desc id="network-desc">{len(agent_nodes)} posts, bodies and roles on the '
             f'left, linked to the {len(items)} framework items they answer for on the '
             'right; the line colour is the kind of responsibility.</desc>',
             '<text x="10" y="20" font-weight="700" font-size="14">Post, body or role</text>',
             f'<text x="{right_x + 10}" y="20" font-weight="700" font-size="14">'
             'Framework item</text>']
    for (agent, item), kinds in sorted(kinds_of.items()):
        colour = KIND_COLOURS.get(sorted(kinds)[0], "#505a5f") if kinds else "#505a5f"
        parts.append(f'<line x1="{left_x}" y1="{ys_agents[agent] - 4}" x2="{right_x}" '
                     f'y2="{ys_items[item] - 4}" stroke="{colour}" stroke-width="1.5" '
                     'stroke-opacity="0.7"/>')
    for agent, y in ys_agents.items():
        label = str(network.nodes[agent].get("label") or agent)
        parts.append(f'<circle cx="{left_x}" cy="{y - 4}" r="5" fill="#0b0c0c"/>'
                     f'<text x="{left_x - 10}" y="{y}" text-anchor="end" font-size="13">'
                     f'<title>{escape(label)}</title>{escape(agent_labels[agent])}</text>')
    for item, y in ys_items.items():
        label = _item_name(network, item)
        parts.append(f'<circle cx="{right_x}" cy="{y - 4}" r="5" fill="#1d70b8"/>'
                     f'<text x="{right_x + 10}" y="{y}" font-size="13">'
                     f'<title>{escape(label)}</title>{escape(item_labels[item])}</text>')
    parts.append("</svg>")
    return "".join(parts)
