"""The coaching guide: every accessor answers for every role, step and phase, and the data
is exactly the core's (tests/guide/guide.json, which the Rust, JavaScript and Swift tests
compare with too)."""

from __future__ import annotations

import json
import pathlib

import pytest

import coachflow

GUIDE = json.loads((pathlib.Path(__file__).resolve().parents[2] / "tests" / "guide" / "guide.json").read_text())
STEPS = [item["step"] for item in GUIDE["script"]]
PHASES = [item["phase"] for item in GUIDE["partnership_prompts"]]


def test_every_accessor_answers_for_every_role_step_and_phase() -> None:
    for role in coachflow.ROLES:
        assert coachflow.responsibilities(role), role
    assert len(STEPS) == 8 and len(PHASES) == 5
    for step in STEPS:
        guide = coachflow.script_guide(step)
        assert guide["purpose"] and guide["questions"] and guide["leads"], step
    for phase in PHASES:
        assert coachflow.partnership_prompts(phase)["questions"], phase
    assert [signal["code"] for signal in coachflow.partnering_signals()] == [
        "made_meaning_for_them",
        "stayed_on_problem",
        "withheld_observations",
        "did_not_acknowledge",
        "completed_their_sentences",
        "led_instead_of_followed",
    ]
    assert len(coachflow.process_phases()) == 5


def test_the_data_is_the_cores() -> None:
    assert [{"role": role, "items": coachflow.responsibilities(role)} for role in coachflow.ROLES] == GUIDE["responsibilities"]
    assert [coachflow.script_guide(step) for step in STEPS] == GUIDE["script"]
    assert [coachflow.partnership_prompts(phase) for phase in PHASES] == GUIDE["partnership_prompts"]
    assert coachflow.partnering_signals() == GUIDE["partnering_signals"]
    assert coachflow.process_phases() == GUIDE["process_phases"]
    assert all(item["locale"] == "en" for item in coachflow.partnering_signals())


def test_unknown_names_list_the_valid_ones() -> None:
    with pytest.raises(coachflow.CoachflowError, match="check_in, session_goal") as raised:
        coachflow.script_guide("warm_up")
    assert raised.value.code == "invalid_argument"
    with pytest.raises(coachflow.CoachflowError, match="opening, checking_in"):
        coachflow.partnership_prompts("middle")
