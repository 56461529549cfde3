"""The report formats, in one table: the CLI's choices and extensions, the web app's downloads and
the tests all read it. Adding a format is one renderer and one row here.

A renderer is named by ``module:function`` and imported only when that format is written (WeasyPrint
is slow to import and only PDF needs it). It takes the report's view model, then ``explain`` for the
formats that can show the explanation, then the part (brief or full report) for the formats that have parts.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass


@dataclass(frozen=True)
class ReportFormat:
    name: str  # what --format takes and what the web download's address names
    suffixes: tuple[str, ...]  # the first is the one a file is named with
    binary: bool  # never written to a terminal
    content_type: str
    renderer: str  # "module:function", imported on first use
    explains: bool = False  # the renderer can add the explanation (--explain)
    # The part written unless one is asked for ("brief" or "full"); None: the format has no parts.
    default_part: str | None = None
    # What the web app's report page offers: "documents" (one per language), "data" (in the page's
    # language), "" (not offered).
    on_web: str = ""

    @property
    def suffix(self) -> str:
        return self.suffixes[0]

    def render(self, report, explain: bool = False, part: str | None = None) -> str | bytes:
        module, _, function = self.renderer.partition(":")
        render = getattr(importlib.import_module(module), function)
        arguments = [report]
        if self.explains:
            arguments.append(explain)
        if self.default_part:
            arguments.append(part or self.default_part)
        return render(*arguments)


_ROWS = (
    ReportFormat("md", (".md", ".markdown"), False, "text/markdown; charset=utf-8",
                 "tahaluf.reports.markdown:render_markdown", explains=True, default_part="full"),
    ReportFormat("json", (".json",), False, "application/json", "tahaluf.reports.json_report:render_json",
                 explains=True, on_web="data"),
    ReportFormat("html", (".html", ".htm"), False, "text/html; charset=utf-8", "tahaluf.reports.html:render_html",
                 default_part="full"),
    ReportFormat("pdf", (".pdf",), True, "application/pdf", "tahaluf.reports.pdf:render_pdf",
                 default_part="brief", on_web="documents"),  # a board's document; the full report: --full
    ReportFormat("docx", (".docx",), True,
                 "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                 "tahaluf.reports.docx:render_docx", default_part="brief", on_web="documents"),  # the PDF's, editable
)

REPORT_FORMATS: dict[str, ReportFormat] = {row.name: row for row in _ROWS}
DEFAULT_FORMAT = "md"


def report_suffixes() -> dict[str, str]:
    """Extension -> format name, for ``-o report.pdf``."""
    return {suffix: row.name for row in REPORT_FORMATS.values() for suffix in row.suffixes}


def report_format(name: str) -> ReportFormat:
    try:
        return REPORT_FORMATS[name]
    except KeyError:
        raise ValueError(f"unknown format {name!r}") from None
