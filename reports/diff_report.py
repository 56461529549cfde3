"""A comparison of two assessments (diff.py) as Markdown or JSON."""

from __future__ import annotations

import json

from tahaluf import knowledge
from tahaluf.diff import Change, Comparison
from tahaluf.reports.templating import markdown_escape as escape


def _labels(lang: str) -> dict[str, str]:
    return {key: text(lang) for key, text in knowledge.labels().items()}


def _status(status: str | None, labels: dict[str, str]) -> str:
    return labels["diff.absent"] if status is None else labels[f"status.{status}"]


def render_diff_json(comparison: Comparison) -> str:
    def change(c: Change) -> dict:
        return {"rule": c.rule, "subject": c.subject, "before": c.before, "after": c.after, "severity": c.severity}

    data = {
        "before": comparison.before, "after": comparison.after,
        "verdict": {"before": comparison.verdict_before, "after": comparison.verdict_after,
                    "changed": comparison.verdict_changed},
        "added": [change(c) for c in comparison.added], "resolved": [change(c) for c in comparison.resolved],
        "changed": [change(c) for c in comparison.changed],
        "facts": [{"path": path, "before": was, "after": now} for path, was, now in comparison.facts],
        "actions_done": list(comparison.actions_done), "actions_overdue": list(comparison.actions_overdue),
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def render_diff_markdown(comparison: Comparison, lang: str = "en") -> str:
    labels = _labels(lang)
    verdict = lambda word: labels[f"verdict.{word}"]  # noqa: E731
    lines = [f"# {labels['diff.heading']}", "",
             f"{escape(comparison.before)} → {escape(comparison.after)}", "",
             f"**{labels['heading.verdict']}**: {verdict(comparison.verdict_before)} → "
             f"{verdict(comparison.verdict_after)}", ""]

    def section(key: str, changes) -> None:
        lines.append(f"## {labels[key]} ({len(changes)})")
        lines.append("")
        for c in changes:
            lines.append(f"- **{c.rule}** ({labels[f'severity.{c.severity}']}) {escape(c.subject)}: "
                         f"{_status(c.before, labels)} → {_status(c.after, labels)}")
        lines.append("")

    section("diff.added", comparison.added)
    section("diff.resolved", comparison.resolved)
    section("diff.changed", comparison.changed)
    lines += [f"## {labels['diff.facts']} ({len(comparison.facts)})", ""]
    for path, was, now in comparison.facts:
        lines.append(f"- {escape(path)}: {escape(str(was))} → {escape(str(now))}")
    lines.append("")
    for key, items in (("diff.actions_done", comparison.actions_done),
                       ("diff.actions_overdue", comparison.actions_overdue)):
        lines += [f"## {labels[key]} ({len(items)})", ""] + [f"- {escape(item)}" for item in items] + [""]
    return "\n".join(lines)
