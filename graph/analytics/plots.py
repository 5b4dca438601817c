"""Pictures of the analytics: a council's accountability network, the councils x
principles coverage heatmap, and the crosswalk between the editions.

Figures are drawn on matplotlib's ``Figure`` with the Agg canvas, never through
``pyplot``: no global figure state, no GUI backend, safe in the web service's worker
threads. SVG keeps its text as text (``svg.fonttype: none``), so the council's name in
the title can be searched for and read by a screen reader; PNG and SVG both carry the
title in their metadata too.

:func:`render` returns the bytes of one format (for the web service); :func:`save`
writes SVG and PNG side by side (for ``govkg analyze --plots``).
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any, Literal, cast

import matplotlib
import networkx as nx
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure

from govkg.graph.analytics.comparison import CoverageMatrix
from govkg.graph.analytics.projection import AGENT_KINDS, notation_key
from govkg.graph.errors import InputError, Location

ImageFormat = Literal["svg", "png"]
FORMATS: tuple[ImageFormat, ...] = ("svg", "png")

_STYLE: dict[str, Any] = {"svg.fonttype": "none", "font.size": 9,
                          "font.family": "DejaVu Sans"}
_COLOURS = {
    "post": "#1f77b4", "body": "#2ca02c", "role": "#9467bd", "item": "#ff7f0e",
    "unowned": "#d62728", "other": "#7f7f7f",
}
_EDGE_COLOURS = {"closeMatch": "#2ca02c", "exactMatch": "#1b5e20", "broadMatch": "#1f77b4",
                 "narrowMatch": "#17becf", "relatedMatch": "#bbbbbb"}
_DPI = 100


def _style() -> AbstractContextManager[None]:
    """govkg's figure style for the duration of a block, leaving global state alone."""
    return matplotlib.rc_context(cast(Any, _STYLE))


def _figure(width: float, height: float) -> Figure:
    figure = Figure(figsize=(width, height), dpi=_DPI, layout="constrained")
    FigureCanvasAgg(figure)
    return figure


def title_of(figure: Figure) -> str:
    """The title set on the figure's first axes (each figure here has one)."""
    return figure.axes[0].get_title() if figure.axes else ""


def render(figure: Figure, fmt: ImageFormat) -> bytes:
    """The figure as SVG or PNG bytes, with its title in the file's metadata."""
    title = title_of(figure)
    if fmt not in FORMATS:
        raise InputError(f"unknown image format {fmt!r}; use svg or png")
    buffer = io.BytesIO()
    with _style():
        figure.savefig(buffer, format=fmt, metadata={"Title": title}, dpi=_DPI)
    return buffer.getvalue()


def save(figure: Figure, stem: Path, formats: Sequence[ImageFormat] = FORMATS) -> list[Path]:
    """Write ``stem.svg`` and ``stem.png``; returns the paths written."""
    written = []
    for fmt in formats:
        path = stem.with_suffix(f".{fmt}")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(render(figure, fmt))
        except OSError as exc:
            raise InputError(f"cannot write the picture: {exc.strerror}",
                             Location(str(path))) from None
        written.append(path)
    return written


def _short(text: str, width: int = 38) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _spread(nodes: list[str], key: dict[str, float], height: float) -> dict[str, float]:
    """Heights for ``nodes`` ranked by ``key``, spread evenly from 0 down to -height."""
    ranked = sorted(nodes, key=lambda n: (key.get(n, 0.0), n))
    step = height / max(len(ranked) - 1, 1)
    return {n: -i * step for i, n in enumerate(ranked)}


