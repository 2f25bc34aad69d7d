"""coachflow.Store: the event store from Python (SQLite here; the Rust suite covers PostgreSQL)."""

from __future__ import annotations

import json
import multiprocessing
import threading
from pathlib import Path

import pytest

import coachflow

OPENED = {
    "engagement": "e-1",
    "at": "2026-03-02T09:00:00Z",
    "actor": "hr",
    "type": "engagement_opened",
    "coachee": "cleo",
    "supervisor": "sam",
    "program_admins": ["hr"],
}


def discussed(engagement: str, notes: str) -> dict[str, object]:
    return {
        "engagement": engagement,
        "at": "2026-03-02T10:00:00Z",
        "actor": "cleo",
        "type": "preliminary_goals_discussed",
        "notes": notes,
    }


def test_append_load_and_errors_with_codes(tmp_path: Path) -> None:
    store = coachflow.Store(f"sqlite:{tmp_path / 'store.db'}")
    assert store.append(OPENED) == {"seq": 1, "position": 1, "warnings": []}
    loaded = store.load("e-1")
    assert loaded is not None and loaded.stage == "pre_work"
    assert store.load("nobody") is None

    with pytest.raises(coachflow.RuleViolation) as rejected:
        store.append({**discussed("e-1", "x"), "actor": "mallory"})
    assert rejected.value.codes == ["not_a_participant"]

    mine = {**discussed("e-1", "mine"), "seq": 2}
    first = store.append(mine)
    assert store.append(json.dumps(mine)) == first, "an identical retry returns the stored result"
    with pytest.raises(coachflow.StoreError) as lost:
        store.append({**discussed("e-1", "theirs"), "seq": 2})
    assert lost.value.code == "concurrent_update"
    assert isinstance(lost.value, coachflow.CoachflowError)

    with pytest.raises(coachflow.StoreError) as bad_url:
        coachflow.Store("mysql://somewhere")
    assert bad_url.value.code == "invalid_store_url"
    assert [entry["seq"] for entry in store.since()] == [1, 2]
    assert store.engagements() == [{"id": "e-1", "stage": "pre_work", "events": 2}]
    assert store.engagements("coaching") == []


def test_a_store_that_snapshots_often_loads_what_one_that_never_does_loads(tmp_path: Path) -> None:
    often = coachflow.Store(f"sqlite:{tmp_path / 'often.db'}", snapshot_every=2)
    never = coachflow.Store(f"sqlite:{tmp_path / 'never.db'}", snapshot_every=0)
    for event in [OPENED] + [discussed("e-1", f"note {n}") for n in range(5)]:
        assert often.append(event) == never.append(event)
    reopened = coachflow.Store(f"sqlite:{tmp_path / 'often.db'}").load("e-1")
    from_events = coachflow.Store(f"sqlite:{tmp_path / 'never.db'}").load("e-1")
    assert reopened is not None and from_events is not None
    assert reopened.to_jsonl() == from_events.to_jsonl()
    assert reopened.view("cleo") == from_events.view("cleo")
    with pytest.raises(OverflowError):
        coachflow.Store(f"sqlite:{tmp_path / 'x.db'}", snapshot_every=-1)


def test_threads_append_in_parallel_and_every_accepted_event_is_stored_once(tmp_path: Path) -> None:
    url = f"sqlite:{tmp_path / 'store.db'}"
    coachflow.Store(url).append(OPENED)
    told: list[int] = []
    lock = threading.Lock()

    def writer(number: int) -> None:
        store = coachflow.Store(url)
        for attempt in range(40):
            try:
                result = store.append(discussed("e-1", f"t{number}-{attempt}"))
            except coachflow.StoreError as error:
                assert error.code == "concurrent_update"
                continue
            with lock:
                told.append(result["position"])

    threads = [threading.Thread(target=writer, args=(number,)) for number in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    feed = coachflow.Store(url).since(0, 10_000)
    assert sorted(told) == [entry["position"] for entry in feed[1:]]
    assert [entry["seq"] for entry in feed] == list(range(1, len(feed) + 1))


def _process_writer(url: str, number: int) -> int:
    store = coachflow.Store(url)
    stored = 0
    for attempt in range(30):
        try:
            store.append(discussed("e-1", f"p{number}-{attempt}"))
            stored += 1
        except coachflow.StoreError:
            pass
    return stored


def test_processes_share_a_store(tmp_path: Path) -> None:
    url = f"sqlite:{tmp_path / 'store.db'}"
    coachflow.Store(url).append(OPENED)
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        stored = sum(pool.starmap(_process_writer, [(url, 0), (url, 1)]))
    assert len(coachflow.Store(url).since(0, 10_000)) == stored + 1


def test_import_export_and_to_pandas_of_metrics(tmp_path: Path) -> None:
    pandas = pytest.importorskip("pandas")
    log = tmp_path / "log.jsonl"
    log.write_text(json.dumps(OPENED) + "\n{oops\n" + json.dumps(discussed("e-1", "n")) + "\n")
    store = coachflow.Store(f"sqlite:{tmp_path / 'store.db'}")
    report = store.import_jsonl(log)
    assert (report["events_stored"], report["lines"]) == (2, 3)
    assert [(line, [finding.code for finding in findings]) for line, findings in report["problems"]] == [
        (2, ["invalid_event"])
    ]
    exported = tmp_path / "export.jsonl"
    assert store.export_jsonl(exported) == 2
    engagement = store.load("e-1")
    assert engagement is not None and exported.read_text() == engagement.to_jsonl()
    frame = coachflow.to_pandas(store.metrics())
    assert list(frame["engagement"]) == ["e-1"]
    assert isinstance(frame, pandas.DataFrame)
    assert frame.equals(coachflow.to_pandas([engagement]))
