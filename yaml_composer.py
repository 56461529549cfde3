"""YAML composed by hand from the parser's events, with limits and a line for every value.

Every scalar is read as a string (only an empty value, ``~`` or ``null`` is null):
pydantic then reads yes/no/010 as a boolean or number only where the model expects
one, so a partner called ``NO`` or a code ``010`` keeps its spelling (no "Norway
problem"). Aliases, anchors, explicit tags and duplicate keys are refused; a budget of
values, a scalar's length and the nesting depth are counted as the events come, before
anything is built. loader.py reads the files and validates what this composes.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import yaml
from pydantic import BaseModel

from tahaluf import limits
from tahaluf.errors import InputError, InputErrors
from tahaluf.input_words import Said
from tahaluf.schema_walker import format_path

MAX_DEPTH = limits.YAML_MAX_DEPTH
_NULL_TAG = "tag:yaml.org,2002:null"
_STR_TAG = "tag:yaml.org,2002:str"
_NULL_VALUES = frozenset(("~", "null", "Null", "NULL", ""))
# The explicit tags a value may carry: the ones it would get anyway.
_SCALAR_TAGS = frozenset(("!", _STR_TAG, _NULL_TAG))
_MAPPING_TAGS = frozenset(("!", "tag:yaml.org,2002:map"))
_SEQUENCE_TAGS = frozenset(("!", "tag:yaml.org,2002:seq"))
# libyaml's parser when PyYAML has it (about 20 times faster), else PyYAML's own: events only;
# this module composes them, so it can count and refuse as it goes.
#
# Why two YAML stacks (this one reads, ruamel.yaml in files/alliance_file.py writes): ruamel gives
# line numbers too, but only after composing the whole document in its own (pure-Python, ~20x slower)
# parser, so it can neither refuse an alias, a tag, a duplicate key or a too-deep nesting before the
# memory is spent, nor keep every scalar a string. The writer needs what only ruamel has: the file's
# comments and layout kept round-trip; every file it writes is read back through this composer.
_EventParser = getattr(yaml, "CSafeLoader", None) or yaml.SafeLoader
_BYTE_POSITIONS = _EventParser is not yaml.SafeLoader  # libyaml reports a bad character's offset in bytes
_DROP = object()  # the key of a value that is read and dropped (a duplicate key, a key that is no name)


class SourceMap:
    """Where each value of a loaded document stands: path (tuple of keys/indexes) -> line.

    ``problems`` holds what was wrong with the file's structure (duplicate keys, tags,
    anchors) when the caller asked to collect them: ``loader.validate`` reports them with
    the validation errors, all in one run.
    """

    def __init__(self) -> None:
        self.lines: dict[tuple, int | None] = {}
        self.problems: list[InputError] = []

    def line_of(self, path: tuple) -> int | None:
        while path not in self.lines and path:
            path = path[:-1]
        return self.lines.get(path)

    def add_read_facts(self, document: BaseModel) -> None:
        """A fact the model read out of a sentence (a timeline's start and end from "from 2026-01
        to 2028-06") stands on the sentence's line, so a finding citing it can say where."""
        containers = {path[:i] for path in self.lines for i in range(len(path))}
        pending: list[tuple[tuple, Any]] = [((), document.model_dump(exclude_none=True))] if self.lines else []
        while pending:
            path, value = pending.pop()
            if isinstance(value, (dict, list)):
                items = value.items() if isinstance(value, dict) else enumerate(value)
                pending += [(path + (key,), item) for key, item in items]
                continue
            written = path
            while written and written not in self.lines:
                written = written[:-1]
            if written != path and written and written not in containers:  # a scalar in the file
                self.lines[path] = self.lines[written]


def load_yaml(text: str, name: str, collect: bool = False, max_values: int = limits.ALLIANCE_MAX_YAML_VALUES,
              what: str = "an alliance file") -> tuple[Any, SourceMap]:
    """Parse one YAML document into plain dicts/lists/strings/None, with a line for each value.

    A budget reached stops the parse at once, as it is read, before anything is built
    from it: more than ``max_values`` values (``what`` names the kind of file in the
    message) or an over-long value; so does a syntax error. Structural problems (nesting
    deeper than MAX_DEPTH, duplicate keys, tags, anchors, aliases, keys that are not
    names) are all found, their values dropped: raised together, or with ``collect``
    kept in ``source.problems`` for ``loader.validate`` to report with the validation errors.
    """
    events = _Events(text, name)
    try:
        _start_document(events, name)
        source = SourceMap()
        data = _Composer(events, name, source, max_values, what).value((), events.next())
        events.expect(yaml.DocumentEndEvent)
        if not events.peek(yaml.StreamEndEvent):
            raise InputError(name, events.line(), None, "expected a single document in the file")
    finally:
        events.close()
    if source.problems and not collect:
        raise InputErrors.of(source.problems)
    return data, source


def _start_document(events: _Events, name: str) -> None:
    """Past the stream and document starts; an empty file is refused in one line."""
    events.expect(yaml.StreamStartEvent)
    if events.peek(yaml.StreamEndEvent):
        raise InputError(name, 1, None, "the file is empty")
    events.expect(yaml.DocumentStartEvent)


def yaml_list_items(text: str, name: str, key: str, max_values: int, what: str
                    ) -> Iterator[tuple[int, Any, SourceMap]]:
    """The items of a YAML list (or of a mapping whose one key ``key`` holds it), one at a
    time, as (line, value, lines within the item): memory does not grow with the list.

    Each item is refused past ``max_values`` values, as :func:`load_yaml` refuses a
    document; a structural problem in an item (a duplicate key ...) refuses the file.
    """
    expected = f"expected a list (or '{key}:' holding one)"
    events = _Events(text, name)
    try:
        _start_document(events, name)
        event = events.next()
        wrapped = isinstance(event, yaml.MappingStartEvent)
        checker = _Composer(events, name, SourceMap(), 3, what)
        if wrapped:
            checker.admit(event, (), _MAPPING_TAGS)
            event = events.next()
            if not isinstance(event, yaml.ScalarEvent) or event.value != key:
                raise InputError(name, _line(event), None, expected)
            event = events.next()
        if not isinstance(event, yaml.SequenceStartEvent):
            raise InputError(name, _line(event), None, expected)
        checker.admit(event, (), _SEQUENCE_TAGS)
        if checker.source.problems:
            raise InputErrors.of(checker.source.problems)
        while not events.peek(yaml.SequenceEndEvent):
            source = SourceMap()
            first = events.next()
            value = _Composer(events, name, source, max_values, what).value((), first)
            if source.problems:
                raise InputErrors.of(source.problems)
            line = _line(first)
            assert line is not None  # an event the parser made carries its position
            yield line, value, source
        events.next()
        if wrapped and not events.peek(yaml.MappingEndEvent):
            raise InputError(name, events.line(), None, f"{expected}, and nothing else")
        if wrapped:
            events.next()
        events.expect(yaml.DocumentEndEvent)
        if not events.peek(yaml.StreamEndEvent):
            raise InputError(name, events.line(), None, "expected a single document in the file")
    finally:
        events.close()


class _Events:
    """The parser's events, with its errors turned into InputError lines."""

    def __init__(self, text: str, name: str):
        self.text, self.name = text, name
        self.parser = _EventParser(text)
        self._peeked: yaml.Event | None = None

    def next(self) -> yaml.Event:
        if self._peeked is not None:
            event, self._peeked = self._peeked, None
            return event
        try:
            return self.parser.get_event()
        except yaml.MarkedYAMLError as exc:
            raise InputError(self.name, *_syntax_error(exc, self.text)) from None
        except yaml.reader.ReaderError as exc:  # a character YAML does not allow (NUL, other controls)
            if _BYTE_POSITIONS:
                line = self.text.encode("utf-8", "surrogatepass")[: exc.position].count(b"\n") + 1
            else:
                line = self.text.count("\n", 0, exc.position) + 1
            code = exc.character if isinstance(exc.character, int) else ord(exc.character)
            raise InputError(self.name, line, None, f"character U+{code:04X} is not allowed in YAML") from None
        except yaml.YAMLError as exc:
            raise InputError(self.name, None, None, "YAML error: " + " ".join(str(exc).split())) from None

    def peek(self, kind: type) -> bool:
        if self._peeked is None:
            self._peeked = self.next()
        return isinstance(self._peeked, kind)

    def expect(self, kind: type) -> yaml.Event:
        event = self.next()
        if not isinstance(event, kind):  # the parser's own grammar makes this unreachable
            raise InputError(self.name, _line(event), None, "YAML syntax error")
        return event

    def line(self) -> int | None:
        if self._peeked is None:
            self._peeked = self.next()
        return _line(self._peeked)

    def close(self) -> None:
        dispose = getattr(self.parser, "dispose", None)
        if dispose is not None:
            dispose()


def _line(event: yaml.Event) -> int | None:
    mark = getattr(event, "start_mark", None)
    return mark.line + 1 if mark is not None else None


def _syntax_error(exc: yaml.MarkedYAMLError, text: str) -> tuple[int | None, None, str]:
    """(line, field, problem) of a YAML syntax error.

    When the parser ran into the end of the file inside a quote or a bracket, the line
    that matters is where that quote or bracket opened, not the last one of the file.
    """
    problem = exc.problem or "YAML syntax error"
    mark = exc.problem_mark or exc.context_mark
    # libyaml words it differently: "did not find expected ',' or ']'", at the very end of the text
    end = text.rstrip()
    last_line, last_width = end.count("\n"), len(end) - (end.rfind("\n") + 1)
    mark = exc.problem_mark
    at_end = mark is not None and (mark.line, mark.column) >= (last_line, last_width)
    unclosed = "end of stream" in problem or "<stream end>" in problem or (
        at_end and problem.startswith("did not find expected") and "flow" in (exc.context or ""))
    if unclosed and exc.context_mark is not None:
        what = "quote" if "quoted scalar" in (exc.context or "") else "bracket"
        return exc.context_mark.line + 1, None, Said(f"error.unclosed_{what}")
    return (mark.line + 1 if mark else None), None, problem


class _Composer:
    """Builds plain values from events, without recursion, counting values as they come.

    A budget reached raises at once; a structural problem is noted in ``source.problems``
    and its value dropped, and reading goes on (every problem of a file in one run).
    """

    def __init__(self, events: _Events, name: str, source: SourceMap, max_values: int, what: str):
        self.events, self.name, self.source = events, name, source
        self.max_values, self.what, self.count = max_values, what, 0

    def fail(self, event: yaml.Event, path: tuple, problem: str) -> InputError:
        return InputError(self.name, _line(event), format_path(path) or None, problem)

    def note(self, event: yaml.Event, path: tuple, problem: str) -> None:
        self.source.problems.append(self.fail(event, path, problem))

    def tally(self, event: yaml.Event) -> None:
        self.count += 1
        if self.count > self.max_values:
            raise self.fail(event, (), f"more than {self.max_values:,} YAML values, the limit for {self.what}")

    def admit(self, event: yaml.Event, path: tuple, tags: frozenset) -> bool:
        """Note the anchor or tag ``event`` carries; False when its value must be dropped (a tag)."""
        # Every event admitted is a node (scalar or collection start); yaml.Event itself has neither field.
        anchor, tag = getattr(event, "anchor", None), getattr(event, "tag", None)
        if anchor is not None:
            self.note(event, (), "YAML anchors (&name) are not accepted")
        if tag is not None and tag not in tags:
            self.note(event, path, f"YAML tag {tag!r} is not accepted")
            return False
        return True

    def scalar(self, event: yaml.ScalarEvent, path: tuple) -> str | None:
        self.tally(event)
        if not self.admit(event, path, _SCALAR_TAGS):
            return None
        if event.tag == _NULL_TAG or (event.tag is None and event.implicit[0] and event.value in _NULL_VALUES):
            return None
        if len(event.value) > limits.YAML_MAX_SCALAR_CHARS:
            raise self.fail(event, path, f"value is longer than {limits.YAML_MAX_SCALAR_CHARS:,} characters")
        return event.value

    def skip(self) -> None:
        """Read past the collection just started (its values still count against the budget)."""
        depth = 1
        while depth:
            event = self.events.next()
            if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
            else:
                self.tally(event)
                if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                    depth += 1

    def value(self, path: tuple, event: yaml.Event) -> Any:
        """The whole value that ``event`` starts, its lines recorded under ``path``."""
        lines = self.source.lines
        stack: list[_Open] = []
        record = True  # False for a value whose key was dropped: it has no path
        while True:
            as_key = bool(stack) and stack[-1].awaits_key
            placed = True
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                mapping = isinstance(event, yaml.MappingStartEvent)
                self.tally(event)
                if as_key:
                    self.note(event, stack[-1].path, "keys must be plain names")
                    self.skip()
                    done = _DROP
                elif len(stack) >= MAX_DEPTH:
                    self.note(event, path, "nesting is too deep")
                    self.skip()
                    done = None
                elif not self.admit(event, path, _MAPPING_TAGS if mapping else _SEQUENCE_TAGS):
                    self.skip()
                    done = None
                else:
                    if record:
                        lines[path] = _line(event)
                    stack.append(_Open({} if mapping else [], path, record))
                    placed = False
            elif isinstance(event, yaml.ScalarEvent):
                done = self.scalar(event, path)
                if record and not as_key:
                    lines[path] = _line(event)
            elif isinstance(event, yaml.AliasEvent):  # an empty value: nothing is ever shared or expanded
                self.tally(event)
                self.note(event, (), "YAML aliases (*name) are not accepted")
                done = None
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)) and stack:
                done = stack.pop().container
            else:  # an event out of place (the parser's grammar makes this unreachable)
                raise self.fail(event, path, "YAML syntax error")
            if placed:
                if not stack:
                    return done
                top = stack[-1]
                if isinstance(top.container, list):
                    top.container.append(done)
                elif top.awaits_key:
                    key = done
                    if done is not _DROP and (not isinstance(event, yaml.ScalarEvent) or done is None):
                        self.note(event, top.path, "keys must be plain names")
                        key = _DROP
                    elif done is not _DROP and done in top.first:
                        self.note(event, top.path + (done,), f"duplicate key (first given on line {top.first[done]})")
                        key = _DROP
                    elif done is not _DROP:
                        top.first[done] = _line(event)
                    top.key, top.awaits_key = key, False
                else:
                    if top.key is not _DROP:
                        top.container[top.key] = done
                        if top.record:
                            lines[top.path + (top.key,)] = top.first[top.key]
                    top.awaits_key = True
            event = self.events.next()
            top = stack[-1]
            record = top.record
            if isinstance(top.container, list):
                path = top.path + (len(top.container),)
            elif top.awaits_key or top.key is _DROP:
                path, record = top.path, False  # a key (never recorded), or the value of a dropped one
            else:
                path = top.path + (top.key,)


class _Open:
    """A list or mapping being read: for a mapping, the key waiting for its value and each key's line."""

    __slots__ = ("container", "path", "record", "key", "awaits_key", "first")

    def __init__(self, container: dict | list, path: tuple, record: bool = True):
        self.container, self.path, self.record = container, path, record
        self.key: object = None
        self.awaits_key = isinstance(container, dict)
        self.first: dict[object, int | None] = {}
