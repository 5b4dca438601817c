"""One prefix source: every prefix a named query, a derivation update or a shape
declares means what ``graph/namespaces.py`` says it means, so a prefix never names two
namespaces in two places (the derivation updates get theirs from namespaces.py itself)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.namespace import SH

from govkg.graph import paths
from govkg.graph.namespaces import PREFIXES
from govkg.graph.store.derived import derivation_dir

_PREFIX = re.compile(r"(?im)^\s*PREFIX\s+([A-Za-z][\w-]*)?:\s*<([^>]*)>")
SPARQL_FILES = [*paths.data_files(paths.queries_dir(), ".rq"),
                *paths.data_files(derivation_dir(), ".ru")]


@pytest.mark.parametrize("path", SPARQL_FILES, ids=lambda p: p.name)
def test_query_prefixes_are_the_ones_namespaces_py_declares(path: Path) -> None:
    declared = dict(_PREFIX.findall(path.read_text(encoding="utf-8")))
    wrong = {name: iri for name, iri in declared.items()
             if name not in PREFIXES or str(PREFIXES[name]) != iri}
    assert wrong == {}, f"add these to graph/namespaces.py or use its prefixes: {wrong}"


def test_shape_prefixes_are_the_ones_namespaces_py_declares() -> None:
    shapes = Graph().parse(paths.shapes_dir() / "prefixes.ttl")
    declared = {str(shapes.value(d, SH.prefix)): str(shapes.value(d, SH.namespace))
                for d in shapes.objects(None, SH.declare)}
    assert declared and all(str(PREFIXES[name]) == iri for name, iri in declared.items())


def test_derivation_updates_take_their_prefixes_from_namespaces_py() -> None:
    from govkg.graph.store.derived import Derivation

    update = Derivation(vocabulary=True).update([])
    assert dict(_PREFIX.findall(update)) == {n: str(ns) for n, ns in PREFIXES.items()}
