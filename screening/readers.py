"""Reading candidate lists, one row at a time.

In: CSV (UTF-8, first row names the columns), XLSX (first sheet, read with
openpyxl ``read_only=True``; openpyxl parses with defusedxml when it is
installed), JSONL (one JSON object a line) and YAML (a list of candidates, read
with the project's safe loader). Every reader yields ``(row, values)``: ``row``
is the spreadsheet row (header = row 1) for CSV/XLSX and the line for JSONL/YAML;
``values`` maps a column name to its raw, non-empty value, or is a
:class:`RowProblem` when the row cannot even be read.
"""

from __future__ import annotations

import collections
import csv
import io
import json
import os
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Iterable, Iterator

from tahaluf import limits
from tahaluf.errors import InputError, UsageError
from tahaluf.loader import open_input
from tahaluf.reports.output import private_folder

INPUT_FORMATS = {".csv": "csv", ".xlsx": "xlsx", ".jsonl": "jsonl", ".ndjson": "jsonl", ".yaml": "yaml", ".yml": "yaml"}


@dataclass(frozen=True)
class RowProblem:
    """Why one row could not be screened."""

    field: str
    problem: str


class CandidateReader:
    """Base: ``columns`` is [(name, line of first use)], ``rows()`` yields (row, values | RowProblem).

    ``name`` is how errors name the file (``<stdin>`` for standard input, read from a spooled copy).
    """

    def __init__(self, path: Path, name: str | None = None):
        self.path, self.name = path, name or str(path)
        self.columns: list[tuple[str, int | None]] = []
        self.blank_rows = 0
        self.spool: Path | None = None  # a private folder removed when the reader is done
        self.unreadable: tuple[int, RowProblem] | None = None  # the first bad line, when no line is readable

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
            shutil.rmtree(self.spool, ignore_errors=True)

    def _too_many(self, row: int, limit: int | None = None) -> InputError:
        limit = limits.MAX_ROWS if limit is None else limit
        return InputError(self.name, row, None, f"more than {limit:,} candidate rows, the limit: split the file")


def _open_sized(path: Path, limit: int, name: str | None = None) -> tuple[BinaryIO, int]:
    """The file opened (a regular file only) and its size, refused over ``limit`` bytes before any reading."""
    name = name or str(path)
    try:
        handle = open_input(path)
    except InputError as error:
        raise InputError(name, None, None, error.problem) from None
    size = os.fstat(handle.fileno()).st_size
    if size > limit:
        handle.close()
        raise InputError(name, None, None, f"file is larger than the {limit:,}-byte limit: split it")
    return handle, size


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
        extra = cells[len(header):]
        if extra.count(None) + extra.count("") < len(extra) and any(
                c is not None and (not isinstance(c, str) or c.strip()) for c in extra):
            return RowProblem(f"column {len(header) + 1}", "more cells than the header row names")
    return values


class _RowTooLong(Exception):
    """Raised through csv.reader by :class:`_Lines`: the record being read is over the limit."""


_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")  # an undecodable byte, as surrogateescape keeps it
NOT_UTF8 = "not valid UTF-8 text (save the sheet as 'CSV UTF-8')"


class _Lines:
    """The physical lines csv.reader parses, read with a cap: a record over CSV_MAX_ROW_CHARS
    stops with :class:`_RowTooLong` (the rest of its line skipped), and a record holding
    bytes that are not UTF-8 is marked in ``problem``. Either rejects that row alone."""

    def __init__(self, text: io.TextIOWrapper):
        self.text = text
        self.record_chars = 0
        self.problem: str | None = None
        self.record: list[str] = []  # the whole lines of the record being read (at most the cap)
        self.pending: collections.deque[str] = collections.deque()  # lines to read again, first

    def start_record(self) -> None:
        self.record_chars, self.problem, self.record = 0, None, []

    def resync(self) -> None:
        """The record could not be read: its first line alone is the bad row; the lines after it
        (a quote left open swallows them) are read again as rows of their own."""
        self.pending.extendleft(reversed(self.record[1:]))

    def __iter__(self):
        return self

    def __next__(self) -> str:
        cap = limits.CSV_MAX_ROW_CHARS
        line = self.pending.popleft() if self.pending else self.text.readline(cap + 1)
        if not line:
            raise StopIteration
        self.record_chars += len(line)
        if self.record_chars > cap:
            if not line.endswith(("\n", "\r")):  # its rest is skipped: never read again
                while line and not line.endswith(("\n", "\r")):
                    line = self.text.readline(1 << 16)
            else:
                self.record.append(line)
            raise _RowTooLong
        self.record.append(line)
        if not line.isascii() and _ESCAPED_BYTE.search(line):
            self.problem = NOT_UTF8
        return line


