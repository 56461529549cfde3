"""The full form (/a/FILE/form): every fact of the input model, section by section, generated from
the model's own field types and worded by the knowledge base (knowledge/fields.yaml, labels.yaml's
answers, the guide's items that test each fact). A view: it decides nothing about the alliance.

Three plain steps, for form_pages.py:

* :func:`state_of` / :func:`posted_state`: the form's values as the strings a browser sends, from
  the file (its validated document) or from a POST;
* ``fullform_view.view``: the view-model the template loops over (sections -> fields, labelled, with
  errors), in fullform_view.py;
* :func:`changes`: what a POST changed, as writes for ``AllianceFile.update``. A field is written
  only when what was sent differs from what the file gives, so what the user did not touch stays
  exactly as the file has it (its comments, Arabic answers, a goal written as a sentence).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any

from pydantic import BaseModel

from tahaluf import limits
from tahaluf.model import AllianceDocument
from tahaluf.model_values import nobody_words
from tahaluf.schema_walker import REMOVED, Field, fields_of, format_path, is_model, item_of, parse_path

FORM_MAX_BYTES = 2 * 1024 * 1024  # a form of many partners, each with its texts (the file's own cap is 1 MB)
FORM_MAX_FIELDS = 20_000
RADIO_MAX = 5  # a choice of more options than this is a drop-down list
MAX_ITEMS = 200  # no list shows more rows than this, whatever the model allows
NONE_FIELD, REMOVE_FIELD, COUNT_PREFIX, ADD_PREFIX = "none", "remove", "count:", "add:"
RESERVED = {"csrf", "version", "action", NONE_FIELD, REMOVE_FIELD}
HINTS = {"date": "interview.format.date", "number": "interview.format.number", "person": "interview.format.person",
         "texts": "web.form.lines", "lines_or_text": "web.form.lines"}


# The model, walked once: what each field is and how it is entered -----------------------------------


@dataclass(frozen=True)
class Leaf:
    name: str
    key: str  # the knowledge key: its path, a list's items as []
    widget: str  # bool, radio, select, choices, texts, text, long, number, date, person, lines_or_text
    choices: tuple[str, ...] = ()
    max_length: int | None = None


@dataclass(frozen=True)
class Group:
    name: str
    key: str
    children: tuple = ()


@dataclass(frozen=True)
class Items:
    """A list of items that are sections of their own (partners, goals, events …)."""

    name: str
    key: str
    item: Group
    max_items: int


@dataclass(frozen=True)
class Mapping:
    """A mapping from a fixed set of keys to text (alliance.motive_evidence)."""

    name: str
    key: str
    keys: tuple[str, ...]


def _leaf_widget(spec: Field) -> tuple[str, tuple]:
    if spec.kind == "choice":
        return ("radio" if len(spec.choices) <= RADIO_MAX else "select"), spec.choices
    if spec.kind == "text":
        length = spec.max_length
        return ("long" if length is None or length >= limits.TEXT_MAX_CHARS else "text"), ()
    return spec.kind, spec.choices


def _key(parent: str, name: str) -> str:
    return f"{parent}.{name}" if parent else name


@cache
def schema(root: type[BaseModel] = AllianceDocument, key: str = "") -> Group:
    """The form's structure for ``root``: one node per field, in the model's order."""
    children: list[Group | Items | Mapping | Leaf] = []
    for name, spec in fields_of(root).items():
        child_key = _key(key, name)
        item = item_of(spec.annotation)
        if spec.kind == "section":
            children.append(Group(name, child_key, schema(spec.bare, child_key).children))
        elif item is not None and is_model(item):
            limit = min(spec.max_length or MAX_ITEMS, MAX_ITEMS)
            item_group = Group(name, child_key + "[]", schema(item, child_key + "[]").children)
            children.append(Items(name, child_key, item_group, limit))
        elif spec.kind == "mapping":
            children.append(Mapping(name, child_key, spec.choices))
        else:
            widget, choices = _leaf_widget(spec)
            children.append(Leaf(name, child_key, widget, choices, spec.max_length))
    return Group("", key, tuple(children))


def leaf_names(node: Group, counts: dict[str, int], parts: tuple = ()) -> list[str]:
    """Every input name of the form for these list lengths: what a test checks the page against."""
    names = []
    for child in node.children:
        here = parts + (child.name,)
        if isinstance(child, Leaf):
            names.append(format_path(here))
        elif isinstance(child, Mapping):
            names += [format_path(here + (key,)) for key in child.keys]
        elif isinstance(child, Group):
            names += leaf_names(child, counts, here)
        else:
            for index in range(counts.get(format_path(here), 0)):
                names += leaf_names(child.item, counts, here + (index,))
    return names


# The form's values, as a browser sends them ----------------------------------------------------------


@dataclass
class FormState:
    values: dict[str, tuple[str, ...]] = field(default_factory=dict)  # input name -> what was sent
    counts: dict[str, int] = field(default_factory=dict)  # a list's name -> rows shown
    nones: set[str] = field(default_factory=set)  # lists ticked "none" (known: there is none)
    removed: set[str] = field(default_factory=set)  # items ticked "remove"

    def one(self, name: str) -> str:
        sent = self.values.get(name, ())
        return sent[-1] if sent else ""


def _as_text(leaf: Leaf, value: Any, nobody: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if leaf.widget == "bool":
        return ("yes" if value else "no",)
    if leaf.widget == "choices":
        return tuple(value)
    if leaf.widget in ("texts", "lines_or_text") and isinstance(value, list):
        return ("\n".join(str(item) for item in value),)
    if leaf.widget == "person" and value is False:
        return (nobody,)
    return (str(value),)


def state_of(data: dict, labels: dict[str, str], root: Group | None = None) -> FormState:
    """The form as the file gives it (``data``: the validated document as plain data, unknown left out)."""
    state = FormState()
    _fill(root or schema(), data, (), state, labels["plan.nobody"])
    return state


def _fill(group: Group, data: Any, parts: tuple, state: FormState, nobody: str) -> None:
    data = data if isinstance(data, dict) else {}
    for child in group.children:
        here = parts + (child.name,)
        name = format_path(here)
        value = data.get(child.name)
        if isinstance(child, Leaf):
            state.values[name] = _as_text(child, value, nobody)
            if value == [] and child.widget in ("choices", "texts"):
                state.nones.add(name)
        elif isinstance(child, Mapping):
            for key in child.keys:
                text = (value or {}).get(key)
                state.values[format_path(here + (key,))] = (str(text),) if text else ()
        elif isinstance(child, Group):
            _fill(child, value, here, state, nobody)
        else:
            items = value if isinstance(value, list) else []
            state.counts[name] = len(items)
            if value == []:
                state.nones.add(name)
            for index, item in enumerate(items):
                _fill(child.item, item, here + (index,), state, nobody)


def posted_state(form, original: FormState, root: Group | None = None) -> FormState:
    """The form as a POST sent it; each list shows at least the file's rows, at most its limit."""
    root = root or schema()
    state = FormState()
    for key in form.keys():  # noqa: SIM118 (a work.Form has keys(), and is not iterable)
        if key in RESERVED:
            continue
        if key.startswith(COUNT_PREFIX):
            name, text = key[len(COUNT_PREFIX):], str(form.get(key, ""))
            node = _items_at(root, name)
            if node is not None and text.isdigit():
                state.counts[name] = min(int(text), node.max_items)
            continue
        state.values[key] = tuple(str(v).replace("\r\n", "\n").replace("\r", "\n") for v in form.getlist(key)
                                  if isinstance(v, str))
    for name, count in original.counts.items():
        state.counts[name] = max(state.counts.get(name, 0), count)
    state.nones = {str(v) for v in form.getlist(NONE_FIELD)}
    state.removed = {str(v) for v in form.getlist(REMOVE_FIELD)}
    return state


