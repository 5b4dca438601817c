"""What each HTML page shows, gathered with SPARQL: the named queries where one fits,
and a few small page-only queries (documents, sources, framework tree) here.

Every function takes the query runner and returns plain data for a template, so the
web routes and ``govkg site`` render the same pages. Every quoted span comes with its
document and line numbers (and page), so a page can link each statement to its source
text and to the council's original file.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import date
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from govkg.api import pictures
from govkg.api.querying import QueryRunner
from govkg.graph.errors import InputError
from govkg.graph.namespaces import GOVKG
from govkg.graph.querylib import get_page_query, get_query
from govkg.graph.store import SelectResult
from govkg.graph.store.terms import bind_lateral, bind_rows, n3

PREFIXES = """
PREFIX govkg: <https://w3id.org/govkg/def/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX org: <http://www.w3.org/ns/org#>
"""

LABELS = """
  OPTIONAL { ?%(v)s skos:prefLabel ?%(v)sPref }
  OPTIONAL { ?%(v)s rdfs:label ?%(v)sRdfs }
  OPTIONAL { ?%(v)s dcterms:title ?%(v)sTitle }
  BIND(COALESCE(?%(v)sPref, ?%(v)sRdfs, ?%(v)sTitle) AS ?%(v)sLabel)
"""

COUNCILS = PREFIXES + """
SELECT ?council (SAMPLE(?name) AS ?label) (SAMPLE(?typeName) AS ?typeLabel)
       (COUNT(DISTINCT ?document) AS ?documents)
WHERE {
  ?council a govkg:Council ; skos:prefLabel ?name .
  OPTIONAL { ?council govkg:councilType/skos:prefLabel ?typeName }
  OPTIONAL { ?document govkg:council ?council ; a/rdfs:subClassOf govkg:GovernanceDocument }
} GROUP BY ?council ORDER BY ?label"""

EDITIONS = PREFIXES + """
SELECT ?edition (SAMPLE(?name) AS ?label) (SAMPLE(?y) AS ?year) WHERE {
  ?edition a govkg:FrameworkEdition ; skos:prefLabel ?name .
  OPTIONAL { ?edition govkg:editionYear ?y }
} GROUP BY ?edition ORDER BY ?year"""

DOCUMENTS = PREFIXES + """
SELECT DISTINCT ?document ?type ?typeLabel ?title ?date ?period ?edition ?editionLabel WHERE {
  ?document govkg:council ?council ; a ?type .
  ?type rdfs:subClassOf govkg:GovernanceDocument ; rdfs:label ?typeLabel .
  OPTIONAL { ?document dcterms:title ?title }
  OPTIONAL { ?document dcterms:date ?date }
  OPTIONAL { ?document govkg:period ?period }
  OPTIONAL { ?document govkg:followsFramework ?edition . ?edition skos:prefLabel ?editionLabel }
}"""  # ordered by ?typeLabel ?date here (see ordered)
#: the same, where the engine has LATERAL: the edition is then looked up per document;
#: as a plain OPTIONAL of two patterns Oxigraph hashes every code's edition in the store
#: first (3 to 25 ms at 400 councils against 1.7 to 2 ms)
DOCUMENTS_LATERAL = DOCUMENTS.replace(
    "  OPTIONAL { ?document govkg:followsFramework ?edition . ?edition skos:prefLabel "
    "?editionLabel }",
    "  LATERAL { OPTIONAL { ?document govkg:followsFramework ?edition . ?edition "
    "skos:prefLabel ?editionLabel } }")

#: a quoted span's place and its document's title, checksum and format. The checksum and
#: the format are bound only together, as one OPTIONAL of both would bind them, but
#: looked up one by one: Oxigraph plans a two-pattern OPTIONAL as a hash join over every
#: document in the store, built even when no span is found (28 ms for a council's
#: generic sources at 400 councils, none found) and again for each value of a LATERAL
#: (443 ms for the 61 resources a council page quotes; 9 ms so)
SPAN = """
  ?span oa:hasSource ?document ; govkg:startLine ?start ; govkg:endLine ?end ;
      oa:hasSelector/oa:exact ?exact .
  OPTIONAL { ?span govkg:page ?page }
  OPTIONAL { ?document dcterms:title ?documentTitle }
  OPTIONAL { ?document govkg:sha256 ?anySha }
  OPTIONAL { ?document dcterms:format ?anyFormat }
  BIND(IF(BOUND(?anyFormat), ?anySha, ?none) AS ?sha)
  BIND(IF(BOUND(?anySha), ?anyFormat, ?none) AS ?format)
