"""`tahaluf whatif` in a director's words: the verdict, the answers that would change it, and what it
would take to proceed — no field path, rule slug or internal token, one language at a time."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import test_soundness as soundness
from hypothesis import HealthCheck, given, settings
from support import build_document

from tahaluf import knowledge
from tahaluf.consultation import consult, document_of
from tahaluf.evaluation import evaluate_document, evaluate_file
from tahaluf.reports.whatif import render_whatif
from tahaluf.rules import load_all
from tahaluf.rules.base import REGISTRY
from tahaluf.what_it_takes import changing_questions, what_it_would_take

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
SHIPPED = sorted(p.name for p in EXAMPLES.glob("*.yaml"))
PATH_LIKE = (re.compile(r"[a-z_]+\[\d+\]"), re.compile(r"\w+\.\w+_\w+"))
TOKENS = ("no_path_found", "fixed_red_flag", "fixed_condition", "red_flag_possible", "conditions_open",
          "red_flag_open", "proceed_open", "nothing_open", "settled)", "True", "False")


def _label(key: str, lang: str) -> str:
    return knowledge.labels()[key](lang)


def _shown(name: str, lang: str) -> str:
    return render_whatif(evaluate_file(EXAMPLES / name), lang, "text")


def _leaks(text: str) -> list[str]:
    load_all()
    found = [m.group(0) for pattern in PATH_LIKE for m in pattern.finditer(text)]
    found += [token for token in TOKENS if token in text]
    found += [spec.name for spec in REGISTRY.values() if spec.name in text]
    return found


@pytest.mark.parametrize("lang", ["en", "ar"])
@pytest.mark.parametrize("name", SHIPPED)
def test_whatif_speaks_in_words_only(name, lang):
    shown = _shown(name, lang)
    assert not _leaks(shown), _leaks(shown)
    assert shown.startswith(_label("whatif.verdict", lang).split("{")[0]) and _label("whatif.take", lang) in shown
    assert len(shown.splitlines()) < 40
    if lang == "ar":  # one language: none of the English words around the answers
        english = [_label(key, "en") for key in ("whatif.take", "whatif.changing", "whatif.changing_none",
                                                  "verdict.proceed", "verdict.conditions", "label.yes", "label.no")]
        assert not [word for word in english if word in shown]


def test_only_answers_that_change_the_verdict_are_shown():
    shown = _shown("existing-alliance-review.yaml", "en")
    changing = shown.split(_label("whatif.take", "en"))[0]
    question = "Has AgroFresh Exporters Association agreed specific goals"
    assert question in changing
    assert f"→ {_label('verdict.do_not_proceed', 'en')}" in changing
    assert f"→ {_label('verdict.conditions', 'en')}" not in changing  # the verdict as it is: not a change


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_red_flag_on_known_facts_is_lifted_in_the_rules_words(lang):
    shown = _shown("private-sector-offer.yaml", lang)
    lift = knowledge.findings()["PR01"].lift(lang).replace("{subject}", "MediPlus Pharmaceuticals")
    assert f"{lift}  [PR01]" in shown
    shown = _shown("core-concession.yaml", lang)
    assert knowledge.findings()["PA01"].lift(lang).split("{")[0] in shown


@pytest.mark.parametrize("name", ["private-sector-offer.yaml", "core-concession.yaml", "government-confrontation.yaml",
                                  "existing-alliance-review.yaml"])
def test_what_it_would_take_leads_to_proceed(name):
    evaluation = evaluate_file(EXAMPLES / name)
    consultation = consult(evaluation.document, evaluation)
    plan = what_it_would_take(consultation)
    assert plan.found, plan.standing
    after = evaluate_document(document_of(plan.after))
    assert after.verdict == "proceed"
    status = {(f.rule, f.subject): f.status for f in after.inference.findings}
    # each lift is met (or its check no longer applies), not merely left open
    assert not [f.rule for f in plan.lifts if status.get((f.rule, f.subject)) in ("fail", "not_assessed")]
    changed = {(f.rule, f.subject) for f in plan.lifts}
    assert all((f.rule, f.subject) in changed for f in consultation.evaluation.inference.findings
               if f.status == "fail" and f.severity == "blocker")


def test_whatif_all_keeps_the_full_table():
    shown = render_whatif(evaluate_file(EXAMPLES / "existing-alliance-review.yaml"), "en", "text", every=True)
    assert "partners[1].private.goals [PR01]" in shown


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(soundness.partial_and_full())
def test_the_filter_before_the_engine_drops_no_question_that_changes_the_verdict(drawn):
    consultation = consult(build_document(drawn[0]))

    def shown(found):
        return [(one.question.path, [(o.answer, o.verdict) for o in one.outcomes]) for one in found]

    assert shown(changing_questions(consultation)) == shown(changing_questions(consultation, prune=False))
