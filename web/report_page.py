"""The report page's parts (/a/FILE/report) and the history's rows, for report_pages.py and
history_pages.py: the what-if toggles and what the answers supposed would give (the reasoning layer
decides which answers change the verdict: what_it_takes.supposable), keeping supposed answers in the
file, and each recorded state with what changed since the one before, in words
(reports/diff_report.py). The work functions run in the pool.
"""

from __future__ import annotations

import urllib.parse
from pathlib import Path
from typing import Any

from tahaluf import knowledge
from tahaluf.asking import answer_text, fact_question, question_text, status_line
from tahaluf.consultation import (
    ITEM_LISTS,
    WHATIF_SOURCE,
    Consultation,
    answer_value,
    consult,
    fitting_answers,
    suppose,
    value_at,
)
from tahaluf.diff import compare, snapshot_of_evaluation
from tahaluf.errors import InputError
from tahaluf.files.alliance_file import AllianceFile
from tahaluf.files.output import write_atomically
from tahaluf.progress import progress
from tahaluf.reports.diff_report import fact_change, fact_lines, finding_line, finding_sections
from tahaluf.reports.viewmodel import build_report
from tahaluf.web import work
from tahaluf.web.workspace import version_of
from tahaluf.what_it_takes import supposable, supposing

WHATIF_PARAM = "if"  # ?if=PATH=KEY, once per supposed answer (KEY: the answer's number, consultation.suppose)



def supposed_in(params) -> list[tuple[str, str]]:
    """The (question path, answer key) pairs a page's address or a form carries."""
    return [(path, key) for path, _, key in (str(value).partition("=") for value in params.getlist(WHATIF_PARAM))]


def report_work(path: Path, name: str, address: str, chosen: list[tuple[str, str]], lang: str, again: bool,
                 recorded: str | None):
    """In a worker: (the evaluation, its version, its history JSON, the what-if view or the InputError
    of a toggle that is not one, the report's view). ``address``: the report page's (the toggles link
    to it). ``again``: shown again after a conflict, when answers that no longer apply are dropped
    rather than refused."""
    evaluation, version, report_json = work.evaluate(path, name, recorded)
    t = work.labels(lang)
    current = consult(evaluation.document, evaluation)
    try:
        whatif = whatif_view(address, current, chosen, evaluation.source_sha256, t, lang)
    except InputError as error:
        if not again:
            return evaluation, version, report_json, error, None
        # Shown again after a conflict: the file changed under the answers, which no longer apply.
        whatif = whatif_view(address, current, [], evaluation.source_sha256, t, lang)
    return evaluation, version, report_json, whatif, build_report(evaluation, lang)


def keep_work(path: Path, version: str | None, chosen: list[tuple[str, str]], lang: str) -> tuple[bool, str]:
    """In a worker, under the file's lock: write the supposed answers into the file, all of them or none.
    (True when the file changed since the page was shown, the problem to show or '')."""
    t = work.labels(lang)
    original = path.read_bytes()
    if version_of(original) != version:
        return True, ""
    try:
        store = AllianceFile.open(path)
        supposition = suppose(supposing(consult(store.document), chosen), chosen)
        if not supposition.keepable:  # a placeholder is for supposing, never for the file
            raise InputError(WHATIF_SOURCE, None, next(one.question.path for one in supposition.answers
                                                       if one.stands_in), t["web.whatif.stand_in"])
        for one in supposition.answers:
            store.set(one.question.parts, one.value)
    except InputError as error:
        write_atomically(path, original)  # all of them or none
        return False, t["web.whatif.bad"].replace("{problem}", str(error))
    return False, ""


def whatif_link(address: str, chosen: dict[str, str]) -> str:
    """The report page (at ``address``) with these answers supposed, at its what-if banner."""
    query = urllib.parse.urlencode([(WHATIF_PARAM, f"{path}={key}") for path, key in chosen.items()])
    return address + (f"?{query}" if query else "") + "#whatif"


def toggle_text(question, data: dict, lang: str, t: dict[str, str]) -> str:
    """A toggle by its fact's own question (fields.yaml), so no two toggles read the same; a list
    (the partners, the concessions) as the consultation asks it."""
    try:
        return fact_question(question, data, lang, t) if question.path not in ITEM_LISTS else \
            question_text(question, data, lang, t, "web")
    except KeyError:
        return question_text(question, data, lang, t, "web")


