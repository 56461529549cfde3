"""`tahaluf interview`: the terminal side of a consultation (the reasoning is consultation.py's).

One question at a time, in English or Arabic; each answer is written to FILE at once
(round-trip, atomically), so Ctrl-C or a closed terminal loses nothing and running the
command again resumes where the file stands.
"""

from __future__ import annotations

import re
import typing
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tahaluf import knowledge, model
from tahaluf.consultation import (
    REPRESENTATIVE_CONCESSION,
    REPRESENTATIVE_DATED_GOAL,
    REPRESENTATIVE_GOAL,
    REPRESENTATIVE_PARTNER,
    Consultation,
    Question,
    consult,
    value_at,
    whatif,
)
from tahaluf.errors import InputError
from tahaluf.progress import Opened, Progress, before_answer, opened, progress
from tahaluf.reports.alliance_file import AllianceFile, ChangedOnDisk
from tahaluf.reports.viewmodel import finding_question
from tahaluf.schema_walker import format_path

YES = {"yes", "y", "true", "نعم", "ن"}
NO = {"no", "n", "false", "لا"}
DONT_KNOW = {"?", "dk", "don't know", "dont know", "unknown", "لا أعرف", "لا اعرف", "؟"}
NONE = {"none", "0", "لا شيء", "لا يوجد"}
NOBODY = {"nobody", "لا أحد", "لا احد"}
COMMANDS = {
    "why": {"why", "لماذا"}, "back": {"back", "رجوع"}, "skip": {"skip", "تخط", "تخطَّ", "تخطى"},
    "quit": {"quit", "exit", "q", "خروج"}, "partner": {"partner", "add partner", "شريك", "إضافة شريك"},
}
STOP = {"s", "stop", "ت", "توقف"}
EVENT_KINDS = typing.get_args(model.EventKind)


class _DontKnow:
    """The answer "don't know": the fact stays unknown and is not asked again this session."""


DONT_KNOW_ANSWER = _DontKnow()


@dataclass
class Session:
    store: AllianceFile
    lang: str
    ask: Callable[[str], str]
    say: Callable[[str], None]
    labels: dict[str, str] = field(default_factory=dict)
    history: list[tuple[str, tuple, Any]] = field(default_factory=list)  # (what, path, value before), for back
    passed: set[str] = field(default_factory=set)  # skipped or "don't know" in this session
    # The offer to stop was made for this standing (settled?, verdict): a settled verdict, or only
    # "don't know" left to change it; it is made again when the standing changes.
    offered: tuple | None = None
    asked: set[str] = field(default_factory=set)  # the questions that could change the verdict, asked so far

    def label(self, key: str, **values) -> str:
        text = self.labels[key]
        for name, value in values.items():
            text = text.replace("{" + name + "}", str(value))
        return text


def step(store: AllianceFile, path: tuple | None = None, value: Any = None) -> Consultation:
    """Write one answer (if any) and work out where the consultation stands: what the benchmark times."""
    if path is not None:
        store.set(path, value)
    return consult(store.document)


