"""Extract the council-name sources that scripts/build_councils.py reads, from their originals.

The register's names come from two published lists, kept as small extracts in
``scripts/data/`` so that the build needs no network and a reviewer can diff them:

* ``names-mysociety.csv``: mySociety's "UK Local Authority Names and Codes" dataset
  (``data/uk_local_authorities.csv``, CC BY 4.0), which records each council's official name
  with its GSS code, start and end dates and successors, for councils past and present.
* ``names-directgov.csv``: the Directgov local-authority contact directory
  (``local_authority_contact_details.csv``, Crown copyright, Open Government Licence), the
  names councils gave for themselves in the national directory, with their home pages. It
  is keyed by SNAC code; mySociety's dataset gives each council's SNAC code, which joins
  the two.

Run it with the two originals (for example from clones of mysociety/
uk_local_authority_names_and_codes and openregister/local-authority-data, whose
``lists/local-directgov/`` keeps the directory's last published file)::

    python scripts/extract_council_names.py --mysociety uk_local_authorities.csv \\
        --directgov local_authority_contact_details.csv --mysociety-commit SHA \\
        --directgov-commit SHA

Only the columns the build uses are kept; combined authorities and the Greater London
Authority (E47, E61), which are not councils, are left out.
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
NOT_COUNCILS = ("E47", "E61")


def _snac(cell: str) -> str:
    """mySociety writes numeric SNAC codes as floats ("26.0"); the directory as "26"."""
    return cell.strip().removesuffix(".0")


def extract(mysociety: Path,
            directgov: Path) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """The two extracts' rows, sorted by GSS code."""
    with mysociety.open(encoding="utf-8", newline="") as handle:
        authorities = [r for r in csv.DictReader(handle)
                       if r["gss-code"] and not r["gss-code"].startswith(NOT_COUNCILS)]
    gss_of_code = {r["local-authority-code"]: r["gss-code"] for r in authorities}
    official = [{"gss": r["gss-code"], "official_name": " ".join(r["official-name"].split()),
                 "start_date": r["start-date"], "end_date": r["end-date"],
                 "replaced_by": "|".join(gss_of_code[c] for c in r["replaced-by"].split(",")
                                         if c in gss_of_code)}
                for r in authorities]
    gss_of_snac = {_snac(r["snac"]): r["gss-code"] for r in authorities if _snac(r["snac"])}
    # The directory's file is in ISO-8859-1 (its Makefile converts it the same way).
    with directgov.open(encoding="iso-8859-1", newline="") as handle:
        listed = [{"gss": gss_of_snac[r["SNAC Code"].strip()], "name": " ".join(r["Name"].split()),
                   "home_page": r["Home page URL"].strip()}
                  for r in csv.DictReader(handle) if r["SNAC Code"].strip() in gss_of_snac]
    return (sorted(official, key=lambda r: r["gss"]), sorted(listed, key=lambda r: r["gss"]),)


def _write(path: Path, header: str, rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write(header)
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mysociety", type=Path, required=True)
    parser.add_argument("--directgov", type=Path, required=True)
    parser.add_argument("--mysociety-commit", required=True)
    parser.add_argument("--directgov-commit", required=True)
    args = parser.parse_args(argv)
    official, listed = extract(args.mysociety, args.directgov)
    _write(DATA / "names-mysociety.csv",
           "# Official names of UK councils, past and present, with GSS codes, dates and\n"
           "# successors. Extract of mySociety, UK Local Authority Names and Codes,\n"
           "# data/uk_local_authorities.csv\n"
           "# (https://github.com/mysociety/uk_local_authority_names_and_codes, commit "
           f"{args.mysociety_commit}),\n"
           "# licence CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/). Made by\n"
           "# scripts/extract_council_names.py; do not edit by hand.\n", official)
    _write(DATA / "names-directgov.csv",
           "# The names councils gave for themselves in the Directgov local-authority directory,\n"
           "# with their home pages. Extract of local_authority_contact_details.csv as kept in\n"
           "# https://github.com/openregister/local-authority-data (lists/local-directgov/,\n"
           f"# commit {args.directgov_commit}),\n"
           "# Crown copyright, Open Government Licence v3.0; joined to GSS codes through the\n"
           "# SNAC codes of names-mysociety.csv's source. Made by\n"
           "# scripts/extract_council_names.py; do not edit.\n",
           listed)
    print(f"wrote {len(official)} official names and {len(listed)} directory names to {DATA}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
