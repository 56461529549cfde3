"""Arabic answers (issue 9, item 4): نعم / لا / لا أعرف and every fixed choice, wherever the model expects one.

Every pair below is the same document answered in English and in Arabic, evaluated by a
real engine; the Arabic one must validate to the same document and give the same verdict
and findings. The fields and values are found by walking the model, so a field added
later without Arabic forms in knowledge/answers.yaml fails here.
"""

from __future__ import annotations

import copy
import csv
import json
import re
import types
import typing
from pathlib import Path

import openpyxl
import pytest
import yaml
from pydantic import BaseModel, ValidationError
from support import EXAMPLES, build_document

from tahaluf import answers, knowledge
from tahaluf.cli import main
from tahaluf.errors import InputError
from tahaluf.evaluation import evaluate_document, evaluate_file
from tahaluf.loader import SourceMap, load_yaml, read_text, validate
from tahaluf.model import AllianceDocument, Evidence, Strict
from tahaluf.reports.render import render_report

RULE_FIXTURES = sorted((Path(__file__).parent / "rules").glob("*.yaml"))
ENGLISH_EXAMPLES = sorted(p for p in EXAMPLES.glob("*.yaml") if not p.name.endswith(".ar.yaml"))
ARABIC_EXAMPLE = EXAMPLES / "climate-labour-alliance.ar.yaml"
TEMPLATES = {lang: knowledge.HERE / name for lang, name in
             (("en", "alliance-template.yaml"), ("ar", "alliance-template.ar.yaml"))}


# Walking the model ---------------------------------------------------------------------------


