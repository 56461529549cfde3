"""`tahaluf whatif`: the verdict, the answers that would change it, and what it would take to proceed.

The short answer is in the director's words only (questions as the interview asks them, changes
as the rules' ``lift``/``fix`` texts word them, rule codes as small tags); ``--all`` keeps the
full table of every open question and every answer's verdict, for the file.
"""

from __future__ import annotations

import json

from tahaluf import knowledge
from tahaluf.asking import answer_text, question_text  # one wording for the interview and what-if
from tahaluf.consultation import REPRESENTATIVE_DATE, REPRESENTATIVE_TEXT, consult, path_to_proceed, whatif
from tahaluf.evaluation import Evaluation
from tahaluf.finding_words import CHOICE_PARAMS, choice_words, finding_question
from tahaluf.policy.texts import finding_texts
from tahaluf.user_messages import fill
from tahaluf.what_it_takes import changing_questions, what_it_would_take


def _plain(answer):
    return list(answer) if isinstance(answer, tuple) else answer


def _answer(labels: dict[str, str], answer) -> str:
    """An answer in words; a placeholder text or date as what it stands for."""
    if isinstance(answer, list):
        answer = tuple(answer)
    if answer == REPRESENTATIVE_TEXT or answer == (REPRESENTATIVE_TEXT,):
        return labels["whatif.answer.text"]
    if answer == REPRESENTATIVE_DATE:
        return labels["whatif.answer.date"]
    return answer_text(labels, answer)


def _change(result, labels: dict[str, str], lang: str, texts=None) -> str:
    """What would have to change for a failure resting on known facts to lift: the rule's words."""
    text = (texts or knowledge.findings())[result.rule]
    values = {"subject": labels.get(f"subject.{result.subject}", result.subject),
              **{name: choice_words(value, labels) if name in CHOICE_PARAMS else value
                 for name, value in result.params}}
    return str(fill((text.lift or text.fix)(lang), values))


def _summary(result, lang: str, texts=None) -> str:
    return (texts or knowledge.findings())[result.rule].summary(lang)


def _to_verify(consultation, labels: dict[str, str], lang: str) -> list[str]:
    """Facts to confirm: evidence, not an answer, changes these (issue 25); nothing when there are none."""
    if not consultation.to_verify:
        return []
    document = consultation.evaluation.document
    asks = [f"  • {finding_question(f, lang, document)}  [EV01]" for f in consultation.to_verify]
    return [labels["reason.evidence_open"], *asks, ""]


def render_whatif(evaluation: Evaluation, lang: str, fmt: str, every: bool = False) -> str:
    consultation = consult(evaluation.document, evaluation)
    labels = {key: text(lang) for key, text in knowledge.labels().items()}
    if every or fmt == "json":
        return _table(consultation, labels, lang, fmt, every)
    data = consultation.data
    lines = [labels["whatif.verdict"].replace("{verdict}", labels[f"verdict.{consultation.verdict}"]), ""]
    lines += _to_verify(consultation, labels, lang)
    changing = changing_questions(consultation)
    if changing:
        lines.append(labels["whatif.changing"])
        for one in changing:
            tags = labels["label.list_separator"].join(one.question.rules[:3])
            lines.append(f"  • {question_text(one.question, data, lang, labels)}  [{tags}]")
            lines += [f"      {_answer(labels, o.answer)} → {labels['verdict.' + o.verdict]}" for o in one.outcomes]
    else:
        lines.append(labels["whatif.changing_none"])
    lines += ["", labels["whatif.take"]]
    plan = what_it_would_take(consultation)
    if consultation.verdict == "proceed":
        lines.append("  " + labels["whatif.already"])
        return "\n".join(lines) + "\n"
    texts = finding_texts(evaluation.policy)
    lines += [f"  • {_change(result, labels, lang, texts)}  [{result.rule}]" for result in plan.lifts]
    if plan.answers:
        if plan.lifts:
            lines.append("  " + labels["whatif.then"])
        grouped: dict[str, list[str]] = {}  # one line a question as the director reads it
        for question, answer in plan.answers:
            grouped.setdefault(question_text(question, data, lang, labels), []).append(_answer(labels, answer))
        lines += [f"  • {text} → {labels['label.list_separator'].join(dict.fromkeys(answers))}"
                  for text, answers in grouped.items()]
    if not plan.found:
        lines.append("  " + labels["whatif.none_after" if plan.lifts else "whatif.none"])
        lines += [f"    – {_summary(result, lang, texts)}  [{result.rule}]" for result in plan.standing
                  if result not in plan.lifts]
    return "\n".join(lines) + "\n"


def _table(consultation, labels: dict[str, str], lang: str, fmt: str, every: bool) -> str:
    """Every open question (or every deciding one) and each answer's verdict, with its field path."""
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
            **({"to_verify": [{"fact": dict(f.params)["fact"],
                               "question": str(finding_question(f, lang, consultation.evaluation.document))}
                              for f in consultation.to_verify]} if consultation.to_verify else {}),
        }, ensure_ascii=False, indent=2) + "\n"
    verdict = labels[f"verdict.{consultation.verdict}"]
    lines = [f"{verdict} ({'settled' if consultation.settled else consultation.reason})", ""]
    for question, outcomes in rows:
        lines.append(f"{question.path} [{', '.join(question.rules[:4])}]: {finding_question(question.finding, lang)}")
        for outcome in outcomes:
            lines.append(f"    {answer_text(labels, outcome.answer)} → {labels['verdict.' + outcome.verdict]}")
    lines.append("")
    lines += _to_verify(consultation, labels, lang)
    if path.found:
        lines.append(f"Path to {labels['verdict.proceed']}: {len(path.answers)} answers")
        lines += [f"    {p} = {answer_text(labels, tuple(a) if isinstance(a, list) else a)}" for p, a in path.answers]
    else:
        lines.append(f"No path to {labels['verdict.proceed']}: {path.reason} ({', '.join(path.blocking)})")
    return "\n".join(lines) + "\n"
