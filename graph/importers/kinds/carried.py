"""Linking a significant governance issue carried over from an earlier year to that
year's issue, once both statements are in the store.

An issue is the same issue when the same council's statement of an earlier year holds an
issue whose name says nearly the same (rapidfuzz token-set ratio at or above
:data:`SAME_ISSUE`), the nearest earlier year winning. The link is written into the later
statement's named graph, so re-importing either statement recomputes it.
"""

from __future__ import annotations

from rapidfuzz import fuzz, utils
from rdflib import URIRef

from govkg.graph.namespaces import GOVKG
from govkg.graph.store import Store

#: how alike two issues' names must be to be one issue carried over
SAME_ISSUE = 90.0

_ISSUES = """
PREFIX govkg: <https://w3id.org/govkg/def/>
PREFIX rdfs:  <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?graph ?issue ?council ?period ?label ?carried WHERE {
  GRAPH ?graph { ?issue a govkg:SignificantGovernanceIssue ; govkg:council ?council ;
                   govkg:period ?period ; rdfs:label ?label .
                 OPTIONAL { ?issue govkg:carriedOver ?carried } }
}"""


def _start(period: str) -> int:
    return int(period[:4]) if period[:4].isdigit() else 0


def link_carried_over(store: Store) -> int:
    """Add ``govkg:carriedOverFrom`` for every carried-over issue whose earlier year's
    issue is in the store; returns how many links were added."""
    rows = [{k: str(v) for k, v in row.items() if v is not None}
            for row in store.query(_ISSUES)]
    links = 0
    for row in rows:
        if row.get("carried") not in ("true", "1"):
            continue
        earlier = [other for other in rows
                   if other["council"] == row["council"]
                   and _start(other["period"]) < _start(row["period"])
                   and fuzz.token_set_ratio(row["label"], other["label"],
                                            processor=utils.default_process) >= SAME_ISSUE]
        if not earlier:
            continue
        best = max(earlier, key=lambda other: _start(other["period"]))
        store.update(f"INSERT DATA {{ GRAPH <{row['graph']}> {{ <{row['issue']}> "
                     f"<{GOVKG.carriedOverFrom}> <{URIRef(best['issue'])}> }} }}")
        links += 1
    return links