def _alternatives(annotation):
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        yield from _alternatives(typing.get_args(annotation)[0])
    elif origin in (typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            yield from _alternatives(arg)
    else:
        yield annotation


def submodels(annotation) -> list[tuple[type[BaseModel], bool]]:
    """The models a field holds, each with whether it holds a list of them."""
    found = []
    for leaf in _alternatives(annotation):
        if isinstance(leaf, type) and issubclass(leaf, BaseModel):
            found.append((leaf, False))
        elif typing.get_origin(leaf) is list:
            found += [(model, True) for model, _ in submodels(typing.get_args(leaf)[0])]
    return found


def all_models() -> list[type[BaseModel]]:
    """Every model reachable from the document, and every Strict model defined at all."""
    seen, todo = [], [AllianceDocument]
    stack = [Strict]
    while stack:
        for sub in stack.pop().__subclasses__():
            todo.append(sub)
            stack.append(sub)
    while todo:
        model = todo.pop()
        if model in seen:
            continue
        seen.append(model)
        for info in model.model_fields.values():
            todo += [sub for sub, _ in submodels(info.annotation)]
    return seen


def answer_sites(model=AllianceDocument, path: tuple = ()):
    """(path, model, field, spec) of every fixed-answer field under ``model``; '*' marks a list."""
    specs = answers.answer_fields(model)
    for name, info in model.model_fields.items():
        if name in specs:
            yield path + (name,), model, name, specs[name]
        for sub, many in submodels(info.annotation):
            yield from answer_sites(sub, path + (name, *(("*",) if many else ())))


SITES = list(answer_sites())
SPECS = {path: spec for path, _, _, spec in SITES}
CHOICE_SITES = [(path, value) for path, _, _, spec in SITES
                for value in sorted(v for v in spec.values if isinstance(v, str))]


def shaped(path: tuple, answer):
    """One answer as the field holds it: alone, in a list, or as a mapping's key."""
    spec = SPECS[path]
    return [answer] if spec.many else ({answer: "what shows it"} if spec.keyed else answer)


def forms(value) -> list[str]:
    """Every Arabic form the lexicon gives a value (True / False / None: yes / no / don't know)."""
    lexicon = answers.lexicon()
    table = lexicon.yes_no.items() if value is None or isinstance(value, bool) else lexicon.choices.items()
    return [lexicon.spelling[key] for key, meaning in table
            if meaning is value or (isinstance(value, str) and meaning == value)]


def spelling_variants(form: str) -> list[str]:
    """How a director may type the form: as listed; casual letters; tatweel, harakat, spaces and a full stop;
    a Persian keyboard."""
    casual = form.translate(str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ة": "ه", "ى": "ي"}))
    first, *rest = form.split()
    stretched = first[0] + "\u0640" + first[1:] if len(first) > 1 else first
    decorated = "  " + "   ".join([stretched, *rest]) + "\u064e. "
    persian = form.replace("ي", "\u06cc").replace("ك", "\u06a9")
    return [form, casual, decorated, persian]


def minimal(model: type[BaseModel]) -> dict:
    """The required fields of ``model``, filled in."""
    data = {}
    for name, info in model.model_fields.items():
        if not info.is_required():
            continue
        spec = answers.answer_fields(model).get(name)
        subs = submodels(info.annotation)
        if spec is not None:
            data[name] = sorted(map(str, spec.values))[0]
        elif subs:
            data[name] = [minimal(subs[0][0])] if subs[0][1] else minimal(subs[0][0])
        else:
            data[name] = "organisation.name" if model is Evidence and name == "fact" else "x"  # a fact's path
    return data


class Translator:
    """English answers in a plain document -> Arabic ones, cycling through forms and spellings."""

    ENGLISH_BOOLS = {True: True, False: False, "yes": True, "no": False, "true": True, "false": False}

    def __init__(self):
        self.turn = 0

    def answer(self, value, spec):
        if True in spec.values and value in self.ENGLISH_BOOLS:
            value = self.ENGLISH_BOOLS[value]
        options = [variant for form in forms(value) for variant in spelling_variants(form)]
        if not options:
            return value  # not an answer the lexicon knows: a wrong value stays wrong
        self.turn += 1
        return options[self.turn % len(options)]

    def document(self, data, model=AllianceDocument):
        if isinstance(data, list):
            return [self.document(item, model) for item in data]
        if not isinstance(data, dict):
            return data
        specs, out = answers.answer_fields(model), {}
        for key, value in data.items():
            spec, info = specs.get(key), model.model_fields.get(key)
            if spec is not None:
                if spec.many and isinstance(value, list):
                    out[key] = [self.answer(item, spec) for item in value]
                elif spec.keyed and isinstance(value, dict):
                    out[key] = {self.answer(item, spec): text for item, text in value.items()}
                else:  # None included: "don't know" is the same as leaving it out
                    out[key] = self.answer(value, spec) if value is not None or spec.optional else value
            elif info is not None and submodels(info.annotation):
                out[key] = self.document(value, submodels(info.annotation)[0][0])
            else:
                out[key] = value
        return out


def arabic(data, model=AllianceDocument):
    return Translator().document(copy.deepcopy(data), model)


def set_at(data: dict, path: tuple, value, model=AllianceDocument) -> dict:
    """``data`` with ``value`` at ``path``; in a list, the first item that already has the next key
    (the government partner for government.*), created when missing."""
    data = copy.deepcopy(data)
    holder, current = data, model
    for i, part in enumerate(path[:-1]):
        if part == "*":
            continue
        info = current.model_fields[part]
        sub, many = submodels(info.annotation)[0]
        if many:
            items = holder.get(part) or [minimal(sub)]
            holder[part] = items
            nxt = path[i + 2] if path[i + 1] == "*" else path[i + 1]
            holder = next((item for item in items if nxt in item), items[0])
        else:
            if not isinstance(holder.get(part), dict):
                holder[part] = minimal(sub)
            holder = holder[part]
        current = sub
    holder[path[-1]] = value
    return data


def load(path: Path) -> dict:
    return load_yaml(read_text(path), str(path))[0]


def document(data) -> AllianceDocument:
    return validate(AllianceDocument, data, SourceMap(), "<test>")


# The lexicon covers the model ---------------------------------------------------------------


def test_the_walk_finds_the_fixed_answer_fields():
    paths = {path for path, *_ in SITES}
    assert {("partners", "*", "sector"), ("partners", "*", "values_alignment"), ("alliance", "motives"),
            ("alliance", "motive_evidence"), ("partners", "*", "private", "company_gets"),
            ("partners", "*", "government", "approach"), ("review", "events", "*", "kind"),
            ("organisation", "staff_time_allocated"), ("governance", "steering_committee", "exists")} <= paths
    # free text and names never take fixed answers, even where `nobody` is a keyword
    assert not paths & {("governance", "spokesperson"), ("monitoring", "owner"), ("partners", "*", "name"),
                        ("alliance", "goals"), ("alliance", "timeline")}


def test_every_choice_in_the_model_has_an_arabic_answer():
    """A Literal value added to model.py without a form in knowledge/answers.yaml fails here."""
    missing = [f"{'.'.join(path)} = {value}" for path, value in CHOICE_SITES if not forms(value)]
    assert missing == []
    for path, _, _, spec in SITES:
        for value in spec.values:
            if isinstance(value, str):
                assert all(spec.english(form) == value for form in forms(value)), (path, value)


@pytest.mark.parametrize("model", all_models(), ids=lambda m: m.__name__)
def test_every_yes_no_field_takes_arabic_yes_no_and_dont_know(model):
    """نعم and لا (and أجل, كلا) on every bool field; لا أعرف is unknown where unknown is allowed."""
    bools = [name for name, spec in answers.answer_fields(model).items() if True in spec.values and not spec.many]
    for name in bools:
        for answer, meaning in (("نعم", True), ("لا", False), ("أجل", True), ("كلا", False)):
            assert getattr(model.model_validate({**minimal(model), name: answer}), name) is meaning, (name, answer)
        for answer in ("لا أعرف", "لا نعرف", "غير معروف"):
            if answers.answer_fields(model)[name].optional:
                assert getattr(model.model_validate({**minimal(model), name: answer}), name) is None
            else:  # a required answer cannot be "don't know"
                with pytest.raises(ValidationError):
                    model.model_validate({**minimal(model), name: answer})


def test_every_model_of_the_input_is_walked():
    from tahaluf import model as module

    defined = {value for value in vars(module).values()
               if isinstance(value, type) and issubclass(value, BaseModel) and value.__module__ == module.__name__}
    assert defined - {Strict} <= set(all_models())
    assert sum(True in spec.values for model in all_models() for spec in answers.answer_fields(model).values()) > 40


def test_one_arabic_word_stands_for_one_value():
    with pytest.raises(ValueError, match="already stands for"):
        answers.build_lexicon({"yes_no": {"yes": ["نعم"]},
                               "choices": {"a": {"low": ["منخفض"]}, "b": {"high": ["المنخفض"]}}})
    with pytest.raises(ValueError, match="already stands for"):
        answers.build_lexicon({"yes_no": {"no": ["لا يوجد"]}, "choices": {"m": {"none": ["لا يوجد"]}}})
    answers.build_lexicon({"yes_no": {}, "choices": {"level": {"medium": ["متوسط"]}, "size": {"medium": ["متوسط"]}}})


def test_the_reports_sector_words_are_answers_too():
    labels = knowledge.labels()
    sectors = [key.split(".", 1)[1] for key in labels if key.startswith("sector.")]
    assert len(sectors) == 9
    for sector in sectors:
        assert answers.shown(sector) == labels[f"sector.{sector}"].ar
        partners = [{"name": "P", "sector": labels[f"sector.{sector}"].ar}]
        assert document({**minimal(AllianceDocument), "partners": partners}).partners[0].sector == sector


@pytest.mark.parametrize(("written", "listed"), [
    ("  القطاعُ   الخاصّ. ", "القطاع الخاص"),
    ("قطاع خاص", "القطاع الخاص"),
    ("شركه خاصه", "شركة خاصة"),
    ("اقليمي", "إقليمي"),
    ("عالى", "عالي"),
    ("نـــعم", "نعم"),
    ("\ufefb أعرف", "لا أعرف"),           # the ﻻ ligature of a copied PDF
    ("لا\u200f أعرف", "لا أعرف"),          # a right-to-left mark from a phone
    ("کلا", "كلا"),                         # a Persian keyboard's kaf
    ("مسئول", "مسؤول"),
])
def test_spelling_variants_are_one_answer(written, listed):
    assert answers.normalise(written) == answers.normalise(listed)


def test_arabic_is_read_only_where_a_fixed_answer_is_expected():
    doc = document({
        "organisation": {"name": "لا", "core_objectives": ["نعم"]},
        "alliance": {"name": "نعم", "goals": ["لا أعرف"], "purpose": "حملة"},
        "partners": [{"name": "لا", "strengths": ["منخفض"], "sector": "نقابة"}],
        "governance": {"spokesperson": "لا", "funding": "نعم"},
        "monitoring": {"owner": "لا أحد"},
    })
    assert (doc.organisation.name, doc.organisation.core_objectives, doc.alliance.name) == ("لا", ["نعم"], "نعم")
    assert ([goal.goal for goal in doc.alliance.goals], doc.alliance.purpose) == (["لا أعرف"], "حملة")
    assert (doc.partners[0].name, doc.partners[0].strengths, doc.partners[0].sector) == ("لا", ["منخفض"], "union")
    assert (doc.governance.spokesperson, doc.governance.funding) == ("لا", "نعم")
    assert doc.monitoring.owner is False  # `nobody` still says there is no one


def test_dont_know_is_the_same_as_leaving_the_answer_out():
    english = load(EXAMPLES / "climate-labour-alliance.yaml")
    english["engagement"] = {"regular_communication": "yes"}
    said = set_at(set_at(english, ("engagement", "channels_open"), "لا أعرف"), ("alliance", "scope"), "غير معروف")
    del english["alliance"]["scope"]
    assert document(said) == document(english)
    assert evaluate_document(document(said)).inference == evaluate_document(document(english)).inference


def test_a_wrong_arabic_answer_is_one_line_naming_file_line_and_field(tmp_path, capsys):
    path = tmp_path / "alliance.yaml"
    path.write_text("organisation:\n  name: X\nalliance:\n  name: Y\npartners:\n  - name: P\n"
                    "    sector: شركة خاصةة\n", encoding="utf-8")
    with pytest.raises(InputError) as error:
        evaluate_file(path)
    message = str(error.value)
    assert message.startswith(f"{path}:7: partners[0].sector: 'شركة خاصةة' is not one of 'ngo', ")
    assert "(in Arabic: منظمة غير حكومية، جهة حكومية، القطاع الخاص، " in message
    assert message.endswith("did you mean 'شركة خاصة'?") and "\n" not in message
    assert main(["evaluate", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "partners[0].sector" in err and "Traceback" not in err

    path.write_text("organisation:\n  name: X\n  staff_time_allocated: نعمم\nalliance:\n  name: Y\n", encoding="utf-8")
    with pytest.raises(InputError) as error:
        evaluate_file(path)
    assert str(error.value) == (f"{path}:3: organisation.staff_time_allocated: 'نعمم' is not yes/no "
                                "(true/false; in Arabic نعم/لا, or لا أعرف if unknown); did you mean 'نعم'?")


def test_a_mapping_keyed_by_answers_may_be_keyed_in_arabic(tmp_path):
    alliance = document({**minimal(AllianceDocument), "alliance": {
        "name": "Y", "motive_evidence": {"قوة العدد": "four members, one voice", "stability": "shared risk"}}}).alliance
    assert alliance.motive_evidence == {"numbers": "four members, one voice", "stability": "shared risk"}
    path = tmp_path / "alliance.yaml"
    path.write_text("organisation:\n  name: X\nalliance:\n  name: Y\n  motive_evidence:\n"
                    "    numbers: one voice\n    العدد: many members\n", encoding="utf-8")
    with pytest.raises(InputError) as error:
        evaluate_file(path)
    assert str(error.value) == (f"{path}:3: alliance: motive_evidence: 'numbers' and 'العدد' are the same answer "
                                "(numbers)")


def test_a_list_of_choices_in_a_screening_cell_may_be_arabic_split_by_the_arabic_semicolon():
    from tahaluf.screening import parse_row

    english = parse_row({"name": "Acme", "sector": "private", "private.company_gets": "logo_on_materials; our_data",
                         "private.specific_goals_agreed": "yes"}, False, frozenset())
    in_arabic = parse_row({"name": "Acme", "sector": "القطاع الخاص",
                           "private.company_gets": "شعارها على موادنا؛ بياناتنا",
                           "private.specific_goals_agreed": "نعم"}, False, frozenset())
    assert in_arabic == english
    assert english[0].private.company_gets == ["logo_on_materials", "our_data"]


def test_a_long_answer_is_neither_normalised_nor_remembered():
    spec = answers.answer_fields(AllianceDocument.model_fields["alliance"].annotation)["scope"]
    longest = max(len(form) for form in answers.lexicon().spelling.values())
    assert longest < answers.LONGEST_ANSWER
    huge = "إقليمي" + " " * 10 + "ا" * 1_000_000
    assert spec.english(huge) is huge and huge not in spec._seen
    assert answers.closest(huge, ["regional"]) is None
    for number in range(3000):  # a batch of distinct wrong answers does not grow the memo past its bound
        spec.english(f"خطأ {number}")
    assert len(spec._seen) <= 1024


def test_a_wrong_english_answer_still_reads_well():
    with pytest.raises(InputError) as error:
        validate(AllianceDocument, {"organisation": {"name": "X"}, "alliance": {"name": "Y", "scope": "regionl"}},
                 SourceMap(), "f.yaml")
    assert str(error.value) == ("f.yaml: alliance.scope: 'regionl' is not one of 'local', 'national', 'regional' or "
                                "'global' (in Arabic: محلي، وطني، إقليمي، عالمي); did you mean 'regional'?")


# The same document in English and in Arabic, through the real engine ------------------------


def _rule_cases():
    for path in RULE_FIXTURES:
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        for number, case in enumerate(spec["cases"], 1):
            yield pytest.param(case.get("facts") or {}, id=f"{spec['rule']}-{number}")


@pytest.mark.parametrize("facts", list(_rule_cases()))
def test_every_rule_fixture_answered_in_arabic_is_the_same_document(facts):
    """Each rule fixture's facts with every answer in Arabic (forms and spellings in turn) validate to the
    same document; the fixture's own test then gives its outcome through the engine."""
    translated = arabic(facts)
    assert build_document(translated) == build_document(facts)


def _summary(evaluation) -> dict:
    inference = evaluation.inference
    return {"verdict": inference.verdict,
            "findings": [(f.rule, f.subject, f.status, f.severity) for f in inference.findings],
            "conditions": inference.conditions, "readiness": inference.readiness}


@pytest.fixture(scope="module")
def climate() -> dict:
    return load(EXAMPLES / "climate-labour-alliance.yaml")


@pytest.mark.parametrize(("path", "value"), CHOICE_SITES, ids=[f"{'.'.join(p)}={v}" for p, v in CHOICE_SITES])
def test_each_choice_answered_in_arabic_gives_the_same_verdict(climate, path, value):
    """A fixture per sector, level and fixed choice: the climate example with that one answer set."""
    english = document(set_at(climate, path, shaped(path, value)))
    for form in forms(value):
        for spelling in spelling_variants(form):
            assert document(set_at(climate, path, shaped(path, spelling))) == english, (form, spelling)
    in_arabic = evaluate_document(document(set_at(climate, path, shaped(path, forms(value)[-1]))))
    in_english = evaluate_document(english)
    assert _summary(in_arabic) == _summary(in_english)
    assert in_arabic.inference == in_english.inference


@pytest.mark.parametrize(("path", "english", "arabic_answer", "verdict"), [
    (("partners", "*", "government", "approach"), "confrontational", "مواجهة", "do_not_proceed"),
    (("partners", "*", "government", "approach"), "mixed", "مختلطة", "conditions"),
    (("partners", "*", "values_alignment"), "low", "ضعيفة", "conditions"),
    (("concessions", "*", "touches_core_objective"), "yes", "أجل", "do_not_proceed"),
])
def test_an_arabic_answer_moves_the_verdict_as_the_english_one_does(climate, path, english, arabic_answer, verdict):
    assert evaluate_document(document(climate)).verdict == "proceed"
    in_english = evaluate_document(document(set_at(climate, path, english)))
    in_arabic = evaluate_document(document(set_at(climate, path, arabic_answer)))
    assert in_english.verdict == in_arabic.verdict == verdict
    assert _summary(in_arabic) == _summary(in_english)


@pytest.mark.parametrize("example", ENGLISH_EXAMPLES, ids=lambda p: p.stem)
def test_every_example_answered_in_arabic_gives_the_same_report(example):
    data = load(example)
    translated = arabic(data)
    assert translated != data
    english, in_arabic = document(data), document(translated)
    assert in_arabic == english
    assert (render_report(evaluate_document(in_arabic), "json", "en")
            == render_report(evaluate_document(english), "json", "en"))


# A real Arabic-answered file, the loader and the CLI -----------------------------------------


def _comparable(evaluation) -> list[tuple]:
    """Findings with a concession named by its place (its text is translated in the Arabic file)."""
    names = {c.what: f"concession[{i}]" for i, c in enumerate(evaluation.document.concessions or ())}
    return [(f.rule, names.get(f.subject, f.subject), f.status, f.severity) for f in evaluation.inference.findings]


def test_the_arabic_example_gives_the_english_examples_verdict_and_findings():
    in_arabic = evaluate_file(ARABIC_EXAMPLE)
    in_english = evaluate_file(EXAMPLES / "climate-labour-alliance.yaml")
    assert in_arabic.verdict == in_english.verdict == "proceed"
    assert _comparable(in_arabic) == _comparable(in_english)
    assert in_arabic.inference.readiness == in_english.inference.readiness
    assert in_arabic.document.partners[0].sector == "government"
    assert in_arabic.document.alliance.motives == ["numbers", "legitimacy_and_reach", "cross_sector_coordination",
                                                   "mutual_benefit"]
    # the file itself answers in Arabic: no English answer value in it
    text = ARABIC_EXAMPLE.read_text(encoding="utf-8")
    assert not re.search(r":\s*(yes|no|high|low|medium|government|ngo|proposed)\s*$", text, flags=re.M)


def test_the_arabic_example_through_the_cli(capsys, tmp_path):
    assert main(["check", str(ARABIC_EXAMPLE)]) == 0
    assert capsys.readouterr().out.strip() == f"{ARABIC_EXAMPLE}: ok"
    assert main(["evaluate", str(ARABIC_EXAMPLE), "--format", "json", "--lang", "ar"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["verdict"] == "proceed" and report["conditions"] == [] and report["not_assessed"] == []
    assert main(["evaluate", str(ARABIC_EXAMPLE), "--lang", "ar", "-o", str(tmp_path / "report.md")]) == 0
    assert "المضي قدماً" in (tmp_path / "report.md").read_text(encoding="utf-8")


def test_respondents_answering_in_arabic_and_in_english_agree_when_they_mean_the_same(tmp_path, capsys):
    """`tahaluf merge`: one respondent's نعم and another's yes are one answer, not a dispute."""
    english = load(EXAMPLES / "climate-labour-alliance.yaml")
    (tmp_path / "amal.yaml").write_text(yaml.safe_dump(arabic(english), allow_unicode=True), encoding="utf-8")
    disagreeing = set_at(arabic(english), ("partners", "*", "government", "approach"), "مواجهة")
    (tmp_path / "omar.yaml").write_text(yaml.safe_dump(disagreeing, allow_unicode=True), encoding="utf-8")
    (tmp_path / "john.yaml").write_text(yaml.safe_dump(english, allow_unicode=True), encoding="utf-8")
    merged = tmp_path / "merged.yaml"
    assert main(["merge", str(tmp_path / "amal.yaml"), str(tmp_path / "john.yaml"), "-o", str(merged)]) == 0
    assert "disputes" not in load(merged)
    assert evaluate_file(merged).verdict == "proceed"
    assert main(["merge", str(tmp_path / "amal.yaml"), str(tmp_path / "john.yaml"), str(tmp_path / "omar.yaml"),
                 "-o", str(merged)]) == 0
    [dispute] = load(merged)["disputes"]
    assert dispute["path"] == "partners[0].government.approach"
    assert {a["respondent"]: a["value"] for a in dispute["answers"]} == {
        "amal": "cooperative", "john": "cooperative", "omar": "confrontational"}
    capsys.readouterr()


# The Arabic template ------------------------------------------------------------------------


def template_keys(text: str) -> list[tuple[int, str]]:
    """(column, key) of every key, commented or not, after the opening comment block."""
    lines = text.splitlines()
    body = lines[next(i for i, line in enumerate(lines) if line.strip() and not line.startswith("#")):]
    keys = []
    for line in body:
        match = re.match(r"^([ #-]*)([a-z_]+):", line)
        if match:
            keys.append((len(match.group(1)), match.group(2)))
    return keys


def test_both_templates_list_the_same_keys_in_the_same_places():
    english, arabic_keys = (template_keys(TEMPLATES[lang].read_text(encoding="utf-8")) for lang in ("en", "ar"))
    assert len(english) > 100
    assert arabic_keys == english


def template_hints(text: str) -> list[tuple[str, list[str]]]:
    """(key, options) for each key whose comment offers answers `a | b | c` (continued on comment lines)."""
    hints, pending = [], None
    for line in text.splitlines():
        if pending is not None and re.match(r"^\s*#", line) and pending[1].rstrip().endswith("|"):
            pending[1] += " " + re.sub(r"^[\s#]*", "", line)
            continue
        if pending is not None:
            hints.append(pending)
            pending = None
        match = re.match(r"^[ #-]*([a-z_]+):[^#]*#(.*)$", line)
        if match and "|" in match.group(2):
            pending = [match.group(1), match.group(2)]
    if pending is not None:
        hints.append(pending)
    result = []
    for key, comment in hints:
        comment = re.sub(r"\([^)]*\)", "", comment)
        head, *rest = comment.split("|")
        result.append((key, [re.split(r"[؟:]", head)[-1].strip(), *(option.strip() for option in rest)]))
    return result


def test_the_arabic_templates_answers_are_accepted_and_complete():
    """Every `a | b` hint of the Arabic template is in Arabic, and names each value of its field once."""
    hints = template_hints(TEMPLATES["ar"].read_text(encoding="utf-8"))
    specs = {}
    for _, _, name, spec in SITES:
        specs.setdefault(name, set()).add(spec)
    assert len(hints) >= 60
    for key, options in hints:
        assert all(not option.isascii() for option in options), (key, options)
        # Two fields may share a name (an event's kind, an evidence's kind): the hint names one's values.
        meanings = [[spec.english(option) for option in options] for spec in specs[key]]
        assert any(sorted(map(str, said)) == sorted(map(str, spec.values))
                   for said, spec in zip(meanings, specs[key])), (key, options, meanings)
    hinted = {key for key, _ in hints}
    unhinted = {name for _, _, name, spec in SITES if not spec.keyed} - hinted  # a mapping's keys: as its list
    assert unhinted == set(), f"fields whose Arabic answers the template does not offer: {unhinted}"


def test_init_lang_ar_writes_the_arabic_template_which_states_nothing(tmp_path, capsys):
    target = tmp_path / "alliance.yaml"
    assert main(["init", str(target), "--lang", "ar"]) == 0
    assert target.read_bytes() == TEMPLATES["ar"].read_bytes()
    assert main(["init", str(target), "--lang", "ar"]) == 2  # never overwrites silently
    assert main(["init", str(target), "--lang", "ar", "--force"]) == 0
    evaluation = evaluate_file(target)
    assert [f.rule for f in evaluation.inference.findings if f.status == "fail"] == []
    assert evaluation.verdict == "conditions"  # everything is unknown: establish, never proceed
    capsys.readouterr()
    assert main(["init", "-", "--lang", "ar"]) == 0  # '-' prints it
    assert capsys.readouterr().out == TEMPLATES["ar"].read_text(encoding="utf-8")
    english = tmp_path / "english.yaml"
    assert main(["init", str(english)]) == 0 and english.read_bytes() == TEMPLATES["en"].read_bytes()
    # the two templates, as written, state the same (nothing): the same checks, open or met alike
    in_english = evaluate_file(english)
    assert ([(f.rule, f.status, f.severity) for f in evaluation.inference.findings]
            == [(f.rule, f.status, f.severity) for f in in_english.inference.findings])


def test_the_arabic_template_filled_in_arabic_evaluates(tmp_path):
    """Filling the Arabic template's answers with its own first options gives a valid document."""
    text = TEMPLATES["ar"].read_text(encoding="utf-8")
    options = dict(template_hints(text))
    lines = []
    for line in text.splitlines():
        match = re.match(r"^(\s*)([a-z_]+):(\s*)#", line)
        if match and match.group(2) in options and match.group(2) != "motives":
            line = f"{match.group(1)}{match.group(2)}: {options[match.group(2)][0]}"
        lines.append(line)
    path = tmp_path / "filled.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    evaluation = evaluate_file(path)
    assert evaluation.document.organisation.staff_time_allocated is True
    assert evaluation.document.partners[0].sector == "ngo"
    assert evaluation.document.engagement.meetings == "bilateral"


# Batch screening ------------------------------------------------------------------------------


def _arabic_cells(rows: list[dict]) -> list[dict]:
    from tahaluf import screening
    from tahaluf.model import Concession, GovernmentTerms, Partner, PrivateTerms

    models = {"": Partner, "government": GovernmentTerms, "private": PrivateTerms, "concession": Concession}
    translator, out = Translator(), []
    for row in rows:
        arabic_row = {}
        for column, cell in row.items():
            section, name, kind = screening.COLUMNS[column]
            spec = answers.answer_fields(models[section]).get(name)
            if cell and spec is not None:
                cell = translator.answer(cell, spec)
            elif cell and kind == screening.LIST:
                cell = cell.replace(";", "؛")  # the Arabic semicolon separates items too
            arabic_row[column] = cell
        out.append(arabic_row)
    return out


def _screen(tmp_path: Path, source: Path, name: str) -> tuple[list[list[str]], list[list[str]]]:
    out = tmp_path / f"{name}.csv"
    assert main(["screen", str(source), "--org", str(EXAMPLES / "screening-org.yaml"), "-o", str(out),
                 "--jobs", "1"]) == 0
    errors = tmp_path / f"{name}.csv.errors.csv"
    return _rows(out), _rows(errors)


def _rows(path):
    if not path.exists():
        return []
    with open(path, encoding="utf-8-sig", newline="") as stream:
        return list(csv.reader(stream))


def test_screening_accepts_arabic_answers_in_csv_xlsx_jsonl_and_yaml(tmp_path, capsys):
    with open(EXAMPLES / "candidates.csv", encoding="utf-8-sig", newline="") as stream:
        reader = csv.DictReader(stream)
        header, rows = reader.fieldnames, list(reader)
    arabic_rows = _arabic_cells(rows)
    changed = sum(a != e for row, arow in zip(rows, arabic_rows) for a, e in zip(arow.values(), row.values()))
    assert changed > 100
    expected = _screen(tmp_path, EXAMPLES / "candidates.csv", "english")
    assert len(expected[0]) > 10 and expected[1]  # results, and the example's bad rows

    source = tmp_path / "arabic.csv"
    with open(source, "w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, header)
        writer.writeheader()
        writer.writerows(arabic_rows)
    assert _screen(tmp_path, source, "from-csv") == expected

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for row in arabic_rows:
        sheet.append([row[column] or None for column in header])
    book.save(tmp_path / "arabic.xlsx")
    assert _screen(tmp_path, tmp_path / "arabic.xlsx", "from-xlsx") == expected

    # JSONL and YAML: one candidate a line / item, nested sections; results as from the English CSV
    # (rows are numbered by line there, so only the verdicts are compared).
    def nested(row):
        item = {}
        for column, cell in row.items():
            if cell:
                section, _, name = column.rpartition(".")
                (item.setdefault(section, {}) if section else item)[name] = cell
        return item

    items = [nested(row) for row in arabic_rows]
    (tmp_path / "arabic.jsonl").write_text("".join(json.dumps(item, ensure_ascii=False) + "\n" for item in items),
                                           encoding="utf-8")
    (tmp_path / "arabic.yaml").write_text(yaml.safe_dump(items, allow_unicode=True), encoding="utf-8")

    def verdicts(results):
        return sorted((r[2], r[4], r[5], r[6], r[7]) for r in results[0][1:])

    for name in ("arabic.jsonl", "arabic.yaml"):
        results = _screen(tmp_path, tmp_path / name, name)
        assert verdicts(results) == verdicts(expected), name
        assert [e[1:] for e in results[1]] == [e[1:] for e in expected[1]], name
    capsys.readouterr()
