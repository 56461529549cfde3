"""Batch screening: many candidate partners, one row each, through the partner-level rule base.

Each candidate is a row of partner facts (columns named like ``model.Partner``'s
fields, nested ones dotted: ``government.approach``) plus the concession it would
ask (``concession.what`` ...). It is validated with pydantic, declared with our
organisation and the alliance context from ORG.yaml, and judged by
``rules.engine.infer(..., level="partner")``: the same rule objects as ``evaluate``.

How it scales (see benchmarks/screening.py):

* **Streamed.** Rows are read one at a time, judged in chunks and spooled to
  temporary files bucketed by (status, score): the best-first order is the
  concatenation of the buckets. Only a bounded window of chunks and a bounded
  cache are ever in memory.
* **Memoised.** The rules read only a candidate's *profile*: its booleans and
  levels, and of its free text (name, contribution, strengths, what the
  concession is ...) only whether it is there. Rows with one profile share one
  inference (an LRU cache, looked up before any experta work). The engine runs
  on the profile with a marker (``"\\x00" + column``; user text can never contain
  NUL) in place of each text; a finding's subject or parameters that carry a
  marker are filled in with the row's own text when the reason is written.
* **Parallel.** A multiprocessing pool, one partner engine per worker process
  (``infer`` resets it per candidate); ``jobs=1`` runs in this process.
"""

from __future__ import annotations

import operator
import os
import pickle
import re
import shutil
import sys
import time
import types
import typing
from collections import Counter, OrderedDict, deque
from contextlib import contextmanager
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator, NamedTuple

from pydantic import BaseModel, ValidationError

from tahaluf import limits
from tahaluf.errors import InputError, TahalufError, UsageError
from tahaluf.knowledge import SEVERITIES
from tahaluf.model import Alliance, Concession, GovernmentTerms, Organisation, Partner, PrivateTerms
from tahaluf.reports.messages import fill
from tahaluf.reports.output import OutputSet, check_target, private_folder
from tahaluf.rules.verdict import PARTNER_STATUS
from tahaluf.screening_io import (
    OUTPUT_FORMATS,
    OUTPUT_SUFFIXES,
    CandidateReader,
    ErrorSink,
    RowProblem,
    open_candidates,
    text_target,
    write_csv,
    write_html,
    write_jsonl,
    write_xlsx,
)

STATUSES = ("eligible", "conditional", "excluded")  # best first
DECISIVE = ("blocker", "major")
SEVERITY_RANK = {severity: rank for rank, severity in enumerate(SEVERITIES)}
DEFAULT_CACHE_SIZE = 50_000  # profiles; roughly 1 KB each
CHUNK_ROWS = 256
JOB_PROFILES = 128  # new profiles per job sent to a worker
MAX_PENDING_ROWS = 65_536  # rows read ahead while workers judge new profiles (each a pickled row)
MAX_WAITING_ROWS = 8_192  # ... of which rows still waiting for their verdict (each with its models)
MARK = "\x00"  # prefix of the stand-ins for free text (clean_text strips NUL from every user text)

# TEXT and LIST (of texts) are free text, reduced in the profile; VALUE and CHOICES (a list of
# choices or goals, ";"-separated in a cell like LIST) are read by the rules and kept whole.
TEXT, LIST, VALUE, CHOICES = "text", "list", "value", "choices"
_FREE_TEXT = (TEXT, LIST)


# The columns: derived from the model, so a new fact is a new column without touching this file. --


