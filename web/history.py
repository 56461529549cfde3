"""Every evaluation the web app makes, recorded in SQLite in the workspace (a view's record, not a
decision: the verdict and the counts are the engine's, read from its JSON report).

One row per state of a file: an evaluation of the same input (its SHA-256) with the same
knowledge version as the file's last row is the same evaluation, not recorded twice. The JSON
report itself is stored, so the history page compares two states with diff.py, as `tahaluf diff`
compares two JSON reports.
"""

from __future__ import annotations

import datetime as _dt
import functools
import json
import os
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path

from tahaluf import knowledge
from tahaluf.diff import Comparison, compare, snapshot_keys, snapshot_of_evaluation, snapshot_of_report
from tahaluf.evaluation import Evaluation
from tahaluf.reports.render import render_report

DATABASE = ".tahaluf-history.sqlite3"
SCHEMA = """
CREATE TABLE IF NOT EXISTS evaluations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    recorded_at TEXT NOT NULL,          -- UTC, ISO 8601
    file TEXT NOT NULL,                 -- the assessment's file name in the workspace
    input_sha256 TEXT NOT NULL,
    knowledge_version TEXT NOT NULL,
    verdict TEXT NOT NULL,
    blockers INTEGER NOT NULL,          -- failing findings by severity
    major INTEGER NOT NULL,
    minor INTEGER NOT NULL,
    open_questions INTEGER NOT NULL,    -- checks not assessed for want of a fact
    report_json TEXT NOT NULL           -- the JSON report (English) and its keys, for the diff
);
CREATE INDEX IF NOT EXISTS evaluations_by_file ON evaluations (file, id);
"""


COLUMNS = ("id", "recorded_at", "file", "input_sha256", "knowledge_version", "verdict", "blockers", "major",
           "minor", "open_questions", "report_json")
# SQLite's own word that the file is not (or no longer) a database; "busy" and "locked" are not.
UNREADABLE = frozenset({"SQLITE_CORRUPT", "SQLITE_NOTADB"})


class HistoryUnavailable(Exception):
    """The database cannot be used and could not be set aside either."""


class _NotOurs(Exception):
    """The path holds something other than this history: a symlink, a folder, another schema."""


@dataclass(frozen=True)
class Record:
    id: int
    recorded_at: str
    file: str
    input_sha256: str
    knowledge_version: str
    verdict: str
    blockers: int
    major: int
    minor: int
    open_questions: int
    report_json: str

    @property
    def report(self) -> dict:
        return json.loads(self.report_json)


@functools.cache
def _knowledge_version() -> str:
    return knowledge.version()


def counts_of(report: dict) -> tuple[int, int, int, int]:
    """(blockers, major, minor, open questions) of a JSON report."""
    failing = [f["severity"] for f in report.get("findings", ()) if f.get("status") == "fail"]
    return (failing.count("blocker"), failing.count("major"), failing.count("minor"),
            len(report.get("not_assessed", ())))


