"""The one place that imports experta.

experta 1.9.4 pins frozendict 1.2, which subclasses ``collections.Mapping``;
that alias was removed in Python 3.10, so ``import experta`` breaks (and
experta's ``__init__`` swallows the ImportError, leaving an empty module).
Restoring the aliases before the first import is enough: experta's own code
already uses ``collections.abc``. Every other module imports experta from here.
"""

import collections
import collections.abc

for _name in ("Mapping", "MutableMapping", "Sequence", "Iterable", "Hashable"):
    if not hasattr(collections, _name):
        setattr(collections, _name, getattr(collections.abc, _name))

import logging as _logging

_root_handlers = list(_logging.getLogger().handlers)

from experta import (  # noqa: E402  (must follow the aliases above)
    AS,
    EXISTS,
    MATCH,
    NOT,
    OR,
    Fact,
    Field,
    KnowledgeEngine,
    P,
    Rule,
)
from experta.utils import frozendict, frozenlist  # noqa: E402

# `import experta` calls logging.basicConfig(), which would print experta's
# warnings on stderr of a CLI that promised clean output: undo it.
_root = _logging.getLogger()
for _handler in list(_root.handlers):
    if _handler not in _root_handlers:
        _root.removeHandler(_handler)

__all__ = [
    "AS", "EXISTS", "MATCH", "NOT", "OR", "Fact", "Field", "KnowledgeEngine", "P", "Rule",
    "frozendict", "frozenlist",
]
