"""The corrections file: one YAML file per document, read with the line of every entry
(so a bad entry is reported at its line) and appended to as text (so what a person wrote
in it, comments included, stays).

YAML because govkg already reads and writes it (PyYAML), and its parser knows where every
node is; read with the base loader, every value stays text (an item number such as
``1.10`` is not turned into the float 1.1).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from govkg.graph.errors import DataFileError
from govkg.graph.rdfio import write_atomically

#: a corrections file beside a document: ``code.pdf`` -> ``code.pdf.corrections.yaml``
SUFFIX = ".corrections.yaml"
ACTIONS = ("reject", "relink", "designate")
_ENTRY_KEYS = {"action", "quote", "start", "line", "to", "post", "role", "officer",
               "decided", "reason"}
_TOP_KEYS = {"document", "title", "officer", "corrections"}


@dataclass(frozen=True)
class Correction:
    """One decision about one statement (the actions: see the package's docstring)."""

    action: str
    quote: str
    officer: str
    decided: datetime
    start: int | None = None
    line: int | None = None
    items: tuple[str, ...] = ()
    post: str | None = None
    role: str | None = None
    reason: str = ""
    #: where the entry is in its file, for messages
    entry_line: int = 0

    def as_entry(self) -> dict[str, Any]:
        """The entry as the file writes it."""
        entry: dict[str, Any] = {"action": self.action, "quote": self.quote}
        if self.start is not None:
            entry["start"] = str(self.start)
        if self.line is not None:
            entry["line"] = str(self.line)
        if self.action == "relink":
            entry["to"] = list(self.items)
        if self.post:
            entry["post"] = self.post
        if self.role:
            entry["role"] = self.role
        entry["officer"] = self.officer
        entry["decided"] = self.decided.isoformat(timespec="seconds")
        if self.reason:
            entry["reason"] = self.reason
        return entry


@dataclass
class CorrectionsFile:
    """The corrections of one document, named by the SHA-256 of its original bytes."""

    path: Path
    document: str
    corrections: list[Correction] = field(default_factory=list)

    def is_for(self, sha256: str) -> bool:
        return len(self.document) >= 16 and sha256.startswith(self.document)


def _plain(node: yaml.Node, path: str) -> Any:
    """A composed YAML node as str, list or dict (keys once each)."""
    if isinstance(node, yaml.ScalarNode):
        return node.value
    if isinstance(node, yaml.SequenceNode):
        return [_plain(item, path) for item in node.value]
    assert isinstance(node, yaml.MappingNode)
    result: dict[str, Any] = {}
    for key, value in node.value:
        name = _plain(key, path)
        if name in result:
            raise DataFileError.at(path, key.start_mark.line + 1, f"{name!r} is given twice")
        result[str(name)] = _plain(value, path)
    return result


def _when(text: Any, where: str, line: int) -> datetime:
    try:
        when = datetime.fromisoformat(str(text))
    except ValueError:
        raise DataFileError.at(where, line, f"decided: {text!r} is not an ISO 8601 date "
                               "and time (2026-12-05T09:30:00+00:00)") from None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _entry(node: yaml.Node, top: dict[str, Any], where: str) -> Correction:
    line = node.start_mark.line + 1
    if not isinstance(node, yaml.MappingNode):
        raise DataFileError.at(where, line, "each correction is a mapping (action: ..., "
                               "quote: ...)")
    entry = _plain(node, where)
    unknown = set(entry) - _ENTRY_KEYS
    if unknown:
        raise DataFileError.at(where, line, f"unknown key(s) {', '.join(sorted(unknown))}; "
                               f"a correction takes {', '.join(sorted(_ENTRY_KEYS))}")
    action = entry.get("action")
    if action not in ACTIONS:
        raise DataFileError.at(where, line, f"action: {action!r}; use one of "
                               f"{', '.join(ACTIONS)}")
    quote = entry.get("quote")
    if not isinstance(quote, str) or not quote.strip():
        raise DataFileError.at(where, line, "a correction names its statement by its quote "
                               "(quote: the exact text)")
    numbers: dict[str, int | None] = {}
    for key in ("start", "line"):
        value = entry.get(key)
        if value is not None and not (isinstance(value, str) and value.isdigit()):
            raise DataFileError.at(where, line, f"{key}: {value!r} is not a whole number")
        numbers[key] = int(value) if value is not None else None
    officer = entry.get("officer", top.get("officer"))
    if not isinstance(officer, str) or not officer.strip():
        raise DataFileError.at(where, line, "say who decided: officer: NAME (on the entry "
                               "or once at the top of the file)")
    if "decided" not in entry:
        raise DataFileError.at(where, line, "say when: decided: 2026-12-05T09:30:00+00:00")
    items = entry.get("to", [])
    items = [items] if isinstance(items, str) else items
    if action == "relink" and (not isinstance(items, list) or not items
                               or not all(isinstance(i, str) and i for i in items)):
        raise DataFileError.at(where, line, "relink needs the items it links to: to: [B.2]")
    role = entry.get("role")
    if action == "designate" and not isinstance(role, str):
        raise DataFileError.at(where, line, "designate needs role: a statutory role (or "
                               "none)")
    return Correction(action, quote, officer.strip(), _when(entry["decided"], where, line),
                      numbers["start"], numbers["line"],
                      tuple(items) if action == "relink" else (), entry.get("post"), role,
                      str(entry.get("reason", "")), line)


def parse(text: str, where: str) -> CorrectionsFile:
    """A corrections file's text; ``where`` names it in errors (file and line)."""
    try:
        root = yaml.compose(text, Loader=yaml.BaseLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        context = (f" ({exc.context} at line {exc.context_mark.line + 1})"
                   if exc.context and exc.context_mark else "")
        raise DataFileError.at(where, mark.line + 1 if mark else None,
                               f"not YAML: {exc.problem or exc}{context}") from None
    if not isinstance(root, yaml.MappingNode):
        raise DataFileError.at(where, 1, "a corrections file is a mapping: document, "
                               "officer, corrections")
    top = {_plain(k, where): v for k, v in root.value}
    unknown = set(top) - _TOP_KEYS
    if unknown:
        raise DataFileError.at(where, 1, f"unknown key(s) {', '.join(sorted(unknown))}; the "
                               f"file takes {', '.join(sorted(_TOP_KEYS))}")
    plain_top = {k: _plain(v, where) for k, v in top.items() if k != "corrections"}
    document = plain_top.get("document")
    if not isinstance(document, str) or len(document) < 16 or any(
            c not in "0123456789abcdef" for c in document):
        raise DataFileError.at(where, 1, "document: the SHA-256 of the document's file "
                               "(at least its first 16 hex digits)")
    entries = top.get("corrections")
    if entries is None or (isinstance(entries, yaml.ScalarNode) and not entries.value):
        return CorrectionsFile(Path(where), document)
    if not isinstance(entries, yaml.SequenceNode):
        raise DataFileError.at(where, entries.start_mark.line + 1,
                               "corrections: is a list of entries (- action: ...)")
    return CorrectionsFile(Path(where), document,
                           [_entry(node, plain_top, where) for node in entries.value])


def load(path: Path) -> CorrectionsFile:
    """Read a corrections file, refusing a bad one with its file and line."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataFileError.at(path, None, "no such corrections file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise DataFileError.at(path, None, f"cannot read it: {exc}") from None
    return parse(text, str(path))


def append(path: Path, document: str, correction: Correction, *, title: str = "") -> None:
    """Add one correction to a document's file (made if missing), keeping what a person
    wrote in it (comments included): the entry is appended as text, and the result read
    back before it replaces the file."""
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    before = parse(old, str(path)).corrections if old else []
    if not old:
        old = ("# Corrections to what govkg read from one document; see the README,\n"
               "# \"Corrections\". Applied again on every import of the document.\n"
               f"document: {document}\n"
               + (f"title: {yaml.safe_dump(title, width=10_000).splitlines()[0]}\n"
                  if title else "") + "corrections:\n")
    elif not old.endswith("\n"):
        old += "\n"
    entry = yaml.safe_dump([correction.as_entry()], sort_keys=False, allow_unicode=True,
                           width=10_000)
    text = old + "".join(f"  {line}\n" for line in entry.splitlines())
    after = parse(text, str(path)).corrections
    if len(after) != len(before) + 1:  # the file ends other than in its corrections list
        raise DataFileError.at(path, None, "cannot add to this file: its last key must be "
                               "corrections:")
    write_atomically(path, text.encode("utf-8"))
