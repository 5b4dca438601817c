"""Cleaning the text that PDF extraction leaves in table cells.

Extracted cells carry HTML fragments (``<u>``), bullet glyphs, words broken at a hyphen
("Whistle- blowing") and list items run together without a separator ("Stronger Towns for
WestshireReady for Change"). These helpers undo that, and nothing more: they never
change wording.
"""

from __future__ import annotations

import html
import re

_TAG = re.compile(r"</?[a-zA-Z][^<>]*>")
_BULLETS = "•●▪■◦·‣⁃∙�\uf0b7\uf0a7\uf076\uf0d8"
_LEADING_BULLET = re.compile(rf"^\s*(?:[{_BULLETS}]+|-(?=\s)|\*(?=\s))\s*")
_INNER_BULLET = re.compile(rf"\s*[{_BULLETS}]+\s*")
# A hyphen or slash that a line break left a space after ("Whistle- blowing", "2011- 2021",
# "Plan/ Member PDPs").
_BROKEN_HYPHEN = re.compile(r"(?<=[A-Za-z])- (?=[a-z])|(?<=\d)- (?=\d)")
_BROKEN_SLASH = re.compile(r"(?<=\w)/\s+(?=\w)")
_SPACES = re.compile(r"\s+")
# A lower-case letter, digit or closing bracket directly followed by a capitalised word:
# where extraction ran two list items together.
_RUN_TOGETHER = re.compile(r"(?<=[a-z0-9)])(?=[A-Z][a-z])")
# Camel-case words and names that are written run together on purpose.
_KEEP_TOGETHER = ("SoStevenage", "McDonald", "PowerPoint", "YouTube", "LinkedIn", "iPad",
                  "eLearning", "MyAccount", "SharePoint", "FaceBook", "Facebook")


_SHORT_PREFIX = re.compile(r"(?<![A-Za-z])[A-Z][a-z]{0,1}(?=[A-Z][a-z])")
_EMPHASIS = re.compile(r"\*\*(?=\S)|(?<=\S)\*\*")


def strip_markup(text: str) -> str:
    """Remove HTML tags and entities, and Markdown's bold markers ("**"), that extraction
    left in a cell or list item."""
    return _EMPHASIS.sub("", html.unescape(_TAG.sub("", text)))


def unmarked(text: str) -> tuple[str, list[int]]:
    """``text`` without its HTML tags, and where each of its characters (and its end)
    lies in ``text``: names are found in the plain text ("<u>Member</u> & Officer Codes
    of Conduct" is one name) and placed back in the text as written, so quotes stay exact.

    >>> unmarked("<u>A</u> b")
    ('A b', [3, 8, 9, 10])
    """
    tags = {i for m in _TAG.finditer(text) for i in range(m.start(), m.end())}
    kept = [i for i in range(len(text)) if i not in tags]
    return "".join(text[i] for i in kept), [*kept, len(text)]


def clean(text: str) -> str:
    """A cell's text with markup, bullets and broken hyphens removed, spaces collapsed.

    >>> clean("  • <u>Whistle- blowing</u>&amp; Complaints ")
    'Whistle-blowing& Complaints'
    """
    text = strip_markup(text)
    text = _LEADING_BULLET.sub("", text)
    text = _INNER_BULLET.sub(" ", text)
    text = _BROKEN_HYPHEN.sub("-", text)
    text = _BROKEN_SLASH.sub("/", text)
    return _SPACES.sub(" ", text).strip()


def split_run_together(text: str) -> list[str]:
    """Split list items that extraction ran together, keeping deliberate camel case.

    >>> split_run_together("Stronger Towns for WestshireReady for ChangeService Plans")
    ['Stronger Towns for Westshire', 'Ready for Change', 'Service Plans']
    """
    protected = {i for word in _KEEP_TOGETHER for m in re.finditer(re.escape(word), text)
                 for i in range(m.start() + 1, m.end())}
    # a word of one or two letters run into the next is a product's or a name's prefix
    # ("MyLearning", "SoStevenage", "McDonald"), not a list item that ended
    protected |= {m.end() for m in _SHORT_PREFIX.finditer(text)}
    cuts = [m.start() for m in _RUN_TOGETHER.finditer(text) if m.start() not in protected]
    pieces, last = [], 0
    for cut in cuts:
        pieces.append(text[last:cut])
        last = cut
    pieces.append(text[last:])
    return [p.strip() for p in pieces if p.strip()]


def split_bullets(text: str) -> list[str]:
    """Split a cell at its bullet glyphs or " - " list markers into cleaned items."""
    parts = re.split(rf"[{_BULLETS}]|(?:^|\s)-\s(?=[A-Za-z])", strip_markup(text))
    return [c for c in (clean(p) for p in parts) if c]