def run(file: str, lang: str, ask: Callable[[str], str] = input, say: Callable[[str], None] = print) -> None:
    """The interview loop. KeyboardInterrupt and EOFError propagate: the CLI says how to resume."""
    labels = {key: text(lang) for key, text in knowledge.labels().items()}
    say(labels["interview.welcome"].replace("{file}", file))
    if Path(file).exists():
        store = AllianceFile.open(file)
    else:
        organisation = _required(ask, labels["interview.ask_organisation"] + ": ")
        alliance = _required(ask, labels["interview.ask_alliance"] + ": ")
        store = AllianceFile.create(file, organisation, alliance)
    store.guard = True
    session = Session(store, lang, ask, say, labels)
    current = step(store)
    say(_status(session, current))
    while True:
        before = before_answer(current)
        where = progress(current, session.passed, session.asked)
        standing = (current.settled, current.verdict)
        if where.offer_stop and session.offered != standing:
            session.offered = standing
            if where.unchanged:  # the only answers that could change it were "don't know"
                say(session.label("interview.unchanged", verdict=labels[f"verdict.{current.verdict}"],
                                  questions=knowledge.count_phrase("remaining_question", where.left, lang)))
            if ask(labels["interview.offer"] + " ").strip().casefold() in STOP:
                break
        question = where.question
        if question is None:
            say(session.label("interview.done", verdict=labels[f"verdict.{current.verdict}"]))
            break
        try:
            result = _ask(session, current, question)
        except ChangedOnDisk:  # another program edited FILE between two answers: theirs stands, ask again
            session.say(session.label("interview.changed", file=file))
            session.store = store = AllianceFile.open(file)
            store.guard = True
            session.history.clear()  # the values "back" would restore are from before their edit
            result = "changed"
        if result == "quit":
            break
        current = step(store)
        said = opened_line(labels, opened(before, current), current.data, lang) if result in WRITES else None
        if said:  # the count may grow now: say why
            say(said)
        say(_status(session, current))
    say(session.label("interview.saved", file=file))


def _required(ask, prompt: str) -> str:
    while True:
        answer = ask(prompt).strip()
        if answer:
            return answer


# What the interview did with an answer that wrote to FILE (an answer, a partner added): it may open questions.
WRITES = ("answered", "partner")


def _status(session: Session, current: Consultation) -> str:
    return status_line(session.labels, progress(current, session.passed), session.lang)


def status_line(labels: dict[str, str], where: Progress, lang: str) -> str:
    """The running verdict, and how many questions still open to ask could change it (or that none
    can): the count the question's own shows (progress.py), "don't know" and skipped left out."""
    verdict = labels[f"verdict.{where.verdict}"]
    if where.settled:
        key, questions = "interview.settled", knowledge.count_phrase("remaining_question", where.left, lang)
    else:
        key, questions = "interview.status", knowledge.count_phrase("open_question", where.could, lang)
    return labels[key].replace("{verdict}", verdict).replace("{questions}", questions)


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


def _show(session: Session, current: Consultation, question: Question) -> str:
    """The question's lines, and the answer format to put in the prompt."""
    labels = session.labels
    standing = progress(current, session.passed, session.asked)
    session.asked = set(standing.asked)
    if standing.deciding:  # "question 3 of about 12 that could change the verdict"
        count = session.label("interview.progress", n=standing.number, total=standing.total)
    else:
        count = session.label("interview.refining",
                              questions=knowledge.count_phrase("remaining_question", standing.left, session.lang))
    header = f"{count} · {labels['interview.consequence.' + question.consequence]}" \
             f" · {labels['label.list_separator'].join(question.rules[:3])}"
    session.say("")
    session.say(header)
    session.say(question_text(question, session.store.data, session.lang, labels))
    for index, option in enumerate(question_options(question), 1):
        session.say(f"  {index}. {option_label(labels, option)}")
    fmt = labels[f"interview.format.{answer_format(question)}"]
    return fmt


# How a question is worded and answered: shared by the terminal interview and the web app. ------


def question_text(question: Question, data: dict, lang: str, labels: dict[str, str], surface: str = "interview") -> str:
    """The question as the director reads it, in ``lang``; ``surface`` "web" words what differs
    in the browser (a button, not a typed command, adds a partner)."""
    special = _special(question)
    own = labels.get(f"interview.ask.{question.parts[-1]}") if question.gateway else None
    if special:
        return labels.get(f"{surface}.question.{special}") or labels[f"interview.question.{special}"]
    if own:  # a fact that decides whether checks apply: asked as itself
        return own.replace("{subject}", _subject_of(data, question))
    if question.shared or _alone(question):  # its check's question would read the same for another
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