"""

#: the quoted spans of the council's resources in ``?resource`` (those the page shows,
#: bound by :func:`council`); ordered by ?resource ?start here (see ordered)
COUNCIL_SOURCES = PREFIXES + """
SELECT DISTINCT ?resource ?span ?exact ?start ?end ?page ?document ?documentTitle ?sha
       ?format WHERE {
  ?resource govkg:council ?council ; govkg:source ?span .""" + SPAN + "}"

#: the quoted spans of one resource (a span is its own source)
RESOURCE_SOURCES = PREFIXES + """
SELECT DISTINCT ?resource ?span ?exact ?start ?end ?page ?document ?documentTitle ?sha
       ?format WHERE {
  { ?resource govkg:source ?span }
  UNION { ?resource a oa:SpecificResource BIND(?resource AS ?span) }""" + SPAN + "} ORDER BY ?start"

#: rows a page lists of a resource's statements and of what refers to it; a page with
#: more says so and links to the rest (one more row is fetched to know)
PROPERTY_ROWS, INCOMING_ROWS = 500, 200
#: rows read unsorted and sorted here before a page falls back to Oxigraph's ORDER BY
SORTED_HERE = 5000

_PROPERTIES = PREFIXES + """
SELECT ?p ?pLabel ?o ?oLabel WHERE {
  ?resource ?p ?o .
  OPTIONAL { ?p rdfs:label ?pLabel }
""" + LABELS % {"v": "o"} + "}"
PROPERTIES = f"{_PROPERTIES} ORDER BY ?p ?o LIMIT {PROPERTY_ROWS + 1}"

_INCOMING = PREFIXES + """
SELECT ?s ?p ?pLabel ?sLabel WHERE {
  ?s ?p ?resource .
  OPTIONAL { ?p rdfs:label ?pLabel }
""" + LABELS % {"v": "s"} + "}"
INCOMING = f"{_INCOMING} ORDER BY ?p ?s LIMIT {INCOMING_ROWS + 1}"

TYPES = PREFIXES + "SELECT DISTINCT ?type WHERE { ?resource a ?type }"

ITEMS = PREFIXES + """
SELECT ?item ?notation ?label ?type ?broader ?definition WHERE {
  ?item skos:inScheme ?edition ; skos:notation ?notation ; skos:prefLabel ?label ; a ?type .
  FILTER(?type IN (govkg:CorePrinciple, govkg:SubPrinciple, govkg:SupportingPrinciple,
                   govkg:SpecificRequirement))
  OPTIONAL { ?item skos:broader ?broader }
  OPTIONAL { ?item skos:definition ?definition }
}"""

CROSSWALK = PREFIXES + """
SELECT ?source ?sourceNotation ?target ?targetNotation ?relation ?setRelationLabel ?rationale
WHERE {
  ?mapping a govkg:ItemMapping ; govkg:sourceItem ?source ; govkg:targetItem ?target ;
      govkg:skosRelation ?relation .
  { ?source skos:inScheme ?edition } UNION { ?target skos:inScheme ?edition }
  ?source skos:notation ?sourceNotation . ?target skos:notation ?targetNotation .
  OPTIONAL { ?mapping govkg:setRelation/skos:prefLabel ?setRelationLabel }
  OPTIONAL { ?mapping govkg:rationale ?rationale }
}"""

FOLLOWERS = PREFIXES + """
SELECT DISTINCT ?council ?councilLabel WHERE {
  ?code govkg:followsFramework ?edition ; govkg:council ?council .
  ?council skos:prefLabel ?councilLabel .
} ORDER BY ?councilLabel"""

#: what every council does for one framework item: commitments that address it (or an
#: item below it, or a crosswalk counterpart), and self-assessment results on it
ITEM_PRACTICE = PREFIXES + """
SELECT DISTINCT ?council ?councilLabel ?kind ?resource ?resourceLabel ?addressed
       ?addressedNotation ?score ?scaleMaximum ?via WHERE {
  {
    ?resource a govkg:Commitment ; govkg:addresses ?addressed . BIND("commitment" AS ?kind)
  } UNION {
    ?resource a govkg:SelfAssessmentResult ; govkg:assesses ?addressed ; govkg:score ?score .
    OPTIONAL { ?resource govkg:scaleMaximum ?scaleMaximum }
    BIND("self-assessment" AS ?kind)
  }
  ?resource govkg:council ?council .
  {
    ?addressed skos:broader* ?item . BIND("directly" AS ?via)
  } UNION {
    ?addressed skos:broader*/(skos:exactMatch|skos:closeMatch|skos:broadMatch|skos:narrowMatch
        |^skos:exactMatch|^skos:closeMatch|^skos:broadMatch|^skos:narrowMatch)/skos:broader* ?item .
    BIND("through the crosswalk" AS ?via)
  }
  ?council skos:prefLabel ?councilLabel .
  OPTIONAL { ?addressed skos:notation ?addressedNotation }
  OPTIONAL { ?resource rdfs:label ?resourceLabel }
} ORDER BY ?councilLabel ?kind ?resource ?addressed ?via"""


LABEL_ORDER = ("http://www.w3.org/2004/02/skos/core#prefLabel",
               "http://www.w3.org/2000/01/rdf-schema#label", "http://purl.org/dc/terms/title",
               "http://www.w3.org/2004/02/skos/core#notation")


#: the evidence councils cite for one item (same paths as ITEM_PRACTICE; the named query
#: evidence-for-item answers the same question but is slow with the item bound)
ITEM_EVIDENCE = PREFIXES + """
SELECT DISTINCT ?council ?councilLabel ?evidence ?evidenceLabel ?addressed ?addressedNotation
WHERE {
  ?commitment a govkg:Commitment ; govkg:addresses ?addressed ; govkg:citesEvidence ?evidence ;
      govkg:council ?council .
  {
    ?addressed skos:broader* ?item .
  } UNION {
    ?addressed skos:broader*/(skos:exactMatch|skos:closeMatch|skos:broadMatch|skos:narrowMatch
        |^skos:exactMatch|^skos:closeMatch|^skos:broadMatch|^skos:narrowMatch)/skos:broader* ?item .
  }
  ?council skos:prefLabel ?councilLabel .
  OPTIONAL { ?addressed skos:notation ?addressedNotation }
  OPTIONAL { ?evidence rdfs:label ?evidenceLabel }
} ORDER BY ?councilLabel ?evidenceLabel ?evidence ?addressed"""


def order_key(term: Node | None) -> tuple[Any, ...]:
    """SPARQL's ``ORDER BY`` of one term: unbound first, then blank nodes, IRIs (by their
    text, as Oxigraph compares them) and literals (numbers by value, others by text).

    Why sort here: on the on-disk store Oxigraph decodes both terms' strings from the
    store at every comparison of its sort, so ordering a few hundred rows cost more than
    finding them (a council's 212 incoming links: 1.7 ms to find, 92 ms to sort).
    """
    if term is None:
        return (0, "")
    if isinstance(term, BNode):
        return (1, str(term))
    if isinstance(term, Literal):
        value = term.toPython()
        if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
            return (3, 0, value, "")
        return (3, 1, 0, str(term))
    return (2, str(term))


def ordered(rows: list[dict[str, Node]], *keys: str) -> list[dict[str, Node]]:
    """``rows`` as ``ORDER BY ?key1 ?key2 ...`` gives them (see :func:`order_key`)."""
    return sorted(rows, key=lambda row: tuple(order_key(row.get(key)) for key in keys))


def _first_rows(runner: QueryRunner, query: str, bound: Mapping[str, Node], keys: tuple[str, ...],
                shown: int, exact_order: bool) -> list[dict[str, Node]]:
    """The first ``shown + 1`` rows of ``query`` ordered by ``keys``: read unsorted and
    sorted here (see :func:`order_key`) when they are few, else with the engine's
    ``ORDER BY ... LIMIT``. The page's "see the next rows" link asks the engine for the
    rows after the first ``shown``, so the rows are sorted here beyond those shown only
    where ``exact_order`` says this order is the engine's (IRIs and blank nodes: the
    subjects and properties of incoming links; literals may compare otherwise)."""
    limit = SORTED_HERE if exact_order else shown
    rows = runner.select(f"{query} LIMIT {limit + 1}", bound).rows
    if len(rows) > limit:
        by = " ".join("?" + key for key in keys)
        return runner.select(f"{query} ORDER BY {by} LIMIT {shown + 1}", bound).rows
    return ordered(rows, *keys)[:shown + 1]


def _natural(notation: str) -> list[Any]:
    """Sort key for item numbers: 2.10 after 2.9, letters before digits."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", notation)]


def rows(result: SelectResult) -> list[dict[str, Node]]:
    return result.rows


def named(runner: QueryRunner, name: str, **values: str) -> SelectResult:
    """A named query from ``queries/``, with its parameters bound as the API binds them."""
    query = get_query(name)
    return runner.select(query.text, query.bindings(values))


def sources_by_resource(result: SelectResult) -> dict[Node, list[dict[str, Node]]]:
    """Quoted spans grouped by the resource they are the source of (keyed by the rdflib
    term, as templates look them up with the term from another row)."""
    grouped: dict[Node, list[dict[str, Node]]] = defaultdict(list)
    for row in result.rows:
        grouped[row["resource"]].append(row)
    return dict(grouped)


def sources_of(runner: QueryRunner, resources: list[Node]) -> dict[Node, list[dict[str, Node]]]:
    """The quoted spans of each of ``resources``, in one query instead of one a resource
    (an item's page lists dozens of commitments); the IRIs are written as RDF terms by
    ``n3``, which refuses anything that is not one."""
    unique = list(dict.fromkeys(resources))
    if not unique:
        return {}
    values = "VALUES ?resource { " + " ".join(n3(r) for r in unique) + " }\n"
    query = RESOURCE_SOURCES.replace("WHERE {\n", "WHERE {\n  " + values, 1)
    found = sources_by_resource(runner.select(query))
    return {resource: found.get(resource, []) for resource in unique}


def home(runner: QueryRunner) -> dict[str, Any]:
    councils = runner.select(COUNCILS).rows
    return {"councils": councils, "editions": runner.select(EDITIONS).rows,
            "with_documents": [c for c in councils if int(c["documents"]) > 0],
            "heatmap": pictures.coverage_heatmap(runner)}


def types_of(runner: QueryRunner, iri: URIRef) -> set[str]:
    return {str(row["type"]) for row in runner.select(TYPES, {"resource": iri}).rows}


def resource(runner: QueryRunner, iri: URIRef) -> dict[str, Any]:
    """The generic view of any resource: its statements, what points to it, its sources."""
    bound = {"resource": iri}
    with ThreadPoolExecutor(max_workers=2) as pool:  # independent queries, at once
        found_incoming = pool.submit(_first_rows, runner, _INCOMING, bound, ("p", "s"),
                                     INCOMING_ROWS, True)
        found_sources = pool.submit(lambda: runner.select(RESOURCE_SOURCES, bound).rows)
        properties = _first_rows(runner, _PROPERTIES, bound, ("p", "o"), PROPERTY_ROWS, False)
        incoming, sources = found_incoming.result(), found_sources.result()
    label = None
    for preferred in LABEL_ORDER:
        label = next((row["o"] for row in properties if str(row["p"]) == preferred), None)
        if label is not None:
            break
    return {"iri": iri, "label": label, "properties": properties[:PROPERTY_ROWS],
            "incoming": incoming[:INCOMING_ROWS],
            "more_properties": rest_link(PROPERTIES, iri, PROPERTY_ROWS)
            if len(properties) > PROPERTY_ROWS else None,
            "more_incoming": rest_link(INCOMING, iri, INCOMING_ROWS)
            if len(incoming) > INCOMING_ROWS else None,
            "sources": sources,
            "exists": bool(properties or incoming)}


#: framework item types, each with the item page
ITEM_TYPES = {str(GOVKG.CorePrinciple), str(GOVKG.SubPrinciple),
              str(GOVKG.SupportingPrinciple), str(GOVKG.SpecificRequirement)}


def page_of(runner: QueryRunner, iri: URIRef) -> tuple[str, dict[str, Any]] | None:
    """The template and data of ``iri``'s page, chosen by its type; None when nothing is
    known about it. The generic view and the types are fetched at once (independent
    queries), then the page of its kind."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        types_found = pool.submit(types_of, runner, iri)
        generic = resource(runner, iri)
        types = types_found.result()
    if not generic["exists"]:
        return None
    context: dict[str, Any] = {"iri": iri, "label": generic["label"], "resource": generic,
                               "types": sorted(types), "title": str(generic["label"] or iri)}
    if str(GOVKG.Council) in types:
        return "council.html", {**context, "page": council(runner, iri)}
    if str(GOVKG.FrameworkEdition) in types:
        return "framework.html", {**context, "page": framework(runner, iri)}
    if types & ITEM_TYPES:
        return "item.html", {**context, "page": item(runner, iri)}
    return "resource.html", context


def rest_link(query: str, iri: URIRef, shown: int) -> str:
    """The SPARQL endpoint's page of the rows after the first ``shown`` (the IRI is
    written as an RDF term by ``n3``, which refuses anything that is not one)."""
    text = query.replace("?resource", n3(iri)).rsplit("LIMIT", 1)[0]
    return "/sparql?" + urlencode({"query": f"{text}OFFSET {shown} LIMIT {shown}"})


def council(runner: QueryRunner, iri: URIRef) -> dict[str, Any]:
    """The council page: documents, officers, bodies, coverage, gaps, scores, reviews.

    Its queries are independent of one another, so they run at once, each in a worker of
    the runner's pool: the page takes about as long as its slowest query, not the sum.
    """
    slug = str(iri)
    bound = {"council": iri}
    with ThreadPoolExecutor(max_workers=12) as pool:
        # submitted first, so it is running before the accountability task waits on it
        documents = pool.submit(lambda: ordered(runner.select(
            DOCUMENTS_LATERAL if runner.lateral else DOCUMENTS, bound).rows, "typeLabel", "date"))

        def accountability() -> pictures.Accountability:
            # who answers for what is read from documents: a council without any has no
            # network, and the analytics fetch behind it costs half a second a council
            # (the static site draws all 400 of the register)
            return pictures.accountability(runner, slug) if documents.result() \
                else pictures.Accountability()

        def rows_of(name: str) -> Future[list[dict[str, Node]]]:
            return pool.submit(lambda: named(runner, name, council=slug).rows)

        # the slowest first, so that they start first
        found = {"accountability": pool.submit(accountability),
                 "coverage": rows_of("coverage-matrix"),
                 "gaps": rows_of("unaddressed-items"),
                 "scores": rows_of("self-assessment-scores"),
                 "officers": rows_of("statutory-officers"),
                 "bodies": rows_of("body-functions"),
                 "recommendations": rows_of("review-recommendations"),
                 "responsibilities": pool.submit(lambda: ordered(page_query(
                     runner, "council-responsibilities", council=slug).rows,
                     "agentLabel", "kindLabel", "aboutLabel")),
                 "documents": documents}
        found["sources"] = pool.submit(lambda: council_sources(runner, iri, {
            key: found[key].result() for key in SHOWN_SOURCES}))
        page = {key: future.result() for key, future in found.items()}
    page["gaps"] = sorted(page["gaps"], key=lambda r: _natural(str(r.get("notation", ""))))
    page["slug"] = slug_of(iri)
    return page


#: the council page's tables whose rows show a quoted source, and the column of the
#: resource quoted (council.html looks each up in ``page.sources``)
SHOWN_SOURCES = {"officers": "post", "bodies": "body", "responsibilities": "responsibility",
                 "scores": "result", "recommendations": "recommendation"}


def council_sources(runner: QueryRunner, iri: URIRef, tables: Mapping[str, list[dict[str, Node]]]
                    ) -> dict[Node, list[dict[str, Node]]]:
    """The quoted spans of the resources the council page shows (``tables``: its rows by
    :data:`SHOWN_SOURCES`' names), by resource, each resource's in line order.

    Only those: every resource of a document carries its council, so the spans of all
    of them were most of the page's slowest query (20 to 31 ms at 400 councils), and
    the page shows a few dozen. Bound with ``LATERAL`` where the engine has it (one
    lookup per resource), else a ``VALUES`` block.
    """
    shown = sorted({row[column] for name, column in SHOWN_SOURCES.items()
                    for row in tables[name] if row.get(column) is not None}, key=str)
    if not shown:
        return {}
    bind = bind_lateral if runner.lateral else bind_rows
    found = runner.select(bind(COUNCIL_SOURCES, "resource", shown), {"council": iri})
    return sources_by_resource(SelectResult(found.variables,
                                            ordered(found.rows, "resource", "start")))


def council_unreferenced(iri: URIRef) -> dict[str, Any]:
    """What :func:`council` finds for a council nothing but other councils refers to
    (the register's councils without documents, and their successions), without asking:
    every one of its queries needs a statement about something else than a council that
    names it (a document's, a post's, a body's ``govkg:council``, ``org:postIn``,
    ``org:unitOf``, or the derived ``hasDocument`` such statements make), and none
    follows ``govkg:replaces``, so each is empty. The static site draws the register's
    400 council pages with it; tests/api/test_site.py checks the two agree."""
    return {"documents": [], "officers": [], "bodies": [], "coverage": [], "gaps": [],
            "scores": [], "recommendations": [], "responsibilities": [], "sources": {},
            "slug": slug_of(iri), "accountability": pictures.Accountability()}


def framework(runner: QueryRunner, iri: URIRef) -> dict[str, Any]:
    """The framework page: principles with their items, and the crosswalk."""
    bound = {"edition": iri}
    items = runner.select(ITEMS, bound).rows
    by_notation = {str(row["notation"]): row for row in items}
    children: dict[Node, list[dict[str, Node]]] = defaultdict(list)
    top = []
    for row in sorted(by_notation.values(), key=lambda r: _natural(str(r["notation"]))):
        if row.get("broader") is None or str(row["type"]) == str(GOVKG.CorePrinciple):
            top.append(row)
        else:
            children[row["broader"]].append(row)
    crosswalk = sorted(runner.select(CROSSWALK, bound).rows,
                       key=lambda r: (_natural(str(r["sourceNotation"])),
                                      _natural(str(r["targetNotation"]))))
    return {"principles": top, "children": dict(children), "crosswalk": crosswalk,
            "followers": runner.select(FOLLOWERS, bound).rows}


NARROWER = PREFIXES + """
SELECT ?item ?child ?notation ?label WHERE {
  ?child skos:broader ?item ; skos:notation ?notation ; skos:prefLabel ?label }"""


def item(runner: QueryRunner, iri: URIRef) -> dict[str, Any]:
    """The item page: its place in the framework, its counterparts, and what every
    council does for it, each with its quoted source."""
    practice = runner.select(ITEM_PRACTICE, {"item": iri}).rows
    sources = sources_of(runner, [row["resource"] for row in practice])
    return _item_page(practice, sources, named(runner, "crosswalk", item=str(iri)).rows,
                      runner.select(ITEM_EVIDENCE, {"item": iri}).rows,
                      runner.select(NARROWER, {"item": iri}).rows)


def _item_page(practice: list[dict[str, Node]], sources: dict[Node, list[dict[str, Node]]],
               crosswalk: list[dict[str, Node]], evidence: list[dict[str, Node]],
               narrower: list[dict[str, Node]]) -> dict[str, Any]:
    return {"practice": practice, "sources": sources, "crosswalk": crosswalk,
            "evidence": evidence,
            "narrower": sorted(narrower, key=lambda r: _natural(str(r["notation"])))}


def _by(rows: list[dict[str, Node]], key: str) -> dict[Node, list[dict[str, Node]]]:
    grouped: dict[Node, list[dict[str, Node]]] = defaultdict(list)
    for row in rows:
        if row.get(key) is not None:
            grouped[row[key]].append(row)
    return grouped


CITED = PREFIXES + """
SELECT ?commitment ?evidence ?evidenceLabel WHERE {
  ?commitment a govkg:Commitment ; govkg:citesEvidence ?evidence .
  OPTIONAL { ?evidence rdfs:label ?evidenceLabel }
}"""


def _evidence(practice: list[dict[str, Node]],
              cites: dict[Node, list[dict[str, Node]]]) -> list[dict[str, Node]]:
    """ITEM_EVIDENCE's rows for one item, from its ITEM_PRACTICE rows (the same
    commitments, councils and items addressed) and what each commitment cites."""
    found: dict[tuple[Node | None, ...], dict[str, Node]] = {}
    for row in practice:
        if str(row["kind"]) != "commitment":
            continue
        for cited in cites.get(row["resource"], []):
            joined = {"council": row["council"], "councilLabel": row["councilLabel"],
                      "evidence": cited["evidence"], "evidenceLabel": cited.get("evidenceLabel"),
                      "addressed": row["addressed"],
                      "addressedNotation": row.get("addressedNotation")}
            kept = {k: v for k, v in joined.items() if v is not None}
            found.setdefault(tuple(joined.values()), kept)
    return sorted(found.values(), key=lambda r: tuple(str(r.get(k, "")) for k in (
        "councilLabel", "evidenceLabel", "evidence", "addressed")))


def items(runner: QueryRunner, iris: list[URIRef],
          sources: Callable[[Node], list[dict[str, Node]]]) -> dict[URIRef, dict[str, Any]]:
    """:func:`item` for every item of ``iris`` at once: each of its queries runs once,
    with ``?item`` free and projected, and its rows are shared out (the static site's
    112 item pages ran 560 queries); ``sources`` gives a resource's quoted spans (the
    site has every triple in memory). tests/api/test_site.py checks that each page's
    data is :func:`item`'s."""
    def projected(query: str) -> str:
        return query.replace("SELECT DISTINCT ?council", "SELECT DISTINCT ?item ?council", 1)

    practice = _by(runner.select(projected(ITEM_PRACTICE)).rows, "item")
    # ITEM_EVIDENCE with ?item free takes Oxigraph 15 s: its rows are those of the
    # practice rows' commitments, joined here with what each commitment cites
    cites = _by(runner.select(CITED).rows, "commitment")
    evidence = {item: _evidence(rows, cites) for item, rows in practice.items()}
    crosswalk = _by(runner.select(get_query("crosswalk").text).rows, "item")
    narrower = _by(runner.select(NARROWER).rows, "item")
    pages: dict[URIRef, dict[str, Any]] = {}
    for iri in iris:
        rows = practice.get(iri, [])
        pages[iri] = _item_page(
            rows, {r: sources(r) for r in dict.fromkeys(row["resource"] for row in rows)},
            crosswalk.get(iri, []), evidence.get(iri, []), narrower.get(iri, []))
    return pages


