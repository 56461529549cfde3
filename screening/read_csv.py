"""Candidates in CSV (UTF-8, the first row names the columns), read a record at a time: a row too long,
an undecodable byte or an unclosed quote is that row's problem, and reading picks up at the next line."""

from __future__ import annotations

import collections
import csv
import io
import re
from pathlib import Path

from tahaluf import limits
from tahaluf.errors import InputError
from tahaluf.screening.read_rows import CandidateReader, RowProblem, _header_names, _open_sized, _row_values


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
