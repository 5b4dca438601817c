"""The crosswalk between the 2007 and 2016 CIPFA/SOLACE editions as rows, and as SSSOM.

SSSOM (Simple Standard for Sharing Ontological Mappings) is the table format mapping
tools exchange; the ``sssom`` package writes and validates it, so govkg does not
hand-roll the format. It is an optional dependency (``pip install govkg[sssom]``)
because it brings pandas and LinkML with it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import RDF, SKOS, Graph, URIRef

from govkg.graph.errors import InputError
from govkg.graph.namespaces import F2007, F2016, GOVKG, ID
from govkg.graph.vocabulary import load_reference

CROSSWALK = ID["crosswalk/cipfa-solace-2007-2016"]
_CURIES = {"f07": str(F2007), "f16": str(F2016), "skos": str(SKOS),
           "semapv": "https://w3id.org/semapv/vocab/", "sssom": "https://w3id.org/sssom/"}


@dataclass(frozen=True)
class MappingRow:
    """One row of the crosswalk; ``object_id`` is None for an item with no counterpart."""

    subject_id: URIRef
    subject_label: str
    predicate_id: URIRef | None
    object_id: URIRef | None
    object_label: str
    set_relation: str
    rationale: str


def _label(graph: Graph, item: URIRef) -> str:
    return str(graph.value(item, SKOS.prefLabel) or "")


def crosswalk_rows(reference: Graph | None = None) -> list[MappingRow]:
    """Every mapping, then every item declared to have no counterpart, in IRI order."""
    graph = load_reference() if reference is None else reference
    rows = []
    for mapping in sorted(graph.subjects(GOVKG.inCrosswalk, CROSSWALK), key=str):
        source = graph.value(mapping, GOVKG.sourceItem)
        target = graph.value(mapping, GOVKG.targetItem)
        relation = graph.value(mapping, GOVKG.setRelation)
        assert isinstance(source, URIRef) and isinstance(target, URIRef)
        predicate = graph.value(mapping, GOVKG.skosRelation)
        rows.append(MappingRow(
            source, _label(graph, source), predicate if isinstance(predicate, URIRef) else None,
            target, _label(graph, target),
            str(relation).rsplit("/", 1)[-1] if relation else "",
            str(graph.value(mapping, GOVKG.rationale) or "")))
    for item, _edition in sorted(graph.subject_objects(GOVKG.hasNoCounterpartIn)):
        assert isinstance(item, URIRef)
        if (item, RDF.type, None) in graph:
            rows.append(MappingRow(item, _label(graph, item), None, None, "", "no-relation", ""))
    return rows


def _curie(iri: URIRef) -> str:
    for prefix, namespace in _CURIES.items():
        if str(iri).startswith(namespace):
            return f"{prefix}:{str(iri)[len(namespace):]}"
    return str(iri)


def write_sssom(path: Path, reference: Graph | None = None) -> int:
    """Write the crosswalk as an SSSOM TSV file; return the number of rows."""
    try:
        import pandas as pd
        from sssom.util import MappingSetDataFrame
        from sssom.writers import write_table
    except ImportError:
        raise InputError(
            "SSSOM export needs the sssom package: pip install 'govkg[sssom]'") from None
    from curies import Converter

    records = [{
        "subject_id": _curie(row.subject_id),
        "subject_label": row.subject_label,
        # SSSOM's convention for "no counterpart": object sssom:NoTermFound.
        "predicate_id": _curie(row.predicate_id) if row.predicate_id else "skos:exactMatch",
        "predicate_modifier": "" if row.object_id else "Not",
        "object_id": _curie(row.object_id) if row.object_id else "sssom:NoTermFound",
        "object_label": row.object_label,
        "mapping_justification": "semapv:ManualMappingCuration",
        "comment": row.rationale,
        "other": f"nist_ir_8477_set_relation={row.set_relation}",
    } for row in crosswalk_rows(reference)]
    frame = pd.DataFrame.from_records(records)
    msdf = MappingSetDataFrame(
        df=frame,
        converter=Converter.from_prefix_map(_CURIES),
        metadata={
            "mapping_set_id": str(CROSSWALK),
            "mapping_set_title": "CIPFA/SOLACE Delivering Good Governance: 2007 to 2016 edition",
            "license": "https://creativecommons.org/licenses/by/4.0/",
            "subject_source": str(ID["framework/cipfa-solace-2007"]),
            "object_source": str(ID["framework/cipfa-solace-2016"]),
            "mapping_tool": "govkg",
        },
    )
    with path.open("w", encoding="utf-8") as handle:
        write_table(msdf, handle)
    return len(records)
