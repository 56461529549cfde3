"""Goals and timelines written as sentences, read for their quantities and dates (input layer).

A goal is *specific* (G-ALL-1, G-PRV-2) when it says what will be reached **and** how it
is measured or by when:

- in the ``{goal, measure, by}`` form: a goal with a non-empty ``measure``, or with ``by``;
- as a sentence: it states a measurable quantity of something **and** a date
  ("400 workers trained by 2028-06", «تدريب 400 عامل بحلول يونيو 2028»).

Decided (issue 20): in a sentence, a date alone is not enough, nor a quantity alone. A date
says when to look, not what to find there ("Raise awareness by 2028"); a number alone may
be a scope, not a target ("Support 12 clinics"). The fields say which is which; a sentence
must carry both. A number in a name ("Phase 2 of the campaign", «حملة 2027») is neither a
quantity nor a date; a year is a date only with a preposition ("by 2028", «في عام 2028»),
and a number that is only a year is never a quantity (so "2000 workers" is read as a
year: write "2,000 workers").

A timeline written as a sentence is read for its start, end or duration, and the sentence
kept as its note: the rules see the structured timeline. Nothing here imports the model.
"""

from __future__ import annotations

import calendar
import datetime as _dt
import re
from typing import Any, NamedTuple

# Digits and marks to their Western form; diacritics and tatweel dropped; alef forms and ى unified.
_FOLD = str.maketrans({**{chr(0x0660 + i): str(i) for i in range(10)},
                       **{chr(0x06F0 + i): str(i) for i in range(10)},
                       "٫": ".", "٬": ",", "٪": "%", "أ": "ا", "إ": "ا", "آ": "ا", "ى": "ي", "ـ": None,
                       "–": "-", "—": "-", "‐": "-", "‑": "-", "−": "-"})
_DIACRITICS = re.compile("[\u064b-\u0652\u0670]")


def fold(text: str) -> str:
    """The sentence as the patterns read it: Western digits, one spelling of each Arabic letter."""
    return _DIACRITICS.sub("", text.translate(_FOLD)).casefold()


_MONTH_NAMES = {
    1: "january jan يناير جانفي كانون_الثاني كانون_ثاني",
    2: "february feb فبراير فيفري شباط",
    3: "march mar مارس اذار",
    4: "april apr ابريل افريل نيسان",
    5: "may مايو ماي ايار",
    6: "june jun يونيو يونيه جوان حزيران",
    7: "july jul يوليو يوليه جويليه جويلية تموز",
    8: "august aug اغسطس اوت اب",
    9: "september sept sep سبتمبر ايلول",
    10: "october oct اكتوبر تشرين_الاول تشرين_اول",
    11: "november nov نوفمبر تشرين_الثاني تشرين_ثاني",
    12: "december dec ديسمبر كانون_الاول كانون_اول",
}
MONTHS = {name.replace("_", " "): number for number, names in _MONTH_NAMES.items() for name in names.split()}
_MONTH = "(?:" + "|".join(re.escape(name).replace(r"\ ", r"\s+")
                          for name in sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_YEAR = r"(?:19|20|21)\d\d"
_ARABIC_YEAR_WORD = r"(?:(?:من\s+)?(?:عام|العام|سنه|سنة)\s+)?"
_B = r"(?<![\w.,/%-])"  # a token starts here (not inside a number or a word)
_E = r"(?![\w%]|[.,/-]\d)"  # and ends here
# A year alone may also stand in a range of years ("2026-2028") or after an attached «و» («و2028»).
_BY = rf"(?:(?<![\w.,/%-])|(?<=(?<!\w)[وب])|(?<={_YEAR}-))"
_EY = rf"(?![\w%]|[.,/]\d|-(?!{_YEAR})\d)"
_QUARTERS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "الاول": 1, "الثاني": 2, "الثالث": 3, "الرابع": 4}

