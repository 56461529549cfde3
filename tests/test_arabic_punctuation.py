"""Arabic text takes Arabic punctuation: «،» «؛» «؟», never Latin , ; ? (outside placeholders and codes)."""

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
    for number, line in enumerate((KNOWLEDGE / "alliance-template.ar.yaml").read_text(encoding="utf-8").splitlines(), 1):
        comment = line.partition("#")[2]
        if ARABIC.search(comment) and latin_punctuation(comment):
            wrong.append(f"{number}: {line.strip()}")
    assert not wrong, "\n".join(wrong)