class CsvReader(CandidateReader):
    def __init__(self, path: Path, name: str | None = None):
        super().__init__(path, name)
        self._raw, self._size = _open_sized(path, limits.CANDIDATES_MAX_BYTES, self.name)
        # Undecodable bytes are kept (as lone surrogates) so that they reject their own row only.
        self._text = io.TextIOWrapper(self._raw, encoding="utf-8-sig", errors="surrogateescape", newline="")
        self._lines = _Lines(self._text)
        csv.field_size_limit(limits.CSV_MAX_CELL_CHARS)
        # strict: a quote that never closes (or stray text after a closing quote) is an error
        # for that row, not a field swallowing the rest of the file.
        self._reader = csv.reader(self._lines, strict=True)
        header = self._next()
        if header is None:
            self.close()
            raise InputError(self.name, 1, None, "the file is empty: its first row must name the columns")
        if isinstance(header, RowProblem):
            self.close()
            raise InputError(self.name, 1, None, f"the header row: {header.problem}")
        self.header = _header_names(header)
        self.columns = [(name, 1) for name in self.header if name]

    def _next(self) -> list[str] | RowProblem | None:
        """The next record's cells, or why it cannot be read (the reader goes on at the next line)."""
        self._lines.start_record()
        try:
            cells = next(self._reader, None)
        except _RowTooLong:
            self._resync()
            return RowProblem("", f"the row is longer than {limits.CSV_MAX_ROW_CHARS:,} characters")
        except csv.Error as exc:
            spanned = len(self._lines.record) > 1
            self._resync()
            if "field limit" in str(exc):
                return RowProblem("", f"a cell is longer than {limits.CSV_MAX_CELL_CHARS:,} characters")
            if spanned and "unexpected end of data" not in str(exc):
                return RowProblem("", "a quote opened in this row is not closed on its line")
            return RowProblem("", _csv_problem(exc))
        if cells is not None and self._lines.problem:
            return RowProblem("", self._lines.problem)
        return cells

    def _resync(self) -> None:
        self._lines.resync()
        self._reader = csv.reader(self._lines, strict=True)  # a fresh parser at the next line

    def rows(self):
        header, row = self.header, 1
        while (cells := self._next()) is not None:
            row += 1
            if row > limits.MAX_ROWS + 1:
                raise self._too_many(row)
            if isinstance(cells, RowProblem):
                yield row, cells
                continue
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


def check_workbook_archive(handle: BinaryIO, name: str) -> None:
    """Refuse a workbook that would inflate past what a candidate list needs (a zip bomb),
    from the zip directory alone, before any part is parsed.

    The sizes the directory declares bind: Python's zipfile stops a part at its declared
    size (and fails its checksum). openpyxl reads the shared strings and the other
    non-sheet parts whole, so those are capped on their own.
    """
    import zipfile

    try:
        with zipfile.ZipFile(handle) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise InputError(name, None, None, "not a readable XLSX workbook (not a zip archive)") from None
    finally:
        handle.seek(0)
    total = sum(part.file_size for part in parts)
    if total > limits.XLSX_MAX_UNZIPPED_BYTES:
        raise InputError(name, None, None, f"the workbook unpacks to more than {limits.XLSX_MAX_UNZIPPED_BYTES:,} "
                                           "bytes, the limit: save it as CSV or split it")
    for part in parts:
        label = part.filename[:80]
        if (part.file_size > limits.XLSX_RATIO_FLOOR_BYTES
                and part.file_size > limits.XLSX_MAX_RATIO * max(part.compress_size, 1)):
            raise InputError(name, None, None, f"part {label!r} unpacks {part.file_size // max(part.compress_size, 1):,} "
                                               f"times its packed size, over the {limits.XLSX_MAX_RATIO}:1 limit "
                                               "(a zip bomb?)")
        lower = part.filename.lower()
        cap = (limits.XLSX_MAX_STRINGS_BYTES if lower.endswith("sharedstrings.xml")
               else None if lower.startswith("xl/worksheets/") else limits.XLSX_MAX_PART_BYTES)
        if cap is not None and part.file_size > cap:
            raise InputError(name, None, None, f"part {label!r} unpacks to more than {cap:,} bytes, the limit: "
                                               "save the sheet as CSV")


