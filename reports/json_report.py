"""The JSON report: a documented, stable interface (see README, "JSON output")."""

from __future__ import annotations

import json

from tahaluf.reports.views import FindingView, ReportView

SCHEMA_VERSION = 1


def _finding(view: FindingView, view_lang: str, other_lang: str) -> dict:
    return {
        "id": view.id, "rule": view.rule, "name": view.name, "severity": view.severity,
        "status": view.status, "dimension": view.dimension,
        "guidance": [quote.id for quote in view.guidance],
        "guide": [{"id": q.id, view_lang: q.text, other_lang: q.other} for q in view.guidance],
        "subject": view.subject,
        "message": str(view.message), "fix": view.fix,
        "facts": {fact.path: fact.value for fact in view.evidence},
    }


def report_data(report: ReportView, explain: bool = False) -> dict:
    languages = (report.lang, "ar" if report.lang == "en" else "en")
    data = {
        "schema_version": SCHEMA_VERSION,
        "tahaluf_version": report.tahaluf_version,
        "knowledge_version": report.knowledge_version,
        "input": {"file": report.source_name, "sha256": report.source_sha256},
        "language": report.lang,
        "alliance": report.alliance,
        "organisation": report.organisation,
        "verdict": report.verdict,
        "verdict_label": report.verdict_label,
        "summary": str(report.summary),
        "score": report.score,
        "coverage": report.coverage,
        "next_steps": [
            {"number": s.number, "kind": s.kind, "text": str(s.text), "change": s.change, "rule": s.rule or None,
             "subject": s.subject or None, "guidance": [q.id for q in s.guidance]}
            for s in report.next_steps
        ],
        "conditions": [
            {"id": c.id, "kind": c.kind, "text": str(c.text), "fix": c.fix, "rule": c.rule or None}
            for c in report.conditions
        ],
        "findings": [_finding(view, *languages) for view in report.findings],
        "not_assessed": [{**_finding(view, *languages), "question": str(view.question)}
                         for view in report.not_assessed],
        "readiness": [
            {"dimension": r.dimension, "score": r.score, "low": r.low, "high": r.high, "level": r.level,
             "coverage": r.coverage, "assessed": r.assessed, "not_assessed": r.not_assessed}
            for r in report.readiness
        ],
        "partners": [
            {"name": p.name, "sector": p.sector, "status": p.status, "blockers": p.blockers,
             "majors": p.majors, "minors": p.minors, "not_assessed": p.not_assessed}
            for p in report.partners
        ],
    }
    if report.evidence:  # only when the file lists evidence or evidence is required (issue 25)
        data["evidence"] = [
            {"fact": e.path, "status": e.status, "verify": e.verify, "rules": e.rules.split(", "),
             "text": str(e.fact), "sources": list(e.sources)}
            for e in report.evidence
        ]
    if explain:
        data["explanation"] = [{"depth": line.depth, "id": line.id, "text": str(line.text)}
                               for line in report.explanation]
    return data


def render_json(report: ReportView, explain: bool = False) -> str:
    return json.dumps(report_data(report, explain), ensure_ascii=False, indent=2) + "\n"
