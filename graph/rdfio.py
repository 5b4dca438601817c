"""Reading RDF and SPARQL from users with errors that name the source and line.

Everything a user hands govkg (a file on the command line, a request body) comes in
through here, so every caller refuses the same things the same way:

* only regular files, and at most :func:`max_input_bytes` of them: a symlink to
  ``/dev/zero``, a named pipe or a folder is refused before anything is read;
* RDF is first read by Oxigraph's parser, which is strict (an IRI with a space is an
  error), reports line and column, keeps its own stack (no ``RecursionError`` on deeply
  nested input) and never fetches a remote JSON-LD context. Only input it accepts goes on
  to rdflib, whose graphs the rest of govkg uses; rdflib's own errors (it is still
  recursive on nested Turtle collections) become the same :class:`DataFileError`;
* RDF/XML with entity declarations is refused: Oxigraph expands them without limit (a
  600-byte "billion laughs" document is 3.2 GB of text).
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Graph
from rdflib.exceptions import ParserError
from rdflib.plugins.parsers.notation3 import BadSyntax

from govkg.graph.errors import DataFileError

_FORMATS = {".ttl": "turtle", ".trig": "trig", ".nt": "nt", ".nq": "nquads", ".jsonld": "json-ld",
            ".json": "json-ld", ".rdf": "xml", ".owl": "xml"}
#: rdflib format name -> Oxigraph's parser for it
_OX_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "trig": ox.RdfFormat.TRIG,
               "nt": ox.RdfFormat.N_TRIPLES, "nquads": ox.RdfFormat.N_QUADS,
               "json-ld": ox.RdfFormat.JSON_LD, "xml": ox.RdfFormat.RDF_XML}
#: formats whose documents name graphs: parsed into a Dataset
QUAD_FORMATS = ("trig", "nquads")
_OXIGRAPH_POSITION = re.compile(r"(?:error at |line )(\d+)[:.,]?(?: ?column |:)?(\d+)?")
_XML_ENTITY = re.compile(rb"<!ENTITY", re.IGNORECASE)
#: files read by govkg: at most this many bytes unless ``GOVKG_MAX_FILE_BYTES`` says
DEFAULT_MAX_FILE_BYTES = 256 * 1024 * 1024


def max_input_bytes() -> int:
    """The largest file govkg reads (``GOVKG_MAX_FILE_BYTES``, default 256 MiB).

    >>> max_input_bytes() > 0
    True
    """
    value = os.environ.get("GOVKG_MAX_FILE_BYTES", "")
    return int(value) if value.isdigit() and int(value) > 0 else DEFAULT_MAX_FILE_BYTES


def rdf_format(path: Path) -> str:
    """The rdflib format name for a file, from its suffix.

    >>> rdf_format(Path("draft.TTL"))
    'turtle'
    """
    try:
        return _FORMATS[path.suffix.lower()]
    except KeyError:
        raise DataFileError.at(
            path, None, f"unknown RDF file type {path.suffix!r}; expected one of {sorted(_FORMATS)}"
        ) from None


def read_user_file(path: Path, limit: int | None = None) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes (default
    :func:`max_input_bytes`).

    The file is opened without blocking and checked on the open descriptor, so a named
    pipe, a device (even behind a symlink) or a folder is refused without being read,
    and nothing can swap the file between the check and the read.
    """
    limit = max_input_bytes() if limit is None else limit
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise DataFileError.at(path, None, "no such file") from None
    except IsADirectoryError:
        raise DataFileError.at(path, None, "is a folder, not a file") from None
    except OSError as exc:
        raise DataFileError.at(path, None, f"cannot open: {exc.strerror}") from None
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise DataFileError.at(path, None, "is a folder, not a file")
        if not stat.S_ISREG(mode):
            kind = ("a named pipe" if stat.S_ISFIFO(mode) else "a device"
                    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "a socket"
                    if stat.S_ISSOCK(mode) else "not a regular file")
            raise DataFileError.at(path, None, f"is {kind}; govkg reads regular files only")
        with os.fdopen(fd, "rb", closefd=True) as handle:
            fd = -1
            data = handle.read(limit + 1)
    finally:
        if fd >= 0:
            os.close(fd)
    if len(data) > limit:
        raise DataFileError.at(path, None, f"is larger than the limit of {limit:,} bytes "
                               "(set GOVKG_MAX_FILE_BYTES to raise it)")
    return data


