"""The Python API: each method, each exception, threads, logs and tables."""

from __future__ import annotations

import datetime
import json
import re
import threading
from pathlib import Path
from typing import Any

import pytest

import coachflow

OPENED = {
    "engagement": "e-1",
    "at": "2026-01-05T09:00:00Z",
    "actor": "sam",
    "type": "engagement_opened",
    "coachee": "cleo",
    "supervisor": "sam",
    "coach": "kim",
}


def event(type_: str, actor: str, at: str, **fields: Any) -> dict[str, Any]:
    return {"engagement": "e-1", "at": at, "actor": actor, "type": type_, **fields}


def opened() -> coachflow.Engagement:
    engagement = coachflow.Engagement("e-1")
    engagement.apply(OPENED)
    return engagement


ADVANCE = event("stage_advanced", "sam", "2026-01-06T09:00:00Z", to="goal_setting")


def test_apply_accepts_dicts_and_json_strings_and_assigns_seq() -> None:
    engagement = coachflow.Engagement("e-1")
    assert engagement.apply(json.dumps(OPENED)) == []
    assert engagement.apply(event("orientation_completed", "cleo", "2026-01-05T10:00:00Z")) == []
    assert len(engagement) == 2
    lines = [json.loads(line) for line in engagement.to_jsonl().splitlines()]
    assert [line["seq"] for line in lines] == [1, 2]


@pytest.mark.parametrize(
    "text",
    ["plain words", 'a "quoted" word', "back\\slash", "two\nlines\tand a tab", "bell \x07 and \x1f",
     "caf\u00e9 \u2014 \U0001f600", "x" * 40 + '"' + "y" * 40, ""],
)
def test_every_string_of_a_dict_arrives_as_it_was(text: str) -> None:
    # Strings that need no escaping are written as they are; the others through escaping.
    engagement = coachflow.Engagement("e-1")
    engagement.apply(OPENED)
    engagement.apply(event("preliminary_goals_discussed", "sam", "2026-01-05T10:00:00Z", notes=text))
    lines = [json.loads(line) for line in engagement.to_jsonl().splitlines()]
    assert lines[1]["notes"] == text


def test_apply_raises_every_violation_and_changes_nothing() -> None:
    engagement = opened()
    with pytest.raises(coachflow.RuleViolation) as raised:
        engagement.apply(ADVANCE)
    violation = raised.value
    assert isinstance(violation, ValueError) and isinstance(violation, coachflow.CoachflowError)
    assert violation.codes == ["orientation_incomplete", "preliminary_discussion_missing"]
    assert violation.code == "orientation_incomplete"
    assert violation.index is None
    assert [finding.rule for finding in violation.violations] == ["S2", "S3"]
    assert "orientation" in str(violation)
    assert len(engagement) == 1 and engagement.stage == "pre_work"


def test_apply_returns_warnings() -> None:
    vectors = json.loads((Path(__file__).parents[2] / "tests/vectors/script.json").read_text())["vectors"]
    vector = next(v for v in vectors if v["name"].startswith("P2 advisory"))
    engagement = coachflow.Engagement("")
    warnings = [engagement.apply(raw) for raw in vector["events"][:31]]
    assert {finding.code for finding in warnings[30]} == {"required_steps_missing", "no_next_appointment"}
    assert all(isinstance(finding, coachflow.Finding) for finding in warnings[30])
    assert warnings[0] == []


def test_check_never_raises_for_rule_problems() -> None:
    engagement = opened()
    verdict = engagement.check(ADVANCE)
    assert not verdict.ok and not verdict
    assert verdict.codes == ["orientation_incomplete", "preliminary_discussion_missing"]
    assert engagement.check("{not json").codes == ["invalid_event"]
    assert set(engagement.check({"type": 3}).codes) == {"invalid_event"}
    fine = engagement.check(event("orientation_completed", "cleo", "2026-01-05T10:00:00Z"))
    assert fine.ok and fine.violations == [] and fine.warnings == []
    assert repr(fine) == "CheckResult(ok=True, codes=[], warnings=0)"
    assert len(engagement) == 1


def test_findings_compare_by_value() -> None:
    first, second = opened().check(ADVANCE).violations, opened().check(ADVANCE).violations
    assert first == second and hash(first[0]) == hash(second[0])
    assert "orientation_incomplete" in repr(first[0])


def test_requirements_lists_every_guard_with_met() -> None:
    requirements = opened().requirements("goal_setting")
    assert [(r.code, r.met, r.rule) for r in requirements] == [
        ("coach_not_assigned", True, "S1"),
        ("orientation_incomplete", False, "S2"),
        ("preliminary_discussion_missing", False, "S3"),
    ]
    assert all(r.message for r in requirements)


