"""The dataset description, the dumps and the vocabulary documentation."""

from __future__ import annotations

import httpx
from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import DCAT, RDF, VOID

from govkg.graph.store import EmbeddedStore

DATASET = URIRef("https://w3id.org/govkg/dataset")


def test_void_and_dcat(client: httpx.Client, store: EmbeddedStore) -> None:
    response = client.get("/dataset", headers={"accept": "text/turtle"})
    graph = Graph().parse(data=response.text, format="turtle")
    assert (DATASET, RDF.type, VOID.Dataset) in graph and (DATASET, RDF.type, DCAT.Dataset) in graph
    assert int(graph.value(DATASET, VOID.triples)) == store.triple_count()
    dumps = set(graph.objects(DATASET, VOID.dataDump))
    assert dumps == {URIRef("https://w3id.org/govkg/dumps/govkg.trig"),
                     URIRef("https://w3id.org/govkg/dumps/govkg.nq")}
    assert graph.value(DATASET, VOID.sparqlEndpoint) == URIRef("https://w3id.org/govkg/sparql")
    subsets = set(graph.objects(DATASET, VOID.subset))
    assert URIRef("https://w3id.org/govkg/graph/document-testshire-code") in subsets
    well_known = client.get("/.well-known/void")
    assert well_known.status_code == 200 and "void:Dataset" in well_known.text
    page = client.get("/dataset", headers={"accept": "text/html"})
    assert page.status_code == 200 and "/dumps/govkg.trig" in page.text


def test_dumps_hold_every_quad(client: httpx.Client, store: EmbeddedStore) -> None:
    for name, fmt in (("govkg.trig", "trig"), ("govkg.nq", "nquads")):
        response = client.get(f"/dumps/{name}")
        assert response.status_code == 200
        dataset = Dataset()
        dataset.parse(data=response.text, format=fmt)
        assert len(dataset) == store.triple_count(), name
    assert client.get("/dumps/secrets.txt").status_code == 404


def test_vocabulary_documentation(client: httpx.Client) -> None:
    index = client.get("/docs/index.html")
    assert index.status_code == 200 and "ontology.html" in index.text
    ontology = client.get("/docs/ontology.html")
    assert ontology.status_code == 200 and "Council" in ontology.text
    assert client.get("/docs/../../etc/passwd").status_code == 404


def test_documentation_path_with_a_nul_byte_is_not_found(client: httpx.Client) -> None:
    """``%00`` made the path resolution raise, which answered 500."""
    for path in ("/docs/index.html%00", "/docs/%00", "/docs/schemes/%00x.html"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert response.json()["detail"].startswith("no documentation page")
