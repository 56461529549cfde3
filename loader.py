"""Reading untrusted YAML safely, and turning validation errors into FILE:LINE: field: problem.

Every scalar is read as a string (only an empty value, ``~`` or ``null`` is null):
pydantic then reads yes/no/010 as a boolean or number only where the model expects
one, so a partner called ``NO`` or a code ``010`` keeps its spelling (no "Norway
problem"). Aliases, anchors, explicit tags and duplicate keys are refused.
"""

from __future__ import annotations

import difflib
import re
import sys
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from tahaluf import answers
from tahaluf.errors import InputError, InputErrors

MAX_INPUT_BYTES = 1_000_000
MAX_DEPTH = 20
_NULL_TAG = "tag:yaml.org,2002:null"
_PLAIN_TAGS = {"tag:yaml.org,2002:str", _NULL_TAG, "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}
STDIN = "-"  # as a file name: standard input

Model = TypeVar("Model", bound=BaseModel)


class _StringsOnlyLoader(yaml.SafeLoader):
    """SafeLoader that resolves no implicit types but null, and notes (in ``refused``) every
    anchor and alias instead of stopping at the first: an alias becomes an empty value, so
    nothing is ever shared or expanded (no alias bomb), and the rest of the file is still read."""

    yaml_implicit_resolvers: dict = {}

    def __init__(self, stream):
        super().__init__(stream)
        self.refused: list[tuple[int, str]] = []  # (line, problem)

    def compose_node(self, parent, index):  # noqa: D102  (PyYAML hook)
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            self.get_event()
            self.refused.append((event.start_mark.line + 1, "YAML aliases (*name) are not accepted"))
            return yaml.ScalarNode(_NULL_TAG, "", event.start_mark, event.end_mark)
        if getattr(event, "anchor", None) is not None:
            self.refused.append((event.start_mark.line + 1, "YAML anchors (&name) are not accepted"))
        return super().compose_node(parent, index)


_StringsOnlyLoader.add_implicit_resolver(_NULL_TAG, re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""])


class SourceMap:
    """Where each value of a loaded document stands: path (tuple of keys/indexes) -> line.

    ``problems`` holds what was wrong with the file's structure (duplicate keys, tags,
    anchors) when the caller asked to collect them: :func:`validate` reports them with
    the validation errors, all in one run.
    """

    def __init__(self) -> None:
        self.lines: dict[tuple, int] = {}
        self.problems: list[InputError] = []

    def line_of(self, path: tuple) -> int | None:
        while path not in self.lines and path:
            path = path[:-1]
        return self.lines.get(path)


def display_name(path: str | Path) -> str:
    """How errors and reports name an input: its path, or ``<stdin>`` for '-'."""
    return "<stdin>" if str(path) == STDIN else str(path)


def read_text(path: Path, limit: int = MAX_INPUT_BYTES) -> str:
    """Read a user file ('-': standard input) as UTF-8 with a size cap, as an InputError when it cannot be."""
    name = display_name(path)
    try:
        if str(path) == STDIN:
            data = sys.stdin.buffer.read(limit + 1)
        else:
            with open(path, "rb") as handle:
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


def load_yaml(text: str, name: str, collect: bool = False) -> tuple[Any, SourceMap]:
    """Parse one YAML document into plain dicts/lists/strings/None, with a line for each value.

    A syntax error stops the parse (one InputError). Structural problems (duplicate keys,
    tags, anchors, aliases) are all found: raised together, or with ``collect`` kept in
    ``source.problems`` for :func:`validate` to report with the validation errors.
    """
    source = SourceMap()
    loader = None
    try:
        loader = _StringsOnlyLoader(text)  # reads the first characters already: may raise ReaderError
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        raise InputError(name, *_syntax_error(exc)) from None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow (NUL, other controls)
        line = text.count("\n", 0, exc.position) + 1
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        raise InputError(name, line, None, f"character U+{code:04X} is not allowed in YAML") from None
    except yaml.YAMLError as exc:
        raise InputError(name, None, None, "YAML error: " + " ".join(str(exc).split())) from None
    except RecursionError:
        raise InputError(name, None, None, "nesting is too deep") from None
    finally:
        if loader is not None:
            loader.dispose()
    if node is None:
        raise InputError(name, 1, None, "the file is empty")
    source.problems += [InputError(name, line, None, problem) for line, problem in loader.refused]
    data = _to_python(node, (), source, name)
    if source.problems and not collect:
        raise InputErrors.of(source.problems)
    return data, source


