"""Screening uploads in the web app: each upload is saved to a private file in the workspace and
screened by the library's own `screen_file` (its safe readers and writers) in a thread, one job at
a time (the in-process judge keeps one engine); the page polls until the job is done.

A job's files live in WORKSPACE/.screening/JOB/ (JOB: 128 random bits): the upload, the CSV and
XLSX results and the errors file. Only the browser session that started a job may see it.
"""

from __future__ import annotations

import csv
import os
import secrets
import shutil
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from tahaluf.errors import TahalufError
from tahaluf.screening import screen_file
from tahaluf.screening.writers import restore

FOLDER = ".screening"
UPLOAD_MAX_BYTES = 10 * 1024 * 1024
KINDS = {".csv": "csv", ".xlsx": "xlsx"}
NUMERIC_COLUMNS = (0, 1, 5)  # rank, row, score: sorted as numbers
STATUS_COLUMN = 4
TEXT_COLUMNS = (2, 3, 6, 7, 8, 9)  # name, sector, the rule lists, guidance, reason: the CSV guards these
MAX_JOBS = 50  # kept in memory; the oldest finished job's folder is removed beyond this
STALE_SECONDS = 24 * 3600  # a job folder left by a server that did not stop cleanly
_RUN_LOCK = threading.Lock()


@dataclass
class Job:
    id: str
    folder: Path
    source_name: str
    state: str = "waiting"  # waiting -> running -> done | failed
    problem: str = ""
    header: list[str] = field(default_factory=list)
    rows: list[tuple] = field(default_factory=list)
    summary: str = ""
    rejected: int = 0

    def file(self, kind: str) -> Path:
        return self.folder / {"csv": "result.csv", "xlsx": "result.xlsx", "errors": "errors.csv"}[kind]


class Jobs:
    def __init__(self, root: Path):
        self.root = Path(root) / FOLDER
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()

    def prune(self) -> None:
        """Remove job folders a crashed server left over a day ago (unreachable: jobs live in memory)."""
        if not self.root.is_dir() or self.root.is_symlink():
            return
        now = time.time()
        for folder in self.root.iterdir():
            if folder.is_dir() and not folder.is_symlink() and now - folder.stat().st_mtime > STALE_SECONDS:
                shutil.rmtree(folder, ignore_errors=True)

    def close(self) -> None:
        """At shutdown: remove every job folder of this server (results live as long as the server)."""
        with self._lock:
            jobs, self._jobs = list(self._jobs.values()), {}
        for job in jobs:
            shutil.rmtree(job.folder, ignore_errors=True)

    def _folder(self) -> Path:
        self.root.mkdir(mode=0o700, exist_ok=True)
        if self.root.is_symlink() or not self.root.is_dir():
            raise OSError(f"{self.root} is not a folder of the workspace")
        return self.root

    def new(self, source_name: str) -> Job:
        ident = secrets.token_hex(16)
        folder = self._folder() / ident
        folder.mkdir(mode=0o700)
        job = Job(ident, folder, source_name)
        with self._lock:
            self._jobs[ident] = job
            finished = [j for j in self._jobs.values() if j.state in ("done", "failed")]
            while len(self._jobs) > MAX_JOBS and finished:
                old = finished.pop(0)
                self._jobs.pop(old.id, None)
                shutil.rmtree(old.folder, ignore_errors=True)
        return job

    def discard(self, job: Job) -> None:
        with self._lock:
            self._jobs.pop(job.id, None)
        shutil.rmtree(job.folder, ignore_errors=True)

    def get(self, ident: str) -> Job | None:
        with self._lock:
            return self._jobs.get(ident)

    def start(self, job: Job, upload: Path, org: Path, lang: str) -> None:
        threading.Thread(target=self._run, args=(job, upload, org, lang), name=f"screen-{job.id[:8]}",
                         daemon=True).start()

    def _run(self, job: Job, upload: Path, org: Path, lang: str) -> None:
        with _RUN_LOCK:
            job.state = "running"
            try:
                # One screening, both downloads (jobs=1: no worker processes forked from the server's threads).
                summary = screen_file(upload, org, output=str(job.file("csv")), errors=str(job.file("errors")),
                                      jobs=1, lang=lang, progress=False, also=(job.file("xlsx"),))
                with job.file("csv").open(encoding="utf-8-sig", newline="") as handle:
                    reader = csv.reader(handle)
                    job.header = next(reader, [])
                    # The table shows each text as written: the CSV's spreadsheet guard undone.
                    job.rows = [tuple(restore(cell) if index in TEXT_COLUMNS else cell
                                      for index, cell in enumerate(row)) for row in reader]
                job.summary = f"{summary.totals_line()} · {summary.status_line()}"
                job.rejected = summary.rejected
                job.state = "done"
            except TahalufError as error:  # the library's own errors: a clear line for the page
                job.problem, job.state = str(error), "failed"
            except Exception as error:  # noqa: BLE001 — never leave the page polling for ever
                job.problem, job.state = f"{type(error).__name__}: {error}", "failed"
            finally:
                try:
                    os.unlink(upload)  # the upload is not kept once screened
                except OSError:
                    pass


def sorted_rows(job: Job, column: int, descending: bool, status: str | None) -> list[tuple]:
    """The result rows filtered by status and sorted by one column (numbers as numbers, blanks last)."""
    rows = [row for row in job.rows if status is None or (len(row) > STATUS_COLUMN and row[STATUS_COLUMN] == status)]

    def key(row: tuple):
        value = row[column] if column < len(row) else ""
        if column in NUMERIC_COLUMNS:
            try:
                return (0, float(value), "")
            except ValueError:
                return (1, 0.0, value)
        return (0 if value else 1, 0.0, value.casefold())

    present = [row for row in rows if key(row)[0] == 0]
    blank = [row for row in rows if key(row)[0] == 1]
    return sorted(present, key=key, reverse=descending) + blank