def accountability_figure(graph: nx.DiGraph, unowned: Sequence[str] = ()) -> Figure:
    """A council's network in three columns: agents (sized by how many duties they carry),
    the duties they answer for, and the framework items those duties address, with the
    items nobody owns in red. Titled with the council's name.

    Columns are ordered by barycentre (each duty beside the items it addresses, each
    agent beside its duties), which keeps crossings few enough to follow a line.
    """
    with _style():
        agents = [n for n, a in graph.nodes(data=True) if a.get("agent")]
        duties = sorted({d for a in agents for d in graph.successors(a)} - set(agents))
        items = sorted((n for n, a in graph.nodes(data=True)
                        if a.get("kind") == "item" and n not in duties and not a.get("agent")),
                       key=lambda n: notation_key(graph.nodes[n].get("notation", n)))
        rows = max(len(agents), len(duties), len(items), 8)
        ys = {n: -i * (rows - 1) / max(len(items) - 1, 1) for i, n in enumerate(items)}

        def mean(values: list[float]) -> float:
            return sum(values) / len(values) if values else 0.0

        # heights are negative: rank by descending height so the top stays the top
        duty_key = {d: -mean([ys[i] for i in graph.successors(d) if i in ys])
                    for d in duties if any(i in ys for i in graph.successors(d))}
        agent_key = {a: mean([duty_key[d] for d in graph.successors(a) if d in duty_key])
                     for a in agents}
        for d in duties:  # evidence, topics, documents: beside the agents that own them
            duty_key.setdefault(d, mean([agent_key[a] for a in graph.predecessors(d)
                                         if a in agent_key]))
        ys.update(_spread(duties, duty_key, rows - 1))
        ys.update(_spread(agents, {a: -mean([ys[d] for d in graph.successors(a) if d in ys])
                                   for a in agents}, rows - 1))
        pos = {n: (0.0 if n in agents else 1.0 if n in duties else 2.0, ys[n]) for n in ys}
        shown = graph.subgraph(pos)
        figure = _figure(14, min(4 + rows * 0.22, 60))
        axes = figure.add_subplot()
        axes.set_axis_off()
        lonely = set(unowned)
        nx.draw_networkx_edges(shown, pos, ax=axes, alpha=0.4, arrows=False, width=0.7,
                               edge_color="#555555")
        for kind in (*AGENT_KINDS, "other"):
            nodes = [n for n in agents if graph.nodes[n].get("kind", "other") in
                     ((kind,) if kind != "other" else ("other", "item"))]
            if nodes:
                nx.draw_networkx_nodes(shown, pos, nodelist=nodes, ax=axes, label=kind,
                                       node_size=[30 + 20 * graph.out_degree(n) for n in nodes],
                                       node_color=_COLOURS[kind])
        nx.draw_networkx_nodes(shown, pos, nodelist=duties, ax=axes, node_size=10,
                               node_color=_COLOURS["other"], label="duty")
        for group, colour, label in (([n for n in items if n not in lonely], "item",
                                      "item with an owner"),
                                     ([n for n in items if n in lonely], "unowned",
                                      "item nobody owns")):
            if group:
                nx.draw_networkx_nodes(shown, pos, nodelist=group, ax=axes, node_size=40,
                                       node_color=_COLOURS[colour], label=label)
        for n in agents:
            axes.annotate(f"{_short(graph.nodes[n].get('label', n))} ({graph.out_degree(n)})",
                          pos[n], xytext=(-8, 0), textcoords="offset points", ha="right",
                          va="center")
        for n in items:
            axes.annotate(graph.nodes[n].get("notation", n), pos[n], xytext=(6, 0),
                          textcoords="offset points", ha="left", va="center",
                          color=_COLOURS["unowned"] if n in lonely else "black")
        for x, heading in ((0.0, "posts, bodies, roles (duties)"), (1.0, "duties"),
                           (2.0, "framework items")):
            axes.annotate(heading, (x, 0), xytext=(0, 14), textcoords="offset points",
                          ha="center", fontweight="bold")
        axes.set_xlim(-1.6, 2.4)
        axes.legend(loc="lower center", ncols=6, frameon=False, bbox_to_anchor=(0.5, -0.04))
        axes.set_title(f"{graph.graph.get('label', 'Council')}: accountability network",
                       fontsize=13)
    return figure


