//! Schema evolution (docs/schema.md): logs written by this version keep loading, and lines
//! of a schema this version does not know are refused with `unsupported_schema`, by line.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use coachflow::event::SCHEMA_VERSION;
use coachflow::log::read_log;
use coachflow::{Code, Engagement, Event, EventType};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The golden log of a schema: one engagement per vector, holding every event of it that
/// applies, written by `Engagement::to_jsonl` when the file was made.
fn golden_path(version: u64) -> PathBuf {
    repository().join(format!("tests/golden/schema-v{version}.jsonl"))
}

/// The newest golden log, made from the vectors when missing and `COACHFLOW_BLESS_GOLDEN` is set.
fn newest_golden() -> String {
    let path = golden_path(SCHEMA_VERSION);
    if std::env::var_os("COACHFLOW_BLESS_GOLDEN").is_some() && !path.exists() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, build_golden()).unwrap();
    }
    std::fs::read_to_string(&path).unwrap()
}

/// Rebuilds the golden log from the vectors. Only for making a new golden file: a released
/// one is never rewritten (docs/schema.md).
fn build_golden() -> String {
    let mut log = String::new();
    let mut files: Vec<PathBuf> = std::fs::read_dir(repository().join("tests/vectors"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|extension| extension == "json"))
        .collect();
    files.sort();
    for path in files {
        let file: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let stem = path.file_stem().unwrap().to_string_lossy().replace('_', "-");
        for (number, vector) in file["vectors"].as_array().unwrap().iter().enumerate() {
            let id = format!("golden-{stem}-{number}");
            let mut engagement = Engagement::new(id.clone());
            for raw in vector["events"].as_array().unwrap() {
                let mut raw = raw.clone();
                if raw["engagement"].is_string() {
                    raw["engagement"] = Value::from(id.clone());
                }
                raw.as_object_mut().unwrap().remove("seq");
                if let Ok(event) = Event::from_value(&raw) {
                    let _ = engagement.apply(event);
                }
            }
            if engagement.is_opened() {
                log.push_str(&engagement.to_jsonl());
            }
        }
    }
    log
}

#[test]
fn every_golden_log_loads_without_a_problem_and_holds_every_event_type_of_its_schema() {
    newest_golden();
    for version in 1..=SCHEMA_VERSION {
        let text = std::fs::read_to_string(golden_path(version)).unwrap();
        let replay = read_log(text.as_bytes());
        assert_eq!(replay.problems, [], "the schema {version} golden log no longer loads");
        assert_eq!(replay.events_applied, text.lines().count() as u64);
        let types: BTreeSet<EventType> = replay
            .engagements
            .iter()
            .flat_map(|engagement| engagement.log().iter().map(|event| event.event_type()))
            .collect();
        let of_schema: BTreeSet<EventType> =
            EventType::ALL.iter().copied().filter(|kind| kind.schema() <= version).collect();
        assert_eq!(types, of_schema, "the schema {version} golden log should hold every event type of its schema");
        assert!(text.contains("\"meta\""), "the golden log should hold meta");
    }
}

#[test]
fn this_version_writes_the_newest_golden_log_byte_for_byte() {
    // If the writer changes on purpose, add a new golden file beside this one (the old one
    // must keep loading), do not rewrite it.
    let text = newest_golden();
    let rewritten: String = read_log(text.as_bytes()).engagements.iter().map(Engagement::to_jsonl).collect();
    assert!(rewritten == text, "to_jsonl no longer writes what schema {SCHEMA_VERSION} logs look like");
    assert!(text.contains("{\"schema\":2,"), "a line of a schema 2 event type says so");
    let old = std::fs::read_to_string(golden_path(1)).unwrap();
    assert!(!old.contains("\"schema\""), "schema 1 lines are written without `schema`");
}

#[test]
fn an_explicit_schema_1_reads_like_no_schema() {
    let text = std::fs::read_to_string(golden_path(1)).unwrap();
    let stamped: String = text.lines().map(|line| format!("{{\"schema\":1,{}\n", &line[1..])).collect();
    let (plain, stamped) = (read_log(text.as_bytes()), read_log(stamped.as_bytes()));
    assert_eq!(stamped.problems, []);
    let write =
        |replay: &coachflow::log::LogReplay| replay.engagements.iter().map(Engagement::to_jsonl).collect::<String>();
    assert_eq!(write(&stamped), write(&plain));
}

#[test]
fn a_future_schema_line_is_unsupported_schema_at_its_line_and_the_rest_loads() {
    let text = std::fs::read_to_string(golden_path(1)).unwrap();
    let lines: Vec<&str> = text.lines().take(5).collect();
    let future = format!("{{\"schema\":3,{}", &lines[4][1..]);
    let log = format!("{}\n{}\n{future}\n", lines[..4].join("\n"), "");
    let replay = read_log(log.as_bytes());
    assert_eq!(replay.events_applied, 4);
    let problem = &replay.problems[0];
    assert_eq!((problem.line, problem.violations[0].code), (6, Code::UnsupportedSchema));
    assert!(problem.violations[0].message.contains("schema 3"), "{}", problem.violations[0].message);
    // A whole future log, read as one engagement, stops at its first line.
    let all_future: String = lines.iter().map(|line| format!("{{\"schema\":3,{}\n", &line[1..])).collect();
    let error = Engagement::replay_jsonl(&all_future).unwrap_err();
    assert_eq!((error.index, error.rejection.codes()), (0, vec![Code::UnsupportedSchema]));
}