def whatif_view(address: str, current: Consultation, chosen: list[tuple[str, str]], version: str,
                 t: dict[str, str], lang: str) -> dict[str, Any]:
    """The what-if toggles and, when answers are supposed, what the verdict and the findings would be
    (suppose()). The reasoning layer decides which answers change the verdict (what_it_takes.supposable):
    those are the toggles, in its order, with the verdict each gives; the facts a director may
    still suppose (open ones, and the known facts of a red flag or a failed condition) go under "more"."""
    base = supposing(current, chosen)
    supposition = suppose(base, chosen) if chosen else None  # InputError on a bad toggle
    picked = {one.question.path: str(one.key) for one in supposition.answers} if supposition else {}
    # The toggles from where the answers supposed lead: what else it would take from there.
    here = supposition.consultation if supposition else current
    options = supposable(here)

    def toggle(question, outcomes=(), state=here) -> dict[str, Any]:
        gives = {str(o.answer): t[f"verdict.{o.verdict}"] for o in outcomes}
        now = value_at(state.data, question.parts)
        return {"text": toggle_text(question, state.data, lang, t), "path": question.path,
                "consequence": t["interview.consequence." + question.consequence],
                "options": [{"label": answer_text(t, answer), "current": picked.get(question.path) == str(key),
                             "gives": gives.get(str(answer), ""),
                             "url": whatif_link(address, {**picked, question.path: str(key)})}
                            for key, answer in fitting_answers(options.consultation if state is here else base,
                                                               question)
                            if now is None or answer_value(question, answer) != now]}

    # The answers supposed first, marked, so another answer can be chosen in their place.
    supposed = [toggle(one.question, state=current) for one in supposition.answers] if supposition else []
    view: dict[str, Any] = {"toggles": supposed + [toggle(c.question, c.outcomes) for c in options.changing
                                                   if c.question.path not in picked],
                            "more": [toggle(q) for q in options.more if q.path not in picked],
                            "hypothesis": None, "version": version}
    if supposition is None:
        return view
    comparison = compare(snapshot_of_evaluation(current.evaluation),
                         snapshot_of_evaluation(supposition.consultation.evaluation))
    view["hypothesis"] = {
        "verdict": supposition.verdict, "verdict_label": t[f"verdict.{supposition.verdict}"],
        "actual": t["web.whatif.actual"].replace("{verdict}", t[f"verdict.{current.verdict}"]),
        "status": status_line(t, progress(supposition.consultation), lang),
        "answers": [{"text": toggle_text(one.question, current.data, lang, t), "path": one.question.path,
                     "answer": answer_text(t, one.answer),
                     "remove_url": whatif_link(address, {p: k for p, k in picked.items() if p != one.question.path})}
                    for one in supposition.answers],
        "sections": [{"heading": t[key], "changes": [change_view(c, t, lang, comparison.names) for c in changes]}
                     for key, changes in (("diff.added", comparison.added), ("diff.resolved", comparison.resolved),
                                          ("diff.changed", comparison.changed)) if changes],
        "keep": [f"{path}={key}" for path, key in picked.items()] if supposition.keepable else [],
        "stand_ins": [toggle_text(one.question, current.data, lang, t)
                      for one in supposition.answers if one.stands_in],
        "clear_url": whatif_link(address, {})}
    return view


def change_view(change, t: dict[str, str], lang: str, names: dict[str, str] | None = None) -> dict[str, str]:
    """A finding that changed, in words (reports/diff_report.py); its code a small tag."""
    line = finding_line(change, lang, t, names)
    return {"text": line.text, "rule": line.rule, "severity": line.severity}


def step_view(step, t: dict[str, str], lang: str) -> dict[str, Any]:
    """One row of the history page, labelled: the record, and what diff.py found changed."""
    record, comparison = step.record, step.comparison
    view: dict[str, Any] = {
        "time": record.recorded_at.replace("T", " ").replace("+00:00", " UTC"),
        "verdict": record.verdict, "verdict_label": t[f"verdict.{record.verdict}"],
        "counts": t["web.history.counts"]
        .replace("{blockers}", knowledge.count_phrase("blocking_finding", record.blockers, lang))
        .replace("{major}", knowledge.count_phrase("major_finding", record.major, lang))
        .replace("{minor}", knowledge.count_phrase("minor_finding", record.minor, lang))
        .replace("{open}", knowledge.count_phrase("open_question", record.open_questions, lang)),
        "sha": record.input_sha256[:12], "knowledge": record.knowledge_version, "first": comparison is None,
        "verdict_changed": False, "sections": [], "facts": []}
    if comparison is None:
        return view
    view["verdict_changed"] = comparison.verdict_changed
    view["verdict_before"] = t[f"verdict.{comparison.verdict_before}"]
    view["sections"] = [{"heading": heading, "changes": [{"text": line.text, "rule": line.rule} for line in lines]}
                        for heading, lines in finding_sections(comparison, lang, t)]
    # Who changed a fact, and on what evidence, when the file says (issue 25).
    view["facts"] = [{"text": fact_change(line, t) + (f" — {line.source}" if line.source else ""), "path": line.path}
                     for line in fact_lines(comparison, lang, t)]
    view["facts_heading"] = t["diff.facts"]
    return view

