"""Type aliases for the contract's closed vocabularies, for annotations."""

from __future__ import annotations

from typing import Any, Literal, Mapping, TypeAlias

Stage: TypeAlias = Literal["pre_work", "goal_setting", "coaching", "final_review", "completed", "discontinued"]
"""An engagement stage, in the contract's snake_case spelling."""

Role: TypeAlias = Literal["coachee", "supervisor", "coach", "program_admin"]
"""A participant's role."""

EventInput: TypeAlias = Mapping[str, Any] | str
"""An event: a dict of JSON-like values, or the event as a JSON string."""
