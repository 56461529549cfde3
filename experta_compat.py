"""The one place that imports experta.

experta 1.9.4 pins frozendict 1.2, which subclasses ``collections.Mapping``;
that alias was removed in Python 3.10, so ``import experta`` breaks (and
experta's ``__init__`` swallows the ImportError, leaving an empty module).
Restoring the aliases before the first import is enough: experta's own code
already uses ``collections.abc``. Every other module imports experta from here.

It also carries the one fix to experta's agenda (see ``StableDepthStrategy``): a
retracted activation that shared its key with two or more others could stay on the
agenda and fire, and ties fired in an order set by PYTHONHASHSEED.
"""

import bisect
import collections
import collections.abc
import logging as _logging

for _name in ("Mapping", "MutableMapping", "Sequence", "Iterable", "Hashable"):
    if not hasattr(collections, _name):
        setattr(collections, _name, getattr(collections.abc, _name))

_root_handlers = list(_logging.getLogger().handlers)

from experta import (  # noqa: E402  (must follow the aliases above)
    AS,
    EXISTS,
    MATCH,
    NOT,
    OR,
    TEST,
    Fact,
    Field,
    P,
    Rule,
    W,
)
from experta import KnowledgeEngine as _UpstreamEngine  # noqa: E402
from experta.activation import Activation as _Activation  # noqa: E402
from experta.agenda import Agenda as _Agenda  # noqa: E402
from experta.strategies import DepthStrategy as _DepthStrategy  # noqa: E402
from experta.utils import frozendict, frozenlist  # noqa: E402

# `import experta` calls logging.basicConfig(), which would print experta's
# warnings on stderr of a CLI that promised clean output: undo it.
_root = _logging.getLogger()
for _handler in list(_root.handlers):
    if _handler not in _root_handlers:
        _root.removeHandler(_handler)


# The agenda: a stable order and a removal that finds its activation. -------------
#
# experta 1.9.4's DepthStrategy keeps the agenda sorted by (salience, fact ids) and,
# to drop a retracted activation, bisects to the first activation of its key and
# compares only positions idx, idx+1 and idx-1. With three or more activations of
# one key (several rules matching the same facts at one salience), the one to drop
# can sit further along: it stays on the agenda and fires later, so a rule guarded
# by NOT(X) fires although X was declared. Activations of equal key also fire in
# the order the Rete network's sets yield them, which follows PYTHONHASHSEED.
#
# StableDepthStrategy keeps experta's depth order and completes the key, so no two
# distinct activations tie: (salience, fact ids newest first, then rule definition
# order, then the matched values). Removal scans every activation of the key.


def _check_experta_shape() -> None:
    """Fail loudly, at import, if the experta internals the fix relies on have changed."""
    import inspect

    problems = []
    if list(inspect.signature(_DepthStrategy._update_agenda).parameters) != ["self", "agenda", "added", "removed"]:
        problems.append("DepthStrategy._update_agenda(agenda, added, removed)")
    if list(inspect.signature(_Activation.__init__).parameters) != ["self", "rule", "facts", "context"]:
        problems.append("Activation(rule, facts, context)")
    if not isinstance(_Agenda().activations, list):
        problems.append("Agenda.activations as a list")
    if getattr(_UpstreamEngine, "__strategy__", None) is not _DepthStrategy:
        problems.append("KnowledgeEngine.__strategy__ = DepthStrategy")
    if not hasattr(Rule((), salience=0), "_wrapped"):
        problems.append("Rule._wrapped")
    if problems:
        raise ImportError(
            "tahaluf.experta_compat: experta's internals changed shape (expected "
            + "; ".join(problems) + "); review the agenda fix before upgrading experta")


_check_experta_shape()


def _definition_site(function) -> tuple[str, int]:
    """Where a rule's function was written: (module, first line). Checks built by a
    decorator point at their own body through ``definition_site``."""
    site = getattr(function, "definition_site", None)
    if site is None:
        code = getattr(function, "__code__", None)
        site = (getattr(function, "__module__", "") or "", code.co_firstlineno if code else 0)
    return site


class _TieBreak:
    """The last part of an agenda key, ordered so that, among activations of equal
    salience and facts, the rule defined first fires first (the agenda pops from the
    right, so an earlier site sorts *higher*). The matched values break any remaining
    tie, computed only when needed."""

    __slots__ = ("site", "context", "_values")

    def __init__(self, site, context):
        self.site = site
        self.context = context
        self._values = None

    def values(self):
        if self._values is None:
            self._values = sorted((name, repr(value)) for name, value in self.context.items())
        return self._values

    def __eq__(self, other):
        return self.site == other.site and self.values() == other.values()

    def __lt__(self, other):
        if self.site != other.site:
            return self.site > other.site
        return self.values() > other.values()

    # Unhashable: defining __eq__ sets __hash__ to None (an explicit `= None` trips mypy).


class StableDepthStrategy(_DepthStrategy):
    """experta's depth strategy with a total order and a removal that cannot miss."""

    def get_key(self, activation):
        salience = activation.rule.salience
        fact_ids = sorted((f["__factid__"] for f in activation.facts), reverse=True)
        return (salience, fact_ids, _TieBreak(_definition_site(activation.rule._wrapped), activation.context))

    def _update_agenda(self, agenda, added, removed):
        activations = agenda.activations
        for act in removed:
            act.key = self.get_key(act)
            index = bisect.bisect_left(activations, act)
            # Every activation of this key, not only the neighbours (experta's bug). An
            # activation not found has already fired: that is normal.
            while index < len(activations) and not (act.key < activations[index].key):
                if activations[index] == act:
                    del activations[index]
                    break
                index += 1
        for act in added:
            act.key = self.get_key(act)
            bisect.insort(activations, act)


class KnowledgeEngine(_UpstreamEngine):
    """experta's engine with the stable agenda; every engine of the project derives from it."""

    __strategy__ = StableDepthStrategy


__all__ = [
    "AS", "EXISTS", "MATCH", "NOT", "OR", "TEST", "W", "Fact", "Field", "KnowledgeEngine", "P", "Rule",
    "StableDepthStrategy",
    "frozendict", "frozenlist",
]
