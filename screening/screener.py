"""The row loop: validate each row, look its profile up, send the new ones to the workers, and
spool the results in input order, with a bounded window of rows in memory.
"""

from __future__ import annotations

import pickle
from collections import deque
from collections.abc import Iterable
from concurrent.futures.process import BrokenProcessPool
from typing import TYPE_CHECKING

from tahaluf.errors import TahalufError
from tahaluf.screening.inference import Cache, Verdict, unverified, verdict_of
from tahaluf.screening.ordering import Spool, bucket_of
from tahaluf.screening.profiles import profile_key, resolve_markers
from tahaluf.screening.readers import RowProblem
from tahaluf.screening.rows import Candidate, Waiting, parse_row, row_evidence
from tahaluf.screening.summary import Summary
from tahaluf.screening.workers import Judge
from tahaluf.screening.writers import ErrorSink
from tahaluf.user_messages import fill

if TYPE_CHECKING:
    from tahaluf.screening.cluster import DaskJudge

JOB_PROFILES = 64  # new profiles per job sent to a worker
# Jobs per worker whose results are not yet learned: past this, the screener waits for the
# oldest before sending more. Otherwise, early in a file of new profiles, it would send
# thousands of them before learning the checks' outcomes that would judge most by lookups.
UNLEARNED_JOBS_PER_WORKER = 2
MAX_PENDING_ROWS = 65_536  # rows read ahead while workers judge new profiles (each a pickled row)
MAX_WAITING_ROWS = 8_192  # ... of which rows still waiting for their verdict (each with its models)


