"""What the rule base knows, for people: the rules, one rule's documentation, the guide
with its traceability, the input's JSON Schema and a template to fill in."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

from tahaluf import knowledge
from tahaluf.errors import UsageError
from tahaluf.model import AllianceDocument
from tahaluf.reports.output import write_atomically
from tahaluf.rules import load_all
from tahaluf.rules.base import REGISTRY, RuleSpec


def _rules() -> list[RuleSpec]:
    load_all()
    return sorted(REGISTRY.values(), key=lambda spec: spec.code)


def json_schema() -> str:
    schema = AllianceDocument.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Tahaluf alliance facts"
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


def write_template(output: str, force: bool = False) -> None:
    path = Path(output)
    if path.exists() and not force:
        raise UsageError(f"{path} exists; use --force to replace it")
    write_atomically(path, (knowledge.HERE / "alliance-template.yaml").read_bytes())


def rules_listing(fmt: str = "text") -> str:
    texts = knowledge.findings()
    rows = [
        {"code": s.code, "name": s.name, "severity": texts[s.code].severity,
         # The severity the guide's wording gives, and why the rule departs from it (None when it does not).
         "default_severity": knowledge.default_severity(s.guidance),
         "severity_reason": texts[s.code].severity_reason,
         "dimension": s.dimension, "guidance": list(s.guidance), "partner_level": s.partner_level,
         "summary": texts[s.code].summary.en}
        for s in _rules()
    ]
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
    lines = [f"{r['code']}  {r['name']:<44} {r['severity']:<8} {', '.join(r['guidance']):<22} {r['summary']}" for r in rows]
    return "\n".join(lines) + "\n"


def rule_documentation(code: str) -> str:
    load_all()
    spec = REGISTRY.get(code.upper())
    if spec is None:
        raise UsageError(f"no rule {code!r}; `tahaluf rules` lists them")
    text, items = knowledge.findings()[spec.code], knowledge.guide_items()
    wrap = lambda s: textwrap.fill(s, width=88, initial_indent="    ", subsequent_indent="    ")  # noqa: E731
    out = [
        f"{spec.code} ({spec.name})",
        "",
        f"Severity: {text.severity} (the guide's wording gives {knowledge.default_severity(spec.guidance)})    "
        f"Dimension: {spec.dimension}    "
        f"Scope: {'each partner (also used in screening)' if spec.partner_level else 'the alliance'}",
        "",
        *(["Why this severity:", wrap(text.severity_reason), ""] if text.severity_reason else []),
        "What it checks:",
        wrap(spec.doc),
        "",
        "The guide:",
    ]
    for gid in spec.guidance:
        out += [f"  {gid}", wrap(items[gid].en), wrap(items[gid].ar), ""]
    out += [
        "Finding:", wrap(text.message.en), wrap(text.message.ar), "",
        "What to do:", wrap(text.fix.en), wrap(text.fix.ar), "",
        "Question when not assessed:", wrap(text.question.en), wrap(text.question.ar), "",
    ]
    return "\n".join(out)


def traceability() -> list[dict]:
    """Each guide item with the rules that encode it (or why it is background)."""
    encoded: dict[str, list[str]] = {}
    for spec in _rules():
        for gid in spec.guidance:
            encoded.setdefault(gid, []).append(spec.code)
    return [
        {"id": item.id, "section": item.section, "en": item.en, "ar": item.ar,
         "strength": item.strength, "strength_cue": item.strength_cue,
         "rules": encoded.get(item.id, []), "background": item.background}
        for item in knowledge.guide().items
    ]


def guide_listing(fmt: str = "text", lang: str = "en") -> str:
    rows = traceability()
    if fmt == "json":
        encoded = sum(1 for r in rows if r["rules"])
        return json.dumps({"version": knowledge.version(), "items": rows,
                           "summary": {"items": len(rows), "encoded": encoded,
                                       "background": sum(1 for r in rows if r["background"]),
                                       "encoded_share": round(encoded / len(rows), 3)}},
                          ensure_ascii=False, indent=2) + "\n"
    out = []
    for r in rows:
        trace = ", ".join(r["rules"]) or (f"background: {r['background']}" if r["background"] else "NOT TRACED")
        out.append(f"{r['id']}  [{trace}]")
        out.append(textwrap.fill(r[lang], width=88, initial_indent="    ", subsequent_indent="    "))
    encoded = sum(1 for r in rows if r["rules"])
    background = sum(1 for r in rows if r["background"])
    out.append(f"\n{encoded} of {len(rows)} items encoded by rules; {background} background.")
    return "\n".join(out) + "\n"
