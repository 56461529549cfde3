"""The languages are data (knowledge/languages.yaml): the knowledge's texts, the CLI's --lang, the web
app's language menu and the direction of every view read the one registry."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tahaluf import knowledge
from tahaluf.languages import Language, default_language, direction, language_codes, languages

ROOT = Path(__file__).resolve().parent.parent


def test_every_language_has_its_texts_in_the_knowledge():
    assert all(set(text.by_language()) == set(language_codes()) for text in knowledge.labels().values())
    assert default_language() == language_codes()[0]
    assert all(isinstance(language, Language) and language.quotes_beside in languages()
               for language in languages().values())


def test_directions_come_from_the_registry():
    assert direction("ar") == "rtl" and direction("en") == "ltr"


def test_the_cli_offers_every_language():
    shown = subprocess.run([sys.executable, str(ROOT / "cli.py"), "evaluate", "--help"], capture_output=True,
                           text=True, check=True).stdout
    assert "{" + ",".join(language_codes()) + "}" in shown


def test_the_web_menu_lists_every_other_language_by_its_own_name(tmp_path):
    pytest.importorskip("starlette")
    from starlette.testclient import TestClient

    from tahaluf.web.app import create_app

    with TestClient(create_app(tmp_path, workers=0), base_url="http://127.0.0.1") as client:
        for lang in language_codes():
            client.get(f"/lang/{lang}")
            page = client.get("/").text
            assert f'<html lang="{lang}" dir="{direction(lang)}"' in page
            for other, language in languages().items():
                link = f'href="/lang/{other}?next=%2F" lang="{other}">{language.name}</a>'
                assert (link in page) == (other != lang), (lang, other)


def test_every_language_is_named_in_the_catalogue():
    """A download names its language ("PDF (Arabic)"): each language has its name in every language."""
    assert {f"language.{code}" for code in language_codes()} <= set(knowledge.labels())


def test_a_text_must_give_every_registered_language_and_no_other(tmp_path, monkeypatch):
    """Texts are keyed by the registry's codes: one missing, or a code the registry does not know, is an
    error naming the file and the key."""
    with pytest.raises(ValueError, match="no text in ar"):
        knowledge.Texts.model_validate({"en": "Proceed"})
    with pytest.raises(ValueError, match="xx: not a field nor a language"):
        knowledge.Texts.model_validate({"en": "Proceed", "ar": "المضي", "xx": "⟦Proceed⟧"})
    labels = tmp_path / "labels.yaml"
    labels.write_text("verdict.proceed: {en: Proceed, ar: المضي قدماً, xx: Pröceed}\n", encoding="utf-8")
    monkeypatch.setattr(knowledge, "HERE", tmp_path)
    knowledge.labels.cache_clear()
    try:
        with pytest.raises(ValueError, match=r"labels\.yaml: verdict\.proceed: .*xx"):
            knowledge.labels()
    finally:
        knowledge.labels.cache_clear()


def test_plural_categories_come_from_cldr_for_every_language():
    assert knowledge.plural_categories("en") == ("one", "other")
    assert knowledge.plural_categories("ar") == ("zero", "one", "two", "few", "many", "other")


def test_the_template_is_found_by_the_registry():
    from tahaluf.catalogue import template_path
    from tahaluf.errors import UsageError

    assert template_path("en").name == "alliance-template.yaml"
    assert template_path("ar").name == "alliance-template.ar.yaml"
    with pytest.raises(UsageError, match="no language 'xx'"):
        template_path("xx")


def test_a_files_mistakes_are_said_in_the_readers_language(tmp_path):
    """The loader's messages are catalogue keys with parameters: English as before on the command line, the
    page's language on the web (the Arabic page shows Arabic errors), and they survive the worker pool."""
    import pickle

    from tahaluf.errors import InputError
    from tahaluf.loader import load_model
    from tahaluf.model import AllianceDocument

    text = "organisation: {name: X, foo: 1}\nalliance: {name: Y, stage: maybe}\n"
    (tmp_path / "broken.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_model(tmp_path / "broken.yaml", AllianceDocument)
    error = pickle.loads(pickle.dumps(caught.value))
    here = str(tmp_path) + "/"
    assert [line.replace(here, "") for line in error.lines] == ["broken.yaml:1: organisation.foo: unknown field",
                           "broken.yaml:2: alliance.stage: 'maybe' is not one of 'proposed' or 'existing' "
                           "(in Arabic: مقترح، قائم)"]
    assert [line.replace(here, "") for line in error.lines_in("ar")] == [
        "broken.yaml:1: organisation.foo: حقل غير معروف",
                                    "broken.yaml:2: alliance.stage: 'maybe' ليست من القيم المقبولة: 'proposed' "
                                    "أو 'existing' (بالعربية: مقترح، قائم)"]
    pytest.importorskip("starlette")
    from starlette.testclient import TestClient

    from tahaluf.web.app import create_app

    with TestClient(create_app(tmp_path, workers=0), base_url="http://127.0.0.1") as client:
        client.get("/lang/ar")
        assert "حقل غير معروف" in client.get("/a/broken.yaml").text
    shown = subprocess.run([sys.executable, "-m", "tahaluf", "evaluate", "--lang", "ar", str(tmp_path / "broken.yaml")],
                           capture_output=True, text=True, cwd=ROOT.parent)
    assert "حقل غير معروف" in shown.stderr


def test_numbers_are_written_as_each_language_writes_them():
    """Babel, by the registry's locale: the same as before for English and Arabic (12,000)."""
    assert knowledge.number(12000, "en") == "12,000" == knowledge.number(12000, "ar")


def test_a_rejected_rows_problem_is_written_in_the_screenings_language(tmp_path):
    from tahaluf.input_words import Said
    from tahaluf.screening.writers import ErrorSink

    with ErrorSink(tmp_path / "errors.csv", lang="ar") as sink:
        sink.add(3, "met", Said("error.missing"))
        sink.finish()
    assert sink.preview == [(3, "met", "حقل مطلوب غير موجود")]
