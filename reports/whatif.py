"""`tahaluf whatif`: each open question, the verdict each answer would give, and the path to proceed."""

from __future__ import annotations

import json

from tahaluf import knowledge
from tahaluf.consultation import consult, path_to_proceed, whatif
from tahaluf.evaluation import Evaluation
from tahaluf.reports.interview import answer_text  # one wording of answers for the interview and what-if
from tahaluf.reports.viewmodel import finding_question


def _plain(answer):
    return list(answer) if isinstance(answer, tuple) else answer


def render_whatif(evaluation: Evaluation, lang: str, fmt: str, every: bool = False) -> str:
    consultation = consult(evaluation.document, evaluation)
    labels = {key: text(lang) for key, text in knowledge.labels().items()}
    questions = consultation.questions if every else consultation.deciding
    rows = [(q, whatif(consultation, q)) for q in questions]
    path = path_to_proceed(consultation)
    if fmt == "json":
        return json.dumps({
            "verdict": consultation.verdict, "settled": consultation.settled, "reason": consultation.reason,
            "questions": [{"path": q.path, "kind": q.kind, "rules": list(q.rules), "severity": q.severity,
                           "question": str(finding_question(q.finding, lang)),
                           "answers": [{"answer": _plain(o.answer), "verdict": o.verdict} for o in outcomes]}
                          for q, outcomes in rows],
            "path_to_proceed": {"found": path.found, "reason": path.reason, "blocking": list(path.blocking),
                                "answers": [{"path": p, "answer": a} for p, a in path.answers]},
        }, ensure_ascii=False, indent=2) + "\n"
    verdict = labels[f"verdict.{consultation.verdict}"]
    lines = [f"{verdict} ({'settled' if consultation.settled else consultation.reason})", ""]
    for question, outcomes in rows:
        lines.append(f"{question.path} [{', '.join(question.rules[:4])}]: {finding_question(question.finding, lang)}")
        for outcome in outcomes:
            lines.append(f"    {answer_text(labels, outcome.answer)} → {labels['verdict.' + outcome.verdict]}")
    lines.append("")
    if path.found:
        lines.append(f"Path to {labels['verdict.proceed']}: {len(path.answers)} answers")
        lines += [f"    {p} = {answer_text(labels, tuple(a) if isinstance(a, list) else a)}" for p, a in path.answers]
    else:
        lines.append(f"No path to {labels['verdict.proceed']}: {path.reason} ({', '.join(path.blocking)})")
    return "\n".join(lines) + "\n"
