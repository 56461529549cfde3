"""`tahaluf interview` driven through a real pseudo-terminal (pexpect), in English and in Arabic:
from nothing to a settled verdict, with why, back, skip, a Ctrl-C and a resume; then FILE is
checked as text (comments kept) and with `evaluate`."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys

import pexpect
import pytest
from support import ROOT

from tahaluf import knowledge
from tahaluf.consultation import consult
from tahaluf.rules import load_all
from tahaluf.rules.base import REGISTRY

TIMEOUT = 30


def _spawn(file, *options, cwd):
    env = {**os.environ, "PYTHONPATH": os.environ.get("PYTHONPATH", str(ROOT.parent)), "COLUMNS": "200"}
    return pexpect.spawn(sys.executable, ["-m", "tahaluf.cli", "interview", str(file), *options], cwd=str(cwd),
                         env=env, encoding="utf-8", timeout=TIMEOUT, dimensions=(50, 200))


def _evaluate(file) -> dict:
    out = subprocess.run([sys.executable, "-m", "tahaluf.cli", "evaluate", str(file), "--format", "json"],
                         capture_output=True, text=True, check=True, env=os.environ)
    return json.loads(out.stdout)


def _opened(data: dict, **added) -> int:
    """How many questions adding ``added`` to ``data`` opens (none of them open before)."""
    before = {q.path for q in consult(data).questions}
    return sum(1 for q in consult({**data, **added}).questions if q.path not in before)


def test_an_interview_in_english_from_nothing_to_a_settled_verdict(tmp_path):
    file = tmp_path / "alliance.yaml"
    child = _spawn(file, cwd=tmp_path)
    child.expect("organisation's name")
    child.sendline("Hope NGO")
    child.expect("alliance's name")
    child.sendline("Clean Air Alliance")
    child.expect("What is the shared issue")  # what the alliance is for comes first
    child.sendline("skip")
    child.expect(r"> ")
    child.sendline("back")  # the skipped question is asked again
    child.expect("What is the shared issue")
    child.sendline("partner")
    child.expect("new partner's name")
    child.sendline("Acme Cement")
    child.expect("Partner added")
    names = {"organisation": {"name": "Hope NGO"}, "alliance": {"name": "Clean Air Alliance"}}
    opened = _opened(names, partners=[{"name": "Acme Cement"}])
    child.expect(f"Adding Acme Cement opens {opened} new questions about it")
    child.expect("What is the shared issue")
    child.sendline("?")
    child.expect("Which sector does Acme Cement belong to")
    child.sendline("3")
    # A company: what could make it a red flag comes at once, before the rest of what the alliance is for.
    child.expect("About Acme Cement: Have specific goals been agreed with it")
    child.sendline("?")
    while child.expect(["About Acme Cement", "What are your core objectives"]) == 0:
        child.sendline("?")
    child.sendline("Clean air")  # our core objectives, before anything is asked of us
    child.expect("Will the alliance ask any concession of you")
    child.sendline("why")
    child.expect("G-PAR-3")  # the guide's words
    child.expect("Each answer would give")
    child.sendline("no")
    child.expect("Verdict so far")
    child.expect("> ")
    # Ctrl-C in the middle: every answer given is in the file already.
    child.sendintr()
    child.expect("Saved in")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130 or child.signalstatus == signal.SIGINT
    text = file.read_text(encoding="utf-8")
    assert "concessions: []" in text and "sector: private" in text
    # The director adds a note of their own; the resumed interview keeps it.
    file.write_text("# checked with the board on Monday\n" + text, encoding="utf-8")

    child = _spawn(file, cwd=tmp_path)
    child.expect("What is the shared issue")  # resumed where the file stands: "don't know" is asked again
    child.sendline("?")
    child.expect("About Acme Cement: Have specific goals been agreed with it")
    child.sendline("perhaps")
    child.expect("Not understood")
    child.sendline("no")
    child.expect("The verdict is settled: Do not proceed as proposed")
    child.expect("Stop here")
    child.sendline("s")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    text = file.read_text(encoding="utf-8")
    assert text.startswith("# checked with the board on Monday\n")
    report = _evaluate(file)
    assert report["verdict"] == "do_not_proceed"
    assert any(step["rule"] == "PR01" and step["kind"] == "red_flag" for step in report["next_steps"])


def test_an_interview_in_arabic(tmp_path):
    file = tmp_path / "تحالف.yaml"
    child = _spawn(file, "--lang", "ar", cwd=tmp_path)
    child.expect("اسم منظمتكم")
    child.sendline("منظمة الأمل")
    child.expect("اسم التحالف")
    child.sendline("تحالف الهواء النظيف")
    child.expect("ما القضية المشتركة")
    child.sendline("؟")
    child.expect("مَن الشركاء")
    child.sendline("لا")  # none
    child.expect("ما أهدافكم المركزية")  # before anything is asked of us
    child.sendline("الهواء النظيف")
    child.expect("هل سيطلب التحالف منكم أي تنازل")
    child.sendline("نعم")
    child.expect("ما التنازل المطلوب منكم")
    child.sendline("تليين بياناتنا")
    ours = {"organisation": {"name": "منظمة الأمل", "core_objectives": ["الهواء النظيف"]},
            "alliance": {"name": "تحالف الهواء النظيف"}, "partners": []}
    count = _opened(ours, concessions=[{"what": "تليين بياناتنا"}])
    child.expect("يفتح التنازل «تليين بياناتنا» " + knowledge.count_phrase("new_question", count, "ar") + " بشأنه")
    child.expect("الحكم حتى الآن")
    child.expect("هل يمس التنازل «تليين بياناتنا»")
    child.sendline("لماذا")
    child.expect("G-PAR-3")
    child.expect("ما تؤدي إليه كل إجابة")
    child.sendline("تخطَّ")
    child.expect("يبقى الحكم")  # the only question that could change it was passed: said, and stopping offered
    child.expect("التوقف هنا")
    child.sendline("م")
    child.expect("> ")
    child.sendline("رجوع")
    child.expect("هل يمس التنازل «تليين بياناتنا»")
    child.sendline("نعم")  # it touches a core objective: a red flag no other answer can lift
    child.expect("الحكم محسوم: عدم المضي قدماً")
    child.sendline("ت")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    report = _evaluate(file)
    assert report["verdict"] == "do_not_proceed"
    text = file.read_text(encoding="utf-8")
    assert "منظمة الأمل" in text and "touches_core_objective: true" in text


def test_an_edit_by_another_program_between_two_answers_is_kept_and_the_question_asked_again(tmp_path):
    """Issue 21, 7: before each write the file's hash is compared with the one last read; a change
    made meanwhile is read again, said, and the answer asked for again (nothing overwritten)."""
    import shutil

    import yaml

    file = tmp_path / "alliance.yaml"
    shutil.copy(ROOT / "examples" / "core-concession.yaml", file)
    child = _spawn(file, cwd=tmp_path)
    child.expect("Stop here")
    child.sendline("g")
    child.expect("planned from the start")
    child.sendline("yes")
    child.expect("Who is responsible for monitoring")
    child.expect("> ")
    # Another program edits the file between the two answers.
    text = file.read_text(encoding="utf-8")
    file.write_text(text.replace("name: National Anti-Corruption Coalition", "name: Edited Elsewhere"),
                    encoding="utf-8")
    child.sendline("Amal Haddad")
    child.expect("was changed by another program")
    child.expect("Who is responsible for monitoring")  # asked again, on the file as the other program left it
    child.sendline("Amal Haddad")
    child.expect("> ")  # the next question: the answer was written this time
    child.sendline("quit")
    child.expect(pexpect.EOF)
    child.close()
    data = yaml.safe_load(file.read_text(encoding="utf-8"))
    assert data["alliance"]["name"] == "Edited Elsewhere"
    assert data["monitoring"]["planned_from_start"] is True and data["monitoring"]["owner"] == "Amal Haddad"


# What the director must never see (issue 22): a field path, a rule's slug, a settledness token.
PATH_LIKE = (re.compile(r"[a-z_]+\[\d+\]"), re.compile(r"\w+\.\w+_\w+"))
TOKENS = ("fixed_red_flag", "red_flag_open", "fixed_condition", "red_flag_possible", "conditions_open",
          "nothing_open", "proceed_open", "no_path_found")


def machine_words(text: str) -> list[str]:
    load_all()
    found = [m.group(0) for pattern in PATH_LIKE for m in pattern.finditer(text)]
    found += [spec.name for spec in REGISTRY.values() if spec.name in text]
    return found + [token for token in TOKENS if token in text]


def _walk_to_the_end(file, lang, cwd) -> str:
    """Every question answered "don't know" (the first few asked why first), the offer to stop declined:
    the whole consultation, as the terminal showed it."""
    offer, go_on = {"en": ("Stop here", "g"), "ar": ("التوقف هنا", "م")}[lang]
    child = _spawn(file.name, "--lang", lang, cwd=cwd)  # a relative name: the temporary folder is no path to see
    shown, asked = [], 0
    while True:
        index = child.expect([r"\) > ", offer, pexpect.EOF], timeout=60)
        shown.append(child.before + (child.after if isinstance(child.after, str) else ""))
        if index == 2:
            break
        if index == 1:
            child.sendline(go_on)
            continue
        asked += 1
        if asked <= 3 and not shown[-1].rstrip().endswith(("why", "لماذا")):
            child.sendline("why" if lang == "en" else "لماذا")
            child.expect(r"\) > ")
            shown.append(child.before)
        child.sendline("?")
    child.close()
    assert child.exitstatus == 0
    assert asked > 10, "the walk should go through the consultation"
    return "".join(shown)


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_whole_consultation_shows_no_path_slug_or_token(tmp_path, lang):
    file = tmp_path / "alliance.yaml"
    file.write_text((ROOT / "examples" / "private-sector-offer.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    shown = _walk_to_the_end(file, lang, tmp_path)
    assert ("No more questions" if lang == "en" else "لا مزيد من الأسئلة") in shown
    assert not machine_words(shown), sorted(set(machine_words(shown)))


def test_the_check_for_machine_words_sees_them():
    assert machine_words("Fact: partners[0].private.goals (conditions_open)") == ["partners[0]", "conditions_open"]
    assert machine_words("common-goal-stated") == ["common-goal-stated"]
    assert machine_words("Fact: monitoring.owner_role_defined") == ["monitoring.owner_role_defined"]
    assert not machine_words("PR01 · could decide a red flag")