class Screener:
    """The row pipeline: validate, look the profile up, judge the new ones, spool in input order.

    A new profile whose every check has an outcome already seen (``reuse``, learned from
    the workers' engine runs) is judged here by lookups; only the others go to the workers.
    Chunks wait in a window until their new profiles are judged. A row whose verdict
    is already known is turned into its spool record at once (a few hundred bytes),
    so this process can read far ahead while the workers judge; rows still waiting
    for a verdict keep their models, and their number is capped more tightly.
    """

    def __init__(self, judge: Judge | DaskJudge, jobs: int, cache_size: int, spool: Spool, sink: ErrorSink,
                 summary: Summary, concession_columns: bool, core_objectives: frozenset, reuse=None, policy=None):
        from tahaluf import knowledge
        from tahaluf.policy.texts import finding_texts

        self.judge, self.spool, self.sink, self.summary = judge, spool, sink, summary
        self.concession_columns, self.core_objectives = concession_columns, core_objectives
        # The guide's rules' texts, and the policy's cited as "Your policy: P3 — …" in a reason.
        self.texts, self.lang = finding_texts(policy), summary.lang
        # A subject that is a section, not the row's partner or concession (the concession left
        # unknown: "concessions"), in words, as the report words it.
        self.templates: dict[tuple, str] = {}
        self.subjects = {key.removeprefix("subject."): text(self.lang) for key, text in knowledge.labels().items()
                         if key.startswith("subject.")}
        self.cache = Cache(cache_size)
        self.reuse = reuse  # screening.reuse.Reuse, or None: every new profile to the workers
        self.in_flight: dict[tuple, tuple] = {}  # key -> (job, index): profiles sent, verdict not yet read
        self.unlearned: deque = deque()  # (job, keys) sent, results not yet cached and learned from
        self.max_unlearned = UNLEARNED_JOBS_PER_WORKER * jobs if jobs > 1 else 0
        self.window: deque = deque()  # (items, job, keys, waiting rows)
        self.pending = self.waiting = 0
        # In-process the verdicts are there as soon as asked for: nothing to wait for.
        self.max_pending = MAX_PENDING_ROWS if jobs > 1 else 0
        # ... and enough waiting rows for two jobs per worker (a large Dask cluster has many).
        self.max_waiting = max(MAX_WAITING_ROWS, 2 * JOB_PROFILES * jobs) if jobs > 1 else 0

    def reject(self, row: int, problems: Iterable[RowProblem]) -> None:
        self.summary.rejected += 1
        for problem in problems:
            self.sink.add(row, problem.field, problem.problem)

    def record(self, candidate: Candidate | Waiting, verdict: Verdict) -> tuple[int, bytes] | None:
        """The candidate's result row, pickled, with its bucket (None when rejected); counted here."""
        verdict = unverified(verdict, candidate.evidence)  # a source only claimed: facts to verify (issue 25)
        if verdict.status is None:
            self.reject(candidate.row, [RowProblem("", verdict.problem)])
            return None
        reasons = [self.words(reason, candidate) for reason in verdict.reasons]
        parts = reasons[0] if reasons else []
        if verdict.reason is not None:
            kind, code = verdict.reason[:2]
            self.summary.reasons[(kind, code)] += 1
            # What is wrong, as the first row it was wrong for says (the first in the file: rows are
            # recorded in another order with more workers, and the summary must not change with them).
            known = self.summary.examples.get((kind, code))
            if known is None or candidate.row < known[0]:
                self.summary.examples[(kind, code)] = (candidate.row, "".join(text for text, _ in parts))
        self.summary.counts[verdict.status] += 1
        self.summary.screened += 1
        row = [candidate.row, candidate.name, candidate.sector, verdict.status, verdict.score, verdict.failed,
               verdict.unknown, verdict.guidance, parts, reasons]
        return bucket_of(verdict.status, verdict.score), pickle.dumps(row, pickle.HIGHEST_PROTOCOL)

    def words(self, reason: tuple, candidate: Candidate | Waiting) -> list:
        """One reason in words, as (text, user's text?) parts: the failed check's message, or the
        question that would settle a fact nobody knows, with the row's own texts filled in."""
        kind, code, subject, params, key = reason
        template = self.templates.get((kind, code, key))
        if template is None:  # looked up once per check and cause: a row has several reasons
            entry = self.texts.get(code)
            if entry is None:
                return [[code, False]]
            template = self.templates[(kind, code, key)] = (
                entry.message_for(key) if kind == "message" else entry.question)(self.lang)
        values = {name: resolve_markers(value, candidate) for name, value in params}
        for name, path in params:
            if name.endswith("_path"):  # a contradiction's fact: said in words (the row has no line of its own)
                fact = name.removesuffix("_path")
                values.update(self.said(fact, path, values.get(fact + "_value")))
        values["subject"] = self.subjects.get(subject) or resolve_markers(subject, candidate)
        if code == "EV01":  # the fact to confirm, by its question and answer (the row is the partner)
            from tahaluf.fact_words import describe_fact

            words = describe_fact(values["fact"], values["value"], self.lang)
            values["fact"] = f"{words.question} {words.answer[0]}"
        return [[text, user] for text, user in fill(template, values).parts]

    def said(self, side: str, path: str, value) -> dict:
        """{first}: "Sector? Private sector" and {first_said}: "You said" (or {second}, {second_said})."""
        from tahaluf import knowledge
        from tahaluf.fact_words import describe_fact

        words = describe_fact(path, value, self.lang)
        key = "fact.said_first_nowhere" if side == "first" else "fact.said_then_nowhere"
        return {side: f"{words.question} {words.answer[0]}", f"{side}_said": knowledge.labels()[key](self.lang)}

    def dispatch(self, chunk: list) -> None:
        """Validate a chunk, look each profile up, send the new ones to the judge in one job."""
        summary, cache, in_flight = self.summary, self.cache, self.in_flight
        items: list = []  # (bucket, pickled row) when the verdict is known, else (Waiting, (job, index))
        new: dict[tuple, None] = {}  # profiles no one has judged yet, in order
        for row, values in chunk:
            if isinstance(values, RowProblem):
                self.reject(row, [values])
                continue
            values, evidence = row_evidence(values)
            parsed = parse_row(values, self.concession_columns, self.core_objectives)
            if isinstance(parsed, list) or isinstance(evidence, list):
                self.reject(row, [*(parsed if isinstance(parsed, list) else ()),
                                  *(evidence if isinstance(evidence, list) else ())])
                continue
            partner, concession, state = parsed
            key = profile_key(partner, concession, state)
            verdict = cache.get(key)
            if verdict is not None:
                summary.cache_hits += 1
                ready = self.record(Candidate(row, partner, concession, evidence), verdict)
                if ready is not None:
                    items.append(ready)
                continue
            if self.reuse is not None and key not in in_flight and key not in new:
                known = self.reuse.recall(key)
                if known is not None:
                    verdict = verdict_of(*known)
                    summary.inferences += 1
                    cache.put(key, verdict)
                    ready = self.record(Candidate(row, partner, concession, evidence), verdict)
                    if ready is not None:
                        items.append(ready)
                    continue
            waiting = Candidate(row, partner, concession, evidence).waiting()
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
        self.unlearned.extend(jobs)
        while self.unlearned and (len(self.unlearned) > self.max_unlearned or self.unlearned[0][0].done()):
            self.learn(*self.unlearned.popleft())
        self.pending += len(items)
        self.waiting += waits
        while self.window and (self.pending > self.max_pending or self.waiting > self.max_waiting):
            self.drain()

    def drain(self) -> None:
        """Write out the oldest chunk, waiting for its verdicts if need be."""
        items, jobs, waits = self.window.popleft()
        self.pending -= len(items)
        self.waiting -= waits
        for job, _ in jobs:
            while self.unlearned and any(sent is job for sent, _ in self.unlearned):
                self.learn(*self.unlearned.popleft())
        for first, second in items:
            if first.__class__ is Waiting:
                job, index = second
                ready = self.record(first, job.result()[index])
                if ready is None:
                    continue
                first, second = ready
            self.spool.add(first, second)

    def learn(self, job, keys: list[tuple]) -> None:
        """Cache a finished job's verdicts, and learn the checks' outcomes of its engine runs."""
        try:
            verdicts = job.result()
        except BrokenProcessPool:
            raise TahalufError("a worker process stopped unexpectedly (out of memory?); "
                               "nothing was written: try fewer --jobs") from None
        for key, verdict in zip(keys, verdicts):
            if verdict.findings is not None:  # a full engine run: its checks' outcomes serve later profiles
                self.summary.engine_runs += 1
                if self.reuse is not None:
                    self.reuse.learn(key, verdict.findings)
                verdict = verdict._replace(findings=None)
            self.cache.put(key, verdict)
            self.in_flight.pop(key, None)

    def finish(self) -> None:
        while self.window:
            self.drain()
