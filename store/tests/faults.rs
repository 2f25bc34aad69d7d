//! An import killed with SIGKILL halfway: nothing half-written, nothing stored twice.
//! (The PostgreSQL restart is in `restart.rs`, a test binary of its own, so that it
//! disturbs no other test.)
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod common;

use coachflow_store::Store;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

/// Set in a child process: `URL|LOG`.
const IMPORTER: &str = "COACHFLOW_STORE_IMPORTER";

/// The importer half: runs only in the child process `an_import_killed_halfway_*` starts.
#[test]
fn importer_process() {
    let Ok(task) = std::env::var(IMPORTER) else { return };
    let (url, log) = task.split_once('|').unwrap();
    let store = Store::open(url).unwrap();
    store.import_jsonl(Path::new(log), |done, total| println!("PROGRESS {done} {total}")).unwrap();
    println!("PROGRESS done");
}

/// Imports a generated log in a child process, kills it with SIGKILL once it is well under
/// way, and checks what the store holds: for every engagement, a prefix of its events in
/// the file. Running the import again finishes it with no event stored twice.
fn an_import_killed_halfway(url: &str, engagements: u64) {
    let folder = tempfile::tempdir().unwrap();
    let log = folder.path().join("log.jsonl");
    std::fs::write(&log, coachflow_cli::generate::generate(engagements, 3).join("\n") + "\n").unwrap();
    drop(Store::open(url).unwrap());
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "importer_process", "--nocapture", "--test-threads", "1"])
        .env(IMPORTER, format!("{url}|{}", log.display()))
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut progress = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut killed_at = None;
    while let Some(Ok(line)) = progress.next() {
        let Some((_, numbers)) = line.split_once("PROGRESS ") else { continue };
        let parts: Vec<u64> = numbers.split(' ').filter_map(|n| n.parse().ok()).collect();
        if let [done, total] = parts[..] {
            if done * 3 >= total {
                child.kill().unwrap();
                killed_at = Some(done);
                break;
            }
        }
    }
    child.wait().unwrap();
    let killed_at = killed_at.expect("the import finished before it could be killed; use a larger log");

    let full = coachflow::log::read_log(std::fs::read(&log).unwrap().as_slice());
    assert!(full.problems.is_empty());
    let store = Store::open(url).unwrap();
    let stored_events = store.since(0, u64::MAX / 2).unwrap().len();
    assert!(
        stored_events > 0 && stored_events < full.events_applied as usize,
        "killed at byte {killed_at}: {stored_events} stored"
    );
    for engagement in &full.engagements {
        let expected = engagement.to_jsonl();
        match store.load(engagement.id()).unwrap() {
            None => {}
            Some(stored) => {
                assert!(expected.starts_with(&stored.to_jsonl()), "{} holds a prefix of its events", engagement.id())
            }
        }
    }

    let report = store.import_jsonl(&log, |_, _| {}).unwrap();
    assert!(report.started_at_line > 1, "the second run goes on where the first stopped");
    assert!(report.problems.is_empty(), "{:?}", report.problems.first());
    assert_eq!(store.since(0, u64::MAX / 2).unwrap().len(), full.events_applied as usize, "nothing stored twice");
    for engagement in &full.engagements {
        assert_eq!(&store.load(engagement.id()).unwrap().unwrap(), engagement);
    }
}

#[test]
fn an_import_killed_halfway_on_sqlite() {
    let (url, _folder) = common::sqlite_url();
    an_import_killed_halfway(&url, 1500);
}

#[test]
fn an_import_killed_halfway_on_postgres() {
    if let Some(url) = common::postgres_url() {
        an_import_killed_halfway(&url, 1200);
    }
}
