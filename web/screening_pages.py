"""The screening pages of the web app (/screen): the upload, the job's progress and its ranked table, and
the result files. A view: the screening pipeline (screening/) decides every status and reason."""

from __future__ import annotations

import os
import urllib.parse
from pathlib import Path
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse
from starlette.routing import Route

from tahaluf import knowledge
from tahaluf.screening.writers import CSV_REASONS_SEPARATOR
from tahaluf.web import work
from tahaluf.web.app_base import AppBase
from tahaluf.web.pages import attachment, labels_for, lang_of, message_page, path_for, render_page, session_of
from tahaluf.web.screening_jobs import KINDS, UPLOAD_MAX_BYTES, sorted_rows
from tahaluf.web.security import MAX_FORM_BYTES
from tahaluf.web.workspace import NotInWorkspace

SCREEN_MEDIA = {"csv": "text/csv; charset=utf-8", "errors": "text/csv; charset=utf-8",
                "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
SCREEN_ROWS_SHOWN = 500  # the page shows this many; the downloads have every row


class ScreeningPages(AppBase):
    """The screening routes, mixed into app.App (AppBase holds the workspace, the jobs and the pool)."""

    async def screen_form(self, request: Request, problem: str = "", status: int = 200):
        orgs = await self.pool.run(work.organisations, self.workspace.root)  # every file read: in a worker
        return render_page(request, "screen.html.j2", status=status, problem=problem, orgs=orgs,
                           limit_mb=UPLOAD_MAX_BYTES // (1024 * 1024))

    async def screen_upload(self, request: Request):
        """The one POST with a file: its own size limit, then the CSRF check as for every form."""
        t = labels_for(lang_of(request))
        length = request.headers.get("content-length")
        if length is None or not length.isdigit():
            return message_page(request, "web.forbidden", 411)
        if int(length) > UPLOAD_MAX_BYTES + MAX_FORM_BYTES:
            return await self.screen_form(request, t["web.screen.too_large"], 413)
        form = await request.form(max_files=1, max_fields=10)
        try:
            if not session_of(request).csrf_ok(form.get("csrf")):
                return message_page(request, "web.forbidden", 403)
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
        session_of(request).screenings.add(job.id)
        self.jobs.start(job, target, org, lang_of(request))
        return RedirectResponse(path_for(request, "screen_job", job=job.id), status_code=303)

    def _job(self, request: Request):
        ident = request.path_params["job"]
        job = self.jobs.get(ident) if ident in session_of(request).screenings else None
        if job is None:
            raise HTTPException(404, "web.screen.not_found")
        return job

    async def screen_job(self, request: Request):
        job = self._job(request)
        if job.state not in ("done", "failed"):
            return render_page(request, "screen_wait.html.j2", job=job, url=path_for(request, "screen_job", job=job.id))
        lang = lang_of(request)
        t = labels_for(lang)
        if job.state == "failed":
            problem = (t["web.screen.too_many_rows"].replace("{limit}", f"{job.too_many:,}")
                       if job.too_many else job.problem)
            return render_page(request, "screen_result.html.j2", status=413 if job.too_many else 422, job=job,
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
        base = path_for(request, "screen_job", job=job.id)

        def link(**change) -> str:
            params = {"sort": column, "dir": "desc" if descending else "asc", **({"status": status} if status else {}),
                      **change}
            return base + "?" + urllib.parse.urlencode({k: v for k, v in params.items() if v is not None})

        columns = [{"title": screen_word(t, lang, "screen.column", title), "sorted": index == column,
                    "descending": descending,
                    "url": link(sort=index, dir="asc" if index != column or descending else "desc")}
                   for index, title in enumerate(job.header)]
        filters = [{"label": t["web.screen.all"], "url": link(status=None), "current": status is None}] + [
            {"label": screen_word(t, lang, "partner", value), "url": link(status=value), "current": value == status}
            for value in statuses]
        kinds = ("xlsx", "csv", "errors") if job.file("errors").exists() else ("xlsx", "csv")
        downloads = [(f"web.screen.download.{kind}", path_for(request, "screen_download", job=job.id, kind=kind))
                     for kind in kinds]
        shown = t["web.screen.shown"].replace("{shown_rows}", knowledge.count_phrase("row", len(rows), lang)) \
            .replace("{shown}", str(len(rows))).replace("{rows}", knowledge.count_phrase("row", count, lang)) \
            .replace("{count}", str(count))
        return render_page(request, "screen_result.html.j2", job=job, problem="", columns=columns,
                           rows=[screen_cells(row, job.header, t, lang) for row in rows],
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
                            headers={"content-disposition": attachment(filename)})


def routes(app: ScreeningPages) -> list[Route]:
    return [
        Route("/screen", app.screen_form, name="screen"),
        Route("/screen", app.screen_upload, methods=["POST"], name="screen_upload"),
        Route("/screen/{job}", app.screen_job, name="screen_job"),
        Route("/screen/{job}/download/{kind}", app.screen_download, name="screen_download"),
    ]


# Screening results as the CSV has them: English column, status and sector codes. The page words them
# in its language, as the XLSX and HTML outputs do ("Not yet known", "Research centre", «مركز بحوث»).
SCREEN_WORDED = {"status": "partner", "sector": "sector"}
SCREEN_CODES = ("failed", "not_assessed", "guidance")  # rule codes and guide items, "; " between them


def screen_word(t: dict[str, str], lang: str, prefix: str, code: str) -> str:
    return t.get(f"{prefix}.{code}", code)


def screen_cells(row: tuple, header: list[str], t: dict[str, str], lang: str) -> list[dict[str, Any]]:
    cells = []
    for title, text in zip(header, row):
        if title in SCREEN_CODES and text:
            cells.append({"text": text, "codes": text.split("; "), "reasons": []})
        elif title == "reasons" and text:  # every reason, one item each, folded under their count
            reasons = text.split(CSV_REASONS_SEPARATOR)
            cells.append({"text": knowledge.count_phrase("reason", len(reasons), lang), "codes": [],
                          "reasons": reasons})
        else:
            worded = screen_word(t, lang, SCREEN_WORDED[title], text) if title in SCREEN_WORDED and text else text
            cells.append({"text": worded, "codes": [], "reasons": []})
    return cells


