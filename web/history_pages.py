"""The history page (/a/FILE/history): every recorded state of a file, each with what changed since
the one before (diff.py, in words: report_page.step_view); and the same for the report's "since"."""

from __future__ import annotations

import sqlite3

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.routing import Route

from tahaluf.errors import InputError
from tahaluf.web import report_page
from tahaluf.web.app_base import AppBase
from tahaluf.web.history import HistoryUnavailable, timeline
from tahaluf.web.pages import labels_for, lang_of, message_page, render_page


class HistoryPages(AppBase):
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
        return render_page(request, "history.html.j2", name=name, steps=steps, set_aside=set_aside)


def routes(app: HistoryPages) -> list[Route]:
    return [Route("/a/{name}/history", app.history_page, name="history")]