# Each date form, as a named group; `_period` turns a match into its first and last day.
_DATE_FORMS = [
    ("dmy", rf"{_B}(?P<dmy_d>\d{{1,2}})[/.-](?P<dmy_m>\d{{1,2}})[/.-](?P<dmy_y>{_YEAR}){_E}"),
    ("iso", rf"{_B}(?P<iso_y>{_YEAR})[-/.](?P<iso_m>0?[1-9]|1[0-2])(?:[-/.](?P<iso_d>\d{{1,2}}))?{_E}"),
    ("quarter", rf"{_B}(?:q(?P<q_n1>[1-4])\s*[/-]?\s*(?P<q_y1>{_YEAR})"
                rf"|(?P<q_y2>{_YEAR})\s*[/-]?\s*q(?P<q_n2>[1-4])"
                rf"|(?:the\s+)?(?P<q_w1>first|second|third|fourth)\s+quarter\s+(?:of\s+)?(?P<q_y3>{_YEAR})"
                rf"|(?:[بو]?ال)?ربع\s+(?P<q_w2>الاول|الثاني|الثالث|الرابع)\s+"
                rf"{_ARABIC_YEAR_WORD}(?P<q_y4>{_YEAR})){_E}"),
    ("month", rf"{_B}(?:(?P<m_d1>\d{{1,2}})\s+(?:of\s+)?)?(?:شهر\s+)?[وبل]?(?P<m_name>{_MONTH})"
              rf"(?:\s+(?P<m_d2>\d{{1,2}}))?\s*,?\s*(?:of\s+)?{_ARABIC_YEAR_WORD}(?P<m_y>{_YEAR})(?:\s*م)?{_E}"),
    # A year is a date only after a word that makes it one: "by 2028", «بحلول 2028», «قبل نهاية 2027».
    ("year", rf"(?:(?<![\w])(?P<y_prep>by|in|before|until|till|through|during|from|to|since|after"
             r"|(?:the\s+)?(?:end|start|beginning|middle|close)\s+of|end|mid|early|late"
             r"|[وف]?(?:بحلول|قبل|في|حتي|الي|من|خلال|لغايه|لغاية|منذ|بعد|مع)"
             r"|[وب]?(?:نهايه|نهاية|بدايه|بداية|مطلع|منتصف|اواخر|اوائل|اواسط))"
             rf"(?:\s+|\s*-\s*)(?:the\s+year\s+)?(?:(?:[وب]?(?:نهايه|نهاية|بدايه|بداية|مطلع|منتصف))\s+)?"
             rf"{_ARABIC_YEAR_WORD})?{_BY}(?P<y_y>{_YEAR})(?:\s*م)?{_EY}"),
]
_DATE = re.compile("|".join(f"(?P<{name}>{form})" for name, form in _DATE_FORMS))


class Period(NamedTuple):
    """A date as written: the first and last day it can mean ('June 2028': 1 to 30 June)."""

    first: _dt.date
    last: _dt.date
    span: tuple[int, int]  # where it stands in the folded sentence
    anchored: bool  # a full date, or a year after a preposition: a date even in a goal


def _month_period(year: int, month: int, day: str | None) -> tuple[_dt.date, _dt.date]:
    if day:
        exact = _dt.date(year, month, int(day))
        return exact, exact
    return _dt.date(year, month, 1), _dt.date(year, month, calendar.monthrange(year, month)[1])


def _period(match: re.Match) -> tuple[_dt.date, _dt.date, bool]:
    g = match.groupdict()
    if g["dmy"]:
        return (*_month_period(int(g["dmy_y"]), int(g["dmy_m"]), g["dmy_d"]), True)
    if g["iso"]:
        return (*_month_period(int(g["iso_y"]), int(g["iso_m"]), g["iso_d"]), True)
    if g["quarter"]:
        quarter = int(g["q_n1"] or g["q_n2"] or 0) or _QUARTERS[g["q_w1"] or g["q_w2"]]
        year = int(g["q_y1"] or g["q_y2"] or g["q_y3"] or g["q_y4"])
        return _month_period(year, 3 * quarter - 2, None)[0], _month_period(year, 3 * quarter, None)[1], True
    if g["month"]:
        name = re.sub(r"\s+", " ", g["m_name"].rstrip("."))
        return (*_month_period(int(g["m_y"]), MONTHS[name], g["m_d1"] or g["m_d2"]), True)
    year = int(g["y_y"])
    return _dt.date(year, 1, 1), _dt.date(year, 12, 31), g["y_prep"] is not None


def dates_in(text: str, folded: bool = False) -> list[Period]:
    """Every date written in the sentence, in order (a bare year too, marked not anchored)."""
    text = text if folded else fold(text)
    periods = []
    for match in _DATE.finditer(text):
        try:
            first, last, anchored = _period(match)
        except ValueError:  # 2027-02-30: not a date
            continue
        # A year's span is the year alone: the word before it ("from", «حتى») is read in context.
        start = match.start("y_y") if match.group("year") else match.start()
        periods.append(Period(first, last, (start, match.end()), anchored))
    return periods


