"""Why enter the alliance (G-MOT, G-ALL-1): motives stated, primary ones first, and borne out by its members.

A motive is read from ``alliance.motives`` (None = unknown, [] = known none). A
motive that depends on who the members are (numbers, cross-sector coordination,
reach into civil society) is judged against the partners declared: every input
fact is in working memory before the engine runs, so the right-hand side counts
them instead of joining every partner in the left-hand side.
"""

import re

from tahaluf.answers import normalise
from tahaluf.experta_compat import AS, P
from tahaluf.rules.base import Outcome, RuleSet, check, require
from tahaluf.rules.facts import Alliance, Motive, Partner

PRIMARY_MOTIVES = frozenset({
    "numbers", "internal_strengthening", "legitimacy_and_reach",
    "mutual_benefit", "stability", "cross_sector_coordination",
})  # G-MOT-1..6; the rest are incidental benefits (G-MOT-7..9)
CROSS_SECTOR = frozenset({"government", "private"})  # G-MOT-6
# G-MOT-9
CIVIL_SOCIETY_GROUPS = frozenset({"union", "university", "research_centre", "consumer_organisation", "media"})
MIN_PARTNERS_FOR_NUMBERS = 2  # besides us: "several organisations working together" (G-MOT-1)

# What a motive's evidence must have to say something (says_something). Words are compared
# after answers.normalise (Arabic letters unified, ال dropped), as prefixes of a word, so that
# "trains" and «يدربون» match "train" and «يدرب» (short cues: whole words). A few words are a number, a rhythm, an
# institution or an action: a concrete fact, not a hope.
MIN_EVIDENCE_WORDS = 3
_NO_EVIDENCE = frozenset(normalise(w) for w in (
    "no", "none", "nothing", "false", "لا", "لا شيء", "لا يوجد", "كلا"))  # said: nothing shows it
_STAND_INS = frozenset(normalise(w) for w in (  # an answer, not evidence: says nothing either way
    "yes", "true", "ok", "okay", "sure", "of course", "obviously", "n/a", "na", "tbd", "todo", "to be defined",
    "to be confirmed", "later", "see above", "…", "...", "-", "?", "xxx", "نعم", "أجل", "بلى", "صحيح", "طبعاً",
    "بالتأكيد", "موجود", "لاحقاً", "قيد الإعداد", "سيحدد لاحقاً", "انظر أعلاه"))
_CONCRETE = tuple(normalise(w) for w in (
    # numbers and rhythms
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "twelve", "twenty",
    "hundred", "thousand", "dozen", "half", "daily", "weekly", "monthly", "quarterly", "yearly", "annual",
    "واحد", "اثنان", "اثنين", "ثلاث", "أربع", "خمس", "ستة", "سبع", "ثمان", "تسع", "عشر", "عشرين", "مئة",
    "مائة", "آلاف", "يومي", "أسبوعي", "شهري", "فصلي", "سنوي",
    # institutions: a named thing
    "ministry", "directorate", "municipality", "union", "university", "company", "centre", "center", "fund",
    "programme", "program", "project", "committee", "council", "network", "school", "unit",
    "وزارة", "مديرية", "بلدية", "نقابة", "جامعة", "شركة", "مركز", "صندوق", "برنامج", "برامج", "مشروع",
    "لجنة", "مجلس", "شبكة", "مدرسة", "وحدة", "جمعية",
    # actions
    "sign", "second", "train", "share", "exchange", "fund", "pool", "publish", "meet", "join", "launch",
    "coordinat", "speak", "lobby", "host", "pay", "cover", "provid", "replac", "run", "hold", "bring",
    "وقع", "يوقع", "توقيع", "تبادل", "يتبادل", "تدريب", "يدرب", "ندرب", "تمويل", "يمول", "نشر", "ينشر",
    "اجتماع", "يجتمع", "يتحدث", "نتحدث", "يقدم", "نقدم", "تنسيق", "ينسق", "اطلاق", "تنظيم", "ينظم", "انتداب"))
# A cue of three letters or fewer ("ten", "run", «ستة») matches only the whole word ("tend" is no number).
_CONCRETE_WORDS = frozenset(cue for cue in _CONCRETE if len(cue) <= 3)
_CONCRETE_PREFIXES = tuple(cue for cue in _CONCRETE if len(cue) > 3)
_ARABIC_CLITICS = "وفبلك"
_WORD = re.compile(r"[^\s.,،؛;:!?؟\"'«»()\[\]\-–—/]+")


