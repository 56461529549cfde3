"""The full form (/a/FILE/form): every field of the file on one page, saved at once. web/fullform.py
builds it from the model and the knowledge base; the work runs in the pool (work.form_*)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse
from starlette.routing import Route

from tahaluf.errors import InputError
from tahaluf.web import fullform, work
from tahaluf.web.app_base import AppBase
from tahaluf.web.pages import form_post, invalid_page, lang_of, path_for, render_page


class FormPages(AppBase):
    async def form_page(self, request: Request):
        name, path = self._file(request)
        try:
            version, state = await self.pool.run(work.form_state, path, lang_of(request))
        except InputError as error:
            return invalid_page(request, error, path, name)
        return await self._form(request, name, version, state, saved=request.query_params.get("saved") == "1")

    @form_post(max_bytes=fullform.FORM_MAX_BYTES, max_fields=fullform.FORM_MAX_FIELDS)
    async def form_save(self, request: Request, form):
        name, path = self._file(request)
        try:
            async with self._file_lock(name):  # the check and the write are one step
                shown = await self.pool.run(work.save_form, path, work.Form.of(form), lang_of(request))
        except InputError as error:  # the file on disk is not valid input: say so, as every page does
            return invalid_page(request, error, path, name)
        if shown is None:
            return RedirectResponse(path_for(request, "form", name=name) + "?saved=1", status_code=303)
        return await self._form(request, name, **shown)

    async def _form(self, request: Request, name: str, version: str, state, status: int = 200, problem: str = "",
                    problems=(), rows=None, unsaved=(), focus: str = "", saved: bool = False) -> HTMLResponse:
        shown = await self.pool.run(work.form_view, self.workspace.root, name, state, lang_of(request), problems,
                                    rows, focus)
        known = shown["known"]
        return render_page(request, "form.html.j2", status=status, name=name, version=version,
                           sections=shown["sections"], problem=problem, problems=shown["problems"],
                           unsaved=[dict(item, label=known.get(item["name"], item["name"])) for item in unsaved],
                           saved=saved)


def routes(app: FormPages) -> list[Route]:
    return [
        Route("/a/{name}/form", app.form_page, name="form"),
        Route("/a/{name}/form", app.form_save, methods=["POST"], name="form_save"),
    ]
