"""What the consultation asks, as the director reads it (issue 22).

1. Every fact its own question: in any state of any example (and of the empty template), and of
   random documents, no two open questions read the same, in English or in Arabic.
"""

from __future__ import annotations

import collections
import importlib.util

import pytest
import test_soundness as soundness
import yaml
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st
from support import EXAMPLES, ROOT, build_document
from test_consultation import _random_answer

from tahaluf import knowledge
from tahaluf.asking import question_text
from tahaluf.consultation import answer_value, consult, with_answer

LANGS = ("en", "ar")
LABELS = {lang: {key: text(lang) for key, text in knowledge.labels().items()} for lang in LANGS}
STARTS = sorted(EXAMPLES.glob("*.yaml")) + [ROOT / "knowledge" / "alliance-template.yaml"]


def duplicated(current) -> list[str]:
    """The question texts two open questions share, per language (with their paths)."""
    found = []
    for lang in LANGS:
        texts = collections.defaultdict(list)
        for question in current.questions:
            texts[question_text(question, current.data, lang, LABELS[lang])].append(question.path)
        found += [f"{lang}: {paths} read {text!r}" for text, paths in texts.items() if len(paths) > 1]
    return found


def _data(file) -> dict:
    return yaml.safe_load(file.read_text(encoding="utf-8")) or {}


@pytest.mark.parametrize("file", STARTS, ids=lambda f: f.name)
def test_no_two_open_questions_of_an_example_read_the_same(file):
    assert not duplicated(consult(_data(file)))


@settings(max_examples=40, **soundness.SETTINGS)
@given(st.sampled_from(STARTS), st.data())
def test_no_two_open_questions_read_the_same_along_a_consultation(file, data):
    current = consult(_data(file))
    for _ in range(6):
        if not current.questions:
            break
        question = data.draw(st.sampled_from(current.questions[:8]))
        answer = _random_answer(data.draw, question)
        try:
            current = consult(with_answer(current.data, question.parts, answer_value(question, answer)))
        except Exception:  # an answer that does not fit this field: not a state
            continue
        assert not duplicated(current), question.path


# Two actions of the plan with the same "what" (a step done twice is no mistake in the file): each
# one's owner, due date and status is its own question. Hypothesis found it only now and then.
TWO_LIKE_ACTIONS = {"organisation": {"name": "Test NGO", "core_objectives": ["independent advocacy"]},
                    "alliance": {"name": "Test alliance"},
                    "actions": [{"what": "A regional survey"}, {"what": "A regional survey"}]}


@settings(max_examples=60, **soundness.SETTINGS)
@given(soundness.partial_and_full())
@example((TWO_LIKE_ACTIONS, TWO_LIKE_ACTIONS, []))
def test_no_two_open_questions_of_a_random_document_read_the_same(drawn):
    # Two partners (or concessions) of the same name are a mistake in the file, not two questions to tell apart.
    for listed, key in (("partners", "name"), ("concessions", "what")):
        names = [item.get(key) for item in drawn[0].get(listed) or []]
        assume(len(names) == len(set(names)))
    assert not duplicated(consult(build_document(drawn[0])))


# 3. The order a director starts in -------------------------------------------------------------

WHAT_FOR = ("alliance.purpose_kind", "alliance.goals", "alliance.stage")


def director_stage(question, data) -> tuple:
    """What the alliance is for (one question); each partner's sector, then (once known) what could
    make it a red flag; our core objectives; what is asked of us; other red flags; the rest of what
    the alliance is for; the checks."""
    path = question.path
    partners = data.get("partners") or []
    sector_known = question.partner is not None and question.partner < len(partners) \
        and partners[question.partner].get("sector") is not None
    if path == "alliance.purpose":
        return (0,)
    if path == "partners" or (path.startswith("partners[") and path.endswith("].sector")):
        return (1, -1 if question.partner is None else question.partner, 0)
    if sector_known and question.severity == "blocker":
        return (1, question.partner, 1)
    if path == "organisation.core_objectives":
        return (2,)
    if path.startswith("concessions"):
        return (3,)
    if question.severity == "blocker":
        return (4,)
    return (5,) if path in WHAT_FOR else (6,)


