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
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path

from tahaluf import knowledge
from tahaluf.diff import Comparison, compare, snapshot_of_report
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
    report_json TEXT NOT NULL           -- the JSON report (English), for the diff
);
CREATE INDEX IF NOT EXISTS evaluations_by_file ON evaluations (file, id);
"""


class HistoryUnavailable(Exception):
    """The database path is not a plain file of the workspace (a symlink, a folder)."""


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
    def __init__(self, root: Path):
        self.path = Path(root) / DATABASE
        self._lock = threading.Lock()  # one writer; readers use their own connection

    def _connect(self) -> sqlite3.Connection:
        if self.path.is_symlink() or (self.path.exists() and not self.path.is_file()):
            raise HistoryUnavailable(str(self.path))
        connection = sqlite3.connect(self.path, timeout=10)
        connection.execute("PRAGMA journal_mode=WAL")
        connection.executescript(SCHEMA)
        return connection

    def record(self, name: str, evaluation: Evaluation, input_sha256: str) -> bool:
        """Record this evaluation of ``name`` unless it is the file's last state; True when recorded."""
        version = _knowledge_version()
        with self._lock:
            connection = self._connect()
            try:
                last = connection.execute(
                    "SELECT input_sha256, knowledge_version FROM evaluations WHERE file = ? ORDER BY id DESC LIMIT 1",
                    (name,)).fetchone()
                if last == (input_sha256, version):
                    return False
                report_json = render_report(evaluation, "json", "en")
                report = json.loads(report_json)
                now = _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")
                with connection:
                    connection.execute(
                        "INSERT INTO evaluations (recorded_at, file, input_sha256, knowledge_version, verdict, "
                        "blockers, major, minor, open_questions, report_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (now, name, input_sha256, report.get("knowledge_version", version), report["verdict"],
                         *counts_of(report), report_json))
                return True
            finally:
                connection.close()

    def of(self, name: str) -> list[Record]:
        """The recorded evaluations of ``name``, oldest first."""
        if not self.path.exists():
            return []
        connection = self._connect()
        try:
            rows = connection.execute(
                "SELECT id, recorded_at, file, input_sha256, knowledge_version, verdict, blockers, major, minor, "
                "open_questions, report_json FROM evaluations WHERE file = ? ORDER BY id", (name,)).fetchall()
        finally:
            connection.close()
        return [Record(*row) for row in rows]


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
