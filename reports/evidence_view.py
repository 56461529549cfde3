"""The evidence behind the deciding facts, as the reports print it (issue 25): one row per fact
that a passing blocker or major check rests on (EV01's findings), with its sources and status.

Empty, and printed nowhere, when the file lists no evidence and none is required."""

from __future__ import annotations

from dataclasses import dataclass

from tahaluf.model import EVIDENCE_STATUSES
from tahaluf.rules.evidence import covers
from tahaluf.user_messages import Message, fill, join


@dataclass(frozen=True)
class EvidenceRow:
    path: str  # the fact's input path (JSON)
    fact: Message  # the fact's question and answer, in the report's language
    status: str  # the best status of its evidence, or "none"
    status_label: str
    line: Message  # "Source: board minutes (documented, 2026-10-01)" or "Source: none recorded"
    rules: str  # the checks that rest on it ("PA01, PR02")
    verify: bool  # a verify condition stands on it
    sources: tuple[dict, ...] = ()  # every entry behind it, as the file gives it (JSON)
    finding: str = ""  # EV01's finding (a verify condition rests on it when it failed)


def source_line(entries, labels: dict[str, str]) -> Message:
    """What stands behind one fact, in one short line: each source with its status and date."""
    if not entries:
        return Message(((labels["evidence.line_none"], False),))
    parts: list[Message] = []
    comma = labels["label.list_separator"]
    for entry in entries:
        more = [(part, user) for value in (entry.date and entry.date.isoformat(), entry.by) if value
                for part, user in ((comma, False), (value, True))]
        parts.append(fill(labels["evidence.line"], {
            "source": entry.source, "status": Message(((labels[f"evidence.status.{entry.status}"], False),)),
            "date": Message(tuple(more))}))
    return join(parts, labels["evidence.separator"])


def evidence_rows(builder) -> tuple[EvidenceRow, ...]:
    """The deciding facts (EV01's findings, failed first) with the evidence behind each."""
    evaluation, labels = builder.evaluation, builder.labels
    entries = evaluation.document.evidence or ()
    rows = []
    for result in evaluation.inference.findings:
        if result.rule != "EV01":
            continue
        params = dict(result.params)
        path = params["fact"]
        behind = [entry for entry in entries if covers(entry.fact, path)]
        best = max((e.status for e in behind), key=EVIDENCE_STATUSES.index, default="none")
        rows.append(EvidenceRow(
            path=path, fact=builder.fact(path, params["value"]).words, status=best,
            status_label=labels[f"evidence.status.{best}"], line=source_line(behind, labels),
            rules=params["rules"], verify=result.status == "fail",
            sources=tuple(entry.model_dump(mode="json", exclude_none=True) for entry in behind), finding=result.id))
    return tuple(sorted(rows, key=lambda row: (not row.verify, row.path)))