def assert_a_directors_order(current):
    paths = [q.path for q in current.questions]
    deciding = {q.path for q in current.deciding}
    flags = [path in deciding for path in paths]
    assert flags == sorted(flags, reverse=True), "a question that cannot change the verdict came first"
    for group in (True, False):
        stages = [director_stage(q, current.data) for q, f in zip(current.questions, flags) if f is group]
        assert stages == sorted(stages), [p for p, f in zip(paths, flags) if f is group][:12]
    if current.data.get("organisation", {}).get("core_objectives") is None:
        touches = [i for i, p in enumerate(paths) if p.endswith("touches_core_objective")]
        if touches:
            assert "organisation.core_objectives" in paths[:touches[0]], paths[:touches[0] + 1]


@pytest.mark.parametrize("file", STARTS, ids=lambda f: f.name)
def test_an_example_is_asked_in_a_directors_order(file):
    assert_a_directors_order(consult(_data(file)))


def test_the_template_starts_with_what_the_alliance_is_for_then_the_partners_then_what_is_asked_of_us():
    current = consult(_data(ROOT / "knowledge" / "alliance-template.yaml"))
    paths = [q.path for q in current.questions]
    assert paths[0] == "alliance.purpose"
    assert paths.index("partners[0].sector") < paths.index("concessions")  # its core objective is written
    # The red flags come before the rest of what the alliance is for: asking its kind, goals and
    # stage first put off the questions that settle (see the test below).
    assert paths.index("concessions") < paths.index("alliance.stage") < paths.index("engagement.regular_communication")


def test_concessions_wait_for_our_core_objectives():
    data = {"organisation": {"name": "Us"}, "alliance": {"name": "A", "stage": "proposed"},
            "concessions": [{"what": "Soften our statements"}]}
    paths = [q.path for q in consult(data).questions]
    assert paths.index("organisation.core_objectives") < paths.index("concessions[0].touches_core_objective")
    del data["concessions"]
    paths = [q.path for q in consult(data).questions]
    assert paths.index("organisation.core_objectives") < paths.index("concessions")


@settings(max_examples=60, **soundness.SETTINGS)
@given(soundness.partial_and_full())
def test_a_random_document_is_asked_in_a_directors_order(drawn):
    assert_a_directors_order(consult(build_document(drawn[0])))


@pytest.mark.parametrize("lang,words", [("en", "if it already exists"), ("ar", "وإن كان قائماً")])
def test_a_proposed_alliance_is_not_asked_what_applies_only_to_an_existing_one(lang, words):
    data = {"organisation": {"name": "Us", "core_objectives": ["Clean air"]},
            "alliance": {"name": "A", "stage": "proposed"}, "partners": []}
    current = consult(data)
    texts = [question_text(q, current.data, lang, LABELS[lang]) for q in current.questions]
    assert "monitoring.planned_from_start" in [q.path for q in current.questions]
    assert not [text for text in texts if words in text]


def _asking():
    """benchmarks/asking.py: a simulated director who answers from a known truth."""
    spec = importlib.util.spec_from_file_location("asking", ROOT / "benchmarks" / "asking.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# Questions to a settled verdict before the director's order (main, cfd354d), a director who knows
# each shipped example and starts from its names only; the issue allows at most two more.
SETTLED_BEFORE = {"core-concession.yaml": 1, "government-confrontation.yaml": 3, "private-sector-offer.yaml": 5}


@pytest.mark.parametrize("name", sorted(SETTLED_BEFORE))
def test_a_red_flag_is_asked_as_soon_as_its_context_is_known(name):
    asking = _asking()
    truth = asking.load_yaml((ROOT / "examples" / name).read_text(encoding="utf-8"), name)[0]
    settled, refining, verdict = asking.walk(asking._names_only(truth), truth)
    assert verdict == "do_not_proceed"
    assert settled <= SETTLED_BEFORE[name] + 2, (name, settled)
