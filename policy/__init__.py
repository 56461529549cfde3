"""The organisation's own policy (issue 25): red lines, conditions and notes written as data.

``model`` and ``loader`` are input layer (a policy file in, a checked :class:`Policy` out, every problem
as FILE:LINE); ``conditions`` judges a condition over the facts, three-valued (reasoning, no I/O);
``examples`` runs a policy file's own examples through the same engine as an evaluation.
"""

from tahaluf.policy.loader import PolicyFile, check_policy, load_policy
from tahaluf.policy.model import SEVERITY_OF, Leaf, Logic, Policy, PolicyRule

__all__ = ["SEVERITY_OF", "Leaf", "Logic", "Policy", "PolicyFile", "PolicyRule", "check_policy", "load_policy"]
