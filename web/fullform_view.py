"""The full form's view-model (/a/FILE/form): the sections the template loops over, every field labelled
in the user's language (knowledge/fields.yaml, the guide's items that test each fact), valued, with
its error and, where the consultation still asks it, its question. The form's model, its state and
what a POST changes are in fullform.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from tahaluf import knowledge
from tahaluf.asking import option_label, question_text
from tahaluf.consultation import consult, parse_path
from tahaluf.input_words import in_language
from tahaluf.schema_walker import format_path
from tahaluf.web.fullform import (
    ADD_PREFIX,
    COUNT_PREFIX,
    HINTS,
    FormState,
    Group,
    Items,
    Leaf,
    Mapping,
    form_name,
    schema,
)

_ID = re.compile(r"[^A-Za-z0-9_]")  # what an HTML id may not hold

# The view-model ------------------------------------------------------------------------------------------


@cache
def _tested_by() -> dict[str, tuple[str, ...]]:
    """Fact key -> the guide's items whose answers it tests (guide.yaml's tested_by)."""
    found: dict[str, list[str]] = {}
    for item in knowledge.guide().items:
        for key in item.tested_by:
            found.setdefault(key, []).append(item.id)
    return {key: tuple(ids) for key, ids in found.items()}


def asked(store, lang: str, t: dict[str, str]) -> dict[str, str]:
    """The facts the consultation still asks about (``store``: an AllianceFile), each worded as the
    interview asks it, by path: the form shows them at their fields."""
    from tahaluf.web.work import policy as work_policy  # here: work imports this module

    current = consult(store.document, policy=work_policy())
    return {question.path: question_text(question, store.data, lang, t, "web") for question in current.questions}


def html_id(name: str) -> str:
    return "f-" + _ID.sub("-", name)


def view(state: FormState, lang: str, t: dict[str, str], errors: dict[str, str] | None = None,
         focus: str = "", asked: dict[str, str] | None = None, root: Group | None = None) -> list[dict]:
    """The sections of the form, in the model's order: the document's own facts first (as one
    section), then each section of the model; every field labelled, valued, with its error, and
    with the interview's question when it is one the consultation still asks (``asked``: by path)."""
    nodes = _Viewer(state, lang, t, errors or {}, focus, asked or {}).nodes(root or schema(), ())
    sections, loose = [], []
    for node in nodes:
        if node["widget"] == "group":
            sections.append({"id": "s-" + node["name"], "title": node["label"], "help": node["help"],
                             "error": node["error"], "nodes": node["children"]})
        elif node["widget"] == "items":  # the list says its own help and error
            sections.append({"id": "s-" + node["name"], "title": node["label"], "help": [], "error": "",
                             "nodes": [dict(node, label="")]})
        else:
            loose.append(node)
    if loose:
        sections.insert(0, {"id": "s-assessment", "title": t["web.form.assessment"], "help": [], "error": "",
                            "nodes": loose})
    return sections


