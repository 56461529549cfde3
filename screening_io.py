"""Reading candidate lists and writing screening results, one row at a time.

In: CSV (UTF-8, first row names the columns), XLSX (first sheet, read with
openpyxl ``read_only=True``; openpyxl parses with defusedxml when it is
installed), JSONL (one JSON object a line) and YAML (a list of candidates, read
with the project's safe loader). Every reader yields ``(row, values)``: ``row``
is the spreadsheet row (header = row 1) for CSV/XLSX and the line for JSONL/YAML;
``values`` maps a column name to its raw, non-empty value, or is a
:class:`RowProblem` when the row cannot even be read.

Out: CSV, XLSX (write-only mode, bold frozen header, text as text), JSONL and
HTML (autoescaped template). Text cells of CSV/XLSX are neutralised against
formula injection. Files are written to a temporary file in the target folder
and renamed over the target only once complete (as ``reports/output.py`` does,
but streamed: the whole output never sits in memory).
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
import tempfile
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator

from tahaluf.errors import InputError, UsageError
from tahaluf.reports.output import atomic_path, check_target

MAX_INPUT_BYTES = 200 * 1024 * 1024  # CSV, XLSX, JSONL
MAX_YAML_BYTES = 10 * 1024 * 1024  # YAML is parsed whole: kept smaller
MAX_ROWS = 2_000_000
MAX_JSON_LINE_BYTES = 1_000_000
XLSX_MAX_ROWS = 1_048_576  # per sheet, header included
MAX_XLSX_UNZIPPED_BYTES = 2 * 1024**3
MAX_XLSX_STRINGS_BYTES = 512 * 1024**2

INPUT_FORMATS = {".csv": "csv", ".xlsx": "xlsx", ".jsonl": "jsonl", ".ndjson": "jsonl", ".yaml": "yaml", ".yml": "yaml"}
OUTPUT_FORMATS = ("csv", "xlsx", "jsonl", "html")
OUTPUT_SUFFIXES = {".csv": "csv", ".xlsx": "xlsx", ".jsonl": "jsonl", ".ndjson": "jsonl", ".html": "html", ".htm": "html"}

# The result columns, in order (``rank`` is the position after the best-first sort).
RESULT_COLUMNS = ("rank", "row", "name", "sector", "status", "score", "failed", "not_assessed", "guidance", "reason")
ERROR_COLUMNS = ("row", "field", "problem")


@dataclass(frozen=True)
class RowProblem:
    """Why one row could not be screened."""

    field: str
    problem: str


# Readers ---------------------------------------------------------------------------------


class CandidateReader:
    """Base: ``columns`` is [(name, line of first use)], ``rows()`` yields (row, values | RowProblem).

    ``name`` is how errors name the file (``<stdin>`` for standard input, read from a spooled copy).
    """

    def __init__(self, path: Path, name: str | None = None):
        self.path, self.name = path, name or str(path)
        self.columns: list[tuple[str, int | None]] = []
        self.blank_rows = 0
        self.spool: tempfile.TemporaryDirectory | None = None  # removed when the reader is done

    def rows(self) -> Iterator[tuple[int, dict | RowProblem]]:
        raise NotImplementedError

    def position(self) -> tuple[float, float | None]:
        """(work done, total work) for a progress bar, in the reader's own unit."""
        return 0, None

    def close(self) -> None:
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        if self.spool is not None:
            self.spool.cleanup()

    def _too_many(self, row: int) -> InputError:
        return InputError(self.name, row, None, f"more than {MAX_ROWS:,} candidate rows: split the file")


