"""Arabic style: Arabic punctuation «،» «؛» «؟» (never Latin , ; ? outside placeholders and codes),
no «تم + مصدر», the plural address."""

from __future__ import annotations

import re

from arabic_texts import ARABIC, KNOWLEDGE, catalogue_texts

PLACEHOLDER = re.compile(r"\{[^{}]*\}")
QUOTED = re.compile(r"'[^'\s]{1,3}'")  # a literal the user types, like ';'
CODE = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.\[\]\-/]*")  # a path, a rule or guide code, a date, a command
LATIN = re.compile(r"[,;?]")


def latin_punctuation(text: str) -> list[str]:
    bare = CODE.sub("", QUOTED.sub("", PLACEHOLDER.sub("", text)))
    return LATIN.findall(bare)


def test_the_check_sees_latin_marks_but_not_codes():
    assert latin_punctuation("هل يعرف الجميع الإجراءات, وهل يطبقونها?") == [",", "?"]
    assert latin_punctuation("الواقعة (مسارها، مثل partners[0].sector)") == []
    assert latin_punctuation("عناصر تفصل بينها ';'، أو لا شيء") == []
    assert latin_punctuation("{rule} {name}: {subjects}") == []


def test_catalogues_use_arabic_punctuation():
    wrong = [f"{where}: {text}" for where, text in catalogue_texts() if latin_punctuation(text)]
    assert not wrong, "\n".join(wrong)


def test_the_arabic_template_comments_use_arabic_punctuation():
    wrong = []
    template = (KNOWLEDGE / "alliance-template.ar.yaml").read_text(encoding="utf-8")
    for number, line in enumerate(template.splitlines(), 1):
        comment = line.partition("#")[2]
        if ARABIC.search(comment) and latin_punctuation(comment):
            wrong.append(f"{number}: {line.strip()}")
    assert not wrong, "\n".join(wrong)


def test_no_tamma_with_a_verbal_noun():
    """«تم تحديد» / «لم يتم الاتفاق» are translationese: an active verb («لم تحدّدوا») or the
    passive of the verb itself («لم يُحدَّد», «اتُّفق») says it in one word."""
    from arabic_texts import strip_marks

    tamma = re.compile(r"(?<![\u0621-\u064a])(تم|تمت|يتم|تتم)(?![\u0621-\u064a])")
    wrong = [f"{where}: {text}" for where, text in catalogue_texts() if tamma.search(strip_marks(text))]
    assert not wrong, "\n".join(wrong)


def test_the_verdicts_address_the_organisation_in_the_plural():
    from tahaluf import knowledge

    labels = knowledge.labels()
    assert "فامضوا قدماً" in labels["verdict_summary.proceed"].ar
    assert "فلا تدخلوه" in labels["verdict_summary.do_not_proceed"].ar
