"""`tahaluf interview --ask-evidence`: after an answer, "How do you know?" (issue 25).

Optional at every step: Enter skips. A source given is written into the file's `evidence:` with its
status (claimed unless the director says documented or verified), so the next evaluation judges it."""

from __future__ import annotations

from tahaluf.errors import InputError
from tahaluf.loader import format_path
from tahaluf.model import EVIDENCE_STATUSES


def ask_evidence(session, parts: tuple) -> None:
    """Ask where the answer at ``parts`` comes from; write it as one more `evidence:` entry."""
    source = session.ask(session.labels["evidence.asked"] + " ").strip()
    if not source:
        return
    words = {session.labels[f"evidence.status.{status}"].casefold(): status for status in EVIDENCE_STATUSES}
    words.update({status: status for status in EVIDENCE_STATUSES})
    said = session.ask(session.labels["evidence.asked_status"] + " ").strip().casefold()
    entry = {"fact": format_path(parts), "source": source, "status": words.get(said, "claimed")}
    listed = list(session.store.data.get("evidence") or [])
    try:
        session.store.set(("evidence", len(listed)), entry)
    except InputError as error:
        session.say(session.label("interview.not_valid", problem=error.problem))
