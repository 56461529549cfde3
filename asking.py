"""How a question is asked and an answer read: one module for the terminal interview (cli_interview.py)
and the web's question page (web/question_pages.py), so both word, count, read and undo alike.

Reasoning side, no I/O: a question's words (its text, its choices, the answer's format, the count and
status lines, why it is asked), an answer's words read as the value to write (yes/no, "don't know",
choices by number, code or label, in English or Arabic), and the one undo history of a director's
passage through the questions (:class:`Passage`: answers to go back over, questions passed). The
writes go through the store the caller gives (an ``AllianceFile``: it validates, then writes).
"""

from __future__ import annotations

import re
import typing
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from tahaluf import answers, knowledge, model
from tahaluf.consultation import (
    REPRESENTATIVE_CONCESSION,
    REPRESENTATIVE_DATED_GOAL,
    REPRESENTATIVE_GOAL,
    REPRESENTATIVE_PARTNER,
    Consultation,
    Question,
    value_at,
    whatif,
)
from tahaluf.finding_words import finding_question
from tahaluf.progress import Opened, Progress, progress
from tahaluf.schema_walker import format_path

COMMANDS = ("why", "back", "skip", "quit", "partner")  # their words: knowledge/typed_words.yaml
EVENT_KINDS = typing.get_args(model.EventKind)


class _DontKnow:
    """The answer "don't know": the fact stays unknown and is not asked again this session."""


DONT_KNOW_ANSWER = _DontKnow()


def command_of(text: str) -> str | None:
    """The command a typed line names (why, back, skip, quit, partner), or None: it is an answer."""
    folded = text.strip().casefold()
    return next((name for name in COMMANDS if folded in knowledge.typed_words(name)), None)


def wants_stop(text: str) -> bool:
    """Whether the answer to the offer to stop is to stop."""
    return text.strip().casefold() in knowledge.typed_words("stop")


def filled(text: str, **values) -> str:
    for name, value in values.items():
        text = text.replace("{" + name + "}", str(value))
    return text


# The lines around a question: the count, the running verdict, what an answer opened, the offer. -------


def count_line(where: Progress, labels: dict[str, str], lang: str) -> str:
    """"Question 3 of about 12 that could change the verdict", or how many only refine the report."""
    if where.deciding:
        return filled(labels["interview.progress"], n=where.number, total=where.total)
    return filled(labels["interview.refining"],
                  questions=knowledge.count_phrase("remaining_question", where.left, lang))


def status_line(labels: dict[str, str], where: Progress, lang: str) -> str:
    """The running verdict, and how many questions still open to ask could change it (or that none
    can): the count the question's own shows (progress.py), "don't know" and skipped left out."""
    verdict = labels[f"verdict.{where.verdict}"]
    if where.settled:
        key, questions = "interview.settled", knowledge.count_phrase("remaining_question", where.left, lang)
    else:
        key, questions = "interview.status", knowledge.count_phrase("open_question", where.could, lang)
    return labels[key].replace("{verdict}", verdict).replace("{questions}", questions)


def unchanged_line(where: Progress, labels: dict[str, str], lang: str) -> str:
    """The verdict stands: the only answers that could have changed it were "don't know"."""
    return filled(labels["interview.unchanged"], verdict=labels[f"verdict.{where.verdict}"],
                  questions=knowledge.count_phrase("remaining_question", where.left, lang))


def offer_line(where: Progress, labels: dict[str, str], lang: str) -> str | None:
    """Why the director may stop here (None: some question left could still change the verdict)."""
    if not where.offer_stop:
        return None
    return unchanged_line(where, labels, lang) if where.unchanged else status_line(labels, where, lang)


def opened_line(labels: dict[str, str], found: Opened | None, data: dict, lang: str) -> str | None:
    """"Adding Acme opens 9 new questions about it", or None when the answer opened none."""
    if found is None:
        return None
    questions = knowledge.count_phrase("new_question", found.count, lang)
    if found.item is None:
        return labels["interview.opened"].replace("{questions}", questions)
    item = value_at(data, found.item) or {}
    key, name = ("interview.opened_partner", item.get("name")) if found.item[0] == "partners" else \
        ("interview.opened_concession", item.get("what"))
    return labels[key].replace("{name}", str(name)).replace("{questions}", questions)


# A question's view: everything either surface shows of it, built in one place. ------------------------


@dataclass(frozen=True)
class Option:
    value: str
    label: str


