"""The question page's counts (issue 22): the side panel counts what the director can still be asked
(a "don't know" is not open to ask again), as the terminal's count does; and an answer that opens
questions says how many, in English and Arabic."""

from __future__ import annotations

import re

import pytest

pytest.importorskip("starlette")
pytest.importorskip("multipart")

from starlette.testclient import TestClient
from support import csrf_of, workspace_with

from tahaluf import knowledge
from tahaluf.consultation import consult
from tahaluf.files.alliance_file import AllianceFile
from tahaluf.progress import progress
from tahaluf.web.app import create_app

OPEN = "screening-org.yaml"  # not settled: many questions could still change the verdict


@pytest.fixture
def workspace(tmp_path):
    return workspace_with(tmp_path, OPEN)


@pytest.fixture
def client(workspace):
    return TestClient(create_app(workspace, workers=0))


def _post(client, page, **form):
    data = {"csrf": csrf_of(page.text), "version": re.search(r'name="version" value="([0-9a-f]{64})"', page.text)
            .group(1), **form}
    path = re.search(r'name="path" value="([^"]+)"', page.text)
    if path:
        data.setdefault("path", path.group(1))
    return client.post(f"/a/{OPEN}/answer", data=data, follow_redirects=False)


def _panel(page) -> str:
    return re.search(r'<p class="status">(.*?)</p>', page.text).group(1)


def test_the_panel_does_not_count_a_dont_know_as_open_to_ask(client, workspace):
    page = client.get(f"/a/{OPEN}")
    current = consult(AllianceFile.open(workspace / OPEN).document)
    first = current.questions[0]
    assert first in current.deciding and not current.settled
    assert knowledge.count_phrase("open_question", len(current.deciding), "en") in _panel(page)
    assert _post(client, page, action="dont_know").status_code == 303
    page = client.get(f"/a/{OPEN}")
    could = progress(current, {first.path}).could  # the terminal's count, from the same computation
    assert could == len(current.deciding) - 1
    assert knowledge.count_phrase("open_question", could, "en") in _panel(page)


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_adding_a_partner_says_how_many_questions_it_opens(client, workspace, lang):
    client.get(f"/lang/{lang}")
    before = consult(AllianceFile.open(workspace / OPEN).document)
    page = client.get(f"/a/{OPEN}")
    name = {"en": "Water Workers' Union", "ar": "نقابة عمال المياه"}[lang]
    assert _post(client, page, action="partner", partner=name).status_code == 303
    after = consult(AllianceFile.open(workspace / OPEN).document)
    new = [q for q in after.questions if q.path not in {q.path for q in before.questions}]
    assert new and all(q.partner == len(after.data["partners"]) - 1 for q in new)
    page = client.get(f"/a/{OPEN}")
    said = knowledge.labels()["interview.opened_partner"](lang).replace("{name}", name.replace("'", "&#39;")) \
        .replace("{questions}", knowledge.count_phrase("new_question", len(new), lang))
    assert said in page.text
    # Said once: the next page (nothing answered since) does not say it again.
    assert said not in client.get(f"/a/{OPEN}").text


def test_a_dont_know_opens_nothing_and_says_nothing(client):
    page = client.get(f"/a/{OPEN}")
    assert _post(client, page, action="dont_know").status_code == 303
    assert 'class="opened"' not in client.get(f"/a/{OPEN}").text