def _check_size(path: Path, limit: int, name: str | None = None) -> int:
    name = name or str(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(name, None, None, f"cannot read: {exc.strerror or exc}") from None
    if not path.is_file():
        raise InputError(name, None, None, "not a regular file")
    if size > limit:
        raise InputError(name, None, None, f"file is larger than the {limit:,}-byte limit: split it")
    return size


def _header_names(cells: Iterable[Any]) -> list[str]:
    """Header cells as column names: trimmed, lower-case (``Name`` and ``name`` are one column)."""
    return ["" if cell is None else str(cell).strip().lower() for cell in cells]


def _row_values(header: list[str], cells) -> dict | RowProblem:
    """Non-empty cells of one row by column name; a value under no column name is a problem."""
    values = {name: cell for name, cell in zip(header, cells) if cell is not None and cell != ""}
    stray = values.pop("", None)
    if stray is not None and (not isinstance(stray, str) or stray.strip()):
        return RowProblem(f"column {header.index('') + 1}", "a value in a column that has no name in the header row")
    if len(cells) > len(header):
        extra = [c for c in cells[len(header):] if c is not None and (not isinstance(c, str) or c.strip())]
        if extra:
            return RowProblem(f"column {len(header) + 1}", "more cells than the header row names")
    return values


class CsvReader(CandidateReader):
    def __init__(self, path: Path, name: str | None = None):
        super().__init__(path, name)
        self._size = _check_size(path, MAX_INPUT_BYTES, self.name)
        self._raw = open(path, "rb")  # noqa: SIM115 (closed by close())
        self._text = io.TextIOWrapper(self._raw, encoding="utf-8-sig", newline="")
        # strict: a quote that never closes (or stray text after a closing quote) is an error
        # for that row, not a field swallowing the rest of the file.
        self._reader = csv.reader(self._text, strict=True)
        header = self._next()
        if header is None:
            self.close()
            raise InputError(self.name, 1, None, "the file is empty: its first row must name the columns")
        self.header = _header_names(header)
        self.columns = [(name, 1) for name in self.header if name]

    def _next(self) -> list[str] | None:
        try:
            return self._next_row()
        except csv.Error as exc:
            raise InputError(self.name, self._reader.line_num or None, None, f"not readable as CSV: {exc}") from None

    def _next_row(self) -> list[str] | None:
        try:
            return next(self._reader, None)
        except UnicodeDecodeError:
            raise InputError(self.name, self._reader.line_num + 1, None,
                             "not valid UTF-8 text (save the sheet as 'CSV UTF-8')") from None

    def rows(self):
        header, row = self.header, 1
        while True:
            try:
                cells = self._next_row()
            except csv.Error as exc:  # this row is malformed: reject it, read on
                row += 1
                yield row, RowProblem("", _csv_problem(exc))
                continue
            if cells is None:
                return
            row += 1
            if row > MAX_ROWS + 1:
                raise self._too_many(row)
            values = _row_values(header, cells)
            if isinstance(values, dict) and not any(v.strip() for v in values.values()):
                self.blank_rows += 1
                continue
            yield row, values

    def position(self):
        try:
            return self._raw.tell(), self._size
        except (OSError, ValueError):
            return 0, self._size

    def close(self):
        if not self._text.closed:
            self._text.close()


def _csv_problem(error: csv.Error) -> str:
    if "unexpected end of data" in str(error):
        return "a quote opened in this row is never closed"
    return f"not readable as CSV: {error}"


def _xlsx_value(value: Any) -> Any:
    if value is None or isinstance(value, (str, bool)):
        return value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _root_cause(error: BaseException) -> str:
    """The name of the innermost exception (openpyxl wraps a parser's refusal in a ValueError)."""
    seen = 0
    while (error.__cause__ or error.__context__) is not None and seen < 10:
        error, seen = error.__cause__ or error.__context__, seen + 1
    return type(error).__name__


def _check_unzipped_size(path: Path, name: str) -> None:
    """Refuse a workbook whose parts would inflate past what a candidate list needs (a zip bomb).

    openpyxl reads the shared-strings part whole, even in read-only mode.
    """
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError):
        raise InputError(name, None, None, "not a readable XLSX workbook (not a zip archive)") from None
    total = sum(part.file_size for part in parts)
    strings = sum(part.file_size for part in parts if part.filename.lower().endswith("sharedstrings.xml"))
    if total > MAX_XLSX_UNZIPPED_BYTES or strings > MAX_XLSX_STRINGS_BYTES:
        raise InputError(name, None, None,
                         f"the workbook unpacks to more than {MAX_XLSX_UNZIPPED_BYTES:,} bytes: save it as CSV "
                         "or split it")


