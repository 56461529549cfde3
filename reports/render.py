"""One entry point for every report format (the table in reports/formats.py); WeasyPrint is
imported only for PDF."""

from __future__ import annotations

from dataclasses import replace

from tahaluf.evaluation import Evaluation
from tahaluf.reports.formats import report_format
from tahaluf.reports.viewmodel import build_report, with_consultant
from tahaluf.reports.views import Consultant


def render_report(evaluation: Evaluation, fmt: str, lang: str = "en", explain: bool = False,
                  anonymous: bool = False, part: str | None = None, by: str | None = None,
                  logo=None) -> str | bytes:
    """``part``: "brief" or "full"; by default the brief alone for PDF (a board's document; the full
    report as an annex with ``part="full"``), the full report for Markdown and HTML."""
    report = build_report(evaluation, lang, anonymous)
    if by:  # --by "Name, Organisation": who prepared it, over the file's report: section
        report = with_consultant(report, by)
    if logo is not None:  # a checked logo.Logo (--logo, the file's report: logo:), printed with who prepared it
        report = replace(report, consultant=replace(report.consultant or Consultant(), logo=logo))
    output = report_format(fmt)
    report = replace(report, annex_suffix=output.suffix)
    return output.render(report, explain, part)
