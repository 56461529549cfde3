"""A check's open question in words (its question in knowledge/findings, filled with the finding's
values): the interview asks it, the reports list it. Below both, so the asking module (asking.py)
and the view model (reports/viewmodel.py) word it alike."""

from __future__ import annotations

from tahaluf import knowledge
from tahaluf.fact_words import FactWords, describe_fact
from tahaluf.policy.texts import policy_question
from tahaluf.rules.engine import FindingResult
from tahaluf.user_messages import Message, fill

# Facts and message values that are choices print in the report's language (a sector, a level,
# an approach); the rules pass these parameters as choices.
CHOICE_PARAMS = frozenset({"approach", "scope", "rhythm"})


def choice_words(value: object, labels: dict[str, str]) -> str:
    text = str(value)
    return labels.get(f"choice.{text}") or labels.get(f"sector.{text}") or text


def word_question(result: FindingResult, text, values: dict, labels: dict[str, str], lang: str) -> Message:
    """The check's question; for a check open only because whether it applies is unknown,
    the question for that case (``question_if``) or the case put before it."""
    if not result.applies_if:
        return fill(text.question(lang), values)
    field_name, value = result.applies_if[0]
    if text.question_if and field_name in text.question_if:
        return fill(text.question_if[field_name](lang), values)
    case = labels.get(f"applies_if.{field_name}.{str(value).lower()}")
    if case is None:  # the question itself already asks it (e.g. "has any member ...?")
        return fill(text.question(lang), values)
    return fill(case + ": " + text.question(lang), values)


def fact_message(words: FactWords, labels: dict[str, str]) -> Message:
    """«التنازل الأول — هل يمسّ أحد أهدافنا المركزية؟ نعم»: what the user wrote kept apart (isolated in HTML)."""
    separator = labels["fact.separator"]
    parts: list[tuple[str, bool]] = []
    for text, user in words.about:
        parts += [(text, user), (separator, False)]
    return Message((*parts, (words.question + " ", False), words.answer))


def finding_question(result: FindingResult, lang: str, document=None) -> Message:
    """One open check's question, worded as the reports word it (the interview asks it); ``document``
    names a partner in a fact to verify (EV01) by its name."""
    labels = {key: text(lang) for key, text in knowledge.labels().items()}
    values = {"subject": labels.get(f"subject.{result.subject}", result.subject),
              **{name: choice_words(value, labels) if name in CHOICE_PARAMS else value
                 for name, value in result.params}}
    if result.rule not in knowledge.findings():  # a policy rule: its open facts asked by their own wording
        return fill(policy_question(result.evidence, bool(result.subject), lang), values)
    if result.rule == "EV01":  # "How do you know? Acme — Has a timeline been agreed? yes"
        params = dict(result.params)
        values["fact"] = fact_message(describe_fact(params["fact"], params["value"], lang, document), labels)
    return word_question(result, knowledge.findings()[result.rule], values, labels, lang)