class XlsxReader(CandidateReader):
    def __init__(self, path: Path, name: str | None = None):
        super().__init__(path, name)
        _check_size(path, MAX_INPUT_BYTES, self.name)
        import openpyxl  # uses defusedxml for parsing when it is installed (it is a dependency)

        self._book = None
        _check_unzipped_size(path, self.name)
        try:
            self._book = openpyxl.load_workbook(path, read_only=True, data_only=True)
            sheet = self._book.worksheets[0]
            self._total = sheet.max_row
            self._iter = sheet.iter_rows(values_only=True)
            header = next(self._iter, None)
        except Exception as exc:  # a hostile or broken workbook can fail in many ways: one clear error
            self.close()
            raise InputError(self.name, None, None, f"not a readable XLSX workbook ({_root_cause(exc)})") from None
        if header is None or not any(cell is not None for cell in header):
            self.close()
            raise InputError(self.name, 1, None, "the first sheet is empty: its first row must name the columns")
        self.header = _header_names(header)
        self.columns = [(name, 1) for name in self.header if name]
        self._row = 1

    def rows(self):
        header = self.header
        while True:
            try:
                cells = next(self._iter, None)
            except Exception as exc:
                raise InputError(self.name, self._row + 1, None,
                                 f"not a readable XLSX workbook ({_root_cause(exc)})") from None
            if cells is None:
                return
            self._row += 1
            if self._row > MAX_ROWS + 1:
                raise self._too_many(self._row)
            values = _row_values(header, [_xlsx_value(cell) for cell in cells])
            if isinstance(values, dict) and not any(not isinstance(v, str) or v.strip() for v in values.values()):
                self.blank_rows += 1
                continue
            yield self._row, values

    def position(self):
        return self._row, self._total

    def close(self):
        if self._book is not None:
            self._book.close()
            self._book = None


def flatten(mapping: dict, prefix: str = "") -> dict:
    """{'government': {'approach': 'x'}} -> {'government.approach': 'x'} (dotted keys pass through)."""
    flat: dict = {}
    for key, value in mapping.items():
        name = f"{prefix}{str(key).strip().lower()}"
        if isinstance(value, dict):
            flat.update(flatten(value, name + "."))
        else:
            flat[name] = value
    return flat


def _non_empty(flat: dict) -> dict:
    return {k: v for k, v in flat.items() if v is not None and v != ""}


class JsonlReader(CandidateReader):
    def __init__(self, path: Path, name: str | None = None):
        super().__init__(path, name)
        self._size = _check_size(path, MAX_INPUT_BYTES, self.name)
        # A first pass collects every key, so an unknown one stops the file before any row is screened.
        first: dict[str, int] = {}
        with open(path, "rb") as handle:
            for line_number, line in enumerate(handle, 1):
                if not line.strip() or len(line) > MAX_JSON_LINE_BYTES:
                    continue
                try:
                    record = json.loads(line)
                except (ValueError, RecursionError):
                    continue
                if isinstance(record, dict):
                    for key in flatten(record):
                        first.setdefault(key, line_number)
        self.columns = list(first.items())
        self._handle = open(path, "rb")  # noqa: SIM115

    def rows(self):
        count = 0
        for line_number, line in enumerate(self._handle, 1):
            if not line.strip():
                continue
            count += 1
            if count > MAX_ROWS:
                raise self._too_many(line_number)
            if len(line) > MAX_JSON_LINE_BYTES:
                yield line_number, RowProblem("", f"line is longer than {MAX_JSON_LINE_BYTES:,} bytes")
                continue
            try:
                record = json.loads(line)
            except UnicodeDecodeError:
                yield line_number, RowProblem("", "not valid UTF-8 text")
                continue
            except (ValueError, RecursionError) as exc:
                yield line_number, RowProblem("", f"not valid JSON: {getattr(exc, 'msg', 'nested too deeply')}")
                continue
            if not isinstance(record, dict):
                yield line_number, RowProblem("", "expected one JSON object per line")
                continue
            values = _non_empty(flatten(record))
            if not values:
                self.blank_rows += 1
                continue
            yield line_number, values

    def position(self):
        try:
            return self._handle.tell(), self._size
        except (OSError, ValueError):
            return 0, self._size

    def close(self):
        self._handle.close()


class YamlReader(CandidateReader):
    """A list of candidate mappings (or ``candidates:`` holding one); nested sections or dotted keys."""

    def __init__(self, path: Path, name: str | None = None):
        super().__init__(path, name)
        from tahaluf.loader import load_yaml, read_text

        data, source = load_yaml(read_text(path, MAX_YAML_BYTES), self.name)
        prefix: tuple = ()
        if isinstance(data, dict) and set(data) == {"candidates"}:
            data, prefix = data["candidates"], ("candidates",)
        if not isinstance(data, list):
            raise InputError(self.name, 1, None, "expected a list of candidates (or 'candidates:' holding one)")
        self._items: list[tuple[int, dict | RowProblem]] = []
        first: dict[str, int] = {}
        for index, item in enumerate(data):
            line = source.line_of(prefix + (index,)) or 0
            if not isinstance(item, dict):
                self._items.append((line, RowProblem("", "expected a mapping of facts about one candidate")))
                continue
            flat = flatten(item)
            for key in flat:
                first.setdefault(key, source.line_of(prefix + (index, *key.split("."))) or line)
            self._items.append((line, _non_empty(flat)))
        if len(self._items) > MAX_ROWS:
            raise self._too_many(self._items[MAX_ROWS][0])
        self.columns = list(first.items())
        self._done = 0

    def rows(self):
        for line, values in self._items:
            self._done += 1
            if isinstance(values, dict) and not values:
                self.blank_rows += 1
                continue
            yield line, values

    def position(self):
        return self._done, len(self._items)


