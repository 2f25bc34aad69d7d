//! Many writers at once: 4 processes x 8 threads append to the same 20 engagements for a few
//! seconds, on each backend. Every event the store accepted is stored exactly once, seqs
//! are dense, nothing refused is stored, and the store replays to what the writers were told.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod common;

use coachflow_store::{Store, StoreCode};
use common::{discussed, opened};
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashSet};
use std::process::Command;
use std::time::{Duration, Instant};

const PROCESSES: usize = 4;
const THREADS: usize = 8;
const ENGAGEMENTS: usize = 20;
const SECONDS: u64 = 3;
/// Set in a child process: `URL|PROCESS`.
const CHILD: &str = "COACHFLOW_STORE_WRITER";

fn engagement(index: usize) -> String {
    format!("race-{index:02}")
}

/// The writer half: runs only in the child processes the tests below start.
#[test]
fn writer_process() {
    let Ok(task) = std::env::var(CHILD) else { return };
    let (url, process) = task.rsplit_once('|').unwrap();
    let deadline = Instant::now() + Duration::from_secs(SECONDS);
    let threads: Vec<_> = (0..THREADS)
        .map(|thread| {
            let url = url.to_owned();
            let process = process.to_owned();
            std::thread::spawn(move || {
                let store = Store::open(&url).unwrap();
                let mut told = Vec::new();
                let mut random = (thread as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15);
                for attempt in 0.. {
                    if Instant::now() > deadline {
                        break;
                    }
                    random ^= random << 13;
                    random ^= random >> 7;
                    random ^= random << 17;
                    let id = engagement(random as usize % ENGAGEMENTS);
                    let mut event = discussed(&id, &format!("p{process}-t{thread}-{attempt}"));
                    // Half the writers name the seq they expect (read just before), half let the store assign it.
                    if random % 2 == 0 {
                        let next = store.load(&id).unwrap().unwrap().log().len() + 1;
                        event["seq"] = json!(next);
                    }
                    match store.append_json(&event.to_string()) {
                        Ok(appended) => told.push(json!({"engagement": id, "seq": appended.seq,
                                                          "position": appended.position, "notes": event["notes"]})),
                        Err(error) if error.code == StoreCode::ConcurrentUpdate => told.push(json!({"lost": true})),
                        Err(error) => panic!("unexpected {error}"),
                    }
                }
                told
            })
        })
        .collect();
    for thread in threads {
        for line in thread.join().unwrap() {
            println!("TOLD {line}");
        }
    }
}

/// Starts all writer processes at once, then collects what each was told.
fn spawn_all(url: &str) -> Vec<Value> {
    let children: Vec<_> = (0..PROCESSES)
        .map(|process| {
            Command::new(std::env::current_exe().unwrap())
                .args(["--exact", "writer_process", "--nocapture", "--test-threads", "1"])
                .env(CHILD, format!("{url}|{process}"))
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut told = Vec::new();
    for child in children {
        let output = child.wait_with_output().unwrap();
        let stdout = String::from_utf8(output.stdout).unwrap();
        assert!(output.status.success(), "a writer failed:\n{stdout}\n{}", String::from_utf8_lossy(&output.stderr));
        told.extend(
            stdout
                .lines()
                .filter_map(|line| line.split_once("TOLD "))
                .map(|(_, line)| serde_json::from_str(line).unwrap()),
        );
    }
    told
}

/// Starts the writer processes on `url` and checks the store against what they were told.
fn check_many_writers(url: &str) {
    let store = Store::open(url).unwrap();
    for index in 0..ENGAGEMENTS {
        store.append_json(&opened(&engagement(index)).to_string()).unwrap();
    }
    let told = spawn_all(url);
    let accepted: Vec<&Value> = told.iter().filter(|line| line.get("lost").is_none()).collect();
    let lost = told.len() - accepted.len();
    assert!(accepted.len() > 100, "only {} events were accepted", accepted.len());
    assert!(lost > 0, "no writer ever lost a race: the test did not race");

    let feed = store.since(0, u64::MAX / 2).unwrap();
    assert_eq!(feed.len(), ENGAGEMENTS + accepted.len(), "every accepted event is stored, and nothing else");
    let positions: Vec<u64> = feed.iter().map(|entry| entry.position).collect();
    assert_eq!(positions, (1..=feed.len() as u64).collect::<Vec<_>>(), "positions are dense, in order");
    let by_position: BTreeMap<u64, _> = feed.iter().map(|entry| (entry.position, entry)).collect();
    let mut notes = HashSet::new();
    for line in &accepted {
        let entry = by_position[&line["position"].as_u64().unwrap()];
        assert_eq!(entry.engagement, line["engagement"].as_str().unwrap());
        assert_eq!(entry.seq, line["seq"].as_u64().unwrap());
        let stored: Value = serde_json::from_str(&entry.event).unwrap();
        assert_eq!(stored["notes"], line["notes"], "the stored event is the one the writer was told about");
        assert!(notes.insert(line["notes"].as_str().unwrap().to_owned()), "stored twice");
    }
    for index in 0..ENGAGEMENTS {
        let id = engagement(index);
        let mut seqs: Vec<u64> = feed.iter().filter(|entry| entry.engagement == id).map(|entry| entry.seq).collect();
        seqs.sort_unstable();
        assert_eq!(seqs, (1..=seqs.len() as u64).collect::<Vec<_>>(), "seqs of {id} are dense");
        let loaded = store.load(&id).unwrap().unwrap();
        assert_eq!(loaded.log().len(), seqs.len(), "{id} replays every stored event");
    }
}

#[test]
fn many_writers_on_sqlite() {
    let (url, _folder) = common::sqlite_url();
    check_many_writers(&url);
}

#[test]
fn many_writers_on_postgres() {
    if let Some(url) = common::postgres_url() {
        check_many_writers(&url);
    }
}
