//! Runs every conformance vector in `tests/vectors/` and checks that the runner is strict.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use coachflow::conformance::{parse_vectors, run_vector, Vector};
use coachflow::Code;
use std::collections::BTreeSet;
use std::path::PathBuf;

fn vector_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors")
}

fn all_vectors() -> Vec<(String, Vector)> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(vector_dir())
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no vector files found");
    files
        .iter()
        .flat_map(|file| {
            let text = std::fs::read_to_string(file).unwrap();
            let name = file.file_name().unwrap().to_string_lossy().into_owned();
            parse_vectors(&text)
                .unwrap_or_else(|error| panic!("{name}: {error}"))
                .into_iter()
                .map(move |v| (name.clone(), v))
        })
        .collect()
}

#[test]
fn every_vector_passes() {
    let mut failed = Vec::new();
    for (file, vector) in all_vectors() {
        let failures = run_vector(&vector);
        if !failures.is_empty() {
            failed.push(format!("{file}: {}\n    {}", vector.name, failures.join("\n    ")));
        }
    }
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}

#[test]
fn every_code_is_exercised_by_some_vector() {
    let mut seen = BTreeSet::new();
    for (_, vector) in all_vectors() {
        let expect = &vector.expect;
        for expected in expect.rejected.iter().chain(&expect.warnings) {
            seen.extend(expected.codes.iter().cloned());
        }
        for unmet in expect.requirements.values() {
            seen.extend(unmet.unmet.iter().cloned());
        }
    }
    let missing: Vec<&str> = Code::ALL.iter().map(|code| code.as_str()).filter(|code| !seen.contains(*code)).collect();
    assert!(missing.is_empty(), "codes without a vector: {missing:?}");
}

fn sample() -> Vector {
    let text = r#"{"name":"sample","events":[
        {"engagement":"e","at":"2026-01-01T09:00:00Z","actor":"hr","type":"engagement_opened","coachee":"c","supervisor":"s","program_admins":["hr"]},
        {"engagement":"e","at":"2026-01-01T10:00:00Z","actor":"s","type":"stage_advanced","to":"goal_setting"},
        {"engagement":"e","at":"2026-01-01T11:00:00Z","actor":"c","type":"orientation_completed"}
    ],"expect":{"stage":"pre_work","rejected":[{"index":1,"codes":["coach_not_assigned"]}],
        "requirements":{"goal_setting":{"unmet":["coach_not_assigned","preliminary_discussion_missing"]}}}}"#;
    parse_vectors(text).unwrap().remove(0)
}

fn fails(mutate: impl FnOnce(&mut Vector)) -> Vec<String> {
    let mut vector = sample();
    mutate(&mut vector);
    run_vector(&vector)
}

#[test]
fn the_runner_is_strict() {
    assert!(run_vector(&sample()).is_empty());
    // an unlisted rejection
    assert!(!fails(|v| v.expect.rejected.clear()).is_empty());
    // a wrong code
    assert!(!fails(|v| v.expect.rejected[0].codes = vec!["too_few_goals".into()]).is_empty());
    // a listed rejection that applied
    assert!(!fails(|v| v.expect.rejected[0].index = 2).is_empty());
    // a wrong stage
    assert!(!fails(|v| v.expect.stage = Some(coachflow::Stage::GoalSetting)).is_empty());
    // an inexact requirements set: one too few, one too many
    assert!(!fails(|v| v.expect.requirements.values_mut().for_each(|r| {
        r.unmet.pop();
    }))
    .is_empty());
    assert!(!fails(|v| v.expect.requirements.values_mut().for_each(|r| r.unmet.push("orientation_incomplete".into())))
        .is_empty());
    // an unknown code, an index past the end
    assert!(!fails(|v| v.expect.rejected[0].codes = vec!["no_such_code".into()]).is_empty());
    assert!(!fails(|v| v.expect.rejected.push(coachflow::conformance::ExpectedCodes {
        index: 9,
        codes: vec![],
        exact: false,
        excludes: vec![]
    }))
    .is_empty());
    // views: text that must appear, text that must not, a role without a participant
    let view = |role, contains: &str, excludes: &str| {
        fails(|v| {
            v.expect.views.insert(
                role,
                coachflow::conformance::ExpectedView {
                    contains: vec![contains.into()],
                    excludes: vec![excludes.into()],
                },
            );
        })
    };
    assert!(view(coachflow::Role::Supervisor, "\"stage\":\"pre_work\"", "CANARY").is_empty());
    assert!(!view(coachflow::Role::Supervisor, "CANARY", "zzz").is_empty());
    assert!(!view(coachflow::Role::Supervisor, "pre_work", "pre_work").is_empty());
    assert!(!view(coachflow::Role::Coach, "pre_work", "zzz").is_empty());
}

#[test]
fn vector_files_reject_unknown_expectation_keys() {
    assert!(parse_vectors(r#"{"name":"x","events":[],"expect":{"rejectd":[]}}"#).is_err());
}
