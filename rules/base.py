"""How a rule is written: a linter-style check on top of an experta rule.

A check has a stable code (``PR01``), a kebab-case name, the guide items it
encodes and the readiness dimension it informs. Its left-hand side (experta
patterns) selects what it looks at; its body returns an :class:`Outcome`:
``fail``, ``pass`` or ``not_assessed`` when a deciding fact is unknown, or
``None`` when the check does not apply. The wrapper declares a ``Finding`` fact,
which the derivation rules in ``verdict.py`` chain on.

Texts, severities and fixes are not here: they live in ``knowledge/findings/``.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

from tahaluf.experta_compat import P, Rule
from tahaluf.goals import goal_is_specific  # noqa: F401 (the rule for "specific", written once in the input layer)

CHECK_SALIENCE = 100
SUPPORT_SALIENCE = 95  # after every check, before the checks that read their findings
AFTER_CHECKS_SALIENCE = 90  # above the derivations (50): its finding still reaches gates and conditions
DIMENSIONS = (
    "motives_fit",
    "partners_due_diligence",
    "cross_sector_terms",
    "form_governance",
    "decision_making",
    "monitoring_evaluation",
    "communication",
)
# Checks of input consistency (contradictions) are findings, but not part of any readiness score.
UNSCORED_DIMENSIONS = ("consistency", "evidence")
OUTCOMES = ("fail", "pass", "not_assessed")


class Outcome(NamedTuple):
    status: str  # one of OUTCOMES
    evidence: tuple  # ((input path, value), ...): the facts that decided it
    params: tuple = ()  # ((name, value), ...) for the finding's message
    # ((field, value), ...): the check applies only if these unknown facts turn out so;
    # the question is then worded for that case ("If X is a company: ...").
    applies_if: tuple = ()
    # A severity other than the rule's own, for an outcome the guide weighs differently
    # (GV03: a mixed approach is major, a confrontational one a blocker).
    severity: str | None = None
    # The finding's message when it is not the rule's default: a key of the rule's
    # ``messages`` in knowledge, one per cause, so that each failure says its own cause.
    message: str | None = None


@dataclass(frozen=True)
class RuleSpec:
    code: str
    name: str
    guidance: tuple[str, ...]
    dimension: str
    doc: str
    method: str
    module: str
    partner_level: bool
    rule: Any = field(repr=False, compare=False)
    # A finding of fact (a contradiction, an event): it never passes.
    fails_only: bool = False
    # The body's parameters in written order: a finding's subject is chosen in this
    # order, never in the order experta's matcher happens to build its context.
    inputs: tuple[str, ...] = ()
    # The facts a partner-level check reads (``partner.sector``, ``concession.what``,
    # ``concessions`` for whether any is asked, ``alliance.motives``): its outcome is a
    # function of these alone, so screening reuses it for every candidate that agrees
    # on them (tests/test_check_reads.py perturbs everything else to prove it).
    reads: tuple[str, ...] = ()
    # Fact types read from working memory beyond the patterns (``self.facts``).
    memory: tuple[str, ...] = ()
    source: str = field(default="", repr=False, compare=False)


REGISTRY: dict[str, RuleSpec] = {}
# Rules that are no check: they gather, from the checks' findings, facts an after-checks check
# judges (rules/evidence.py: the facts the passing checks rested on). Whole-alliance engine only.
SUPPORT: dict[str, Any] = {}


def supporting(*when) -> Callable:
    """Decorator: register an experta rule that runs after every check and before ``after_checks`` ones."""
    def wrap(body: Callable) -> Rule:
        if body.__name__ in SUPPORT or any(spec.method == body.__name__ for spec in REGISTRY.values()):
            raise ValueError(f"rule name {body.__name__} is already used")
        body.__dict__["definition_site"] = (body.__module__, body.__code__.co_firstlineno)
        SUPPORT[body.__name__] = Rule(*when, salience=SUPPORT_SALIENCE)(body)
        return SUPPORT[body.__name__]
    return wrap


def check(code: str, name: str, *, guidance: Iterable[str], dimension: str, when: Iterable,
          partner_level: bool = False, fails_only: bool = False, after_checks: bool = False,
          reads: Iterable[str] = (), memory: Iterable[str] = ()) -> Callable:
    """Decorator: turn ``def body(engine, **matched) -> Outcome | None`` into a registered experta rule.

    ``partner_level`` rules look only at one partner, its concessions and our
    organisation: they are the ones batch screening runs for each candidate.
    ``fails_only`` marks a finding of fact (a contradiction, an event that happened):
    it never passes; it fails, stays open, or says nothing.
    ``after_checks`` runs it once every ordinary check has fired, for a check that reads the
    others' findings (DS01: how much a disagreement matters is what it decides).
    ``reads`` names every fact a partner-level check reads (required for those): what
    its outcome may depend on, and so what screening keys its reuse on.
    ``memory`` names the fact types the body reads from working memory beyond its patterns
    (``self.facts``: every partner, say): a what-if reruns it when any of those changes.
    """
    guidance, reads, memory = tuple(guidance), tuple(reads), tuple(memory)
    if partner_level and not reads:
        raise ValueError(f"{code}: a partner-level check must declare the facts it reads (reads=...)")
    if dimension not in DIMENSIONS + UNSCORED_DIMENSIONS:
        raise ValueError(f"{code}: unknown dimension {dimension!r}")

    def wrap(body: Callable) -> Rule:
        if code in REGISTRY:
            raise ValueError(f"rule code {code} is defined twice")
        if any(spec.method == body.__name__ for spec in REGISTRY.values()):
            # experta collects rules by attribute name: a clash would silently drop one.
            raise ValueError(f"{code}: method name {body.__name__} is already used by another rule")

        def fire(engine, **matched):
            outcome = body(engine, **matched)
            if fails_only and outcome is not None and outcome.status == "pass":
                raise ValueError(f"{code} is a finding of fact: it never passes")
            if outcome is not None:
                engine.record_finding(code, outcome, matched)

        fire.__name__ = body.__name__
        fire.__doc__ = body.__doc__
        # Ties on the agenda are broken by where a rule was written: the body's, not this wrapper's.
        fire.__dict__["definition_site"] = (body.__module__, body.__code__.co_firstlineno)
        rule = Rule(*when, salience=AFTER_CHECKS_SALIENCE if after_checks else CHECK_SALIENCE)(fire)
        REGISTRY[code] = RuleSpec(
            code=code, name=name, guidance=guidance, dimension=dimension,
            doc=" ".join((body.__doc__ or "").split()), method=body.__name__,
            module=body.__module__, partner_level=partner_level, rule=rule, fails_only=fails_only,
            inputs=tuple(inspect.signature(body).parameters)[1:], reads=reads,
            memory=memory, source=inspect.getsource(body),
        )
        return rule

    return wrap


# Judging helpers: unknown (None) is never read as true or false. ------------------


GIVEN = "given:"


def given(path: str) -> str:
    """For ``reads=``: not the facts under ``path`` but only whether any of them is given
    (CX04 reads no more of a partner's government terms than that)."""
    return GIVEN + path


def value_at(fact: Any, dotted: str) -> Any:
    """Read ``a.b`` from a fact (nested sections are frozen dicts; a missing one is unknown).

    Not schema_walker.value_at: this reads an experta fact (frozendicts, a rule's dotted field
    names, no list indexes), not the file's plain data at a path."""
    current = fact
    for part in dotted.split("."):
        if current is None:
            return None
        current = current.get(part)
    return current


def _evidence(fact: Any, fields: Iterable[str]) -> tuple:
    return tuple((f"{fact['path']}.{name}", value_at(fact, name)) for name in fields)


def status_of(failed: bool, unknown: bool) -> str:
    """The one order every check keeps: a known failure fails, whatever else is unknown;
    otherwise anything unknown leaves it open; otherwise it passes."""
    return "fail" if failed else ("not_assessed" if unknown else "pass")


def require_true(fact: Any, *fields: str, params: tuple = (), messages: dict[str, str] | None = None) -> Outcome:
    """Pass when every field is true; fail when any is false; else not assessed.

    A failure cites only the false fields: they decide it whatever the others turn out to be.
    ``messages``: field -> message key, for a check of several facts that says which one
    failed (the first false field, in the order given; a field not listed: the default)."""
    values = [value_at(fact, name) for name in fields]
    status = status_of(False in values, None in values)
    failed = next((name for name, value in zip(fields, values) if value is False), None)
    key = (messages or {}).get(failed) if status == "fail" and failed is not None else None
    if status == "fail":
        fields = tuple(name for name, value in zip(fields, values) if value is False)
    return Outcome(status, _evidence(fact, fields), params, message=key)


def require(fact: Any, field_name: str, ok: Callable[[Any], bool], params: tuple = ()) -> Outcome:
    """Pass when ``ok(value)``; fail when not; not assessed when the value is unknown."""
    value = value_at(fact, field_name)
    status = "not_assessed" if value is None else ("pass" if ok(value) else "fail")
    return Outcome(status, _evidence(fact, (field_name,)), params)


def outcome(status: str, fact: Any, *fields: str, params: tuple = (), message: str | None = None) -> Outcome:
    """An outcome decided by the rule itself, citing the fields it read (``message``: its cause's
    message key, see :class:`Outcome`).

    A failure is decided by known facts (:func:`status_of`: a known failure fails whatever else
    is unknown), so it cites only those: whether the consultation is settled reads exactly that."""
    evidence = _evidence(fact, fields)
    if status == "fail":
        evidence = tuple((path, value) for path, value in evidence if value is not None)
    return Outcome(status, evidence, params, message=message)


def maybe(*values: Any):
    """A pattern constraint for a fact that decides whether a check applies: it matches the
    values the check applies to *and* unknown (None), so that an unknown sector or stage
    reaches the check instead of silently skipping it. Pair it with :func:`if_applies`."""
    accepted = frozenset(values)
    return P(lambda value: value is None or value in accepted)


def if_applies(fact: Any, field_name: str, value: Any, result: Outcome | None) -> Outcome | None:
    """The check's own ``result`` when ``field_name`` is known (the pattern already chose it);
    when it is unknown, a result that passes stands (it holds whatever the answer), and any
    other becomes *not assessed*, conditional on ``field_name`` being ``value``."""
    if value_at(fact, field_name) is not None or result is None or result.status == "pass":
        return result
    return result._replace(
        status="not_assessed",
        evidence=((f"{fact['path']}.{field_name}", None), *result.evidence),
        applies_if=((field_name, value), *result.applies_if),
    )


def judge_event(event: Any, alliance: Any) -> Outcome | None:
    """An event that happened fails the norm it breaks; with the events left out (the one
    possible event, kind unknown) the norm stays open, for an alliance that exists or may."""
    if event.get("kind") is not None:
        return outcome("fail", event, "kind", "who", "when")
    open_question = Outcome("not_assessed", (("review.events", None),), applies_if=(("kind", "happened"),))
    return if_applies(alliance, "stage", "existing", open_question)


def subject_of(fact: Any) -> str:
    """The name a finding is about: a partner's or concession's, else the section path."""
    return fact.get("name") or fact.get("what") or fact["path"]


class RuleSet:
    """Base of the mixins that hold rules (the engine composes its rules from REGISTRY, not from these classes)."""

    # What a rule's body uses of the engine its method is composed into (experta's KnowledgeEngine
    # and rules/engine.py's _Base): declared for the type checker only, defined there.
    facts: Any
    findings_ledger: list[dict]
    if TYPE_CHECKING:
        def declare(self, *facts: Any) -> Any: ...
        def next_id(self, prefix: str) -> str: ...
        def ids_of(self, fact_type: type) -> tuple: ...
