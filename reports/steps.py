"""What to do next, and the headline that says it: the numbered steps of a report."""

from __future__ import annotations

from dataclasses import replace

from tahaluf import limits
from tahaluf.evaluation import Evaluation
from tahaluf.knowledge import SEVERITIES
from tahaluf.reports.viewmodel import _Builder, _choice, _cut
from tahaluf.reports.views import NextStep, Quote
from tahaluf.user_messages import Message, fill, join

# What to do next, and the headline that says it -------------------------------------------------
# Both read the engine's own conclusions: red flags are its gates (failed blockers),
# conditions its conditions, questions the checks it could not make for want of a fact.


def red_flags(evaluation: Evaluation, lang: str, builder: _Builder | None = None) -> tuple[NextStep, ...]:
    """The gates, each with the guide's words and what would have to change."""
    builder = builder or _Builder(evaluation, lang)
    flags = []
    for gate in evaluation.inference.gates:
        view = builder.views[gate.because[0]]
        flags.append(NextStep(0, "red_flag", builder.labels["step.red_flag"], view.message, view.fix, view.rule,
                              view.subject, view.guidance, view.id))
    return tuple(sorted(flags, key=lambda step: (step.rule, step.subject, step.finding)))


def next_steps(evaluation: Evaluation, lang: str, builder: _Builder | None = None) -> tuple[NextStep, ...]:
    """One numbered list: the red flags, then the conditions, then the questions still to answer."""
    builder = builder or _Builder(evaluation, lang)
    steps = list(red_flags(evaluation, lang, builder))
    views = builder.views
    for condition in builder.conditions():
        view = views.get(condition.finding)
        steps.append(NextStep(0, condition.kind, condition.kind_label, condition.text, condition.fix,
                              condition.rule, view.subject if view else "", view.guidance if view else (),
                              condition.finding))
    conditioned = {c.because[0] for c in evaluation.inference.conditions}
    rank = {severity: i for i, severity in enumerate(SEVERITIES)}
    open_questions = sorted((v for v in views.values() if v.status == "not_assessed" and v.id not in conditioned),
                            key=lambda v: (rank[v.severity], v.rule, v.subject, v.id))
    label = builder.labels["step.question"]
    steps += [NextStep(0, "question", label, v.question, "", v.rule, v.subject, v.guidance, v.id)
              for v in open_questions]
    if evaluation.verdict == "proceed":  # never "None": say what keeps it sound
        steps += keep_steps(evaluation, builder)
    separator = builder.labels["label.list_separator"]
    return tuple(replace(step, number=number, separator=separator) for number, step in enumerate(steps, 1))


def keep_steps(evaluation: Evaluation, builder: _Builder) -> list[NextStep]:
    """What keeps a sound alliance sound (G-MNE): its review rhythm, its M&E owner and the
    owner's next date in the plan if one is known, and a new assessment when the terms change."""
    labels, document = builder.labels, evaluation.document
    monitoring = document.monitoring
    rhythm = monitoring.review_rhythm if monitoring else None
    owner = monitoring.owner if monitoring else None
    guidance = tuple(Quote(g, builder.items[g].text(builder.lang), builder.items[g].text(builder.beside))
                     for g in ("G-MNE-1", "G-MNE-2") if g in builder.items)
    if rhythm and rhythm != "none":
        review = fill(labels["keep.review"], {"rhythm": _choice(rhythm, labels)})
    else:
        review = fill(labels["keep.review_unset"], {})
    if isinstance(owner, str) and owner:
        dues = sorted(a.due for a in document.actions or () if a.due and a.status in (None, "open")
                      and (a.owner == owner or not a.owner))
        if dues:
            keeper = fill(labels["keep.owner_next"], {"owner": owner, "due": dues[0].isoformat()})
        else:
            keeper = fill(labels["keep.owner"], {"owner": owner})
    else:
        keeper = fill(labels["keep.owner_unset"], {})
    kind = labels["step.keep"]
    return [NextStep(0, "keep", kind, text, "", "", "", guidance if i == 0 else ())
            for i, text in enumerate((review, keeper, fill(labels["keep.rerun"], {})))]


def fold_steps(steps: tuple[NextStep, ...], builder: _Builder) -> tuple[NextStep, ...]:
    """The steps renumbered, the steps of one kind and check over more than REPORT_FOLD_AT
    subjects as one (in the place of the first): what the check finds, how many it concerns,
    the first REPORT_FOLD_NAMES of them by name. JSON keeps every step (``next_steps``)."""
    groups: dict[tuple, list[NextStep]] = {}
    for step in steps:
        if step.rule:
            groups.setdefault((step.kind, step.rule), []).append(step)
    shown: list[NextStep] = []
    placed: set = set()
    labels, separator = builder.labels, builder.labels["label.list_separator"]
    for step in steps:
        key = (step.kind, step.rule)
        members = groups.get(key, ())
        if len(members) <= limits.REPORT_FOLD_AT:
            shown.append(step)
            continue
        if key in placed:
            continue
        placed.add(key)
        subjects = tuple(dict.fromkeys(_cut(m.subject, limits.REPORT_SUBJECT_CHARS) for m in members if m.subject))
        named = subjects[: limits.REPORT_FOLD_NAMES]
        parts: list[tuple[str, bool]] = [(builder.texts[step.rule].summary(builder.lang), False), (" — ", False),
                                         (labels["label.concerns_count"].replace("{count}", str(len(members))), False),
                                         (": ", False)]
        for index, subject in enumerate(named):
            parts += [(separator, False)] if index else []
            parts.append((subject, True))
        if len(subjects) > len(named):
            parts.append((" " + labels["label.and_more"].replace("{count}", str(len(subjects) - len(named))), False))
        shown.append(NextStep(0, step.kind, step.kind_label, Message(tuple(parts)), step.change, step.rule, "",
                              step.guidance, step.finding, separator))
    return tuple(replace(step, number=number) for number, step in enumerate(shown, 1))


def headline(evaluation: Evaluation, lang: str, builder: _Builder | None = None) -> Message:
    """The verdict in a sentence or two; for do_not_proceed, it names every red flag."""
    builder = builder or _Builder(evaluation, lang)
    labels, verdict = builder.labels, evaluation.verdict
    flags = fold_steps(red_flags(evaluation, lang, builder), builder)  # a check's many subjects named once
    if verdict == "do_not_proceed" and flags:
        named = join((fill("{rule}: {text}", {"rule": Message(((f.rule, False),)), "text": f.text}) for f in flags),
                     labels["label.sentence_separator"])
        key = "headline.do_not_proceed_one" if len(flags) == 1 else "headline.do_not_proceed_many"
        template = labels[key].replace("{count}", str(len(flags)))  # a number of ours: trusted text
        return fill(template, {"flags": named})
    return Message(((labels[f"verdict_summary.{verdict}"], False),))
