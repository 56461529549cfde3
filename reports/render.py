"""One entry point for every report format; WeasyPrint is imported only for PDF."""

from __future__ import annotations

from tahaluf.evaluation import Evaluation
from tahaluf.reports.viewmodel import build_report, with_consultant


def render_report(evaluation: Evaluation, fmt: str, lang: str = "en", explain: bool = False,
                  anonymous: bool = False, part: str | None = None, by: str | None = None) -> str | bytes:
    """``part``: "brief" or "full"; by default the brief alone for PDF (a board's document; the full
    report as an annex with ``part="full"``), the full report for Markdown and HTML."""
    report = build_report(evaluation, lang, anonymous)
    if by:  # --by "Name, Organisation": who prepared it, over the file's report: section
        report = with_consultant(report, by)
    part = part or ("brief" if fmt == "pdf" else "full")
    if fmt == "json":
        from tahaluf.reports.json_report import render_json

        return render_json(report, explain)
    if fmt == "md":
        from tahaluf.reports.markdown import render_markdown

        return render_markdown(report, explain, part)
    if fmt == "html":
        from tahaluf.reports.html import render_html

        return render_html(report, part)
    if fmt == "pdf":
        from tahaluf.reports.pdf import render_pdf

        return render_pdf(report, part)
    raise ValueError(f"unknown format {fmt!r}")