class XlsxReader(CandidateReader):
    def __init__(self, path: Path, name: str | None = None):
        super().__init__(path, name)
        self._handle, _ = _open_sized(path, limits.CANDIDATES_MAX_BYTES, self.name)
        self._book = None
        try:
            check_workbook_archive(self._handle, self.name)
        except BaseException:
            self._handle.close()
            raise
        import openpyxl  # uses defusedxml for parsing when it is installed (it is a dependency)

        try:
            self._book = openpyxl.load_workbook(self._handle, read_only=True, data_only=True)
            sheet = self._book.worksheets[0]
            self._width = self._declared_width(sheet)
            self._total = sheet.max_row
            self._iter = sheet.iter_rows(max_col=self._width, values_only=True)
            header = next(self._iter, None)
        except InputError:
            self.close()
            raise
        except Exception as exc:  # a hostile or broken workbook can fail in many ways: one clear error
            self.close()
            raise InputError(self.name, None, None, f"not a readable XLSX workbook ({_root_cause(exc)})") from None
        if header is None or not any(cell is not None for cell in header):
            self.close()
            raise InputError(self.name, 1, None, "the first sheet is empty: its first row must name the columns")
        self.header = _header_names(header)
        while self.header and not self.header[-1]:  # trailing empty header cells name no column
            self.header.pop()
        self.columns = [(name, 1) for name in self.header if name]
        self._row = 1

    def _declared_width(self, sheet) -> int:
        """The columns to read: as declared, refused past the limit (openpyxl pads every row to it)."""
        columns, rows = sheet.max_column, sheet.max_row
        if columns is not None and columns > limits.XLSX_MAX_COLUMNS:
            raise InputError(self.name, None, None, f"the first sheet declares {columns:,} columns, over the "
                                                    f"{limits.XLSX_MAX_COLUMNS:,}-column limit")
        if rows is not None and rows > limits.XLSX_MAX_ROWS:
            raise InputError(self.name, None, None, f"the first sheet declares {rows:,} rows, over the "
                                                    f"{limits.XLSX_MAX_ROWS:,}-row limit of a spreadsheet")
        return columns or limits.XLSX_MAX_COLUMNS

    def rows(self):
        header = self.header
        row_cap = min(limits.MAX_ROWS, limits.XLSX_MAX_ROWS - 1) + 1
        while True:
            try:
                cells = next(self._iter, None)
            except Exception as exc:
                raise InputError(self.name, self._row + 1, None,
                                 f"not a readable XLSX workbook ({_root_cause(exc)})") from None
            if cells is None:
                return
            self._row += 1
            if self._row > row_cap:
                raise self._too_many(self._row, row_cap - 1)
            if cells.count(None) == len(cells):  # an empty row (or a gap openpyxl fills in)
                self.blank_rows += 1
                continue
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
        self._handle.close()


class DuplicateKey(Exception):
    """One field given twice in a record (``name`` twice, or ``government.approach`` dotted and nested)."""

    def __init__(self, key: str):
        super().__init__(key)
        self.key = key


def flatten(mapping: dict, prefix: str = "") -> dict:
    """{'government': {'approach': 'x'}} -> {'government.approach': 'x'} (dotted keys pass through).

    Raises DuplicateKey when two keys name one field (keys are trimmed and lower-cased).
    """
    flat: dict = {}
    for key, value in mapping.items():
        name = f"{prefix}{str(key).strip().lower()}"
        items = flatten(value, name + ".").items() if isinstance(value, dict) else ((name, value),)
        for item, item_value in items:
            if item in flat:
                raise DuplicateKey(item)
            flat[item] = item_value
    return flat


def _non_empty(flat: dict) -> dict:
    return {k: v for k, v in flat.items() if v is not None and v != ""}


def _object_without_duplicates(pairs: list) -> dict:
    record = dict(pairs)
    if len(record) < len(pairs):
        seen: set = set()
        raise DuplicateKey(next(key for key, _ in pairs if key in seen or seen.add(key)))
    return record


def _json_record(line: bytes) -> dict | RowProblem:
    try:
        record = json.loads(line, object_pairs_hook=_object_without_duplicates)
    except DuplicateKey as exc:
        return RowProblem(exc.key, "the key is given twice")
    except UnicodeDecodeError:
        return RowProblem("", "not valid UTF-8 text")
    except RecursionError:
        return RowProblem("", "not valid JSON: nested too deeply")
    except ValueError as exc:
        if "integer string conversion" in str(exc):  # Python's cap on the digits of one integer
            return RowProblem("", f"not valid JSON: a number has more than {sys.get_int_max_str_digits():,} digits")
        return RowProblem("", f"not valid JSON: {getattr(exc, 'msg', exc)}")
    if not isinstance(record, dict):
        return RowProblem("", "expected one JSON object per line")
    try:
        return flatten(record)
    except DuplicateKey as exc:
        return RowProblem(exc.key, "the field is given twice (dotted and nested, or in two spellings)")


def _capped_lines(handle: BinaryIO) -> Iterator[tuple[int, bytes | None]]:
    """(line number, line) with each line read up to JSONL_MAX_LINE_BYTES; a longer one is skipped (None)."""
    cap = limits.JSONL_MAX_LINE_BYTES
    number = 0
    while line := handle.readline(cap + 1):
        number += 1
        if len(line) > cap and not line.endswith(b"\n"):
            while line and not line.endswith(b"\n"):
                line = handle.readline(1 << 16)
            yield number, None
            continue
        yield number, line


