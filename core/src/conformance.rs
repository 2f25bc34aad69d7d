//! Conformance vectors (contract section 9): shared test cases every binding runs.
//!
//! The runner is strict: an unlisted rejection, a listed rejection that applied, a missing
//! code, a wrong stage and an inexact requirements set all fail the vector. Besides the keys
//! of the contract, `expect` may hold `explain` (answers of `explain_visibility`) and
//! `obligations` (what one participant sees is owed), and a `rejected` entry may demand
//! `exact` codes and list `excludes`, texts no message may show (`docs/contract.md` 9).

use crate::codes::Code;
use crate::engine::Engagement;
use crate::event::Event;
use crate::finding::Rejection;
use crate::model::{Role, Stage};
use serde::Deserialize;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// One conformance vector.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Vector {
    /// What the vector shows.
    pub name: String,
    /// The rule references it covers, e.g. `["Q3"]`.
    #[serde(default)]
    pub rules: Vec<String>,
    /// A longer explanation, for people.
    #[serde(default)]
    pub description: Option<String>,
    /// Events, applied in order; `seq` is assigned when absent.
    pub events: Vec<Value>,
    /// What must hold.
    #[serde(default)]
    pub expect: Expectations,
}

/// The `expect` object of a vector. Every key is optional.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expectations {
    /// The stage after the last event.
    pub stage: Option<Stage>,
    /// Events that must be rejected, with at least these codes.
    #[serde(default)]
    pub rejected: Vec<ExpectedCodes>,
    /// Applied events whose warnings must include these codes.
    #[serde(default)]
    pub warnings: Vec<ExpectedCodes>,
    /// Target stage -> exactly the unmet guard codes after the last event.
    #[serde(default)]
    pub requirements: BTreeMap<Stage, ExpectedUnmet>,
    /// Role -> substrings that must (not) appear in that role's view JSON.
    #[serde(default)]
    pub views: BTreeMap<Role, ExpectedView>,
    /// Role -> substrings that must (not) appear in the redacted log (JSON Lines) of that
    /// role's first participant, which must also replay to the same stage.
    #[serde(default)]
    pub redacted_logs: BTreeMap<Role, ExpectedView>,
    /// Answers of `explain_visibility` after the last event.
    #[serde(default)]
    pub explain: Vec<ExpectedExplanation>,
    /// Obligation lists after the last event, as one participant sees them.
    #[serde(default)]
    pub obligations: Vec<ExpectedObligations>,
}

/// What `explain_visibility` answers the (first) participant of a role about a record.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpectedExplanation {
    /// The viewer, by role.
    pub viewer: Role,
    /// The record asked about.
    pub record: String,
    /// Whether it is visible (absent: the call must fail with `error`).
    #[serde(default)]
    pub visible: Option<bool>,
    /// The reason, by its snake_case spelling.
    #[serde(default)]
    pub reason: Option<String>,
    /// The code the call must fail with, instead of answering.
    #[serde(default)]
    pub error: Option<String>,
    /// Substrings that must not appear in the answer's JSON (or the error's message).
    #[serde(default)]
    pub excludes: Vec<String>,
}

/// The obligations one participant sees on a date.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpectedObligations {
    /// The viewer, by role.
    pub viewer: Role,
    /// The date, `YYYY-MM-DD`.
    pub as_of: chrono::NaiveDate,
    /// Exactly the set of obligation kinds the viewer sees.
    pub kinds: Vec<String>,
    /// Substrings that must not appear in the list's JSON.
    #[serde(default)]
    pub excludes: Vec<String>,
}

/// Codes expected at one event.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpectedCodes {
    /// 0-based index into `events`.
    pub index: usize,
    /// Codes, by their snake_case spelling.
    pub codes: Vec<String>,
    /// The rejection has exactly these codes, no others.
    #[serde(default)]
    pub exact: bool,
    /// Substrings that must appear in no message of the rejection.
    #[serde(default)]
    pub excludes: Vec<String>,
}

/// The exact set of unmet guard codes for a target stage.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpectedUnmet {
    /// Codes, by their snake_case spelling.
    pub unmet: Vec<String>,
}

/// Substrings expected in (or absent from) a role's view.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpectedView {
    /// Must appear.
    #[serde(default)]
    pub contains: Vec<String>,
    /// Must not appear.
    #[serde(default)]
    pub excludes: Vec<String>,
}

/// Reads the vectors of one file: a single vector object, or `{"vectors": [...]}`.
pub fn parse_vectors(text: &str) -> Result<Vec<Vector>, String> {
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Many {
        vectors: Vec<Vector>,
        #[serde(default)]
        #[allow(dead_code)]
        description: Option<String>,
    }
    let value: Value = serde_json::from_str(text).map_err(|error| format!("not valid JSON: {error}"))?;
    if value.get("vectors").is_some() {
        serde_json::from_value::<Many>(value).map(|many| many.vectors).map_err(|error| error.to_string())
    } else {
        serde_json::from_value::<Vector>(value).map(|vector| vec![vector]).map_err(|error| error.to_string())
    }
}

