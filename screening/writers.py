"""Writing screening results and rejected rows, one row at a time.

Out: CSV, XLSX (write-only mode, bold frozen header, text as text), JSONL and
HTML (autoescaped template). Text cells of CSV/XLSX are neutralised against
formula injection. Files are written to a temporary file in the target folder
and renamed over the target only once complete (as ``files/output.py`` does,
but streamed: the whole output never sits in memory).
"""

from __future__ import annotations

import csv
import json
import re
import sys
from collections.abc import Iterable
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO

from tahaluf import knowledge, limits
from tahaluf.files.cells import formula_like, neutralise
from tahaluf.files.output import OutputSet

OUTPUT_FORMATS = ("csv", "xlsx", "jsonl", "html")
OUTPUT_SUFFIXES = {".csv": "csv", ".xlsx": "xlsx", ".jsonl": "jsonl", ".ndjson": "jsonl", ".html": "html",
                   ".htm": "html"}

# The result columns, in order (``rank`` is the position after the best-first sort).
# ``reason`` is the first of ``reasons`` (every failed check and decisive open question, in words).
RESULT_COLUMNS = ("rank", "row", "name", "sector", "status", "score", "failed", "not_assessed", "guidance", "reason",
                  "reasons")
REASONS_SEPARATOR = "\n"  # one reason a line in an XLSX cell
# ... and on one line in a CSV: a row is a line, for the programs that read it so (head, grep).
CSV_REASONS_SEPARATOR = " | "
ERROR_COLUMNS = ("row", "field", "problem")


@contextmanager
def text_target(out: Path | None, bom: bool = True):
    """A text stream to ``out`` (a temporary file the caller commits) or to standard output when None."""
    if out is None:
        yield sys.stdout
        sys.stdout.flush()
        return
    with open(out, "w", encoding="utf-8-sig" if bom else "utf-8", newline="") as stream:
        yield stream


def _joined(items) -> str:
    return "; ".join(items)


def _reason_text(parts) -> str:
    return "".join(text for text, _ in parts)


def _reasons(record: list) -> list:
    """Every reason's parts (a record spooled before reasons were kept has its one reason only)."""
    return record[9] if len(record) > 9 else ([record[8]] if record[8] else [])


def csv_cells(rank: int, record: list) -> list:
    row, name, sector, status, score, failed, unknown, guidance, reason = record[:9]
    return [rank, row, neutralise(name), neutralise(sector or ""), status, "" if score is None else score,
            neutralise(_joined(failed)), neutralise(_joined(unknown)), neutralise(_joined(guidance)),
            neutralise(_reason_text(reason)),
            neutralise(CSV_REASONS_SEPARATOR.join(_reason_text(parts) for parts in _reasons(record)))]


def write_csv(stream, records: Iterable[list]) -> None:
    writer = csv.writer(stream, lineterminator="\r\n")
    writer.writerow(RESULT_COLUMNS)
    writer.writerows(csv_cells(rank, record) for rank, record in enumerate(records, 1))


def write_jsonl(stream, records: Iterable[list]) -> None:
    for rank, record in enumerate(records, 1):
        row, name, sector, status, score, failed, unknown, guidance, reason = record[:9]
        stream.write(json.dumps({
            "rank": rank, "row": row, "name": name, "sector": sector, "status": status, "score": score,
            "failed": failed, "not_assessed": unknown, "guidance": guidance, "reason": _reason_text(reason),
            "reasons": [_reason_text(parts) for parts in _reasons(record)],
        }, ensure_ascii=False) + "\n")


_RIGHT_TO_LEFT = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")
_LEFT_TO_RIGHT = re.compile("[A-Za-z\u00c0-\u024f]")


def xlsx_sheets(lang: str) -> tuple[str, str]:
    """The workbook's sheet names in ``lang``: the results and the summary (labels.yaml screen.sheet.*)."""
    from tahaluf import knowledge

    labels = knowledge.labels()
    return labels["screen.sheet.results"](lang), labels["screen.sheet.summary"](lang)