def _items_at(root: Group, name: str) -> Items | None:
    try:
        node = _node_at(root, parse_path(name))
    except (ValueError, KeyError):
        return None
    return node if isinstance(node, Items) else None


def _node_at(root: Group, parts: tuple):
    node: Any = root
    for part in parts:
        if isinstance(part, int):
            if not isinstance(node, Items):
                raise KeyError(part)
            node = node.item
            continue
        if not isinstance(node, Group):
            raise KeyError(part)
        node = next((c for c in node.children if c.name == part), None)
        if node is None:
            raise KeyError(part)
    return node


def with_row(state: FormState, name: str, root: Group | None = None) -> str:
    """One more (empty) row in the list ``name`` (its 'add' button): the name of the row's first
    field, to give it the focus; "" when the list cannot have one more."""
    root = root or schema()
    node = _items_at(root, name)
    parts = parse_path(name) if node is not None else ()
    if node is None or not _shown(parts, state) or state.counts.get(name, 0) >= node.max_items:
        return ""
    state.counts[name] = state.counts.get(name, 0) + 1
    first = next((c for c in node.item.children if isinstance(c, Leaf)), None)
    return format_path(parts + (state.counts[name] - 1, first.name)) if first else ""


def _shown(parts: tuple, state: FormState) -> bool:
    """Whether every row on the way to ``parts`` is on the form (no list of a row not shown)."""
    for depth, part in enumerate(parts):
        if isinstance(part, int) and part >= state.counts.get(format_path(parts[:depth]), 0):
            return False
    return True


# From what was sent to the values to write ------------------------------------------------------------


def _parse(leaf: Leaf, sent: tuple[str, ...], none: bool) -> Any:
    """What a field's text means, as the loader would read it: None when empty (unknown)."""
    if leaf.widget == "choices":
        order = {choice: index for index, choice in enumerate(leaf.choices)}  # ticked boxes have no order
        picked = sorted((v for v in dict.fromkeys(sent) if v), key=lambda v: order.get(v, len(order)))
        return picked or ([] if none else None)
    text = (sent[-1] if sent else "").strip()
    if leaf.widget == "texts":
        lines = [line.strip() for line in text.split("\n") if line.strip()]
        return lines or ([] if none else None)
    if not text:
        return None
    if leaf.widget == "bool":
        return {"yes": True, "no": False}.get(text, text)
    if leaf.widget == "number":
        return int(text) if text.isdigit() else text
    if leaf.widget == "person" and text.casefold() in nobody_words():
        return False
    if leaf.widget == "lines_or_text":
        lines = [line.strip() for line in text.split("\n") if line.strip()]
        return lines[0] if len(lines) == 1 else lines
    return text


