"""A comparison of two assessments (diff.py) as Markdown or JSON, and its lines in a director's
words, which the web history, the report page's "since" and the web what-if share.

In words, a fact is named by its question (knowledge/fields.yaml) and its values by their labels;
a finding by its message; a rule code is a small tag only. JSON keeps paths and codes.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from tahaluf import knowledge
from tahaluf.diff import Change, Comparison
from tahaluf.reports.templating import markdown_escape as escape
from tahaluf.user_messages import fill


def _labels(lang: str) -> dict[str, str]:
    return {key: text(lang) for key, text in knowledge.labels().items()}


def _evidenced(sources: dict[str, tuple], path: str) -> str | None:
    from tahaluf.rules.evidence import covers

    return next((fact for fact in sources if covers(fact, path)), None)


def render_diff_json(comparison: Comparison) -> str:
    def change(c: Change) -> dict:
        return {"rule": c.rule, "subject": c.subject, "before": c.before, "after": c.after, "severity": c.severity}

    data = {
        "before": comparison.before, "after": comparison.after,
        "verdict": {"before": comparison.verdict_before, "after": comparison.verdict_after,
                    "changed": comparison.verdict_changed},
        "added": [change(c) for c in comparison.added], "resolved": [change(c) for c in comparison.resolved],
        "changed": [change(c) for c in comparison.changed],
        "facts": [{"path": path, "before": was, "after": now,
                   **({"evidence": dict(zip(("source", "status", "by"), comparison.sources[fact]))}
                      if (fact := _evidenced(comparison.sources, path)) else {})}
                  for path, was, now in comparison.facts],
        "actions_done": list(comparison.actions_done), "actions_overdue": list(comparison.actions_overdue),
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


# Words -----------------------------------------------------------------------------------------

_INDEX = re.compile(r"\[\d+\]")
_CHOICE_PARAMS = frozenset({"approach", "scope", "rhythm"})


@dataclass(frozen=True)
class FindingLine:
    text: str  # the finding in words: "Resolved: Private-sector partner … has not agreed a timeline …"
    rule: str  # its code, a small tag only
    severity: str  # the severity's label


@dataclass(frozen=True)
class FactLine:
    question: str  # the fact's question, naming the partner or item it belongs to
    before: str
    after: str
    path: str  # for a "details for the file" toggle and JSON only
    source: str = ""  # who changed it and on what evidence, when the later file says (issue 25)


def fact_question(path: str, names: dict[str, str], lang: str, labels: dict[str, str]) -> str:
    """The fact at ``path`` as its question (its label where it has none), a list item's fact
    with the item's name: "About MediPlus: Has it agreed a timeline …?"."""
    fields = knowledge.fields()
    key = _INDEX.sub("[]", path)
    while key not in fields and "." in key:  # a value inside a free-form entry: its entry's wording
        key = key.rpartition(".")[0]
    words = fields.get(key)
    text = (words.question or words)(lang) if words is not None else labels["diff.a_fact"]
    items = [path[:match.end()] for match in _INDEX.finditer(path)]
    if not items:
        return text
    # The innermost item that has a name (a partner's goal by the goal), else the outermost by number.
    item = next((prefix for prefix in reversed(items) if names.get(prefix)), items[0])
    subject = names.get(item) or str(int(_INDEX.findall(item)[-1][1:-1]) + 1)
    template = labels["interview.about_partner" if item.startswith("partners[") and item.count("[") == 1
                      else "interview.about_item"]
    return template.replace("{subject}", subject).replace("{question}", text)


def fact_change(line: FactLine, labels: dict[str, str]) -> str:
    """"Is the approach … confrontational? unknown → no"; a fact worded as a label takes a colon."""
    asked = line.question.rstrip().endswith(("?", "؟"))
    return f"{line.question}{'' if asked else labels['diff.colon']} {line.before} {labels['diff.arrow']} {line.after}"


@cache
def _from_english(lang: str) -> dict[str, str]:
    """A value as an English JSON report words it -> the same value in ``lang`` (a report's facts
    are worded; reports with keys, as the web history stores them, are worded from the keys)."""
    record = knowledge.default_language()  # the language a JSON report records its words in
    if lang == record:
        return {}
    return {text(record): text(lang) for key, text in knowledge.labels().items()
            if key.startswith(("label.", "choice.", "sector.", "subject."))}


def value_words(value: Any, labels: dict[str, str], raw: bool = True, lang: str = "en") -> str:
    if not raw and isinstance(value, str):  # already words, in a report's language (English in the history's old rows)
        return _from_english(lang).get(value, value)
    if value is None:
        return labels["label.unknown"]
    if value is True:
        return labels["label.yes"]
    if value is False:
        return labels["label.no"]
    if isinstance(value, (list, tuple)):
        return labels["label.list_separator"].join(value_words(item, labels) for item in value) or labels["label.none"]
    if isinstance(value, dict):
        return str(value.get("what") or value.get("name") or value.get("goal") or next(iter(value.values()), ""))
    text = str(value)
    return labels.get(f"choice.{text}") or labels.get(f"sector.{text}") or text


def fact_lines(comparison: Comparison, lang: str, labels: dict[str, str] | None = None) -> list[FactLine]:
    labels = labels or _labels(lang)
    raw = comparison.raw_values
    lines = [FactLine(fact_question(path, comparison.names, lang, labels), value_words(was, labels, raw, lang),
                      value_words(now, labels, raw, lang), path, source_words(comparison.sources, path, labels))
             for path, was, now in comparison.facts]
    # A report words its values, a file does not: the same answer either way is no change to show.
    return [line for line in lines if line.before != line.after]


