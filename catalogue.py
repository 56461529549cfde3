"""What the rule base knows, for people: the rules, one rule's documentation, the guide
with its traceability, the input's JSON Schema and a template to fill in."""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path
from typing import Any

from tahaluf import knowledge
from tahaluf.errors import UsageError
from tahaluf.files.output import write_atomically
from tahaluf.model import AllianceDocument
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


# The template to fill in, per language: the same keys, with comments, questions and answers in that language.
TEMPLATES = {"en": "alliance-template.yaml", "ar": "alliance-template.ar.yaml"}


def template_path(lang: str = "en") -> Path:
    if lang not in TEMPLATES:
        raise UsageError(f"no template in {lang!r}; choose one of {', '.join(TEMPLATES)}")
    return knowledge.HERE / TEMPLATES[lang]


def template_text(lang: str = "en") -> str:
    """The commented alliance template (what `tahaluf init -` prints)."""
    return template_path(lang).read_text(encoding="utf-8")


def write_template(output: str, force: bool = False, lang: str = "en") -> None:
    path = Path(output)
    template = template_path(lang)
    if path.exists() and not force:
        raise UsageError(f"{path} exists; use --force to replace it")
    write_atomically(path, template.read_bytes())


def _labels(lang: str) -> dict[str, str]:
    return {key: text(lang) for key, text in knowledge.labels().items()}


def rules_listing(fmt: str = "text", lang: str = "en") -> str:
    texts, labels = knowledge.findings(), _labels(lang)
    rows: list[dict[str, Any]] = [
        {"code": s.code, "name": s.name, "severity": texts[s.code].severity,
         # The severity the guide's wording gives, and why the rule departs from it (None when it does not).
         "default_severity": knowledge.default_severity(s.guidance),
         "severity_reason": texts[s.code].severity_reason,
         "dimension": s.dimension, "guidance": list(s.guidance), "partner_level": s.partner_level,
         "summary": texts[s.code].summary(lang)}
        for s in _rules()
    ]
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
    lines = [f"{r['code']}  {r['name']:<44} {labels['severity.' + r['severity']]:<10} {', '.join(r['guidance']):<22} "
             f"{r['summary']}" for r in rows]
    return "\n".join(lines) + "\n"


def _subject_kind(spec: RuleSpec) -> str:
    """What a finding of this rule is about, as the finding's subject is chosen (engine.record_finding)."""
    for kind in ("concession", "partner", "alliance", "organisation"):
        if kind in spec.inputs:
            return kind
    return "alliance"


def rule_documentation(code: str, lang: str = "en") -> str:
    """One rule in words a director reads: what it checks, the guide's words (in both languages),
    what is said when it fails, what to do, and the question asked when a fact is missing.
    (Why a rule's severity departs from its wording is the maintainers' note, in English: it is
    in `tahaluf rules --format json` as ``severity_reason``.)"""
    load_all()
    spec = REGISTRY.get(code.upper())
    if spec is None:
        raise UsageError(f"no rule {code!r}; `tahaluf rules` lists them")
    text, items, labels = knowledge.findings()[spec.code], knowledge.guide_items(), _labels(lang)
    other = "ar" if lang == "en" else "en"
    # A finding's values are known only once a file is evaluated: placeholders stand for them.
    values = {key.removeprefix("placeholder."): value for key, value in labels.items()
              if key.startswith("placeholder.")}
    values["subject"] = values[_subject_kind(spec)]

    def said(template: str) -> str:
        return textwrap.fill(_FIELD.sub(lambda m: values.get(m.group(1), "‹…›"), template), width=88,
                             initial_indent="    ", subsequent_indent="    ")

    scope = labels["explain.scope_partner" if spec.partner_level else "explain.scope_alliance"]
    out = [
        f"{spec.code} ({spec.name})",
        "",
        f"{labels['label.severity']}: {labels['severity.' + text.severity]} "
        f"({labels['explain.default_severity']}: {labels['severity.' + knowledge.default_severity(spec.guidance)]})    "
        f"{labels['label.dimension']}: {labels['dimension.' + spec.dimension]}    {labels['explain.scope']}: {scope}",
        "",
        f"{labels['explain.checks']}:",
        said(text.summary(lang)),
        "",
        f"{labels['label.why']}:",
    ]
    for gid in spec.guidance:
        out += [f"  {gid}", said(items[gid].text(lang)), said(items[gid].text(other)), ""]
    # A rule with one message per cause says each (knowledge: ``messages``).
    variants = [said(message(lang)) for message in (text.messages or {}).values()]
    out += [
        f"{labels['explain.finding']}:", said(text.message(lang)), *variants, "",
        f"{labels['label.fix']}:", said(text.fix(lang)), "",
        f"{labels['explain.question']}:", said(text.question(lang)), "",
    ]
    return "\n".join(out)


