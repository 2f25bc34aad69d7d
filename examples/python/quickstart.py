"""Run one engagement from Python: apply events, see what blocks the next stage, read views.

    python examples/python/quickstart.py
"""

from __future__ import annotations

from typing import Any

import coachflow


def event(type_: str, actor: str, at: str, **fields: Any) -> dict[str, Any]:
    return {"engagement": "eng-42", "at": at, "actor": actor, "type": type_, **fields}


def main() -> None:
    engagement = coachflow.Engagement("eng-42")
    engagement.apply(
        event("engagement_opened", "sam", "2026-03-02T09:00:00Z", coachee="cleo", supervisor="sam", coach="kim")
    )
    engagement.apply(event("orientation_completed", "cleo", "2026-03-02T10:00:00Z"))

    advance = event("stage_advanced", "sam", "2026-03-02T11:00:00Z", to="goal_setting")
    for finding in engagement.check(advance).violations:
        print(f"not yet: {finding.code} ({finding.rule}) {finding.message}")
    try:
        engagement.apply(advance)
    except coachflow.RuleViolation as violation:
        print(f"refused with {violation.codes}")

    engagement.apply(event("preliminary_goals_discussed", "cleo", "2026-03-02T12:00:00Z", notes="calmer meetings"))
    warnings = engagement.apply({**advance, "at": "2026-03-02T13:00:00Z"})
    print(f"stage: {engagement.stage}, warnings: {[w.code for w in warnings]}")

    unmet = [r.code for r in engagement.requirements("coaching") if not r.met]
    print(f"still needed for coaching: {', '.join(unmet)}")
    supervisor = engagement.view_as("supervisor")
    print(f"the supervisor sees {len(supervisor['preliminary_discussions'])} preliminary discussion(s)")


if __name__ == "__main__":
    main()
