"""Reuse: what the rules concluded about parts of earlier candidates, applied to a new one.

A partner-level check's outcome depends only on the facts it declares it reads
(``@check(reads=...)``). A candidate's profile key is flattened once; each check's
*projection* (the key's values at the positions it reads) indexes that check's
outcomes. When every check's projection has been seen, the candidate's findings are
known without an engine run, and its verdict comes from the derivations run once per
distinct set of outcomes — part by part, one part per dimension, so that a new mix of
known parts costs lookups too. experta decides every outcome the first time it is seen.

The organisation and the alliance are the same for every candidate of a run: a Reuse
lives with one prepared context (see inference.prepare) and never outlives it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from itertools import chain
from operator import itemgetter

from tahaluf.model import Alliance, Organisation
from tahaluf.rules.base import GIVEN
from tahaluf.rules.engine import FindingResult, derive
from tahaluf.rules.verdict import worst_verdict
from tahaluf.screening.profiles import CONCESSION_SHAPE, PARTNER_SHAPE, SECTION_SHAPES

# A section or concession that is absent, as opposed to present with a field unknown (None).
ABSENT = "\x00absent"
_NOT_GIVEN = (None, ABSENT)
# Bounds: a check's projections are few in practice (a handful of fields of a few values
# each), but a hostile file can make them many; a full map is emptied and relearned.
MAX_OUTCOMES = 20_000  # per check
MAX_VERDICTS = 100_000  # sets of outcomes


class Layout:
    """Where each readable fact sits in a flattened profile key (see profiles.profile_key)."""

    def __init__(self):
        self.positions: dict[str, tuple[int, ...]] = {}
        index = 0

        def place(names: Iterable[str], prefix: str) -> tuple[int, ...]:
            nonlocal index
            placed = []
            for name in names:
                self.positions[prefix + name] = (index,)
                placed.append(index)
                index += 1
            return tuple(placed)

        place(PARTNER_SHAPE.names(), "partner.")
        self.sections = []
        for section, shape in SECTION_SHAPES.items():
            placed = place(shape.names(), f"partner.{section}.")
            self.positions[f"partner.{section}"] = placed  # the whole section (CX04 reads it so)
            self.sections.append(((ABSENT,) * len(shape.values), (ABSENT,) * len(shape.texts)))
        (state,) = place(("concessions",), "")
        place(CONCESSION_SHAPE.names(), "concession.")
        for path in [path for path in self.positions if path.startswith("concession.")]:
            # Whether a concession is asked, unknown or none decides whether these checks run at all.
            self.positions[path] = (state, *self.positions[path])
        self.absent_concession = ((ABSENT,) * len(CONCESSION_SHAPE.values), (ABSENT,) * len(CONCESSION_SHAPE.texts))

    def flatten(self, key: tuple) -> tuple:
        partner, *sections, state, concession = key
        parts = [partner[0], partner[1]]
        for section, absent in zip(sections, self.sections):
            parts += section if section is not None else absent
        parts.append((state,))
        parts += concession if concession is not None else self.absent_concession
        return tuple(chain.from_iterable(parts))

    def projection(self, code: str, reads: Iterable[str]) -> Callable[[tuple], object]:
        """A function from a flattened key to the values ``reads`` names (the context's facts,
        fixed for a run, take no place). An unknown path is a mistake in the rule: said at once."""
        indexes: list[int] = []
        given: list[tuple[int, ...]] = []
        for path in reads:
            if path.startswith(GIVEN):
                path = path[len(GIVEN):]
                if path not in self.positions:
                    raise ValueError(f"{code}: reads {GIVEN}{path!r}, which is not a fact of a candidate")
                given.append(self.positions[path])
                continue
            root, _, field = path.partition(".")
            if root in ("alliance", "organisation"):
                model = Alliance if root == "alliance" else Organisation
                if field.split(".")[0] not in model.model_fields:
                    raise ValueError(f"{code}: reads {path!r}, which is not a field of the {root}")
                continue
            if path not in self.positions:
                raise ValueError(f"{code}: reads {path!r}, which is not a fact of a candidate")
            indexes += [i for i in self.positions[path] if i not in indexes]
        values = itemgetter(*sorted(indexes)) if indexes else (lambda flat: ())
        if not given:
            return values  # a value, or a tuple of them: either way one key per check
        return lambda flat: (values(flat), *(any(flat[i] not in _NOT_GIVEN for i in part) for part in given))


class Reuse:
    """The outcomes of each partner-level check by projection, and the derivations' verdict by the
    outcomes of each dimension's checks."""

    def __init__(self, specs, dimensions: tuple[str, ...]):
        self.layout = Layout()
        specs = tuple(specs)
        self.checks = tuple((spec.code, self.layout.projection(spec.code, spec.reads)) for spec in specs)
        self.outcomes: list[dict] = [{} for _ in specs]  # per check: projection -> (id, findings)
        # A check's findings all belong to its dimension: the derivations can be run, and
        # remembered, dimension by dimension (see rules.verdict.worst_verdict).
        self.dimensions = dimensions
        groups: dict[str, list[int]] = {name: [] for name in dimensions}
        for index, spec in enumerate(specs):
            groups.setdefault(spec.dimension, []).append(index)
        # A dimension's key: its checks' outcome ids (itemgetter: one id, or a tuple of them).
        self.groups = tuple((name, itemgetter(*members) if members else (lambda ids: ()))
                            for name, members in groups.items())
        self.verdicts: list[dict] = [{} for _ in self.groups]  # per dimension: its checks' outcome ids -> word
        self.parts: dict[tuple, str] = {}  # (dimension, its findings' statuses and severities) -> word
        self.learned = 0
        self.hits = self.misses = 0

    def recall(self, key: tuple) -> tuple[tuple[FindingResult, ...], str] | None:
        """The findings and verdict of this profile, if every check's part has been seen."""
        flat = self.layout.flatten(key)
        entries = []
        for (_, project), outcomes in zip(self.checks, self.outcomes):
            entry = outcomes.get(project(flat))
            if entry is None:
                self.misses += 1
                return None
            entries.append(entry)
        self.hits += 1
        ids = [entry[0] for entry in entries]
        words = []
        for (dimension, pick), verdicts in zip(self.groups, self.verdicts):
            group = pick(ids)
            word = verdicts.get(group)
            if word is None:
                part = [f for entry in entries for f in entry[1] if f.dimension == dimension]
                word = self._derive(dimension, part)
                if len(verdicts) >= MAX_VERDICTS:
                    verdicts.clear()
                verdicts[group] = word
            words.append(word)
        return tuple(chain.from_iterable(entry[1] for entry in entries)), worst_verdict(words)

    def learn(self, key: tuple, findings: Iterable[FindingResult]) -> None:
        """Keep each check's part of a fresh run's findings."""
        flat = self.layout.flatten(key)
        by_rule: dict[str, list[FindingResult]] = {}
        for finding in findings:
            by_rule.setdefault(finding.rule, []).append(finding)
        for (code, project), outcomes in zip(self.checks, self.outcomes):
            projection = project(flat)
            if projection not in outcomes:
                if len(outcomes) >= MAX_OUTCOMES:
                    outcomes.clear()
                self.learned += 1
                outcomes[projection] = (self.learned, tuple(by_rule.get(code, ())))

    def _derive(self, dimension: str, part: list[FindingResult]) -> str:
        """The derivations' verdict on one dimension's findings (experta, once per distinct part)."""
        key = (dimension, tuple(sorted((f.status, f.severity) for f in part)))
        word = self.parts.get(key)
        if word is None:
            if len(self.parts) >= MAX_VERDICTS:
                self.parts.clear()
            scored = (dimension,) if dimension in self.dimensions else ()
            word = self.parts[key] = derive(part, scored)
        return word