_FIELD = re.compile(r"\{([a-z_]+)\}")


def traceability() -> list[dict]:
    """Each guide item with the rules that encode it, how faithfully (or why it is background),
    and its Arabic as the guide has it beside the reading where the guide has a slip."""
    encoded: dict[str, list[str]] = {}
    for spec in _rules():
        for gid in spec.guidance:
            encoded.setdefault(gid, []).append(spec.code)
    return [
        {"id": item.id, "section": item.section, "en": item.en, "ar": item.ar,
         "ar_corrected": item.ar_corrected,
         "corrections": [correction.model_dump() for correction in item.corrections],
         "strength": item.strength, "strength_cue": item.strength_cue, "tested_by": list(item.tested_by),
         "rules": encoded.get(item.id, []), "background": item.background,
         "fidelity": item.fidelity, "fidelity_reason": item.fidelity_reason}
        for item in knowledge.guide().items
    ]


FIDELITY = ("faithful", "partial", "cited_only", "background")


def guide_summary(rows: list[dict]) -> dict:
    """How much of the guide the rules encode, and how faithfully (the counts the README states)."""
    encoded = sum(1 for r in rows if r["rules"])
    return {"items": len(rows), "encoded": encoded, "background": sum(1 for r in rows if r["background"]),
            "encoded_share": round(encoded / len(rows), 3),
            "fidelity": {grade: sum(1 for r in rows if r["fidelity"] == grade) for grade in FIDELITY}}


def guide_listing(fmt: str = "text", lang: str = "en") -> str:
    rows = traceability()
    summary = guide_summary(rows)
    if fmt == "json":
        sections = [{"code": sec.code, "en": sec.en, "ar": sec.ar, "own_title": sec.own_title}
                    for sec in knowledge.guide().sections]
        return json.dumps({"version": knowledge.version(), "sections": sections, "items": rows,
                           "summary": summary}, ensure_ascii=False, indent=2) + "\n"
    items, out = knowledge.guide_items(), []
    for r in rows:
        trace = ", ".join(r["rules"]) or "NOT TRACED"
        out.append(f"{r['id']}  [{r['fidelity']}: {r['background'] or trace}]")
        # The reading a report quotes; the guide's own words beside it where they differ.
        out.append(textwrap.fill(items[r["id"]].text(lang), width=88, initial_indent="    ", subsequent_indent="    "))
        if lang == "ar" and r["corrections"]:
            out.append("    " + "; ".join(f"{c['original']} → {c['reading']}" for c in r["corrections"]))
        if r["fidelity"] in ("partial", "cited_only"):
            out.append(textwrap.fill(r["fidelity_reason"], width=88, initial_indent="    ", subsequent_indent="    "))
    counts = summary["fidelity"]
    out.append(f"\n{summary['encoded']} of {summary['items']} items encoded by rules: {counts['faithful']} faithful, "
               f"{counts['partial']} partial, {counts['cited_only']} cited only, {counts['background']} background.")
    return "\n".join(out) + "\n"
