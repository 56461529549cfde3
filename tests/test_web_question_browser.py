"""The web question page as a director reads it (issue 22), in a real browser (Debian's chromium
driven by Playwright), in English and Arabic: a consultation walked from a new assessment, a
partner added, "don't know" given to what could make it a red flag, until the page offers to stop.
On every page, the visible text shows no field path, rule slug or internal token (the path may
only sit behind the closed "details for the file" toggle); no two fields are asked with the same
text; the moving count ("question 3 of about 12 that could change the verdict") moves on by one
and grows only when an answer opened new questions (a partner, a section that now applies); the
offer to stop and the count use the terminal's words (knowledge/labels.yaml)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from test_interview_pty import machine_words
from test_web_browser import ARGS, CHROMIUM, label, not_blank, playwright, screenshots, watch

from tahaluf.consultation import consult
from tahaluf.loader import load_model
from tahaluf.model import AllianceDocument

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(),
                                reason="chromium is needed (see the README's test command)")

PARTNER = "Capital Bank CSR Foundation"
TYPED = {"en": {"alliance.purpose": "Cleaner water for the city", "partners": PARTNER,
                "organisation.core_objectives": "Clean water for all"},
         "ar": {"alliance.purpose": "مياه أنظف للمدينة", "partners": PARTNER,
                "organisation.core_objectives": "مياه نظيفة للجميع"}}
OTHER_TEXT = {"en": "none", "ar": "لا شيء"}
CHOSEN = {"partners[0].sector": "private", "alliance.stage": "proposed"}
MAX_QUESTIONS = 25


def count_of(text: str, lang: str) -> tuple[int, int] | None:
    """(n, about) from "Question n of about N that could change the verdict"; None when it only refines."""
    pattern = re.escape(label("interview.progress", lang)).replace(r"\{n\}", r"(\d+)").replace(r"\{total\}", r"(\d+)")
    found = re.search(pattern, text)
    return (int(found.group(1)), int(found.group(2))) if found else None


def opens_questions(file: Path, field: str) -> bool:
    """Whether an answer to ``field`` may open new questions (a partner, a section that now applies)."""
    question = consult(load_model(file, AllianceDocument)).question(field)
    return question is not None and question.opens


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_question_page_names_the_fact_by_its_question_counts_and_offers_to_stop(server, tmp_path, lang):
    address, workspace = server
    shots = screenshots(tmp_path)
    problems: list[str] = []
    asked: dict[str, str] = {}  # question text -> its field
    offer_seen = False
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_context(viewport={"width": 1100, "height": 900}).new_page()
        watch(page, problems)
        try:
            page.goto(address)
            if lang == "ar":
                page.click("a.lang")
            page.fill("input[name=organisation]", "منظمة الأمل" if lang == "ar" else "Hope NGO")
            page.fill("input[name=alliance]", "تحالف المياه" if lang == "ar" else "Clean Water Alliance")
            page.press("input[name=alliance]", "Enter")
            file = None
            before, opened = None, False
            for number in range(MAX_QUESTIONS):
                page.wait_for_selector("h1.question")
                file = file or next(workspace.glob("*.yaml"))
                visible = page.inner_text("main")
                assert not machine_words(visible), (number, sorted(set(machine_words(visible))))
                field = page.get_attribute("input[name=path]", "value")
                if "." in field or "[" in field:  # a path, not a word like "partners"
                    assert field not in visible, f"the path {field} is shown"
                text = page.inner_text("h1.question").strip()
                assert asked.setdefault(text, field) == field, f"{field} and {asked[text]} both read {text!r}"
                # The path is there for the file, behind a closed toggle.
                assert page.locator("details.for-the-file").get_attribute("open") is None
                assert field in page.text_content("details.for-the-file")
                count = count_of(page.inner_text("p.count"), lang)
                if count and before:
                    assert count[0] == before[0] + 1, (field, before, count)
                    assert count[1] <= before[1] or opened, f"the count grew from {before} to {count} at {field}"
                if number in (0, 3):
                    page.screenshot(path=shots / f"question-{number}-{lang}.png", full_page=True)
                if page.locator("div.offer").count():  # nothing left unasked could change the verdict
                    offer_seen = True
                    offer = page.inner_text("div.offer")
                    verdict = label(f"verdict.{consult(load_model(file, AllianceDocument)).verdict}", lang)
                    stays = label("interview.unchanged", lang).split("{verdict}")[0]
                    assert offer.startswith(stays) and verdict in offer, offer
                    assert label("web.offer", lang) in offer
                    page.screenshot(path=shots / f"offer-{lang}.png", full_page=True)
                    page.click("div.offer a.button")  # stop here: the report
                    page.wait_for_selector("div.report")
                    break
                opened = opens_questions(file, field)
                before = count if count else before
                if field.startswith("partners[0].private"):
                    page.click("button[value=dont_know]")  # passed: it still counts as asked
                    opened = False
                    continue
                if page.locator("input[name=answer][type=radio]").count():
                    value = CHOSEN.get(field, "no")
                    page.check(f"input[name=answer][value={value}]")
                elif page.locator("input[name=answer]").count():
                    page.fill("input[name=answer]", TYPED[lang].get(field, OTHER_TEXT[lang]))
                page.click("button.primary")
        finally:
            browser.close()
    assert offer_seen, "the page never offered to stop"
    assert len(asked) >= 8
    assert problems == []
    for shot in shots.glob(f"*-{lang}.png"):
        assert not_blank(shot), shot
