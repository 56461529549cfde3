"""The workspace's pages: the list of assessments (/), a new one, a copy, a deletion, and the
language menu's switch. Each assessment is evaluated by the engine in the worker pool."""

from __future__ import annotations

import asyncio
import functools
import sqlite3
import urllib.parse

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse
from starlette.routing import Route

from tahaluf import knowledge
from tahaluf.errors import InputError
from tahaluf.web import work
from tahaluf.web.app_base import AppBase
from tahaluf.web.history import HistoryUnavailable
from tahaluf.web.pages import form_post, labels_for, lang_of, path_for, render_page
from tahaluf.web.security import LANG_COOKIE


class AssessmentPages(AppBase):
    async def index(self, request: Request):
        # Each file evaluated in the pool (all at once: every worker busy), recorded in a thread.
        names = await run_in_threadpool(self.workspace.names)
        found = [one for one in await asyncio.gather(*(
            self.pool.run(work.entry, self.workspace.root, name, self._recorded.get(name)) for name in names)) if one]

        def record_found() -> None:
            for e, evaluation, version, report_json in found:
                if evaluation is not None:
                    self._record(e.name, evaluation, version, report_json)

        await run_in_threadpool(record_found)
        entries = [e for e, *_ in found]
        t = labels_for(lang_of(request))
        rows = [{"entry": e, "verdict_label": t[f"verdict.{e.verdict}"] if e.verdict else t["web.invalid"],
                 "stage_label": t[f"web.stage.{e.stage}"] if e.stage else ""} for e in entries]
        # An organisation file for screening is no assessment: listed apart, for the screening page.
        return render_page(request, "index.html.j2", rows=[row for row in rows if not row["entry"].for_screening],
                           screening_orgs=[row for row in rows if row["entry"].for_screening],
                           notice=request.query_params.get("deleted", ""))

    @form_post
    async def new(self, request: Request, form):
        organisation, alliance = str(form.get("organisation", "")).strip(), str(form.get("alliance", "")).strip()
        if not organisation or not alliance:
            return RedirectResponse(path_for(request, "index"), status_code=303)
        try:
            name = await run_in_threadpool(self.workspace.create, organisation, alliance)
        except InputError as error:
            return render_page(request, "message.html.j2", status=400, message=str(error))
        return RedirectResponse(path_for(request, "question", name=name), status_code=303)

    @form_post
    async def delete(self, request: Request, form):
        name, _ = self._file(request)
        async with self._file_lock(name):
            moved = await run_in_threadpool(self.workspace.delete, name)
        return RedirectResponse(path_for(request, "index") + "?deleted=" + urllib.parse.quote(moved), status_code=303)

    @form_post
    async def duplicate(self, request: Request, form):
        """A byte-for-byte copy under a free name (its own history starts empty); opened at once."""
        name, _ = self._file(request)
        async with self._file_lock(name):
            copy = await run_in_threadpool(functools.partial(self.workspace.duplicate, name,
                                                             is_free=self._without_history))
        return RedirectResponse(path_for(request, "question", name=copy), status_code=303)

    def _without_history(self, name: str) -> bool:
        """A name no earlier (deleted) assessment recorded history under: a copy starts with none."""
        try:
            return not self.history.of(name)
        except (HistoryUnavailable, sqlite3.Error):
            return True

    async def switch_lang(self, request: Request):
        lang = request.path_params["lang"]
        target = request.query_params.get("next", "")
        if not target.startswith("/") or target.startswith("//") or "\\" in target:
            target = path_for(request, "index")  # only a page of this app: never an open redirect
        response = RedirectResponse(target, status_code=303)
        if lang in knowledge.languages():
            response.set_cookie(LANG_COOKIE, lang, httponly=True, samesite="strict", max_age=365 * 24 * 3600)
        return response


def routes(app: AssessmentPages) -> list[Route]:
    return [
        Route("/", app.index, name="index"),
        Route("/new", app.new, methods=["POST"], name="new"),
        Route("/lang/{lang}", app.switch_lang, name="lang"),
        Route("/a/{name}/delete", app.delete, methods=["POST"], name="delete"),
        Route("/a/{name}/duplicate", app.duplicate, methods=["POST"], name="duplicate"),
    ]
