"""The HTML report: one self-contained page (stylesheet inlined), also the source of the PDF.

This module must stay light: it does not import WeasyPrint (only ``reports/pdf.py`` does).
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from pathlib import Path

from markupsafe import Markup

from tahaluf.reports.templating import render
from tahaluf.reports.views import ReportView

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


# A user value is printed in <bdi> (escaped: it holds no markup); <bdi> takes its direction
# from its first strong letter. That is right for a name in one script, wrong for a mixed
# one: "عربي (English)" in an English report would be laid out right to left — "(English)"
# on the left, its brackets mirrored and split when it wraps. A value with letters of
# both directions is laid out in the report's own direction instead.
_USER_VALUE = re.compile(r'<bdi((?: class="[a-z0-9 _-]+")?)>([^<]*)</bdi>')
_RIGHT_TO_LEFT = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")


def is_mixed(text: str) -> bool:
    """Letters of both directions: right-to-left (Arabic, Hebrew) and left-to-right (Latin ...)."""
    return bool(_RIGHT_TO_LEFT.search(text)) and any(unicodedata.bidirectional(c) == "L" for c in text)


def direct_mixed_values(html: str, direction: str) -> str:
    """Give each <bdi> holding a mixed-direction value the report's direction (``dir``)."""
    def direct(match: re.Match) -> str:
        attributes, text = match.groups()
        return f'<bdi{attributes} dir="{direction}">{text}</bdi>' if is_mixed(text) else match.group(0)

    return _USER_VALUE.sub(direct, html)


def html_document(report: ReportView, *, inline_stylesheet: bool = True, part: str = "full") -> str:
    """The report as HTML. Inlined stylesheet for a standalone file; a link to ``report.css``
    (resolved against the assets folder by the PDF renderer's restricted fetcher) otherwise.
    ``part``: "full" (the brief, then the full report as an annex) or "brief" (the brief alone)."""
    html = render("html", TEMPLATE, r=report, t=report.labels,
                  stylesheet=stylesheet() if inline_stylesheet else None, part=part)
    return direct_mixed_values(html, "rtl" if report.direction == "rtl" else "ltr")


def render_html(report: ReportView, part: str = "full") -> str:
    return html_document(report, inline_stylesheet=True, part=part)
