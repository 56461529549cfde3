"""The Markdown report a director reads in a terminal or a chat."""

from __future__ import annotations

from tahaluf.reports.templating import render
from tahaluf.reports.viewmodel import ReportView


def render_markdown(report: ReportView, explain: bool = False) -> str:
    return render("markdown", "report.md.j2", r=report, explain=explain)
