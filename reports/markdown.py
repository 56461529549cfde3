"""The Markdown report a director reads in a terminal or a chat."""

from __future__ import annotations

from tahaluf.reports.templating import render
from tahaluf.reports.views import ReportView


def render_markdown(report: ReportView, explain: bool = False, part: str = "full") -> str:
    """``part``: "full" (the brief, then the full report as an annex) or "brief"."""
    return render("markdown", "report.md.j2", r=report, b=report.brief, explain=explain, part=part)
