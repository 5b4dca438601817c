# Facts derived from one council's documents, rewritten with them in the same update
# (graph/store/derived.py fills the VALUES rows, one per council, with the council and
# its derived graph, and adds the PREFIX lines from graph/namespaces.py). Each operation
# reads the union of the named graphs (GRAPH ?g) and the vocabulary closure.

# The council's governance documents: anything of a subclass of govkg:GovernanceDocument.
INSERT { GRAPH ?derived { ?council derived:hasDocument ?document } }
WHERE {
  VALUES (?council ?derived) { #councils
  }
  GRAPH ?g { ?document govkg:council ?council ; a ?type }
  GRAPH <https://w3id.org/govkg/graph/derived/vocabulary> {
    ?type derived:subClassOf govkg:GovernanceDocument }
} ;

# "The council addresses an item": a commitment of its addresses the item or one below.
INSERT { GRAPH ?derived { ?council derived:addressesItem ?item } }
WHERE {
  VALUES (?council ?derived) { #councils
  }
  GRAPH ?g { ?commitment govkg:council ?council ; a govkg:Commitment ; govkg:addresses ?addressed }
  GRAPH <https://w3id.org/govkg/graph/derived/vocabulary> { ?addressed derived:broaderOrSelf ?item }
} ;

# "The council covers an item": a commitment addresses it or a crosswalk counterpart of it.
INSERT { GRAPH ?derived { ?council derived:coversItem ?item } }
WHERE {
  VALUES (?council ?derived) { #councils
  }
  GRAPH ?g { ?commitment govkg:council ?council ; a govkg:Commitment ; govkg:addresses ?addressed }
  GRAPH <https://w3id.org/govkg/graph/derived/vocabulary> { ?addressed derived:matchOrSelf ?item }
} ;

# What the council's local code relies on: the kind of each piece of evidence it cites,
# and each post, body or role it gives a responsibility (with the code as provenance).
INSERT { GRAPH ?derived { ?statement derived:codeArrangement ?arrangement ; derived:code ?code } }
WHERE {
  VALUES (?council ?derived) { #councils
  }
  GRAPH ?g0 { ?code govkg:council ?council ; a govkg:LocalCode }
  GRAPH ?g1 { ?statement prov:wasDerivedFrom ?code }
  {
    GRAPH ?g2 { ?statement a govkg:Evidence ; govkg:evidenceKind ?arrangement }
  } UNION {
    GRAPH ?g2 { ?statement a govkg:Responsibility ; govkg:agent ?arrangement }
  } UNION {
    GRAPH ?g2 { ?statement a govkg:Responsibility ; govkg:agent ?agent }
    GRAPH ?g3 { ?agent org:role ?arrangement }
  }
} ;

# What an external review of the council found wanting: each recommendation, finding or
# failure it derives, with what it concerns.
INSERT { GRAPH ?derived { ?reviewItem derived:reviewConcerns ?arrangement ; derived:review ?review } }
WHERE {
  VALUES (?council ?derived) { #councils
  }
  GRAPH ?g0 { ?review govkg:council ?council ; a govkg:ExternalGovernanceReview }
  GRAPH ?g1 { ?reviewItem prov:wasDerivedFrom ?review ; govkg:concerns ?arrangement ; a ?type }
  FILTER(?type IN (govkg:Recommendation, govkg:Finding, govkg:Failure))
} ;

# Each statement of the code whose arrangement a review item of the same council concerns.
INSERT { GRAPH ?derived { ?statement derived:foundWantingBy ?reviewItem } }
WHERE {
  VALUES (?council ?derived) { #councils
  }
  GRAPH ?derived {
    ?reviewItem derived:reviewConcerns ?arrangement . ?statement derived:codeArrangement ?arrangement }
} ;

# What each local code of the council addresses: the items its commitments address and
# every item above them (the coverage shapes and the completeness score read this).
INSERT { GRAPH ?derived { ?code derived:codeAddresses ?item } }
WHERE {
  VALUES (?council ?derived) { #councils
  }
  GRAPH ?g0 { ?code govkg:council ?council ; a govkg:LocalCode }
  GRAPH ?g1 { ?commitment prov:wasDerivedFrom ?code ; a govkg:Commitment ; govkg:addresses ?addressed }
  GRAPH <https://w3id.org/govkg/graph/derived/vocabulary> { ?addressed derived:broaderOrSelf ?item }
} ;

# The items that share an exact or close counterpart with an item the code addresses.
INSERT { GRAPH ?derived { ?code derived:codeAddressesByCrosswalk ?item } }
WHERE {
  VALUES (?council ?derived) { #councils
  }
  GRAPH ?g0 { ?code govkg:council ?council ; a govkg:LocalCode }
  GRAPH ?g1 { ?commitment prov:wasDerivedFrom ?code ; a govkg:Commitment ; govkg:addresses ?addressed }
  GRAPH <https://w3id.org/govkg/graph/derived/vocabulary> { ?addressed derived:sharesCounterpart ?item }
}
