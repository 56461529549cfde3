"""What every candidates reader shares: a row that cannot be read (:class:`RowProblem`), the reader's
shape, the capped opening of a file, and the checks of a header and a row's values."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from tahaluf import limits
from tahaluf.errors import InputError
from tahaluf.loader import open_input


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

    def rename(self, columns: dict[str, str]) -> None:
        """Headers given as wording (``اسم الشريك``) read as the columns they name (``name``)."""
        self.columns = [(columns.get(name, name), line) for name, line in self.columns]
        header = getattr(self, "header", None)
        if header is not None:  # a header row: renamed once, every row follows it
            self.header = [columns.get(name, name) for name in header]
        else:  # records: each record's keys, as it is read
            self.renamed = columns

    def _renamed(self, values: dict) -> dict:
        names = getattr(self, "renamed", None)
        return {names.get(key, key): value for key, value in values.items()} if names else values

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
