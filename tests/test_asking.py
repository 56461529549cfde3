"""asking.py on its own: how a question is worded, how an answer's words are read (English and Arabic),
and the one undo history (Passage) the terminal interview and the web question page both keep."""

from __future__ import annotations

import pickle

import pytest

from tahaluf import knowledge
from tahaluf.asking import (
    DONT_KNOW_ANSWER,
    Passage,
    command_of,
    count_line,
    parse_answer,
    question_text,
    question_view,
    wants_stop,
)
from tahaluf.consultation import consult, value_at
from tahaluf.files.alliance_file import AllianceFile
from tahaluf.progress import progress

LABELS = {lang: {key: text(lang) for key, text in knowledge.labels().items()} for lang in ("en", "ar")}
START = {"organisation": {"name": "Hope NGO", "core_objectives": ["Clean air"]},
         "alliance": {"name": "Clean Air Alliance", "stage": "proposed"},
         "partners": [{"name": "Acme"}]}


def _question(data, path):
    question = consult(data).question(path)
    assert question is not None, path
    return question


def _no_concession():
    raise AssertionError("no concession to name")


# Wording -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_choice_question_is_worded_with_its_partner_and_its_choices_in_the_readers_language(lang):
    current = consult(START)
    question = current.question("partners[0].sector")
    where = progress(current)
    view = question_view(question, where, current.data, lang, LABELS[lang])
    assert view.path == "partners[0].sector" and "Acme" in view.text
    assert view.text == question_text(question, current.data, lang, LABELS[lang])
    assert [option.value for option in view.options] == list(question.choices)
    assert view.options[0].label == LABELS[lang][f"sector.{question.choices[0]}"]  # «منظمة غير حكومية», not "ngo"
    assert view.format == "choice" and view.format_hint == LABELS[lang]["interview.format.choice"]
    assert view.consequence == LABELS[lang]["interview.consequence." + question.consequence]
    assert view.count == count_line(where, LABELS[lang], lang)


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_count_line_says_the_questions_number_when_it_could_change_the_verdict_else_how_many_refine(lang):
    current = consult(START)
    deciding = progress(current)
    assert deciding.deciding, "a fresh assessment's first question could change the verdict"
    assert count_line(deciding, LABELS[lang], lang) == LABELS[lang]["interview.progress"].replace(
        "{n}", "1").replace("{total}", str(deciding.total))
    refining = progress(current, {q.path for q in current.questions})  # every question passed
    assert refining.question is None and not refining.deciding
    assert count_line(refining, LABELS[lang], lang) == LABELS[lang]["interview.refining"].replace(
        "{questions}", knowledge.count_phrase("remaining_question", 0, lang))


# Reading answers ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang,yes,no,dont_know", [("en", "Yes", "n", "don't know"), ("ar", "نعم", "لا", "لا أعرف"),
                                                   ("ar", "ن", "لا", "؟")])
def test_yes_no_and_dont_know_in_english_and_arabic(lang, yes, no, dont_know):
    question = _question(START, "monitoring.planned_from_start")
    assert question.kind == "bool"
    assert parse_answer(question, yes, LABELS[lang], _no_concession) is True
    assert parse_answer(question, no, LABELS[lang], _no_concession) is False
    assert parse_answer(question, dont_know, LABELS[lang], _no_concession) is DONT_KNOW_ANSWER
    assert parse_answer(question, "", LABELS[lang], _no_concession) is DONT_KNOW_ANSWER
    assert parse_answer(question, "perhaps", LABELS[lang], _no_concession) is None  # not understood: asked again


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_choice_is_read_by_its_number_its_code_or_its_label(lang):
    question = _question(START, "partners[0].sector")
    first = question.choices[0]
    for words in ("1", first, LABELS[lang][f"sector.{first}"]):
        assert parse_answer(question, words, LABELS[lang], _no_concession) == first, words
    assert parse_answer(question, str(len(question.choices) + 1), LABELS[lang], _no_concession) is None


def test_a_concession_asks_what_it_is_and_none_is_no():
    question = _question(START, "concessions")
    assert parse_answer(question, "نعم", LABELS["ar"], lambda: " Silence on prices ") == [{"what": "Silence on prices"}]
    assert parse_answer(question, "لا", LABELS["ar"], _no_concession) == []


