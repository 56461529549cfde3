"""Where a director stands in a consultation: the moving count and the offer to stop.

Reasoning layer (no I/O), shared by the terminal interview and the web app so both count and
offer alike. The count is "question 3 of about 12 that could change the verdict": the questions
of that kind asked so far, plus those still open and not passed ("don't know", skip). Answering
one moves the count on; the total grows only when an answer opens new questions (a partner, a
section that now applies). The rest only refine the report, and are counted apart. When no
question left unasked could change the verdict — it is settled, or the only answers that could
were "don't know" — the director is offered to stop. The status line's count (what could still
change the verdict) is this count's too: a question passed is not open to ask.

An answer that opens questions says how many (:func:`opened`): "adding Acme opens 9 new questions
about it" — the questions open after it that were not open before it.
"""

from __future__ import annotations

from dataclasses import dataclass

from tahaluf.consultation import Consultation, Question, still_deciding


@dataclass(frozen=True)
class Progress:
    """The count shown with a question, and whether to offer to stop before it."""

    question: Question | None  # the next question (None: none left)
    deciding: bool  # whether its answer could change the verdict
    number: int  # its number among the questions that could (0 when it only refines)
    total: int  # about how many could, in all: those asked so far and those left
    left: int  # the open questions not passed
    offer_stop: bool  # questions are left, but none unasked could change the verdict
    unchanged: bool  # not settled: the answers that could change it were "don't know"
    asked: frozenset[str]  # the questions that could change the verdict, asked so far (this one too)
    could: int  # the open questions not passed that could change the verdict (the status line's count)
    verdict: str
    settled: bool


def progress(current: Consultation, passed: set[str] | frozenset[str] = frozenset(),
             asked: set[str] | frozenset[str] = frozenset()) -> Progress:
    """The next question of ``current`` not ``passed``, with its count; ``asked``: the questions that
    could change the verdict asked so far in this session (the returned ``asked`` adds this one)."""
    left = [q for q in current.questions if q.path not in passed]
    question = left[0] if left else None
    deciding = still_deciding(current, passed)
    could = question is not None and question in deciding
    now = frozenset(asked) | ({question.path} if could and question is not None else set())
    offer = bool(left) and not deciding
    return Progress(question=question, deciding=could, number=len(now) if could else 0,
                    total=len(now) - (1 if could else 0) + len(deciding), left=len(left), offer_stop=offer,
                    unchanged=offer and not current.settled, asked=now, could=len(deciding),
                    verdict=current.verdict, settled=current.settled)


@dataclass(frozen=True)
class Before:
    """What was open before an answer: its questions, and how many partners and concessions there were."""

    paths: frozenset[str]
    items: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class Opened:
    """The questions an answer opened (none of them open before it)."""

    count: int
    item: tuple | None  # ('partners', 2): the new partner (or concession) they are all about, if one is


_ITEMS = ("partners", "concessions")


def before_answer(current: Consultation) -> Before:
    return Before(frozenset(q.path for q in current.questions),
                  tuple((name, len(current.data.get(name) or ())) for name in _ITEMS))


def opened(before: Before, current: Consultation) -> Opened | None:
    """The questions the answer given since ``before`` opened, or None when it opened none."""
    new = [q for q in current.questions if q.path not in before.paths]
    if not new:
        return None
    counts = dict(before.items)
    items = {q.parts[:2] for q in new}
    item = next(iter(items)) if len(items) == 1 else None
    # One new partner or concession: an item of a list past its length before the answer (not, say,
    # questions a known partner's answer opened).
    new_item = item is not None and len(item) == 2 and item[0] in counts and isinstance(item[1], int) \
        and item[1] >= counts[item[0]]
    return Opened(len(new), item if new_item else None)
