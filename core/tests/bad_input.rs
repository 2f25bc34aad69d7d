//! The bad-input table (`tests/bad-input/cases.json`, shown in docs/hardening.md): every
//! kind of bad line, read after a valid opening line, is exactly one problem on line 2 with
//! the table's code, through the log reader and through a one-engagement replay. The
//! bindings run the same table.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use coachflow::boundary::parse_limits;
use coachflow::log::read_log_with_progress;
use coachflow::Engagement;
use serde_json::Value;

fn table() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/bad-input/cases.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn bytes_of(case: &Value) -> Vec<u8> {
    match (case["line"].as_str(), case["line_hex"].as_str()) {
        (Some(line), _) => line.as_bytes().to_vec(),
        (None, Some(hex)) => {
            (0..hex.len()).step_by(2).map(|at| u8::from_str_radix(&hex[at..at + 2], 16).unwrap()).collect()
        }
        _ => panic!("a case without a line: {case}"),
    }
}

#[test]
fn every_kind_of_bad_line_is_one_problem_with_its_code() {
    let table = table();
    let limits = parse_limits(&table["limits"].to_string()).unwrap();
    let cases = table["cases"].as_array().unwrap();
    assert!(cases.len() >= 15, "the table lost rows");
    for case in cases {
        let (kind, code) = (case["kind"].as_str().unwrap(), case["code"].as_str().unwrap());
        let mut log = format!("{}\n", table["opening"]).into_bytes();
        log.extend(bytes_of(case));
        log.push(b'\n');

        let replay = read_log_with_progress(log.as_slice(), &limits, u64::MAX, |_| {});
        assert_eq!(replay.events_applied, 1, "{kind}: the opening line must still load");
        assert_eq!(replay.problems.len(), 1, "{kind}: {:?}", replay.problems);
        let problem = &replay.problems[0];
        let codes: Vec<&str> = problem.violations.iter().map(|finding| finding.code.as_str()).collect();
        assert_eq!((problem.line, codes), (2, vec![code]), "{kind}: {problem:?}");
        assert!(!problem.violations[0].message.is_empty());

        if let Ok(text) = std::str::from_utf8(&log) {
            let error = Engagement::replay_jsonl_with_limits(text, &limits).unwrap_err();
            let codes: Vec<&str> = error.rejection.codes().iter().map(|code| code.as_str()).collect();
            assert_eq!((error.index, codes), (1, vec![code]), "{kind} through replay_jsonl");
        }
    }
}
