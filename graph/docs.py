"""HTML documentation of the ontology and of each concept scheme, made with pyLODE.

pyLODE is the maintained LODE-style generator for RDF vocabularies: its OntPub profile
documents the OWL ontology, its VocPub profile one SKOS concept scheme at a time. This
module only decides what goes on which page and writes an index that links them.
"""

from __future__ import annotations

import html
import logging
from pathlib import Path

from rdflib import RDF, SKOS, Graph, URIRef

from govkg.graph.namespaces import bind_prefixes
from govkg.graph.vocabulary import load_ontology, load_reference


def _scheme_graph(reference: Graph, scheme: URIRef) -> Graph:
    """The scheme and its concepts, as VocPub wants one scheme per document."""
    sub = Graph()
    bind_prefixes(sub.namespace_manager)
    members = {scheme, *reference.subjects(SKOS.inScheme, scheme)}
    for node in members:
        sub += reference.triples((node, None, None))
    # a framework edition is a skos:ConceptScheme through a subclass; pyLODE needs it said
    sub.add((scheme, RDF.type, SKOS.ConceptScheme))
    return sub


def scheme_slug(scheme: URIRef) -> str:
    """File name stem for a scheme's page: the last segment of its IRI."""
    return str(scheme).rstrip("/").rsplit("/", 1)[-1]


#: what pyLODE's pages need for WCAG 2.2 AA (axe-core finds these serious on its pages):
#: a language, footer text darker than its #808080 (3.9:1 on white; GOV.UK's secondary
#: text colour is 7:1), and table-of-contents links at least 24 px high (2.5.8 Target Size)
ACCESSIBLE_CSS = """<style>
#pylode > p, #pylode > p > span:not([id]) { color: #505a5f; }
#toc a { display: inline-block; min-height: 24px; min-width: 24px; line-height: 24px; }
</style>"""


def make_accessible(page: Path) -> None:
    """Give a page pyLODE wrote a language and the styles of :data:`ACCESSIBLE_CSS`
    (pyLODE has no option for either)."""
    text = page.read_text(encoding="utf-8")
    if "<html>" in text:
        text = text.replace("<html>", '<html lang="en-GB">', 1)
    text = text.replace("</head>", ACCESSIBLE_CSS + "</head>", 1)
    page.write_text(text, encoding="utf-8")


def write_docs(out: Path) -> list[Path]:
    """Write ``index.html``, ``ontology.html`` and ``schemes/<name>.html`` under ``out``."""
    from pylode import OntPub, VocPub  # imported late: pyLODE is slow to import

    logging.getLogger().setLevel(max(logging.getLogger().level, logging.WARNING))
    out.mkdir(parents=True, exist_ok=True)
    (out / "schemes").mkdir(exist_ok=True)
    written = [out / "ontology.html"]
    OntPub(load_ontology()).make_html(destination=written[0])

    reference = load_reference()
    rows = []
    for scheme in sorted(set(reference.subjects(RDF.type, SKOS.ConceptScheme)) |
                         {s for s in reference.objects(None, SKOS.inScheme)}, key=str):
        if not isinstance(scheme, URIRef):
            continue
        target = out / "schemes" / f"{scheme_slug(scheme)}.html"
        VocPub(_scheme_graph(reference, scheme)).make_html(destination=target)
        written.append(target)
        label = reference.value(scheme, SKOS.prefLabel) or scheme_slug(scheme)
        count = len(set(reference.subjects(SKOS.inScheme, scheme)))
        rows.append(f'<li><a href="schemes/{target.name}">{html.escape(str(label))}</a> '
                    f"({count} concepts)</li>")
    for page in written:
        make_accessible(page)
    index = out / "index.html"
    index.write_text(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<title>govkg vocabulary documentation</title></head><body>"
        "<h1>govkg vocabulary documentation</h1>"
        '<p><a href="ontology.html">The govkg ontology</a></p>'
        f"<h2>Concept schemes</h2><ul>{''.join(rows)}</ul></body></html>",
        encoding="utf-8",
    )
    return [index, *written]
