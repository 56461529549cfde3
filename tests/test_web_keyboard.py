"""One full path through the web app with the keyboard alone, in a real browser (Debian's chromium
driven by Playwright): from the list of assessments, a new one, the consultation to a settled verdict,
and the report, with only Tab, Shift+Tab, Enter, Space, the arrow keys and typing; never a click. At
every step the focused element shows it (a :focus-visible outline); the first Tab of a page reaches
the skip link, and the skip link the page's main control."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_web_browser import ARGS, CHROMIUM, label, not_blank, playwright, screenshots, watch

from tahaluf.evaluation import evaluate_file

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(),
                                reason="chromium is needed (see the README's test command)")

# What has the focus, and whether it shows: a :focus-visible element with an outline (or a ring) drawn.
FOCUS = """() => {
  const e = document.activeElement;
  if (!e || e === document.body || e === document.documentElement) return null;
  const s = getComputedStyle(e);
  return {tag: e.tagName.toLowerCase(), name: e.getAttribute("name") || "", value: e.value || "",
          cls: e.className || "", type: e.getAttribute("type") || "", href: e.getAttribute("href") || "",
          text: (e.textContent || "").trim().slice(0, 60), inMain: !!e.closest("main"),
          visible: e.matches(":focus-visible"),
          drawn: (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2) || s.boxShadow !== "none"};
}"""
MAX_TABS = 60


class Keyboard:
    """The page driven by keys only, checking after each key that the focus is visible."""

    def __init__(self, page):
        self.page, self.trail = page, []

    def focus(self) -> dict | None:
        focused = self.page.evaluate(FOCUS)
        if focused is not None:
            self.trail.append(focused)
            assert focused["visible"] and focused["drawn"], f"focus not visible on {focused}"
        return focused

    def press(self, key: str) -> dict | None:
        self.page.keyboard.press(key)
        return self.focus()

    def type(self, text: str) -> None:
        self.page.keyboard.type(text)
        self.focus()

    def tab_to(self, wanted, backwards: bool = False) -> dict:
        """Tab (or Shift+Tab) until the focused element is the one ``wanted(focused)`` accepts."""
        for _ in range(MAX_TABS):
            focused = self.press("Shift+Tab" if backwards else "Tab")
            if focused is not None and wanted(focused):
                return focused
        raise AssertionError(f"not reached with the keyboard in {MAX_TABS} tabs; last: {self.trail[-3:]}")

    def submit(self, key: str = "Enter") -> None:
        with self.page.expect_navigation():
            self.page.keyboard.press(key)
        self.page.wait_for_load_state()
        self.focus()


# Typed answers, by the question's field (a list's items separated by ";"; "none" for an empty list).
TYPED = {"en": {"alliance.purpose": "Cleaner water for the city", "partners": "none",
                "organisation.core_objectives": "Clean water for all"},
         "ar": {"alliance.purpose": "مياه أنظف للمدينة", "partners": "لا شيء",
                "organisation.core_objectives": "مياه نظيفة للجميع"}}
OTHER_TEXT = {"en": "none", "ar": "لا شيء"}
MAX_QUESTIONS = 12


def walk_to_settled(page, keys: Keyboard, lang: str, shots: Path) -> set[str]:
    """Answer whatever the consultation asks, by keys, until the verdict is settled: a typed answer
    in a text field; on a yes/no or a choice, Space picks the focused first answer and the arrows
    move (the first time: down, up, down; so "no" to a yes/no), and the first time Shift+Tab comes
    back from the buttons. Returns which of those checks were made."""
    settled = label("interview.settled", lang).split("{verdict}")[0]
    checked: set[str] = set()
    for number in range(MAX_QUESTIONS):
        if page.text_content("aside.panel .status").startswith(settled):
            return checked
        assert page.locator("h1.question").count() == 1
        field = page.get_attribute("input[name=path]", "value")
        focused = keys.focus()
        assert focused and focused["name"] in ("answer", "pick") and focused["inMain"], (field, focused)
        if number == 0:
            page.screenshot(path=shots / f"keyboard-question-{lang}.png")
        if focused["type"] == "radio":
            first = focused["value"]
            keys.press("Space")
            assert page.is_checked(f"input[name=answer][value={first}]")
            if "arrows" not in checked:
                second = keys.press("ArrowDown")["value"]
                assert second != first and page.is_checked(f"input[name=answer][value={second}]")
                keys.press("ArrowUp")
                assert page.is_checked(f"input[name=answer][value={first}]")
                checked |= {"space", "arrows"}
            keys.press("ArrowDown")
        elif focused["type"] != "checkbox":  # none ticked is none
            keys.type(TYPED[lang].get(field, OTHER_TEXT[lang]))
        if "shift_tab" not in checked:
            # Shift+Tab comes back to the answer button from the others: the order runs both ways.
            keys.tab_to(lambda f: f["tag"] == "button" and f["value"] == "dont_know")
            assert keys.tab_to(lambda f: f["value"] == "answer", backwards=True)["tag"] == "button"
            checked.add("shift_tab")
        else:
            keys.tab_to(lambda f: f["tag"] == "button" and f["value"] == "answer")
        keys.submit()
    raise AssertionError(f"not settled after {MAX_QUESTIONS} questions")


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_full_path_with_the_keyboard_alone(server, tmp_path, lang):
    address, workspace = server
    shots = screenshots(tmp_path)
    problems: list[str] = []
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_context(viewport={"width": 1100, "height": 900}).new_page()
        watch(page, problems)
        keys = Keyboard(page)
        try:
            page.goto(address)
            # The first Tab reaches the skip link; it leads to the main control, past the site's links.
            first = keys.press("Tab")
            assert first["cls"] == "skip" and first["href"] == "#main", first
            page.screenshot(path=shots / f"keyboard-skip-link-{lang}.png")
            if lang == "ar":  # the language switch, in the bar, by keyboard too
                keys.tab_to(lambda f: f["cls"] == "lang")
                keys.submit()
                assert page.get_attribute("html", "dir") == "rtl"
                assert keys.press("Tab")["cls"] == "skip"
            keys.press("Enter")
            main_control = keys.press("Tab")
            assert main_control["inMain"] and main_control["name"] == "organisation", main_control
            keys.type("منظمة الأمل" if lang == "ar" else "Hope NGO")
            assert keys.press("Tab")["name"] == "alliance"
            keys.type("تحالف المياه" if lang == "ar" else "Clean Water Alliance")
            page.screenshot(path=shots / f"keyboard-new-{lang}.png")
            keys.submit()  # Enter in the last field submits the form

            # The consultation, answered by each question's field, whatever it asks first; its first
            # answer has the focus already (autofocus), visibly. A list is typed ("none" for none).
            checked = walk_to_settled(page, keys, lang, shots)
            assert checked == {"arrows", "space", "shift_tab"}, checked

            verdict = evaluate_file(next(workspace.glob("*.yaml"))).verdict
            status = page.text_content("aside.panel .status")
            assert status.startswith(label("interview.settled", lang).split("{verdict}")[0]), status
            assert label(f"verdict.{verdict}", lang) in status
            page.screenshot(path=shots / f"keyboard-settled-{lang}.png")

            keys.tab_to(lambda f: f["href"].endswith("/report") and f["cls"] == "button")
            keys.submit()
            page.wait_for_selector("div.report")
            assert label(f"verdict.{verdict}", lang) in page.text_content("div.report .verdict-label")
            # The report's own controls are reachable too: the skip link, then the downloads.
            assert keys.press("Tab")["cls"] == "skip"
            keys.press("Enter")
            download = keys.press("Tab")
            assert download["inMain"] and "/download/pdf/" in download["href"], download
            page.screenshot(path=shots / f"keyboard-report-{lang}.png")
        finally:
            browser.close()
    assert problems == []
    assert len(keys.trail) > 15 and all(step["visible"] and step["drawn"] for step in keys.trail)
    for shot in shots.glob(f"keyboard-*-{lang}.png"):
        assert not_blank(shot), shot
