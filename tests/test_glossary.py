"""One Arabic term per concept: no forbidden variant of knowledge/glossary.yaml anywhere the product writes Arabic."""

from __future__ import annotations

import pytest
from arabic_texts import KNOWLEDGE, _load, all_texts, strip_marks

GLOSSARY = _load(KNOWLEDGE / "glossary.yaml")


def forbidden_uses(texts, glossary=GLOSSARY) -> list[str]:
    """'where: «variant» (concept; why)' for every forbidden variant found, harakat ignored."""
    found = []
    for where, text in texts:
        bare = strip_marks(text)
        for concept, entry in glossary.items():
            for variant, why in entry["forbidden"].items():
                if strip_marks(variant) in bare:
                    found.append(f"{where}: «{variant}» ({concept}: use {entry['term'][0]}; {why})")
    return found


def test_glossary_entries_are_complete():
    assert {"core_objectives", "severity_major", "red_flag", "timeline", "decision_makers", "executive_arm",
            "meetings", "monitoring_evaluation", "steering_committee", "concession", "partner", "alliance",
            "deviation"} <= set(GLOSSARY)
    for concept, entry in GLOSSARY.items():
        assert set(entry) == {"en", "term", "forbidden"}, concept
        assert entry["en"] and entry["term"] and entry["forbidden"], concept
        for variant, why in entry["forbidden"].items():
            assert why and isinstance(why, str), (concept, variant)
            # A term may not hold its own forbidden variant, or the test could never pass.
            assert not any(strip_marks(variant) in strip_marks(term) for term in entry["term"]), (concept, variant)


def test_the_check_finds_a_variant_even_under_harakat():
    texts = [("x", "هل يمسّ أحد أهدافنا الجوهريّة؟"), ("y", "لا تمس الأهداف المركزية")]
    assert {line.split(":")[0] for line in forbidden_uses(texts)} == {"x"}


def test_the_major_severity_is_not_the_core_objectives_word():
    from tahaluf import knowledge

    assert "جوهري" not in knowledge.labels()["severity.major"].ar
    assert knowledge.labels()["severity.major"].ar in GLOSSARY["severity_major"]["term"]


@pytest.mark.parametrize("concept", sorted(GLOSSARY))
def test_no_forbidden_variant_anywhere(concept):
    uses = forbidden_uses(all_texts(), {concept: GLOSSARY[concept]})
    assert not uses, "\n".join(uses)


def test_no_verb_agrees_with_a_bare_name():
    """«ينتمي {subject}» guesses the name's gender: a verb is followed by the noun it agrees with
    («تنتمي الجهة الشريكة {subject}», «يحمل الشريك {subject}»), never straight by the name."""
    import re

    from arabic_texts import catalogue_texts

    verb_then_name = re.compile(r"(?:^|\s)(?!تجاه)[يت][\u0621-\u064a]*[^\u0629\s]\s+«?\{(subject|name|partner)\}")
    wrong = [f"{where}: {text}" for where, text in catalogue_texts() if verb_then_name.search(text)]
    assert not wrong, "\n".join(wrong)