@pytest.mark.parametrize("text,command", [("why", "why"), (" BACK ", "back"), ("رجوع", "back"), ("تخطى", "skip"),
                                          ("خروج", "quit"), ("إضافة شريك", "partner"), ("yes", None)])
def test_commands_are_read_in_either_language(text, command):
    assert command_of(text) == command


def test_the_offer_to_stop_is_taken_in_either_language():
    assert wants_stop("S") and wants_stop("ت") and wants_stop("توقف")
    assert not wants_stop("g") and not wants_stop("")


# The one undo history ----------------------------------------------------------------------------------

@pytest.fixture
def store(tmp_path):
    made = AllianceFile.create(str(tmp_path / "a.yaml"), "Hope NGO", "Clean Air Alliance")
    made.set(("partners",), [{"name": "Acme"}])
    return made


def test_back_undoes_answers_skips_and_partners_newest_first(store):
    passage = Passage()
    current = consult(store.document)
    first, second = current.questions[0], current.questions[1]
    value = parse_answer(first, "1" if first.choices else "yes", LABELS["en"], lambda: "A concession")
    assert passage.answer(store, first, value) == "answered"
    assert value_at(store.data, first.parts) is not None
    passage.pass_over(second)
    assert passage.answer(store, second, DONT_KNOW_ANSWER) == "dont_know"
    passage.add_partner(store, "شركة الأمل")
    assert [p["name"] for p in store.data["partners"]] == ["Acme", "شركة الأمل"]
    assert second.path in passage.passed

    assert passage.back(store)  # the partner added
    assert [p["name"] for p in store.data["partners"]] == ["Acme"]
    assert passage.back(store) and passage.back(store)  # "don't know", then skip: asked again
    assert second.path not in passage.passed
    assert value_at(store.data, first.parts) is not None
    assert passage.back(store)  # the first answer: unknown again, as it was
    assert value_at(store.data, first.parts) is None
    assert not passage.back(store) and not passage.history  # nothing left to undo
    assert first.path in {q.path for q in consult(store.document).questions}


def test_an_answer_that_does_not_fit_is_neither_written_nor_remembered(store):
    from tahaluf.errors import InputError

    passage = Passage()
    question = consult(store.document).question("partners[0].sector")
    with pytest.raises(InputError):
        passage.answer(store, question, "not a sector")
    assert passage.history == [] and value_at(store.data, question.parts) is None


def test_the_progress_counts_a_question_that_could_change_the_verdict_once(store):
    passage = Passage()
    current = consult(store.document)
    where = passage.progress(current)
    assert where.deciding and passage.asked == {where.question.path}
    assert passage.progress(current).number == where.number  # shown again: the same number


def test_the_web_keeps_the_same_passage_and_it_crosses_to_a_worker(store):
    from tahaluf.cli_interview import Session
    from tahaluf.web.security import FileState

    state = FileState()
    assert isinstance(state, Passage) and isinstance(Session(store, "en", input, print).passage, Passage)
    state.pass_over(consult(store.document).questions[0])
    after = pickle.loads(pickle.dumps(state))  # work.answer runs in a worker process
    assert after.history == state.history and after.passed == state.passed


# answers.py's lexicon: the words a file may hold are words the interview reads too --------------------

@pytest.mark.parametrize("words,value", [("أجل", True), ("ليس بعد", False), ("غير معروف", DONT_KNOW_ANSWER),
                                         ("نَعَم.", True), ("لا ندري", DONT_KNOW_ANSWER)])
def test_a_yes_no_answer_in_any_of_the_lexicons_words(words, value):
    question = _question(START, "monitoring.planned_from_start")
    assert parse_answer(question, words, LABELS["ar"], _no_concession) is value


@pytest.mark.parametrize("words,value", [("جمعية", "ngo"), ("القطاع العام", "government"), ("شركة خاصة", "private")])
def test_a_choice_in_any_of_the_lexicons_words(words, value):
    question = _question(START, "partners[0].sector")
    assert parse_answer(question, words, LABELS["ar"], _no_concession) == value


def test_a_lexicon_word_for_a_value_the_question_does_not_offer_is_not_understood():
    question = _question(START, "partners[0].sector")
    assert parse_answer(question, "مرتفع", LABELS["ar"], _no_concession) is None  # a level, not a sector
