//! The store's figures (issue 17), on SQLite and, when `COACHFLOW_TEST_POSTGRES_URL` names
//! a server (`source scripts/postgres-cluster`), on PostgreSQL:
//! appends per second with 1 and 8 writers, `load` of a 100-event engagement, `due()` over
//! every engagement, and the import of a generated log.
//!
//! `cargo bench -p coachflow-store` imports 10,000 engagements (about a million events);
//! set `COACHFLOW_BENCH_ENGAGEMENTS` for fewer.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use coachflow_store::{Store, StoreCode};
use serde_json::json;
use std::time::{Duration, Instant};

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

/// Appends per second by `writers` threads, each with its own connection, each to its own
/// engagement, for `seconds`.
/// Appends per second by `writers` threads, each with its own store, each writing
/// engagements of 100 events one after the other (an opening and 99 preliminary
/// discussions), so that snapshots and loads cost what they cost for a real engagement.
fn appends_per_second(url: &str, writers: usize, seconds: f64) -> f64 {
    let deadline = Instant::now() + Duration::from_secs_f64(seconds);
    let threads: Vec<_> = (0..writers)
        .map(|writer| {
            let url = url.to_owned();
            std::thread::spawn(move || {
                let store = Store::open(&url).unwrap();
                let mut appended = 0_u64;
                while Instant::now() < deadline {
                    let id = format!("bench-{writers}-{writer}-{}", appended / 100);
                    let event = if appended % 100 == 0 {
                        json!({"engagement": id, "at": "2026-03-02T09:00:00Z", "actor": "hr", "type": "engagement_opened",
                               "coachee": "cleo", "supervisor": "sam", "program_admins": ["hr"]})
                    } else {
                        json!({"engagement": id, "at": "2026-03-02T10:00:00Z", "actor": "cleo",
                               "type": "preliminary_goals_discussed", "notes": format!("note {appended}")})
                    };
                    match store.append_json(&event.to_string()) {
                        Ok(_) => appended += 1,
                        Err(error) if error.code == StoreCode::ConcurrentUpdate => {}
                        Err(error) => panic!("{error}"),
                    }
                }
                appended
            })
        })
        .collect();
    let total: u64 = threads.into_iter().map(|thread| thread.join().unwrap()).sum();
    total as f64 / seconds
}

fn run(name: &str, url: &str, log: &std::path::Path, events: u64, quick: bool) {
    let store = Store::open(url).unwrap();
    let start = Instant::now();
    let report = store.import_jsonl(log, |_, _| {}).unwrap();
    let import = start.elapsed();
    assert!(report.problems.is_empty());
    println!(
        "{name}: import of {events} events: {:.1} s, {:.0} events/s (target on SQLite: 200,000/s)",
        import.as_secs_f64(),
        events as f64 / import.as_secs_f64()
    );

    let engagements = store.engagements(None).unwrap();
    // Engagements of about 100 events; the first load of each reads the database (its
    // snapshot and the events after it), the second finds it in the store's memory.
    let mut hundreds: Vec<_> = engagements.iter().filter(|summary| (100..150).contains(&summary.events)).collect();
    hundreds.truncate(if quick { 3 } else { 200 });
    if hundreds.is_empty() {
        hundreds.push(&engagements[0]);
    }
    let average = hundreds.iter().map(|summary| summary.events).sum::<usize>() / hundreds.len();
    for pass in ["from the database", "again, from the store's memory"] {
        let samples: Vec<Duration> = hundreds
            .iter()
            .map(|summary| {
                let start = Instant::now();
                store.load(&summary.id).unwrap().unwrap();
                start.elapsed()
            })
            .collect();
        println!(
            "{name}: load of a {average}-event engagement {pass}: {:.0} µs (median of {}; target under 200 µs)",
            median(samples).as_secs_f64() * 1e6,
            hundreds.len()
        );
    }

    let as_of = chrono::NaiveDate::from_ymd_opt(2026, 12, 31).unwrap();
    let start = Instant::now();
    let due = store.due(as_of).unwrap();
    println!(
        "{name}: due() over {} engagements: {:.0} ms, {} obligations (target on SQLite: under 100 ms)",
        engagements.len(),
        start.elapsed().as_secs_f64() * 1e3,
        due.len()
    );

    let seconds = if quick { 0.2 } else { 3.0 };
    for writers in [1, 8] {
        println!(
            "{name}: appends with {writers} writer(s): {:.0} per second",
            appends_per_second(url, writers, seconds)
        );
    }
}

fn main() {
    let quick = !std::env::args().any(|arg| arg == "--bench");
    let engagements: u64 = std::env::var("COACHFLOW_BENCH_ENGAGEMENTS")
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(if quick { 20 } else { 10_000 });
    let folder = std::env::temp_dir().join(format!("coachflow-store-bench-{}", std::process::id()));
    std::fs::create_dir_all(&folder).unwrap();
    let log = folder.join("log.jsonl");
    let lines = coachflow_cli::generate::generate(engagements, 7);
    std::fs::write(&log, lines.join("\n") + "\n").unwrap();
    let events = lines.len() as u64;
    drop(lines);

    run("SQLite", &format!("sqlite:{}", folder.join("store.db").display()), &log, events, quick);
    if let Ok(server) = std::env::var("COACHFLOW_TEST_POSTGRES_URL") {
        let database = format!("bench_{}", std::process::id());
        postgres::Client::connect(&format!("{server}/postgres"), postgres::NoTls)
            .unwrap()
            .batch_execute(&format!("CREATE DATABASE {database}"))
            .unwrap();
        run("PostgreSQL", &format!("{server}/{database}"), &log, events, quick);
    } else {
        println!("PostgreSQL: not measured (no COACHFLOW_TEST_POSTGRES_URL; source scripts/postgres-cluster first)");
    }
    std::fs::remove_dir_all(&folder).unwrap();
}