def _kind(annotation: Any) -> str:
    origin = typing.get_origin(annotation)
    if origin is typing.Literal:
        return VALUE
    if origin is typing.Annotated:
        return _kind(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        kinds = {_kind(arg) for arg in typing.get_args(annotation) if arg is not type(None)}
        return kinds.pop() if len(kinds) == 1 else VALUE
    if origin in (list, tuple):
        # A list of free texts is reduced in the profile; a list of choices or of goals is
        # read by the rules (PR03: endorsement; PR01: a goal's measure), so it is a value.
        (item,) = typing.get_args(annotation)[:1] or (str,)
        return LIST if _kind(item) == TEXT else CHOICES
    if annotation is str:
        return TEXT
    return VALUE


def _fields(model: type[BaseModel], skip: tuple = ()) -> tuple[tuple[str, str], ...]:
    return tuple((name, _kind(info.annotation)) for name, info in model.model_fields.items() if name not in skip)


PARTNER_FIELDS = _fields(Partner, skip=("name", "government", "private"))
SECTIONS = {"government": GovernmentTerms, "private": PrivateTerms}
SECTION_FIELDS = {section: _fields(model) for section, model in SECTIONS.items()}
CONCESSION_FIELDS = _fields(Concession)

# column name -> (section, field, kind); section "" is the partner itself.
COLUMNS: dict[str, tuple[str, str, str]] = {"name": ("", "name", TEXT)}
COLUMNS.update({name: ("", name, kind) for name, kind in PARTNER_FIELDS})
for _section, _section_fields in SECTION_FIELDS.items():
    COLUMNS.update({f"{_section}.{name}": (_section, name, kind) for name, kind in _section_fields})
COLUMNS.update({f"concession.{name}": ("concession", name, kind) for name, kind in CONCESSION_FIELDS})
_TEXT_COLUMNS = tuple(column for column, (_, _, kind) in COLUMNS.items() if kind in _FREE_TEXT)


def check_columns(reader: CandidateReader) -> bool:
    """Whole-file checks on the header (before any row): unknown, repeated or missing columns.

    Returns whether the file has concession columns at all (if not, the concession is unknown).
    """
    import difflib

    seen: dict[str, int | None] = {}
    for name, line in reader.columns:
        if name in seen:
            raise InputError(reader.name, line, name, "the column is given twice")
        seen[name] = line
        if name not in COLUMNS:
            close = difflib.get_close_matches(name, list(COLUMNS), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            raise InputError(reader.name, line, name,
                             f"unknown column{hint}; known columns: {', '.join(COLUMNS)}")
    if "name" not in seen:
        raise InputError(reader.name, 1, "name", "required column is missing")
    return any(name.startswith("concession.") for name in seen)


# Rows: raw values -> validated models -> profile key ----------------------------------------


class Candidate(NamedTuple):
    """A validated row."""

    row: int
    partner: Partner
    concession: Concession | None

    @property
    def name(self) -> str:
        return self.partner.name

    @property
    def sector(self) -> str | None:
        return self.partner.sector

    def text(self, column: str) -> Any:
        section, name, _ = COLUMNS[column]
        holder = self.concession if section == "concession" else (
            getattr(self.partner, section) if section else self.partner)
        value = getattr(holder, name, None) if holder is not None else None
        return "; ".join(value) if isinstance(value, list) else value

    def waiting(self) -> "Waiting":
        """The same row in little memory, while its verdict is being worked out: only its texts kept."""
        texts = {column: value for column in _TEXT_COLUMNS if (value := self.text(column))}
        return Waiting(self.row, self.partner.name, self.partner.sector, texts)


class Waiting(NamedTuple):
    """A validated row waiting for its verdict: what writing its result needs, no more."""

    row: int
    name: str
    sector: str | None
    texts: dict

    def text(self, column: str) -> Any:
        return self.texts.get(column)


def _problems(error: ValidationError, model: type[BaseModel], prefix: str) -> list[RowProblem]:
    from tahaluf.loader import describe

    found = []
    for detail in error.errors(include_url=False):
        path = tuple(p for p in detail["loc"] if not (isinstance(p, str) and p.startswith("function-")))
        column = ".".join(str(p) for p in path if isinstance(p, str))
        found.append(RowProblem(f"{prefix}{column}", describe(detail, model, path)))
    return found


_LIST_SEPARATOR = re.compile("[;\u061b]")  # ; or the Arabic semicolon ؛


def parse_row(values: dict, concession_columns: bool, core_objectives: frozenset
              ) -> tuple[Partner, Concession | None, int | None] | list[RowProblem]:
    """Validate one row: (partner, concession, concession state) or the row's problems.

    Concession state: None = unknown (the file has no concession columns), 0 = none
    asked (the cells are empty), 1 = the one concession given.
    """
    partner: dict = {}
    sections: dict[str, dict] = {}
    for column, value in values.items():
        section, name, kind = COLUMNS[column]
        if value.__class__ is str:
            value = value.strip()
            if not value:
                continue  # an empty cell: unknown
            if kind in (LIST, CHOICES):
                value = [item for item in (part.strip() for part in _LIST_SEPARATOR.split(value)) if item]
        elif value is None:
            continue
        if section:
            sections.setdefault(section, {})[name] = value
        else:
            partner[name] = value
    for section in SECTIONS:
        if section in sections:
            partner[section] = sections[section]
    problems: list[RowProblem] = []
    try:
        model = Partner.model_validate(partner)
    except ValidationError as error:
        problems += _problems(error, Partner, "")
    concession, state = None, (0 if concession_columns else None)
    if "concession" in sections:
        state = 1
        try:
            concession = Concession.model_validate(sections["concession"])
        except ValidationError as error:
            problems += _problems(error, Concession, "concession.")
        else:
            # The same check AllianceDocument makes: a concession names one of *our* core objectives.
            if concession.core_objective and core_objectives and concession.core_objective not in core_objectives:
                problems.append(RowProblem("concession.core_objective",
                                           f"concession '{concession.what}' names core objective "
                                           f"'{concession.core_objective}', which is not in "
                                           "organisation.core_objectives"))
    if problems:
        return problems
    return model, concession, state


class _Shape:
    """How one model enters the profile key: its plain values as they are, its texts reduced."""

    def __init__(self, model: type[BaseModel], skip: tuple = (), prefix: str = ""):
        fields = _fields(model, skip)
        self.model, self.prefix = model, prefix
        self.values = tuple(name for name, kind in fields if kind not in _FREE_TEXT)
        self.texts = tuple((name, kind) for name, kind in fields if kind in _FREE_TEXT)
        getter = operator.attrgetter(*self.values) if self.values else (lambda _: ())
        get = (lambda obj: (getter(obj),)) if len(self.values) == 1 else getter
        # Lists of values (choices, goals) enter the key as tuples: the key must be hashable.
        self.get_values = lambda obj: tuple(tuple(v) if isinstance(v, list) else v for v in get(obj))

    def key(self, obj: BaseModel | None) -> tuple | None:
        """(values, texts): a text counts as 1 when there, 0 when empty; a list of texts by its length.

        That is all a rule can tell of a text without reading it: the rules read only
        whether a contribution, a benefit or strengths are given.
        """
        if obj is None:
            return None
        texts = []
        for name, kind in self.texts:
            value = getattr(obj, name)
            texts.append(value if value is None else (len(value) if kind == LIST else (1 if value else 0)))
        return self.get_values(obj), tuple(texts)

    def stand_in(self, key: tuple | None, **extra) -> BaseModel | None:
        """A model with this key's values and a marker for each text (constructed: the key came validated)."""
        if key is None:
            return None
        values, texts = key
        fields = {name: list(value) if isinstance(value, tuple) else value for name, value in zip(self.values, values)}
        for (name, kind), value in zip(self.texts, texts):
            marker = MARK + self.prefix + name
            fields[name] = value if value is None else ([marker] * value if kind == LIST else (marker if value else ""))
        fields.update(extra)
        return self.model.model_construct(**fields)


_PARTNER = _Shape(Partner, skip=("name", *SECTIONS))
_SECTION_SHAPES = {section: _Shape(model, prefix=f"{section}.") for section, model in SECTIONS.items()}
_CONCESSION = _Shape(Concession, prefix="concession.")


def profile_key(partner: Partner, concession: Concession | None, state: int | None) -> tuple:
    """The values the rules read, in a fixed order: equal keys mean equal findings (bar the texts).

    The name and the content of free texts are left out; ``state`` says whether the
    concession is unknown (None), none was asked (0) or one was (1).
    """
    return (_PARTNER.key(partner), *(shape.key(getattr(partner, section)) for section, shape in _SECTION_SHAPES.items()),
            state, _CONCESSION.key(concession))


def models_from_key(key: tuple) -> tuple[Partner, list[Concession] | None]:
    """The profile as models, each text replaced by its marker."""
    partner_key, *section_keys, state, concession_key = key
    sections = {section: shape.stand_in(section_key)
                for (section, shape), section_key in zip(_SECTION_SHAPES.items(), section_keys)}
    partner = _PARTNER.stand_in(partner_key, name=MARK + "name", **sections)
    concessions = None if state is None else ([_CONCESSION.stand_in(concession_key)] if state else [])
    return partner, concessions


_MARKER = re.compile(re.escape(MARK) + r"([a-z_.]+)")


def _resolve(value: Any, candidate: Candidate | Waiting) -> Any:
    """A marker left by the profile (see models_from_key) becomes the row's own text."""
    if isinstance(value, str):
        if value.startswith(MARK) and _MARKER.fullmatch(value):
            return candidate.text(value[len(MARK):])
        if MARK in value:  # a rule that quoted a text inside a longer one
            return _MARKER.sub(lambda match: str(candidate.text(match.group(1)) or ""), value)
        return value
    if isinstance(value, (list, tuple)):
        return [_resolve(item, candidate) for item in value]
    return value


# Inference (in worker processes or in this one) ---------------------------------------------


class Verdict(NamedTuple):
    """What one profile's inference says, compactly (cached, and sent between processes)."""

    status: str | None  # None: the rules failed on this profile (see problem)
    score: int | None
    failed: tuple = ()
    unknown: tuple = ()
    guidance: tuple = ()
    reason: tuple | None = None  # (kind "message"|"question", rule code, subject, params)
    problem: str = ""


_WORKER: dict[str, Any] = {}


def _die_with(parent: int) -> None:
    """End this worker when its parent process ends, however it ends (kill -9, out of memory).

    Otherwise a worker blocked on the job queue would wait for minutes. Linux: the
    kernel sends SIGKILL (prctl PR_SET_PDEATHSIG); elsewhere a thread watches.
    """
    import signal

    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(1, int(signal.SIGKILL), 0, 0, 0) != 0:  # 1 = PR_SET_PDEATHSIG
            raise OSError(ctypes.get_errno(), "prctl")
    except (OSError, AttributeError, ImportError):
        import threading

        def watch() -> None:
            while os.getppid() == parent:
                time.sleep(1.0)
            os._exit(1)

        threading.Thread(target=watch, name="tahaluf-parent-watch", daemon=True).start()
    if os.getppid() != parent:  # it ended before the request took effect
        os._exit(1)


def _worker_init(organisation: dict, alliance: dict, in_pool: bool = True, parent: int | None = None) -> None:
    if in_pool:
        import signal

        if parent is not None:
            _die_with(parent)
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and ends the pool
        for name in ("SIGTERM", "SIGHUP"):  # undo the parent's handlers (see _signals_interrupt)
            if hasattr(signal, name):
                signal.signal(getattr(signal, name), signal.SIG_DFL)
    from tahaluf.rules.engine import engine_for

    _WORKER["organisation"] = Organisation.model_validate(organisation)
    _WORKER["alliance"] = Alliance.model_validate(alliance)
    engine_for("partner")  # build the Rete network once, up front


def _judge(key: tuple) -> Verdict:
    from tahaluf.rules.base import REGISTRY
    from tahaluf.rules.declare import candidate_facts
    from tahaluf.rules.engine import infer

    partner, concessions = models_from_key(key)
    declared = candidate_facts(_WORKER["organisation"], _WORKER["alliance"], partner, concessions)
    try:
        inference = infer(declared, level="partner")
    except TahalufError as error:  # a rule that never settles: this profile's rows are rejected, the batch goes on
        return Verdict(None, None, problem=str(error))

    def order(finding):
        return SEVERITY_RANK.get(finding.severity, 9), finding.rule

    failed = sorted((f for f in inference.findings if f.status == "fail"), key=order)
    unknown = sorted((f for f in inference.findings if f.status == "not_assessed" and f.severity in DECISIVE),
                     key=order)
    guidance = tuple(dict.fromkeys(g for f in failed + unknown for g in REGISTRY[f.rule].guidance))
    # The reason behind the status: a failed blocker/major check, else the first decisive
    # fact nobody knows, else the worst lesser failure.
    serious = [f for f in failed if f.severity in DECISIVE]
    if serious:
        reason = ("message", serious[0].rule, serious[0].subject, serious[0].params)
    elif unknown:
        reason = ("question", unknown[0].rule, unknown[0].subject, unknown[0].params)
    elif failed:
        reason = ("message", failed[0].rule, failed[0].subject, failed[0].params)
    else:
        reason = None
    return Verdict(PARTNER_STATUS[inference.verdict], inference.score, tuple(f.rule for f in failed),
                   tuple(f.rule for f in unknown), guidance, reason)


def judge_keys(keys: list[tuple]) -> list[Verdict]:
    return [_judge(key) for key in keys]


class _Done:
    """A finished job (in-process mode), shaped like a Future."""

    def __init__(self, value):
        self.value = value

    def result(self):
        return self.value


class _Judge:
    """Runs judge_keys in a pool of ``jobs`` worker processes, or in this process when jobs == 1.

    A ``ProcessPoolExecutor`` rather than ``multiprocessing.Pool``: when a worker dies
    (killed for memory, say) a Pool waits for its lost task for ever; the executor
    raises BrokenProcessPool. Workers are forked (cheapest in memory: no fork server,
    pages shared copy-on-write), all at once by a first, empty job sent before this
    process starts any thread (the progress bar's); elsewhere they are spawned. Each
    builds its engine once, in the initializer, and reuses it (``infer`` resets it).
    """

    def __init__(self, organisation: Organisation, alliance: Alliance, jobs: int):
        payload = (organisation.model_dump(mode="python"), alliance.model_dump(mode="python"))
        self.pool = None
        if jobs > 1:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
            self.pool = ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context(method),
                                            initializer=_worker_init, initargs=(*payload, True, os.getpid()))
            try:
                self.pool.submit(judge_keys, [])  # with fork, launches every worker now, before any thread exists
            except OSError as error:  # a process limit (ulimit -u) reached
                self.close(False)
                raise TahalufError(f"cannot start {jobs} worker processes ({error.strerror or error}): "
                                   "try fewer --jobs") from None
        else:
            _worker_init(*payload, in_pool=False)

    def submit(self, keys: list[tuple]):
        if self.pool is None:
            return _Done(judge_keys(keys))
        return self.pool.submit(judge_keys, keys)

    def close(self, ok: bool) -> None:
        if self.pool is None:
            return
        pool, self.pool = self.pool, None
        if ok:
            pool.shutdown(wait=True)
            return
        pool.shutdown(wait=False, cancel_futures=True)
        for process in list((getattr(pool, "_processes", None) or {}).values()):
            process.terminate()  # do not let a worker finish a long job after Ctrl-C or an error


class _Cache:
    """A bounded LRU map: profile key -> Verdict."""

    def __init__(self, size: int):
        self.size, self.data = size, OrderedDict()

    def get(self, key):
        verdict = self.data.get(key)
        if verdict is not None:
            self.data.move_to_end(key)
        return verdict

    def put(self, key, verdict) -> None:
        self.data[key] = verdict
        if len(self.data) > self.size:
            self.data.popitem(last=False)


# Spooling for the best-first order ---------------------------------------------------------


def bucket_of(status: str, score: int | None) -> int:
    """Buckets in output order: status (best first), then score from 100 down to 0, then no score."""
    return STATUSES.index(status) * 102 + (101 if score is None else 100 - score)


class _Spool:
    """Result rows pickled into one temporary file per (status, score) bucket; input order kept inside.

    The files live in a private temporary folder (mode 0700) and are read back only by
    this process: pickle is safe here and several times faster than JSON.
    """

    def __init__(self):
        self.folder = private_folder()  # named for this process: a kill -9's leftover goes at the next run
        self.files: dict[int, Any] = {}

    def _path(self, bucket: int) -> Path:
        return self.folder / f"{bucket:03d}.pickle"

    def add(self, bucket: int, pickled: bytes) -> None:
        stream = self.files.get(bucket)
        if stream is None:
            stream = self.files[bucket] = open(self._path(bucket), "wb", buffering=1 << 14)  # noqa: SIM115
        stream.write(pickled)

    def records(self) -> Iterator[list]:
        for stream in self.files.values():
            stream.close()
        for bucket in sorted(self.files):
            with open(self._path(bucket), "rb") as stream:
                while True:
                    try:
                        yield pickle.load(stream)
                    except EOFError:
                        break

    def close(self) -> None:
        for stream in self.files.values():
            try:
                stream.close()
            except OSError:  # a full disk: the folder goes anyway
                pass
        shutil.rmtree(self.folder, ignore_errors=True)


# The summary --------------------------------------------------------------------------------

_WORDS = {
    "en": {"rows_in": "rows in", "screened": "screened", "rejected": "rejected", "eligible": "eligible",
           "conditional": "conditional", "excluded": "excluded", "reasons": "most common reasons",
           "errors_in": "rejected rows written to", "first_errors": "rejected rows",
           "more": "more", "blank": "blank rows skipped", "row": "row", "profiles": "distinct profiles judged",
           "hits": "answered from the cache", "failed": "failed", "unknown": "unknown", "seconds": "s",
           "source": "source", "item": "item", "value": "value",
           "jobs_lowered": "--jobs {asked} lowered to {used} ({per} per usable core: the work is CPU-bound)"},
    "ar": {"rows_in": "صفوف الإدخال", "screened": "تم فرزها", "rejected": "مرفوضة", "eligible": "مؤهل",
           "conditional": "مشروط", "excluded": "مستبعد", "reasons": "الأسباب الأكثر تكراراً",
           "errors_in": "كُتبت الصفوف المرفوضة في", "first_errors": "الصفوف المرفوضة",
           "more": "أخرى", "blank": "صفوف فارغة تم تجاوزها", "row": "الصف", "profiles": "ملفات مميزة تم تقييمها",
           "hits": "من الذاكرة المؤقتة", "failed": "لم يُستوفَ", "unknown": "لم يُقيَّم", "seconds": "ث",
           "source": "المصدر", "item": "البند", "value": "القيمة",
           "jobs_lowered": "خُفِّض ‎--jobs {asked}‎ إلى {used} ({per} لكل نواة متاحة: العمل حسابي)"},
}


@dataclass
class Summary:
    source: str
    lang: str = "en"
    screened: int = 0
    rejected: int = 0
    blank_rows: int = 0
    counts: Counter = field(default_factory=Counter)
    reasons: Counter = field(default_factory=Counter)  # (kind, rule code) -> rows
    inferences: int = 0
    cache_hits: int = 0
    errors_file: str | None = None
    error_preview: list = field(default_factory=list)
    problems: int = 0  # lines in the errors file (a rejected row may have several)
    output: str | None = None
    seconds: float = 0.0
    jobs_lowered: tuple[int, int] | None = None  # (asked, used) when --jobs was over the cap

    @property
    def rows_in(self) -> int:
        return self.screened + self.rejected

    def words(self) -> dict:
        return _WORDS[self.lang]

    def top_reasons(self, n: int = 5) -> list[tuple[int, str, str, str]]:
        """[(rows, code, failed|unknown label, the finding's summary)] most common first."""
        from tahaluf import knowledge

        texts, words = knowledge.findings(), self.words()
        top = []
        for (kind, code), count in self.reasons.most_common(n):
            summary = texts[code].summary(self.lang) if code in texts else code
            top.append((count, code, words["failed" if kind == "message" else "unknown"], summary))
        return top

    def status_line(self) -> str:
        w = self.words()
        return "   ".join(f"{w[status]}: {self.counts.get(status, 0)}" for status in STATUSES)

    def totals_line(self) -> str:
        w = self.words()
        return (f"{self.rows_in} {w['rows_in']} = {self.screened} {w['screened']} "
                f"+ {self.rejected} {w['rejected']}")

    def text(self) -> str:
        w = self.words()
        lines = [f"tahaluf screen {self.source}: {self.totals_line()}", f"  {self.status_line()}"]
        if self.jobs_lowered:
            asked, used = self.jobs_lowered
            lines.append("  " + w["jobs_lowered"].format(asked=asked, used=used, per=limits.JOBS_PER_CORE))
        if self.blank_rows:
            lines.append(f"  {w['blank']}: {self.blank_rows}")
        top = self.top_reasons()
        if top:
            lines.append(f"  {w['reasons']}:")
            lines += [f"    {count:>7}  {code} {label}: {summary}" for count, code, label, summary in top]
        if self.rejected:
            if self.errors_file:
                lines.append(f"  {w['errors_in']} {self.errors_file}")
            else:
                lines.append(f"  {w['first_errors']}:")
                for row, column, problem in self.error_preview:
                    lines.append(f"    {w['row']} {row}: {column + ': ' if column else ''}{problem}")
                extra = self.problems - len(self.error_preview)
                if extra > 0:
                    lines.append(f"    … +{extra} {w['more']}")
        lines.append(f"  {w['profiles']}: {self.inferences}, {w['hits']}: {self.cache_hits}; "
                     f"{self.seconds:.1f} {w['seconds']}")
        return "\n".join(lines)

    def rows(self) -> list[tuple[str, Any]]:
        """The summary as (item, value) pairs, for the XLSX summary sheet."""
        w = self.words()
        pairs: list[tuple[str, Any]] = [
            (w["source"], self.source), (w["rows_in"], self.rows_in), (w["screened"], self.screened),
            (w["rejected"], self.rejected),
        ]
        pairs += [(w[status], self.counts.get(status, 0)) for status in STATUSES]
        if self.blank_rows:
            pairs.append((w["blank"], self.blank_rows))
        pairs += [(f"{code} {label}", f"{count} — {summary}") for count, code, label, summary in self.top_reasons()]
        return pairs


# Progress ------------------------------------------------------------------------------------


class _Progress:
    """A rich progress bar on standard error when it is a terminal; nothing otherwise."""

    def __init__(self, enabled: bool, label: str):
        self.bar = None
        if enabled:
            from rich.console import Console
            from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn,
                                       TimeRemainingColumn)

            self.bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                TextColumn("rows"), TimeElapsedColumn(), TimeRemainingColumn(),
                                console=Console(stderr=True), transient=True)
            self.task = self.bar.add_task(label, total=None)
            self.bar.start()

    def update(self, rows_done: int, rows_read: int, position: tuple[float, float | None]) -> None:
        """Rows done, out of a total estimated from how far into the file ``rows_read`` rows reach."""
        if self.bar is not None:
            done, total = position
            estimate = round(rows_read * total / done) if done and total else None
            self.bar.update(self.task, completed=rows_done,
                            total=max(estimate, rows_read) if estimate is not None else None)

    def stop(self) -> None:
        if self.bar is not None:
            self.bar.stop()
            self.bar = None


