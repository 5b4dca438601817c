"""Recognising the bodies and posts that councils' documents name, and the statutory
roles they say a post holds.

Shared by every layout so that "Governance and Audit Committee" or "Director of Law and
Governance (Monitoring Officer)" is read the same way in every document. Nothing here
invents: a post is only linked to a role where the text itself pairs them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rdflib import URIRef

from govkg.graph.importers.linking import Gazetteer

_WORD = r"[A-Z][\w'’-]*"
_JOIN = r"(?:\s+(?:and|&|of|for|of the|on|with)\s+|\s+)"
# A capitalised phrase ending in a body noun: "Governance and Audit Committee",
# "Scrutiny Panel", "Health and Wellbeing Board", "Cabinet".
_BODY = re.compile(
    rf"\b((?:{_WORD}{_JOIN}){{0,6}}?(?:Sub-Committee|Committee|Panel|Board|Commission|Forum)s?"
    rf"|(?:the\s+)?Cabinet|Full Council|County Council(?= meeting| for approval| approv)"
    rf"|Corporate Management Team|Senior Management Team"
    rf"|Chief Officers'? Group)\b")
_BODY_NOT_STARTING = re.compile(r"^(The|A|An|Our|Each|Every|All|Any|Relevant|Its|Their|This)\s+",
                                re.IGNORECASE)
# Post titles as councils write them.
_POST = (rf"(?:Chief Executive"
         rf"|(?:Corporate |Strategic |Executive |Assistant |Deputy )?Director(?: of| for)"
         rf"(?:\s+(?:{_WORD}|and|&|of|the)){{1,6}}"
         rf"|Head of(?:\s+(?:{_WORD}|and|&|of)){{1,5}}"
         rf"|(?:{_WORD}(?:\s+(?:and|&|of|for))?\s+){{1,5}}"
         rf"(?:Manager|Officer|Director|Controller|Lead|Solicitor))")
_POST_RE = re.compile(_POST)


@dataclass(frozen=True)
class NamedThing:
    name: str
    start: int
    end: int


@dataclass(frozen=True)
class RoleAssignment:
    """The text pairs ``post`` with ``role``; ``start``-``end`` is that statement."""

    post: str
    role: URIRef
    start: int
    end: int


# Words that end a run-together list item (a document's title) rather than begin a
# body's or post's name: "Lettings Code of Practice Standards Committee".
_ITEM_WORDS = {"procedure", "procedures", "regulations", "plan", "plans", "reporting",
               "minutes", "agenda", "code", "practice", "website", "strategy", "reviews",
               "constitution", "guidance", "process", "framework", "toolkit", "report",
               "statement", "protocol", "protocols", "assessment", "assessments", "objectives",
               "register", "specification", "structures", "improvement", "abolish", "key",
               "impact", "principle", "foi", "programme", "reference", "measure", "the",
               "officer", "manager", "consultation"}
# Bodies outside the council that documents cite (national bodies, NHS, guidance).
_EXTERNAL = re.compile(r"CIPFA|SOLACE|Society of Local Authority|Chartered Institute|"
                       r"Audit Commission|Local Authority|Integrated Care|"
                       r"Local Government Association|Independent Commission", re.IGNORECASE)


def _trim(name: str) -> str:
    name = re.sub(r"\s+", " ", name).strip(" ,.;:")
    name = re.split(r"['’]s\s+", name)[-1]  # "Borough Council's Licensing Sub-Committee"
    words = name.split(" ")
    cuts = [i for i, w in enumerate(words[:-1]) if w.lower() in _ITEM_WORDS]
    if cuts:
        words = words[cuts[-1] + 1 :]
    while words and words[0].lower() in {"and", "&", "of", "for", "with", "on", "to"}:
        words = words[1:]
    return _BODY_NOT_STARTING.sub("", " ".join(words)).strip(" ,.;:")


def find_bodies(text: str) -> list[NamedThing]:
    """The council's bodies named in ``text``, in order. Names are trimmed of articles,
    possessives and run-together list items; national bodies are left out."""
    found = []
    for match in _BODY.finditer(text):
        name = _trim(match.group(1))
        # Plurals ("Cabinet Committees", "Project Boards") name a class of bodies, not one.
        if (name[:1].isupper() and (" " in name or name == "Cabinet")
                and not name.endswith("s") and not _EXTERNAL.search(name)):
            found.append(NamedThing(name, match.end(1) - len(name), match.end(1)))
    return found


_STATUTORY = ("head-of-paid-service", "monitoring-officer", "chief-finance-officer")


def _plausible_post(post: str, role: URIRef, roles: Gazetteer) -> bool:
    """A post title may be a role's own name ("Chief Executive" holds Head of Paid
    Service) only when the role is a statutory one; a title that merely contains a role's
    name plus other words ("Head of Paid Service Constitution") is an extraction artefact."""
    if not post:
        return False
    own = roles.lookup(post)
    if own is not None:
        return own != role and str(role).endswith(_STATUTORY)
    return not roles.concepts(post)


def find_role_assignments(text: str, roles: Gazetteer) -> list[RoleAssignment]:
    """Posts the text says hold a role, in the forms councils use:

    - "Head of Revenues is the Council's Chief Financial Officer"
    - "Managing Director designated Head of Paid Service"
    - "Assistant Director of Legal Services (Monitoring Officer)"
    - "the Monitoring Officer (Assistant Director of Legal Services)"
    """
    assignments: list[RoleAssignment] = []
    for mention in roles.mentions(text):
        window_start = max(0, mention.start - 160)
        before = text[window_start : mention.start]
        after = text[mention.end : mention.end + 160]
        # "<Post> is the Council's <Role>", "<Post> designated <Role>", "<Post> (<Role>)"
        hit = re.search(rf"({_POST})\s+\(?(?:is|as|acts as|is designated(?: as)?|designated"
                        rf"(?: as)?|undertakes the role of|fulfils the role of)"
                        rf"(?:\s+the)?(?:\s+(?:Council|Authority|County Council)['’]s)?"
                        rf"(?:\s+statutory)?\s*\(?$", before) \
            or re.search(rf"({_POST})\s*\($", before)
        if hit is not None:
            post, start, end = _trim(hit.group(1)), window_start + hit.start(1), mention.end
        else:  # "<Role> (<Post>)"
            hit = re.match(rf"\s*\(\s*(?:the\s+)?({_POST})\s*\)", after)
            if hit is None:
                continue
            post, start, end = _trim(hit.group(1)), mention.start, mention.end + hit.end()
        if _plausible_post(post, mention.concept, roles):
            assignments.append(RoleAssignment(post, mention.concept, start, end))
    return assignments


def find_designation_rows(text: str, roles: Gazetteer,
                          heading: re.Pattern[str]) -> list[RoleAssignment]:
    """Posts a table of designations pairs with roles, one a line under a heading such
    as "Post Designation" (``heading``), with the post first and the role ending the line
    ("Head of Governance Monitoring Officer"), as a table flattened to text reads. Only
    a line whose role ends it and whose post is all that stands before it counts."""
    assignments: list[RoleAssignment] = []
    offset, under = 0, False
    for line in text.split("\n"):
        stripped = line.strip()
        if heading.fullmatch(stripped):
            under = True
        elif not stripped:
            under = False
        elif under:
            mentions = roles.mentions(line)
            last = mentions[-1] if mentions else None
            post = line[:last.start].strip(" \t|:–-") if last is not None else ""
            if (last is not None and not line[last.end:].strip()
                    and 1 <= len(post.split()) <= 8 and post[0].isupper()
                    and _plausible_post(post, last.concept, roles)):
                assignments.append(RoleAssignment(post, last.concept, offset + line.index(post),
                                                  offset + last.end))
        offset += len(line) + 1
    return assignments


def find_posts(text: str) -> list[NamedThing]:
    """Post titles named in ``text`` ("Director of Finance", "Head of Internal Audit")."""
    found = [NamedThing(_trim(m.group(0)), m.end() - len(_trim(m.group(0))), m.end())
             for m in _POST_RE.finditer(text)]
    return [f for f in found if " " in f.name and not _EXTERNAL.search(text[max(0, f.start - 80):
                                                                             f.end + 80])]
