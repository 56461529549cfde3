"""What the organisation's policy asks of the evidence behind facts (issue 25). Input layer, no I/O.

Defined once here so the policy file (policy.yaml's `evidence:` section) and the evaluation share it."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class EvidenceRules(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    # A fact that decides a red flag or a major check needs evidence at all (not only "not merely claimed").
    required: bool = False
    # Evidence older than this, counted back from the document's `as_of` (or today), is flagged for review.
    max_age_months: int = Field(12, ge=1, le=120)
