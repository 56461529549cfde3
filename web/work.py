"""The web app's work off the event loop: engine evaluations and report rendering run in a pool of
worker processes, so one slow request (a PDF) stalls no other and every core serves answers.

Processes, not threads: the work is CPU-bound (threads would share one core), and experta's rule
objects remember the last engine that touched them (two engines of one class must not run at once in
one process). The workers are spawned, never forked from the server's threads; they start at the
server's start (warm), each importing the engine once. ``workers=0`` runs the work in the event loop
instead, as the app did before (to compare).

Each function here takes and returns plain, picklable values: a file's path, never a request. What
the history keeps of an evaluation (its JSON report) is rendered here too, unless the server says that
state is already recorded (``recorded``: the input SHA-256 it last recorded for the file).
"""

from __future__ import annotations

import asyncio
import functools
import multiprocessing
import os
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from tahaluf import knowledge, limits
from tahaluf.asking import answer_format, parse_answer, question_options, question_text, why_this_question
from tahaluf.consultation import as_data, consult
from tahaluf.errors import InputError, InputErrors, TahalufError
from tahaluf.evaluation import evaluate_document
from tahaluf.files.alliance_file import AllianceFile
from tahaluf.reports.render import render_report
from tahaluf.rules import load_all
from tahaluf.screening.workers import watch_parent
from tahaluf.web import fullform, fullform_view
from tahaluf.web.history import kept_report
from tahaluf.web.workspace import NotInWorkspace, Workspace, version_of


class Pool:
    """``workers`` processes (None: one per usable core; 0: none, the work runs in the event loop)."""

    def __init__(self, workers: int | None = None):
        self.workers = limits.usable_cores() if workers is None else workers
        load_all()  # an evaluation made in a worker is reported here (history): its rules must be known
        self._executor: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()

    def _start(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._executor is None:
                # Spawned: a worker is the server's own child (it dies with it, see _worker_init), never
                # forked from the server's threads. (A fork server's workers outlived a killed server.)
                context = multiprocessing.get_context("spawn")
                self._executor = ProcessPoolExecutor(self.workers, mp_context=context, initializer=_worker_init,
                                                     initargs=(os.getpid(),))
            return self._executor

    async def run(self, function, *args):
        if self.workers == 0:
            return function(*args)
        executor = self._start()
        try:
            return await asyncio.wrap_future(executor.submit(function, *args))
        except BrokenProcessPool:  # a worker was killed (out of memory, say): the next request gets a new pool
            with self._lock:
                if self._executor is executor:
                    self._executor = None
            executor.shutdown(wait=False, cancel_futures=True)
            raise

    def warm(self) -> None:
        """Start every worker now (at the server's start), not on the first requests."""
        if self.workers:
            executor = self._start()
            for future in [executor.submit(labels, "en") for _ in range(self.workers)]:
                future.result()

    def close(self) -> None:
        with self._lock:
            executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=False, cancel_futures=True)


def _worker_init(parent: int) -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's to handle
    watch_parent(parent)  # a worker never outlives the server, however it ends


@functools.cache
def labels(lang: str) -> dict[str, str]:
    return {key: text(lang) for key, text in knowledge.labels().items()}


class Form:
    """A posted form's fields as plain lists (a request's FormData does not cross to a worker)."""

    def __init__(self, fields: dict[str, list[str]]):
        self.fields = fields

    @classmethod
    def of(cls, form) -> Form:
        return cls({key: [str(value) for value in form.getlist(key)] for key in form})

    def get(self, key: str, default=None):
        values = self.fields.get(key)
        return values[0] if values else default

    def getlist(self, key: str) -> list[str]:
        return list(self.fields.get(key, ()))

    def keys(self):
        return self.fields.keys()


def history_json(evaluation, version: str, recorded: str | None) -> str | None:
    """The JSON report the history keeps of this evaluation, or None when that state is recorded."""
    return None if version == recorded else kept_report(evaluation)


def entry(root: Path, name: str, recorded: str | None):
    """(the index's entry, the evaluation or None, its version, its history JSON) of one file; None
    when the file is gone."""
    try:
        found, evaluation, version = Workspace(root).entry(name)
    except (FileNotFoundError, NotInWorkspace):
        return None
    return found, evaluation, version, evaluation and history_json(evaluation, version, recorded)


def where(path: Path, name: str, recorded: str | None = None):
    """(version, the file's data, its consultation, its history JSON) for the question page."""
    raw = path.read_bytes()
    store = AllianceFile.open(path)
    version = version_of(raw)
    evaluation = evaluate_document(store.document, name, version)
    return version, store.data, consult(store.document, evaluation), history_json(evaluation, version, recorded)


def why(path: Path, asked: str, lang: str):
    """(the question's text, why it is asked: the checks, the verdict each answer would give), or None."""
    store = AllianceFile.open(path)
    current = consult(store.document)
    question = current.question(asked)
    if question is None:
        return None
    t = labels(lang)
    return question_text(question, store.data, lang, t, "web"), why_this_question(current, question, lang, t)


def evaluate(path: Path, name: str, recorded: str | None = None):
    """(the evaluation, the version it was made at, its history JSON) for the report and history pages."""
    version = version_of(path.read_bytes())
    evaluation = evaluate_document(AllianceFile.open(path).document, name, version)
    return evaluation, version, history_json(evaluation, version, recorded)


