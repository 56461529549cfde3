"""Reading a user's file safely, and turning validation errors into FILE:LINE: field: problem.

The YAML itself is composed by yaml_composer.py (limits, line numbers, no aliases or tags);
its ``load_yaml``, ``yaml_list_items`` and ``SourceMap`` are named here too, where callers
have always found them.
"""

from __future__ import annotations

import difflib
import os
import re
import stat
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any, BinaryIO, TypeVar

from pydantic import BaseModel, ValidationError

from tahaluf import answers, limits
from tahaluf.errors import InputError, InputErrors
from tahaluf.input_words import Said, did_you_mean, either, forms_hint, number_in_every_language, worded
from tahaluf.schema_walker import field_names, format_path
from tahaluf.yaml_composer import SourceMap, load_yaml, yaml_list_items

__all__ = ["MAX_INPUT_BYTES", "STDIN", "SourceMap", "describe", "display_name", "file_kind", "load_model",
           "load_yaml", "open_input", "read_text", "validate", "yaml_list_items"]

MAX_INPUT_BYTES = limits.ALLIANCE_MAX_BYTES
STDIN = "-"  # as a file name: standard input

Model = TypeVar("Model", bound=BaseModel)


def open_input(path: str | Path) -> BinaryIO:
    """Open a user's input file for reading: a regular file only.

    A FIFO, a device or a socket would block for ever or never end; the kind is
    checked on the opened descriptor (opened without blocking), so nothing can be
    swapped in between the check and the read.
    """
    name = str(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
    try:
        descriptor = os.open(path, flags)
    except OSError as exc:
        raise InputError(name, None, None, f"cannot read: {exc.strerror or exc}") from None
    try:
        mode = os.fstat(descriptor).st_mode
        if not stat.S_ISREG(mode):
            raise InputError(name, None, None, f"is {file_kind(mode)}, not a regular file")
        return os.fdopen(descriptor, "rb")
    except BaseException:
        os.close(descriptor)
        raise


def file_kind(mode: int) -> str:
    """'a folder', 'a FIFO' ...: what a file that is not a regular file is, in words."""
    for test, words in ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
                        (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
                        (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return words
    return "not a regular file"


def display_name(path: str | Path) -> str:
    """How errors and reports name an input: its path, or ``<stdin>`` for '-'."""
    return "<stdin>" if str(path) == STDIN else str(path)


def read_text(path: Path, limit: int = MAX_INPUT_BYTES) -> str:
    """Read a user file ('-': standard input) as UTF-8 with a size cap, as an InputError when it cannot be.

    A path must name a regular file (see :func:`open_input`); standard input is read
    when asked for explicitly, whatever it is, up to the same cap.
    """
    name = display_name(path)
    try:
        if str(path) == STDIN:
            data = sys.stdin.buffer.read(limit + 1)
        else:
            with open_input(path) as handle:
                if os.fstat(handle.fileno()).st_size > limit:
                    raise InputError(name, None, None, f"file is larger than the {limit:,}-byte limit")
                data = handle.read(limit + 1)
    except OSError as exc:
        raise InputError(name, None, None, f"cannot read: {exc.strerror or exc}") from None
    if len(data) > limit:
        raise InputError(name, None, None, f"file is larger than the {limit:,}-byte limit")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(name, line, None, "not valid UTF-8 text") from None

def validate(model: type[Model], data: Any, source: SourceMap, name: str) -> Model:
    """Validate with pydantic: every problem (the file's structure's too) in one InputError(s), in line order."""
    problems = list(source.problems)
    try:
        result = model.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            path = tuple(part for part in error["loc"] if not (isinstance(part, str) and part.startswith("function-")))
            problems.append(InputError(name, source.line_of(path), format_path(path) or None,
                                       describe(error, model, path)))
    if problems:
        raise InputErrors.of(problems) from None
    source.add_read_facts(result)
    return result


def describe(error: Mapping[str, Any], model: type[BaseModel], path: tuple) -> str:
    """Say what is wrong in words a director understands."""
    kind, value = error["type"], error.get("input")
    # Each message is the catalogue's (labels.yaml error.*): a view says it in its reader's language.
    if kind in ("literal_error", "enum"):
        expected = error.get("ctx", {}).get("expected", "")
        values = re.findall(r"'([^']*)'", expected)
        return Said("error.not_one_of", value=repr(value), expected=either(expected, values),
                    in_language=forms_hint(values), did_you_mean=did_you_mean(value, values))
    if kind == "extra_forbidden":
        known = field_names(path[:-1], model)
        close = difflib.get_close_matches(str(path[-1]), known, n=1)
        return Said("error.unknown_field", hint=worded("error.did_you_mean_field", close=close[0]) if close else "")
    if kind == "missing":
        return Said("error.missing")
    if kind in ("too_long", "string_too_long"):
        limit = error.get("ctx", {}).get("max_length")
        unit = "characters" if kind == "string_too_long" else "items"
        return Said(f"error.too_long.{unit}", limit=number_in_every_language(limit)) if isinstance(limit, int) \
            else error["msg"]
    if kind == "bool_parsing":
        return Said("error.not_yes_no", value=repr(value), yes=answers.shown(True) or "", no=answers.shown(False) or "",
                    unknown=answers.shown(None) or "", did_you_mean=did_you_mean(value, (True, False)))
    if kind == "value_error":
        return str(error.get("ctx", {}).get("error", error["msg"]))
    return error["msg"][0].lower() + error["msg"][1:] if error["msg"] else kind


def load_model(path: str | Path, model: type[Model]) -> Model:
    """Read, parse and validate one YAML file ('-': standard input) into ``model``: every problem at once."""
    name = display_name(path)
    data, source = load_yaml(read_text(Path(path)), name, collect=True)
    return validate(model, data, source, name)
