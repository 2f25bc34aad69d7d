//! What the store tests share: a fresh store on each backend, and events to append.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use serde_json::{json, Value};
use std::sync::atomic::{AtomicU32, Ordering};

/// A fresh SQLite store in its own temporary folder (kept alive by the returned guard).
pub fn sqlite_url() -> (String, tempfile::TempDir) {
    let folder = tempfile::tempdir().unwrap();
    let url = format!("sqlite:{}", folder.path().join("store.db").display());
    (url, folder)
}

/// The PostgreSQL server the test script started (`scripts/test-store`), as
/// `postgres://user@host:port` without a database. `None` when there is none, unless
/// `COACHFLOW_REQUIRE_POSTGRES` is set: then its absence fails the test.
pub fn postgres_server() -> Option<String> {
    match std::env::var("COACHFLOW_TEST_POSTGRES_URL") {
        Ok(url) => Some(url),
        Err(_) if std::env::var_os("COACHFLOW_REQUIRE_POSTGRES").is_some() => {
            panic!("COACHFLOW_REQUIRE_POSTGRES is set but COACHFLOW_TEST_POSTGRES_URL is not")
        }
        Err(_) => {
            eprintln!("no PostgreSQL server (COACHFLOW_TEST_POSTGRES_URL): the PostgreSQL half is skipped");
            None
        }
    }
}

/// A fresh, empty PostgreSQL database on the test server.
pub fn postgres_url() -> Option<String> {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let server = postgres_server()?;
    let name = format!("t_{}_{}", std::process::id(), NEXT.fetch_add(1, Ordering::SeqCst));
    let mut admin = postgres::Client::connect(&format!("{server}/postgres"), postgres::NoTls).unwrap();
    admin.batch_execute(&format!("CREATE DATABASE {name}")).unwrap();
    Some(format!("{server}/{name}"))
}

/// The opening of an engagement whose coachee is `cleo` and supervisor `sam`.
pub fn opened(engagement: &str) -> Value {
    json!({"engagement": engagement, "at": "2026-03-02T09:00:00Z", "actor": "hr", "type": "engagement_opened",
           "coachee": "cleo", "supervisor": "sam", "program_admins": ["hr"]})
}

/// A preliminary goal discussion: an event that may be recorded any number of times in
/// pre-work, so that many writers can append to one engagement at once.
pub fn discussed(engagement: &str, notes: &str) -> Value {
    json!({"engagement": engagement, "at": "2026-03-02T10:00:00Z", "actor": "cleo",
           "type": "preliminary_goals_discussed", "notes": notes})
}

/// The events of the complete default engagement of the conformance vectors.
pub fn whole_engagement() -> Vec<Value> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/vectors/whole_engagements.json");
    let file: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    file["vectors"][0]["events"].as_array().unwrap().clone()
}

/// Runs SQL statements on the store's database behind the store's back.
pub fn run_sql(url: &str, sql: &str) {
    match url.strip_prefix("sqlite:") {
        Some(path) => rusqlite::Connection::open(path).unwrap().execute_batch(sql).unwrap(),
        None => postgres::Client::connect(url, postgres::NoTls).unwrap().batch_execute(sql).unwrap(),
    }
}

/// The first column of the first row of a query returning one text.
pub fn query_text(url: &str, sql: &str) -> String {
    match url.strip_prefix("sqlite:") {
        Some(path) => rusqlite::Connection::open(path).unwrap().query_row(sql, [], |row| row.get(0)).unwrap(),
        None => postgres::Client::connect(url, postgres::NoTls).unwrap().query_one(sql, &[]).unwrap().get(0),
    }
}