def _stems(word: str):
    """A word and, in Arabic, the word without a leading clitic (و ف ب ل ك) and article."""
    yield word
    if word[:1] in _ARABIC_CLITICS and len(word) > 3:
        rest = word[1:]
        yield rest
        if rest.startswith(("ال", "ل")) and len(rest) > 3:
            yield rest[2:] if rest.startswith("ال") else rest[1:]


def says_something(text: str | None) -> bool | None:
    """Whether a motive's evidence says something that could bear the motive out (G-MOT-1..6).

    None (unknown) when it is unknown, or only stands in for an answer: "yes", «نعم», "true",
    "ok", a placeholder ("…", "TBD", «لاحقاً»), fewer than MIN_EVIDENCE_WORDS words, or words
    with no concrete fact in them ("it will help us"): it does not say *what* shows it.
    False when nothing is said (blank, "no", «لا شيء»). True when it has at least
    MIN_EVIDENCE_WORDS words and a concrete fact: a number (digits in either script, or a
    number word), a rhythm (monthly), a name (a capitalised Latin word past the first), an
    institution or an action (_CONCRETE). A short test, not understanding: it keeps a bare
    "yes" from passing and asks what shows it (tests/test_motive_evidence.py).
    """
    if text is None:
        return None
    if not text.strip():
        return False
    said = normalise(text)  # empty for punctuation alone ("…", "-"): a placeholder
    if said in _NO_EVIDENCE:
        return False
    words = _WORD.findall(text)
    if not said or said in _STAND_INS or len(words) < MIN_EVIDENCE_WORDS:
        return None
    if re.search(r"\d", text) or any(w[:1].isupper() and w[:1].isascii() for w in words[1:]):
        return True
    stems = {stem for word in _WORD.findall(said) for stem in _stems(word)}
    return any(stem.startswith(_CONCRETE_PREFIXES) or stem in _CONCRETE_WORDS for stem in stems) or None


def _states(motive: str):
    """Pattern test: the alliance's motives are known and include ``motive``."""
    return P(lambda motives: motives is not None and motive in motives)


def _partners(engine) -> list:
    """The partner facts in working memory, in input order."""
    return sorted((f for f in engine.facts.values() if isinstance(f, Partner)), key=lambda f: f["index"])


def _sectors(partners: list) -> tuple:
    return tuple(p.get("sector") or "?" for p in partners)


def _judge_membership(alliance, engine, wanted: frozenset) -> Outcome:
    """Pass when some partner's sector is in ``wanted``; fail when every sector is known and none is;
    not assessed when the partners, or the sector that would decide, are unknown."""
    partners = _partners(engine) if alliance.get("partners_known") else None
    evidence = (("alliance.motives", alliance.get("motives")),
                ("partners[*].sector", None if partners is None else _sectors(partners)))
    if partners is None:
        return Outcome("not_assessed", evidence)
    sectors = [p.get("sector") for p in partners]
    if any(sector in wanted for sector in sectors):
        return Outcome("pass", evidence)
    return Outcome("not_assessed" if None in sectors else "fail", evidence)


