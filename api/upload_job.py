"""One upload job and its files, kept so that the job outlives the server that started it.

An officer may upload a document, leave the review half done, and find the service
restarted (a deployment, a crash) before they accept it. So a job is not only memory:
its folder (``uploads/<id>/`` beside the store, see :func:`jobs_folder`) holds

* ``job.json``: what the job is doing (its state, steps, message, who corrected it last)
  and, once imported, the import report the review page shows;
* the uploaded file (a web address is fetched again if the import must run again);
* ``imported.ttl``: the document's graph as the importer made it, named in ``job.json``;
* ``original``: the original bytes, kept beside the store when the job is accepted;
* ``corrections.yaml``: the corrections made while reviewing.

The draft the review shows is the imported graph with the corrections applied, so it is
made again from those files rather than stored. Every file is written atomically (a
temporary file renamed over it), so a server killed at any moment leaves the old file or
the new one. ``job.json`` is written last, once the uploaded file is complete: a folder
without it is an upload cut off midway, and is removed. A job that was still importing
when the server stopped is imported again. An accepted or discarded job keeps only its
``job.json``, so its page still says what became of it.

>>> import tempfile
>>> job = Job("abc", Path(tempfile.mkdtemp()) / "abc", "", "x.pdf", council="Kent")
>>> job.folder.mkdir(); job.step("queued")
>>> again = Job.load(job.folder); (again.name, again.council, again.state)
('x.pdf', 'Kent', 'queued')
"""

from __future__ import annotations

import json
import shutil
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import Graph, URIRef

from govkg.graph import corrections
from govkg.graph.errors import DataFileError
from govkg.graph.importers.detect import Detection
from govkg.graph.importers.pipeline import ImportReport
from govkg.graph.rdfio import write_atomically
from govkg.graph.store.beside import folder_beside

#: the steps a job goes through, in order, and what the page says of each
STEPS = {
    "queued": "Waiting to start",
    "reading": "Reading the document",
    "importing": "Finding sections, statements and links",
    "correcting": "Applying corrections",
    "ready": "Ready to review",
    "failed": "Could not be imported",
    "accepted": "Accepted into the store",
    "discarded": "Discarded",
}
FINISHED = {"ready", "failed", "accepted", "discarded"}
JOB_FILE = "job.json"
IMPORTED_FILE = "imported.ttl"
ORIGINAL_FILE = "original"
#: the version of ``job.json``'s layout (a folder of another version is not read)
LAYOUT = 1


def jobs_folder(location: str | Path) -> Path:
    """Where the upload jobs of the store at ``location`` are kept."""
    return folder_beside(location, "uploads")