/// What an event in a vector came to.
enum Outcome {
    /// Applied, with these warnings.
    Applied(Vec<Code>),
    /// Rejected.
    Rejected(Rejection),
}

/// Runs one vector; returns every failure, empty when the vector passes.
pub fn run_vector(vector: &Vector) -> Vec<String> {
    let mut failures = Vec::new();
    let expect = &vector.expect;
    let parse_codes = |codes: &[String], failures: &mut Vec<String>| -> BTreeSet<Code> {
        codes
            .iter()
            .filter_map(|code| match code.parse::<Code>() {
                Ok(code) => Some(code),
                Err(error) => {
                    failures.push(error.to_string());
                    None
                }
            })
            .collect()
    };
    let mut engagement = Engagement::new("");
    for (index, raw) in vector.events.iter().enumerate() {
        let outcome = match Event::from_value(raw).and_then(|event| engagement.apply(event)) {
            Ok(applied) => Outcome::Applied(applied.warnings.iter().map(|finding| finding.code).collect()),
            Err(rejection) => Outcome::Rejected(rejection),
        };
        let expected_rejection = expect.rejected.iter().find(|expected| expected.index == index);
        let expected_warnings = expect.warnings.iter().find(|expected| expected.index == index);
        match (&outcome, expected_rejection) {
            (Outcome::Rejected(rejection), Some(expected)) => {
                let wanted = parse_codes(&expected.codes, &mut failures);
                let missing: Vec<&str> =
                    wanted.iter().filter(|code| !rejection.has(**code)).map(|code| code.as_str()).collect();
                if !missing.is_empty() {
                    failures.push(format!("event {index}: rejected without {} ({rejection})", missing.join(", ")));
                }
                if expected.exact && rejection.codes().iter().any(|code| !wanted.contains(code)) {
                    failures.push(format!(
                        "event {index}: rejected with more than {} ({rejection})",
                        expected.codes.join(", ")
                    ));
                }
                for text in &expected.excludes {
                    if rejection.violations.iter().any(|finding| finding.message.contains(text.as_str())) {
                        failures.push(format!("event {index}: a message shows {text:?} ({rejection})"));
                    }
                }
            }
            (Outcome::Rejected(rejection), None) => {
                failures.push(format!("event {index}: unexpectedly rejected: {rejection}"))
            }
            (Outcome::Applied(_), Some(expected)) => failures
                .push(format!("event {index}: applied, but should be rejected with {}", expected.codes.join(", "))),
            (Outcome::Applied(_), None) => {}
        }
        if let Some(expected) = expected_warnings {
            match &outcome {
                Outcome::Applied(warnings) => {
                    let wanted = parse_codes(&expected.codes, &mut failures);
                    let missing: Vec<&str> =
                        wanted.iter().filter(|code| !warnings.contains(code)).map(|code| code.as_str()).collect();
                    if !missing.is_empty() {
                        let got: Vec<&str> = warnings.iter().map(|code| code.as_str()).collect();
                        failures.push(format!(
                            "event {index}: warnings lack {} (got [{}])",
                            missing.join(", "),
                            got.join(", ")
                        ));
                    }
                }
                Outcome::Rejected(_) => {
                    failures.push(format!("event {index}: warnings expected, but the event was rejected"))
                }
            }
        }
    }
    for expected in expect.rejected.iter().chain(&expect.warnings) {
        if expected.index >= vector.events.len() {
            failures.push(format!(
                "expectation names event {}, but there are {} events",
                expected.index,
                vector.events.len()
            ));
        }
    }
    if let Some(stage) = expect.stage {
        if engagement.stage() != stage {
            failures.push(format!("stage is {}, expected {stage}", engagement.stage()));
        }
    }
    for (target, expected) in &expect.requirements {
        let wanted = parse_codes(&expected.unmet, &mut failures);
        let unmet: BTreeSet<Code> =
            engagement.requirements(*target).iter().filter(|r| !r.met).map(|r| r.code).collect();
        if unmet != wanted {
            let show = |codes: &BTreeSet<Code>| codes.iter().map(|code| code.as_str()).collect::<Vec<_>>().join(", ");
            failures.push(format!("requirements for {target}: unmet [{}], expected [{}]", show(&unmet), show(&wanted)));
        }
    }
    for (role, expected) in &expect.views {
        match engagement.view_as(*role) {
            Err(finding) => failures.push(format!("views: no {role} view: {finding}")),
            Ok(view) => {
                let json = view.to_json();
                for text in &expected.contains {
                    if !json.contains(text.as_str()) {
                        failures.push(format!("views: the {role} view lacks {text:?}"));
                    }
                }
                for text in &expected.excludes {
                    if json.contains(text.as_str()) {
                        failures.push(format!("views: the {role} view shows {text:?}"));
                    }
                }
            }
        }
    }
    for (role, expected) in &expect.redacted_logs {
        check_redacted_log(&engagement, *role, expected, &mut failures);
    }
    for expected in &expect.explain {
        check_explanation(&engagement, expected, &mut failures);
    }
    for expected in &expect.obligations {
        let Some(viewer) = engagement.participants().with_role(expected.viewer).first().map(|id| id.to_string()) else {
            failures.push(format!("obligations: no {}", expected.viewer));
            continue;
        };
        match engagement.obligations(expected.as_of, &viewer) {
            Err(finding) => failures.push(format!("obligations of the {}: {finding}", expected.viewer)),
            Ok(owed) => {
                let kinds: BTreeSet<&str> = owed.iter().map(|obligation| obligation.kind.as_str()).collect();
                let wanted: BTreeSet<&str> = expected.kinds.iter().map(String::as_str).collect();
                if kinds != wanted {
                    failures.push(format!("obligations of the {}: {kinds:?}, expected {wanted:?}", expected.viewer));
                }
                let json = serde_json::to_string(&owed).unwrap_or_default();
                for text in expected.excludes.iter().filter(|text| json.contains(text.as_str())) {
                    failures.push(format!("obligations of the {} show {text:?}", expected.viewer));
                }
            }
        }
    }
    failures
}