# ---------------------------------------------------------------- the officers' pages


def page_query(runner: QueryRunner, name: str, **values: str) -> SelectResult:
    """A page query from ``queries/pages/``, bound as the named queries are."""
    query = get_page_query(name)
    return runner.select(query.text, query.bindings(values))


def slug_of(iri: Node | str) -> str:
    return str(iri).rstrip("/").rsplit("/", 1)[-1]


def compare(runner: QueryRunner, edition: str, council_type: str | None = None,
            principle: str | None = None) -> dict[str, Any]:
    """Councils x framework items of one edition: the core principles, or the items
    under one principle; each cell the number of the council's commitments that address
    the item (or an item below it)."""
    editions = runner.select(EDITIONS).rows
    chosen = next((row for row in editions if str(row.get("year")) == edition
                   or str(row["edition"]) == edition), None)
    if chosen is None:
        raise InputError(f"no framework edition {edition!r}; use one of "
                         f"{', '.join(str(r.get('year')) for r in editions)}")
    items = list({str(r["item"]): r for r in
                  runner.select(ITEMS, {"edition": chosen["edition"]}).rows}.values())
    principles = sorted((r for r in items if str(r["type"]) == str(GOVKG.CorePrinciple)),
                        key=lambda r: _natural(str(r["notation"])))
    if principle:
        top = next((r for r in principles if str(r["item"]) == principle
                    or str(r["notation"]) == principle), None)
        if top is None:
            raise InputError(f"no principle {principle!r} in this edition; use one of "
                             f"{', '.join(str(r['notation']) for r in principles)}")
        prefix = str(top["notation"]) + "."
        columns = [top, *sorted((r for r in items if str(r["notation"]).startswith(prefix)),
                                key=lambda r: _natural(str(r["notation"])))]
    else:
        columns = principles
    councils = page_query(runner, "compare-councils", edition=edition).rows
    types = sorted({(str(r["councilType"]), str(r.get("councilTypeLabel", "")))
                    for r in councils if r.get("councilType")}, key=lambda t: t[1])
    if council_type:
        councils = [r for r in councils if slug_of(r.get("councilType", "")) == council_type
                    or str(r.get("councilType")) == council_type]
    counts = {(str(r["council"]), str(r["item"])): int(r["commitments"])
              for r in page_query(runner, "compare", edition=edition).rows}
    rows = [{"council": r, "cells": [counts.get((str(r["council"]), str(c["item"])), 0)
                                     for c in columns]} for r in councils]
    return {"editions": editions, "edition": chosen, "principles": principles,
            "columns": columns, "rows": rows, "types": types}


