"""`tahaluf serve`: the consultation, the report and the workspace in a browser (a view only).

Every verdict, question, its order and its wording come from the library (consultation.py,
reports/interview.py, reports/viewmodel.py); every answer is written through
reports/alliance_file.py. This module maps requests to those calls and renders templates.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import sqlite3
import sys
import urllib.parse
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from tahaluf import knowledge
from tahaluf.consultation import Consultation
from tahaluf.errors import InputError, RenderError
from tahaluf.progress import Progress, before_answer, opened, progress
from tahaluf.reports.formats import REPORT_FORMATS
from tahaluf.reports.html import ASSETS as REPORT_ASSETS
from tahaluf.reports.interview import (
    answer_format,
    opened_line,
    option_label,
    question_options,
    question_text,
    status_line,
)
from tahaluf.web import fullform, report_page, work
from tahaluf.web.history import History, HistoryUnavailable, timeline
from tahaluf.web.pages import (
    attachment,
    form_post,
    labels_for,
    lang_of,
    message_page,
    problems_of,
    render_page,
    session_of,
)
from tahaluf.web.report_page import quote_name
from tahaluf.web.screening_jobs import Jobs
from tahaluf.web.screening_pages import ScreeningPages
from tahaluf.web.security import LANG_COOKIE, SecurityMiddleware, Sessions
from tahaluf.web.workspace import NotInWorkspace, NotServable, Workspace

HERE = Path(__file__).resolve().parent
# The reports offered for download (from the formats table), and the alliance file itself.
DOWNLOADS = {**{name: row.content_type for name, row in REPORT_FORMATS.items() if row.on_web},
             "yaml": "application/yaml"}


def _downloads(base: str, lang: str, t: dict[str, str]) -> list[tuple[str, str]]:
    """The report page's downloads, from the formats table: each document in every language, the data in
    the page's, and the alliance file itself. (label, address)."""
    found = []
    offered = [(name, row) for name, row in REPORT_FORMATS.items() if row.on_web]
    for name, row in sorted(offered, key=lambda item: item[1].on_web != "documents"):  # documents first
        for code in knowledge.language_codes() if row.on_web == "documents" else (lang,):
            label = t[f"format.{name}"]
            if row.on_web == "documents":  # "PDF (Arabic)"
                label = t["web.download.document"].replace("{format}", label).replace("{language}",
                                                                                     t[f"language.{code}"])
            found.append((label, f"{base}/{name}/{code}"))
    return found + [(t["web.download.yaml"], f"{base}/yaml/{lang}")]