def read_user_text(path: Path, limit: int | None = None) -> str:
    """A regular file's text (UTF-8), as :func:`read_user_file` reads it."""
    return _decode(read_user_file(path, limit), str(path))


def _decode(data: bytes, source: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise DataFileError.at(source, line, "not UTF-8 text") from None


def _ox_position(message: str) -> int | None:
    match = _OXIGRAPH_POSITION.search(message)
    return int(match.group(1)) if match else None


def _ox_message(message: str) -> str:
    """Oxigraph's message without its own "(file, line n)" tail, which we add ourselves."""
    return re.sub(r"\s*\((?:[^()]*, )?line \d+\)$", "", message)


def check_rdf_syntax(data: bytes, fmt: str, source: str, base: str | None = None) -> list[ox.Quad]:
    """Parse ``data`` with Oxigraph and return its quads, or raise :class:`DataFileError`
    naming ``source`` and the line.

    >>> len(check_rdf_syntax(b'<http://e/a> <http://e/b> "c" .', "nt", "x.nt"))
    1
    >>> check_rdf_syntax(b'<http://e/a> <http://e/b> <http://e/c d> .', "nt", "x.nt")
    Traceback (most recent call last):
    govkg.graph.errors.DataFileError: x.nt:1: RDF syntax error: ...
    """
    if fmt == "xml" and _XML_ENTITY.search(data):
        line = data[: _XML_ENTITY.search(data).start()].count(b"\n") + 1  # type: ignore[union-attr]
        raise DataFileError.at(source, line, "XML entity declarations are not accepted (they "
                               "can expand without limit); write the values out")
    try:
        return list(ox.parse(data, format=_OX_FORMATS[fmt], base_iri=base))
    except SyntaxError as exc:
        message = str(exc)
        raise DataFileError.at(source, _ox_position(message),
                               f"RDF syntax error: {_ox_message(message)}") from None
    except (OSError, ValueError) as exc:
        raise DataFileError.at(source, None, f"RDF syntax error: {exc}") from None


def parse_rdf(data: bytes, fmt: str, source: str, *, base: str | None = None,
              graph: Graph | None = None) -> Graph:
    """Parse RDF ``data`` in rdflib format ``fmt`` into ``graph`` (else a new Graph, or a
    Dataset for TriG and N-Quads), refusing bad input with :class:`DataFileError`.

    >>> len(parse_rdf(b"<http://e/a> <http://e/b> 1 .", "turtle", "x.ttl"))
    1
    >>> parse_rdf(b"<http://e/a> <http://e/b> (((1)) .", "turtle", "x.ttl")
    Traceback (most recent call last):
    govkg.graph.errors.DataFileError: x.ttl:1: RDF syntax error: ...
    """
    quads = check_rdf_syntax(data, fmt, source, base)
    target = graph if graph is not None else (Dataset() if fmt in QUAD_FORMATS else Graph())
    if fmt == "json-ld":  # rdflib's JSON-LD parser would fetch remote contexts: use Oxigraph's
        from govkg.graph.store.terms import from_ox

        for quad in quads:
            target.add((from_ox(quad.subject), from_ox(quad.predicate), from_ox(quad.object)))
        return target
    try:
        target.parse(data=_decode(data, source), format=fmt, publicID=base)
    except RecursionError:
        raise DataFileError.at(source, None, "nested too deeply to read (collections or "
                               "blank nodes inside one another)") from None
    except BadSyntax as exc:
        raise DataFileError.at(source, exc.lines + 1, f"RDF syntax error: {exc._why}") from None
    except (ParserError, SyntaxError, ValueError) as exc:
        line = getattr(exc, "lineno", None)
        raise DataFileError.at(source, line, f"RDF syntax error: {exc}") from None
    return target


def parse_graph(path: Path, graph: Graph | None = None) -> Graph:
    """Parse one RDF file into ``graph`` (a new one by default; a Dataset for TriG and
    N-Quads). Bad input becomes :class:`DataFileError` naming the file and the line."""
    fmt = rdf_format(path)
    return parse_rdf(read_user_file(path), fmt, str(path), base=path.resolve().as_uri(),
                     graph=graph)


#: a query file is read up to this size: the longest named query is a few KB
MAX_QUERY_BYTES = 1_000_000
#: Oxigraph's SPARQL parser and planner recurse: 5,000 nested groups, or 10,000 UNION
#: branches or ``||`` terms, crash the process (a segfault, not an exception), and 5,000
#: branches take 14 s to plan. Below these limits every query we tried plans in < 1 s.
MAX_SPARQL_NESTING = 200
MAX_SPARQL_BRANCHES = 1_000
_SPARQL_TOKENS = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
    r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\''
    r'|<[^<>"{}|^`\\\x00-\x20]*>|#[^\n]*'
    r'|(?P<open>[{(\[])|(?P<close>[})\]])|(?P<branch>\|\||&&|\bUNION\b)',
    re.IGNORECASE)


