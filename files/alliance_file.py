"""The director's alliance file, changed one answer at a time: comments and key order kept.

ruamel.yaml reads and writes the file round-trip (no text surgery); every write is checked
by the project's own strict loader before it replaces the file atomically, so the file on
disk is always complete and always valid input for ``evaluate`` — a Ctrl-C, a closed
terminal or a crash between two answers loses nothing.
"""

from __future__ import annotations

import hashlib
import io
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from tahaluf.errors import InputError
from tahaluf.files.output import write_atomically
from tahaluf.loader import display_name, load_yaml, read_text, validate
from tahaluf.model import AllianceDocument
from tahaluf.schema_walker import write

NOBODY = "nobody"  # how a known "no one" is written (model_values.nobody_words)


class ChangedOnDisk(Exception):
    """Another program changed the file since it was last read or written here: nothing was written."""


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    yaml.width = 100
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def _node(value: Any) -> Any:
    """A plain value as a fresh ruamel node (never shared: a shared node would be written as an alias)."""
    if isinstance(value, dict):
        node = CommentedMap()
        for key, item in value.items():
            node[key] = _node(item)
        return node
    if isinstance(value, (list, tuple)):
        seq = CommentedSeq()
        seq.extend(_node(item) for item in value)
        return seq
    if value is False:
        return False
    if value is None or isinstance(value, (bool, int, str)):
        return value
    return str(value)  # a date: written as text, read back by the model


class AllianceFile:
    """One alliance file: ``data`` (as the strict loader reads it), changed by :meth:`set`."""

    def __init__(self, path: str | Path, tree: Any, data: dict, document: AllianceDocument, sha256: str | None = None):
        self.path, self.tree, self.data, self.document = Path(path), tree, data, document
        self.sha256 = sha256  # of the text last read or written here
        self.guard = False  # True: refuse to write over another program's edit (ChangedOnDisk)

    @classmethod
    def open(cls, path: str | Path) -> AllianceFile:
        """Read FILE (InputError, one line per problem, when it is not valid input)."""
        text = read_text(Path(path))
        data, document = _checked(text, display_name(path))
        return cls(path, _yaml().load(text), data, document, _sha256(text))

    @classmethod
    def create(cls, path: str | Path, organisation: str, alliance: str) -> AllianceFile:
        """A new file with the two names an alliance file cannot be without."""
        tree = CommentedMap()
        tree["organisation"] = _node({"name": organisation})
        tree["alliance"] = _node({"name": alliance})
        new = cls(path, tree, {}, None)  # type: ignore[arg-type]  # no document until _write reads it back, below
        new._write()
        return new

    def set(self, path: tuple, value: Any) -> None:
        """Write one answer (None: back to unknown) at ``path`` and save the file at once.

        The file is replaced only by a complete, valid one; on an invalid answer it is left
        as it was and the InputError names the field.
        """
        self.update([(path, value)])

    def update(self, changes: list[tuple[tuple, Any]]) -> None:
        """Write several answers in order (schema_walker.REMOVED at a list index takes that item out), then save
        once: all of them or, when the result is not valid input, none (the InputError names every
        field at fault, in the file as it would have been)."""
        if self.guard and self.sha256 is not None and self._disk_sha256() != self.sha256:
            raise ChangedOnDisk(str(self.path))
        previous = self._snapshot()
        try:
            for path, value in changes:
                if value is False and _is_person(path):
                    value = NOBODY
                # ruamel's containers, a fresh node per value; None keeps the key (and its comment) as null
                write(self.tree, path, value, section=CommentedMap, items=CommentedSeq, node=_node, none_removes=False)
            self._write()
        except BaseException:
            self.tree = previous
            raise

    def _snapshot(self) -> Any:
        return _yaml().load(self.text())

    def text(self) -> str:
        stream = io.StringIO()
        _yaml().dump(self.tree, stream)
        return stream.getvalue()

    def _write(self) -> None:
        text = self.text()
        self.data, self.document = _checked(text, display_name(self.path))
        write_atomically(self.path, text.encode("utf-8"))
        self.sha256 = _sha256(text)

    def _disk_sha256(self) -> str | None:
        try:
            return _sha256(read_text(self.path))
        except (OSError, InputError):  # gone, or no longer readable as input: changed all the same
            return None


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _checked(text: str, name: str) -> tuple[dict, AllianceDocument]:
    data, source = load_yaml(text, name, collect=True)
    if not isinstance(data, dict):
        raise InputError(name, 1, None, "the file must be a mapping of sections (organisation:, alliance:, ...)")
    return data, validate(AllianceDocument, data, source, name)


def _is_person(path: tuple) -> bool:
    return path[-1] in ("owner", "spokesperson")


def add_actions(path: Path, actions: list[dict]) -> None:
    """Append the actions to the file's ``actions:`` (made if missing), keeping the director's
    comments and key order (a round-trip YAML edit), written atomically. (`tahaluf plan`'s edit: ruamel's
    default indentation, as the plan has always written it, not the interview's.)"""
    yaml = YAML()  # round-trip: comments, order and quoting kept
    yaml.width = 100
    data = yaml.load(path.read_text(encoding="utf-8"))
    if data.get("actions") is None:
        data["actions"] = []
    data["actions"].extend(actions)
    out = io.StringIO()
    yaml.dump(data, out)
    write_atomically(path, out.getvalue().encode("utf-8"))