def write_xlsx(path: Path, records: Iterable[list], summary_rows: list[tuple[str, Any]],
               lang: str = "en", words: dict | None = None, scratch: Path | None = None) -> None:
    """Write-only workbook: a results sheet (bold, frozen header) and a summary sheet.

    Text a spreadsheet would run as a formula is stored as a text cell with Excel's quote
    prefix: it shows as typed and never runs. A text mixing Arabic and Latin letters reads
    in the sheet's language; an Arabic workbook is laid out right to left, in Arabic words
    (``words``: headers, statuses, sectors).

    openpyxl spools each sheet to a temporary file: in ``scratch`` (our private folder,
    cleaned on every exit) when given, rather than loose in the system's temp folder.
    """
    import tempfile

    previous = tempfile.tempdir
    if scratch is not None:
        tempfile.tempdir = str(scratch)
    try:
        _write_workbook(path, records, summary_rows, lang, words or {})
    finally:
        tempfile.tempdir = previous


def _write_workbook(path: Path, records: Iterable[list], summary_rows: list[tuple[str, Any]], lang: str,
                    words: dict) -> None:
    import zipfile

    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Alignment, Font

    reading_order = Alignment(readingOrder=2 if knowledge.direction(lang) == "rtl" else 1)
    separator = knowledge.labels()["label.item_separator"](lang)

    def text(value: str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        as_formula = formula_like(value)
        mixed = _RIGHT_TO_LEFT.search(value) is not None and _LEFT_TO_RIGHT.search(value) is not None
        if not (as_formula or mixed):
            return value
        cell = WriteOnlyCell(sheet, value=value)
        if as_formula:
            cell.data_type = "s"  # openpyxl would store "=..." as a formula
            cell.quotePrefix = True
        if mixed:
            cell.alignment = reading_order
        return cell

    def lines(value: str):
        """A cell of several lines (the reasons), wrapped so each shows on its own line."""
        cell = text(value)
        if "\n" not in value:
            return cell
        if isinstance(cell, str):
            cell = WriteOnlyCell(sheet, value=cell)
        cell.alignment = Alignment(wrap_text=True, vertical="top", readingOrder=reading_order.readingOrder)
        return cell

    def header(target, names):
        cells = []
        for name in names:
            cell = WriteOnlyCell(target, value=name)
            cell.font = Font(bold=True)
            cells.append(cell)
        target.append(cells)

    def new_sheet(title: str):
        created = book.create_sheet(title)
        created.sheet_view.rightToLeft = knowledge.direction(lang) == "rtl"
        return created

    def results_sheet(number: int):
        title = xlsx_sheets(lang)[0]
        created = new_sheet(title if number == 1 else f"{title} {number}")
        created.freeze_panes = "A2"
        for letter, width in zip("ABCDEFGHIJK", (7, 7, 36, 14, 12, 7, 18, 18, 24, 80, 100)):
            created.column_dimensions[letter].width = width
        header(created, [words.get(column, column) for column in RESULT_COLUMNS])
        return created

    book = Workbook(write_only=True)
    sheet: Any = None  # made on the first row (openpyxl has no types)
    try:
        sheets, used = 1, limits.XLSX_MAX_ROWS
        statuses, sectors = words.get("statuses", {}), words.get("sectors", {})
        for rank, record in enumerate(records, 1):
            if used >= limits.XLSX_MAX_ROWS:  # a spreadsheet holds 1,048,576 rows: go on in another sheet
                sheet, used = results_sheet(sheets), 1
                sheets += 1
            row, name, sector, status, score, failed, unknown, guidance, reason = record[:9]
            sheet.append([rank, row, text(name), text(sectors.get(sector, sector or "")),
                          statuses.get(status, status), score, text(separator.join(failed)),
                          text(separator.join(unknown)), text(separator.join(guidance)), text(_reason_text(reason)),
                          lines(REASONS_SEPARATOR.join(_reason_text(parts) for parts in _reasons(record)))])
            used += 1
        if sheet is None:
            sheet = results_sheet(1)
        sheet = new_sheet(xlsx_sheets(lang)[1])
        sheet.column_dimensions["A"].width = 40
        sheet.column_dimensions["B"].width = 80
        header(sheet, (words.get("item", "item"), words.get("value", "value")))
        for item, value in summary_rows:
            sheet.append([text(str(item)), value if isinstance(value, int) else text(str(value))])
        from openpyxl.writer.excel import ExcelWriter

        with open(path, "wb") as stream:
            archive = zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
            try:
                ExcelWriter(book, archive).save()  # what book.save does, with the archive in our hands
            except BaseException:
                # Abandon it: the caller removes the file. Otherwise ZipFile.__del__ would try
                # to finish the archive at exit and print a traceback.
                archive.fp = None
                raise
    except BaseException:
        # Each unfinished sheet's row writer would otherwise finish its XML at exit, into a
        # closed file, and print a traceback (after Ctrl-C, or on a full disk).
        for unfinished in book.worksheets:
            _close_quietly(getattr(unfinished, "_rows", None))
        raise


def _close_quietly(generator) -> None:
    if generator is not None:
        try:
            generator.close()
        except Exception:
            pass


def write_html(stream, records: Iterable[list], summary, lang: str, labels: dict) -> None:
    """Render the sortable table with the project's autoescaping environment, streamed."""
    from tahaluf.reports.templating import environment
    from tahaluf.user_messages import Message

    def rows():
        for rank, record in enumerate(records, 1):
            row, name, sector, status, score, failed, unknown, guidance, reason = record[:9]
            yield {"rank": rank, "row": row, "name": name,
                   "sector": labels.get("sectors", {}).get(sector, sector or ""),
                   "status": status,
                   "score": score, "failed": failed, "not_assessed": unknown, "guidance": guidance,
                   "reason": Message(tuple((t, bool(u)) for t, u in reason)),
                   "reasons": [Message(tuple((t, bool(u)) for t, u in parts)) for parts in _reasons(record)]}

    template = environment("html").get_template("screening.html.j2")
    for chunk in template.generate(rows=rows(), summary=summary, lang=lang, labels=labels,
                                   columns=RESULT_COLUMNS):
        stream.write(chunk)


class ErrorSink:
    """Rejected rows: a CSV file (row, field, problem), created at the first one, when a path is
    given; a preview is kept. The file joins ``outputs``, committed with the results or not at
    all; when no row was rejected there is none (an older one at that path is removed with
    the commit: it described a previous run)."""

    PREVIEW = 10

    def __init__(self, path: Path | None, outputs: OutputSet | None = None, lang: str | None = None):
        self.path, self.outputs, self.count = path, outputs or OutputSet(), 0
        self.lang = lang  # the problems' language, where the catalogue has their words
        self.preview: list[tuple[int, str, str]] = []
        self._stream: TextIO | None = None
        self._writer: Any = None  # a csv writer (its type is private to _csv), made on the first problem

    def __enter__(self):
        return self

    def add(self, row: int, field: str, problem: str) -> None:
        from tahaluf.input_words import in_language

        problem = in_language(problem, self.lang) if self.lang else problem
        self.count += 1
        if len(self.preview) < self.PREVIEW:
            self.preview.append((row, field, problem))
        if self.path is not None:
            if self._writer is None:
                temporary = self.outputs.add(self.path)
                self._stream = open(temporary, "w", encoding="utf-8-sig", newline="")  # noqa: SIM115
                self._writer = csv.writer(self._stream, lineterminator="\r\n")
                self._writer.writerow(ERROR_COLUMNS)
            self._writer.writerow([row, neutralise(field), neutralise(problem)])

    def finish(self) -> None:
        """All rows are in: close the file, or mark a stale one for removal when there were no errors."""
        if self._stream is not None:
            self._stream.close()
        elif self.path is not None and self.path.is_file():
            self.outputs.remove(self.path)

    def __exit__(self, kind, error, trace):
        if self._stream is not None and not self._stream.closed:
            try:
                self._stream.close()
            except OSError:
                if kind is None:
                    raise
        return False