READERS = {"csv": CsvReader, "xlsx": XlsxReader, "jsonl": JsonlReader, "yaml": YamlReader}
STDIN = "-"


def open_candidates(path: str | Path, kind: str | None = None) -> CandidateReader:
    """A reader for ``path`` ('-': standard input), in format ``kind`` or the one its extension names."""
    if str(path) == STDIN:
        if kind is None:
            raise UsageError("candidates on standard input: say their format with --input-format "
                             f"({', '.join(READERS)})")
        return _open_stdin(kind)
    path = Path(path)
    kind = kind or INPUT_FORMATS.get(path.suffix.lower())
    if kind is None:
        raise InputError(str(path), None, None,
                         f"unknown candidates format {path.suffix or '(no extension)'!r}: "
                         f"use {', '.join(sorted(INPUT_FORMATS))} or --input-format")
    if kind not in READERS:
        raise UsageError(f"unknown input format {kind!r}: use one of {', '.join(READERS)}")
    if not path.exists():
        raise InputError(str(path), None, None, "cannot read: No such file or directory")
    return READERS[kind](path)


def _open_stdin(kind: str) -> CandidateReader:
    """Standard input copied to a private temporary file (capped), then read like any file:
    an XLSX needs to seek, and the progress bar a size."""
    limit = MAX_YAML_BYTES if kind == "yaml" else MAX_INPUT_BYTES
    spool = tempfile.TemporaryDirectory(prefix="tahaluf-stdin-")
    try:
        path = Path(spool.name) / f"stdin.{kind}"
        copied = 0
        with open(path, "wb") as out:
            while block := sys.stdin.buffer.read(1 << 20):
                copied += len(block)
                if copied > limit:
                    raise InputError("<stdin>", None, None, f"more than the {limit:,}-byte limit: split it")
                out.write(block)
        reader = READERS[kind](path, "<stdin>")
    except BaseException:
        spool.cleanup()
        raise
    reader.spool = spool
    return reader


# Writers ---------------------------------------------------------------------------------

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def neutralise(text: str) -> str:
    """A text cell a spreadsheet would run as a formula gets a leading apostrophe."""
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


@contextmanager
def text_target(out: Path | None, bom: bool = True):
    """A text stream to ``out`` (atomically) or to standard output when ``out`` is None."""
    if out is None:
        yield sys.stdout
        sys.stdout.flush()
        return
    with atomic_path(out) as temporary:
        with open(temporary, "w", encoding="utf-8-sig" if bom else "utf-8", newline="") as stream:
            yield stream


def _joined(items) -> str:
    return "; ".join(items)


def _reason_text(parts) -> str:
    return "".join(text for text, _ in parts)


def csv_cells(rank: int, record: list) -> list:
    row, name, sector, status, score, failed, unknown, guidance, reason = record[:9]
    return [rank, row, neutralise(name), neutralise(sector or ""), status, "" if score is None else score,
            neutralise(_joined(failed)), neutralise(_joined(unknown)), neutralise(_joined(guidance)),
            neutralise(_reason_text(reason))]


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
        }, ensure_ascii=False) + "\n")


_RIGHT_TO_LEFT = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")
_LEFT_TO_RIGHT = re.compile("[A-Za-z\u00c0-\u024f]")
XLSX_SHEETS = {"en": ("screening", "summary"), "ar": ("الفرز", "الملخص")}