def test_unknown_names_raise_invalid_argument() -> None:
    engagement = opened()
    with pytest.raises(coachflow.CoachflowError) as raised:
        engagement.requirements("Coaching")  # type: ignore[arg-type]
    assert raised.value.code == "invalid_argument"
    assert "goal_setting" in str(raised.value)
    with pytest.raises(coachflow.CoachflowError, match="not a Role"):
        engagement.view_as("admin")  # type: ignore[arg-type]
    with pytest.raises(coachflow.CoachflowError) as raised:
        engagement.obligations("2026-02-30", "cleo")
    assert raised.value.code == "invalid_argument"


def test_replay_of_dicts_strings_and_json_lines(completed_log: list[dict[str, Any]]) -> None:
    from_dicts = coachflow.Engagement.replay(completed_log)
    from_strings = coachflow.Engagement.replay(json.dumps(event) for event in completed_log)
    from_lines = coachflow.Engagement.replay("\n".join(json.dumps(event) for event in completed_log) + "\n\n")
    assert from_dicts.stage == from_strings.stage == from_lines.stage == "completed"
    assert from_dicts.to_jsonl() == from_strings.to_jsonl() == from_lines.to_jsonl()
    assert from_dicts.id == "v-1" and len(from_dicts) == len(completed_log)


def test_replay_names_the_first_rejected_event(completed_log: list[dict[str, Any]]) -> None:
    broken: list[Any] = [*completed_log[:5], {**completed_log[5], "actor": "stranger"}, "{not json", *completed_log[6:]]
    with pytest.raises(coachflow.RuleViolation) as raised:
        coachflow.Engagement.replay(broken)
    assert raised.value.index == 5 and "not_a_participant" in raised.value.codes
    with pytest.raises(coachflow.RuleViolation) as raised:
        coachflow.Engagement.replay([*completed_log[:3], "{not json"])
    assert raised.value.index == 3 and raised.value.codes == ["invalid_event"]


def test_allowed_events_for_each_participant() -> None:
    engagement = opened()
    assert "orientation_completed" in engagement.allowed_events("cleo")
    assert "orientation_completed" not in engagement.allowed_events("kim")
    with pytest.raises(coachflow.RuleViolation) as raised:
        engagement.allowed_events("stranger")
    assert raised.value.code == "not_a_participant"


def test_obligations_take_dates_or_strings() -> None:
    engagement = opened()
    by_string = engagement.obligations("2026-02-01", "cleo")
    assert by_string == engagement.obligations(datetime.date(2026, 2, 1), "cleo")
    assert by_string == engagement.obligations(datetime.datetime(2026, 2, 1, 12, 0), "cleo")
    assert {"participant": "cleo", "role": "coachee", "kind": "complete_orientation"}.items() <= by_string[0].items()
    with pytest.raises(coachflow.CoachflowError):
        engagement.obligations(42, "cleo")  # type: ignore[arg-type]
    with pytest.raises(coachflow.RuleViolation) as raised:
        engagement.obligations("2026-02-01", "stranger")
    assert raised.value.code == "not_a_participant"


def test_views_hide_session_content_from_the_supervisor(completed_log: list[dict[str, Any]]) -> None:
    engagement = coachflow.Engagement.replay(completed_log)
    coachee = json.dumps(engagement.view("cleo"))
    supervisor = engagement.view_as("supervisor")
    assert supervisor["role"] == "supervisor" and supervisor["viewer"] == "sam"
    assert engagement.view("sam") == supervisor
    assert "CANARY" in coachee
    assert "CANARY-SESSION" not in json.dumps(supervisor)
    with pytest.raises(coachflow.RuleViolation) as raised:
        engagement.view("stranger")
    assert raised.value.code == "not_a_participant"


def test_redacted_logs_hold_only_their_viewers_view(completed_log: list[dict[str, Any]]) -> None:
    engagement = coachflow.Engagement.replay(completed_log)
    for viewer in ("cleo", "sam", "kim", "hr"):
        redacted = engagement.redacted_log(viewer)
        view = json.dumps(engagement.view(viewer))
        markers = set(re.findall(r"CANARY-[A-Z0-9-]+", json.dumps(redacted)))
        assert markers <= set(re.findall(r"CANARY-[A-Z0-9-]+", view)), viewer
        replayed = coachflow.Engagement.replay(redacted)
        assert (replayed.stage, len(redacted)) == (engagement.stage, len(completed_log))
    assert "CANARY-MOOD" not in json.dumps(engagement.redacted_log("sam"))
    assert "CANARY-MOOD" in json.dumps(engagement.redacted_log("cleo"))
    with pytest.raises(coachflow.RuleViolation) as raised:
        engagement.redacted_log("stranger")
    assert raised.value.code == "not_a_participant"


def test_explain_visibility(completed_log: list[dict[str, Any]]) -> None:
    engagement = coachflow.Engagement.replay(completed_log)
    answer = engagement.explain_visibility("sam", "session:1")
    assert answer["visible"] is False and answer["reason"] == "not_visible"
    assert engagement.explain_visibility("cleo", "session:1")["visible"] is True


