"""Stored validation reports of two runs, compared (issue 17: a faster validation must
give the same reports).

    python -m bench.validation.compare dump STORE OUT.jsonl   # every stored report
    python -m bench.validation.compare diff BEFORE.jsonl AFTER.jsonl

``dump`` writes each report graph's key and report JSON, one JSON array a line, from a
store left by ``bench.validation.run --keep DIR`` (``DIR/store-N``). ``diff`` checks that
both dumps hold the same councils under the same keys, and for each council the same
label, conformance, coverage and findings, and SHACL result graphs that are isomorphic
(their blank-node labels differ from one validation to the next, so the texts never
match byte for byte); it exits 1 at the first difference. Findings are compared as a
multiset, and the order of each side is reported: before this branch, findings with the
same message were in the engine's output order.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from rdflib.compare import isomorphic

from govkg.graph import validation
from govkg.graph.readonly import open_read_only
from govkg.graph.validation import CouncilReport, Finding

FindingKey = tuple[str, str, str, str, str, str, str]


def dump(store_dir: Path, out: Path) -> int:
    """Write every stored report of the store in ``store_dir``; the number written."""
    store = open_read_only(str(store_dir))
    count = 0
    with out.open("w", encoding="utf-8") as lines:
        for row in store.query(validation._STORED):  # type: ignore[union-attr]
            lines.write(json.dumps([row["g"].value, row["key"].value, row["report"].value]) + "\n")
            count += 1
    return count


def _key(finding: Finding) -> FindingKey:
    """A finding, a blank-node shape's label aside."""
    return (finding.severity, finding.message, finding.focus, finding.path or "",
            finding.value or "", finding.component,
            finding.shape if (finding.shape or "").startswith("http") else "_")


def _load(path: Path) -> dict[str, tuple[str, str]]:
    with path.open(encoding="utf-8") as lines:
        return {graph: (key, report) for graph, key, report in map(json.loads, lines)}


def diff(before_path: Path, after_path: Path) -> str:
    """What the two dumps share, or an AssertionError naming the first difference."""
    before, after = _load(before_path), _load(after_path)
    assert set(before) == set(after), f"{len(before)} reports against {len(after)}"
    same_order = findings = 0
    for graph in sorted(before):
        (key_a, text_a), (key_b, text_b) = before[graph], after[graph]
        assert key_a == key_b, f"{graph}: another key"
        a, b = CouncilReport.from_json(text_a), CouncilReport.from_json(text_b)
        assert (a.council, a.label, a.conforms) == (b.council, b.label, b.conforms), graph
        assert Counter(map(_key, a.findings)) == Counter(map(_key, b.findings)), \
            f"{graph}: other findings"
        assert [(p.notation, p.label, p.items, p.addressed) for p in a.coverage] == \
            [(p.notation, p.label, p.items, p.addressed) for p in b.coverage], \
            f"{graph}: other coverage"
        assert isomorphic(a.results, b.results), f"{graph}: result graphs not isomorphic"
        same_order += [_key(f) for f in a.findings] == [_key(f) for f in b.findings]
        findings += len(a.findings)
    return (f"{len(before)} reports, {findings} findings: the same keys, labels, "
            f"conformance, coverage and findings; every result graph isomorphic; "
            f"findings in the same order in {same_order} of {len(before)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    dumping = commands.add_parser("dump", help="write a store's stored reports")
    dumping.add_argument("store", type=Path)
    dumping.add_argument("out", type=Path)
    comparing = commands.add_parser("diff", help="compare two dumps")
    comparing.add_argument("before", type=Path)
    comparing.add_argument("after", type=Path)
    args = parser.parse_args(argv)
    if args.command == "dump":
        print(f"{dump(args.store, args.out)} reports written to {args.out}")
        return 0
    try:
        print(diff(args.before, args.after))
    except AssertionError as difference:
        print(f"different: {difference}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
