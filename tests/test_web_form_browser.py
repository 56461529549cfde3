"""The full form in a real browser (Debian's chromium driven by Playwright, against `tahaluf serve`):
in Arabic, fill a few fields, add a partner, save, and see the report reflect it; screenshots of
the form in both languages are checked non-blank, the Arabic one laid out right to left. Any
console error, page error or failed response fails the test."""

from __future__ import annotations

import shutil

import pytest

pytest.importorskip("starlette")
playwright = pytest.importorskip("playwright.sync_api")

from test_web_browser import ARGS, CHROMIUM, EXAMPLES, label, not_blank, pytestmark, screenshots, watch  # noqa: E402,F401

from tahaluf import knowledge  # noqa: E402
from tahaluf.evaluation import evaluate_file  # noqa: E402

EXAMPLE = "private-sector-offer.yaml"
NEW_PARTNER = "نقابة عمال المياه"


def test_the_full_form_in_arabic_fill_add_a_partner_save_and_see_the_report(server, tmp_path):
    address, workspace = server
    shutil.copy(EXAMPLES / EXAMPLE, workspace / EXAMPLE)
    shots = screenshots(tmp_path)
    problems: list[str] = []
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_context(viewport={"width": 1100, "height": 900}).new_page()
        watch(page, problems)
        try:
            # English first: the form from the question page's link
            page.goto(address + f"a/{EXAMPLE}")
            page.click("a.full-form-link")
            page.wait_for_selector("form.full-form")
            assert page.get_attribute("html", "dir") == "ltr"
            assert page.text_content("h1") == label("web.form", "en")
            page.screenshot(path=shots / "form-en.png")
            page.screenshot(path=shots / "form-full-en.png", full_page=True)

            page.click("a.lang")  # the same form, in Arabic
            page.wait_for_selector("html[dir=rtl] form.full-form")
            assert page.text_content("h1") == label("web.form", "ar")
            assert knowledge.fields()["organisation.name"].ar in page.text_content("#s-organisation")
            font = page.evaluate("getComputedStyle(document.documentElement).fontFamily")
            assert "Amiri" in font
            page.screenshot(path=shots / "form-ar.png")

            page.check('input[name="alliance.scope"][value="national"]')
            page.fill('textarea[name="organisation.decision_process"]', "يقرّر مجلس الإدارة بالتوافق")
            page.check('input[name="partners[0].met"][value="yes"]')
            page.click('button[value="add:partners"]')  # a new, empty row: nothing saved yet
            page.wait_for_selector('[name="partners[2].name"]')
            assert page.evaluate("document.activeElement.name") == "partners[2].name"  # it has the focus
            # what was filled before adding the row is still there
            assert page.is_checked('input[name="alliance.scope"][value="national"]')
            page.keyboard.type(NEW_PARTNER)
            page.select_option('select[name="partners[2].sector"]', "union")
            page.locator("#f-partners-2-").screenshot(path=shots / "form-new-partner-ar.png")
            page.click("button.primary >> nth=0")

            page.wait_for_selector("p.notice")
            assert page.text_content("p.notice").startswith(label("web.form.saved", "ar"))
            page.click("p.notice a")
            page.wait_for_selector("div.report")
            report = page.text_content("div.report")
            page.screenshot(path=shots / "form-report-ar.png")
        finally:
            browser.close()
    document = evaluate_file(workspace / EXAMPLE).document
    assert document.alliance.scope == "national" and document.partners[0].met is True
    assert document.organisation.decision_process == "يقرّر مجلس الإدارة بالتوافق"
    assert document.partners[2].name == NEW_PARTNER and document.partners[2].sector == "union"
    assert NEW_PARTNER in report
    assert problems == []
    for shot in shots.glob("form-*.png"):
        assert not_blank(shot), shot