@dataclass(frozen=True)
class QuestionView:
    """A question as the director sees it: its fact, words, count, what it could decide, its choices."""

    path: str
    text: str
    count: str  # "question 3 of about 12 that could change the verdict"
    consequence: str  # what its answer could decide
    rules: str  # the first checks it decides, by code
    format: str  # the answer's format (a kind, or partners/concessions/events)
    format_hint: str  # that format in words
    options: tuple[Option, ...]


def question_view(question: Question, where: Progress, data: dict, lang: str, labels: dict[str, str],
                  surface: str = "interview") -> QuestionView:
    """The question's view (``where``: its progress, for the count); ``surface`` as for question_text."""
    fmt = answer_format(question)
    return QuestionView(
        path=question.path, text=question_text(question, data, lang, labels, surface),
        count=count_line(where, labels, lang), consequence=labels["interview.consequence." + question.consequence],
        rules=labels["label.list_separator"].join(question.rules[:3]), format=fmt,
        format_hint=labels[f"interview.format.{fmt}"],
        options=tuple(Option(option, option_label(labels, option)) for option in question_options(question)))


def question_text(question: Question, data: dict, lang: str, labels: dict[str, str], surface: str = "interview") -> str:
    """The question as the director reads it, in ``lang``; ``surface`` "web" words what differs
    in the browser (a button, not a typed command, adds a partner)."""
    special = _special(question)
    own = labels.get(f"interview.ask.{question.parts[-1]}") if question.gateway else None
    if special:
        return labels.get(f"{surface}.question.{special}") or labels[f"interview.question.{special}"]
    if own:  # a fact that decides whether checks apply: asked as itself
        return own.replace("{subject}", _subject_of(data, question))
    # A policy rule has no question of its own (not in knowledge/findings): its fact is asked as itself.
    if question.shared or _alone(question) or question.finding.rule not in knowledge.findings():
        return fact_question(question, data, lang, labels)  # open fact, or word cases that do not apply
    return str(finding_question(question.finding, lang))


_INDEX = re.compile(r"\[\d+\]")


def _alone(question: Question) -> bool:
    """The check reads this fact alone now (e.g. the planning of M&E, once the alliance is known to
    be proposed), and the fact has a question of its own: the check's wider question may word cases
    that do not apply."""
    cited = {path for path, _ in question.finding.evidence}
    words = knowledge.fields().get(_INDEX.sub("[]", question.path))
    return cited == {question.path} and words is not None and words.question is not None


def fact_question(question: Question, data: dict, lang: str, labels: dict[str, str]) -> str:
    """The fact asked by its own wording (its question in knowledge/fields.yaml, else its label),
    a partner's fact with the partner's name."""
    words = knowledge.fields()[_INDEX.sub("[]", question.path)]
    text = (words.question or words)(lang)
    parts = question.parts
    if "{goal}" in text:  # a goal's date or measure: the goal by its words
        goal = value_at(data, parts[:-1])  # a mapping, or the goal written as its sentence
        text = text.replace("{goal}", str(goal.get("goal", "") if isinstance(goal, dict) else goal))
    item = next((depth for depth, part in enumerate(parts) if isinstance(part, int)), None)
    if item is None:
        return text
    if question.partner is not None:
        key, subject = "interview.about_partner", _subject_of(data, question)
    else:  # another list's item (an action, a concession, an event) by what it is
        subject = _item_subject(labels, value_at(data, parts[:item + 1]), parts[item])
        siblings = value_at(data, parts[:item]) or []
        # Two items that read alike (two actions "A regional survey", two events of one kind): each
        # its own question, told apart by its number in the list.
        alike = sum(1 for index, other in enumerate(siblings) if _item_subject(labels, other, index) == subject)
        key = "interview.about_item_numbered" if alike > 1 else "interview.about_item"
        return labels[key].replace("{subject}", str(subject)).replace("{n}", str(parts[item] + 1)) \
            .replace("{question}", text)
    return labels[key].replace("{subject}", str(subject)).replace("{question}", text)


def _item_subject(labels: dict[str, str], found: Any, index: int) -> str:
    """A list's item by what it is: its what, goal or name, its kind's label, else its number."""
    found = found if isinstance(found, dict) else {}
    return str(found.get("what") or found.get("goal") or found.get("name") or
               option_label(labels, str(found.get("kind", ""))) or index + 1)


def question_options(question: Question) -> tuple[str, ...]:
    """The options to pick from (a choice, several choices, review events), else ()."""
    if _special(question) == "events":
        return EVENT_KINDS
    if question.kind in ("choice", "choices"):
        return question.choices
    return ()


def option_label(labels: dict[str, str], option: str) -> str:
    return labels.get("choice." + option) or labels.get("sector." + option) or option


def answer_format(question: Question) -> str:
    """The key of the answer's format (``interview.format.<key>``): a kind, or partners/concessions/events."""
    return _special(question) or question.kind


