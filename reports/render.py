"""One entry point for every report format (the table in reports/formats.py); WeasyPrint is
imported only for PDF."""

from __future__ import annotations

from tahaluf.evaluation import Evaluation
from tahaluf.reports.formats import report_format
from tahaluf.reports.viewmodel import build_report


def render_report(evaluation: Evaluation, fmt: str, lang: str = "en", explain: bool = False,
                  anonymous: bool = False) -> str | bytes:
    report = build_report(evaluation, lang, anonymous)
    return report_format(fmt).render(report, explain)
