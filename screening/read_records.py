"""Candidates as records: JSONL (one JSON object a line, nested objects flattened to dotted columns)
and YAML (a list of candidates, read with the project's safe loader)."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from tahaluf import limits
from tahaluf.errors import InputError
from tahaluf.screening.read_rows import CandidateReader, RowProblem, _open_sized


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
        for key, _ in pairs:
            if key in seen:
                raise DuplicateKey(key)
            seen.add(key)
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
            values = self._renamed(_non_empty(record))
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
        for _line, values in self._items():
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
            yield line, self._renamed(values) if isinstance(values, dict) else values

    def position(self):
        return self._done, self._count
