"""Reading candidate lists, one row at a time.

In: CSV (UTF-8, first row names the columns), XLSX (first sheet, read with
openpyxl ``read_only=True``; openpyxl parses with defusedxml when it is
installed), JSONL (one JSON object a line) and YAML (a list of candidates, read
with the project's safe loader). Every reader yields ``(row, values)``: ``row``
is the spreadsheet row (header = row 1) for CSV/XLSX and the line for JSONL/YAML;
``values`` maps a column name to its raw, non-empty value, or is a
:class:`RowProblem` when the row cannot even be read.

One module a format: read_csv, read_xlsx, read_records (JSONL and YAML); read_rows holds what they share.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from tahaluf import limits
from tahaluf.errors import InputError, UsageError
from tahaluf.files.output import private_folder
from tahaluf.screening.read_csv import _ESCAPED_BYTE, CsvReader
from tahaluf.screening.read_records import DuplicateKey, JsonlReader, YamlReader, flatten
from tahaluf.screening.read_rows import CandidateReader, RowProblem
from tahaluf.screening.read_xlsx import XlsxReader, check_workbook_archive

__all__ = ["INPUT_FORMATS", "READERS", "STDIN", "CandidateReader", "CsvReader", "DuplicateKey", "JsonlReader",
           "RowProblem", "XlsxReader", "YamlReader", "_ESCAPED_BYTE", "check_workbook_archive", "flatten",
           "open_candidates"]

INPUT_FORMATS = {".csv": "csv", ".xlsx": "xlsx", ".jsonl": "jsonl", ".ndjson": "jsonl", ".yaml": "yaml", ".yml": "yaml"}


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