@dataclass
class Job:
    """One upload: where it is, what it is doing, and (when ready) the draft."""

    id: str
    folder: Path
    source: str
    name: str
    council: str | None = None
    kind: str | None = None
    framework: str | None = None
    state: str = "queued"
    message: str = ""
    started: float = field(default_factory=time.time)
    #: (state, seconds since start) of each step taken
    steps: list[tuple[str, float]] = field(default_factory=list)
    report: ImportReport | None = None
    #: the graph as the importer made it, and as corrected
    imported: Graph | None = None
    graph: Graph | None = None
    statements: list[corrections.Statement] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    #: the name the last correction was made by (the review page offers it again)
    officer: str = ""
    #: one write of ``job.json`` at a time (the import thread and requests both write it)
    _saving: threading.Lock = field(default_factory=threading.Lock, repr=False,
                                    compare=False)

    def step(self, state: str) -> None:
        """Move to ``state`` and record it on disk."""
        self.state = state
        self.steps.append((state, round(time.time() - self.started, 1)))
        self.save()

    @property
    def corrections_file(self) -> Path:
        return self.folder / "corrections.yaml"

    @property
    def sha256(self) -> str:
        return corrections.document_sha(self.graph) if self.graph is not None else ""

    def status(self) -> dict[str, object]:
        """What the status endpoint answers."""
        return {"id": self.id, "document": self.name, "state": self.state,
                "description": STEPS[self.state], "finished": self.state in FINISHED,
                "message": self.message,
                "steps": [{"state": s, "description": STEPS[s], "seconds": t}
                          for s, t in self.steps],
                "statements": len(self.statements)}

    # -------------------------------------------------------------- on disk

    def save(self) -> None:
        """Write ``job.json`` (atomically); a job whose folder is gone (forgotten) is not
        written again."""
        source = Path(self.source)
        state: dict[str, Any] = {
            "layout": LAYOUT, "id": self.id, "name": self.name, "council": self.council,
            "kind": self.kind, "framework": self.framework, "state": self.state,
            "message": self.message, "started": self.started, "steps": self.steps,
            "warnings": self.warnings, "officer": self.officer,
            # the uploaded file by its name in the folder (the folder may move with the store)
            "source": source.name if source.parent == self.folder else self.source,
            "uploaded": source.parent == self.folder,
            "report": _report_state(self.report) if self.report is not None else None,
            "graph": str(self.imported.identifier) if self.imported is not None else None}
        with self._saving:
            if self.folder.is_dir():
                write_atomically(self.folder / JOB_FILE,
                                 json.dumps(state, ensure_ascii=False, indent=1).encode())

    def save_import(self) -> None:
        """Keep what the importer made (its graph, the original's bytes), before the job
        says it got that far."""
        assert self.imported is not None and self.report is not None
        write_atomically(self.folder / IMPORTED_FILE,
                         self.imported.serialize(format="turtle").encode("utf-8"))
        write_atomically(self.folder / ORIGINAL_FILE, self.report.original)

    def clear(self) -> None:
        """Remove the job's files but ``job.json`` (the job is over)."""
        for path in self.folder.iterdir() if self.folder.is_dir() else ():
            if path.name != JOB_FILE:
                shutil.rmtree(path) if path.is_dir() else path.unlink(missing_ok=True)

    @classmethod
    def load(cls, folder: Path) -> Job:
        """The job kept in ``folder``; a ready job's imported graph is read back, not yet
        corrected (:meth:`govkg.api.uploads.Uploads` does that). Raises
        :class:`DataFileError` naming the file that cannot be read."""
        path = folder / JOB_FILE
        try:
            state = json.loads(path.read_text(encoding="utf-8"))
            if state.get("layout") != LAYOUT or state["state"] not in STEPS:
                raise ValueError(f"layout {state.get('layout')!r} or state "
                                 f"{state.get('state')!r} unknown")
            job = cls(state["id"], folder,
                      str(folder / state["source"]) if state["uploaded"] else state["source"],
                      state["name"], state["council"], state["kind"], state["framework"],
                      state["state"], state["message"], state["started"],
                      [(s, t) for s, t in state["steps"]], warnings=state["warnings"],
                      officer=state["officer"])
            if state["state"] == "ready":
                path = folder / IMPORTED_FILE
                graph = Graph(identifier=URIRef(state["graph"]))
                graph.parse(path, format="turtle")
                job.imported = graph
                job.report = _report(state["report"],
                                     (folder / ORIGINAL_FILE).read_bytes())
        except (OSError, ValueError, KeyError, TypeError, SyntaxError) as exc:
            raise DataFileError.at(path, None, f"cannot read this upload job: {exc}") from None
        return job


def _detection_state(found: Detection | None) -> dict[str, Any] | None:
    if found is None:
        return None
    return {"value": found.value, "iri": str(found.iri) if found.iri is not None else None,
            "confidence": found.confidence, "reason": found.reason}


def _detection(state: dict[str, Any] | None) -> Detection | None:
    if state is None:
        return None
    iri = state["iri"]
    return Detection(state["value"], URIRef(iri) if iri is not None else None,
                     float(state["confidence"]), state["reason"])


def _report_state(report: ImportReport) -> dict[str, Any]:
    """The report as JSON; what the generic pipeline read line by line (``statements``,
    for ``govkg import --review``) is left out: the review lists the draft's own."""
    return {"path": str(report.path), "graph": str(report.graph),
            "council": _detection_state(report.council), "kind": _detection_state(report.kind),
            "framework": _detection_state(report.framework), "layout": report.layout,
            "triples": report.triples, "counts": report.counts, "source": report.source,
            "media_type": report.media_type, "ocr": report.ocr, "coverage": report.coverage,
            "seconds": report.seconds}


def _report(state: dict[str, Any], original: bytes) -> ImportReport:
    council, kind = _detection(state["council"]), _detection(state["kind"])
    if council is None or kind is None:
        raise ValueError("the report names no council or no kind")
    return ImportReport(Path(state["path"]), URIRef(state["graph"]), council, kind,
                        _detection(state["framework"]), state["layout"],
                        triples=state["triples"], counts=state["counts"],
                        source=state["source"], media_type=state["media_type"],
                        ocr=state["ocr"], coverage=state["coverage"],
                        seconds=state["seconds"], original=original)
