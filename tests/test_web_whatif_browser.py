"""The web what-if on a settled verdict in a real browser (Debian's chromium driven by Playwright),
English and Arabic: the red flag's fact is a toggle saying the verdict its other answer gives; a
click supposes it and the banner says what would change, in words; the file is untouched; no
console error. Screenshots kept as tests/test_web_browser.py keeps them (TAHALUF_SCREENSHOTS=dir)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

pytest.importorskip("starlette")
playwright = pytest.importorskip("playwright.sync_api")

from support import EXAMPLES, label  # noqa: E402
from test_diff_words import PARTNER, machine_words, question  # noqa: E402
from test_web_browser import ARGS, CHROMIUM, not_blank, page_in, screenshots  # noqa: E402

from tahaluf import knowledge  # noqa: E402

SETTLED = "private-sector-offer.yaml"
pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(),
                                reason="chromium is needed (see the README's test command)")


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_suppose_away_a_settled_red_flag_in_the_browser(server, tmp_path, lang):
    address, workspace = server
    workspace.mkdir(exist_ok=True)
    shutil.copy(EXAMPLES / SETTLED, workspace / SETTLED)
    before = (workspace / SETTLED).read_bytes()
    shots = screenshots(tmp_path)
    problems: list[str] = []
    about = label("interview.about_partner", lang).replace("{subject}", PARTNER)
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = page_in(browser, address, lang, problems)
        try:
            page.goto(address + f"a/{SETTLED}/report")
            assert page.get_attribute("html", "dir") == ("rtl" if lang == "ar" else "ltr")
            toggles = page.locator("#whatif details.toggles")
            assert toggles.get_attribute("open") is not None
            questions = [text.strip() for text in toggles.locator("p.toggle-question").all_inner_texts()]
            assert [re.sub(r"\s*\([^()]*\)$", "", text) for text in questions] == \
                [about.replace("{question}", question("partners[].private.timeline_agreed", lang))]
            more = page.locator("#whatif details.more")
            assert more.get_attribute("open") is None  # the rest, folded away
            page.locator("#whatif").screenshot(path=shots / f"whatif-settled-{lang}.png")
            shown = page.inner_text("#whatif")
            assert machine_words(shown, lang) == []

            gives = label("web.whatif.gives", lang).replace("{verdict}", label("verdict.conditions", lang))
            option = toggles.locator("a.toggle", has_text=gives)
            assert option.inner_text().startswith(label("label.yes", lang))
            option.click()
            page.wait_for_selector("#whatif div.hypothesis")
            banner = page.inner_text("#whatif div.hypothesis")
            assert label("verdict.conditions", lang) in page.inner_text("#whatif .hypothetical-verdict")
            assert machine_words(banner, lang) == []
            # From there, the goals are asked: suppose dated ones, and the red flag is resolved.
            page.locator("#whatif details.toggles a.toggle", has_text=label("whatif.answer.dated_goal", lang)).click()
            page.wait_for_selector("#whatif div.hypothesis")
            banner = page.inner_text("#whatif div.hypothesis")
            flag = knowledge.findings()["PR01"].message_for("no_timeline")(lang).replace("{subject}", PARTNER)
            assert label("diff.line.resolved", lang).replace("{text}", flag) in banner
            assert machine_words(banner, lang) == []
            page.locator("#whatif").screenshot(path=shots / f"whatif-supposed-{lang}.png")
            more.locator("summary").click()
            page.locator("#whatif").screenshot(path=shots / f"whatif-more-{lang}.png")
        finally:
            browser.close()
    assert (workspace / SETTLED).read_bytes() == before
    assert problems == []
    for shot in shots.glob(f"whatif-*-{lang}.png"):
        assert not_blank(shot), shot
