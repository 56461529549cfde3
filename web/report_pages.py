"""The report page (/a/FILE/report) with its what-if banner, keeping supposed answers in the file, and
the downloads (each report format, from the formats table, and the alliance file itself). The parts
are report_page.py's; the work runs in the pool."""

from __future__ import annotations

from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from tahaluf import knowledge
from tahaluf.errors import InputError, RenderError
from tahaluf.reports.formats import REPORT_FORMATS
from tahaluf.web import report_page, work
from tahaluf.web.history_pages import HistoryPages
from tahaluf.web.pages import attachment, form_post, invalid_page, labels_for, lang_of, path_for, render_page

# The reports offered for download (from the formats table), and the alliance file itself.
DOWNLOADS = {**{name: row.content_type for name, row in REPORT_FORMATS.items() if row.on_web},
             "yaml": "application/yaml"}


def downloads(request: Request, name: str, lang: str, t: dict[str, str]) -> list[tuple[str, str]]:
    """The report page's downloads, from the formats table: each document in every language, the data in
    the page's, and the alliance file itself. (label, address)."""
    found = []
    offered = [(fmt, row) for fmt, row in REPORT_FORMATS.items() if row.on_web]
    for fmt, row in sorted(offered, key=lambda item: item[1].on_web != "documents"):  # documents first
        for code in knowledge.language_codes() if row.on_web == "documents" else (lang,):
            label = t[f"format.{fmt}"]
            if row.on_web == "documents":  # "PDF (Arabic)"
                label = t["web.download.document"].replace("{format}", label).replace("{language}",
                                                                                     t[f"language.{code}"])
            found.append((label, path_for(request, "download", name=name, fmt=fmt, lang=code)))
    return found + [(t["web.download.yaml"], path_for(request, "download", name=name, fmt="yaml", lang=lang))]


class ReportPages(HistoryPages):
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
                report_page.report_work, path, name, path_for(request, "report", name=name), chosen, lang,
                bool(problem), self._recorded.get(name))
        except InputError as error:
            return invalid_page(request, error, path, name)
        await run_in_threadpool(self._record, name, evaluation, version, report_json)
        if isinstance(whatif, InputError):  # a toggle that is not one: say which, show nothing else
            return render_page(request, "message.html.j2", status=400,
                               message=t["web.whatif.bad"].replace("{problem}", str(whatif)))
        return render_page(request, "report.html.j2", status=status, name=name, r=report,
                           report_t=report.labels, downloads=downloads(request, name, lang, t), whatif=whatif,
                           problem=problem,
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
        return RedirectResponse(path_for(request, "report", name=name), status_code=303)

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


def routes(app: ReportPages) -> list[Route]:
    return [
        Route("/a/{name}/report", app.report, name="report"),
        Route("/a/{name}/whatif", app.keep_whatif, methods=["POST"], name="whatif"),
        Route("/a/{name}/download/{fmt}/{lang}", app.download, name="download"),
    ]