# Quantities ---------------------------------------------------------------------------------

_NUMBER = r"\d+(?:[.,]\d+)*"
_NUMBER_WORDS = (
    "two three four five six seven eight nine ten eleven twelve fifteen twenty thirty forty fifty sixty "
    "seventy eighty ninety hundred thousand million "
    "اثنين اثنان ثلاث ثلاثه ثلاثة اربع اربعه اربعة خمس خمسه خمسة سته ستة سبع سبعه سبعة ثماني ثمانيه ثمانية "
    "تسع تسعه تسعة عشر عشره عشرة عشرين عشرون ثلاثين ثلاثون اربعين اربعون خمسين خمسون ستين ستون سبعين سبعون "
    "ثمانين ثمانون تسعين تسعون مئه مئة مائه مائة مئتي مئتين مئتان الف الفين الفان مليون"
).split()
# Words after which a number is a name: "Phase 2", «المرحلة 2», "Article 5", «رؤية 2030».
_NAMING_WORDS = (
    "phase stage step part round campaign project programme program edition version wave cycle lot batch "
    "chapter article item law act decree resolution clause paragraph annex appendix goal objective output "
    "outcome pillar track component module level grade section no number session vision agenda plan strategy "
    "year class group team unit zone district area room floor route sdg target indicator "
    "مرحله مرحلة حمله حملة مشروع برنامج دوره دورة نسخه نسخة اصدار جوله جولة موجه موجة خطوه خطوة جزء ماده مادة "
    "بند قانون رقم هدف محور مكون مستوي فصل رؤيه رؤية خطه خطة استراتيجيه استراتيجية فقره فقرة قرار مرسوم مؤشر "
    "عام سنه سنة منطقه منطقة"
).split()
_NAMING = re.compile(r"(?:^|[^\w])(?:ال)?(?:" + "|".join(_NAMING_WORDS)
                     + r")\s*(?:no\.?|#|رقم|nr\.?)?\s*[#(]?\s*$")
_PERCENT = re.compile(r"\s*(?:%|per\s*cent|percent|pct\b|(?:بال|في\s+ال)(?:مئه|مئة|مائه|مائة|ميه))")
_COUNTED = re.compile(r"\s+(?!(?:of|من|في|to|and|or|و)\b)[^\W\d_]{2,}")  # a noun after it: "40 nurses", «12 عيادة»
_QUANTITY = re.compile(rf"{_B}(?P<number>{_NUMBER})(?!\d)(?:st|nd|rd|th)?|(?<!\w)[وب]?(?P<word>"
                       + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + r")(?!\w)")


def quantities_in(text: str) -> list[str]:
    """Every measurable quantity in the sentence: a number of something, or a percentage.

    Not a date (nor any number inside one), not a year, not a number in a name or an ordinal.
    """
    text = fold(text)
    for period in dates_in(text, folded=True):  # blank the dates out, keeping the offsets
        start, end = period.span
        text = text[:start] + " " * (end - start) + text[end:]
    found = []
    for match in _QUANTITY.finditer(text):
        before, after = text[:match.start()], text[match.end():]
        number = match.group("number")
        if number is not None:
            if match.group(0)[len(number):]:
                continue  # an ordinal: "2nd"
            if re.fullmatch(_YEAR, number):
                continue  # a number that is only a year is a date or a name, never a quantity
        if _NAMING.search(before):
            continue
        if _PERCENT.match(after) or _COUNTED.match(after):
            found.append(match.group(0).strip())
    return found


def goal_is_specific(goal: Any) -> bool:
    """What will be reached, and how it is measured or by when (see the module's docstring).

    ``goal`` is a goal fact or mapping: ``goal`` (its sentence), ``measure`` and ``by``.
    """
    sentence = (goal.get("goal") or "").strip()
    if not sentence:
        return False
    if goal.get("by") or (goal.get("measure") or "").strip():
        return True
    return any(period.anchored for period in dates_in(sentence)) and bool(quantities_in(sentence))


# Timelines ------------------------------------------------------------------------------------

_UNITS = {"year": 12, "years": 12, "month": 1, "months": 1, "سنه": 12, "سنة": 12, "عام": 12, "سنوات": 12,
          "اعوام": 12, "سنين": 12, "شهر": 1, "اشهر": 1, "شهور": 1, "شهرا": 1}
