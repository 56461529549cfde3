"""The consultation's pages: the next question (/a/FILE), why it is asked, and the answer's form.

How a question is worded, counted and read, and how an answer is undone, is asking.py's (the
terminal interview asks alike); the answer is written in a worker (work.answer). The question's view
is built in one place (:func:`question_context`), so a page can show more of it without a second copy.
"""

from __future__ import annotations

import urllib.parse
from dataclasses import asdict
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse
from starlette.routing import Route

from tahaluf.asking import offer_line, opened_line, question_view, status_line
from tahaluf.consultation import Question
from tahaluf.errors import InputError
from tahaluf.progress import Progress, before_answer, opened
from tahaluf.web import work
from tahaluf.web.app_base import AppBase
from tahaluf.web.pages import form_post, invalid_page, labels_for, lang_of, path_for, render_page, session_of


def question_context(request: Request, name: str, question: Question, where: Progress, data: dict, lang: str,
                     t: dict[str, str]) -> dict[str, Any]:
    """What the page shows of the question: asking.py's view of it, and the address of "why"."""
    view = question_view(question, where, data, lang, t, "web")
    why = path_for(request, "why", name=name) + "?q=" + urllib.parse.quote(question.path, safe="")
    return {**asdict(view), "why_url": why}


class QuestionPages(AppBase):
    async def question(self, request: Request, problem: str = "", status: int = 200):
        name, path = self._file(request)
        try:
            version, data, current, report_json = await self.pool.run(work.where, path, name,
                                                                      self._recorded.get(name))
        except InputError as error:
            return invalid_page(request, error, path, name)
        await run_in_threadpool(self._record, name, current.evaluation, version, report_json)
        state = session_of(request).file(name)
        where = state.progress(current)  # the count and the offer, as in the terminal
        lang = lang_of(request)
        t = labels_for(lang)
        # The answer just written may have opened questions (the count grows): said once, on this page.
        said = opened_line(t, opened(state.before, current), data, lang) \
            if state.answered and state.before is not None else None
        state.before, state.answered = before_answer(current), False
        question = where.question
        return render_page(
            request, "question.html.j2", status=status, name=name, version=version, problem=problem, opened=said,
            verdict_label=t[f"verdict.{current.verdict}"], verdict=current.verdict,
            status_text=status_line(t, where, lang), settled=current.settled, can_go_back=bool(state.history),
            question=None if question is None else question_context(request, name, question, where, data, lang, t),
            offer=offer_line(where, t, lang))

    async def why(self, request: Request):
        name, path = self._file(request)
        try:
            shown = await self.pool.run(work.why, path, request.query_params.get("q", ""), lang_of(request))
        except InputError as error:
            return invalid_page(request, error, path, name)
        if shown is None:
            return RedirectResponse(path_for(request, "question", name=name), status_code=303)
        text, why = shown
        return render_page(request, "why.html.j2", name=name, text=text, why=why)

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
        return RedirectResponse(path_for(request, "question", name=name), status_code=303)


def routes(app: QuestionPages) -> list[Route]:
    return [
        Route("/a/{name}", app.question, name="question"),
        Route("/a/{name}/why", app.why, name="why"),
        Route("/a/{name}/answer", app.answer, methods=["POST"], name="answer"),
    ]