class App(ScreeningPages):
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

    # The workspace ----------------------------------------------------------------------------

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
                 "stage_label": t[f"web.stage.{e.stage}"] if e.stage else "",
                 "url": quote_name(e.name)} for e in entries]
        # An organisation file for screening is no assessment: listed apart, for the screening page.
        return render_page(request, "index.html.j2", rows=[row for row in rows if not row["entry"].for_screening],
                           screening_orgs=[row for row in rows if row["entry"].for_screening],
                           notice=request.query_params.get("deleted", ""))

    @form_post
    async def new(self, request: Request, form):
        organisation, alliance = str(form.get("organisation", "")).strip(), str(form.get("alliance", "")).strip()
        if not organisation or not alliance:
            return RedirectResponse("/", status_code=303)
        try:
            name = await run_in_threadpool(self.workspace.create, organisation, alliance)
        except InputError as error:
            return render_page(request, "message.html.j2", status=400, message=str(error))
        return RedirectResponse(f"/a/{quote_name(name)}", status_code=303)

    @form_post
    async def delete(self, request: Request, form):
        name, _ = self._file(request)
        async with self._file_lock(name):
            moved = await run_in_threadpool(self.workspace.delete, name)
        return RedirectResponse("/?deleted=" + urllib.parse.quote(moved), status_code=303)

    @form_post
    async def duplicate(self, request: Request, form):
        """A byte-for-byte copy under a free name (its own history starts empty); opened at once."""
        name, _ = self._file(request)
        async with self._file_lock(name):
            copy = await run_in_threadpool(functools.partial(self.workspace.duplicate, name,
                                                             is_free=self._without_history))
        return RedirectResponse(f"/a/{quote_name(copy)}", status_code=303)

    def _without_history(self, name: str) -> bool:
        """A name no earlier (deleted) assessment recorded history under: a copy starts with none."""
        try:
            return not self.history.of(name)
        except (HistoryUnavailable, sqlite3.Error):
            return True

    async def switch_lang(self, request: Request):
        lang = request.path_params["lang"]
        target = request.query_params.get("next", "/")
        if not target.startswith("/") or target.startswith("//") or "\\" in target:
            target = "/"  # only a page of this app: never an open redirect
        response = RedirectResponse(target, status_code=303)
        if lang in knowledge.languages():
            response.set_cookie(LANG_COOKIE, lang, httponly=True, samesite="strict", max_age=365 * 24 * 3600)
        return response

    # The consultation ---------------------------------------------------------------------------

    async def question(self, request: Request, problem: str = "", status: int = 200):
        name, path = self._file(request)
        try:
            version, data, current, report_json = await self.pool.run(work.where, path, name,
                                                                      self._recorded.get(name))
        except InputError as error:
            return render_page(request, "invalid.html.j2", status=422, name=name, url=quote_name(name),
                               problems=problems_of(error, path, name, lang_of(request)))
        await run_in_threadpool(self._record, name, current.evaluation, version, report_json)
        state = session_of(request).file(name)
        where = progress(current, state.passed, state.asked)  # the count and the offer, as in the terminal
        state.asked = set(where.asked)
        question = where.question
        lang = lang_of(request)
        t = labels_for(lang)
        # The answer just written may have opened questions (the count grows): said once, on this page.
        said = opened_line(t, opened(state.before, current), data, lang) \
            if state.answered and state.before is not None else None
        state.before, state.answered = before_answer(current), False
        context: dict[str, Any] = {
            "name": name, "url": quote_name(name), "version": version, "problem": problem, "opened": said,
            "verdict_label": t[f"verdict.{current.verdict}"], "verdict": current.verdict,
            "status_text": status_line(t, where, lang), "settled": current.settled,
            "can_go_back": bool(state.history), "question": None, "offer": _offer(where, current, t, lang)}
        if question is not None:
            context["question"] = {
                "path": question.path, "text": question_text(question, data, lang, t, "web"),
                "count": _count(where, t, lang),
                "consequence": t["interview.consequence." + question.consequence],
                "rules": t["label.list_separator"].join(question.rules[:3]), "format": answer_format(question),
                "format_hint": t["interview.format." + answer_format(question)],
                "options": [{"value": o, "label": option_label(t, o)} for o in question_options(question)],
                "why_url": f"/a/{quote_name(name)}/why?q={urllib.parse.quote(question.path, safe='')}"}
        return render_page(request, "question.html.j2", status=status, **context)

    async def why(self, request: Request):
        name, path = self._file(request)
        try:
            shown = await self.pool.run(work.why, path, request.query_params.get("q", ""), lang_of(request))
        except InputError as error:
            return render_page(request, "invalid.html.j2", status=422, name=name, url=quote_name(name),
                               problems=problems_of(error, path, name, lang_of(request)))
        if shown is None:
            return RedirectResponse(f"/a/{quote_name(name)}", status_code=303)
        text, why = shown
        return render_page(request, "why.html.j2", name=name, url=quote_name(name), text=text, why=why)

    @form_post
    async def answer(self, request: Request, form):
        name, path = self._file(request)
        state = session_of(request).file(name)
        async with self._file_lock(name):  # the version check and the write it guards are one step
            problem, status, after = await self.pool.run(work.answer, path, form.get("version"), state,
                                                          str(form.get("action", "answer")), work.Form.of(form),
                                                          lang_of(request))
            if after is not state:  # done in a worker: the session's state as it left it
                state.history[:], state.passed, state.answered = after.history, set(after.passed), after.answered
        if problem:
            return await self.question(request, problem=problem, status=status)
        return RedirectResponse(f"/a/{quote_name(name)}", status_code=303)

    def _file_lock(self, name: str) -> asyncio.Lock:
        """One writer per file at a time, across the awaits of a write done in a worker."""
        return self._locks.setdefault(name, asyncio.Lock())

    # The full form (web/fullform.py builds it from the model and the knowledge base) -------------------

    async def form_page(self, request: Request):
        name, path = self._file(request)
        try:
            version, state = await self.pool.run(work.form_state, path, lang_of(request))
        except InputError as error:
            return render_page(request, "invalid.html.j2", status=422, name=name, url=quote_name(name),
                               problems=problems_of(error, path, name, lang_of(request)))
        return await self._form(request, name, version, state, saved=request.query_params.get("saved") == "1")

    @form_post(max_bytes=fullform.FORM_MAX_BYTES, max_fields=fullform.FORM_MAX_FIELDS)
    async def form_save(self, request: Request, form):
        name, path = self._file(request)
        try:
            async with self._file_lock(name):  # the check and the write are one step
                shown = await self.pool.run(work.save_form, path, work.Form.of(form), lang_of(request))
        except InputError as error:  # the file on disk is not valid input: say so, as every page does
            return render_page(request, "invalid.html.j2", status=422, name=name, url=quote_name(name),
                               problems=problems_of(error, path, name, lang_of(request)))
        if shown is None:
            return RedirectResponse(f"/a/{quote_name(name)}/form?saved=1", status_code=303)
        return await self._form(request, name, **shown)

    async def _form(self, request: Request, name: str, version: str, state, status: int = 200, problem: str = "",
                    problems=(), rows=None, unsaved=(), focus: str = "", saved: bool = False) -> HTMLResponse:
        shown = await self.pool.run(work.form_view, self.workspace.root, name, state, lang_of(request), problems,
                                    rows, focus)
        known = shown["known"]
        return render_page(request, "form.html.j2", status=status, name=name, url=quote_name(name), version=version,
                           sections=shown["sections"], problem=problem, problems=shown["problems"],
                           unsaved=[dict(item, label=known.get(item["name"], item["name"])) for item in unsaved],
                           saved=saved)

    # The result ------------------------------------------------------------------------------------

    async def _evaluation(self, path: Path, name: str):
        """The file evaluated (in a worker) and recorded in the history."""
        evaluation, version, report_json = await self.pool.run(work.evaluate, path, name, self._recorded.get(name))
        await run_in_threadpool(self._record, name, evaluation, version, report_json)
        return evaluation

    async def report(self, request: Request):
        return await self._report_page(request, report_page.supposed_in(request.query_params))

    async def _report_page(self, request: Request, chosen: list[tuple[str, str]], problem: str = "",
                           status: int = 200):
        """The result page; with ``chosen`` answers supposed (?if=PATH=KEY), the what-if banner too."""
        name, path = self._file(request)
        lang = lang_of(request)
        t = labels_for(lang)
        try:  # evaluated, the what-if worked out and the report built in a worker
            evaluation, version, report_json, whatif, report = await self.pool.run(
                report_page.report_work, path, name, chosen, lang, bool(problem), self._recorded.get(name))
        except InputError as error:
            return render_page(request, "invalid.html.j2", status=422, name=name, url=quote_name(name),
                               problems=problems_of(error, path, name, lang_of(request)))
        await run_in_threadpool(self._record, name, evaluation, version, report_json)
        if isinstance(whatif, InputError):  # a toggle that is not one: say which, show nothing else
            return render_page(request, "message.html.j2", status=400,
                               message=t["web.whatif.bad"].replace("{problem}", str(whatif)))
        base = f"/a/{quote_name(name)}/download"
        downloads = _downloads(base, lang, t)
        return render_page(request, "report.html.j2", status=status, name=name, url=quote_name(name), r=report,
                           report_t=report.labels, downloads=downloads, whatif=whatif, problem=problem,
                           since=await run_in_threadpool(self._since, name, evaluation.source_sha256, t, lang))

    @form_post
    async def keep_whatif(self, request: Request, form):
        """Write the supposed answers into the file (the version check as for an answer), then the report."""
        name, path = self._file(request)
        t = labels_for(lang_of(request))
        chosen = report_page.supposed_in(form)
        async with self._file_lock(name):  # the check and the writes are one step
            conflict, problem = await self.pool.run(report_page.keep_work, path, form.get("version"), chosen,
                                                    lang_of(request))
        if problem:
            return render_page(request, "message.html.j2", status=400, message=problem)
        if conflict:  # where the file stands now, with the same answers supposed if they still apply
            return await self._report_page(request, chosen, problem=t["web.whatif.conflict"], status=409)
        return RedirectResponse(f"/a/{quote_name(name)}/report", status_code=303)

    def _since(self, name: str, input_sha256: str, t: dict[str, str], lang: str) -> dict | None:
        """What changed since the evaluation recorded before this one (diff.py), or None."""
        try:
            steps = timeline(self.history.of(name))
        except (HistoryUnavailable, sqlite3.Error):
            return None
        if not steps or steps[0].comparison is None or steps[0].record.input_sha256 != input_sha256:
            return None
        view = report_page.step_view(steps[0], t, lang)
        view["previous"] = report_page.step_view(steps[1], t, lang)["time"]
        return view

    async def history_page(self, request: Request):
        name, path = self._file(request)
        try:
            await self._evaluation(path, name)  # the file as it is now is part of its history
        except InputError:
            pass
        lang = lang_of(request)
        t = labels_for(lang)
        try:  # read and compared in a thread: the event loop waits for no database
            steps = await run_in_threadpool(
                lambda: [report_page.step_view(step, t, lang) for step in timeline(self.history.of(name))])
        except (HistoryUnavailable, sqlite3.Error):
            return message_page(request, "web.history.unavailable", 503)
        set_aside = [t["web.history.set_aside"].replace("{name}", kept) for kept in self.history.set_aside]
        return render_page(request, "history.html.j2", name=name, url=quote_name(name), steps=steps,
                           set_aside=set_aside)

    async def download(self, request: Request):
        name, path = self._file(request)
        fmt, lang = request.path_params["fmt"], request.path_params["lang"]
        if fmt not in DOWNLOADS or lang not in knowledge.languages():
            raise HTTPException(404, "web.not_found")
        stem = Path(name).stem
        if fmt == "yaml":
            content: bytes | str = await run_in_threadpool(path.read_bytes)
            filename = name
        else:
            try:
                content, evaluation, version, report_json = await self.pool.run(work.render, path, name, fmt, lang,
                                                                                self._recorded.get(name))
                await run_in_threadpool(self._record, name, evaluation, version, report_json)
            except InputError:
                raise HTTPException(422, "web.bad_input") from None
            except RenderError:
                raise HTTPException(500, "web.bad_input") from None
            filename = f"{stem}.{lang}{REPORT_FORMATS[fmt].suffix}"
        return Response(content, media_type=DOWNLOADS[fmt], headers={"content-disposition": attachment(filename)})