def value_of(node, state: FormState, parts: tuple) -> Any:
    """The plain data the form holds at ``parts`` (unknown left out; None when it holds nothing)."""
    name = format_path(parts)
    if isinstance(node, Leaf):
        return _parse(node, state.values.get(name, ()), name in state.nones)
    if isinstance(node, Mapping):
        found = {key: state.one(format_path(parts + (key,))).strip() for key in node.keys}
        return {key: text for key, text in found.items() if text} or None
    if isinstance(node, Group):
        found = {child.name: value_of(child, state, parts + (child.name,)) for child in node.children}
        return {key: value for key, value in found.items() if value is not None} or None
    rows = [value_of(node.item, state, parts + (index,)) for index in _kept(state, parts)]
    rows = [row for row in rows if row is not None]
    return rows or ([] if name in state.nones else None)


def _kept(state: FormState, parts: tuple) -> list[int]:
    return [index for index in range(state.counts.get(format_path(parts), 0))
            if format_path(parts + (index,)) not in state.removed]


@dataclass
class Changes:
    writes: list[tuple[tuple, Any]] = field(default_factory=list)  # in order, for AllianceFile.update
    rows: dict[str, dict[int, int]] = field(default_factory=dict)  # a list's name -> {row in the file: row on the form}


def changes(original: FormState, posted: FormState, raw: dict, root: Group | None = None) -> Changes:
    """The writes that turn the file (``raw``: its data as the loader reads it) into what was posted."""
    found = Changes()
    _group_changes(root or schema(), (), (), raw, original, posted, found)
    return found


def _group_changes(group: Group, form: tuple, file: tuple, raw: Any, original: FormState, posted: FormState,
                   found: Changes) -> None:
    for child in group.children:
        here, there = form + (child.name,), file + (child.name,)
        raw_child = raw.get(child.name) if isinstance(raw, dict) else None
        if isinstance(child, Items):
            _list_changes(child, here, there, raw_child, original, posted, found)
            continue
        before, after = value_of(child, original, here), value_of(child, posted, here)
        if before == after:
            continue
        if isinstance(child, Group) and (raw_child is None or isinstance(raw_child, dict)):
            _group_changes(child, here, there, raw_child, original, posted, found)
        else:  # a field, a mapping, or a section the file writes another way (a timeline as a sentence)
            found.writes.append((there, after))


def _list_changes(node: Items, form: tuple, file: tuple, raw: Any, original: FormState, posted: FormState,
                  found: Changes) -> None:
    name = format_path(form)
    existing = original.counts.get(name, 0)
    kept = [i for i in _kept(posted, form) if i < existing]
    added = [i for i in _kept(posted, form) if i >= existing and value_of(node.item, posted, form + (i,)) is not None]
    found.rows[name] = dict(enumerate(kept + added))
    before, after = value_of(node, original, form), value_of(node, posted, form)
    if before == after and len(kept) == existing:
        return
    if not kept + added or not isinstance(raw, list):
        found.writes.append((file, after))
        return
    for index in sorted(set(range(existing)) - set(kept), reverse=True):
        found.writes.append((file + (index,), REMOVED))
    for row, index in enumerate(kept):
        here, there, raw_row = form + (index,), file + (row,), raw[index] if index < len(raw) else None
        if isinstance(raw_row, dict):
            _group_changes(node.item, here, there, raw_row, original, posted, found)
        elif value_of(node.item, original, here) != value_of(node.item, posted, here):
            found.writes.append((there, value_of(node.item, posted, here)))
    for row, index in enumerate(added, start=len(kept)):
        found.writes.append((file + (row,), value_of(node.item, posted, form + (index,))))


def unsaved(original: FormState, posted: FormState, t: dict[str, str], root: Group | None = None) -> list[dict]:
    """What a POST sent that differs from the file as it is now (shown to the tab that lost a race)."""
    found = []
    for name in leaf_names(root or schema(), posted.counts):
        sent = _filled(posted.values.get(name, ()))
        if sent != _filled(original.values.get(name, ())):
            found.append({"name": name, "value": t["label.list_separator"].join(sent) or t["label.unknown"]})
    return found


def _filled(sent: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(text.strip() for text in sent if text.strip())


def form_name(field_path: str | None, rows: dict[str, dict[int, int]]) -> str:
    """The form's name of a field the loader named in the file as it would have been written."""
    if not field_path:
        return ""
    try:
        parts = parse_path(field_path)
    except ValueError:
        return ""
    form: tuple = ()
    for part in parts:
        if isinstance(part, int):
            part = rows.get(format_path(form), {}).get(part, part)
        form += (part,)
    return format_path(form)
