"""Validating a draft sent to ``POST /validate``: run inside a worker process.

A draft is a client's document: parsing and validating it can take long (a 600 KB draft
took 19 s of CPU), and its syntax could ask a parser to fetch something. So the route
hands the body to a worker (:mod:`govkg.api.worker`), where the service's time limit can
stop it and the network is off, and this module does the work there: the safety checks
of :mod:`govkg.graph.safeparse`, then ``govkg validate``'s own code, rendered in the
negotiated format. No web framework is imported here.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from rdflib import Dataset, Graph

from govkg.graph.rdfio import parse_graph
from govkg.graph.reports import report_html, report_json, report_turtle
from govkg.graph.safeparse import check_body
from govkg.graph.validation import validate_file

#: media type of a draft -> the file suffix govkg's parsers read it by
DRAFT_TYPES = {"text/turtle": ".ttl", "application/x-turtle": ".ttl",
               "application/trig": ".trig", "application/x-trig": ".trig",
               "application/ld+json": ".jsonld", "application/n-triples": ".nt",
               "application/n-quads": ".nq", "application/rdf+xml": ".rdf"}


def merged(path: Path) -> Path:
    """A TriG or N-Quads draft as one Turtle graph beside it: a draft is validated as the
    merge of its graphs (``validate_file`` reads quads files as one graph too, but its
    merge of a dataset fails on rdflib 7)."""
    dataset = parse_graph(path)
    graph = Graph()
    for quad in dataset.quads() if isinstance(dataset, Dataset) else ():
        graph.add(quad[:3])
    if not isinstance(dataset, Dataset):
        graph += dataset
    target = path.with_suffix(".ttl")
    graph.serialize(destination=target, format="turtle")
    return target


def validate_body(media: str, body: bytes, format: str, title: str) -> bytes:
    """The SHACL report of a draft in ``format`` ("json", "turtle" or "html")."""
    check_body(media, body)
    with tempfile.TemporaryDirectory(prefix="govkg-draft-") as folder:
        path = Path(folder) / f"draft{DRAFT_TYPES[media]}"
        path.write_bytes(body)
        if path.suffix in (".trig", ".nq"):
            path = merged(path)
        reports = validate_file(path)
    if format == "json":
        text = report_json(reports)
    elif format == "turtle":
        text = report_turtle(reports)
    else:
        text = report_html(reports, title=title)
    return text.encode("utf-8")
