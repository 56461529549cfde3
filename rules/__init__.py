"""The rule base: one module per area of the guide, collected automatically.

Adding a rule means adding it to an area module (or a new module here), one
entry in ``knowledge/findings/`` and one fixture file in ``tests/rules/``.
"""

from __future__ import annotations

import importlib
import pkgutil

_INFRASTRUCTURE = {"base", "engine", "facts", "verdict", "declare", "policy"}


def load_all() -> None:
    """Import every area module so its checks register themselves."""
    for module in pkgutil.iter_modules(__path__):
        if module.name not in _INFRASTRUCTURE:
            importlib.import_module(f"{__name__}.{module.name}")
