"""Type aliases for the contract's closed vocabularies, for annotations."""

from __future__ import annotations

from typing import Any, Literal, Mapping, TypedDict, Union

# Plain assignments (not `X: TypeAlias = ...` or `A | B`): the package imported on Python 3.9
# when these were written, and plain assignments read the same on every version.
Stage = Literal["pre_work", "goal_setting", "coaching", "final_review", "completed", "discontinued"]
"""An engagement stage, in the contract's snake_case spelling."""

Role = Literal["coachee", "supervisor", "coach", "program_admin"]
"""A participant's role."""

EventInput = Union[Mapping[str, Any], str]
"""An event: a dict of JSON-like values, or the event as a JSON string."""


class Limits(TypedDict, total=False):
    """Size caps for untrusted input; a cap left out keeps its default (docs/hardening.md).

    Going over one is a ``limit_exceeded`` violation, never a crash.
    """

    max_line_bytes: int
    """Longest log line, in bytes (default 1 MiB)."""
    max_events_per_engagement: int
    """Most events in one engagement (default 100,000)."""
    max_text_chars: int
    """Longest text anywhere in an event, in characters (default 65,536)."""
    max_list_items: int
    """Most items in any list or object of an event (default 1,000)."""
    max_engagements: int
    """Most engagements in one log file (default 1,000,000)."""