def write_xlsx(path: Path, records: Iterable[list], summary_rows: list[tuple[str, Any]],
               lang: str = "en", words: dict | None = None) -> None:
    """Write-only workbook: a results sheet (bold, frozen header) and a summary sheet.

    Text a spreadsheet would run as a formula is stored as a text cell with Excel's quote
    prefix: it shows as typed and never runs. A text mixing Arabic and Latin letters reads
    in the sheet's language; an Arabic workbook is laid out right to left, in Arabic words
    (``words``: headers, statuses, sectors).
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Alignment, Font

    words = words or {}
    reading_order = Alignment(readingOrder=2 if lang == "ar" else 1)
    separator = "؛ " if lang == "ar" else "; "

    def text(value: str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        formula_like = value.startswith(_FORMULA_STARTS)
        mixed = _RIGHT_TO_LEFT.search(value) is not None and _LEFT_TO_RIGHT.search(value) is not None
        if not (formula_like or mixed):
            return value
        cell = WriteOnlyCell(sheet, value=value)
        if formula_like:
            cell.data_type = "s"  # openpyxl would store "=..." as a formula
            cell.quotePrefix = True
        if mixed:
            cell.alignment = reading_order
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
        created.sheet_view.rightToLeft = lang == "ar"
        return created

    def results_sheet(number: int):
        title = XLSX_SHEETS[lang][0]
        created = new_sheet(title if number == 1 else f"{title} {number}")
        created.freeze_panes = "A2"
        for letter, width in zip("ABCDEFGHIJ", (7, 7, 36, 14, 12, 7, 18, 18, 24, 80)):
            created.column_dimensions[letter].width = width
        header(created, [words.get(column, column) for column in RESULT_COLUMNS])
        return created

    book = Workbook(write_only=True)
    sheets, sheet, used = 1, None, XLSX_MAX_ROWS
    statuses, sectors = words.get("statuses", {}), words.get("sectors", {})
    for rank, record in enumerate(records, 1):
        if used >= XLSX_MAX_ROWS:  # a spreadsheet holds 1,048,576 rows: go on in another sheet
            sheet, used = results_sheet(sheets), 1
            sheets += 1
        row, name, sector, status, score, failed, unknown, guidance, reason = record[:9]
        sheet.append([rank, row, text(name), text(sectors.get(sector, sector or "")), statuses.get(status, status),
                      score, text(separator.join(failed)), text(separator.join(unknown)),
                      text(separator.join(guidance)), text(_reason_text(reason))])
        used += 1
    if sheet is None:
        sheet = results_sheet(1)
    sheet = new_sheet(XLSX_SHEETS[lang][1])
    sheet.column_dimensions["A"].width = 40
    sheet.column_dimensions["B"].width = 80
    header(sheet, (words.get("item", "item"), words.get("value", "value")))
    for item, value in summary_rows:
        sheet.append([text(str(item)), value if isinstance(value, int) else text(str(value))])
    book.save(path)


def write_html(stream, records: Iterable[list], summary, lang: str, labels: dict) -> None:
    """Render the sortable table with the project's autoescaping environment, streamed."""
    from tahaluf.reports.messages import Message
    from tahaluf.reports.templating import environment

    def rows():
        for rank, record in enumerate(records, 1):
            row, name, sector, status, score, failed, unknown, guidance, reason = record[:9]
            yield {"rank": rank, "row": row, "name": name, "sector": labels.get("sectors", {}).get(sector, sector or ""),
                   "status": status,
                   "score": score, "failed": _joined(failed), "not_assessed": _joined(unknown),
                   "guidance": _joined(guidance), "reason": Message(tuple((t, bool(u)) for t, u in reason))}

    template = environment("html").get_template("screening.html.j2")
    for chunk in template.generate(rows=rows(), summary=summary, lang=lang, labels=labels,
                                   columns=RESULT_COLUMNS):
        stream.write(chunk)


class ErrorSink:
    """Rejected rows: streamed to a CSV file (row, field, problem) when one is given; a preview is kept."""

    PREVIEW = 10

    def __init__(self, path: Path | None):
        self.path, self.preview, self.count = path, [], 0
        self._stream = self._writer = self._commit = None
        if path is not None:
            check_target(path)

    def __enter__(self):
        if self.path is not None:
            self._commit = ExitStack()
            temporary = self._commit.enter_context(atomic_path(self.path))
            self._stream = open(temporary, "w", encoding="utf-8-sig", newline="")  # noqa: SIM115
            self._writer = csv.writer(self._stream, lineterminator="\r\n")
            self._writer.writerow(ERROR_COLUMNS)
        return self

    def add(self, row: int, field: str, problem: str) -> None:
        self.count += 1
        if len(self.preview) < self.PREVIEW:
            self.preview.append((row, field, problem))
        if self._writer is not None:
            self._writer.writerow([row, neutralise(field), neutralise(problem)])

    def __exit__(self, kind, error, trace):
        """Commit the errors file only when the whole batch succeeded; else leave nothing behind."""
        if self._stream is None:
            return False
        self._stream.close()
        self._commit.__exit__(kind, error, trace)  # renames on success, removes on failure
        return False
