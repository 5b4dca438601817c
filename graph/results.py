"""Serialising query results: the W3C SPARQL result formats and RDF syntaxes.

One table of formats (as rdflib-endpoint keeps its content types as data), used by the
CLI's ``--format`` and by the web service's content negotiation alike.

- SELECT / ASK: SPARQL 1.1 Query Results JSON, XML, CSV and TSV;
- CONSTRUCT / DESCRIBE: Turtle, N-Triples, JSON-LD, RDF/XML, TriG (rdflib serialisers).
"""

from __future__ import annotations

import csv
import io
import json
from xml.sax.saxutils import escape, quoteattr

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.term import Node

from govkg.graph.namespaces import bind_prefixes
from govkg.graph.store import QueryResult, SelectResult

#: format name -> media type, for tabular results (SELECT and ASK)
TABULAR_FORMATS = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
#: format name -> (media type, rdflib serialiser), for graph results (CONSTRUCT, DESCRIBE)
GRAPH_FORMATS = {
    "turtle": ("text/turtle", "turtle"),
    "ntriples": ("application/n-triples", "nt"),
    "jsonld": ("application/ld+json", "json-ld"),
    "rdfxml": ("application/rdf+xml", "xml"),
    "trig": ("application/trig", "trig"),
}


def _json_term(term: Node) -> dict[str, str]:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    assert isinstance(term, Literal)
    out = {"type": "literal", "value": str(term)}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype is not None:
        out["datatype"] = str(term.datatype)
    return out


def _xml_term(term: Node) -> str:
    if isinstance(term, URIRef):
        return f"<uri>{escape(str(term))}</uri>"
    if isinstance(term, BNode):
        return f"<bnode>{escape(str(term))}</bnode>"
    assert isinstance(term, Literal)
    attrs = ""
    if term.language:
        attrs = f" xml:lang={quoteattr(term.language)}"
    elif term.datatype is not None:
        attrs = f" datatype={quoteattr(str(term.datatype))}"
    return f"<literal{attrs}>{escape(str(term))}</literal>"


def _tsv_term(term: Node | None) -> str:
    if term is None:
        return ""
    if isinstance(term, Literal) and term.datatype is None and not term.language:
        text = str(term)
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")\
            .replace("\t", "\\t") + '"'
    return term.n3()


def serialize_tabular(result: SelectResult | bool, fmt: str) -> str:
    """A SELECT result or ASK answer in one of :data:`TABULAR_FORMATS`."""
    if fmt == "json":
        if isinstance(result, bool):
            return json.dumps({"head": {}, "boolean": result})
        return json.dumps({"head": {"vars": result.variables}, "results": {"bindings": [
            {v: _json_term(t) for v, t in row.items()} for row in result.rows]}})
    if fmt == "xml":
        head = '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
        if isinstance(result, bool):
            return f"{head}<head/><boolean>{str(result).lower()}</boolean></sparql>\n"
        variables = "".join(f"<variable name={quoteattr(v)}/>" for v in result.variables)
        rows = "".join(
            "<result>" + "".join(f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>"
                                 for v, t in row.items()) + "</result>"
            for row in result.rows)
        return f"{head}<head>{variables}</head><results>{rows}</results></sparql>\n"
    if fmt in ("csv", "tsv"):
        if isinstance(result, bool):
            return f"_askResult\n{str(result).lower()}\n"
        buffer = io.StringIO()
        if fmt == "csv":
            writer = csv.writer(buffer, lineterminator="\r\n")
            writer.writerow(result.variables)
            for row in result.rows:
                writer.writerow(["" if row.get(v) is None else str(row[v])
                                 for v in result.variables])
        else:
            buffer.write("\t".join(f"?{v}" for v in result.variables) + "\n")
            for row in result.rows:
                buffer.write("\t".join(_tsv_term(row.get(v)) for v in result.variables) + "\n")
        return buffer.getvalue()
    raise ValueError(f"unknown result format {fmt!r}")


def serialize_graph(graph: Graph, fmt: str) -> str:
    """A CONSTRUCT or DESCRIBE result in one of :data:`GRAPH_FORMATS`."""
    _, serializer = GRAPH_FORMATS[fmt]
    if serializer == "trig":
        dataset = Dataset()
        bind_prefixes(dataset.namespace_manager)
        dataset.default_graph += graph  # type: ignore[operator]
        return dataset.serialize(format="trig")
    bind_prefixes(graph.namespace_manager)
    return graph.serialize(format=serializer)


def serialize(result: QueryResult, fmt: str) -> str:
    """Any result in ``fmt``; tabular formats for SELECT/ASK, RDF ones for graphs."""
    if isinstance(result, Graph):
        return serialize_graph(result, fmt)
    return serialize_tabular(result, fmt)
