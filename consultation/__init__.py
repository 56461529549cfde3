"""A consultation: what to ask a director next, and whether any answer could still change the verdict.

Reasoning layer (no I/O). Given an alliance document (a dict as loaded, or a validated
document), it finds the *open questions* — the input facts left unknown that an open
check needs (the paths a not-assessed finding cites with no value) — each with its type
from the input model, the checks it decides and the guide items behind them; ranks them
by consequence (a blocker first, then a condition, then readiness, then information);
says whether the verdict is **settled**; and evaluates, with the real engine, the verdict
each answer to a question would give.

One module a job, each importing only those before it: ``paths`` (the grammar of a fact path,
reading and writing a value there, the input model's types), ``questions`` (the open questions,
the rules' patterns that wait on a fact, the ranking and a director's order), ``settledness``
(whether any answer could change the verdict; :func:`consult`), ``what_if`` (the verdict an
answer would give, answers supposed, a path to proceed) and ``changes`` (``evaluate --set``).
Their public names are this package's.
"""

from __future__ import annotations

from tahaluf.consultation.changes import SET_SOURCE, parse_assignment, with_changes
from tahaluf.consultation.paths import KINDS, as_data, document_of
from tahaluf.consultation.questions import (
                                        CONSEQUENCE,
                                        ITEM_LISTS,
                                        REPRESENTATIVE_CONCESSION,
                                        REPRESENTATIVE_DATE,
                                        REPRESENTATIVE_DATED_GOAL,
                                        REPRESENTATIVE_GOAL,
                                        REPRESENTATIVE_PARTNER,
                                        REPRESENTATIVE_TEXT,
                                        SEVERITY_ORDER,
                                        STAND_INS,
                                        Question,
                                        answer_value,
                                        by_partner,
                                        director_stage,
                                        directors_place,
                                        in_directors_order,
                                        open_questions,
)
from tahaluf.consultation.settledness import Consultation, consult, still_deciding
from tahaluf.consultation.what_if import (
                                        WHATIF_SOURCE,
                                        Outcome,
                                        PathToProceed,
                                        Supposed,
                                        Supposition,
                                        evaluate_with,
                                        fitting_answers,
                                        outcome_of,
                                        path_to_proceed,
                                        suppose,
                                        whatif,
)
from tahaluf.schema_walker import annotation_at, kind_of, parse_path, value_at
from tahaluf.schema_walker import with_value as with_answer  # the one writer, under the consultation's name

__all__ = [
    "KINDS", "annotation_at", "as_data", "document_of", "kind_of", "parse_path", "value_at", "with_answer",
    "CONSEQUENCE", "ITEM_LISTS", "REPRESENTATIVE_CONCESSION", "REPRESENTATIVE_DATE", "REPRESENTATIVE_DATED_GOAL",
    "REPRESENTATIVE_GOAL", "REPRESENTATIVE_PARTNER", "REPRESENTATIVE_TEXT", "SEVERITY_ORDER", "STAND_INS",
    "Question", "answer_value", "by_partner", "director_stage", "directors_place", "in_directors_order",
    "open_questions", "Consultation", "consult", "still_deciding", "WHATIF_SOURCE", "Outcome", "PathToProceed",
    "Supposed", "Supposition", "evaluate_with", "fitting_answers", "outcome_of", "path_to_proceed", "suppose",
    "whatif", "SET_SOURCE", "parse_assignment", "with_changes",
]
