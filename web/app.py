"""`tahaluf serve`: the consultation, the report and the workspace in a browser (a view only).

Every verdict, question, its order and its wording come from the library (consultation.py,
reports/interview.py, reports/viewmodel.py); every answer is written through
reports/alliance_file.py. This module maps requests to those calls and renders templates.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import os
import sqlite3
import sys
import urllib.parse
from pathlib import Path
from typing import Any

import jinja2
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from tahaluf import knowledge
from tahaluf.consultation import Consultation
from tahaluf.errors import InputError, RenderError
from tahaluf.progress import Progress, before_answer, opened, progress
from tahaluf.reports.formats import REPORT_FORMATS
from tahaluf.reports.html import ASSETS as REPORT_ASSETS
from tahaluf.reports.html import direct_mixed_values
from tahaluf.reports.interview import (
    answer_format,
    opened_line,
    option_label,
    question_options,
    question_text,
    status_line,
)
from tahaluf.reports.templating import TEMPLATES as REPORT_TEMPLATES
from tahaluf.screening.writers import CSV_REASONS_SEPARATOR
from tahaluf.web import fullform, report_page, work
from tahaluf.web.history import History, HistoryUnavailable, timeline
from tahaluf.web.screening_jobs import KINDS, UPLOAD_MAX_BYTES, Jobs, sorted_rows
from tahaluf.web.security import LANG_COOKIE, MAX_FORM_BYTES, SecurityMiddleware, Session, Sessions
from tahaluf.web.workspace import NotInWorkspace, NotServable, Workspace

HERE = Path(__file__).resolve().parent
# The reports offered for download (from the formats table), and the alliance file itself.
DOWNLOADS = {**{name: row.content_type for name, row in REPORT_FORMATS.items() if row.on_web},
             "yaml": "application/yaml"}
SCREEN_MEDIA = {"csv": "text/csv; charset=utf-8", "errors": "text/csv; charset=utf-8",
                "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
SCREEN_ROWS_SHOWN = 500  # the page shows this many; the downloads have every row


@functools.cache
def _environment() -> jinja2.Environment:
    loader = jinja2.ChoiceLoader([jinja2.FileSystemLoader(HERE / "templates"),
                                  jinja2.FileSystemLoader(REPORT_TEMPLATES)])
    return jinja2.Environment(loader=loader, autoescape=True, undefined=jinja2.StrictUndefined,
                              trim_blocks=True, lstrip_blocks=True)


def _labels(lang: str) -> dict[str, str]:
    return {key: text(lang) for key, text in knowledge.labels().items()}


def _lang(request: Request) -> str:
    lang = request.cookies.get(LANG_COOKIE)
    return lang if lang in knowledge.languages() else knowledge.default_language()


def _session(request: Request) -> Session:
    return request.scope["state"]["session"]


def _page(request: Request, template: str, status: int = 200, **context) -> HTMLResponse:
    lang = _lang(request)
    t = _labels(lang)
    here = request.url.path + (("?" + request.url.query) if request.url.query else "")
    html = _environment().get_template(template).render(
        lang=lang, direction=knowledge.direction(lang), t=t, csrf=_session(request).csrf,
        other_languages=_other_languages(lang, here), **context)
    return HTMLResponse(direct_mixed_values(html, knowledge.direction(lang)), status_code=status)


def _downloads(base: str, lang: str, t: dict[str, str]) -> list[tuple[str, str]]:
    """The report page's downloads, from the formats table: each document in every language, the data in
    the page's, and the alliance file itself. (label, address)."""
    found = []
    for name, row in REPORT_FORMATS.items():
        languages = knowledge.language_codes() if row.on_web == "documents" else (lang,) if row.on_web else ()
        for code in languages:
            label = t["web.download.document"] if row.on_web == "documents" else "{format}"
            found.append((label.replace("{format}", t[f"format.{name}"]).replace("{language}", t[f"language.{code}"]),
                          f"{base}/{name}/{code}"))
    return found + [(t["web.download.yaml"], f"{base}/yaml/{lang}")]


def _other_languages(lang: str, here: str) -> list[dict[str, str]]:
    """The language menu: every other language, by its own name, back to this page."""
    back = "?next=" + urllib.parse.quote(here, safe="")
    return [{"code": code, "name": language.name, "url": f"/lang/{code}{back}"}
            for code, language in knowledge.languages().items() if code != lang]


