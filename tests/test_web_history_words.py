"""The web history page and the report page's "since" in a director's words (issue 22): a changed
fact as its question and answers in the page's language, a finding as its message ("Resolved: …"),
the rule code a small tag; never a path, a rule slug or "Not assessed → not checked"."""

from __future__ import annotations

import re
from html import unescape

import pytest
import yaml

pytest.importorskip("starlette")
pytest.importorskip("multipart")

from starlette.testclient import TestClient
from support import label, set_language, workspace_with
from test_diff_words import machine_words, review_changes

from tahaluf.web.app import create_app

EXAMPLE = "private-sector-offer.yaml"


def text_of(html: str) -> str:
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_history_page_words_what_changed(tmp_path, lang):
    workspace = workspace_with(tmp_path, EXAMPLE)
    client = TestClient(create_app(workspace))
    set_language(client, lang)
    assert client.get(f"/a/{EXAMPLE}/report").status_code == 200  # the first state, recorded
    path = workspace / EXAMPLE
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["partners"][0]["private"].update(timeline_agreed=True,
                                          goals=[{"goal": "12 clinics equipped", "by": "2027-12"}])
    data.setdefault("understanding", {})["goals_understood_by_all"] = False
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")

    page = client.get(f"/a/{EXAMPLE}/history")
    assert page.status_code == 200
    text = text_of(page.text)
    assert machine_words(text, lang) == []
    for line in review_changes(lang):
        assert line in text
    assert re.search(r'<small class="code">\s*PR01\s*</small>', page.text)  # the code, a tag

    report = text_of(client.get(f"/a/{EXAMPLE}/report").text)  # what changed since, on the report page
    since = report[report.index(label("web.history.since", lang).split("(")[0].strip()):]
    assert review_changes(lang)[-1] in since  # the red flag lifted
    assert machine_words(since[:2000], lang) == []