@dataclass
class _Viewer:
    state: FormState
    lang: str
    t: dict[str, str]
    errors: dict[str, str]
    focus: str
    asked: dict[str, str]

    def __post_init__(self):
        self.words = knowledge.fields()
        items = knowledge.guide_items()
        self.help = {key: [{"id": ident, "text": items[ident].text(self.lang)} for ident in ids]
                     for key, ids in _tested_by().items()}

    def label(self, key: str) -> str:
        """The knowledge base's words for a fact; a fact it has no words for yet shows as its own key."""
        text = self.words.get(key)
        return text(self.lang) if text else key.rsplit(".", 1)[-1].removesuffix("[]")

    def common(self, name: str, key: str, label: str) -> dict[str, Any]:
        return {"name": name, "id": html_id(name), "label": label, "help": self.help.get(key, []),
                "error": self.errors.get(name, ""), "asked": self.asked.get(name, "")}

    def nodes(self, group: Group, parts: tuple) -> list[dict]:
        return [self.node(child, parts + (child.name,)) for child in group.children]

    def node(self, node, parts: tuple) -> dict:
        name = format_path(parts)
        view = self.common(name, node.key, self.label(node.key))
        if isinstance(node, Group):
            return dict(view, widget="group", children=self.nodes(node, parts))
        if isinstance(node, Mapping):
            entries = [dict(self.common(format_path(parts + (k,)), f"{node.key}.{k}", option_label(self.t, k)),
                            value=self.state.one(format_path(parts + (k,)))) for k in node.keys]
            return dict(view, widget="mapping", entries=entries)
        if isinstance(node, Items):
            return dict(view, widget="items", **self.rows(node, parts))
        return dict(view, **self.leaf(node, name))

    def leaf(self, node: Leaf, name: str) -> dict[str, Any]:
        t, sent = self.t, self.state.values.get(name, ())
        current = sent[-1] if sent else ""
        view: dict[str, Any] = {
            "widget": node.widget, "value": current, "options": [], "none": None, "autofocus": name == self.focus,
            "maxlength": (node.max_length or "") if node.widget in ("text", "long", "person") else "",
            "hint": t[HINTS[node.widget]] if node.widget in HINTS else ""}
        if node.widget in ("bool", "radio", "select"):
            values = ("yes", "no") if node.widget == "bool" else node.choices
            shown = [t["label.yes"], t["label.no"]] if node.widget == "bool" else [option_label(t, v) for v in values]
            view["options"] = [{"value": v, "label": text, "checked": v == current} for v, text in zip(values, shown)]
            if current and current not in values:  # as sent (a hostile or stale value): kept, its error says why
                view["options"].append({"value": current, "label": current, "checked": True})
            view["options"].append({"value": "", "label": t["web.dont_know"], "checked": not current})
        elif node.widget == "choices":
            view["options"] = [{"value": v, "label": option_label(t, v), "checked": v in sent} for v in node.choices]
        if node.widget in ("choices", "texts"):
            view["none"] = {"value": name, "checked": name in self.state.nones, "label": t["web.form.none"]}
        return view

    def rows(self, node: Items, parts: tuple) -> dict[str, Any]:
        name = format_path(parts)
        count = self.state.counts.get(name, 0)
        text = self.words.get(node.key)
        item = text.item(self.lang) if text and text.item else self.label(node.key)
        first = next((c for c in node.item.children if isinstance(c, Leaf)), None)
        rows = []
        for index in range(count):
            here = parts + (index,)
            row_name = format_path(here)
            title = self.state.one(format_path(here + (first.name,))) if first else ""
            if first is not None and first.widget in ("radio", "select") and title:
                title = option_label(self.t, title)
            rows.append({"id": html_id(row_name), "legend": f"{item} {index + 1}", "title": title,
                         "error": self.errors.get(row_name, ""), "children": self.nodes(node.item, here),
                         "remove": {"value": row_name, "checked": row_name in self.state.removed,
                                    "label": self.t["web.form.remove"]}})
        add = None
        if count < node.max_items:
            add = {"value": ADD_PREFIX + name, "label": text.add(self.lang) if text and text.add else "+ " + item}
        none = None if count else {"value": name, "checked": name in self.state.nones,
                                   "label": self.t["web.form.none"]}
        return {"rows": rows, "count": count, "count_name": COUNT_PREFIX + name, "add": add, "none": none}


def error_list(errors: dict[str, str], labels_of: dict[str, str], t: dict[str, str]) -> list[dict]:
    return [{"name": name, "href": "#" + html_id(name) if name else "",
             "label": labels_of.get(name) or t["web.form.whole_file"], "problem": problem}
            for name, problem in errors.items()]


def labels_by_name(sections: list[dict]) -> dict[str, str]:
    """Every field's and row's label by input name, to name them in the list of problems."""
    found: dict[str, str] = {}

    def walk(nodes: list[dict], prefix: str) -> None:
        for node in nodes:
            label = f"{prefix} › {node['label']}" if prefix and node["label"] else node["label"] or prefix
            found[node["name"]] = label
            for entry in node.get("entries", ()):
                found[entry["name"]] = f"{label} › {entry['label']}"
            walk(node.get("children", []), label)
            for row in node.get("rows", ()):
                row_label = f"{label} › {row['legend']}"
                found[row["remove"]["value"]] = row_label
                walk(row["children"], row_label)

    for section in sections:
        walk(section["nodes"], section["title"])
    return found


def errors_by_field(problems: list, rows: dict[str, dict[int, int]], names: set[str], lang: str) -> dict[str, str]:
    """Each problem the loader found, in the page's language, at the form's field it names (or the nearest
    enclosing one); a problem of the whole document under the empty name."""
    found: dict[str, str] = {}
    for error in problems:
        name = form_name(error.field, rows)
        while name and name not in names:
            name = _parent(name)
        problem = in_language(error.problem, lang)
        found[name] = f"{found[name]}; {problem}" if name in found else problem
    return found


def _parent(name: str) -> str:
    try:
        parts = parse_path(name)
    except ValueError:
        return ""
    return format_path(parts[:-1]) if len(parts) > 1 else ""
