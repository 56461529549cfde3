"""Candidates in XLSX (the first sheet, openpyxl ``read_only=True``; defusedxml when installed), with the
workbook's archive checked first (unpacked size, packing ratio, each part's size)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, BinaryIO

from tahaluf import limits
from tahaluf.errors import InputError
from tahaluf.screening.read_rows import CandidateReader, _header_names, _open_sized, _row_values


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
    seen, cause = 0, error.__cause__ or error.__context__
    while cause is not None and seen < 10:
        error, seen = cause, seen + 1
        cause = error.__cause__ or error.__context__
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
            ratio = part.file_size // max(part.compress_size, 1)
            raise InputError(name, None, None, f"part {label!r} unpacks {ratio:,} "
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
