# Closure of the vocabulary, written to its own graph when the ontology or the reference
# data changes (graph/store/derived.py adds the PREFIX lines from graph/namespaces.py).
# Each operation reads the union of the named graphs (GRAPH ?g) and writes
# <https://w3id.org/govkg/graph/derived/vocabulary>; later operations read earlier ones.

# The reflexive-transitive closure of skos:broader, for every concept in a scheme: the
# concept itself, then one step up per operation, along links in a graph that puts the
# concept in a scheme. Not skos:broader*: Virtuoso refuses a transitive path whose ends
# are both unbound. Four steps: the frameworks are two deep, and
# tests/graph/test_derived.py checks that the last step adds nothing (so the closure is
# whole) and that it equals what skos:broader* gives on Oxigraph.
INSERT { GRAPH <https://w3id.org/govkg/graph/derived/vocabulary> { ?x derived:broaderOrSelf ?x } }
WHERE { GRAPH ?g { ?x skos:inScheme ?scheme } } ;
INSERT { GRAPH <https://w3id.org/govkg/graph/derived/vocabulary> { ?x derived:broaderOrSelf ?z } }
WHERE {
  GRAPH <https://w3id.org/govkg/graph/derived/vocabulary> { ?x derived:broaderOrSelf ?y }
  GRAPH ?g { ?y skos:broader ?z . ?x skos:inScheme ?scheme }
} ;
INSERT { GRAPH <https://w3id.org/govkg/graph/derived/vocabulary> { ?x derived:broaderOrSelf ?z } }
WHERE {
  GRAPH <https://w3id.org/govkg/graph/derived/vocabulary> { ?x derived:broaderOrSelf ?y }
  GRAPH ?g { ?y skos:broader ?z . ?x skos:inScheme ?scheme }
} ;
INSERT { GRAPH <https://w3id.org/govkg/graph/derived/vocabulary> { ?x derived:broaderOrSelf ?z } }
WHERE {
  GRAPH <https://w3id.org/govkg/graph/derived/vocabulary> { ?x derived:broaderOrSelf ?y }
  GRAPH ?g { ?y skos:broader ?z . ?x skos:inScheme ?scheme }
} ;
INSERT { GRAPH <https://w3id.org/govkg/graph/derived/vocabulary> { ?x derived:broaderOrSelf ?z } }
WHERE {
  GRAPH <https://w3id.org/govkg/graph/derived/vocabulary> { ?x derived:broaderOrSelf ?y }
  GRAPH ?g { ?y skos:broader ?z . ?x skos:inScheme ?scheme }
} ;

# Each concept's core principle(s) (a core principle is its own).
INSERT { GRAPH <https://w3id.org/govkg/graph/derived/vocabulary> { ?x derived:principle ?p } }
WHERE {
  GRAPH <https://w3id.org/govkg/graph/derived/vocabulary> { ?x derived:broaderOrSelf ?p }
  GRAPH ?g { ?p a govkg:CorePrinciple }
} ;

# The lowest-level items below each core principle (items nothing is narrower than),
# above the 2016 behaviours and actions: those illustrate a sub-principle, and the
# reference data holds only some of them, so coverage counts sub-principles (and 2007
# requirements).
INSERT { GRAPH <https://w3id.org/govkg/graph/derived/vocabulary> { ?p derived:leaf ?leaf } }
WHERE {
  GRAPH <https://w3id.org/govkg/graph/derived/vocabulary> { ?leaf derived:principle ?p }
  FILTER(?leaf != ?p)
  MINUS { GRAPH ?g0 { ?leaf a govkg:BehaviourAndAction } }
  MINUS { GRAPH ?g { ?child skos:broader ?leaf }
          MINUS { GRAPH ?g1 { ?child a govkg:BehaviourAndAction } } }
} ;

# An item and its crosswalk counterparts (exact, close, broad or narrow match, either way).
# (The item itself, then its counterparts: not a "(...)?" path, which Virtuoso refuses
# as a transitive one.)
INSERT { GRAPH <https://w3id.org/govkg/graph/derived/vocabulary> { ?x derived:matchOrSelf ?x } }
WHERE { GRAPH ?g { ?x skos:inScheme ?scheme } } ;
INSERT { GRAPH <https://w3id.org/govkg/graph/derived/vocabulary> { ?x derived:matchOrSelf ?y } }
WHERE {
  GRAPH ?g { ?x skos:inScheme ?scheme ; (skos:exactMatch|skos:closeMatch|skos:broadMatch
      |skos:narrowMatch|^skos:exactMatch|^skos:closeMatch|^skos:broadMatch|^skos:narrowMatch) ?y }
} ;

# A behaviour or action that a commitment restates counts for its sub-principle.
INSERT { GRAPH <https://w3id.org/govkg/graph/derived/vocabulary> { ?x derived:matchOrSelf ?parent } }
WHERE {
  GRAPH ?g { ?x a govkg:BehaviourAndAction ; skos:broader ?parent }
} ;

# What an item counts towards: itself and every item above it, and through the crosswalk,
# every item above a counterpart of it or of an item above it.
INSERT { GRAPH <https://w3id.org/govkg/graph/derived/vocabulary> { ?x derived:countsTowards ?y } }
WHERE {
  GRAPH <https://w3id.org/govkg/graph/derived/vocabulary> {
    ?x derived:broaderOrSelf ?a . ?a derived:matchOrSelf ?b . ?b derived:broaderOrSelf ?y }
} ;

# The proper subclasses of every class (rdfs:subClassOf+), one step per operation as
# above (the ontology is two deep; the same test checks the last step adds nothing).
INSERT { GRAPH <https://w3id.org/govkg/graph/derived/vocabulary> { ?sub derived:subClassOf ?super } }
WHERE { GRAPH ?g { ?sub rdfs:subClassOf ?super } } ;
INSERT { GRAPH <https://w3id.org/govkg/graph/derived/vocabulary> { ?sub derived:subClassOf ?super } }
WHERE {
  GRAPH <https://w3id.org/govkg/graph/derived/vocabulary> { ?sub derived:subClassOf ?middle }
  GRAPH ?g { ?middle rdfs:subClassOf ?super . ?sub rdfs:subClassOf ?any }
} ;
INSERT { GRAPH <https://w3id.org/govkg/graph/derived/vocabulary> { ?sub derived:subClassOf ?super } }
WHERE {
  GRAPH <https://w3id.org/govkg/graph/derived/vocabulary> { ?sub derived:subClassOf ?middle }
  GRAPH ?g { ?middle rdfs:subClassOf ?super . ?sub rdfs:subClassOf ?any }
} ;
INSERT { GRAPH <https://w3id.org/govkg/graph/derived/vocabulary> { ?sub derived:subClassOf ?super } }
WHERE {
  GRAPH <https://w3id.org/govkg/graph/derived/vocabulary> { ?sub derived:subClassOf ?middle }
  GRAPH ?g { ?middle rdfs:subClassOf ?super . ?sub rdfs:subClassOf ?any }
} ;
INSERT { GRAPH <https://w3id.org/govkg/graph/derived/vocabulary> { ?sub derived:subClassOf ?super } }
WHERE {
  GRAPH <https://w3id.org/govkg/graph/derived/vocabulary> { ?sub derived:subClassOf ?middle }
  GRAPH ?g { ?middle rdfs:subClassOf ?super . ?sub rdfs:subClassOf ?any }
} ;

# Items that share an exact or close crosswalk counterpart (two such steps, either way).
INSERT { GRAPH <https://w3id.org/govkg/graph/derived/vocabulary> { ?x derived:sharesCounterpart ?y } }
WHERE {
  { SELECT DISTINCT ?x ?g WHERE { GRAPH ?g { ?x skos:inScheme ?scheme } } }
  GRAPH ?g { ?x (skos:exactMatch|skos:closeMatch|^skos:exactMatch|^skos:closeMatch)
                /(skos:exactMatch|skos:closeMatch|^skos:exactMatch|^skos:closeMatch) ?y }
}
