"""govkg's web service (``govkg serve``): :func:`govkg.api.app.create_app` builds it.

What it answers, one router per resource (``api/routers/``):

- ``/sparql``: the SPARQL 1.1 Protocol (GET, POST form, POST direct body), results in
  every W3C format by Accept header or ``format=``; a service description without a
  query; SPARQL Update only with the write token (``GOVKG_WRITE_TOKEN``, as a Bearer token);
- ``/rdf-graph-store``: the Graph Store Protocol (writes only with the write token);
- ``/queries`` and ``/queries/{name}``: every file in ``queries/`` as a typed operation of
  the OpenAPI document (``/openapi.json``, ``/api-docs``), also as an HTML table;
- ``/councils/{slug}/validation`` and ``POST /validate``: SHACL reports (JSON, Turtle, HTML);
- ``/id/...`` and ``/def/...``: every resource IRI dereferences, HTML for people (home,
  council, framework, item pages), RDF for programs;
- ``/``, ``/query`` (YASGUI, bundled), ``/docs/`` (pyLODE), ``/dataset`` (VoID/DCAT),
  ``/dumps/govkg.trig`` and ``.nq``.

Queries run in worker processes (:mod:`govkg.api.querying`) so that the time limit
(``GOVKG_QUERY_TIMEOUT``) stops any query; ``govkg site OUT`` writes the same pages and
RDF as a static site (:mod:`govkg.api.site`).
"""
