"""govkg's own exception types.

Each carries where the problem is (a file and line, a query name, a store location) so
the CLI and the web service can report it without a stack trace. The CLI maps
:class:`InputError` to exit status 2; the API maps these types to HTTP status codes in
one exception handler.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Location:
    """Where a problem is: a file (or other named source) and optionally a line."""

    source: str
    line: int | None = None

    def __str__(self) -> str:
        return f"{self.source}:{self.line}" if self.line is not None else self.source


class GovkgError(Exception):
    """Base class of every error govkg raises on purpose."""

    def __init__(self, message: str, location: Location | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.location = location

    def __str__(self) -> str:
        return f"{self.location}: {self.message}" if self.location else self.message


class InputError(GovkgError):
    """The user gave something govkg cannot use: a missing file, bad syntax, wrong kind."""


class DetectionError(InputError):
    """Detection could not tell a document's kind, council or edition well enough to
    import it: the message lists each guess with its confidence and reason, and
    ``options`` names the options to give instead (the CLI exits 2, as for bad input)."""

    def __init__(self, message: str, location: Location | None = None,
                 options: tuple[str, ...] = ()) -> None:
        super().__init__(message, location)
        self.options = options


class DataFileError(InputError):
    """A Turtle, SPARQL or text file is malformed; ``location`` names file and line."""

    @classmethod
    def at(cls, path: Path | str, line: int | None, message: str) -> DataFileError:
        return cls(message, Location(str(path), line))


class StoreError(GovkgError):
    """The store could not be opened, read or written."""


class QueryError(GovkgError):
    """A SPARQL query is malformed, or its parameters are of the wrong type."""


class StoreLocationError(StoreError, InputError):
    """The store named cannot be used as asked (a file where a folder should be, or a
    store another process holds when this command must write): the user's to fix, so
    the CLI exits 2."""


class StoreInUse(StoreLocationError):
    """Another process (usually ``govkg serve``) holds the embedded store's folder."""
