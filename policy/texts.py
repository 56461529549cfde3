"""The organisation's policy in the product's words: each policy rule's texts shaped as a guide rule's
(knowledge.FindingText), so every view words a policy finding as it words a check's, and cited as
"Your policy: P3 — title" where a check cites the guide's items (never a G- number, never the guide)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from tahaluf import knowledge
from tahaluf.knowledge import Bilingual, FindingText
from tahaluf.policy.model import Policy, PolicyRule
from tahaluf.rules.base import REGISTRY
from tahaluf.rules.policy import POLICY_DIMENSION

_LANGS = knowledge.language_codes()


def in_language(texts: dict[str, str], lang: str) -> str:
    """A policy's own words in ``lang``; a language the policy file does not write in gets the
    product's default language's words, else the policy's first (they are the organisation's words)."""
    return texts.get(lang) or texts.get(_LANGS[0]) or next(iter(texts.values()))


@dataclass(frozen=True)
class PolicySpec:
    """What a view reads of a rule's spec, for a policy rule."""

    code: str
    name: str
    dimension: str = POLICY_DIMENSION
    guidance: tuple[str, ...] = ()


def _label(key: str, lang: str, **values: str) -> str:
    text = knowledge.labels()[key](lang)
    for name, value in values.items():
        text = text.replace("{" + name + "}", value)
    return text


def _both(key: str, **per_lang) -> Bilingual:
    return Bilingual(**{lang: _label(key, lang, **{k: in_language(v, lang) for k, v in per_lang.items()})
                        for lang in _LANGS})


def _fact_questions(rule: PolicyRule, lang: str) -> str:
    fields = knowledge.fields()
    words = []
    for fact in rule.reads:
        key = fact.replace("[*]", "[]")
        while key not in fields and "." in key:  # an amount: its money's wording
            key = key.rsplit(".", 1)[0]
        entry = fields.get(key)
        if entry is not None:
            words.append((entry.question or entry)(lang))
    return " ".join(dict.fromkeys(words))


def policy_text(rule: PolicyRule) -> FindingText:
    ids = dict.fromkeys(_LANGS, rule.id)
    suffix = "_partner" if rule.per_partner else ""
    return FindingText(
        severity=rule.guide_severity,  # type: ignore[arg-type]  # SEVERITY_OF's values are FindingText's
        summary=Bilingual(**{lang: in_language(rule.title, lang) for lang in _LANGS}),
        message=_both("policy.message" + suffix, title=rule.title),
        fix=_both("policy.fix", id=ids, text=rule.text),
        question=_both("policy.question" + suffix, id=ids,
                       questions={lang: _fact_questions(rule, lang) for lang in _LANGS}),
    )


def citation(rule: PolicyRule, lang: str) -> str:
    return _label("policy.cited", lang, id=rule.id, title=in_language(rule.title, lang))


def finding_texts(policy: Policy | None) -> dict[str, FindingText]:
    """Every rule's texts: the guide's (knowledge/findings), and the policy's beside them."""
    texts = knowledge.findings()
    if policy is None:
        return texts
    return {**texts, **{rule.id: policy_text(rule) for rule in policy.rules}}


def spec_of(code: str, policy: Policy | None):
    """A rule's spec: the guide's (rules.base.REGISTRY), or a policy rule's."""
    if code in REGISTRY or policy is None or code not in policy.by_id:
        return REGISTRY[code]
    return PolicySpec(code, f"policy-{code.lower()}")


def policy_question(evidence: tuple, about_a_subject: bool, lang: str) -> str:
    """An open policy finding's question: the open facts it cites, each by its own question
    (knowledge/fields.yaml), after ``{subject} — `` when it is about a partner."""
    fields = knowledge.fields()
    words = []
    for path, value in evidence:
        entry = fields.get(re.sub(r"\[\d+\]", "[]", path)) if value is None else None
        if entry is not None:
            words.append((entry.question or entry)(lang))
    return ("{subject} — " if about_a_subject else "") + " ".join(dict.fromkeys(words))
