"""`tahaluf interview`: the terminal loop of a consultation — prompt, print, read a line.

How a question is worded, an answer read and an answer undone is asking.py's (the web asks alike);
where the consultation stands is consultation.py's. One question at a time, in English or Arabic;
each answer is written to FILE at once (round-trip, atomically), so Ctrl-C or a closed terminal
loses nothing and running the command again resumes where the file stands.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tahaluf import knowledge
from tahaluf.asking import (
    Passage,
    command_of,
    filled,
    opened_line,
    parse_answer,
    question_view,
    status_line,
    unchanged_line,
    wants_stop,
    why_this_question,
)
from tahaluf.consultation import Consultation, Question, consult
from tahaluf.errors import InputError
from tahaluf.files.alliance_file import AllianceFile, ChangedOnDisk
from tahaluf.input_words import in_language
from tahaluf.model import EVIDENCE_STATUSES
from tahaluf.policy.model import Policy
from tahaluf.progress import before_answer, opened, progress
from tahaluf.schema_walker import format_path


@dataclass
class Session:
    store: AllianceFile
    lang: str
    ask: Callable[[str], str]
    say: Callable[[str], None]
    labels: dict[str, str] = field(default_factory=dict)
    passage: Passage = field(default_factory=Passage)  # passed questions and the undo history (asking.py)
    # The offer to stop was made for this standing (settled?, verdict): a settled verdict, or only
    # "don't know" left to change it; it is made again when the standing changes.
    offered: tuple | None = None
    evidence: bool = False  # --ask-evidence: "How do you know?" after each answer

    def label(self, key: str, **values) -> str:
        return filled(self.labels[key], **values)


def step(store: AllianceFile, path: tuple | None = None, value: Any = None,
         policy: Policy | None = None) -> Consultation:
    """Write one answer (if any) and work out where the consultation stands: what the benchmark times."""
    if path is not None:
        store.set(path, value)
    return consult(store.document, policy=policy)


def run(file: str, lang: str, ask: Callable[[str], str] = input, say: Callable[[str], None] = print,
        evidence: bool = False, policy: Policy | None = None) -> None:
    """The interview loop. KeyboardInterrupt and EOFError propagate: the CLI says how to resume.
    ``policy``: the organisation's own, whose open rules ask their facts too."""
    labels = {key: text(lang) for key, text in knowledge.labels().items()}
    say(labels["interview.welcome"].replace("{file}", file))
    if Path(file).exists():
        store = AllianceFile.open(file)
    else:
        organisation = _required(ask, labels["interview.ask_organisation"] + ": ")
        alliance = _required(ask, labels["interview.ask_alliance"] + ": ")
        store = AllianceFile.create(file, organisation, alliance)
    store.guard = True
    session = Session(store, lang, ask, say, labels, evidence=evidence)
    passage = session.passage
    current = step(store, policy=policy)
    say(_status(session, current))
    while True:
        before = before_answer(current)
        where = progress(current, passage.passed, passage.asked)
        standing = (current.settled, current.verdict)
        if where.offer_stop and session.offered != standing:
            session.offered = standing
            if where.unchanged:  # the only answers that could change it were "don't know"
                say(unchanged_line(where, labels, lang))
            if wants_stop(ask(labels["interview.offer"] + " ")):
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
            passage.history.clear()  # the values "back" would restore are from before their edit
            result = "changed"
        if result == "quit":
            break
        current = step(store, policy=policy)
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
    return status_line(session.labels, progress(current, session.passage.passed), session.lang)


def _show(session: Session, current: Consultation, question: Question) -> str:
    """The question's lines; the answer's format, to put in the prompt."""
    view = question_view(question, session.passage.progress(current), session.store.data, session.lang,
                         session.labels)
    session.say("")
    session.say(f"{view.count} · {view.consequence} · {view.rules}")
    session.say(view.text)
    for index, option in enumerate(view.options, 1):
        session.say(f"  {index}. {option.label}")
    return view.format_hint


def _ask(session: Session, current: Consultation, question: Question) -> str:
    fmt = _show(session, current, question)
    passage = session.passage
    while True:
        text = session.ask(f"({fmt}) > ").strip()
        command = command_of(text)
        if command == "quit":
            return "quit"
        if command == "skip":
            passage.pass_over(question)
            return "skip"
        if command == "why":
            _why(session, current, question)
            continue
        if command == "back":
            if passage.back(session.store):
                return "back"
            session.say(session.labels["interview.back_none"])
            continue
        if command == "partner":
            _add_partner(session)
            return "partner"
        value = parse_answer(question, text, session.labels,
                             lambda: _required(session.ask, session.labels["interview.ask_concession"] + " "))
        if value is None:
            session.say(session.label("interview.not_understood", format=fmt))
            continue
        try:
            result = passage.answer(session.store, question, value)
        except InputError as error:
            session.say(session.label("interview.not_valid", problem=in_language(error.problem, session.lang)))
            continue
        if session.evidence and result == "answered":
            _ask_evidence(session, question.parts)
        return result


def _ask_evidence(session: Session, parts: tuple) -> None:
    """Optional at every step (Enter skips): where the answer at ``parts`` comes from, written as one more
    `evidence:` entry with its status (claimed unless the director says documented or verified)."""
    source = session.ask(session.labels["evidence.asked"] + " ").strip()
    if not source:
        return
    words = {session.labels[f"evidence.status.{status}"].casefold(): status for status in EVIDENCE_STATUSES}
    words.update({status: status for status in EVIDENCE_STATUSES})
    said = session.ask(session.labels["evidence.asked_status"] + " ").strip().casefold()
    entry = {"fact": format_path(parts), "source": source, "status": words.get(said, "claimed")}
    listed = list(session.store.data.get("evidence") or [])
    try:
        session.store.set(("evidence", len(listed)), entry)
    except InputError as error:
        session.say(session.label("interview.not_valid", problem=in_language(error.problem, session.lang)))


def _add_partner(session: Session) -> None:
    name = _required(session.ask, session.labels["interview.ask_partner"] + ": ")
    try:
        session.passage.add_partner(session.store, name)
    except InputError as error:
        session.say(session.label("interview.not_valid", problem=in_language(error.problem, session.lang)))
        return
    session.say(session.label("interview.partner_added", name=name))


def _why(session: Session, current: Consultation, question: Question) -> None:
    why = why_this_question(current, question, session.lang, session.labels)
    for heading, lines in (("interview.why_checks", why.checks), ("interview.why_guide", why.guide),
                           ("interview.why_whatif", why.outcomes)):
        session.say(session.labels[heading])
        for line in lines:
            session.say(f"  {line}")


def saved_line(file: str, lang: str) -> str:
    """What was kept: FILE (every answer given is in it), or nothing when FILE was never created."""
    key = "interview.saved" if Path(file).exists() else "interview.nothing_saved"
    return knowledge.labels()[key](lang).replace("{file}", file)
