"""Every conformance vector of tests/vectors, run through the Python API."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import coachflow

VECTORS = Path(__file__).resolve().parents[2] / "tests" / "vectors"


def load_vectors() -> list[Any]:
    cases = []
    for path in sorted(VECTORS.glob("*.json")):
        document = json.loads(path.read_text())
        for vector in document.get("vectors", [document]):
            cases.append(pytest.param(vector, id=f"{path.stem}: {vector['name']}"))
    return cases


def compact(view: dict[str, Any]) -> str:
    """The view as the Rust runner sees it: compact JSON, non-ASCII kept."""
    return json.dumps(view, separators=(",", ":"), ensure_ascii=False)


def run(vector: dict[str, Any]) -> list[str]:
    expect = vector.get("expect", {})
    rejected = {item["index"]: item["codes"] for item in expect.get("rejected", [])}
    rejected_detail = {item["index"]: item for item in expect.get("rejected", [])}
    warned = {item["index"]: item["codes"] for item in expect.get("warnings", [])}
    failures = []
    engagement = coachflow.Engagement("")
    for index, event in enumerate(vector["events"]):
        try:
            warnings = [finding.code for finding in engagement.apply(event)]
        except coachflow.RuleViolation as violation:
            if index not in rejected:
                failures.append(f"event {index}: unexpectedly rejected: {violation}")
            elif missing := set(rejected[index]) - set(violation.codes):
                failures.append(f"event {index}: rejected without {sorted(missing)}: {violation}")
            else:
                detail = rejected_detail[index]
                if detail.get("exact") and set(violation.codes) - set(rejected[index]):
                    failures.append(f"event {index}: rejected with more than {rejected[index]}: {violation}")
                messages = " ".join(finding.message for finding in violation.violations)
                failures += [f"event {index}: a message shows {text!r}" for text in detail.get("excludes", []) if text in messages]
            if index in warned:
                failures.append(f"event {index}: warnings expected, but the event was rejected")
            continue
        if index in rejected:
            failures.append(f"event {index}: applied, but should be rejected with {rejected[index]}")
        if index in warned and (missing := set(warned[index]) - set(warnings)):
            failures.append(f"event {index}: warnings lack {sorted(missing)} (got {warnings})")
    for index in [*rejected, *warned]:
        if index >= len(vector["events"]):
            failures.append(f"expectation names event {index}, but there are {len(vector['events'])} events")
    if "stage" in expect and engagement.stage != expect["stage"]:
        failures.append(f"stage is {engagement.stage}, expected {expect['stage']}")
    for stage, wanted in expect.get("requirements", {}).items():
        unmet = {requirement.code for requirement in engagement.requirements(stage) if not requirement.met}
        if unmet != set(wanted["unmet"]):
            failures.append(f"requirements for {stage}: unmet {sorted(unmet)}, expected {sorted(wanted['unmet'])}")
    for role, wanted in expect.get("views", {}).items():
        text = compact(engagement.view_as(role))
        failures += [f"the {role} view lacks {item!r}" for item in wanted.get("contains", []) if item not in text]
        failures += [f"the {role} view shows {item!r}" for item in wanted.get("excludes", []) if item in text]
    for role, wanted in expect.get("redacted_logs", {}).items():
        redacted = engagement.redacted_log(first_of(engagement, role))
        text = "\n".join(compact_any(event) for event in redacted)
        failures += [f"the {role}'s redacted log lacks {item!r}" for item in wanted.get("contains", []) if item not in text]
        failures += [f"the {role}'s redacted log shows {item!r}" for item in wanted.get("excludes", []) if item in text]
        if coachflow.Engagement.replay(redacted).stage != engagement.stage:
            failures.append(f"the {role}'s redacted log replays to another stage")
    for wanted in expect.get("explain", []):
        failures += check_explanation(engagement, wanted)
    for wanted in expect.get("obligations", []):
        viewer = first_of(engagement, wanted["viewer"])
        owed = engagement.obligations(wanted["as_of"], viewer)
        kinds = {obligation["kind"] for obligation in owed}
        if kinds != set(wanted["kinds"]):
            failures.append(f"obligations of the {wanted['viewer']}: {sorted(kinds)}, expected {sorted(wanted['kinds'])}")
        text = compact_any(owed)
        failures += [f"obligations of the {wanted['viewer']} show {item!r}" for item in wanted.get("excludes", []) if item in text]
    return failures


def first_of(engagement: coachflow.Engagement, role: str) -> str:
    people = engagement.participants
    found = people["program_admins"][0] if role == "program_admin" else people[role]
    return str(found)


def compact_any(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def check_explanation(engagement: coachflow.Engagement, wanted: dict[str, Any]) -> list[str]:
    what = f"explain {wanted['record']} to the {wanted['viewer']}"
    try:
        answer = engagement.explain_visibility(first_of(engagement, wanted["viewer"]), wanted["record"])
    except coachflow.CoachflowError as error:
        failures = [] if error.code == wanted.get("error") else [f"{what}: failed with {error.code}: {error}"]
        return failures + [f"{what}: the error shows {item!r}" for item in wanted.get("excludes", []) if item in str(error)]
    failures = []
    if "error" in wanted:
        failures.append(f"{what}: answered, but should fail with {wanted['error']}")
    if "visible" in wanted and answer["visible"] != wanted["visible"]:
        failures.append(f"{what}: visible is {answer['visible']}")
    if "reason" in wanted and answer["reason"] != wanted["reason"]:
        failures.append(f"{what}: reason is {answer['reason']}")
    text = compact_any(answer)
    return failures + [f"{what}: the answer shows {item!r}" for item in wanted.get("excludes", []) if item in text]


@pytest.mark.parametrize("vector", load_vectors())
def test_vector(vector: dict[str, Any]) -> None:
    assert run(vector) == []


def test_every_vector_file_is_found() -> None:
    assert len(load_vectors()) >= 67


def test_the_runner_fails_a_vector_whose_expectation_is_wrong() -> None:
    vector = load_vectors()[0].values[0]
    wrong = {**vector, "expect": {**vector.get("expect", {}), "stage": "completed"}}
    assert any("expected completed" in failure for failure in run(wrong))