def test_metrics_and_properties(completed_log: list[dict[str, Any]]) -> None:
    engagement = coachflow.Engagement.replay(completed_log)
    metrics = engagement.metrics()
    assert list(metrics) == list(coachflow.METRICS_COLUMNS)
    assert metrics["completed"] is True and metrics["sessions_held"] == 6
    assert engagement.participants["coach"] == "kim"
    assert engagement.stage in coachflow.STAGES and "coach" in coachflow.ROLES
    assert "wrong_stage" in coachflow.CODES and "internal_error" in coachflow.BOUNDARY_CODES
    assert "stage=completed" in repr(engagement)


def test_objects_are_shared_between_threads(completed_log: list[dict[str, Any]]) -> None:
    engagement = coachflow.Engagement("v-1")
    engagement.apply(completed_log[0])
    errors: list[BaseException] = []
    barrier = threading.Barrier(4)

    def reader() -> None:
        barrier.wait()
        try:
            for _ in range(200):
                engagement.check(completed_log[1])
                engagement.view_as("supervisor")
                engagement.requirements("goal_setting")
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    def writer() -> None:
        barrier.wait()
        for raw in completed_log[1:]:
            engagement.apply(raw)

    threads = [threading.Thread(target=reader) for _ in range(3)] + [threading.Thread(target=writer)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert engagement.stage == "completed" and len(engagement) == len(completed_log)


def write_log(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n")
    return path


def test_load_jsonl_loads_interleaved_engagements(
    tmp_path: Path, completed_log: list[dict[str, Any]], discontinued_log: list[dict[str, Any]]
) -> None:
    other = [{**raw, "engagement": "v-2"} for raw in discontinued_log]
    lines = [json.dumps(raw) for pair in zip(completed_log, other) for raw in pair]
    lines += [json.dumps(raw) for raw in completed_log[len(other) :]]
    engagements = coachflow.load_jsonl(write_log(tmp_path / "log.jsonl", lines))
    assert [(e.id, e.stage) for e in engagements] == [("v-1", "completed"), ("v-2", "discontinued")]


def test_load_jsonl_raises_log_error_or_collects(tmp_path: Path, completed_log: list[dict[str, Any]]) -> None:
    lines = [json.dumps(raw) for raw in completed_log[:4]]
    lines.insert(2, "{not json")
    lines.append(b"\xff\xfe".decode("latin-1"))
    path = write_log(tmp_path / "log.jsonl", lines)
    path.write_bytes(path.read_bytes().replace("ÿþ".encode(), b"\xff\xfe"))
    with pytest.raises(coachflow.LogError) as raised:
        coachflow.load_jsonl(path)
    assert raised.value.line == 3 and raised.value.code == "invalid_event"
    assert [problem.line for problem in raised.value.problems] == [3, 6]
    engagements, problems = coachflow.load_jsonl(path, errors="collect")
    assert len(engagements) == 1 and len(engagements[0]) == 4
    assert [(p.line, p.codes) for p in problems] == [(3, ["invalid_event"]), (6, ["invalid_event"])]
    assert "UTF-8" in problems[1].violations[0].message
    with pytest.raises(coachflow.CoachflowError) as bad_mode:
        coachflow.load_jsonl(path, errors="ignore")  # type: ignore[call-overload]
    assert bad_mode.value.code == "invalid_argument"


def test_load_jsonl_of_a_missing_file_raises_os_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        coachflow.load_jsonl(tmp_path / "missing.jsonl")


def test_load_jsonl_shows_progress(
    tmp_path: Path, completed_log: list[dict[str, Any]], capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_log(tmp_path / "log.jsonl", [json.dumps(raw) for raw in completed_log])
    seen: list[int] = []
    engagements, problems, lines, applied = coachflow._native.load_jsonl_native(str(path), seen.append, 1000)
    assert len(seen) > 5 and seen == sorted(seen) and seen[-1] == path.stat().st_size
    assert (lines, applied, problems) == (len(completed_log), len(completed_log), [])
    coachflow.load_jsonl(path, progress=True)
    assert "log.jsonl" in capsys.readouterr().err


def test_metrics_table_and_pandas(completed_log: list[dict[str, Any]], discontinued_log: list[dict[str, Any]]) -> None:
    engagements = [coachflow.Engagement.replay(completed_log), coachflow.Engagement.replay(discontinued_log)]
    table = coachflow.metrics_table(engagements)
    assert [row["stage"] for row in table] == ["completed", "discontinued"]
    with pytest.raises(TypeError, match="Engagement"):
        coachflow.metrics_table([{"not": "an engagement"}])  # type: ignore[list-item]
    pytest.importorskip("pandas")  # the version matrix installs only pytest and the wheel
    frame = coachflow.to_pandas(engagements)
    assert list(frame.columns) == list(coachflow.METRICS_COLUMNS)
    assert frame["completed"].tolist() == [True, False]
    assert str(frame["entered_coaching"].dtype).startswith("datetime64")