# The library's entry point ----------------------------------------------------------------------


def load_context(path: str | Path) -> tuple[Organisation, Alliance]:
    """Our organisation and the alliance from an alliance YAML file (its partners are ignored)."""
    from tahaluf.loader import load_yaml, read_text, validate
    from tahaluf.model import AllianceDocument

    name = str(path)
    data, source = load_yaml(read_text(Path(path)), name, collect=True)
    if isinstance(data, dict):
        data = {key: value for key, value in data.items() if key != "partners"}
    document = validate(AllianceDocument, data, source, name)
    return document.organisation, document.alliance


def output_format(fmt: str | None, output: str | None) -> str:
    """The format asked for, else the one -o's extension names, else CSV (see reports.output.format_for)."""
    from tahaluf.reports.output import format_for

    if fmt is not None and fmt not in OUTPUT_FORMATS:
        raise UsageError(f"unknown format {fmt!r}: use one of {', '.join(OUTPUT_FORMATS)}")
    return format_for(output, fmt, OUTPUT_SUFFIXES, "csv")


def screen_file(candidates: str | Path, org: str | Path, *, output: str | None = None, fmt: str | None = None,
                jobs: int | None = None, lang: str = "en", errors: str | None = None,
                progress: bool | None = None, cache_size: int = DEFAULT_CACHE_SIZE,
                input_format: str | None = None) -> Summary:
    """Screen every candidate of ``candidates`` and write the best-first results.

    Raises InputError for whole-file problems (unreadable file, unknown column)
    and UsageError for bad options, before any row is screened. Bad rows are
    counted and reported, never fatal. Output goes to ``output`` (atomically) or
    standard output; rejected rows to ``errors`` (default ``<output>.errors.csv``).
    ``candidates`` may be '-' (standard input), with ``input_format``.
    """
    started = time.perf_counter()
    if lang not in _WORDS:
        raise UsageError(f"unknown language {lang!r}: use en or ar")
    jobs, jobs_note = worker_count(jobs)
    fmt = output_format(fmt, output)
    out = None if output in (None, "-") else Path(output)
    if errors is None and out is not None:
        errors = f"{out}.errors.csv"
    errors_path = Path(errors) if errors else None
    inputs = tuple(path for path in (candidates, org) if str(path) != "-")
    for target in (out, errors_path):
        if target is not None:
            check_target(target, inputs)
    if out is not None and errors_path is not None and out.resolve() == errors_path.resolve():
        raise UsageError(f"{out}: the output and the errors file must differ")
    if fmt == "xlsx" and out is None and sys.stdout.isatty():
        raise UsageError("XLSX is binary: give -o FILE.xlsx rather than writing it to the terminal")

    if str(candidates) == "-" and input_format is None:
        raise UsageError("candidates on standard input: say their format with --input-format (csv, xlsx, jsonl, yaml)")

    with _signals_interrupt():
        return _screen_file(candidates, org, fmt, out, jobs, lang, errors_path, progress, cache_size, started,
                            input_format, inputs, jobs_note)


