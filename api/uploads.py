"""Imports started from the upload page: each a background job with an id, that ends in a
draft an officer reviews, corrects, and then accepts into the store or discards.

Nothing here touches the store until :meth:`Uploads.accept`: the imported graph, the
uploaded file and the corrections made while reviewing live in the job's own folder
beside the store (:mod:`govkg.api.upload_job`), so discarding a job leaves the store
exactly as it was, and a restarted server finds every job where it was left. Accepting writes the
document's graph through the store's one write path (``replace_graphs``, one atomic
change), as ``govkg import`` does, and keeps the corrections file in the store's
corrections folder, so the next import of the document applies them again.

The import runs in one background thread (the pipeline is the CLI's own); the page polls
the job's state. No web framework is imported here.
"""

from __future__ import annotations

import logging
import secrets
import shutil
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from rdflib import Graph

from govkg.api.upload_job import FINISHED, JOB_FILE, STEPS, Job
from govkg.graph import corrections
from govkg.graph.documents import DEFAULT_LIMITS, Limits
from govkg.graph.errors import GovkgError, InputError
from govkg.graph.importers.base import SourceDocument
from govkg.graph.importers.cues import load_cues
from govkg.graph.importers.pipeline import import_document
from govkg.graph.rdfio import write_atomically
from govkg.graph.store import Store
from govkg.graph.store.originals import Originals
from govkg.graph.vocabulary import load_vocabulary

log = logging.getLogger("govkg.api")

#: jobs kept; the oldest finished ones go first
MAX_JOBS = 20
__all__ = ["FINISHED", "MAX_JOBS", "STEPS", "Job", "Uploads"]


