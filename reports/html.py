"""The HTML report: one self-contained page (stylesheet inlined), also the source of the PDF.

This module must stay light: it does not import WeasyPrint (only ``reports/pdf.py`` does).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from markupsafe import Markup

from tahaluf.reports.templating import render
from tahaluf.reports.viewmodel import ReportView

ASSETS = Path(__file__).resolve().parent / "assets"
STYLESHEET = "report.css"
TEMPLATE = "report.html.j2"


@cache
def stylesheet() -> Markup:
    """The package's own stylesheet, trusted, to inline in a ``<style>`` element."""
    css = (ASSETS / STYLESHEET).read_text(encoding="utf-8")
    if "</" in css:  # it must not be able to close the <style> element it is printed in
        raise ValueError(f"{STYLESHEET} must not contain '</'")
    return Markup(css)


def html_document(report: ReportView, *, inline_stylesheet: bool = True) -> str:
    """The report as HTML. Inlined stylesheet for a standalone file; a link to ``report.css``
    (resolved against the assets folder by the PDF renderer's restricted fetcher) otherwise."""
    return render("html", TEMPLATE, r=report, t=report.labels,
                  stylesheet=stylesheet() if inline_stylesheet else None)


def render_html(report: ReportView) -> str:
    return html_document(report, inline_stylesheet=True)
