"""What every area of the web app holds (the workspace, the worker pool, the history, the screening
jobs, one lock per file) and the file a request names. The areas' pages (assessment_pages.py,
question_pages.py, form_pages.py, report_pages.py, history_pages.py, screening_pages.py) are mixins
of this class; app.py puts them together and gives each route its name."""

from __future__ import annotations

import asyncio
import sqlite3
import sys
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request

from tahaluf.web import work
from tahaluf.web.history import History, HistoryUnavailable
from tahaluf.web.screening_jobs import Jobs
from tahaluf.web.workspace import NotInWorkspace, NotServable, Workspace


class AppBase:
    def __init__(self, workspace: Workspace, workers: int | None = None):
        self.workspace = workspace
        self.pool = work.Pool(workers)
        self._locks: dict[str, asyncio.Lock] = {}
        self.history = History(workspace.root)
        self.jobs = Jobs(workspace.root)
        # The input SHA-256 this server last recorded per file: a worker renders the history's JSON
        # report only for a state not recorded yet (history.record checks the database anyway).
        self._recorded: dict[str, str] = {}

    def _record(self, name: str, evaluation, input_sha256: str, report_json: str | None = None) -> None:
        """Every evaluation the app makes goes into the workspace's history (a new state once)."""
        try:
            self.history.record(name, evaluation, input_sha256, report_json)
            self._recorded[name] = input_sha256
        except (HistoryUnavailable, sqlite3.Error) as error:  # the page still works; say so where it is served
            print(f"tahaluf: history not recorded ({type(error).__name__}: {error})", file=sys.stderr, flush=True)

    def _file(self, request: Request) -> tuple[str, Path]:
        name = request.path_params["name"]
        try:
            return name, self.workspace.existing(name)
        except NotServable:
            raise HTTPException(403, "web.not_servable") from None
        except NotInWorkspace:
            raise HTTPException(400, "web.refused") from None
        except FileNotFoundError:
            raise HTTPException(404, "web.not_found") from None

    def _file_lock(self, name: str) -> asyncio.Lock:
        """One writer per file at a time, across the awaits of a write done in a worker."""
        return self._locks.setdefault(name, asyncio.Lock())

    async def _evaluation(self, path: Path, name: str):
        """The file evaluated (in a worker) and recorded in the history."""
        evaluation, version, report_json = await self.pool.run(work.evaluate, path, name, self._recorded.get(name))
        await run_in_threadpool(self._record, name, evaluation, version, report_json)
        return evaluation
