"""From an Evaluation to plain data a template can print: sorted, grouped, labelled, translated."""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Sequence

from tahaluf import __version__, knowledge, limits
from tahaluf.evaluation import Evaluation
from tahaluf.fact_words import describe_fact, is_choice_path, value_words
from tahaluf.finding_words import CHOICE_PARAMS as _CHOICE_PARAMS
from tahaluf.finding_words import choice_words as _choice
from tahaluf.finding_words import fact_message
from tahaluf.finding_words import word_question as _word_question
from tahaluf.knowledge import SEVERITIES
from tahaluf.policy.texts import citation, finding_texts, in_language, spec_of
from tahaluf.reports.views import (
    ActionView,
    ConditionView,
    Consultant,
    ExplainLine,
    Fact,
    FindingView,
    Fold,
    PartnerView,
    Quote,
    ReadinessView,
    ReportView,
    SeverityGroup,
    StrengthRow,
)
from tahaluf.rules.base import DIMENSIONS
from tahaluf.rules.engine import FindingResult
from tahaluf.user_messages import Message, fill, join

_PARTNER_PATH = re.compile(r"^partners\[(\d+)\]")
_PATH_SUBJECT = re.compile(r"^[a-z_]+(?:\[\d+\])?\.[a-z_.\[\]0-9]+$")  # a fact's path (a disputed one), not a name

# A count a finding's message may print with its noun (plurals.yaml): {partners} for MO03's {count}.
_COUNTED_PARAMS = {"count": ("partners", "partner")}