def sparql_complexity_error(text: str) -> str | None:
    """Why a SPARQL text is too deeply nested or too branched for Oxigraph to parse safely,
    or ``None``. Strings, IRIs and comments are skipped, so only real syntax counts.

    >>> sparql_complexity_error("SELECT * WHERE { ?s ?p '{{{{' }") is None
    True
    >>> sparql_complexity_error("SELECT * WHERE " + "{" * 300 + "}" * 300)
    'nested 300 deep; at most 200 levels of { ( [ are accepted'
    """
    depth = deepest = branches = 0
    for match in _SPARQL_TOKENS.finditer(text):
        if match.group("open"):
            depth += 1
            deepest = max(deepest, depth)
        elif match.group("close"):
            depth -= 1
        elif match.group("branch"):
            branches += 1
    if deepest > MAX_SPARQL_NESTING:
        return (f"nested {deepest} deep; at most {MAX_SPARQL_NESTING} levels of {{ ( [ "
                "are accepted")
    if branches > MAX_SPARQL_BRANCHES:
        return (f"{branches} UNION, || and && terms; at most {MAX_SPARQL_BRANCHES} are "
                "accepted (use VALUES for long lists)")
    return None


def sparql_syntax_error(text: str) -> tuple[int | None, str] | None:
    """Check a SPARQL query or update with Oxigraph's parser.

    Returns ``None`` when it parses, else ``(line, message)``. pyoxigraph has no parser
    of its own, so the query is prepared on an empty in-memory store without reading
    any solution (Oxigraph evaluates lazily), and an update runs on another empty store.
    Texts that would crash the parser are refused first (:func:`sparql_complexity_error`).

    >>> sparql_syntax_error("SELECT * WHERE { ?s ?p ?o }") is None
    True
    >>> sparql_syntax_error("SELECT * WHERE { ?s ?p }")[0]
    1
    """
    too_complex = sparql_complexity_error(text)
    if too_complex is not None:
        return None, too_complex
    try:
        ox.Store().query(text)
        return None
    except SyntaxError as query_error:
        try:  # maybe it is an update, which query() refuses
            ox.Store().update(text)
            return None
        except SyntaxError:
            pass
        message = str(query_error)
        return _ox_position(message), message


def read_sparql(path: Path) -> str:
    """Read a ``.rq`` file (a regular file of at most :data:`MAX_QUERY_BYTES`), refusing
    one that does not parse, naming file and line."""
    text = read_user_text(path, MAX_QUERY_BYTES)
    error = sparql_syntax_error(text)
    if error is not None:
        line, message = error
        raise DataFileError.at(path, line, f"SPARQL syntax error: {message}")
    return text


def check_output(path: Path) -> None:
    """Refuse an output path that names a folder, before any work is done for it."""
    if path.is_dir():
        raise DataFileError.at(path, None, "is a folder; give a file name to write")


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the new one, never a
    half-written file: write a temporary file beside it, then rename over."""
    import tempfile

    check_output(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    except OSError as exc:
        raise DataFileError.at(path, None, f"cannot write here: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes the file private; give it the usual mode
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