def _syntax_error(exc: yaml.MarkedYAMLError) -> tuple[int | None, None, str]:
    """(line, field, problem) of a YAML syntax error.

    When the parser ran into the end of the file inside a quote or a bracket, the line
    that matters is where that quote or bracket opened, not the last one of the file.
    """
    problem = exc.problem or "YAML syntax error"
    unclosed = "end of stream" in problem or "<stream end>" in problem
    if unclosed and exc.context_mark is not None:
        what = "quote" if "quoted scalar" in (exc.context or "") else "bracket"
        return exc.context_mark.line + 1, None, f"unclosed {what}: it opens here and is never closed"
    mark = exc.problem_mark or exc.context_mark
    return (mark.line + 1 if mark else None), None, problem


def _to_python(node: yaml.Node, path: tuple, source: SourceMap, name: str) -> Any:
    """The node as plain data; a structural problem is noted in ``source.problems`` and its value dropped."""
    line = node.start_mark.line + 1
    source.lines[path] = line
    if len(path) > MAX_DEPTH:
        source.problems.append(InputError(name, line, format_path(path), "nesting is too deep"))
        return None
    if node.tag not in _PLAIN_TAGS:
        source.problems.append(InputError(name, line, format_path(path) or None,
                                          f"YAML tag {node.tag!r} is not accepted"))
        return None
    if isinstance(node, yaml.ScalarNode):
        return None if node.tag == _NULL_TAG else node.value
    if isinstance(node, yaml.SequenceNode):
        return [_to_python(item, path + (i,), source, name) for i, item in enumerate(node.value)]
    result: dict[str, Any] = {}
    first_line: dict[str, int] = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == _NULL_TAG:
            source.problems.append(InputError(name, key_node.start_mark.line + 1, format_path(path) or None,
                                              "keys must be plain names"))
            continue
        key = key_node.value
        key_line = key_node.start_mark.line + 1
        if key in result:
            source.problems.append(InputError(name, key_line, format_path(path + (key,)),
                                              f"duplicate key (first given on line {first_line[key]})"))
            continue
        first_line[key] = key_line
        result[key] = _to_python(value_node, path + (key,), source, name)
        source.lines[path + (key,)] = key_line
    return result


def format_path(path: tuple) -> str:
    """('partners', 0, 'sector') -> 'partners[0].sector', as findings name input paths."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


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
    return result


def describe(error: dict, model: type[BaseModel], path: tuple) -> str:
    """Say what is wrong in words a director understands."""
    kind, value = error["type"], error.get("input")
    if kind in ("literal_error", "enum"):
        expected = error.get("ctx", {}).get("expected", "")
        values = re.findall(r"'([^']*)'", expected)
        arabic = "، ".join(form for form in map(answers.shown, values) if form)
        in_arabic = f" (in Arabic: {arabic})" if arabic else ""
        return f"{value!r} is not one of {expected}{in_arabic}{_did_you_mean(value, values)}"
    if kind == "extra_forbidden":
        known = _field_names(model, path[:-1])
        close = difflib.get_close_matches(str(path[-1]), known, n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        return f"unknown field{hint}"
    if kind == "missing":
        return "required field is missing"
    if kind == "bool_parsing":
        return (f"{value!r} is not yes/no (true/false; in Arabic {answers.shown(True)}/{answers.shown(False)}, "
                f"or {answers.shown(None)} if unknown){_did_you_mean(value, (True, False))}")
    if kind == "value_error":
        return str(error.get("ctx", {}).get("error", error["msg"]))
    return error["msg"][0].lower() + error["msg"][1:] if error["msg"] else kind


def _did_you_mean(value: Any, values) -> str:
    close = answers.closest(value, values) if isinstance(value, str) and value.strip() else None
    return f"; did you mean '{close}'?" if close else ""


def _field_names(model: type[BaseModel], path: tuple) -> list[str]:
    """Field names of the sub-model at ``path`` (for 'did you mean' hints)."""
    current: Any = model
    for part in path:
        if isinstance(part, int):
            continue
        field = getattr(current, "model_fields", {}).get(part)
        if field is None:
            return []
        current = _model_in(field.annotation)
    return list(getattr(current, "model_fields", {}))


def _model_in(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def load_model(path: str | Path, model: type[Model]) -> Model:
    """Read, parse and validate one YAML file ('-': standard input) into ``model``: every problem at once."""
    name = display_name(path)
    data, source = load_yaml(read_text(Path(path)), name, collect=True)
    return validate(model, data, source, name)
