"""What counts as evidence that a motive is borne out (MO06, G-MOT-1..6): rules.motives.says_something.

True: a few words with a concrete fact (a number, a rhythm, a name, an institution, an action);
None: an answer or a placeholder that does not say what shows it (the check stays open and asks);
False: nothing said (the check fails).
"""

from __future__ import annotations

import pytest

from tahaluf.rules.motives import says_something

TABLE = [
    # English
    ("Twelve unions sign every statement", True),
    ("Two staff seconded to the joint research unit", True),
    ("A monthly data exchange with the ministry's directorate", True),
    ("The Green Hands network joins our campaign", True),
    ("Our 3 field officers attend the joint training", True),
    ("yes", None),
    ("True", None),
    ("ok", None),
    ("Numbers", None),
    ("…", None),
    ("TBD", None),
    ("It will help us", None),
    ("We will all be stronger together", None),
    ("It will tend to help", None),  # "ten" is a number only as a whole word
    ("no", False),
    ("   ", False),
    # Arabic
    ("أربعة أعضاء يتحدثون بصوت واحد إلى الوزارة", True),
    ("تبادل شهري للبيانات مع مديرية الوزارة", True),
    ("أعضاء النقابة البالغ عددهم 12 ألفاً", True),
    ("برنامج تدريب مشترك واحد بدلاً من ثلاثة برامج", True),
    ("ننتدب موظفَين إلى وحدة البحث المشتركة", True),
    ("تتقاسم الجمعيات الثلاث مخاطر التمويل", True),
    ("نعم", None),
    ("طبعاً", None),
    ("أجل", None),
    ("صحيح", None),
    ("قيد الإعداد", None),
    ("سيساعدنا كثيراً", None),
    ("سنكون أقوى معاً بلا شك", None),
    ("سيعود التحالف بالنفع على الجميع", None),
    ("لا شيء", False),
    ("", False),
]


def test_the_table_is_half_arabic():
    arabic = [text for text, _ in TABLE if any("\u0600" <= c <= "\u06ff" for c in text)]
    assert len(TABLE) >= 12 and len(arabic) * 2 >= len(TABLE) - 2  # the two blanks have no language


@pytest.mark.parametrize(("text", "expected"), TABLE)
def test_evidence_says_something(text, expected):
    assert says_something(text) is expected


def test_unknown_evidence_is_unknown():
    assert says_something(None) is None
