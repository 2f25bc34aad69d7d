//! The store's behaviour, the same suite on SQLite and on PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod common;

use coachflow::{Code, Engagement, Event, Stage};
use coachflow_store::{Store, StoreCode};
use common::{discussed, opened, query_text, run_sql, whole_engagement};
use serde_json::json;

/// Runs each named check on a fresh SQLite store and a fresh PostgreSQL database.
macro_rules! on_both_backends {
    ($($check:ident),* $(,)?) => {
        mod sqlite {
            $( #[test] fn $check() { let (url, _folder) = crate::common::sqlite_url(); super::$check(&url); } )*
        }
        mod postgres {
            $( #[test] fn $check() { if let Some(url) = crate::common::postgres_url() { super::$check(&url); } } )*
        }
    };
}

on_both_backends!(
    a_whole_engagement_round_trips,
    a_rejected_event_is_never_stored,
    a_lost_race_is_concurrent_update_and_a_retry_is_idempotent,
    hostile_ids_and_texts_round_trip_exactly,
    import_checks_every_line_and_runs_again_without_duplicates,
    a_newer_store_is_refused,
    loads_start_from_the_latest_snapshot,
    a_version_1_store_is_migrated,
);

fn a_whole_engagement_round_trips(url: &str) {
    let store = Store::open(url).unwrap();
    let events = whole_engagement();
    for (index, event) in events.iter().enumerate() {
        let appended = store.append_json(&event.to_string()).unwrap();
        assert_eq!((appended.seq, appended.position), (index as u64 + 1, index as u64 + 1));
    }
    let expected = Engagement::replay(events.iter().map(|raw| Event::from_value(raw).unwrap())).unwrap();
    let loaded = store.load("v-1").unwrap().unwrap();
    assert_eq!(loaded, expected);
    assert_eq!(loaded.stage(), Stage::Completed);
    assert!(store.load("nobody").unwrap().is_none());

    let mut exported = Vec::new();
    assert_eq!(store.export_jsonl(&mut exported).unwrap(), events.len() as u64);
    assert_eq!(String::from_utf8(exported).unwrap(), expected.to_jsonl(), "the export is the canonical log");

    let summaries = store.engagements(None).unwrap();
    assert_eq!(summaries.len(), 1);
    assert_eq!(
        (summaries[0].id.as_str(), summaries[0].stage, summaries[0].events),
        ("v-1", Stage::Completed, events.len())
    );
    assert!(store.engagements(Some(Stage::Coaching)).unwrap().is_empty());
    assert_eq!(store.metrics().unwrap(), vec![expected.metrics()]);
    let as_of = chrono::NaiveDate::from_ymd_opt(2027, 1, 1).unwrap();
    let due: Vec<_> = store.due(as_of).unwrap().into_iter().map(|due| (due.engagement, due.obligation)).collect();
    let owed: Vec<_> =
        expected.all_obligations(as_of).into_iter().map(|obligation| ("v-1".to_owned(), obligation)).collect();
    assert_eq!(due, owed);

    let page = store.since(3, 2).unwrap();
    assert_eq!(page.iter().map(|entry| entry.position).collect::<Vec<_>>(), [4, 5]);
    assert_eq!(page[0].event, expected.log().get(3).unwrap().to_json());
    drop(store);
    assert_eq!(Store::open(url).unwrap().load("v-1").unwrap().unwrap(), expected, "reopened");
}

fn a_rejected_event_is_never_stored(url: &str) {
    let store = Store::open(url).unwrap();
    store.append_json(&opened("e").to_string()).unwrap();
    let early = json!({"engagement": "e", "at": "2026-03-03T09:00:00Z", "actor": "sam", "type": "stage_advanced", "to": "goal_setting"});
    let error = store.append_json(&early.to_string()).unwrap_err();
    assert_eq!(error.code, StoreCode::Rejected);
    assert_eq!(
        error.rule_codes(),
        [Code::CoachNotAssigned, Code::OrientationIncomplete, Code::PreliminaryDiscussionMissing]
    );
    let stranger =
        json!({"engagement": "e", "at": "2026-03-03T09:00:00Z", "actor": "mallory", "type": "orientation_completed"});
    assert_eq!(store.append_json(&stranger.to_string()).unwrap_err().rule_codes(), [Code::NotAParticipant]);
    assert_eq!(store.append_json("{not json").unwrap_err().rule_codes(), [Code::InvalidEvent]);
    assert_eq!(store.since(0, 100).unwrap().len(), 1, "only the opening is stored");
    assert_eq!(store.engagements(None).unwrap()[0].events, 1);
}

fn a_lost_race_is_concurrent_update_and_a_retry_is_idempotent(url: &str) {
    let store = Store::open(url).unwrap();
    store.append_json(&opened("e").to_string()).unwrap();
    let mut mine = discussed("e", "mine");
    mine["seq"] = json!(2);
    let first = store.append_json(&mine.to_string()).unwrap();
    assert_eq!((first.seq, first.position), (2, 2));

    // The same event again (the client timed out and retries): the stored result, nothing new.
    let again = store.append_json(&mine.to_string()).unwrap();
    assert_eq!(again, first);
    // The same event written with other key order and spacing is the same event.
    let respelled = serde_json::to_string_pretty(&mine).unwrap();
    assert_eq!(store.append_json(&respelled).unwrap(), first);

    // Another writer's event for the same seq lost the race.
    let mut theirs = discussed("e", "theirs");
    theirs["seq"] = json!(2);
    let lost = store.append_json(&theirs.to_string()).unwrap_err();
    assert_eq!(lost.code, StoreCode::ConcurrentUpdate);
    assert!(!lost.message.contains("theirs"), "messages never quote content: {lost}");
    // Reloaded, it goes in at the next seq.
    theirs["seq"] = json!(3);
    assert_eq!(store.append_json(&theirs.to_string()).unwrap().seq, 3);
    // A seq beyond the next is the rule's gap, not a race.
    theirs["seq"] = json!(9);
    assert_eq!(store.append_json(&theirs.to_string()).unwrap_err().rule_codes(), [Code::SequenceGap]);
    assert_eq!(store.since(0, 100).unwrap().len(), 3);
}

fn hostile_ids_and_texts_round_trip_exactly(url: &str) {
    let store = Store::open(url).unwrap();
    let ids = ["o'brien; DROP TABLE coachflow_events;--", "quote\"s and \\ back", "nul\u{0}inside", &"é🙂".repeat(60)];
    for (index, id) in ids.into_iter().enumerate() {
        let coachee = format!("coachee-{index}");
        let mut opening = opened(id);
        opening["coachee"] = json!(coachee);
        store.append_json(&opening.to_string()).unwrap();
        let text = format!("{id} \u{0} '); DELETE FROM coachflow_events; -- {}", "ü".repeat(2000));
        store.append_json(&discussed(id, &text).to_string()).unwrap_err(); // cleo is not this coachee
        let mut by_coachee = discussed(id, &text);
        by_coachee["actor"] = json!(coachee);
        store.append_json(&by_coachee.to_string()).unwrap();
        let loaded = store.load(id).unwrap().unwrap();
        assert_eq!(loaded.id(), id);
        assert_eq!(loaded.preliminary_discussions()[0].text.as_deref(), Some(text.as_str()));
    }
    let ids_back: Vec<String> = store.engagements(None).unwrap().into_iter().map(|summary| summary.id).collect();
    assert_eq!(ids_back, ids);
    let feed = store.since(0, 100).unwrap();
    assert_eq!(
        feed.iter().map(|entry| entry.engagement.as_str()).collect::<Vec<_>>(),
        [ids[0], ids[0], ids[1], ids[1], ids[2], ids[2], ids[3], ids[3]]
    );
}

fn import_checks_every_line_and_runs_again_without_duplicates(url: &str) {
    let store = Store::open(url).unwrap();
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("log.jsonl");
    let mut lines: Vec<String> = whole_engagement().iter().map(|event| event.to_string()).collect();
    lines.insert(3, "{oops".into());
    let mut second = opened("w-2");
    second["coachee"] = json!("dana");
    lines.insert(5, second.to_string());
    lines.insert(7, String::new());
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();

    let mut steps = Vec::new();
    let report = store.import_jsonl(&path, |done, total| steps.push((done, total))).unwrap();
    assert_eq!(report.started_at_line, 1);
    assert_eq!(report.lines, lines.len() as u64);
    assert_eq!(report.events_stored, lines.len() as u64 - 2);
    assert_eq!(report.problems.len(), 1);
    assert_eq!((report.problems[0].0, report.problems[0].1[0].code), (4, Code::InvalidEvent));
    let size = std::fs::metadata(&path).unwrap().len();
    assert_eq!(steps.last(), Some(&(size, size)));

    let full = coachflow::log::read_log(std::fs::read(&path).unwrap().as_slice());
    for engagement in &full.engagements {
        assert_eq!(&store.load(engagement.id()).unwrap().unwrap(), engagement);
    }
    let as_of = chrono::NaiveDate::from_ymd_opt(2026, 3, 3).unwrap();
    let owed: Vec<_> = full.engagements.iter().flat_map(|engagement| engagement.all_obligations(as_of)).collect();
    assert!(!owed.is_empty());
    assert_eq!(store.due(as_of).unwrap().into_iter().map(|due| due.obligation).collect::<Vec<_>>(), owed);
    let again = store.import_jsonl(&path, |_, _| {}).unwrap();
    assert_eq!((again.started_at_line, again.events_stored), (lines.len() as u64 + 1, 0));
    assert_eq!(store.since(0, 1000).unwrap().len(), lines.len() - 2);
}

fn a_newer_store_is_refused(url: &str) {
    drop(Store::open(url).unwrap());
    run_sql(url, "UPDATE coachflow_schema SET version = 99");
    let error = Store::open(url).unwrap_err();
    assert_eq!(error.code, StoreCode::StoreTooNew);
    assert!(error.message.contains("99"), "{error}");
}

fn loads_start_from_the_latest_snapshot(url: &str) {
    let events = whole_engagement();
    let expected = Engagement::replay(events.iter().map(|raw| Event::from_value(raw).unwrap())).unwrap();
    let store = Store::open(url).unwrap().snapshot_every(7);
    for event in &events {
        store.append_json(&event.to_string()).unwrap();
    }
    let latest = (events.len() / 7 * 7).to_string();
    assert_eq!(query_text(url, "SELECT CAST(seq AS TEXT) FROM coachflow_snapshots"), latest);
    // A fresh store has nothing in memory: it restores the snapshot and applies the rest.
    assert_eq!(Store::open(url).unwrap().load("v-1").unwrap().unwrap(), expected);

    // The snapshot is what a load starts from: a record changed in it shows.
    let snapshot = query_text(url, "SELECT snapshot FROM coachflow_snapshots");
    let mut tampered: serde_json::Value = serde_json::from_str(&snapshot).unwrap();
    tampered["state"]["preliminary_discussions"][0]["text"] = json!("changed in the snapshot");
    run_sql(url, &format!("UPDATE coachflow_snapshots SET snapshot = '{}'", tampered.to_string().replace('\'', "''")));
    let loaded = Store::open(url).unwrap().load("v-1").unwrap().unwrap();
    assert_eq!(loaded.preliminary_discussions()[0].text.as_deref(), Some("changed in the snapshot"));

    // One written by another coachflow version is ignored: the events are replayed.
    let other = snapshot.replace(env!("CARGO_PKG_VERSION"), "0.0.0-other");
    run_sql(url, &format!("UPDATE coachflow_snapshots SET snapshot = '{}'", other.replace('\'', "''")));
    assert_eq!(Store::open(url).unwrap().load("v-1").unwrap().unwrap(), expected);

    // An import writes them too, and a store told never to snapshot does not.
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("log.jsonl");
    let renamed: Vec<String> = events
        .iter()
        .map(|event| {
            let mut event = event.clone();
            event["engagement"] = json!("v-2");
            event.to_string()
        })
        .collect();
    std::fs::write(&path, renamed.join("\n")).unwrap();
    Store::open(url).unwrap().snapshot_every(0).import_jsonl(&path, |_, _| {}).unwrap();
    assert_eq!(query_text(url, "SELECT CAST(COUNT(*) AS TEXT) FROM coachflow_snapshots"), "1");
    let imported = Store::open(url).unwrap().load("v-2").unwrap().unwrap();
    assert_eq!(imported.to_jsonl(), expected.to_jsonl().replace(r#""v-1""#, r#""v-2""#));
}

fn a_version_1_store_is_migrated(url: &str) {
    // What coachflow-store 0.1.0 wrote: 14 events of one engagement, 1 of another (dumped
    // from SQLite; PostgreSQL's tables of version 1 had 64-bit integers).
    let version_1 = include_str!("fixtures/store-version-1.sql");
    match url.starts_with("sqlite:") {
        true => run_sql(url, version_1),
        false => run_sql(url, &version_1.replace("INTEGER", "BIGINT").replace("id BIGINT", "id INTEGER")),
    }
    let store = Store::open(url).unwrap();
    assert_eq!(query_text(url, "SELECT CAST(MAX(version) AS TEXT) FROM coachflow_schema"), "2");
    let events = whole_engagement();
    let expected = Engagement::replay(events[..14].iter().map(|raw| Event::from_value(raw).unwrap())).unwrap();
    assert_eq!(store.load("v-1").unwrap().unwrap(), expected);
    let hostile = "it's \"quoted\"; DROP TABLE x; \u{e9}";
    assert_eq!(store.load(hostile).unwrap().unwrap().log().len(), 1);
    let ids: Vec<_> = store.engagements(None).unwrap().into_iter().map(|summary| summary.id).collect();
    assert_eq!(ids, ["v-1", hostile]);

    let as_of = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
    let mut opened = events[0].clone();
    opened["engagement"] = json!(hostile);
    let other = Engagement::replay([Event::from_value(&opened).unwrap()]).unwrap();
    let due: Vec<_> = store.due(as_of).unwrap().into_iter().map(|due| due.obligation).collect();
    let owed: Vec<_> = expected.all_obligations(as_of).into_iter().chain(other.all_obligations(as_of)).collect();
    assert!(!owed.is_empty());
    assert_eq!(due, owed, "rows of version 1 are worked out from the events");
    let appended = store.append_json(&events[14].to_string()).unwrap();
    assert_eq!((appended.seq, appended.position), (15, 16));
    assert!(
        query_text(url, "SELECT obligations FROM coachflow_engagements WHERE engagement = '\"v-1\"'").starts_with('[')
    );
    let mut exported = Vec::new();
    assert_eq!(store.export_jsonl(&mut exported).unwrap(), 16);
}

#[test]
fn a_postgres_column_of_another_type_is_store_corrupt_not_a_panic() {
    let Some(url) = common::postgres_url() else { return };
    // The SQLite dump as is: PostgreSQL reads its INTEGER columns as 32-bit.
    run_sql(&url, include_str!("fixtures/store-version-1.sql"));
    assert_eq!(Store::open(&url).unwrap_err().code, StoreCode::StoreCorrupt);
}

#[test]
fn due_lists_an_action_from_the_day_after_its_due_date() {
    let (url, _folder) = common::sqlite_url();
    let store = Store::open(&url).unwrap();
    let events = whole_engagement();
    let with_due_date = events.iter().position(|event| {
        event["actions"].as_array().is_some_and(|actions| actions.iter().any(|a| a["due"].is_string()))
    });
    let Some(upto) = with_due_date else { panic!("the whole engagement records an action with a due date") };
    for event in &events[..=upto] {
        store.append_json(&event.to_string()).unwrap();
    }
    let partial = Engagement::replay(events[..=upto].iter().map(|raw| Event::from_value(raw).unwrap())).unwrap();
    let due_date = partial.all_pending_obligations().iter().find_map(|obligation| obligation.due);
    let Some(due_date) = due_date else { panic!("an open action with a due date is pending") };
    for day in [due_date, due_date.succ_opt().unwrap()] {
        let from_store: Vec<_> = store.due(day).unwrap().into_iter().map(|due| due.obligation).collect();
        assert_eq!(from_store, partial.all_obligations(day), "{day}");
    }
    assert!(store.due(due_date).unwrap().len() < store.due(due_date.succ_opt().unwrap()).unwrap().len());
}

#[test]
fn bad_urls_and_unreadable_files_have_their_codes() {
    assert_eq!(Store::open("mysql://db").unwrap_err().code, StoreCode::InvalidStoreUrl);
    assert_eq!(Store::open("sqlite:").unwrap_err().code, StoreCode::InvalidStoreUrl);
    // Nothing listens on port 9 of this machine.
    let down = Store::open("postgres://nobody@127.0.0.1:9/none").unwrap_err();
    assert_eq!(down.code, StoreCode::StoreUnavailable);

    let folder = tempfile::tempdir().unwrap();
    let garbage = folder.path().join("garbage.db");
    std::fs::write(&garbage, vec![b'x'; 8192]).unwrap();
    assert_eq!(Store::open(&format!("sqlite:{}", garbage.display())).unwrap_err().code, StoreCode::StoreCorrupt);

    let missing_folder = folder.path().join("no/such/folder/store.db");
    assert_eq!(Store::open(&missing_folder.display().to_string()).unwrap_err().code, StoreCode::StoreUnavailable);

    let foreign = folder.path().join("foreign.db");
    rusqlite::Connection::open(&foreign).unwrap().execute("CREATE TABLE payroll (name TEXT)", []).unwrap();
    assert_eq!(Store::open(&foreign.display().to_string()).unwrap_err().code, StoreCode::StoreForeign);
}

#[test]
fn a_truncated_sqlite_file_is_store_corrupt() {
    let (url, folder) = common::sqlite_url();
    let store = Store::open(&url).unwrap();
    for event in whole_engagement() {
        store.append_json(&event.to_string()).unwrap();
    }
    drop(store);
    let path = folder.path().join("store.db");
    let size = std::fs::metadata(&path).unwrap().len();
    assert!(size > 8192, "{size}");
    let file = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
    file.set_len(size / 2).unwrap();
    drop(file);
    let error = match Store::open(&url) {
        Err(error) => error,
        Ok(store) => store.load("v-1").map(|_| ()).and_then(|()| store.metrics().map(|_| ())).unwrap_err(),
    };
    assert_eq!(error.code, StoreCode::StoreCorrupt, "{error}");
}