/// The redacted log of `role`'s first participant: these substrings in or out, and a replay
/// that reaches the same stage.
fn check_redacted_log(engagement: &Engagement, role: Role, expected: &ExpectedView, failures: &mut Vec<String>) {
    let Some(viewer) = engagement.participants().with_role(role).first().map(|id| id.to_string()) else {
        failures.push(format!("redacted logs: no {role}"));
        return;
    };
    let events = match engagement.redacted_log(&viewer) {
        Ok(events) => events,
        Err(finding) => return failures.push(format!("redacted logs: no log for the {role}: {finding}")),
    };
    let text: String = events.iter().map(|event| event.to_json() + "\n").collect();
    for wanted in expected.contains.iter().filter(|wanted| !text.contains(wanted.as_str())) {
        failures.push(format!("redacted logs: the {role}'s lacks {wanted:?}"));
    }
    for unwanted in expected.excludes.iter().filter(|unwanted| text.contains(unwanted.as_str())) {
        failures.push(format!("redacted logs: the {role}'s shows {unwanted:?}"));
    }
    match Engagement::replay(events) {
        Ok(replayed) if replayed.stage() == engagement.stage() => {}
        Ok(replayed) => failures.push(format!("redacted logs: the {role}'s replays to {}", replayed.stage())),
        Err(error) => failures.push(format!("redacted logs: the {role}'s does not replay: {error}")),
    }
}

fn check_explanation(engagement: &Engagement, expected: &ExpectedExplanation, failures: &mut Vec<String>) {
    let what = format!("explain {} to the {}", expected.record, expected.viewer);
    let Some(viewer) = engagement.participants().with_role(expected.viewer).first().map(|id| id.to_string()) else {
        failures.push(format!("{what}: no such participant"));
        return;
    };
    let (text, outcome) = match engagement.explain_visibility(&viewer, &expected.record) {
        Ok(answer) => (serde_json::to_string(&answer).unwrap_or_default(), Ok(answer)),
        Err(finding) => (finding.message.clone(), Err(finding)),
    };
    match (&outcome, &expected.error) {
        (Err(finding), Some(code)) if finding.code.as_str() == code => {}
        (Err(finding), _) => failures.push(format!("{what}: failed with {finding}")),
        (Ok(_), Some(code)) => failures.push(format!("{what}: answered, but should fail with {code}")),
        (Ok(answer), None) => {
            if expected.visible.is_some_and(|visible| visible != answer.visible) {
                failures.push(format!("{what}: visible is {}", answer.visible));
            }
            let reason = serde_json::to_value(answer.reason).ok().and_then(|reason| reason.as_str().map(String::from));
            if expected.reason.as_ref().is_some_and(|wanted| Some(wanted) != reason.as_ref()) {
                failures.push(format!("{what}: reason is {reason:?}"));
            }
        }
    }
    for excluded in expected.excludes.iter().filter(|excluded| text.contains(excluded.as_str())) {
        failures.push(format!("{what}: the answer shows {excluded:?}"));
    }
}