class JsonlReader(CandidateReader):
    def __init__(self, path: Path, name: str | None = None):
        super().__init__(path, name)
        self._handle, self._size = _open_sized(path, limits.CANDIDATES_MAX_BYTES, self.name)
        # A first pass collects every key, so an unknown one stops the file before any row is screened.
        first: dict[str, int] = {}
        problem: tuple[int, RowProblem] | None = None  # the first line that is not a candidate
        try:
            for line_number, line in _capped_lines(self._handle):
                if line is not None and not line.strip():
                    continue
                record = _json_record(line) if line is not None else RowProblem(
                    "", f"the line is longer than {limits.JSONL_MAX_LINE_BYTES:,} bytes")
                if isinstance(record, dict):
                    for key in record:
                        first.setdefault(key, line_number)
                elif problem is None:
                    problem = (line_number, record)
            self._handle.seek(0)
        except BaseException:
            self._handle.close()
            raise
        self.columns = list(first.items())
        # No line could be read: check_columns gives this line's reason, not "no name column".
        self.unreadable = problem if not first else None

    def rows(self):
        count = 0
        for line_number, line in _capped_lines(self._handle):
            if line is not None and not line.strip():
                continue
            count += 1
            if count > limits.MAX_ROWS:
                raise self._too_many(line_number)
            if line is None:
                yield line_number, RowProblem("", f"the line is longer than {limits.JSONL_MAX_LINE_BYTES:,} bytes")
                continue
            record = _json_record(line)
            if isinstance(record, RowProblem):
                yield line_number, record
                continue
            values = _non_empty(record)
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
    """A list of candidate mappings (or ``candidates:`` holding one); nested sections or dotted keys.

    Read a candidate at a time with the project's safe loader, in two passes (the
    first collects the columns), so memory does not grow with the file.
    """

    def __init__(self, path: Path, name: str | None = None):
        super().__init__(path, name)
        from tahaluf.loader import read_text

        try:
            self._text = read_text(path, limits.CANDIDATES_YAML_MAX_BYTES)
        except InputError as error:
            raise InputError(self.name, error.line, None, error.problem) from None
        first: dict[str, int] = {}
        self._count = 0
        for line, values in self._items():
            self._count += 1
            if isinstance(values, dict):
                for key, key_line in values.items():
                    first.setdefault(key, key_line)
        self.columns = list(first.items())
        self._done = 0

    def _items(self, lines_only: bool = True) -> Iterator[tuple[int, dict | RowProblem]]:
        """(line, {column: line}) in the first pass, (line, {column: value}) in the second."""
        from tahaluf.loader import yaml_list_items

        count = 0
        for line, item, source in yaml_list_items(self._text, self.name, "candidates",
                                                  limits.CANDIDATE_MAX_YAML_VALUES, "one candidate"):
            count += 1
            if count > limits.CANDIDATES_YAML_MAX_ROWS:
                raise self._too_many(line, limits.CANDIDATES_YAML_MAX_ROWS)
            if not isinstance(item, dict):
                yield line, RowProblem("", "expected a mapping of facts about one candidate")
                continue
            try:
                flat = flatten(item)
            except DuplicateKey as exc:
                yield line, RowProblem(exc.key, "the field is given twice (dotted and nested, or in two spellings)")
                continue
            if lines_only:
                yield line, {key: source.line_of(tuple(key.split("."))) or line for key in flat}
            else:
                yield line, _non_empty(flat)

    def rows(self):
        for line, values in self._items(lines_only=False):
            self._done += 1
            if isinstance(values, dict) and not values:
                self.blank_rows += 1
                continue
            yield line, values

    def position(self):
        return self._done, self._count


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
    return READERS[kind](path)


def _open_stdin(kind: str) -> CandidateReader:
    """Standard input copied to a private temporary file (capped), then read like any file:
    an XLSX needs to seek, and the progress bar a size."""
    limit = limits.CANDIDATES_YAML_MAX_BYTES if kind == "yaml" else limits.CANDIDATES_MAX_BYTES
    spool = private_folder()
    try:
        path = spool / f"stdin.{kind}"
        copied = 0
        with open(path, "wb") as out:
            while block := sys.stdin.buffer.read(1 << 20):
                copied += len(block)
                if copied > limit:
                    raise InputError("<stdin>", None, None, f"more than the {limit:,}-byte limit: split it")
                out.write(block)
        reader = READERS[kind](path, "<stdin>")
    except BaseException:
        shutil.rmtree(spool, ignore_errors=True)
        raise
    reader.spool = spool
    return reader