class _Builder:
    def __init__(self, evaluation: Evaluation, lang: str, anonymous: bool = False):
        self.evaluation, self.lang = evaluation, lang
        self.beside = knowledge.languages()[lang].quotes_beside  # the language of the second quote
        # --anonymous: respondents by number, in the merged file's (name) order.
        respondents = evaluation.document.respondents or ()
        self.respondent_label = ({name: f"{i}" for i, name in enumerate(respondents, 1)} if anonymous else {})
        self.policy = evaluation.policy
        self.texts = finding_texts(self.policy)
        self.items = knowledge.guide_items()
        self.labels = {key: text(lang) for key, text in knowledge.labels().items()}
        self.by_id = {f.id: f for f in evaluation.inference.findings}
        self.views = {f.id: self.finding(f) for f in evaluation.inference.findings}

    def subject(self, result: FindingResult) -> str:
        """A partner's or concession's own name; a section (``concessions``) in the report's words;
        a disputed fact (DS01) by what it asks."""
        if _PATH_SUBJECT.search(result.subject) and f"subject.{result.subject}" not in self.labels:
            return self.fact_question(result.subject)
        return self.labels.get(f"subject.{result.subject}", result.subject)

    def fact_question(self, path: str) -> str:
        """A fact by what it asks: "Acme — Has a timeline been agreed with it?"."""
        words = describe_fact(path, None, self.lang, self.evaluation.document)
        return self.labels["fact.separator"].join([text for text, _ in words.about] + [words.question.rstrip(":")])

    def fact(self, path: str, value: object) -> Fact:
        """A fact a finding rests on, in words; its line in the file aside, for a small note."""
        line = self.evaluation.lines.get(path)
        return Fact(path, value_words(value, self.lang, is_choice_path(path))[0],
                    fact_message(describe_fact(path, value, self.lang, self.evaluation.document), self.labels),
                    "" if line is None else self.labels["fact.line"].replace("{line}", str(line)))

    def said(self, params: dict, evidence: tuple) -> dict:
        """A contradiction's two facts (``first_path``, ``second_path``) as {first} and {second} in
        words, and {first_where}/{second_where}: " on line 22", or "" when the file has no line."""
        values = dict(evidence)
        words: dict[str, Message | str] = {}
        for name, path in params.items():
            if name.endswith("_path"):
                side, line = name[: -len("_path")], self.evaluation.lines.get(path)
                words[side] = fact_message(describe_fact(path, values.get(path), self.lang,
                                                         self.evaluation.document), self.labels)
                key = "fact.said_first" if side == "first" else "fact.said_then"
                words[f"{side}_said"] = self.labels[key + "_nowhere"] if line is None else \
                    self.labels[key].replace("{line}", str(line))
        return words

    def question(self, result: FindingResult, text, values: dict) -> Message:
        return _word_question(result, text, values, self.labels, self.lang)

    def finding(self, result: FindingResult) -> FindingView:
        text, spec = self.texts[result.rule], spec_of(result.rule, self.policy)
        # Input paths in a message (a contradiction's two facts) carry their lines in the file;
        # choices (an approach, a scope) print in the report's language.
        disputed = dict(result.params).get("path", "") if result.rule == "DS01" else ""
        params = {name: self.answers_text(value, disputed) if name == "answers"
                  else self.fact_question(value) if disputed and name == "path"
                  else _choice(value, self.labels) if name in _CHOICE_PARAMS else value
                  for name, value in result.params}
        if result.rule == "EV01":  # the fact a verify condition is about, by its question and answer
            params["fact"] = self.fact(params["fact"], params["value"]).words
        values = {"subject": self.subject(result), **params, **self.said(params, result.evidence)}
        for name, (placeholder, noun) in _COUNTED_PARAMS.items():
            if isinstance(values.get(name), int):
                values[placeholder] = knowledge.count_phrase(noun, values[name], self.lang)
        strength = result.status == "pass" and text.passed is not None
        severity = "strength" if strength else result.severity
        template = text.passed if result.status == "pass" and text.passed else text.message_for(result.message)
        return FindingView(
            id=result.id, rule=result.rule, name=spec.name, severity=severity,
            severity_label=self.labels[f"severity.{severity}"], status=result.status,
            status_label=self.labels[f"status.{result.status}"], dimension=spec.dimension,
            dimension_label=self.labels[f"dimension.{spec.dimension}"], subject=self.subject(result),
            message=fill(template(self.lang) if result.status != "pass" or strength else text.summary(self.lang),
                         values),
            fix=text.fix(self.lang), question=self.question(result, text, values),
            guidance=self.cited(result.rule) or tuple(Quote(g, self.items[g].text(self.lang),
                                                            self.items[g].text(self.beside)) for g in spec.guidance),
            evidence=tuple(self.fact(path, value) for path, value in result.evidence),
        )

    def cited(self, rule: str) -> tuple[Quote, ...]:
        """A policy rule is cited as "Your policy: P3 — title" with its own text, where a check cites the guide."""
        if self.policy is None or rule not in self.policy.by_id:
            return ()
        policy_rule = self.policy.rule(rule)
        return (Quote(citation(policy_rule, self.lang), in_language(policy_rule.text, self.lang),
                      in_language(policy_rule.text, self.beside), self.labels["label.why_policy"]),)

    def ordered(self, views) -> tuple[FindingView, ...]:
        rank = {severity: i for i, severity in enumerate(SEVERITIES)}
        return tuple(sorted(views, key=lambda v: (rank[v.severity], v.rule, v.subject, v.id)))

    def failed_subjects(self) -> dict[str, set[str]]:
        """Rule -> the subjects it failed for."""
        failed: dict[str, set[str]] = {}
        for result in self.evaluation.inference.findings:
            if result.status == "fail":
                failed.setdefault(result.rule, set()).add(self.views[result.id].subject)
        return failed

    def strength_rows(self, views: tuple[FindingView, ...]) -> tuple[StrengthRow, ...]:
        """Strengths folded by rule: the rule's summary and the partners or concessions it holds for.

        A check that failed for some subject is not a strength of that subject, and its
        blanket summary ("no concession touches our core objectives") would be false:
        what held is then said subject by subject, in the check's own pass message.
        """
        failed = self.failed_subjects()
        by_rule: dict[str, list[FindingView]] = {}
        for view in views:
            if view.subject not in failed.get(view.rule, ()):
                by_rule.setdefault(view.rule, []).append(view)
        rows = []
        for rule, members in by_rule.items():
            if rule in failed:
                text = join(dict.fromkeys(v.message for v in members), " ")
                rows.append(StrengthRow(rule, text, (), members[0].guidance))
                continue
            about = [v.subject for v in members
                     if v.evidence and v.evidence[0].path.startswith(("partners[", "concessions["))]
            rows.append(StrengthRow(rule, self.texts[rule].summary(self.lang), tuple(dict.fromkeys(about)),
                                    members[0].guidance))
        return tuple(rows)

    def fold_causes(self, causes: tuple, depth: int, lines: list, derived: dict) -> tuple:
        """The causes to walk; those resting on one check over more than REPORT_FOLD_AT subjects
        (its findings, or the gates and conditions each drawn from one of them) become one line:
        the report lists them under the findings already."""
        def rule_of(cause: str) -> str | None:
            if cause in self.views:
                return self.views[cause].rule
            node = derived.get(cause)
            if node is not None and node.kind != "readiness" and node.because and node.because[0] in self.views:
                return self.views[node.because[0]].rule
            return None

        by_rule: dict[str, list] = {}
        for cause in causes:
            rule = rule_of(cause)
            if rule is not None:
                by_rule.setdefault(rule, []).append(cause)
        folded = {rule for rule, members in by_rule.items() if len(members) > limits.REPORT_FOLD_AT}
        for rule in sorted(folded):
            lines.append(ExplainLine(depth, "", fill(self.labels["explain.folded"], {
                "rule": rule,
                "subjects": knowledge.count_phrase("subject", len(by_rule[rule]), self.lang)})))
        return tuple(c for c in causes if rule_of(c) not in folded)

    def conditions(self) -> tuple[ConditionView, ...]:
        readiness = {r.id: r for r in self.evaluation.inference.readiness}
        result = []
        for condition in self.evaluation.inference.conditions:
            label = self.labels[f"condition.{condition.kind}"]
            if condition.kind == "strengthen":
                ready = readiness[condition.because[0]]
                dimension = self.labels[f"dimension.{ready.dimension}"]
                # The score is the rules' number, not a user value: kept in the trusted text so that
                # "0/100" stays one number in Arabic (an isolated "0" before "/100" reads "100/0").
                template = self.labels["condition.strengthen_text"].replace("{score}", str(ready.score))
                text = fill(template, {"dimension": dimension})
                result.append(ConditionView(condition.id, condition.kind, label, text, "", "", ""))
                continue
            view = self.views[condition.because[0]]
            text = view.question if condition.kind == "establish" else view.message
            result.append(ConditionView(condition.id, condition.kind, label, text, view.fix, view.rule,
                                        self.labels["label.list_separator"].join(q.id for q in view.guidance),
                                        view.id, view.subject))
        order = {"fix": 0, "verify": 1, "establish": 2, "strengthen": 3}
        return tuple(sorted(result, key=lambda c: (order[c.kind], c.rule, str(c.text))))

    def readiness(self) -> tuple[ReadinessView, ...]:
        by_dimension = {r.dimension: r for r in self.evaluation.inference.readiness}
        views = []
        for name in DIMENSIONS:
            r = by_dimension[name]
            assert r.level is not None  # a readiness result always has its level
            views.append(ReadinessView(
                dimension=name, label=self.labels[f"dimension.{name}"], score=r.score,
                score_text=self.range_text(r.low, r.high), level=r.level, coverage=r.coverage,
                level_label=self.labels[f"level.{r.level}"], bar=r.low or 0,
                assessed=len(r.because), not_assessed=len(r.not_assessed), low=r.low, high=r.high,
                known_text="—" if r.coverage is None else self.labels["label.known_share"].replace(
                    "{share}", str(r.coverage)),
            ))
        return tuple(views)

    def actions(self) -> tuple[ActionView, ...]:
        overdue = {f.evidence[0][0].rsplit(".", 1)[0] for f in self.evaluation.inference.findings
                   if f.rule == "AP01" and f.status == "fail"}
        views = []
        for index, action in enumerate(self.evaluation.document.actions or ()):
            owner = self.labels["plan.nobody"] if action.owner is False else (action.owner or "")
            views.append(ActionView(
                what=action.what, rule=action.because or "", subject=action.subject or "", owner=owner,
                due=action.due.isoformat() if action.due else "",
                status_label=self.labels[f"plan.status.{action.status}"] if action.status else "",
                overdue=f"actions[{index}]" in overdue))
        return tuple(views)

    def answers_text(self, answers: tuple, path: str = "") -> str:
        """Who said what about a disputed fact, in words: "Amal: Private sector; Basel: NGO" (or "Respondent 1: …")."""
        separator = self.labels["label.item_separator"]
        def who(name: str) -> str:
            number = self.respondent_label.get(name)
            return name if number is None else f"{self.labels['label.respondent']} {number}"
        def said(value: object) -> str:
            if isinstance(value, str) and value.strip().lower() in ("yes", "no"):  # as the file's YAML would read it
                value = value.strip().lower() == "yes"
            return value_words(value, self.lang, is_choice_path(path))[0]
        return separator.join(f"{who(name)}: {said(value)}" for name, value in answers)

    def range_text(self, low: int | None, high: int | None) -> str:
        """"40 to 90 of 100": where a dimension's score lies whatever the open checks' answers."""
        if low is None or high is None:
            return "—"
        if low == high:
            return self.labels["label.score_one"].replace("{score}", str(low))
        return self.labels["label.score_range"].replace("{low}", str(low)).replace("{high}", str(high))

    def assessed_text(self, coverage: int | None) -> str:
        """How much could be assessed, in words ("only 16% of the checks could be assessed"), in
        place of an overall score that could read as "good" beside a red flag or many unknowns."""
        if coverage is None:
            return self.labels["label.assessed_few"].replace("{share}", "0")
        key = "all" if coverage >= 100 else "some" if coverage >= 50 else "few"
        return self.labels[f"label.assessed_{key}"].replace("{share}", str(coverage))

    def partners(self) -> tuple[PartnerView, ...]:
        counts: dict[int, list[FindingResult]] = {}
        for result in self.evaluation.inference.findings:
            match = _PARTNER_PATH.match(result.evidence[0][0]) if result.evidence else None
            if match:
                counts.setdefault(int(match.group(1)), []).append(result)
        # A partner's status follows the engine's own conclusions about its findings:
        # a gate on one of them excludes it, a condition makes it conditional.
        inference = self.evaluation.inference
        gated = {cause for gate in inference.gates for cause in gate.because}
        conditioned = {cause for condition in inference.conditions for cause in condition.because}
        views = []
        for index, partner in enumerate(self.evaluation.document.partners or ()):
            mine = counts.get(index, [])
            failed = [f.severity for f in mine if f.status == "fail"]
            unknown = [f for f in mine if f.status == "not_assessed"]
            ids = {f.id for f in mine}
            status = ("excluded" if ids & gated else "conditional" if ids & conditioned else "eligible")
            views.append(PartnerView(
                index=index, name=partner.name,
                sector=partner.sector or self.labels["label.unknown"], status=status,
                status_label=self.labels[f"partner.{status}"], blockers=failed.count("blocker"),
                majors=failed.count("major"), minors=failed.count("minor"), not_assessed=len(unknown),
                sector_label=self.labels.get(f"sector.{partner.sector}", self.labels["label.unknown"]),
            ))
        return tuple(views)

    def explanation(self, compact: bool = False) -> tuple[ExplainLine, ...]:
        """The chain from the verdict down to the input facts. ``compact`` folds the checks a
        readiness score rests on that passed into one line of rule codes (the report's
        appendix: its strengths are listed already); failures and unknowns keep their facts."""
        inference = self.evaluation.inference
        derived = {d.id: d for d in (*inference.gates, *inference.conditions, *inference.readiness)}
        lines = [ExplainLine(0, "", fill("{verdict}", {"verdict": self.labels[f"verdict.{inference.verdict}"]}))]

        def walk(ids, depth, seen):
            for ident in ids:
                if ident in seen:
                    continue
                seen = seen | {ident}
                if ident in self.views:
                    view = self.views[ident]
                    facts: Message | str = join((fact.words for fact in view.evidence),
                                                self.labels["label.item_separator"])
                    subject = view.subject
                    if compact:  # the appendix quotes; the full text is in the findings and --explain
                        subject = _cut(subject, limits.REPORT_SUBJECT_CHARS)
                        facts = _cut(str(facts), 2 * limits.REPORT_SUBJECT_CHARS)
                    lines.append(ExplainLine(depth, ident, fill(
                        "{rule} [{status}" + self.labels["label.list_separator"] + "{severity}] — {subject}: {facts}",
                        {"rule": view.rule, "status": view.status_label,
                         "severity": self.labels[f"severity.{self.by_id[ident].severity}"],
                         "subject": subject, "facts": facts})))
                    continue
                node = derived[ident]
                if node.kind == "readiness":
                    text = fill("{dimension}: {score} ({level})", {
                        "dimension": self.labels[f"dimension.{node.dimension}"],
                        "score": "—" if node.score is None else f"{node.score}/100",
                        "level": self.labels[f"level.{node.level}"]})
                elif node.kind == "gate":
                    text = fill("{label}", {"label": self.labels["severity.blocker"]})
                else:
                    text = fill("{label}", {"label": self.labels[f"condition.{node.kind}"]})
                lines.append(ExplainLine(depth, ident, text))
                causes = node.because
                if compact:
                    causes = self.fold_causes(causes, depth + 1, lines, derived)
                if compact and node.kind == "readiness":
                    met = sorted({self.by_id[c].rule for c in causes if self.by_id[c].status == "pass"})
                    causes = tuple(c for c in causes if self.by_id[c].status != "pass")
                    if met:
                        lines.append(ExplainLine(depth + 1, "", fill(self.labels["explain.checks_met"], {
                            "count": sum(1 for c in node.because if self.by_id[c].status == "pass"),
                            "codes": self.labels["label.list_separator"].join(met)})))
                walk(causes, depth + 1, seen)

        top = inference.verdict_because
        if compact:
            top = self.fold_causes(top, 1, lines, derived)
        walk(top, 1, frozenset())
        return tuple(lines)

    def fold(self, items, kind: str = "") -> tuple:
        """Items in order, those of one check concerning more than REPORT_FOLD_AT subjects as one Fold
        (in the place of the first). Items without a rule (a readiness condition) stay as they are."""
        by_rule: dict[tuple, list] = {}
        for item in items:
            if item.rule:
                by_rule.setdefault((getattr(item, "kind", ""), item.rule), []).append(item)
        shown, placed = [], set()
        for item in items:
            key = (getattr(item, "kind", ""), item.rule)
            members = by_rule.get(key, ())
            if len(members) <= limits.REPORT_FOLD_AT:
                shown.append(item)
            elif key not in placed:
                placed.add(key)
                shown.append(self.folded(members, kind))
        return tuple(shown)

    def folded(self, members: Sequence, kind: str) -> Fold:
        first = members[0]
        view = self.views.get(getattr(first, "id", "")) or next(
            v for v in self.views.values() if v.rule == first.rule)
        subjects = tuple(dict.fromkeys(_cut(m.subject, limits.REPORT_SUBJECT_CHARS) for m in members if m.subject))
        shown = subjects[: limits.REPORT_FOLD_NAMES]
        more = len(subjects) - len(shown)
        text = self.texts[first.rule]
        return Fold(
            rule=first.rule, name=view.name, severity=view.severity, severity_label=view.severity_label,
            dimension_label=view.dimension_label, message=text.summary(self.lang), fix=text.fix(self.lang),
            guidance=view.guidance, subjects=shown, count=len(members),
            count_text=self.labels["label.concerns_count"].replace("{count}", str(len(members))),
            more=self.labels["label.and_more"].replace("{count}", str(more)) if more else "",
            kind=kind and getattr(first, "kind", ""), kind_label=getattr(first, "kind_label", ""),
            needs_action=view.needs_action,
        )

    def build(self) -> ReportView:
        evaluation, labels = self.evaluation, self.labels
        views = list(self.views.values())
        failed = self.failed_subjects()
        shown = [v for v in views if v.status == "fail"
                 or (v.severity == "strength" and v.subject not in failed.get(v.rule, ()))]
        ordered = self.ordered(shown)
        groups = tuple(
            SeverityGroup(severity, labels[f"severity.{severity}"], members,
                          self.strength_rows(members) if severity == "strength" else (),
                          () if severity == "strength" else self.fold(members))
            for severity in SEVERITIES
            if (members := tuple(v for v in ordered if v.severity == severity))
        )
        conditions = self.conditions()
        not_assessed = self.ordered(v for v in views if v.status == "not_assessed")
        verdict = evaluation.verdict
        return ReportView(
            lang=self.lang, direction=knowledge.direction(self.lang),
            title=labels["heading.report"], guide_title=labels["label.guide"],
            alliance=evaluation.document.alliance.name, organisation=evaluation.document.organisation.name,
            date=_dt.date.today().isoformat(), verdict=verdict, verdict_label=labels[f"verdict.{verdict}"],
            summary=headline(evaluation, self.lang, self), score=evaluation.inference.score,
            coverage=evaluation.inference.coverage,
            score_with_coverage=self.assessed_text(evaluation.inference.coverage),
            next_steps=next_steps(evaluation, self.lang, self), conditions=conditions,
            readiness=self.readiness(), groups=groups, findings=ordered,
            not_assessed=not_assessed,
            disagreements=self.ordered(v for v in views if v.rule == "DS01"),
            actions=self.actions(),
            partners=self.partners(), explanation=self.explanation(),
            explanation_brief=self.explanation(compact=True),
            knowledge_version=knowledge.version(), tahaluf_version=__version__,
            source_name=evaluation.source_name, source_sha256=evaluation.source_sha256, labels=labels,
            conditions_shown=self.fold(conditions, kind="condition"), not_assessed_shown=self.fold(not_assessed),
            next_steps_shown=fold_steps(next_steps(evaluation, self.lang, self), self),
            consultant=self.consultant(), evidence=evidence_rows(self),
            policy_name=self.policy.source_name if self.policy else "",
            policy_sha256=self.policy.sha256 if self.policy else "",
            policy_rules=tuple(self.policy.by_id) if self.policy else (),
            quotes_original=self.beside == knowledge.GUIDE_LANGUAGE,
            translation_note=labels["label.guide_translation"] if knowledge.languages()[self.lang].guide_is_translation
            else "",
        )

    def consultant(self) -> Consultant | None:
        by = self.evaluation.document.report
        if by is None or not (by.name or by.organisation or by.recommendation):
            return None
        return Consultant(by.name or "", by.organisation or "", by.recommendation or "")


def _cut(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def build_report(evaluation: Evaluation, lang: str = "en", anonymous: bool = False) -> ReportView:
    return _Builder(evaluation, lang, anonymous).build()


def with_consultant(report: ReportView, by: str) -> ReportView:
    """The report as prepared by ``by`` ("Name, Organisation"; an Arabic comma too): it replaces the
    file's name and organisation and keeps its recommendation. Cleaned as the file's text is."""
    from dataclasses import replace

    from tahaluf.model import clean_text

    name, organisation = ([clean_text(part)[: limits.REPORT_SUBJECT_CHARS]
                           for part in re.split(r"[,،]", by, maxsplit=1)] + [""])[:2]
    kept = report.consultant or Consultant()
    return replace(report, consultant=Consultant(name, organisation, kept.recommendation, kept.logo))


# The steps live in reports/steps.py (imported last: they build on the classes above).
from tahaluf.reports.evidence_view import evidence_rows  # noqa: E402
from tahaluf.reports.steps import fold_steps, headline, next_steps, red_flags  # noqa: E402,F401