_DUALS = {"سنتين": 24, "سنتان": 24, "عامين": 24, "عامان": 24, "شهرين": 2, "شهران": 2}
_COUNTS = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
           "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "eighteen": 18, "twenty-four": 24,
           "واحد": 1, "واحده": 1, "ثلاث": 3, "ثلاثه": 3, "ثلاثة": 3, "اربع": 4, "اربعه": 4, "اربعة": 4,
           "خمس": 5, "خمسه": 5, "خمسة": 5, "ست": 6, "سته": 6, "ستة": 6, "سبع": 7, "سبعه": 7, "سبعة": 7,
           "ثماني": 8, "ثمانيه": 8, "ثمانية": 8, "تسع": 9, "تسعه": 9, "تسعة": 9, "عشر": 10, "عشره": 10,
           "عشرة": 10, "ثمانيه عشر": 18, "ثمانية عشر": 18, "اثني عشر": 12, "اثنا عشر": 12}
_DURATION_LEAD = r"(?:for|over|lasting|within|during|لمده|لمدة|مدته|مدتها|علي\s+مدي|علي\s+مدار|خلال|طوال)"
_DURATION = re.compile(
    rf"(?<!\w){_DURATION_LEAD}\s+(?:(?P<dual>{'|'.join(_DUALS)})"
    rf"|(?:(?P<count>\d+(?:\.\d+)?|{'|'.join(sorted(_COUNTS, key=len, reverse=True))})\s+)?"
    rf"(?P<unit>{'|'.join(sorted(_UNITS, key=len, reverse=True))}))(?!\w)")
# Between two dates: a range ("from X to Y", "X – Y", «من X حتى Y», «بين X و Y»).
_RANGE_JOIN = re.compile(r"\s*(?:-|to|until|till|through|and|حتي|الي|لغايه|لغاية|و)\s*"
                         r"(?:the\s+end\s+of\s+|نهايه\s+|نهاية\s+)?")
# "from January to June 2028": the first month takes the range's year.
_SHARED_YEAR = re.compile(rf"(?<!\w)({_MONTH})\s*(-|to|until|till|حتي|الي|لغايه|لغاية)\s*({_MONTH})\s+({_YEAR})")
_FROM = re.compile(r"(?:from|starting|starts|start|beginning|begins|since|من|ابتداء\s+من|اعتبارا\s+من|بدءا\s+من"
                   r"|يبدا|تبدا|تنطلق|ينطلق)\s*(?:in\s+|on\s+|في\s+)?$")


def _bounds(periods: list[Period], text: str) -> tuple[_dt.date | None, _dt.date | None]:
    """The first range in the sentence; else a date after "from" starts it, and the last other one ends it."""
    for first, second in zip(periods, periods[1:]):
        if _RANGE_JOIN.fullmatch(text[first.span[1]:second.span[0]]):
            return first.first, second.last
    starts = [period for period in periods if _FROM.search(text[:period.span[0]])]
    ends = [period for period in periods if period not in starts[:1]]
    return (starts[0].first if starts else None), (ends[-1].last if ends else None)


def read_timeline(sentence: str) -> dict:
    """A timeline written as a sentence: ``start``, ``end`` and ``duration_months`` as far as it
    says them, and the sentence itself as ``note``. A sentence with no date is only the note."""
    text = fold(sentence)
    # In a timeline a bare year is a date too ("2026–2028").
    text = _SHARED_YEAR.sub(lambda m: f"{m.group(1)} {m.group(4)} {m.group(2)} {m.group(3)} {m.group(4)}", text)
    timeline: dict = {"note": sentence}
    start, end = _bounds(dates_in(text, folded=True), text)
    if start:
        timeline["start"] = start
    if end:
        timeline["end"] = end
    duration = _DURATION.search(text)
    if duration:
        if duration.group("dual"):
            months = _DUALS[duration.group("dual")]
        else:
            count = duration.group("count")
            number = 1 if count is None else (float(count) if count[0].isdigit() else _COUNTS[count])
            months = round(number * _UNITS[duration.group("unit")])
        if months >= 1:
            timeline["duration_months"] = months
    return timeline


def timeline_is_defined(timeline: Any) -> bool:
    """Whether a timeline says by when: an end, a duration, or a dated milestone.

    A start alone says when work begins, not by when the goals are reached; a note alone
    (a sentence with no date in it) is no timeline at all.
    """
    if not timeline:
        return False
    milestones = timeline.get("milestones") or ()
    return bool(timeline.get("end") or timeline.get("duration_months")
                or any(milestone.get("date") for milestone in milestones))
