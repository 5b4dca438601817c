# Views of one council's documents that govkg analyze reads (queries/analytics-*.rq),
# derived with the council's other facts (graph/store/derived.py reads this file after
# council.ru, in the same form: the councils' VALUES block, then GRAPH ?derived).

# Who answers for what: each agent and the duty it answers for, one derived property per
# kind of responsibility, so that analytics-responsibilities reads one council's rows
# from its derived graph instead of three patterns over every council (375 ms for one
# council of 400). Three operations, one per form (Virtuoso's compiler fails on the
# three as one UNION): reified responsibilities ...
INSERT { GRAPH ?derived { ?agent ?fact ?duty } }
WHERE {
  VALUES (?council ?derived) { #councils
  }
  GRAPH ?g { ?responsibility govkg:responsibilityKind ?kind ; govkg:council ?council ;
               a govkg:Responsibility ; govkg:agent ?agent ; govkg:regarding ?duty }
  VALUES (?kind ?fact) {
    (rk:responsible-for derived:responsibleFor) (rk:leads derived:leads)
    (rk:monitors derived:monitors) (rk:approves derived:approves) (rk:signs derived:signs)
  }
} ;

# ... improvement actions' lead posts (they lead the action) ...
INSERT { GRAPH ?derived { ?agent derived:leads ?duty } }
WHERE {
  VALUES (?council ?derived) { #councils
  }
  GRAPH ?g { ?duty govkg:leadPost ?agent ; govkg:council ?council }
} ;

# ... and the direct responsibility properties.
INSERT { GRAPH ?derived { ?agent ?fact ?duty } }
WHERE {
  VALUES (?council ?derived) { #councils
  }
  GRAPH ?g { ?agent govkg:council ?council ; ?property ?duty }
  VALUES (?property ?fact) {
    (govkg:responsibleFor derived:responsibleFor) (govkg:leads derived:leads)
    (govkg:monitors derived:monitors) (govkg:approves derived:approves)
    (govkg:signs derived:signs)
  }
}
