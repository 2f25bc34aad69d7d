"""Python benchmarks for issue 4, measured side by side in one run.

1. `coachflow.load_jsonl` of a generated log (1,000,000 events by default) against the Rust
   CLI's `coachflow validate` (a full replay) of the same file.
2. `Engagement.apply` of one event from a dict against the same stage machine written with
   the `transitions` library (stages as states, guards S1-S12 as conditions, the other
   events as internal transitions that keep the counts the guards read), and `check` of a
   `stage_advanced` from a dict.

    python bench/python_bench.py [--engagements 10000] [--cli target/release/coachflow]

Needs the package installed (scripts/test-python) and `pip install transitions`.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

from transitions import Machine

import coachflow

ROOT = Path(__file__).resolve().parents[1]
STAGES = ["pre_work", "goal_setting", "coaching", "final_review", "completed", "discontinued"]


class Tracked:
    """What the section 3 guards read, kept by `transitions` callbacks."""

    def __init__(self, sessions_required: int = 6) -> None:
        self.sessions_required = sessions_required
        self.coach = False
        self.orientation = False
        self.preliminary = False
        self.acknowledged: set[str] = set()
        self.meetings: dict[str, str] = {}
        self.held_kinds: set[str] = set()
        self.goals: set[str] = set()
        self.assessed: set[str] = set()
        self.confidentiality = False
        self.open_sessions: set[int] = set()
        self.sessions_held = 0

    # bookkeeping for the events that are not stage changes
    def on_event(self, event: dict[str, Any]) -> None:
        kind = event["type"]
        if kind == "engagement_opened":
            self.coach = "coach" in event
        elif kind == "coach_assigned":
            self.coach = True
        elif kind == "orientation_completed":
            self.orientation = True
        elif kind == "preliminary_goals_discussed":
            self.preliminary = True
        elif kind == "responsibilities_acknowledged":
            self.acknowledged.add(event["actor"])
        elif kind == "meeting_scheduled":
            self.meetings[event["meeting"]] = event["kind"]
        elif kind == "meeting_held" and len(event.get("attendees", [])) >= 3:
            self.held_kinds.add(self.meetings.get(event["meeting"], ""))
        elif kind == "goal_agreed":
            self.goals.add(event["goal"])
        elif kind == "goal_assessed":
            self.assessed.add(event["goal"])
        elif kind == "confidentiality_agreed":
            self.confidentiality = True
        elif kind == "session_scheduled":
            self.open_sessions.add(event["session"])
        elif kind == "session_ended":
            self.open_sessions.discard(event["session"])
            self.sessions_held += 1

    # guards S1-S12 as conditions
    def may_enter_goal_setting(self, event: dict[str, Any]) -> bool:
        return self.coach and self.orientation and self.preliminary

    def may_enter_coaching(self, event: dict[str, Any]) -> bool:
        return (
            "goal_setting" in self.held_kinds
            and len(self.goals) >= 1
            and self.confidentiality
            and len(self.acknowledged) >= 3
        )

    def may_enter_final_review(self, event: dict[str, Any]) -> bool:
        return self.sessions_held >= self.sessions_required and not self.open_sessions

    def may_complete(self, event: dict[str, Any]) -> bool:
        return "final_review" in self.held_kinds and self.goals <= self.assessed


EVENT_TYPES = [
    "engagement_opened", "coach_assigned", "orientation_completed", "preliminary_goals_discussed",
    "responsibilities_acknowledged", "meeting_scheduled", "meeting_held", "goal_agreed", "goal_assessed",
    "confidentiality_agreed", "session_scheduled", "session_started", "session_ended", "script_step",
    "final_review_recorded",
]


def transitions_machine() -> Machine:
    """One Machine holding no model yet; models are added per engagement."""
    machine = Machine(model=None, states=STAGES, initial="pre_work", send_event=False, auto_transitions=False)
    for kind in EVENT_TYPES:
        machine.add_transition(kind, source=STAGES[:4], dest=None, after="on_event")
    stage_guards = [("goal_setting", "may_enter_goal_setting"), ("coaching", "may_enter_coaching"),
                    ("final_review", "may_enter_final_review"), ("completed", "may_complete")]
    for source, (dest, guard) in zip(STAGES, stage_guards):
        machine.add_transition("advance_to_" + dest, source=source, dest=dest, conditions=guard)
    machine.add_transition("engagement_discontinued", source=STAGES[:4], dest="discontinued")
    return machine


def apply_with_transitions(model: Any, event: dict[str, Any]) -> None:
    trigger = "advance_to_" + event["to"] if event["type"] == "stage_advanced" else event["type"]
    if not model.trigger(trigger, event):
        raise ValueError(f"{trigger} refused")


def per_call(run: Callable[[], int], repeat: int = 5) -> float:
    """Best of `repeat` runs, in seconds per call; `run` returns the number of calls it made."""
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        calls = run()
        best = min(best, (time.perf_counter() - started) / calls)
    return best


def bench_apply(engagements: int = 200) -> tuple[float, float, float]:
    """`apply` of every event of the whole-engagement vector, per event, against `transitions`;
    and a floor: what `check` adds when each event is checked before it is applied (reading
    the dict and every rule, nothing kept). `apply` does that work and more, though it
    builds a smaller result than `check`'s (a list of warnings, not a result object)."""
    log = json.loads((ROOT / "tests/vectors/whole_engagements.json").read_text())["vectors"][0]["events"]
    machine = transitions_machine()

    def run_coachflow(check_first: bool = False) -> int:
        targets = [coachflow.Engagement("v-1") for _ in range(engagements)]
        for engagement in targets:
            apply, check = engagement.apply, engagement.check
            for event in log:
                if check_first:
                    check(event)
                apply(event)
        return engagements * len(log)

    def run_transitions() -> int:
        models = [Tracked() for _ in range(engagements)]
        for model in models:
            machine.add_model(model)
        for model in models:
            for event in log:
                apply_with_transitions(model, event)
        assert all(model.state == "completed" for model in models)
        for model in models:
            machine.remove_model(model)
        return engagements * len(log)

    ours = theirs = checked = float("inf")
    for _ in range(5):  # alternate, so all see the same machine state
        ours = min(ours, per_call(run_coachflow, repeat=1))
        theirs = min(theirs, per_call(run_transitions, repeat=1))
        checked = min(checked, per_call(lambda: run_coachflow(check_first=True), repeat=1))
    return ours, theirs, checked - ours


