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

# The governance topics each responsibility of the council is about (queries/topic-owners.rq):
# a topic it regards itself ...
INSERT { GRAPH ?derived { ?responsibility derived:regardingTopic ?topic } }
WHERE {
  VALUES (?council ?derived) { #councils
  }
  GRAPH ?g0 { ?responsibility govkg:council ?council }
  GRAPH ?g1 { ?responsibility govkg:regarding ?topic }
  GRAPH ?g2 { ?topic a govkg:GovernanceTopic }
} ;

# ... or a topic that something it regards is tagged with. The query then starts from the
# topic's responsibilities, where a UNION of the two made it read every council's.
INSERT { GRAPH ?derived { ?responsibility derived:regardingTopic ?topic } }
WHERE {
  VALUES (?council ?derived) { #councils
  }
  GRAPH ?g0 { ?responsibility govkg:council ?council }
  GRAPH ?g1 { ?responsibility govkg:regarding ?about }
  GRAPH ?g2 { ?about govkg:topic ?topic }
  GRAPH ?g3 { ?topic a govkg:GovernanceTopic }
} ;

# What each responsibility of the council regards that is about its annual governance
# statement (queries/ags-responsibilities.rq): a statement, something of the statement's
# evidence kind, or the evidence kind itself. The query then starts from these few, where
# the responsibility's own patterns made the engine start from every council's. One rule
# with a UNION: each of three rules read every resource of the councils again (0.55 s
# each at 400 councils, 0.63 s for the one).
INSERT { GRAPH ?derived { ?responsibility derived:regardingStatement ?about } }
WHERE {
  VALUES (?council ?derived) { #councils
  }
  GRAPH ?g0 { ?responsibility govkg:council ?council }
  GRAPH ?g1 { ?responsibility govkg:regarding ?about }
  { GRAPH ?g2 { ?about a govkg:AnnualGovernanceStatement } }
  UNION
  { GRAPH ?g2 { ?about govkg:evidenceKind <https://w3id.org/govkg/id/evidence-kind/annual-governance-statement> } }
  UNION
  { VALUES ?about { <https://w3id.org/govkg/id/evidence-kind/annual-governance-statement> } }
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
} ;

# open-recommendations-by-owner: what the council has to follow up, its recommendations,
# significant governance issues and improvement actions. The query starts from these (from
# the councils of a page), where it started from every council's things of the three types
# (a VALUES table of three rows is smaller than a page's four councils, so the engine began
# there), or from every resource of each council. The thing is the subject: as an object
# it could be a literal to the engine, which then joined two OPTIONALs by hashing.
INSERT { GRAPH ?derived { ?thing derived:followUpOf ?council } }
WHERE {
  VALUES (?council ?derived) { #councils
  }
  VALUES ?type { govkg:Recommendation govkg:SignificantGovernanceIssue govkg:ImprovementAction }
  GRAPH ?g0 { ?thing a ?type }
  GRAPH ?g1 { ?thing govkg:council ?council }
} ;

# The failures external reviews name in the council (queries/review-failures.rq) and, in
# the next operation, the recommendations they make to it (queries/review-recommendations.rq):
# each query starts from these, where the type and the council made a page read council by
# council look through every resource of each council (about 180) for its few.
INSERT { GRAPH ?derived { ?council derived:hasFailure ?failure } }
WHERE {
  VALUES (?council ?derived) { #councils
  }
  GRAPH ?g0 { ?failure govkg:council ?council }
  GRAPH ?g1 { ?failure a govkg:Failure }
} ;

# The recommendations external reviews make to the council.
INSERT { GRAPH ?derived { ?council derived:hasRecommendation ?recommendation } }
WHERE {
  VALUES (?council ?derived) { #councils
  }
  GRAPH ?g0 { ?recommendation govkg:council ?council }
  GRAPH ?g1 { ?recommendation a govkg:Recommendation }
} ;

# The council's self-assessment results (queries/lowest-scoring-items.rq): its first page
# binds a few councils with a score at a time, and from the result's type and council each
# council was a look through all its resources (about 180) for its 30 results.
INSERT { GRAPH ?derived { ?council derived:hasSelfAssessmentResult ?result } }
WHERE {
  VALUES (?council ?derived) { #councils
  }
  GRAPH ?g0 { ?result govkg:council ?council }
  GRAPH ?g1 { ?result a govkg:SelfAssessmentResult }
} ;

# assurance-gaps (queries/assurance-gaps.rq): one node per gap, holding all the query shows,
# so that a council (bound, or a page's few) reaches its gaps by one lookup of
# derived:gapCouncil and follows a dozen properties from each. When every council's gaps
# were joined by scanning each property (880 gaps at 400 councils, 4,400 at 2,000), one
# council cost 29.8 ms and a first page 422 ms at 2,000. A gap is a statement of the
# council's code and an adverse item of its external review (a recommendation, a failure,
# or a finding of a weakness) concerning the same arrangement, with the item's type, the
# review and the code.
INSERT { GRAPH ?derived { ?gap derived:gapCouncil ?council ; derived:gapStatement ?statement ;
    derived:gapReviewItem ?reviewItem ; derived:gapArrangement ?arrangement ;
    derived:gapItemType ?type ; derived:gapReview ?review ; derived:gapCode ?code } }
WHERE {
  VALUES (?council ?derived) { #councils
  }
  GRAPH ?derived {
    ?statement derived:foundWantingBy ?reviewItem ; derived:codeArrangement ?arrangement ;
        derived:code ?code .
    ?reviewItem derived:reviewConcerns ?arrangement ; derived:review ?review }
  GRAPH ?g0 { ?reviewItem a ?type }
  FILTER(?type IN (govkg:Recommendation, govkg:Failure)
         || (?type = govkg:Finding
             && EXISTS { GRAPH ?g1 { ?reviewItem govkg:polarity <https://w3id.org/govkg/id/polarity/weakness> } }))
  BIND(IRI(CONCAT("https://w3id.org/govkg/id/gap/", MD5(CONCAT(STR(?council), " ",
       STR(?statement), " ", STR(?reviewItem), " ", STR(?arrangement), " ", STR(?type), " ",
       STR(?review), " ", STR(?code))))) AS ?gap)
} ;

# ... each side's first line and one quote, on the gap: the first line of the statement's
# (or review item's) spans and a SAMPLE of their quotes, taken per resource as the query
# took them before these facts (from each resource its spans, lines, selectors and quotes
# in the store's order, so the same quote of a resource with several spans). The subquery
# reads only the written councils' gaps: its own VALUES block (a subquery does not see the
# one outside it) is filled with the same councils.
INSERT { GRAPH ?derived { ?gap ?lineProperty ?line ; ?quoteProperty ?quote } }
WHERE {
  VALUES (?council ?derived) { #councils
  }
  VALUES (?side ?lineProperty ?quoteProperty) {
    (derived:gapStatement derived:gapCodeLine derived:gapCodeQuote)
    (derived:gapReviewItem derived:gapReviewLine derived:gapReviewQuote) }
  GRAPH ?derived { ?gap ?side ?resource }
  { SELECT ?resource (MIN(?line0) AS ?line) (SAMPLE(?quote0) AS ?quote) {
      VALUES (?council ?derived) { #councils
      }
      VALUES ?side { derived:gapStatement derived:gapReviewItem }
      GRAPH ?derived { ?gap ?side ?resource }
      GRAPH ?g0 { ?resource govkg:source ?span }
      GRAPH ?g1 { ?span govkg:startLine ?line0 }
      GRAPH ?g2 { ?span oa:hasSelector ?selector }
      GRAPH ?g3 { ?selector oa:exact ?quote0 }
    } GROUP BY ?resource }
} ;

# ... and the labels of its review item, its statement (rdfs:label) and its arrangement
# (skos:prefLabel), copied for the gap: the query's OPTIONAL labels are then one lookup
# from the gap, where an OPTIONAL on rdfs:label made Oxigraph read every label in the
# store, and a label copied for a shared arrangement (an evidence kind) sat in every
# council's derived graph that cites it.
INSERT { GRAPH ?derived { ?gap ?labelProperty ?label } }
WHERE {
  VALUES (?council ?derived) { #councils
  }
  VALUES (?side ?property ?labelProperty) {
    (derived:gapReviewItem rdfs:label derived:gapReviewItemLabel)
    (derived:gapStatement rdfs:label derived:gapCodeEvidenceLabel)
    (derived:gapArrangement skos:prefLabel derived:gapArrangementLabel) }
  GRAPH ?derived { ?gap ?side ?resource }
  GRAPH ?g { ?resource ?property ?label }
}
 ;

# analytics-features: the kinds of evidence the council's documents cite and the functions
# of its bodies, one fact from the council each. The query reads them as one scan of each
# property (or one lookup from a bound council), where it joined every resource of every
# council to its type and council, three lookups a row (290 ms at 400 councils).
INSERT { GRAPH ?derived { ?council ?fact ?feature } }
WHERE {
  VALUES (?council ?derived) { #councils
  }
  VALUES (?type ?property ?fact) {
    (govkg:Evidence govkg:evidenceKind derived:evidenceKindFeature)
    (govkg:Body govkg:hasFunction derived:bodyFunctionFeature)
  }
  GRAPH ?g0 { ?resource govkg:council ?council }
  GRAPH ?g1 { ?resource a ?type }
  GRAPH ?g2 { ?resource ?property ?feature }
} ;

# analytics-scope: what each commitment, self-assessment result, improvement action and
# piece of further work of the council addresses or assesses, copied into its derived
# graph, and (next operation) the council itself there (derived:scopeCouncil), which
# names the graph. The query reads each council's graph in one scan, where it looked up
# the council and the type of each of the 36,000 addressing or assessing facts of 400
# councils (2.5 s).
INSERT { GRAPH ?derived { ?node ?fact ?item } }
WHERE {
  VALUES (?council ?derived) { #councils
  }
  VALUES ?type { govkg:Commitment govkg:SelfAssessmentResult govkg:ImprovementAction
                 govkg:FurtherWork }
  VALUES (?property ?fact) {
    (govkg:addresses derived:scopeAddresses) (govkg:assesses derived:scopeAssesses)
  }
  GRAPH ?g0 { ?node govkg:council ?council }
  GRAPH ?g1 { ?node a ?type }
  GRAPH ?g2 { ?node ?property ?item }
} ;

# ... and the council, in the graph that holds its scope facts.
INSERT { GRAPH ?derived { ?council derived:scopeCouncil ?council } }
WHERE {
  VALUES (?council ?derived) { #councils
  }
  GRAPH ?derived { ?node derived:scopeAddresses|derived:scopeAssesses ?item }
}
 ;

# statutory-officers: the posts of the council that hold a statutory role, from one node
# per council and role (https://w3id.org/govkg/id/statutory-post/<md5>, named by an MD5
# of the two IRIs, which the query computes for each council and role). The query looks
# the node up once per council and role, where it read each of the council's posts
# (18,000 at 400 councils) for each of the three roles to check the post's role.
INSERT { GRAPH ?derived { ?slot derived:statutoryPost ?post } }
WHERE {
  VALUES (?council ?derived) { #councils
  }
  GRAPH ?g0 { ?post org:postIn ?council }
  GRAPH ?g1 { ?post org:role ?role }
  GRAPH ?g2 { ?role a govkg:StatutoryRole }
  BIND(IRI(CONCAT("https://w3id.org/govkg/id/statutory-post/",
                  MD5(CONCAT(STR(?council), " ", STR(?role))))) AS ?slot)
}
