"""`tahaluf serve`: the consultation, the report and the workspace in a browser (a view only).

Every verdict, question, its order and its wording come from the library (consultation.py,
asking.py, reports/viewmodel.py); every answer is written through files/alliance_file.py. The
pages live by area (assessment_pages, question_pages, form_pages, report_pages, history_pages,
screening_pages), each giving its routes a name; every address a page shows is built from those
names (pages.path_for). This module puts the areas together.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.routing import BaseRoute, Mount
from starlette.staticfiles import StaticFiles

from tahaluf.reports.html import ASSETS as REPORT_ASSETS
from tahaluf.web import assessment_pages, form_pages, history_pages, question_pages, report_pages, screening_pages
from tahaluf.web.assessment_pages import AssessmentPages
from tahaluf.web.form_pages import FormPages
from tahaluf.web.pages import message_page
from tahaluf.web.question_pages import QuestionPages
from tahaluf.web.report_pages import DOWNLOADS, ReportPages
from tahaluf.web.screening_pages import ScreeningPages
from tahaluf.web.security import SecurityMiddleware, Sessions
from tahaluf.web.workspace import Workspace

__all__ = ["DOWNLOADS", "App", "create_app"]  # DOWNLOADS: the downloads' content types (report_pages.py)

HERE = Path(__file__).resolve().parent
AREAS = (assessment_pages, question_pages, form_pages, report_pages, history_pages, screening_pages)


class App(AssessmentPages, QuestionPages, FormPages, ReportPages, ScreeningPages):
    """Every area's pages over one workspace, pool, history and set of screening jobs (AppBase)."""


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
    routes: list[BaseRoute] = [route for area in AREAS for route in area.routes(app)]
    routes += [Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
               Mount("/report-assets", StaticFiles(directory=REPORT_ASSETS), name="report-assets")]

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