def _ask(session: Session, current: Consultation, question: Question) -> str:
    fmt = _show(session, current, question)
    while True:
        text = session.ask(f"({fmt}) > ").strip()
        command = next((name for name, words in COMMANDS.items() if text.casefold() in words), None)
        if command == "quit":
            return "quit"
        if command == "skip":
            session.passed.add(question.path)
            session.history.append(("skip", question.parts, None))
            return "skip"
        if command == "why":
            _why(session, current, question)
            continue
        if command == "back":
            if _back(session):
                return "back"
            session.say(session.labels["interview.back_none"])
            continue
        if command == "partner":
            _add_partner(session)
            return "partner"
        value = _parse(session, question, text)
        if value is None:
            session.say(session.label("interview.not_understood", format=fmt))
            continue
        if value is DONT_KNOW_ANSWER:
            session.passed.add(question.path)
            session.history.append(("skip", question.parts, None))
            return "dont_know"
        try:
            before = value_at(session.store.data, question.parts)
            session.store.set(question.parts, value)
        except InputError as error:
            session.say(session.label("interview.not_valid", problem=error.problem))
            continue
        session.history.append(("answer", question.parts, before))
        return "answered"


def _back(session: Session) -> bool:
    """Undo the last answer: its fact is unknown again (or as it was) and is asked again."""
    if not session.history:
        return False
    what, path, before = session.history.pop()
    if what == "answer":
        session.store.set(path, before)
    session.passed.discard(format_path(path))
    return True


def _add_partner(session: Session) -> None:
    name = _required(session.ask, session.labels["interview.ask_partner"] + ": ")
    partners = list(session.store.data.get("partners") or [])
    path = ("partners", len(partners))
    try:
        session.store.set(path, {"name": name})
    except InputError as error:
        session.say(session.label("interview.not_valid", problem=error.problem))
        return
    session.history.append(("answer", ("partners",), partners or None))
    session.say(session.label("interview.partner_added", name=name))


def _why(session: Session, current: Consultation, question: Question) -> None:
    why = why_this_question(current, question, session.lang, session.labels)
    session.say(session.labels["interview.why_checks"])
    for line in why.checks:
        session.say(f"  {line}")
    session.say(session.labels["interview.why_guide"])
    for line in why.guide:
        session.say(f"  {line}")
    session.say(session.labels["interview.why_whatif"])
    for line in why.outcomes:
        session.say(f"  {line}")


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


def _parse(session: Session, question: Question, text: str) -> Any:
    return parse_answer(question, text, session.labels,
                        lambda: _required(session.ask, session.labels["interview.ask_concession"] + " "))


def parse_answer(question: Question, text: str, labels: dict[str, str], concession: Callable[[], str]) -> Any:
    """The typed answer as the value to write; DONT_KNOW_ANSWER; or None when not understood.
    ``concession()`` gives what the concession is, when the answer is that there is one."""
    text = text.strip()
    folded = text.casefold()
    if not text or folded in DONT_KNOW:
        return DONT_KNOW_ANSWER
    special = _special(question)
    kind = question.kind
    if kind == "bool" or special == "concessions":
        if folded in YES:
            if special != "concessions":
                return True
            what = concession().strip()
            return [{"what": what}] if what else None
        if folded in NO:
            return [] if special == "concessions" else False
        return None
    # "no" to a list question means none of it, never an item called "no".
    none = folded in NONE or folded in NO
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
        return False if folded in NOBODY else text
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
    """A choice by its number, its code or its label in the interview's language."""
    if text.isdigit() and 1 <= int(text) <= len(options):
        return options[int(text) - 1]
    folded = text.casefold()
    for option in options:
        names = {option, labels.get(f"choice.{option}", ""), labels.get(f"sector.{option}", "")}
        if folded in {name.casefold() for name in names if name}:
            return option
    return None


def saved_line(file: str, lang: str) -> str:
    """What was kept: FILE (every answer given is in it), or nothing when FILE was never created."""
    key = "interview.saved" if Path(file).exists() else "interview.nothing_saved"
    return knowledge.labels()[key](lang).replace("{file}", file)