class History:
    """The workspace's history database. One that cannot be read (corrupt, not a database, another
    schema, a symlink or a folder in its place) is set aside, renamed with the time (kept, never
    deleted), and a new one started; ``set_aside`` names what was set aside while this process ran."""

    def __init__(self, root: Path):
        self.path = Path(root) / DATABASE
        self._lock = threading.RLock()  # one writer, and one repair at a time; readers use their own connection
        self.set_aside: list[str] = []

    def _open(self) -> sqlite3.Connection:
        if self.path.is_symlink() or (self.path.exists() and not self.path.is_file()):
            raise _NotOurs(str(self.path))
        connection = sqlite3.connect(self.path, timeout=10)
        try:
            connection.execute("PRAGMA journal_mode=WAL")
            columns = tuple(row[1] for row in connection.execute("PRAGMA table_info(evaluations)"))
            if columns and columns != COLUMNS:  # another program's table of that name
                raise _NotOurs(str(self.path))
            connection.executescript(SCHEMA)
        except BaseException:
            connection.close()
            raise
        return connection

    def _use(self, work):
        """``work(connection)``, with the database set aside and started anew once if it cannot be read."""
        for attempt in (1, 2):
            found = self._identity()
            try:
                connection = self._open()
                try:
                    return work(connection)
                finally:
                    connection.close()
            except (_NotOurs, sqlite3.DatabaseError) as error:
                unreadable = isinstance(error, _NotOurs) or getattr(error, "sqlite_errorname", "") in UNREADABLE
                if attempt == 2 or not unreadable:
                    raise HistoryUnavailable(f"{type(error).__name__}: {error}") from error
                self._set_aside(found)

    def _identity(self) -> tuple[int, int] | None:
        try:
            status = os.lstat(self.path)
        except FileNotFoundError:
            return None
        return status.st_dev, status.st_ino

    def _set_aside(self, found: tuple[int, int] | None) -> None:
        """Rename the database that failed (``found``), unless another request already did."""
        with self._lock:
            if found is None or self._identity() != found:
                return
            stamp = _dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
            kept = self.path.with_name(f"{DATABASE}.unreadable-{stamp}")
            os.rename(self.path, kept)  # a symlink is renamed itself: its target is never touched
            for suffix in ("-wal", "-shm"):  # SQLite's side files belong to the old database
                side = self.path.with_name(DATABASE + suffix)
                if side.is_file() and not side.is_symlink():
                    os.rename(side, kept.with_name(kept.name + suffix))
            self.set_aside.append(kept.name)

    def record(self, name: str, evaluation: Evaluation, input_sha256: str, report_json: str | None = None) -> bool:
        """Record this evaluation of ``name`` unless it is the file's last state; True when recorded.
        ``report_json``: its JSON report when already rendered (by a worker process, off the server's core)."""
        version = _knowledge_version()

        def work(connection: sqlite3.Connection) -> bool:
            last = connection.execute(
                "SELECT input_sha256, knowledge_version FROM evaluations WHERE file = ? ORDER BY id DESC LIMIT 1",
                (name,)).fetchone()
            if last == (input_sha256, version):
                return False
            rendered = report_json or kept_report(evaluation)
            report = json.loads(rendered)
            now = _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds")
            with connection:
                connection.execute(
                    "INSERT INTO evaluations (recorded_at, file, input_sha256, knowledge_version, verdict, "
                    "blockers, major, minor, open_questions, report_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (now, name, input_sha256, report.get("knowledge_version", version), report["verdict"],
                     *counts_of(report), rendered))
            return True

        with self._lock:
            return self._use(work)

    def of(self, name: str) -> list[Record]:
        """The recorded evaluations of ``name``, oldest first."""
        if not (self.path.exists() or self.path.is_symlink()):
            return []
        return self._use(lambda connection: [Record(*row) for row in connection.execute(
            "SELECT id, recorded_at, file, input_sha256, knowledge_version, verdict, blockers, major, minor, "
            "open_questions, report_json FROM evaluations WHERE file = ? ORDER BY id", (name,)).fetchall()])


def kept_report(evaluation: Evaluation) -> str:
    """What the history keeps of an evaluation: its JSON report (in the default language) and the state's keys
    (diff.py), so that a page words what changed in its own language."""
    report = json.loads(render_report(evaluation, "json", knowledge.default_language()))  # the record's language
    report["keys"] = snapshot_keys(snapshot_of_evaluation(evaluation))
    return json.dumps(report, ensure_ascii=False, default=str)


@dataclass(frozen=True)
class Step:
    """One recorded state and what changed since the one before it (None for the first)."""

    record: Record
    comparison: Comparison | None


def timeline(records: list[Record]) -> list[Step]:
    """Each record with diff.py's comparison against the previous one, newest first."""
    steps, before = [], None
    for record in records:
        snapshot = snapshot_of_report(record.file, record.report)
        steps.append(Step(record, compare(before, snapshot) if before is not None else None))
        before = snapshot
    return steps[::-1]
