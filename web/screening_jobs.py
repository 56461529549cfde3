"""Screening uploads in the web app: each upload is streamed to a private file in the workspace and
screened from that file by the library's own `screen_file` (its streaming readers and writers), in a
process of its own (spawned, so it may fork its judging workers: no server thread comes with it), one
screening at a time; the page polls until the job is done.

A job's files live in WORKSPACE/.screening/JOB/ (JOB: 128 random bits): the upload (removed once
screened), the CSV and XLSX results and the errors file. The server keeps no result row in memory: a
page reads the rows it shows from the CSV. Only the browser session that started a job may see it.
Results are removed WEB_RESULTS_MAX_AGE after the job ended, beyond WEB_MAX_JOBS jobs, and at shutdown.
"""

from __future__ import annotations

import csv
import heapq
import multiprocessing
import os
import secrets
import shutil
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from tahaluf import limits
from tahaluf.errors import TahalufError
from tahaluf.files.cells import restore
from tahaluf.screening.workers import watch_parent

FOLDER = ".screening"
UPLOAD_MAX_BYTES = limits.WEB_UPLOAD_MAX_BYTES
KINDS = {".csv": "csv", ".xlsx": "xlsx"}
NUMERIC_COLUMNS = (0, 1, 5)  # rank, row, score: sorted as numbers
STATUS_COLUMN = 4
TEXT_COLUMNS = (2, 3, 6, 7, 8, 9, 10)  # name, sector, the rule lists, guidance, reason, reasons: the CSV guards these


@dataclass
class Job:
    id: str
    folder: Path
    source_name: str
    state: str = "waiting"  # waiting -> running -> done | failed
    problem: str = ""
    too_many: int | None = None  # the row limit, when the upload had more rows
    header: list[str] = field(default_factory=list)
    count: int = 0  # result rows (the rows themselves stay in the CSV)
    statuses: list[str] = field(default_factory=list)
    summary: str = ""
    rejected: int = 0
    ended: float = 0.0

    def file(self, kind: str) -> Path:
        return self.folder / {"csv": "result.csv", "xlsx": "result.xlsx", "errors": "errors.csv"}[kind]


def _read(path: Path):
    """(header, rows) of a result CSV, each text as written (the CSV's spreadsheet guard undone); streamed."""
    handle = path.open(encoding="utf-8-sig", newline="")
    reader = csv.reader(handle)
    header = next(reader, [])

    def rows():
        with handle:
            for row in reader:
                yield tuple(restore(cell) if index in TEXT_COLUMNS else cell for index, cell in enumerate(row))
    return header, rows()


def _screen(upload: str, org: str, job: dict, lang: str, max_rows: int) -> dict:
    """In the screening process: screen_file, then what the page needs of the result (no row)."""
    from tahaluf.screening import screen_file
    from tahaluf.screening.pipeline import TooManyRows

    try:
        # One screening, both downloads; its judging workers fork from this single-threaded process.
        summary = screen_file(upload, org, output=job["csv"], errors=job["errors"], lang=lang, progress=False,
                              also=(job["xlsx"],), max_rows=max_rows)
        header, rows = _read(Path(job["csv"]))
        count, statuses = 0, set()
        for row in rows:
            count += 1
            if len(row) > STATUS_COLUMN:
                statuses.add(row[STATUS_COLUMN])
        return {"state": "done", "header": header, "count": count, "statuses": sorted(statuses),
                "summary": f"{summary.totals_line()} · {summary.status_line()}", "rejected": summary.rejected}
    except TooManyRows as error:
        return {"state": "failed", "problem": str(error), "too_many": error.limit}
    except TahalufError as error:  # the library's own errors: a clear line for the page
        return {"state": "failed", "problem": str(error)}
    except Exception as error:
        return {"state": "failed", "problem": f"{type(error).__name__}: {error}"}
    finally:
        try:
            os.unlink(upload)  # the upload is not kept once screened
        except OSError:
            pass