def bench_check() -> float:
    """`check` of the step the node and Swift benchmarks time (coaching -> final_review), from a dict."""
    log = json.loads((ROOT / "tests/vectors/whole_engagements.json").read_text())["vectors"][0]["events"]
    cut = next(i for i, event in enumerate(log) if event["type"] == "stage_advanced" and event["to"] == "final_review")
    engagement = coachflow.Engagement.replay(log[:cut])
    advance = log[cut]
    assert engagement.check(advance).ok

    def run() -> int:
        check = engagement.check
        for _ in range(100_000):
            check(advance)
        return 100_000

    return per_call(run)


def bench_load(engagements: int, cli: str) -> tuple[float, float, int]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "log.jsonl"
        subprocess.run([cli, "generate", "--engagements", str(engagements), "--seed", "2026", "--out", str(path)],
                       check=True, capture_output=True)
        events = sum(1 for _ in path.open("rb"))
        python_best = cli_best = float("inf")
        for _ in range(3):  # alternate, so both see the same machine state
            started = time.perf_counter()
            loaded = coachflow.load_jsonl(path)
            python_best = min(python_best, time.perf_counter() - started)
            assert sum(len(engagement) for engagement in loaded) == events
            del loaded
            started = time.perf_counter()
            subprocess.run([cli, "validate", str(path)], check=True, capture_output=True)
            cli_best = min(cli_best, time.perf_counter() - started)
        return events / python_best, events / cli_best, events


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--engagements", type=int, default=10_000, help="engagements in the generated log")
    parser.add_argument("--cli", default=str(ROOT / "target/release/coachflow"), help="the coachflow CLI (release)")
    args = parser.parse_args()

    ours, theirs, floor = bench_apply()
    print(f"apply one event from a dict: coachflow {ours * 1e6:.2f} us, transitions {theirs * 1e6:.2f} us "
          f"-> coachflow is {theirs / ours:.1f}x faster (target >= 8x)")
    print(f"floor: check of the same events (reading each dict and every rule, nothing kept): {floor * 1e6:.2f} us "
          f"-> an apply costing only that would be {theirs / floor:.1f}x faster")
    print(f"check of a stage_advanced from a dict: {bench_check() * 1e6:.2f} us (target under 1 us)")
    python_rate, cli_rate, events = bench_load(args.engagements, args.cli)
    print(f"load_jsonl of {events:,} events: {python_rate:,.0f} events/s; CLI validate {cli_rate:,.0f} events/s "
          f"-> ratio {python_rate / cli_rate:.2f}x (targets: >= 1,000,000 events/s and >= 0.5x)")


if __name__ == "__main__":
    main()