def render(path: Path, name: str, fmt: str, lang: str, recorded: str | None = None):
    """(the report in ``fmt``, the evaluation, the version it was made at, its history JSON) for a download."""
    version = version_of(path.read_bytes())
    store = AllianceFile.open(path)
    evaluation = evaluate_document(store.document, name, version)
    content = render_report(evaluation, fmt, lang)
    if (fmt, lang) == ("json", "en") and version != recorded:
        return content, evaluation, version, content
    return content, evaluation, version, history_json(evaluation, version, recorded)


def organisations(root: Path) -> list[str]:
    """The assessments that can serve as the organisation for screening: our organisation and the
    alliance valid (their partners are not read), as `tahaluf screen --org` needs them."""
    from tahaluf.screening.pipeline import load_context

    space, usable = Workspace(root), []
    for name in space.names():
        try:
            load_context(space.root / name)
        except TahalufError:
            continue
        usable.append(name)
    return usable


# The full form (web/fullform.py builds it from the model and the knowledge base) ---------------------

def form_state(path: Path, lang: str):
    """(the version, the form's state) of the file as it stands; InputError when it is not valid."""
    version = version_of(path.read_bytes())  # before the file is read: a change in between is a conflict
    return version, fullform.state_of(as_data(AllianceFile.open(path).document), labels(lang))


def save_form(path: Path, form: Form, lang: str) -> dict | None:
    """Save what the form changed; None when saved, else what to show again (the form with a
    new row, with the problems at their fields, or as the file now stands after another tab's save).
    The caller holds the file's lock: the check and the write are one step."""
    t = labels(lang)
    action, version = str(form.get("action", "save")), str(form.get("version", ""))
    current = version_of(path.read_bytes())
    store = AllianceFile.open(path)
    original = fullform.state_of(as_data(store.document), t)
    posted = fullform.posted_state(form, original)
    if action.startswith(fullform.ADD_PREFIX):  # one more row to fill in: nothing written yet
        return {"version": version, "state": posted,
                "focus": fullform.with_row(posted, action[len(fullform.ADD_PREFIX):])}
    if current != version:
        return {"version": current, "state": original, "status": 409, "problem": t["web.form.conflict"],
                "unsaved": fullform.unsaved(original, posted, t)}
    found = fullform.changes(original, posted, store.data)
    try:
        if found.writes:
            store.update(found.writes)
    except InputError as error:
        return {"version": version, "state": posted, "status": 400, "problem": t["web.form.invalid"],
                "problems": error.errors if isinstance(error, InputErrors) else [error], "rows": found.rows}
    return None


def form_view(root: Path, name: str, state, lang: str, problems=(), rows=None, focus: str = "") -> dict:
    """The form's sections (with the questions the consultation still asks at their fields, and the
    problems at theirs), the fields' labels and the problems' list."""
    t = labels(lang)
    errors: dict[str, str] = {}
    if problems:
        known = fullform_view.labels_by_name(fullform_view.view(state, lang, t))
        errors = fullform_view.errors_by_field(problems, rows or {}, set(known))
    try:  # the questions the consultation still asks, at their fields (rows keep the file's order until saved)
        asked = fullform_view.asked(AllianceFile.open(Workspace(root).existing(name)), lang, t)
    except (InputError, NotInWorkspace, FileNotFoundError):
        asked = {}
    sections = fullform_view.view(state, lang, t, errors, focus, asked)
    known = fullform_view.labels_by_name(sections)
    return {"sections": sections, "known": known, "problems": fullform_view.error_list(errors, known, t)}


def answer(path: Path, version: str, state, action: str, form: Form, lang: str):
    """Check the version, then do what an answer form asks: (problem, HTTP status, the session's state
    after it). The caller holds the file's lock: the check and the write are one step."""
    t = labels(lang)
    if version_of(path.read_bytes()) != version:
        return t["web.conflict"], 409, state
    try:
        return act(AllianceFile.open(path), state, action, form, t), 422, state
    except InputError as error:
        return t["interview.not_valid"].replace("{problem}", error.problem), 422, state


def act(store: AllianceFile, state, action: str, form, t: dict[str, str]) -> str:
    """Do what the form asks, through the session's passage (asking.Passage, the terminal's too): a
    problem to show, or ''. InputError when the answer does not fit."""
    if action == "back":
        return "" if state.back(store) else t["interview.back_none"]
    if action == "partner":
        partner = str(form.get("partner", "")).strip()
        if not partner:
            return t["interview.ask_partner"]
        state.add_partner(store, partner)
        state.answered = True
        return ""
    question = consult(store.document).question(str(form.get("path", "")))
    if question is None:  # answered meanwhile: nothing to do, show where it stands
        return ""
    if action in ("skip", "dont_know"):
        state.pass_over(question)
        return ""
    if question_options(question) and answer_format(question) != "choice":
        text = " ".join(str(v) for v in form.getlist("pick")) or "none"
    else:
        text = str(form.get("answer", ""))
    value = parse_answer(question, text, t, lambda: str(form.get("detail", "")))
    if value is None:
        return t["interview.not_understood"].replace("{format}", t["interview.format." + answer_format(question)])
    source = str(form.get("source", "")).strip()  # "How do you know?", optional (issue 25)
    evidence = {"source": source, "status": str(form.get("evidence_status", "claimed"))} if source else None
    if state.answer(store, question, value, evidence) == "answered":
        state.answered = True
    return ""