class Jobs:
    def __init__(self, root: Path):
        self.root = Path(root) / FOLDER
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()
        self._pool: ProcessPoolExecutor | None = None  # the screening under way, if any
        self._run_lock = threading.Lock()  # one screening at a time

    def prune(self) -> None:
        """Remove job folders a crashed server left, older than WEB_RESULTS_MAX_AGE (jobs live in memory)."""
        if not self.root.is_dir() or self.root.is_symlink():
            return
        now = time.time()
        for folder in self.root.iterdir():
            if (folder.is_dir() and not folder.is_symlink()
                    and now - folder.stat().st_mtime > limits.WEB_RESULTS_MAX_AGE):
                shutil.rmtree(folder, ignore_errors=True)

    def close(self) -> None:
        """At shutdown: stop the screening process, remove every job folder of this server."""
        with self._lock:
            jobs, self._jobs = list(self._jobs.values()), {}
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)
            for process in list((getattr(pool, "_processes", None) or {}).values()):
                process.terminate()
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
        now = time.time()
        with self._lock:
            self._jobs[ident] = job
            finished = sorted((j for j in self._jobs.values() if j.state in ("done", "failed")),
                              key=lambda j: j.ended)
            old = [j for j in finished if now - j.ended > limits.WEB_RESULTS_MAX_AGE]
            keep = [j for j in finished if j not in old]
            while len(self._jobs) - len(old) > limits.WEB_MAX_JOBS and keep:
                old.append(keep.pop(0))
            for gone in old:
                self._jobs.pop(gone.id, None)
        for gone in old:
            shutil.rmtree(gone.folder, ignore_errors=True)
        return job

    def discard(self, job: Job) -> None:
        with self._lock:
            self._jobs.pop(job.id, None)
        shutil.rmtree(job.folder, ignore_errors=True)

    def get(self, ident: str) -> Job | None:
        with self._lock:
            return self._jobs.get(ident)

    def start(self, job: Job, upload: Path, org: Path, lang: str) -> None:
        files = {kind: str(job.file(kind)) for kind in ("csv", "xlsx", "errors")}
        threading.Thread(target=self._run, args=(job, str(upload), str(org), files, lang, limits.WEB_SCREEN_MAX_ROWS),
                         name=f"screen-{job.id[:8]}", daemon=True).start()

    def _run(self, job: Job, *args) -> None:
        with self._run_lock:
            # A fresh process for each screening (spawned: never forked from the server's threads). Not
            # max_tasks_per_child=1: Python 3.11's executor can hang replacing such a worker.
            # It watches the server: killed, the server takes the screening (and its judging workers) with it.
            pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"), initializer=watch_parent,
                                       initargs=(os.getpid(),))
            with self._lock:
                self._pool = pool
            job.state = "running"
            try:
                outcome = pool.submit(_screen, *args).result()
            except BaseException as error:
                outcome = {"state": "failed", "problem": f"{type(error).__name__}: {error}"}
            finally:
                with self._lock:
                    self._pool = None
                pool.shutdown(wait=True)
            self._end(job, outcome)

    @staticmethod
    def _end(job: Job, outcome: dict) -> None:
        for key, value in outcome.items():
            if key != "state":
                setattr(job, key, value)
        job.ended = time.time()
        job.state = outcome["state"]  # last: a page seeing "done" sees every field


def sorted_rows(job: Job, column: int, descending: bool, status: str | None,
                limit: int) -> tuple[list[tuple], int]:
    """The first ``limit`` result rows filtered by status and sorted by one column (numbers as numbers,
    blanks last, ties in the file's order), and how many rows match: read from the CSV, never held whole."""
    def key(row: tuple):
        value = row[column] if column < len(row) else ""
        if column in NUMERIC_COLUMNS:
            try:
                return (0, float(value), "")
            except ValueError:
                return (1, 0.0, value)
        return (0 if value else 1, 0.0, value.casefold())

    _, rows = _read(job.file("csv"))
    present: list[tuple] = []
    blank: list[list[str]] = []
    count = 0
    for row in rows:
        if status is not None and not (len(row) > STATUS_COLUMN and row[STATUS_COLUMN] == status):
            continue
        count += 1
        if key(row)[0] == 0:
            present.append((key(row), count, row))
            if len(present) > 2 * limit:  # keep the best `limit` only: memory bounded by the page
                present = _best(present, limit, descending)
        elif len(blank) < limit:
            blank.append(row)
    best = [row for _, _, row in _best(present, limit, descending)]
    return (best + blank)[:limit], count


def _best(items: list, limit: int, descending: bool) -> list:
    """The first ``limit`` of (key, order, row) as a stable sort (reversed or not) would put them."""
    if descending:  # reverse=True keeps equal keys in their order: the earlier row first
        return heapq.nsmallest(limit, items, key=lambda item: (_Reversed(item[0]), item[1]))
    return heapq.nsmallest(limit, items, key=lambda item: (item[0], item[1]))


class _Reversed:
    """A key that sorts the other way."""

    __slots__ = ("value",)

    def __init__(self, value):
        self.value = value

    def __lt__(self, other):
        return other.value < self.value

    def __eq__(self, other):
        return self.value == other.value
