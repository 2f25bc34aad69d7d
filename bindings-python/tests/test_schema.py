"""The published JSON Schema agrees with the parser on every event of the vectors.

An event the engine refuses as ``invalid_event`` or ``unknown_event_type`` is invalid
under the schema, and every other event is valid, except an event of another engagement
than its log's: only the log knows which engagement it is.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema

import coachflow

VECTORS = Path(__file__).resolve().parents[2] / "tests" / "vectors"
SHAPE_CODES = {"invalid_event", "unknown_event_type"}


def vector_events() -> list[tuple[str, dict[str, Any], bool]]:
    """(where, event, whether the parser refuses its shape) for every event of every vector."""
    found = []
    for path in sorted(VECTORS.glob("*.json")):
        for vector in json.loads(path.read_text()).get("vectors", []):
            refused = {item["index"]: set(item["codes"]) for item in vector.get("expect", {}).get("rejected", [])}
            log_engagement = vector["events"][0].get("engagement")
            for index, event in enumerate(vector["events"]):
                if event.get("engagement") != log_engagement:
                    continue
                where = f"{path.name}: {vector['name']} [{index}]"
                found.append((where, event, bool(refused.get(index, set()) & SHAPE_CODES)))
    return found


def test_the_schema_is_draft_2020_12_and_well_formed() -> None:
    schema = coachflow.schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)
    assert set(schema["properties"]["type"]["enum"]) == set(schema["$defs"]) - {
        "envelope", "participant_id", "id", "timestamp", "date", "text_list", "policy", "action_item"
    }


def test_the_schema_accepts_exactly_the_events_the_parser_accepts() -> None:
    validator = jsonschema.Draft202012Validator(coachflow.schema())
    events = vector_events()
    disagreements = [
        f"{where}: the parser {'refuses' if refused else 'accepts'} it, the schema does not"
        for where, event, refused in events
        if validator.is_valid(event) == refused
    ]
    assert len(events) > 1500
    assert sum(refused for _, _, refused in events) >= 40
    assert disagreements == []