def source_words(sources: dict[str, tuple], path: str, labels: dict[str, str]) -> str:
    """"Sara Haddad, on the evidence of: board minutes (documented)", or "" when the file says nothing."""
    from tahaluf.rules.evidence import covers

    found = next((entry for fact, entry in sources.items() if covers(fact, path)), None)
    if found is None:
        return ""
    source, status, by = found
    key = "diff.evidence_by" if by else "diff.evidence"
    return fill(labels[key], {"source": source, "by": by,
                              "status": labels.get(f"evidence.status.{status}", status)}).__str__()


def _values(change: Change, names: dict[str, str], lang: str, labels: dict[str, str]) -> dict[str, Any]:
    words = change.words
    if words is None:  # a report without keys: its subject as English words it
        return {"subject": _from_english(lang).get(change.subject, change.subject)}
    values: dict[str, Any] = {"subject": labels.get(f"subject.{words.subject}", words.subject)}
    for name, value in words.params:
        if name.endswith("_path") or name == "path":
            values[name] = fact_question(str(value), names, lang, labels)
        elif name == "answers":  # who said what about a disputed fact
            values[name] = labels["label.item_separator"].join(
                f"{who}: {value_words(said, labels)}" for who, said in value)
        elif name in _CHOICE_PARAMS:
            values[name] = value_words(value, labels)
        else:
            values[name] = value
    if isinstance(values.get("count"), int):
        values["partners"] = knowledge.count_phrase("partner", values["count"], lang)
    return values


def finding_line(change: Change, lang: str, labels: dict[str, str], names: dict[str, str] | None = None,
                 policy=None) -> FindingLine:
    """A finding that changed status, in words: its message when it fails now, its question when it
    is open now, "Resolved: <message>" when it failed before and no longer does."""
    texts = knowledge.findings().get(change.rule) or _policy_texts(change.rule, policy)
    values = _values(change, names or {}, lang, labels)
    message = texts.message_for(change.words.message if change.words else None)(lang)
    opened = change.before in ("fail", "not_assessed") and change.after not in ("fail", "not_assessed")
    if opened and change.before == "fail":
        key, template = "diff.line.resolved", message
    elif opened:  # an open question answered: the check met, or no longer applying
        key = "diff.line.met" if change.after == "pass" else "diff.line.dropped"
        template = (texts.passed or texts.summary)(lang) if change.after == "pass" else texts.question(lang)
    elif change.after == "not_assessed":
        key, template = "diff.line.open", texts.question(lang)
    else:
        key, template = "diff.line.fails", message
    if set(re.findall(r"\{(\w+)\}", template)) - set(values):  # parameters a report without keys lacks
        template = texts.summary(lang)
    text = labels[key].replace("{text}", str(fill(template, values)))
    return FindingLine(text, change.rule, labels[f"severity.{change.severity}"])


def _policy_texts(rule: str, policy=None):
    """A rule of the organisation's policy (P3), whose texts are in its own file: the policy's when it
    is given, else its code in the label the reports cite a policy by."""
    from tahaluf.knowledge import Bilingual, FindingText
    from tahaluf.policy.texts import policy_text

    if policy is not None and rule in policy.by_id:
        return policy_text(policy.rule(rule))
    cited = Bilingual(**{lang: knowledge.labels()["policy.cited"](lang).replace("{id}", rule)
                         .replace(" — {title}", "") for lang in ("en", "ar")})
    return FindingText(severity="info", summary=cited, message=cited, fix=cited, question=cited)


def finding_sections(comparison: Comparison, lang: str, labels: dict[str, str] | None = None):
    """(heading, lines) for the findings added, resolved and changed, the empty ones left out."""
    labels = labels or _labels(lang)
    return [(labels[key], [finding_line(c, lang, labels, comparison.names) for c in changes])
            for key, changes in (("diff.added", comparison.added), ("diff.resolved", comparison.resolved),
                                 ("diff.changed", comparison.changed)) if changes]


def render_diff_markdown(comparison: Comparison, lang: str = "en") -> str:
    labels = _labels(lang)
    arrow = labels["diff.arrow"]
    verdict = lambda word: labels[f"verdict.{word}"]  # noqa: E731
    lines = [f"# {labels['diff.heading']}", "",
             f"{escape(comparison.before)} {arrow} {escape(comparison.after)}", "",
             f"**{labels['heading.verdict']}**: {verdict(comparison.verdict_before)} {arrow} "
             f"{verdict(comparison.verdict_after)}", ""]
    sections = dict(finding_sections(comparison, lang, labels))
    for key, changes in (("diff.added", comparison.added), ("diff.resolved", comparison.resolved),
                         ("diff.changed", comparison.changed)):
        lines += [f"## {labels[key]} ({len(changes)})", ""]
        lines += [f"- {escape(line.text)} `{line.rule}`" for line in sections.get(labels[key], ())]
        lines.append("")
    facts = fact_lines(comparison, lang, labels)
    lines += [f"## {labels['diff.facts']} ({len(facts)})", ""]
    lines += [f"- {escape(fact_change(f, labels))}" + (f" — {escape(f.source)}" if f.source else "") for f in facts]
    lines.append("")
    for key, items in (("diff.actions_done", comparison.actions_done),
                       ("diff.actions_overdue", comparison.actions_overdue)):
        lines += [f"## {labels[key]} ({len(items)})", ""] + [f"- {escape(item)}" for item in items] + [""]
    return "\n".join(lines)
