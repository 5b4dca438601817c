"""Accountability analytics: the knowledge graph read as networks (networkx).

Auditors read governance as a network: who answers for what, where accountability piles
up, where it is missing, and which councils organise themselves alike. One module per
question, each a set of pure functions over graphs or rows passed in:

* :mod:`.projection`: a fixed handful of SPARQL queries -> networkx graphs;
* :mod:`.accountability`: per council, carriers, concentration, unowned items and single
  points of failure;
* :mod:`.comparison`: across councils, who owns the same item or topic, council
  similarity, and the councils x principles coverage matrix;
* :mod:`.crosswalk`: the 2007-2016 crosswalk as a graph;
* :mod:`.plots`: pictures (SVG and PNG); :mod:`.export`: GraphML.

The web service calls :func:`analyse` (everything, as ``AnalyticsReport.to_dict()``)
or :func:`council_accountability` (one council), and the figure functions with
:func:`plots.render` for image bytes.
"""

from __future__ import annotations

from govkg.graph.analytics.report import (
    AnalyticsReport,
    analyse,
    analyse_data,
    council_accountability,
)

__all__ = ["AnalyticsReport", "analyse", "analyse_data", "council_accountability"]