def _subject_of(data: dict, question: Question) -> str:
    if question.partner is not None:
        return str(value_at(data, ("partners", question.partner, "name")))
    return (data.get(question.parts[0]) or {}).get("name") or question.parts[0]


def _special(question: Question) -> str | None:
    return {"partners": "partners", "concessions": "concessions", "review.events": "events"}.get(question.path)


# Why a question is asked, and an answer in words. ----------------------------------------------------


@dataclass(frozen=True)
class Why:
    """Why a question is asked: the checks it decides, the guide's words, the verdict each answer gives."""

    checks: tuple[str, ...]
    guide: tuple[str, ...]
    outcomes: tuple[str, ...]


def why_this_question(current: Consultation, question: Question, lang: str, labels: dict[str, str]) -> Why:
    texts, items = knowledge.findings(), knowledge.guide_items()
    checks = tuple(
        f"{check.rule} ({labels['severity.' + check.severity]}) — "
        f"{labels.get(f'subject.{check.subject}', check.subject)}: {texts[check.rule].summary(lang)}"
        for check in question.checks)
    guide = tuple(f"{ident}: {items[ident].text(lang)}" for ident in question.guidance)
    # The verdict each answer would give: computed now, for this question only.
    yes_no = answer_format(question) == "concessions"  # asked as yes/no: none is no, one is yes

    def worded(answer: Any) -> str:
        return labels["label.yes" if answer else "label.no"] if yes_no else answer_text(labels, answer)

    outcomes = tuple(f"{worded(outcome.answer)} → {labels['verdict.' + outcome.verdict]}"
                     for outcome in whatif(current, question))
    return Why(checks, guide, outcomes)


# The representative answers what-if tries where a field takes free text, worded in the reader's language.
_REPRESENTATIVE = {REPRESENTATIVE_GOAL: "whatif.answer.goal", REPRESENTATIVE_DATED_GOAL: "whatif.answer.dated_goal",
                   REPRESENTATIVE_PARTNER: "whatif.answer.partner",
                   REPRESENTATIVE_CONCESSION: "whatif.answer.concession"}


def answer_text(labels: dict[str, str], answer: Any) -> str:
    if isinstance(answer, dict) and len(answer) == 1 and "kind" not in answer:
        answer = next(iter(answer.values()))  # a new item by its one field
    if isinstance(answer, str) and answer in _REPRESENTATIVE:
        return labels[_REPRESENTATIVE[answer]]
    if answer is True:
        return labels["label.yes"]
    if answer is False:
        return labels["label.no"]
    if isinstance(answer, tuple):
        if not answer:
            return labels["label.none"]
        return labels["label.list_separator"].join(
            answer_text(labels, item) for item in answer)
    if isinstance(answer, dict):
        return str(labels.get("choice." + str(answer.get("kind")), "") or next(iter(answer.values())))
    return str(labels.get(f"choice.{answer}") or labels.get(f"sector.{answer}") or answer)


# An answer's words read as the value to write. --------------------------------------------------------


_UNLISTED = object()


def _lexicon_yes_no(text: str) -> Any:
    """True, False or None ("don't know") when answers.py's lexicon has the words (any spelling: «أجل»,
    «ليس بعد», «غير معروف»), as a file's yes/no field reads them; else _UNLISTED."""
    if len(text) > answers.LONGEST_ANSWER:
        return _UNLISTED
    return answers.lexicon().yes_no.get(answers.normalise(text), _UNLISTED)


def parse_answer(question: Question, text: str, labels: dict[str, str], concession: Callable[[], str]) -> Any:
    """The typed answer as the value to write; DONT_KNOW_ANSWER; or None when not understood.
    ``concession()`` gives what the concession is, when the answer is that there is one. The
    interview's own words first, then answers.py's lexicon (the words a file may hold)."""
    text = text.strip()
    folded = text.casefold()
    said = _lexicon_yes_no(text)
    words = knowledge.typed_words
    if not text or folded in words("dont_know") or said is None:
        return DONT_KNOW_ANSWER
    special = _special(question)
    kind = question.kind
    if kind == "bool" or special == "concessions":
        if folded in words("yes") or said is True:
            if special != "concessions":
                return True
            what = concession().strip()
            return [{"what": what}] if what else None
        if folded in words("no") or said is False:
            return [] if special == "concessions" else False
        return None
    # "no" to a list question means none of it, never an item called "no".
    none = folded in words("none") or folded in words("no") or said is False
    if special == "partners":
        return [] if none else [{"name": text}]
    if kind == "choice":
        return _pick(text, question.choices, labels)
    if kind == "choices" or special == "events":
        options = question_options(question)
        if none:
            return []
        picked = _pick_several(text, options, labels)
        if picked is None:
            return None
        values = list(dict.fromkeys(picked))
        return [{"kind": value} for value in values] if special == "events" else values
    if kind in ("texts", "goals"):
        if none:
            return []
        return [part.strip() for part in text.replace("؛", ";").split(";") if part.strip()]
    if kind == "person":
        return False if folded in words("nobody") else text
    if kind == "number":
        return int(text) if text.isdigit() else None
    return text