def _count(where: Progress, t: dict[str, str], lang: str) -> str:
    """"Question 3 of about 12 that could change the verdict", or how many only refine the report."""
    if where.deciding:
        return t["interview.progress"].replace("{n}", str(where.number)).replace("{total}", str(where.total))
    left = knowledge.count_phrase("remaining_question", where.left, lang)
    return t["interview.refining"].replace("{questions}", left)


def _offer(where: Progress, current: Consultation, t: dict[str, str], lang: str) -> str | None:
    """Why the director may stop here (None: some question left could still change the verdict)."""
    if not where.offer_stop:
        return None
    verdict = t[f"verdict.{current.verdict}"]
    if where.unchanged:  # the answers that could change it were "don't know"
        return t["interview.unchanged"].replace("{verdict}", verdict).replace(
            "{questions}", knowledge.count_phrase("remaining_question", where.left, lang))
    return status_line(t, where, lang)


async def _http_error(request: Request, error: HTTPException):
    key = error.detail if isinstance(error.detail, str) and error.detail.startswith("web.") else "web.not_found"
    return message_page(request, key, error.status_code)


def create_app(workspace: str | Path, token: str | None = None, workers: int | None = None,
               hosts: frozenset[str] | None = None) -> Any:
    """The ASGI application serving the assessments in ``workspace`` (created if missing);
    with ``token``, every request must carry it (see security.py); with ``hosts``, only requests
    addressed to one of them are answered (see frontdoor.py). ``workers``: the processes that
    evaluate and render (work.Pool; None: one per core, 0: in the event loop)."""
    space = Workspace(workspace)
    space.ensure()
    app = App(space, workers)
    routes = [
        Route("/", app.index),
        Route("/new", app.new, methods=["POST"]),
        Route("/lang/{lang}", app.switch_lang),
        Route("/a/{name}", app.question),
        Route("/a/{name}/why", app.why),
        Route("/a/{name}/answer", app.answer, methods=["POST"]),
        Route("/a/{name}/delete", app.delete, methods=["POST"]),
        Route("/a/{name}/duplicate", app.duplicate, methods=["POST"]),
        Route("/a/{name}/form", app.form_page),
        Route("/a/{name}/form", app.form_save, methods=["POST"]),
        Route("/a/{name}/report", app.report),
        Route("/a/{name}/whatif", app.keep_whatif, methods=["POST"]),
        Route("/a/{name}/history", app.history_page),
        Route("/screen", app.screen_form),
        Route("/screen", app.screen_upload, methods=["POST"]),
        Route("/screen/{job}", app.screen_job),
        Route("/screen/{job}/download/{kind}", app.screen_download),
        Route("/a/{name}/download/{fmt}/{lang}", app.download),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
        Mount("/report-assets", StaticFiles(directory=REPORT_ASSETS), name="report-assets"),
    ]
    @contextlib.asynccontextmanager
    async def lifespan(_):
        app.jobs.prune()
        await run_in_threadpool(app.pool.warm)
        try:
            yield
        finally:
            app.pool.close()
            app.jobs.close()

    # Starlette types every handler's argument as Exception, not as the class the handler is keyed by.
    handlers = {HTTPException: _http_error}
    starlette = Starlette(routes=routes, exception_handlers=handlers, lifespan=lifespan)  # type: ignore[arg-type]
    return SecurityMiddleware(starlette, Sessions(), token, hosts)
