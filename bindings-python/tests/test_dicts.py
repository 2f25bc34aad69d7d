"""`check` reads a dict straight into an event (no JSON text in between) and falls back to
the JSON text path for anything unusual. Either way the answer must be the one the event's
JSON text gets: the same verdict, the same findings, the same messages."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterator

import coachflow

VECTORS = json.loads((Path(__file__).parents[2] / "tests" / "vectors" / "whole_engagements.json").read_text())


class IntSubclass(int):
    pass


class StrSubclass(str):
    pass


# Values put in place of each field in turn: every JSON kind, numbers at the edges of the
# integer types, and what JSON cannot hold.
REPLACEMENTS: list[Any] = [
    None, True, False, 0, -1, 1.0, 1.5, 2**32, 2**63, 2**64, 2**70, "", "x", "2026-01-05",
    [], ["x"], [1, None], {}, {"a": None}, {"nested": [{"deep": 1}]}, IntSubclass(3),
    StrSubclass("coach"), (1, "x"), float("nan"), float("inf"), {1: "non-string key"}, object(),
]


def variants(event: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The event, its fields in other orders, and each field replaced, dropped or nulled."""
    yield event
    yield dict(reversed(list(event.items())))
    yield {key: value for key, value in event.items() if key != "type"} | {"type": event["type"]}
    for key in event:
        yield {other: value for other, value in event.items() if other != key}
        for replacement in REPLACEMENTS:
            yield {**event, key: replacement}
    yield {**event, "favourite_colour": "teal"}
    # `meta` takes any JSON, so it is where a value JSON cannot hold would slip through.
    for replacement in REPLACEMENTS:
        yield {**event, "meta": {"value": replacement, "list": [replacement]}}


def verdict(result: coachflow.CheckResult, messages: bool) -> tuple[Any, ...]:
    def findings(found: list[coachflow.Finding]) -> list[tuple[str, ...]]:
        return [(f.code, f.rule, f.message if messages else "") for f in found]

    return (result.ok, findings(result.violations), findings(result.warnings))


def representable(value: Any) -> bool:
    """Whether coachflow writes this as JSON: string keys, integers of 64 bits."""
    if isinstance(value, dict):
        return all(isinstance(key, str) and representable(item) for key, item in value.items())
    if isinstance(value, (list, tuple)):
        return all(representable(item) for item in value)
    if isinstance(value, int) and not isinstance(value, bool):
        return -(2**63) <= value < 2**64
    return True


def as_text(event: dict[str, Any]) -> str | None:
    """The event's JSON text, or None when coachflow does not take it as JSON data
    (`json.dumps` would write a number key as a string and any integer in full)."""
    try:
        return json.dumps(event, allow_nan=False) if representable(event) else None
    except (TypeError, ValueError):
        return None


def test_a_dict_is_checked_as_its_json_text_is() -> None:
    compared = 0
    for vector in VECTORS["vectors"]:
        engagement = coachflow.Engagement(vector["events"][0]["engagement"])
        for event in vector["events"]:
            for variant in variants(event):
                text = as_text(variant)
                from_dict = engagement.check(variant)
                if text is None:
                    # Not JSON data: refused as invalid_event, as the text path refuses it.
                    assert from_dict.codes == ["invalid_event"], variant
                    continue
                assert verdict(from_dict, True) == verdict(engagement.check(text), True), variant
                compared += 1
            if not engagement.check(event):
                break
            engagement.apply(event)
    assert compared > 10_000