def worker_count(jobs: int | None) -> tuple[int, tuple[int, int] | None]:
    """Worker processes to start: every usable core by default, at most JOBS_PER_CORE per core
    (the work is CPU-bound: more only costs memory). Returns (jobs, (asked, cap) when lowered)."""
    if jobs is None:
        return limits.usable_cores(), None
    if jobs < 1:
        raise UsageError("--jobs must be at least 1")
    cap = limits.max_jobs()
    return (cap, (jobs, cap)) if jobs > cap else (jobs, None)


@contextmanager
def _signals_interrupt():
    """SIGTERM and SIGHUP (a closed terminal) stop the batch like Ctrl-C: temporary files are removed."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum, frame):
        raise KeyboardInterrupt(signal.Signals(signum).name)

    previous = {}
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            previous[name] = signal.signal(getattr(signal, name), interrupt)
    try:
        yield
    finally:
        for name, handler in previous.items():
            signal.signal(getattr(signal, name), handler)


def _screen_file(candidates, org, fmt, out, jobs, lang, errors_path, progress, cache_size, started,
                 input_format=None, inputs=(), jobs_note=None) -> Summary:
    organisation, alliance = load_context(org)
    core_objectives = frozenset(organisation.core_objectives or ())
    summary = Summary(source="<stdin>" if str(candidates) == "-" else str(candidates), lang=lang,
                      errors_file=str(errors_path) if errors_path else None, output=str(out) if out else None,
                      jobs_lowered=jobs_note)
    with open_candidates(candidates, input_format) as reader:
        concession_columns = check_columns(reader)  # whole-file problems stop here, before any row
        spool = _Spool()
        # The results and the errors file are committed together at the end, or neither is.
        outputs = OutputSet(inputs)
        try:
            with ErrorSink(errors_path, outputs) as sink:
                _screen_rows(reader, organisation, alliance, concession_columns, core_objectives, jobs,
                             cache_size, spool, sink, summary,
                             sys.stderr.isatty() if progress is None else progress)
                sink.finish()
            summary.blank_rows = reader.blank_rows
            summary.error_preview, summary.problems = sink.preview, sink.count
            summary.seconds = time.perf_counter() - started
            _write(spool.records(), fmt, out, summary, lang, outputs, spool.folder)
            outputs.commit()
        except BaseException:
            outputs.discard()
            raise
        finally:
            spool.close()
    summary.seconds = time.perf_counter() - started
    return summary


def _screen_rows(reader, organisation, alliance, concession_columns, core_objectives, jobs, cache_size,
                 spool: _Spool, sink: ErrorSink, summary: Summary, show_progress: bool) -> None:
    judge = _Judge(organisation, alliance, jobs)  # before the progress bar: workers fork with no thread about
    bar = _Progress(show_progress, f"screening {Path(reader.name).name}")
    screener = _Screener(judge, jobs, cache_size, spool, sink, summary, concession_columns, core_objectives)
    ok = False
    try:
        chunk: list = []
        rows = 0
        for row, values in reader.rows():
            chunk.append((row, values))
            if len(chunk) >= CHUNK_ROWS:
                rows += len(chunk)
                screener.dispatch(chunk)
                chunk = []
                bar.update(summary.rows_in, rows, reader.position())
        if chunk:
            screener.dispatch(chunk)
        screener.finish()
        bar.update(summary.rows_in, summary.rows_in, (1, 1))
        ok = True
    finally:
        bar.stop()
        judge.close(ok)


class _Screener:
    """The row pipeline: validate, look the profile up, judge the new ones, spool in input order.

    Chunks wait in a window until their new profiles are judged. A row whose verdict
    is already known is turned into its spool record at once (a few hundred bytes),
    so this process can read far ahead while the workers judge; rows still waiting
    for a verdict keep their models, and their number is capped more tightly.
    """

    def __init__(self, judge: _Judge, jobs: int, cache_size: int, spool: _Spool, sink: ErrorSink,
                 summary: Summary, concession_columns: bool, core_objectives: frozenset):
        from tahaluf import knowledge

        self.judge, self.spool, self.sink, self.summary = judge, spool, sink, summary
        self.concession_columns, self.core_objectives = concession_columns, core_objectives
        self.texts, self.lang = knowledge.findings(), summary.lang
        self.cache = _Cache(cache_size)
        self.in_flight: dict[tuple, tuple] = {}  # key -> (job, index): profiles sent, verdict not yet read
        self.window: deque = deque()  # (items, job, keys, waiting rows)
        self.pending = self.waiting = 0
        # In-process the verdicts are there as soon as asked for: nothing to wait for.
        self.max_pending = MAX_PENDING_ROWS if jobs > 1 else 0
        self.max_waiting = MAX_WAITING_ROWS if jobs > 1 else 0

    def reject(self, row: int, problems: Iterable[RowProblem]) -> None:
        self.summary.rejected += 1
        for problem in problems:
            self.sink.add(row, problem.field, problem.problem)

    def record(self, candidate: Candidate | Waiting, verdict: Verdict) -> tuple[int, bytes] | None:
        """The candidate's result row, pickled, with its bucket (None when rejected); counted here."""
        if verdict.status is None:
            self.reject(candidate.row, [RowProblem("", verdict.problem)])
            return None
        parts: list = []
        if verdict.reason is not None:
            kind, code, subject, params = verdict.reason
            entry = self.texts.get(code)
            if entry is not None:
                template = (entry.message if kind == "message" else entry.question)(self.lang)
                values = {name: _resolve(value, candidate) for name, value in params}
                values["subject"] = _resolve(subject, candidate)
                parts = [list(part) for part in fill(template, values).parts]
            self.summary.reasons[(kind, code)] += 1
        self.summary.counts[verdict.status] += 1
        self.summary.screened += 1
        row = [candidate.row, candidate.name, candidate.sector, verdict.status, verdict.score, verdict.failed,
               verdict.unknown, verdict.guidance, parts]
        return bucket_of(verdict.status, verdict.score), pickle.dumps(row, pickle.HIGHEST_PROTOCOL)

    def dispatch(self, chunk: list) -> None:
        """Validate a chunk, look each profile up, send the new ones to the judge in one job."""
        summary, cache, in_flight = self.summary, self.cache, self.in_flight
        items: list = []  # (bucket, pickled row) when the verdict is known, else (Waiting, (job, index))
        new: dict[tuple, None] = {}  # profiles no one has judged yet, in order
        for row, values in chunk:
            if isinstance(values, RowProblem):
                self.reject(row, [values])
                continue
            parsed = parse_row(values, self.concession_columns, self.core_objectives)
            if isinstance(parsed, list):
                self.reject(row, parsed)
                continue
            partner, concession, state = parsed
            key = profile_key(partner, concession, state)
            verdict = cache.get(key)
            if verdict is not None:
                summary.cache_hits += 1
                ready = self.record(Candidate(row, partner, concession), verdict)
                if ready is not None:
                    items.append(ready)
                continue
            waiting = Candidate(row, partner, concession).waiting()
            if key in in_flight:
                summary.cache_hits += 1
                items.append((waiting, in_flight[key]))
                continue
            if key in new:
                summary.cache_hits += 1
            else:
                new[key] = None
            items.append((waiting, key))
        jobs = []
        keys = list(new)
        for start in range(0, len(keys), JOB_PROFILES):
            # Small jobs: the new profiles of one chunk are shared among the workers.
            part = keys[start:start + JOB_PROFILES]
            job = self.judge.submit(part)
            jobs.append((job, part))
            for index, key in enumerate(part):
                in_flight[key] = (job, index)
        summary.inferences += len(keys)
        waits = 0
        for position, (first, second) in enumerate(items):
            if first.__class__ is Waiting:
                waits += 1
                if second.__class__ is tuple and second in new:  # a key: its job was sent just now
                    items[position] = (first, in_flight[second])
        self.window.append((items, jobs, waits))
        self.pending += len(items)
        self.waiting += waits
        while self.window and (self.pending > self.max_pending or self.waiting > self.max_waiting):
            self.drain()

    def drain(self) -> None:
        """Write out the oldest chunk, waiting for its verdicts if need be."""
        items, jobs, waits = self.window.popleft()
        self.pending -= len(items)
        self.waiting -= waits
        for job, keys in jobs:
            try:
                verdicts = job.result()
            except BrokenProcessPool:
                raise TahalufError("a worker process stopped unexpectedly (out of memory?); "
                                   "nothing was written: try fewer --jobs") from None
            for key, verdict in zip(keys, verdicts):
                self.cache.put(key, verdict)
                self.in_flight.pop(key, None)
        for first, second in items:
            if first.__class__ is Waiting:
                job, index = second
                ready = self.record(first, job.result()[index])
                if ready is None:
                    continue
                first, second = ready
            self.spool.add(first, second)

    def finish(self) -> None:
        while self.window:
            self.drain()