def _pick_several(text: str, options: tuple[str, ...], labels: dict[str, str]) -> list[str] | None:
    """Several choices, separated by commas or spaces; a label of several words ("strength in
    numbers", «قوة العدد») is one choice. None when a part is not a choice."""
    picked = []
    for part in (part.strip() for part in text.replace("،", ",").split(",")):
        if not part:
            continue
        whole = _pick(part, options, labels)
        if whole is not None:
            picked.append(whole)
            continue
        words = [_pick(word, options, labels) for word in part.split()]
        found = [word for word in words if word is not None]
        if len(found) < len(words):
            return None
        picked += found
    return picked


def _pick(text: str, options: tuple[str, ...], labels: dict[str, str]) -> str | None:
    """A choice by its number, its code or its label in the interview's language, else by a word of
    answers.py's lexicon for it («جمعية» for an NGO), as a file's field reads it."""
    if text.isdigit() and 1 <= int(text) <= len(options):
        return options[int(text) - 1]
    folded = text.casefold()
    for option in options:
        names = {option, labels.get(f"choice.{option}", ""), labels.get(f"sector.{option}", "")}
        if folded in {name.casefold() for name in names if name}:
            return option
    if len(text) > answers.LONGEST_ANSWER:
        return None
    found = answers.lexicon().choices.get(answers.normalise(text))
    return found if found in options else None


# The passage through the questions: what was passed, and the one undo history. ---------------------


class Store(Protocol):
    """Where answers are written (an ``AllianceFile``: it checks a value, then writes it)."""

    @property
    def data(self) -> dict: ...

    def set(self, path: tuple, value: Any) -> None: ...

    def update(self, changes: list[tuple[tuple, Any]]) -> None: ...


@dataclass
class Passage:
    """One director's way through one file's questions (a terminal session, a browser session's file).

    ``history`` holds (what, path, value before) per step, newest last, for "back": an answer (or a
    partner added) puts the value it replaced back; a question passed ("don't know", skip) is asked
    again. Plain values only: the web hands a passage to a worker process and back."""

    history: list[tuple[str, tuple, Any]] = field(default_factory=list)
    passed: set[str] = field(default_factory=set)  # skipped or "don't know"
    asked: set[str] = field(default_factory=set)  # questions that could change the verdict, shown so far (the count)

    def progress(self, current: Consultation) -> Progress:
        """Where the director stands before the next question; that question now counts as asked."""
        where = progress(current, self.passed, self.asked)
        self.asked = set(where.asked)
        return where

    def pass_over(self, question: Question) -> None:
        """Skip or "don't know": not asked again in this passage, unless "back" brings it back."""
        self.passed.add(question.path)
        self.history.append(("skip", question.parts, None))

    def answer(self, store: Store, question: Question, value: Any, evidence: dict | None = None) -> str:
        """Take a read answer: "dont_know" (passed over) or "answered" (written). InputError when
        the value does not fit the file; then nothing is written or remembered. ``evidence``
        ({source, status}): how the director knows, kept under the file's `evidence:` in the same save."""
        if value is DONT_KNOW_ANSWER:
            self.pass_over(question)
            return "dont_know"
        before = value_at(store.data, question.parts)
        changes = [(question.parts, value)]
        if evidence:
            changes.append((("evidence", len(store.data.get("evidence") or [])), {"fact": question.path, **evidence}))
        store.update(changes)
        self.history.append(("answer", question.parts, before))
        return "answered"

    def add_partner(self, store: Store, name: str) -> None:
        """A new partner by name, at the end of the list (InputError when it does not fit)."""
        partners = list(store.data.get("partners") or [])
        store.set(("partners", len(partners)), {"name": name})
        self.history.append(("answer", ("partners",), partners or None))

    def back(self, store: Store) -> bool:
        """Undo the last step: its fact is as it was (or unknown) and is asked again. False: none to undo."""
        if not self.history:
            return False
        what, path, before = self.history.pop()
        if what == "answer":
            store.set(path, before)
        self.passed.discard(format_path(path))
        return True
