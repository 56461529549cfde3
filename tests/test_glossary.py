"""One Arabic term per concept: no forbidden variant of knowledge/glossary.yaml anywhere the product writes Arabic."""

from __future__ import annotations

import pytest
from arabic_texts import KNOWLEDGE, _load, all_texts, language_values, strip_marks

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
        assert set(entry) in ({"en", "term", "forbidden"}, {"en", "term", "forbidden", "fr"}), concept
        if "fr" in entry:  # the French term, and the French words that would blur it
            assert set(entry["fr"]) == {"term", "forbidden"} and entry["fr"]["term"], concept
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


def french_texts() -> list[tuple[str, str]]:
    texts = []
    for path in [KNOWLEDGE / "labels.yaml", KNOWLEDGE / "fields.yaml", KNOWLEDGE / "guide.yaml",
                 *sorted((KNOWLEDGE / "findings").glob("*.yaml"))]:
        texts += language_values(_load(path), path.name, "fr")
    template = KNOWLEDGE / "alliance-template.fr.yaml"
    texts += [(f"{template.name}:{n}", line) for n, line in enumerate(template.read_text("utf-8").splitlines(), 1)]
    return texts


def french_forbidden_uses(texts, glossary=GLOSSARY) -> list[str]:
    found = []
    for concept, entry in glossary.items():
        french = entry.get("fr") or {}
        for variant, why in (french.get("forbidden") or {}).items():
            found += [f"{where}: «{variant}» ({concept}: use {french['term'][0]}; {why})"
                      for where, text in texts if variant.casefold() in text.casefold()]
    return found


@pytest.mark.parametrize("concept", sorted(c for c in GLOSSARY if "fr" in GLOSSARY[c]))
def test_no_forbidden_french_variant_anywhere(concept):
    """One French term per concept too (calendrier, ligne rouge, objectifs centraux …)."""
    uses = french_forbidden_uses(french_texts(), {concept: GLOSSARY[concept]})
    assert not uses, "\n".join(uses)


def test_the_french_check_finds_a_variant():
    concept, entry = next((c, e) for c, e in GLOSSARY.items() if (e.get("fr") or {}).get("forbidden"))
    variant = next(iter(entry["fr"]["forbidden"]))
    assert french_forbidden_uses([("x", f"Le {variant.upper()} du partenaire"), ("y", entry["fr"]["term"][0])],
                                 {concept: entry}) and len(french_forbidden_uses([("y", entry["fr"]["term"][0])],
                                                                                  {concept: entry})) == 0
    assert len(french_texts()) > 1000