class MotiveRules(RuleSet):

    @check("MO01", "motives-identified", guidance=["G-ALL-1"], dimension="motives_fit",
           when=[AS.alliance << Alliance()])
    def motives_identified(self, alliance):
        """The organisation should know why it is entering the alliance.

        "When organisations identify their motives for forming an alliance, that
        helps them find suitable partners" (G-ALL-1): an empty list of motives is
        a known gap, a missing one is unknown.
        """
        return require(alliance, "motives", lambda motives: len(motives) > 0)

    @check("MO02", "primary-motive-first", guidance=["G-MOT-7"],
           dimension="motives_fit", when=[AS.alliance << Alliance()])
    def primary_motive_first(self, alliance):
        """At least one stated motive should be a primary one, not only an incidental benefit.

        The guide lists six primary motives (numbers, internal strengthening,
        legitimacy and reach, mutual benefit, stability, cross-sector coordination:
        G-MOT-1..6); media attention, a wider audience and reach into civil society
        are "incidental or potential reasons that may not be the first motive but
        appear as the alliance develops" (the header of G-MOT-7..9, cited through
        G-MOT-7; each primary motive is tested by MO06). Does not apply when no
        motive is stated (MO01).
        """
        motives = alliance.get("motives")
        if motives is not None and len(motives) == 0:
            return None
        return require(alliance, "motives", lambda stated: bool(PRIMARY_MOTIVES.intersection(stated)))

    @check("MO03", "numbers-motive-has-members", guidance=["G-MOT-1"], dimension="motives_fit", memory=["Partner"],
           when=[AS.alliance << Alliance(motives=_states("numbers"))])
    def numbers_motive_has_members(self, alliance):
        """An alliance entered for strength in numbers needs several members.

        "Several organisations working together strengthen each member and the power
        to persuade" (G-MOT-1): with fewer than two partners besides us, the motive
        is not borne out.
        """
        partners = _partners(self) if alliance.get("partners_known") else None
        count = None if partners is None else len(partners)
        evidence = (("alliance.motives", alliance.get("motives")), ("partners", count))
        if count is None:
            return Outcome("not_assessed", evidence)
        return Outcome("pass" if count >= MIN_PARTNERS_FOR_NUMBERS else "fail", evidence, (("count", count),))

    @check("MO04", "cross-sector-motive-has-partner", guidance=["G-MOT-6"], dimension="motives_fit", memory=["Partner"],
           when=[AS.alliance << Alliance(motives=_states("cross_sector_coordination"))])
    def cross_sector_motive_has_partner(self, alliance):
        """An alliance entered for cross-sector coordination needs a government or private-sector member.

        Alliances "with other sectors (government bodies, private sector) allow
        better information exchange and coordination of strategies" (G-MOT-6): without
        such a member the motive cannot be met. (That an alliance *may* include them,
        G-ALL-4, is a possibility that sets nothing to check: background.)
        """
        return _judge_membership(alliance, self, CROSS_SECTOR)

    @check("MO05", "civil-society-reach", guidance=["G-MOT-9"], dimension="motives_fit", memory=["Partner"],
           when=[AS.alliance << Alliance()])
    def civil_society_reach(self, alliance):
        """Members from unions, universities, research centres, consumer organisations or media widen reach.

        Alliances with such civil-society groups "reach a wider public and deepen
        political and economic impact; this is also very important" (G-MOT-9).
        Reported as a strength when present, for information when absent.
        """
        return _judge_membership(alliance, self, CIVIL_SOCIETY_GROUPS)

    @check("MO06", "motive-borne-out", guidance=["G-MOT-1", "G-MOT-2", "G-MOT-3", "G-MOT-4", "G-MOT-5", "G-MOT-6"],
           dimension="motives_fit", when=[AS.motive << Motive()])
    def motive_borne_out(self, motive):
        """Each primary motive stated should come with what shows the alliance will deliver it.

        The guide's motives are claims about what an alliance does: strengthen each
        member and the power to persuade (G-MOT-1), build staff (G-MOT-2), lend
        legitimacy and reach (G-MOT-3), avoid duplicated work and competing for the
        same funds (G-MOT-4), share risk (G-MOT-5), coordinate strategies across
        sectors (G-MOT-6). A motive stated with nothing to show for it is a hope; "yes" or a
        word or two shows nothing either, so the check stays open, asking what shows it
        (says_something).
        """
        evidence = motive.get("evidence")
        said = says_something(evidence)
        cited = ((motive["path"], evidence),)
        if said is None and evidence is not None:  # an answer that says nothing yet: ask what shows it
            return Outcome("not_assessed", cited, (("evidence", evidence),), message="not_shown")
        return Outcome({True: "pass", False: "fail", None: "not_assessed"}[said], cited)

    @check("MO07", "one-strategy-agreed", guidance=["G-MOT-8"], dimension="motives_fit",
           when=[AS.alliance << Alliance(motives=_states("wider_audience"))])
    def one_strategy_agreed(self, alliance):
        """A wider audience comes from many parties agreeing one strategy.

        "When many parties agree on one strategy, the collective message spreads and
        can reach a wider audience" (G-MOT-8): the motive rests on that agreement.
        """
        return require(alliance, "one_strategy_agreed", lambda agreed: agreed is True,
                       params=(("agreed", alliance.get("one_strategy_agreed")),))
