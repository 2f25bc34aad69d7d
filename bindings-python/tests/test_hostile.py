"""Hostile input raises coachflow's own errors (or comes back as violations); it never
crashes the interpreter or surfaces as pyo3's PanicException."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

import coachflow

OPENED = {
    "engagement": "h",
    "at": "2026-01-05T09:00:00Z",
    "actor": "sam",
    "type": "engagement_opened",
    "coachee": "cleo",
    "supervisor": "sam",
}


def nested(depth: int, inner: Any) -> Any:
    for _ in range(depth):
        inner = {"a": inner} if depth % 2 else [inner]
    return inner


class DictSubclass(dict):  # type: ignore[type-arg]
    def items(self) -> Any:
        raise RuntimeError("items() is not how coachflow reads a dict")


class StrSubclass(str):
    def __eq__(self, other: object) -> bool:
        raise RuntimeError("compared")

    def __hash__(self) -> int:
        return str.__hash__(self)

    def __str__(self) -> str:
        raise RuntimeError("printed")


class IntSubclass(int):
    def __index__(self) -> int:
        raise RuntimeError("indexed")


class Unprintable:
    def __hash__(self) -> int:
        return 7

    def __repr__(self) -> str:
        raise RuntimeError("printed")


HOSTILE: list[tuple[str, Any]] = [
    # Subclasses, and objects that raise when compared, hashed or printed (issue 16, item 5).
    ("a dict subclass", DictSubclass(OPENED)),
    ("str subclasses as keys and values", {StrSubclass(k): StrSubclass(v) for k, v in OPENED.items()}),
    ("an int subclass", {**OPENED, "seq": IntSubclass(1)}),
    ("an int subclass out of range", {**OPENED, "seq": IntSubclass(10**40)}),
    ("a key that cannot be printed", {**OPENED, Unprintable(): 1}),
    ("a value that cannot be printed", {**OPENED, "meta": Unprintable()}),

    ("malformed JSON", "{not json"),
    ("deeply nested JSON text", "[" * 100_000 + "]" * 100_000),
    ("deeply nested dict", {**OPENED, "meta": nested(200_001, None)}),
    ("deeply nested list", {**OPENED, "meta": nested(200_000, None)}),
    ("lone surrogate", "\ud800"),
    ("lone surrogate in a dict", {**OPENED, "coachee": "\udfff"}),
    ("not JSON data", {**OPENED, "meta": object()}),
    ("bytes", b"{}"),
    ("None", None),
    ("integer too large", {**OPENED, "seq": 10**40}),
    ("NaN", {**OPENED, "seq": float("nan")}),
    ("non-string key", {**OPENED, 7: "x"}),
    ("wrong types", {**OPENED, "coachee": ["cleo"], "at": 5}),
    ("unknown field", {**OPENED, "favourite_colour": "teal"}),
    ("unknown type", {**OPENED, "type": "coffee_ordered"}),
    ("a 5 MB string", {**OPENED, "coachee": "x" * 5_000_000}),
]


@pytest.mark.parametrize(("label", "event"), HOSTILE, ids=[label for label, _ in HOSTILE])
def test_hostile_events_are_violations_not_crashes(label: str, event: Any) -> None:
    engagement = coachflow.Engagement("h")
    verdict = engagement.check(event)
    try:
        engagement.apply(event)
    except coachflow.RuleViolation as violation:
        assert violation.codes == verdict.codes
        assert isinstance(violation, ValueError)
    else:
        assert verdict.ok, f"{label}: applied although check found {verdict}"


def test_hostile_logs_load_with_every_bad_line_reported(tmp_path: Path) -> None:
    path = tmp_path / "hostile.jsonl"
    good = json.dumps(OPENED).encode()
    path.write_bytes(b"\n".join([good, os.urandom(4096), b"\x00" * 100, b"[" * 50_000, good, b"{}"]) + b"\n")
    engagements, problems = coachflow.load_jsonl(path, errors="collect")
    assert [engagement.id for engagement in engagements] == ["h"]
    assert len(problems) >= 4 and all(problem.violations for problem in problems)
    with pytest.raises(coachflow.LogError):
        coachflow.load_jsonl(path)


def test_a_replay_of_garbage_raises_rule_violation() -> None:
    with pytest.raises(coachflow.RuleViolation) as raised:
        coachflow.Engagement.replay(["{", None, 3])  # type: ignore[list-item]
    assert raised.value.index == 0
    with pytest.raises(TypeError):
        coachflow.Engagement.replay(42)  # type: ignore[arg-type]


BAD_INPUT = json.loads((Path(__file__).parents[2] / "tests" / "bad-input" / "cases.json").read_text())


@pytest.mark.parametrize("case", BAD_INPUT["cases"], ids=[case["kind"] for case in BAD_INPUT["cases"]])
def test_bad_input_table(case: dict[str, Any], tmp_path: Path) -> None:
    """Each row of the shared bad-input table (docs/hardening.md) is one problem on line 2."""
    line = bytes.fromhex(case["line_hex"]) if "line_hex" in case else case["line"].encode()
    path = tmp_path / "bad.jsonl"
    path.write_bytes(json.dumps(BAD_INPUT["opening"]).encode() + b"\n" + line + b"\n")
    limits = BAD_INPUT["limits"]
    with pytest.raises(coachflow.LogError) as raised:
        coachflow.load_jsonl(path, limits=limits)
    assert isinstance(raised.value, ValueError)
    assert raised.value.line == 2
    [problem] = raised.value.problems
    assert (problem.line, problem.codes) == (2, [case["code"]])
    if "line" in case:
        text = json.dumps(BAD_INPUT["opening"]) + "\n" + case["line"]
        with pytest.raises(coachflow.RuleViolation) as violation:
            coachflow.Engagement.replay(text, limits=limits)
        assert (violation.value.index, violation.value.codes) == (1, [case["code"]])


def test_limits_reject_without_crashing_and_bad_limits_are_invalid_argument() -> None:
    engagement = coachflow.Engagement("h", limits={"max_events_per_engagement": 1})
    engagement.apply(OPENED)
    with pytest.raises(coachflow.RuleViolation) as raised:
        engagement.apply({"engagement": "h", "at": OPENED["at"], "actor": "cleo", "type": "orientation_completed"})
    assert raised.value.code == "limit_exceeded"
    for bad in ({"max_text_char": 5}, {"max_text_chars": -1}, {"max_text_chars": "5"}, [1]):
        with pytest.raises(coachflow.CoachflowError) as invalid:
            coachflow.Engagement("h", limits=bad)  # type: ignore[arg-type]
        assert invalid.value.code == "invalid_argument"