def _message(request: Request, key: str, status: int) -> HTMLResponse:
    return _page(request, "message.html.j2", status=status, message=_labels(_lang(request))[key])


def _form_post(handler=None, *, max_bytes: int = MAX_FORM_BYTES, max_fields: int = 100):
    """Every POST: a bounded form carrying this session's CSRF token; else 403 and nothing done."""
    if handler is None:  # @_form_post(max_bytes=..., max_fields=...): a larger form
        return functools.partial(_form_post, max_bytes=max_bytes, max_fields=max_fields)

    @functools.wraps(handler)
    async def wrapped(self, request: Request):
        length = request.headers.get("content-length")
        if length is None or not length.isdigit() or int(length) > max_bytes:
            return _message(request, "web.forbidden", 413 if length and length.isdigit() else 411)
        form = await request.form(max_files=0, max_fields=max_fields)
        if not _session(request).csrf_ok(form.get("csrf")):
            return _message(request, "web.forbidden", 403)
        return await handler(self, request, form)
    return wrapped


class App:
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
        t = _labels(_lang(request))
        rows = [{"entry": e, "verdict_label": t[f"verdict.{e.verdict}"] if e.verdict else t["web.invalid"],
                 "stage_label": t[f"web.stage.{e.stage}"] if e.stage else "",
                 "url": _quote(e.name)} for e in entries]
        # An organisation file for screening is no assessment: listed apart, for the screening page.
        return _page(request, "index.html.j2", rows=[row for row in rows if not row["entry"].for_screening],
                     screening_orgs=[row for row in rows if row["entry"].for_screening],
                     notice=request.query_params.get("deleted", ""))

    @_form_post
    async def new(self, request: Request, form):
        organisation, alliance = str(form.get("organisation", "")).strip(), str(form.get("alliance", "")).strip()
        if not organisation or not alliance:
            return RedirectResponse("/", status_code=303)
        try:
            name = await run_in_threadpool(self.workspace.create, organisation, alliance)
        except InputError as error:
            return _page(request, "message.html.j2", status=400, message=str(error))
        return RedirectResponse(f"/a/{_quote(name)}", status_code=303)

    @_form_post
    async def delete(self, request: Request, form):
        name, _ = self._file(request)
        async with self._file_lock(name):
            moved = await run_in_threadpool(self.workspace.delete, name)
        return RedirectResponse("/?deleted=" + urllib.parse.quote(moved), status_code=303)

    @_form_post
    async def duplicate(self, request: Request, form):
        """A byte-for-byte copy under a free name (its own history starts empty); opened at once."""
        name, _ = self._file(request)
        async with self._file_lock(name):
            copy = await run_in_threadpool(functools.partial(self.workspace.duplicate, name,
                                                             is_free=self._without_history))
        return RedirectResponse(f"/a/{_quote(copy)}", status_code=303)

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
            return _page(request, "invalid.html.j2", status=422, name=name, url=_quote(name),
                         problems=_problems(error, path, name))
        await run_in_threadpool(self._record, name, current.evaluation, version, report_json)
        state = _session(request).file(name)
        where = progress(current, state.passed, state.asked)  # the count and the offer, as in the terminal
        state.asked = set(where.asked)
        question = where.question
        lang = _lang(request)
        t = _labels(lang)
        # The answer just written may have opened questions (the count grows): said once, on this page.
        said = opened_line(t, opened(state.before, current), data, lang) \
            if state.answered and state.before is not None else None
        state.before, state.answered = before_answer(current), False
        context: dict[str, Any] = {
            "name": name, "url": _quote(name), "version": version, "problem": problem, "opened": said,
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
                "why_url": f"/a/{_quote(name)}/why?q={urllib.parse.quote(question.path, safe='')}"}
        return _page(request, "question.html.j2", status=status, **context)

    async def why(self, request: Request):
        name, path = self._file(request)
        try:
            shown = await self.pool.run(work.why, path, request.query_params.get("q", ""), _lang(request))
        except InputError as error:
            return _page(request, "invalid.html.j2", status=422, name=name, url=_quote(name),
                         problems=_problems(error, path, name))
        if shown is None:
            return RedirectResponse(f"/a/{_quote(name)}", status_code=303)
        text, why = shown
        return _page(request, "why.html.j2", name=name, url=_quote(name), text=text, why=why)

    @_form_post
    async def answer(self, request: Request, form):
        name, path = self._file(request)
        state = _session(request).file(name)
        async with self._file_lock(name):  # the version check and the write it guards are one step
            problem, status, after = await self.pool.run(work.answer, path, form.get("version"), state,
                                                          str(form.get("action", "answer")), work.Form.of(form),
                                                          _lang(request))
            if after is not state:  # done in a worker: the session's state as it left it
                state.history[:], state.passed, state.answered = after.history, set(after.passed), after.answered
        if problem:
            return await self.question(request, problem=problem, status=status)
        return RedirectResponse(f"/a/{_quote(name)}", status_code=303)

    def _file_lock(self, name: str) -> asyncio.Lock:
        """One writer per file at a time, across the awaits of a write done in a worker."""
        return self._locks.setdefault(name, asyncio.Lock())

    # The full form (web/fullform.py builds it from the model and the knowledge base) -------------------

    async def form_page(self, request: Request):
        name, path = self._file(request)
        try:
            version, state = await self.pool.run(work.form_state, path, _lang(request))
        except InputError as error:
            return _page(request, "invalid.html.j2", status=422, name=name, url=_quote(name),
                         problems=_problems(error, path, name))
        return await self._form(request, name, version, state, saved=request.query_params.get("saved") == "1")

    @_form_post(max_bytes=fullform.FORM_MAX_BYTES, max_fields=fullform.FORM_MAX_FIELDS)
    async def form_save(self, request: Request, form):
        name, path = self._file(request)
        try:
            async with self._file_lock(name):  # the check and the write are one step
                shown = await self.pool.run(work.save_form, path, work.Form.of(form), _lang(request))
        except InputError as error:  # the file on disk is not valid input: say so, as every page does
            return _page(request, "invalid.html.j2", status=422, name=name, url=_quote(name),
                         problems=_problems(error, path, name))
        if shown is None:
            return RedirectResponse(f"/a/{_quote(name)}/form?saved=1", status_code=303)
        return await self._form(request, name, **shown)

    async def _form(self, request: Request, name: str, version: str, state, status: int = 200, problem: str = "",
                    problems=(), rows=None, unsaved=(), focus: str = "", saved: bool = False) -> HTMLResponse:
        shown = await self.pool.run(work.form_view, self.workspace.root, name, state, _lang(request), problems,
                                    rows, focus)
        known = shown["known"]
        return _page(request, "form.html.j2", status=status, name=name, url=_quote(name), version=version,
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
        lang = _lang(request)
        t = _labels(lang)
        try:  # evaluated, the what-if worked out and the report built in a worker
            evaluation, version, report_json, whatif, report = await self.pool.run(
                report_page.report_work, path, name, chosen, lang, bool(problem), self._recorded.get(name))
        except InputError as error:
            return _page(request, "invalid.html.j2", status=422, name=name, url=_quote(name),
                         problems=_problems(error, path, name))
        await run_in_threadpool(self._record, name, evaluation, version, report_json)
        if isinstance(whatif, InputError):  # a toggle that is not one: say which, show nothing else
            return _page(request, "message.html.j2", status=400,
                         message=t["web.whatif.bad"].replace("{problem}", str(whatif)))
        base = f"/a/{_quote(name)}/download"
        downloads = _downloads(base, lang, t)
        return _page(request, "report.html.j2", status=status, name=name, url=_quote(name), r=report,
                     report_t=report.labels, downloads=downloads, whatif=whatif, problem=problem,
                     since=await run_in_threadpool(self._since, name, evaluation.source_sha256, t, lang))

    @_form_post
    async def keep_whatif(self, request: Request, form):
        """Write the supposed answers into the file (the version check as for an answer), then the report."""
        name, path = self._file(request)
        t = _labels(_lang(request))
        chosen = report_page.supposed_in(form)
        async with self._file_lock(name):  # the check and the writes are one step
            conflict, problem = await self.pool.run(report_page.keep_work, path, form.get("version"), chosen,
                                                    _lang(request))
        if problem:
            return _page(request, "message.html.j2", status=400, message=problem)
        if conflict:  # where the file stands now, with the same answers supposed if they still apply
            return await self._report_page(request, chosen, problem=t["web.whatif.conflict"], status=409)
        return RedirectResponse(f"/a/{_quote(name)}/report", status_code=303)

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
        lang = _lang(request)
        t = _labels(lang)
        try:  # read and compared in a thread: the event loop waits for no database
            steps = await run_in_threadpool(
                lambda: [report_page.step_view(step, t, lang) for step in timeline(self.history.of(name))])
        except (HistoryUnavailable, sqlite3.Error):
            return _message(request, "web.history.unavailable", 503)
        set_aside = [t["web.history.set_aside"].replace("{name}", kept) for kept in self.history.set_aside]
        return _page(request, "history.html.j2", name=name, url=_quote(name), steps=steps, set_aside=set_aside)

    # Screening -------------------------------------------------------------------------------------

    async def screen_form(self, request: Request, problem: str = "", status: int = 200):
        orgs = await self.pool.run(work.organisations, self.workspace.root)  # every file read: in a worker
        return _page(request, "screen.html.j2", status=status, problem=problem, orgs=orgs,
                     limit_mb=UPLOAD_MAX_BYTES // (1024 * 1024))

    async def screen_upload(self, request: Request):
        """The one POST with a file: its own size limit, then the CSRF check as for every form."""
        t = _labels(_lang(request))
        length = request.headers.get("content-length")
        if length is None or not length.isdigit():
            return _message(request, "web.forbidden", 411)
        if int(length) > UPLOAD_MAX_BYTES + MAX_FORM_BYTES:
            return await self.screen_form(request, t["web.screen.too_large"], 413)
        form = await request.form(max_files=1, max_fields=10)
        try:
            if not _session(request).csrf_ok(form.get("csrf")):
                return _message(request, "web.forbidden", 403)
            upload = form.get("candidates")
            suffix = Path(getattr(upload, "filename", "") or "").suffix.lower()
            if upload is None or isinstance(upload, str) or suffix not in KINDS:
                return await self.screen_form(request, t["web.screen.kind"], 422)
            try:
                org = self.workspace.existing(str(form.get("org", "")))
            except (NotInWorkspace, FileNotFoundError):
                return await self.screen_form(request, t["web.screen.choose_org"], 422)
            job = await run_in_threadpool(self.jobs.new, Path(upload.filename or "").name)  # may remove old jobs' files
            target = job.folder / f"upload{suffix}"
            # A private file (0600) of the workspace, filled in bounded pieces, never over the limit.
            descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
            size = 0
            with os.fdopen(descriptor, "wb") as handle:
                while chunk := await upload.read(1024 * 1024):
                    size += len(chunk)
                    if size > UPLOAD_MAX_BYTES:
                        break
                    await run_in_threadpool(handle.write, chunk)
            if size > UPLOAD_MAX_BYTES:
                await run_in_threadpool(self.jobs.discard, job)  # nothing kept of a refused upload
                return await self.screen_form(request, t["web.screen.too_large"], 413)
        finally:
            await form.close()
        _session(request).screenings.add(job.id)
        self.jobs.start(job, target, org, _lang(request))
        return RedirectResponse(f"/screen/{job.id}", status_code=303)

    def _job(self, request: Request):
        ident = request.path_params["job"]
        job = self.jobs.get(ident) if ident in _session(request).screenings else None
        if job is None:
            raise HTTPException(404, "web.screen.not_found")
        return job

    async def screen_job(self, request: Request):
        job = self._job(request)
        if job.state not in ("done", "failed"):
            return _page(request, "screen_wait.html.j2", job=job, url=f"/screen/{job.id}")
        lang = _lang(request)
        t = _labels(lang)
        if job.state == "failed":
            problem = (t["web.screen.too_many_rows"].replace("{limit}", f"{job.too_many:,}")
                       if job.too_many else job.problem)
            return _page(request, "screen_result.html.j2", status=413 if job.too_many else 422, job=job,
                         problem=problem, columns=[], rows=[], statuses=[], downloads=[], shown="")
        query = request.query_params
        column = int(query["sort"]) if query.get("sort", "").isdigit() and int(query["sort"]) < len(job.header) else 0
        descending = query.get("dir") == "desc"
        statuses = job.statuses
        status = query.get("status") if query.get("status") in statuses else None
        # Read from the result file and sorted in a worker (up to 200,000 rows: CPU work), in a thread
        # without the pool: the server holds no more rows than a page shows.
        arguments = (sorted_rows, job, column, descending, status, SCREEN_ROWS_SHOWN)
        rows, count = await (self.pool.run(*arguments) if self.pool.workers
                             else run_in_threadpool(sorted_rows, *arguments[1:]))
        base = f"/screen/{job.id}"

        def link(**change) -> str:
            params = {"sort": column, "dir": "desc" if descending else "asc", **({"status": status} if status else {}),
                      **change}
            return base + "?" + urllib.parse.urlencode({k: v for k, v in params.items() if v is not None})

        columns = [{"title": _screen_word(t, lang, "screen.column", title), "sorted": index == column,
                    "descending": descending,
                    "url": link(sort=index, dir="asc" if index != column or descending else "desc")}
                   for index, title in enumerate(job.header)]
        filters = [{"label": t["web.screen.all"], "url": link(status=None), "current": status is None}] + [
            {"label": _screen_word(t, lang, "partner", value), "url": link(status=value), "current": value == status}
            for value in statuses]
        downloads = [("web.screen.download.xlsx", f"{base}/download/xlsx"),
                     ("web.screen.download.csv", f"{base}/download/csv")]
        if job.file("errors").exists():
            downloads.append(("web.screen.download.errors", f"{base}/download/errors"))
        shown = t["web.screen.shown"].replace("{shown_rows}", knowledge.count_phrase("row", len(rows), lang)) \
            .replace("{shown}", str(len(rows))).replace("{rows}", knowledge.count_phrase("row", count, lang)) \
            .replace("{count}", str(count))
        return _page(request, "screen_result.html.j2", job=job, problem="", columns=columns,
                     rows=[_screen_cells(row, job.header, t, lang) for row in rows],
                     statuses=filters, downloads=downloads, shown=shown)

    async def screen_download(self, request: Request):
        job = self._job(request)
        kind = request.path_params["kind"]
        if job.state != "done" or kind not in ("csv", "xlsx", "errors") or not job.file(kind).is_file():
            raise HTTPException(404, "web.screen.not_found")
        stem = Path(job.source_name).stem or "candidates"
        filename = (f"{stem}.screened.{'xlsx' if kind == 'xlsx' else 'csv'}" if kind != "errors"
                    else f"{stem}.errors.csv")
        media = SCREEN_MEDIA[kind]
        return FileResponse(job.file(kind), media_type=media,  # streamed from the file
                            headers={"content-disposition": _attachment(filename)})

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
        return Response(content, media_type=DOWNLOADS[fmt], headers={"content-disposition": _attachment(filename)})


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


# Screening results as the CSV has them: English column, status and sector codes. The page words them
# in its language, as the XLSX and HTML outputs do ("Not yet known", "Research centre", «مركز بحوث»).
SCREEN_WORDED = {"status": "partner", "sector": "sector"}
SCREEN_CODES = ("failed", "not_assessed", "guidance")  # rule codes and guide items, "; " between them


def _screen_word(t: dict[str, str], lang: str, prefix: str, code: str) -> str:
    return t.get(f"{prefix}.{code}", code)


def _screen_cells(row: tuple, header: list[str], t: dict[str, str], lang: str) -> list[dict[str, Any]]:
    cells = []
    for title, text in zip(header, row):
        if title in SCREEN_CODES and text:
            cells.append({"text": text, "codes": text.split("; "), "reasons": []})
        elif title == "reasons" and text:  # every reason, one item each, folded under their count
            reasons = text.split(CSV_REASONS_SEPARATOR)
            cells.append({"text": knowledge.count_phrase("reason", len(reasons), lang), "codes": [],
                          "reasons": reasons})
        else:
            worded = _screen_word(t, lang, SCREEN_WORDED[title], text) if title in SCREEN_WORDED and text else text
            cells.append({"text": worded, "codes": [], "reasons": []})
    return cells


def _problems(error: InputError, path: Path, name: str) -> list[str]:
    """The loader's lines, naming the file as the workspace does (not by the server's own path)."""
    return [line.replace(str(path), name) for line in (getattr(error, "lines", None) or [str(error)])]


def _attachment(filename: str) -> str:
    ascii_name = "".join(c if c.isascii() and (c.isalnum() or c in "-_.") else "_" for c in filename)
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{urllib.parse.quote(filename)}"


_quote = report_page.quote_name


async def _http_error(request: Request, error: HTTPException):
    key = error.detail if isinstance(error.detail, str) and error.detail.startswith("web.") else "web.not_found"
    return _message(request, key, error.status_code)


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