def _write(records: Iterator[list], fmt: str, out: Path | None, summary: Summary, lang: str,
           outputs: OutputSet, scratch: Path) -> None:
    """Write the results to a temporary file of ``outputs`` (committed by the caller) or to standard output."""
    target = outputs.add(out) if out is not None else None
    if fmt == "csv":
        with text_target(target) as stream:
            write_csv(stream, records)
    elif fmt == "jsonl":
        with text_target(target, bom=False) as stream:
            write_jsonl(stream, records)
    elif fmt == "html":
        with text_target(target, bom=False) as stream:
            write_html(stream, records, summary, lang, _html_labels(lang))
    elif target is not None:
        write_xlsx(target, records, summary.rows(), lang, _xlsx_words(lang), scratch)
    else:
        temporary = scratch / "screening.xlsx"  # a zip is written with seeks: not to a pipe
        write_xlsx(temporary, records, summary.rows(), lang, _xlsx_words(lang), scratch)
        with open(temporary, "rb") as stream:
            sys.stdout.flush()
            while block := stream.read(1 << 20):
                sys.stdout.buffer.write(block)
            sys.stdout.buffer.flush()


_HEADINGS = {
    "en": {"title": "Candidate screening", "rank": "#", "row": "Row", "name": "Name", "sector": "Sector",
           "status": "Status", "score": "Score", "failed": "Failed checks", "not_assessed": "Not assessed",
           "guidance": "Guide", "reason": "Reason", "sort_hint": "Click a column heading to sort."},
    "ar": {"title": "فرز الشركاء المحتملين", "rank": "#", "row": "الصف", "name": "الاسم", "sector": "القطاع",
           "status": "الحالة", "score": "الدرجة", "failed": "فحوص لم تُستوفَ", "not_assessed": "لم يُقيَّم",
           "guidance": "الدليل", "reason": "السبب", "sort_hint": "انقر على عنوان عمود للترتيب."},
}


def _sector_words(lang: str) -> dict[str, str]:
    """Sector codes in the output's language (Arabic outputs are Arabic all the way; English keeps the codes)."""
    from tahaluf import knowledge

    if lang == "en":
        return {}
    return {key.removeprefix("sector."): text(lang) for key, text in knowledge.labels().items()
            if key.startswith("sector.")}


def _html_labels(lang: str) -> dict:
    labels = dict(_HEADINGS[lang])
    labels.update({status: _WORDS[lang][status] for status in STATUSES})
    labels["status_rank"] = {status: index for index, status in enumerate(STATUSES)}
    labels["sectors"] = _sector_words(lang)
    return labels


def _xlsx_words(lang: str) -> dict:
    """Headers, status words and sectors of an XLSX in ``lang`` (English keeps the column and status codes)."""
    if lang == "en":
        return {}
    words = {column: _HEADINGS[lang][column] for column in ("rank", "row", "name", "sector", "status", "score",
                                                              "failed", "not_assessed", "guidance", "reason")}
    words.update(item=_WORDS[lang]["item"], value=_WORDS[lang]["value"],
                 statuses={status: _WORDS[lang][status] for status in STATUSES}, sectors=_sector_words(lang))
    return words
