"""Content negotiation as data: which formats each kind of result has, and how to pick one.

The media types are :mod:`govkg.graph.results`' tables (the CLI's ``--format`` uses the
same), plus HTML for people. A ``format`` parameter wins over the Accept header, as
rdflib-endpoint and most SPARQL servers allow; the Accept header is parsed by
python-mimeparse (quality values, wildcards).

>>> choose("select", "text/csv;q=0.9, application/sparql-results+xml")
Choice(name='xml', media_type='application/sparql-results+xml')
>>> choose("graph", None, format="ttl")
Choice(name='turtle', media_type='text/turtle')
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import mimeparse

from govkg.api.errors import NotAcceptable
from govkg.graph.results import GRAPH_FORMATS, TABULAR_FORMATS

HTML = "text/html"

#: result kind -> format name -> media type, most preferred first
TABLES: dict[str, dict[str, str]] = {
    "select": {**TABULAR_FORMATS, "html": HTML},
    "ask": {**TABULAR_FORMATS, "html": HTML},
    "graph": {**{name: media for name, (media, _) in GRAPH_FORMATS.items()}, "html": HTML},
    # a validation report: JSON for programs, Turtle for RDF tools, HTML for people
    "report": {"json": "application/json", "turtle": "text/turtle", "html": HTML},
}

#: other names people and clients use for the same formats, per kind
ALIASES: dict[str, dict[str, str]] = {
    "select": {"srj": "json", "srx": "xml", "application/json": "json",
               "application/xml": "xml"},
    "graph": {"ttl": "turtle", "nt": "ntriples", "json-ld": "jsonld", "json": "jsonld",
              "xml": "rdfxml", "rdf": "rdfxml", "application/json": "jsonld",
              "application/xml": "rdfxml", "text/plain": "ntriples"},
    "report": {"ttl": "turtle"},
}
ALIASES["ask"] = ALIASES["select"]

#: media types some clients send that mean one of ours (rdflib's SPARQLStore asks
#: for application/sparql-results+xml; JSON clients ask for application/json)
EXTRA_MEDIA: dict[str, dict[str, str]] = {
    "select": {"application/json": "json", "application/xml": "xml"},
    "graph": {"application/json": "jsonld", "application/xml": "rdfxml",
              "text/plain": "ntriples", "application/x-trig": "trig",
              "text/n3": "turtle"},
    "report": {},
}
EXTRA_MEDIA["ask"] = EXTRA_MEDIA["select"]


@dataclass(frozen=True)
class Choice:
    """The chosen format: its name (for the serialisers) and media type."""

    name: str
    media_type: str

    @property
    def content_type(self) -> str:
        """The Content-Type header value (text types say their charset)."""
        if self.media_type.startswith("text/") or self.media_type.endswith("+json"):
            return f"{self.media_type}; charset=utf-8"
        return self.media_type


def format_names(kind: str) -> list[str]:
    """Every name ``format=`` accepts for ``kind``, for messages and OpenAPI enums."""
    return [*TABLES[kind], *ALIASES.get(kind, {})]


def choose(kind: str, accept: str | None, *, format: str | None = None,
           html: bool = True) -> Choice:
    """Pick the format for a result of ``kind`` ("select", "ask", "graph", "report").

    ``format`` (a name, alias or media type) wins; else the Accept header; else the
    kind's first format. Raises :class:`NotAcceptable` (406) when nothing fits.
    """
    chosen = _choose(kind, accept, format, html)
    if isinstance(chosen, str):  # a refusal: a new exception each time, with its own trace
        raise NotAcceptable(chosen)
    return chosen


# remembered: every request negotiates each form it may answer (three for a query), and
# python-mimeparse parses the header and rates every offer each time (0.3 ms a request);
# clients send the same few headers. Refusals are remembered too, as their message: a
# named query's client that asks for SPARQL results is refused a graph on every request.
@functools.lru_cache(maxsize=256)
def _choose(kind: str, accept: str | None, format: str | None, html: bool) -> Choice | str:
    """:func:`choose`'s answer: the choice, or why nothing fits."""
    table = dict(TABLES[kind])
    if not html:
        table.pop("html", None)
    if format:
        name = ALIASES.get(kind, {}).get(format, format)
        name = {media: n for n, media in table.items()}.get(name, name)
        if name not in table:
            return (f"format {format!r} is not available for this result; "
                    f"use one of {', '.join(table)}")
        return Choice(name, table[name])
    if not accept or not accept.strip():
        name = next(iter(table))
        return Choice(name, table[name])
    offered = {media: name for name, media in table.items()}
    for media, name in EXTRA_MEDIA.get(kind, {}).items():
        offered.setdefault(media, name)
    # python-mimeparse breaks ties in favour of the *last* offer: list the default last,
    # and HTML first, so that "*/*" gets the default and only a browser gets HTML.
    names = list(table)
    order = [m for m in offered if offered[m] == "html"]
    order += [m for m in reversed(list(offered)) if offered[m] not in ("html", names[0])]
    order += [m for m in offered if offered[m] == names[0]][::-1]
    try:
        best = mimeparse.best_match(order, accept)
    except (mimeparse.MimeTypeParseException, ValueError, IndexError):
        best = table[names[0]]  # a malformed header is read as "anything"
    if not best:
        return (f"none of the media types in the Accept header is available; "
                f"this result comes as {', '.join(table.values())}")
    name = offered[best]
    return Choice(name, table[name])
