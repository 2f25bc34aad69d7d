//! A PostgreSQL server restarted while a client appends: nothing lost, nothing stored twice.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod common;

use coachflow_store::{Store, StoreCode};
use common::{discussed, opened};
use serde_json::json;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Appends while the server restarts: calls fail with `store_unavailable` while it is
/// down, the same event sent again succeeds once it is back (or is found already stored),
/// and the store ends up with exactly the events the client was told were stored.
#[test]
fn a_postgres_restart_during_appends_loses_nothing() {
    let Some(url) = common::postgres_url() else { return };
    let restart =
        std::env::var("COACHFLOW_TEST_POSTGRES_RESTART").expect("scripts/test-store sets the restart command");
    let store = Store::open(&url).unwrap();
    store.append_json(&opened("e").to_string()).unwrap();
    let restarter = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(300));
        let status = Command::new("sh").args(["-c", &restart]).stdout(Stdio::null()).status().unwrap();
        assert!(status.success(), "the restart command failed");
    });
    let (mut told, mut unavailable) = (Vec::new(), 0);
    let deadline = Instant::now() + Duration::from_secs(4);
    let mut seq = 2;
    while Instant::now() < deadline {
        let mut event = discussed("e", &format!("note {seq}"));
        event["seq"] = json!(seq);
        match store.append_json(&event.to_string()) {
            Ok(appended) => {
                assert_eq!(appended.seq, seq);
                told.push(appended.position);
                seq += 1;
            }
            Err(error) => {
                assert_eq!(error.code, StoreCode::StoreUnavailable, "{error}");
                unavailable += 1;
                std::thread::sleep(Duration::from_millis(50));
            }
        }
    }
    restarter.join().unwrap();
    assert!(unavailable > 0, "the restart was never noticed");
    let feed = store.since(0, 100_000).unwrap();
    assert_eq!(feed.len(), told.len() + 1, "exactly the events the client was told about");
    assert_eq!(feed.iter().skip(1).map(|entry| entry.position).collect::<Vec<_>>(), told);
    assert_eq!(store.load("e").unwrap().unwrap().log().len() as u64, seq - 1);
}