#: how a status reads when the work is done (then it is never overdue)
_DONE = re.compile(r"\b(complete[d]?|achieved|done|closed|implemented|in place|resolved)\b",
                   re.I)
_PERIOD = re.compile(r"^(\d{4})(?:\s*[/-]\s*(\d{2}|\d{4}))?$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?$")


def period_end(period: str) -> date | None:
    """The last day of a target period or date: ``2010/11`` (a council year) ends on 31
    March 2011, ``2011`` on 31 December 2011, ``2023-09`` on 30 September 2023,
    ``2023-09-15`` is that day; anything else is not a date we can judge.

    >>> period_end("2010/11"), period_end("2023-02"), period_end("by the autumn")
    (datetime.date(2011, 3, 31), datetime.date(2023, 2, 28), None)
    """
    text = period.strip()
    if (iso := _ISO_DATE.match(text)) is not None:
        year, month, day = (int(part) if part else None for part in iso.groups())
        assert year is not None and month is not None
        try:
            first = date(year, month, day or 1)  # refuses month 13, 30 February
            if day is not None:
                return first
            after = date(year + month // 12, month % 12 + 1, 1)
        except ValueError:
            return None
        return date.fromordinal(after.toordinal() - 1)
    match = _PERIOD.match(text)
    if not match:
        return None
    begins, second = match.groups()
    if second is None:
        return date(int(begins), 12, 31)
    year = int(second) if len(second) == 4 else int(begins[:2] + second)
    if year < int(begins):
        year += 100
    return date(year, 3, 31)


FOLLOW_UP_KINDS = {"improvement-action": "Improvement action",
                   "significant-issue": "Significant governance issue",
                   "recommendation": "Auditor's or reviewer's recommendation",
                   "further-work": "Further work"}
#: an issue without a title is shown by the start of the text it was read from
_QUOTE_WORDS = 24


def _issue_rows(runner: QueryRunner, issues: list[dict[str, Node]]) -> dict[str, dict[str, Any]]:
    """A council's significant governance issues (``follow-up-issues`` rows) as
    follow-up rows (see follow_up)."""
    merged: dict[str, dict[str, Any]] = {}
    for row in issues:
        entry = merged.setdefault(str(row["issue"]), {
            "action": row["issue"], "label": row.get("issueLabel"),
            "kind": "significant-issue",
            "kindLabel": FOLLOW_UP_KINDS["significant-issue"], "owners": {}, "items": set(),
            "target": row.get("target"), "status": row.get("status"), "priority": None,
            "document": row.get("document"), "documentTitle": row.get("documentTitle"),
            "year": row.get("period") or row.get("documentPeriod") or row.get("documentDate"),
            "carried": None})
        if row.get("owner") is not None:
            entry["owners"][row["owner"]] = row.get("ownerLabel")
        if row.get("earlierPeriod") is not None:
            entry["carried"] = f"carried over from {row['earlierPeriod']}"
        elif entry["carried"] is None and str(row.get("carriedOver")).lower() in ("true", "1"):
            entry["carried"] = "carried over from an earlier year"
    for entry in merged.values():
        if entry["label"] is None:  # the start of the text it was read from
            quotes = runner.select(RESOURCE_SOURCES, {"resource": entry["action"]}).rows
            if quotes:
                words = str(quotes[0]["exact"]).split()
                entry["label"] = " ".join(words[:_QUOTE_WORDS]) + (
                    " ..." if len(words) > _QUOTE_WORDS else "")
    return merged


def follow_up(runner: QueryRunner, council_iri: URIRef, today: date) -> list[dict[str, Any]]:
    """One row per action, significant governance issue, recommendation or piece of
    further work: owners and items gathered, ``overdue`` when its target ended before
    ``today`` and its status does not say it is done; overdue first, then by target."""
    council = str(council_iri)
    return _follow_up(runner, page_query(runner, "follow-up", council=council).rows,
                      page_query(runner, "follow-up-issues", council=council).rows, today)


def follow_ups(runner: QueryRunner, councils: list[URIRef],
               today: date) -> dict[URIRef, list[dict[str, Any]]]:
    """:func:`follow_up` of each of ``councils``, from the two page queries run once
    for every council (``?council`` free; they project it) instead of twice a council
    (the static site; tests/api/test_site.py checks each council's rows are the same)."""
    actions = _by(runner.select(get_page_query("follow-up").text).rows, "council")
    issues = _by(runner.select(get_page_query("follow-up-issues").text).rows, "council")
    return {iri: _follow_up(runner, actions.get(iri, []), issues.get(iri, []), today)
            for iri in councils}


def _follow_up(runner: QueryRunner, actions: list[dict[str, Node]],
               issues: list[dict[str, Node]], today: date) -> list[dict[str, Any]]:
    merged: dict[str, dict[str, Any]] = {}
    for row in actions:
        key = str(row["action"])
        entry = merged.setdefault(key, {
            "action": row["action"], "label": row.get("actionLabel"),
            "kind": str(row["kind"]), "kindLabel": FOLLOW_UP_KINDS[str(row["kind"])],
            "owners": {}, "items": set(), "target": row.get("target"),
            "status": row.get("status"), "priority": row.get("priorityLabel"),
            "document": row.get("document"), "documentTitle": row.get("documentTitle"),
            "year": row.get("documentPeriod") or row.get("documentDate"), "carried": None})
        if row.get("owner") is not None:
            entry["owners"][row["owner"]] = row.get("ownerLabel")
        if row.get("notation") is not None:
            entry["items"].add(str(row["notation"]))
    merged.update(_issue_rows(runner, issues))
    for entry in merged.values():
        end = period_end(str(entry["target"])) if entry["target"] is not None else None
        done = entry["status"] is not None and bool(_DONE.search(str(entry["status"])))
        entry["overdue"] = end is not None and end < today and not done
        entry["items"] = sorted(entry["items"], key=_natural)
    return sorted(merged.values(), key=lambda e: (not e["overdue"], str(e["target"] or "~"),
                                                  e["kindLabel"], str(e["label"] or ""),
                                                  str(e["action"])))