class Uploads:
    """The upload jobs of one app, kept in ``folder`` (one subfolder per job)."""

    def __init__(self, corrections_folder: Path | None, folder: Path,
                 limits: Limits = DEFAULT_LIMITS) -> None:
        self.corrections_folder = corrections_folder
        self.folder = folder
        self.limits = limits
        self.jobs: dict[str, Job] = {}
        self.lock = threading.Lock()
        #: one correction, acceptance or discarding at a time (they change a job's files)
        self.editing = threading.Lock()
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="govkg-upload")
        self._vocabulary: Graph | None = None
        self.low_confidence = load_cues().threshold("low_confidence")
        self._reload()

    @property
    def vocabulary(self) -> Graph:
        if self._vocabulary is None:
            self._vocabulary = load_vocabulary()
        return self._vocabulary

    def close(self) -> None:
        """Stop the import thread; the jobs stay on disk for the next start."""
        self.pool.shutdown(wait=False, cancel_futures=True)

    def _reload(self) -> None:
        """The jobs a previous run left: a ready one gets its draft again, one that was
        still importing is imported again, a folder without ``job.json`` (an upload cut
        off midway) is removed, and one whose files cannot be read is a failed job that
        says why."""
        folders = sorted(self.folder.iterdir()) if self.folder.is_dir() else []
        found: list[Job] = []
        for folder in folders:
            if not (folder / JOB_FILE).is_file():
                if folder.is_dir():
                    shutil.rmtree(folder, ignore_errors=True)
                continue
            try:
                job = Job.load(folder)
                if job.state == "ready":
                    self._correct(job)
            except GovkgError as exc:
                log.warning("upload job %s: %s", folder.name, exc)
                job = Job(folder.name, folder, "", folder.name, message=str(exc))
                job.step("failed")
            found.append(job)
        for job in sorted(found, key=lambda j: j.started):
            self.jobs[job.id] = job
            if job.state not in FINISHED:
                self.start(job, job.source)

    # -------------------------------------------------------------- starting

    def new_job(self, name: str, *, council: str | None = None, kind: str | None = None,
                framework: str | None = None) -> Job:
        """A job with an unguessable id and a folder of its own (the uploaded file goes
        there before :meth:`start`, which writes ``job.json``)."""
        job_id = secrets.token_urlsafe(16)
        folder = self.folder / job_id
        folder.mkdir(parents=True)
        job = Job(job_id, folder, "", name, council, kind, framework)
        with self.lock:
            finished = [j for j in self.jobs.values() if j.state in FINISHED]
            for old in finished[:max(0, len(self.jobs) + 1 - MAX_JOBS)]:
                self.forget(old)
            self.jobs[job_id] = job
        return job

    def start(self, job: Job, source: str) -> None:
        job.source = source
        job.step("queued")
        self.pool.submit(self._run, job)

    def get(self, job_id: str) -> Job | None:
        return self.jobs.get(job_id)

    def forget(self, job: Job) -> None:
        self.jobs.pop(job.id, None)
        shutil.rmtree(job.folder, ignore_errors=True)

    # -------------------------------------------------------------- the import

    def _run(self, job: Job) -> None:
        try:
            job.step("reading")
            document = SourceDocument.read(job.source if job.source.startswith(
                ("http://", "https://")) else Path(job.source), limits=self.limits)
            job.step("importing")
            graph, report = import_document(document.path, council=job.council,
                                            kind=job.kind, framework=job.framework,
                                            vocabulary=self.vocabulary, limits=self.limits,
                                            source=document)
            job.report, job.imported = report, graph
            job.save_import()
            job.step("correcting")
            stored = corrections.find(document.sha256, None, self.corrections_folder)
            if stored is not None and not job.corrections_file.exists():
                shutil.copyfile(stored, job.corrections_file)  # edits go to the job's copy
            self._correct(job)
            job.step("ready")
        except GovkgError as exc:
            job.message = str(exc.message)
            self._failed(job)
        except Exception:  # a bug must not leave the job "importing" for ever
            log.exception("upload %s (%s) failed", job.id, job.name)
            job.message = "internal error; it has been logged"
            self._failed(job)

    def _failed(self, job: Job) -> None:
        job.clear()  # nothing to review: the job's page only says why
        job.step("failed")

    def _correct(self, job: Job) -> None:
        """The draft: the import with the job's corrections file applied, and what the
        review page lists."""
        assert job.imported is not None
        graph = Graph(identifier=job.imported.identifier)
        graph.namespace_manager = job.imported.namespace_manager
        graph += job.imported
        job.warnings = []
        if job.corrections_file.exists():
            found = corrections.load(job.corrections_file)
            job.warnings = corrections.apply(graph, found, self.vocabulary).warnings
        job.graph = graph
        job.statements = corrections.statements(graph, self.vocabulary)

    # -------------------------------------------------------------- review

    def correct(self, job: Job, correction: corrections.Correction) -> None:
        """Add a correction to the job's file and apply the file again; a correction
        that cannot mean anything (no such item or role) is refused and not kept."""
        with self.editing:
            self._add(job, correction)

    def _add(self, job: Job, correction: corrections.Correction) -> None:
        if job.state != "ready" or job.graph is None:
            raise InputError(f"this upload is {STEPS[job.state].lower()}; only a document "
                             "ready to review can be corrected")
        before = job.corrections_file.read_bytes() if job.corrections_file.exists() else None
        title = job.report.path.name if job.report is not None else ""
        corrections.append(job.corrections_file, job.sha256, correction, title=title)
        try:
            self._correct(job)
        except GovkgError:
            if before is None:
                job.corrections_file.unlink()
            else:
                write_atomically(job.corrections_file, before)
            self._correct(job)
            raise
        job.officer = correction.officer
        job.save()

    def accept(self, job: Job, store: Store, after: Callable[[Store], None]) -> None:
        """Store the draft (one atomic replace of the document's graph), keep its
        corrections in the store's folder, then run ``after`` (the import's own follow-on
        links)."""
        if job.state != "ready" or job.graph is None:
            raise InputError(f"this upload is {STEPS[job.state].lower()}; only a document "
                             "ready to review can be accepted")
        report = job.report
        if report is not None and report.original:
            # as `govkg import` does: the original first, so no quote ever links to a
            # missing file
            Originals.beside(store).keep(report.original, report.media_type)
        store.replace_graphs({job.graph.identifier: job.graph})
        if job.corrections_file.exists() and self.corrections_folder is not None:
            name = str(job.graph.identifier).rsplit("/", 1)[-1]
            write_atomically(self.corrections_folder / f"{name}.yaml",
                             job.corrections_file.read_bytes())
        after(store)
        job.clear()
        job.step("accepted")

    def discard(self, job: Job) -> None:
        """Forget the draft; the store was never touched."""
        with self.editing:
            if job.state not in FINISHED or job.state == "accepted":
                raise InputError(f"this upload is {STEPS[job.state].lower()}; only a "
                                 "document ready to review (or that failed) can be "
                                 "discarded")
            self._discard(job)

    def _discard(self, job: Job) -> None:
        job.graph = job.imported = None
        job.statements = []
        job.clear()
        job.step("discarded")

    def by_principle(self, job: Job) -> list[tuple[str, list[corrections.Statement]]]:
        """The review's groups: each core principle's statements (low-confidence ones
        first, then in the document's order), then those linked to none."""
        groups: dict[str, list[corrections.Statement]] = {}
        for statement in job.statements:
            key = statement.principles[0] if statement.principles else ""
            groups.setdefault(key, []).append(statement)

        def order(s: corrections.Statement) -> tuple[bool, int, int]:
            low = s.confidence is not None and s.confidence < self.low_confidence
            return (not low, s.line, s.start or 0)

        return [(key, sorted(groups[key], key=order))
                for key in sorted(groups, key=lambda k: (k == "", k))]