def coverage_figure(coverage: CoverageMatrix) -> Figure:
    """Councils (rows, named) x core principles (columns): the share of each principle's
    items that the council addresses; grey where the council follows the other edition."""
    with _style():
        n_rows, n_cols = len(coverage.councils), len(coverage.principles)
        figure = _figure(max(6, 2.5 + 0.55 * n_cols), min(2 + 0.28 * max(n_rows, 3), 120))
        axes = figure.add_subplot()
        values = [[math.nan if v is None else v for v in row] for row in coverage.shares]
        if not values:
            values = [[math.nan] * max(n_cols, 1)]
        colours = matplotlib.colormaps["YlGn"].resampled(256)
        colours = ListedColormap(colours(range(256)))
        colours.set_bad("#dddddd")
        image = axes.imshow(values, aspect="auto", cmap=colours, vmin=0.0, vmax=1.0,
                            interpolation="nearest")
        axes.set_xticks(range(n_cols), [p[2] for p in coverage.principles])
        axes.set_yticks(range(n_rows), [c.label for c in coverage.councils])
        editions = sorted({p[1] for p in coverage.principles})
        axes.set_xlabel("core principle (" + ", then ".join(e.rsplit("-", 1)[-1]
                                                            for e in editions) + " edition)")
        if n_rows <= 40 and n_cols <= 20:
            for i, row in enumerate(coverage.shares):
                for j, value in enumerate(row):
                    if value is not None:
                        axes.text(j, i, f"{value:.0%}", ha="center", va="center",
                                  fontsize=7, color="black" if value < 0.7 else "white")
        what = "addressed" if coverage.measure == "addressed" else "with an owner"
        figure.colorbar(image, ax=axes, label=f"share of the principle's items {what}")
        axes.set_title("Coverage of the framework principles, by council" if what ==
                       "addressed" else "Ownership of the framework principles, by council",
                       fontsize=12)
    return figure


def crosswalk_figure(graph: nx.Graph) -> Figure:
    """The 2007 items (left) mapped to the 2016 items (right), edges coloured by SKOS
    relation; items declared to have no counterpart in red."""
    with _style():
        editions = sorted({a.get("edition", "") for _, a in graph.nodes(data=True)} - {""})
        columns: list[list[str]] = []
        for edition in editions:
            nodes = [n for n, a in graph.nodes(data=True) if a.get("edition") == edition]
            nodes.sort(key=lambda n: notation_key(graph.nodes[n].get("notation", "")))
            columns.append(nodes)
        tallest = max((len(c) for c in columns), default=1)
        pos = {}
        for x, nodes in enumerate(columns):
            step = tallest / max(len(nodes), 1)
            pos.update({n: (float(x), -i * step) for i, n in enumerate(nodes)})
        figure = _figure(9, min(3 + tallest * 0.16, 40))
        axes = figure.add_subplot()
        axes.set_axis_off()
        drawn = graph.subgraph(pos)
        for relation, colour in _EDGE_COLOURS.items():
            edges = [(u, v) for u, v, a in drawn.edges(data=True) if a.get("skos") == relation]
            if edges:
                nx.draw_networkx_edges(drawn, pos, edgelist=edges, ax=axes, edge_color=colour,
                                       width=0.8, alpha=0.8, label=relation)
        lonely = [n for n in pos if graph.nodes[n].get("no_counterpart_in")]
        nx.draw_networkx_nodes(drawn, pos, ax=axes, node_size=12, node_color="#444444")
        if lonely:
            nx.draw_networkx_nodes(drawn, pos, nodelist=lonely, ax=axes, node_size=30,
                                   node_color=_COLOURS["unowned"], label="no counterpart")
        for n, (column, height) in pos.items():
            axes.annotate(graph.nodes[n].get("notation", ""), (column, height),
                          xytext=(-5 if column == 0 else 5, 0), textcoords="offset points",
                          ha="right" if column == 0 else "left", va="center", fontsize=6)
        for x, edition in enumerate(editions):
            axes.annotate(edition.rsplit("-", 1)[-1] + " edition", (x, 1), xytext=(0, 6),
                          textcoords="offset points", ha="center", fontweight="bold")
        axes.set_xlim(-0.5, max(len(editions) - 0.5, 0.5))
        axes.legend(loc="lower center", ncols=3, frameon=False, bbox_to_anchor=(0.5, -0.05))
        axes.set_title("CIPFA/SOLACE crosswalk between the 2007 and 2016 editions",
                       fontsize=12)
    return figure
