//! What every language binding needs at its edge, written once.
//!
//! This is the binding protocol, like a foreign-function layer every language shares:
//!
//! - [`ErrorPayload`]: the one error every binding raises as its `CoachflowError`, built from
//!   a rejection, a replay error, a single finding or a [`BoundaryError`];
//! - [`replay_texts`]: replays the event texts that a binding reads one by one from its own array;
//! - [`CheckResult`]: the verdict of `check` as one value;
//! - parsing of stage, role, date and limit arguments, and [`catch_panic`].
//!
//! Rule violations carry a [`Code`](crate::Code). The few errors that are not about the
//! rules (a stage name that does not exist, a file that cannot be read, a bug caught before
//! it crosses into another language) carry one of the [`BoundaryCode`]s instead. Every
//! binding raises both with the same `code` strings.

use crate::engine::{Engagement, ReplayError};
use crate::event::Event;
use crate::finding::{Finding, Rejection};
use crate::limits::Limits;
use crate::model::{Role, Stage};
use chrono::NaiveDate;
use serde::Serialize;
use std::panic::{catch_unwind, AssertUnwindSafe};

pub use crate::unicode::set_nfkc_normalizer;

/// Codes of errors that are not rule violations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BoundaryCode {
    /// An argument is not one the call accepts: an unknown stage or role name, a date that is
    /// not `YYYY-MM-DD`.
    InvalidArgument,
    /// A file could not be opened or read.
    IoError,
    /// coachflow itself failed (a caught panic). Always a bug; please report it.
    InternalError,
}

impl BoundaryCode {
    /// Every boundary code.
    pub const ALL: &'static [BoundaryCode] =
        &[BoundaryCode::InvalidArgument, BoundaryCode::IoError, BoundaryCode::InternalError];

    /// The snake_case spelling, as the bindings report it.
    pub fn as_str(self) -> &'static str {
        match self {
            BoundaryCode::InvalidArgument => "invalid_argument",
            BoundaryCode::IoError => "io_error",
            BoundaryCode::InternalError => "internal_error",
        }
    }
}

/// An error that is not a rule violation.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}: {message}", code.as_str())]
#[non_exhaustive]
pub struct BoundaryError {
    /// The stable code.
    pub code: BoundaryCode,
    /// What went wrong, in words.
    pub message: String,
}

impl BoundaryError {
    /// An `invalid_argument` error.
    pub fn invalid_argument(message: impl Into<String>) -> BoundaryError {
        BoundaryError { code: BoundaryCode::InvalidArgument, message: message.into() }
    }

    /// An `internal_error`: coachflow failed, which is always a bug.
    pub fn internal(message: impl Into<String>) -> BoundaryError {
        BoundaryError { code: BoundaryCode::InternalError, message: message.into() }
    }
}

/// The one error payload of every binding: what its `CoachflowError` carries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ErrorPayload {
    /// A rule code (the first violation's) or a boundary code.
    pub code: &'static str,
    /// The error in words.
    pub message: String,
    /// Every violated rule; empty for boundary errors.
    pub violations: Vec<Finding>,
    /// For a replay, the 0-based position of the rejected event.
    pub index: Option<usize>,
}

impl ErrorPayload {
    /// Whether this is a rule violation (rather than a boundary error).
    pub fn is_rule_violation(&self) -> bool {
        !self.violations.is_empty()
    }
}

impl From<Rejection> for ErrorPayload {
    fn from(rejection: Rejection) -> ErrorPayload {
        let code = rejection.violations.first().map_or("invalid_event", |finding| finding.code.as_str());
        ErrorPayload { code, message: rejection.to_string(), violations: rejection.violations, index: None }
    }
}

impl From<Finding> for ErrorPayload {
    fn from(finding: Finding) -> ErrorPayload {
        Rejection::from(finding).into()
    }
}

impl From<ReplayError> for ErrorPayload {
    fn from(error: ReplayError) -> ErrorPayload {
        let message = error.to_string();
        ErrorPayload { message, index: Some(error.index), ..ErrorPayload::from(error.rejection) }
    }
}

impl From<BoundaryError> for ErrorPayload {
    fn from(error: BoundaryError) -> ErrorPayload {
        ErrorPayload { code: error.code.as_str(), message: error.to_string(), violations: Vec::new(), index: None }
    }
}

/// Replays one engagement from the JSON texts of its events, which a binding reads one by
/// one from its own array (each item is one element's text, or why it could not be read),
/// under `limits`. Each event is kept as the text given. Stops at the first event that
/// cannot be read or applied, with its index, without reading the elements after it.
///
/// ```
/// use coachflow::{boundary::replay_texts, Limits};
/// let events = [r#"{"engagement":"e","at":"2026-01-05T09:00:00Z","actor":"s","type":"engagement_opened","coachee":"c","supervisor":"s"}"#, "{oops"];
/// let error = replay_texts(events.iter().map(Ok), &Limits::DEFAULT).unwrap_err();
/// assert_eq!((error.code, error.index), ("invalid_event", Some(1)));
/// assert!(error.message.starts_with("event 1 was rejected"));
/// ```
pub fn replay_texts<T: AsRef<str>>(
    texts: impl IntoIterator<Item = Result<T, Rejection>>,
    limits: &Limits,
) -> Result<Engagement, ErrorPayload> {
    let events = texts.into_iter().map(|read| {
        let text = read?;
        Event::from_json(text.as_ref()).map(|event| (event, Some(text)))
    });
    Engagement::replay_read(events, limits).map_err(ErrorPayload::from)
}

/// Reads a stage name (`pre_work`, `goal_setting`, ...).
pub fn parse_stage(name: &str) -> Result<Stage, BoundaryError> {
    name.parse().map_err(|error| BoundaryError::invalid_argument(format!("{error}; stages are {}", names(Stage::ALL))))
}

/// Reads a role name (`coachee`, `supervisor`, `coach`, `program_admin`).
pub fn parse_role(name: &str) -> Result<Role, BoundaryError> {
    name.parse().map_err(|error| BoundaryError::invalid_argument(format!("{error}; roles are {}", names(Role::ALL))))
}

/// Reads the name of a built-in session step (`check_in`, `session_goal`, ...).
pub fn parse_step(name: &str) -> Result<crate::model::BuiltinStep, BoundaryError> {
    use crate::model::BuiltinStep;
    name.parse()
        .map_err(|error| BoundaryError::invalid_argument(format!("{error}; steps are {}", names(BuiltinStep::ALL))))
}

/// Reads the name of a partnership phase (`opening`, `checking_in`, ...).
pub fn parse_phase(name: &str) -> Result<crate::model::PartnershipPhase, BoundaryError> {
    use crate::model::PartnershipPhase;
    name.parse().map_err(|error| {
        BoundaryError::invalid_argument(format!("{error}; phases are {}", names(PartnershipPhase::ALL)))
    })
}

/// Reads a calendar date written `YYYY-MM-DD`, as the dates in events are read.
pub fn parse_date(text: &str) -> Result<NaiveDate, BoundaryError> {
    // The same reading as an event's dates.
    crate::event::calendar_date(text)
        .ok_or_else(|| BoundaryError::invalid_argument(format!("`{text}` is not a date written YYYY-MM-DD")))
}

/// Reads size caps written as a JSON object, such as `{"max_text_chars": 1000}`; a cap left
/// out keeps its default, an unknown one is an error.
pub fn parse_limits(json: &str) -> Result<Limits, BoundaryError> {
    let invalid = |why: String| {
        BoundaryError::invalid_argument(format!(
            "limits: {why}; the caps are max_line_bytes, max_events_per_engagement, max_text_chars, \
             max_list_items and max_engagements, each a whole number"
        ))
    };
    match serde_json::from_str::<serde_json::Value>(json) {
        Ok(value @ serde_json::Value::Object(_)) => {
            serde_json::from_value(value).map_err(|error| invalid(error.to_string()))
        }
        // The kind of value, not the value: it may be large (a log passed where limits go).
        Ok(other) => Err(invalid(format!("expected an object, found {}", json_kind(&other)))),
        Err(error) => Err(invalid(error.to_string())),
    }
}

/// What kind of JSON value `value` is, for a message.
fn json_kind(value: &serde_json::Value) -> &'static str {
    match value {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}

fn names<T: std::fmt::Display>(all: &[T]) -> String {
    all.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")
}

/// Runs `work`, turning a panic into an `internal_error` so that it never unwinds into
/// another language. coachflow has no known panicking input; this is the last line of defence.
pub fn catch_panic<T>(work: impl FnOnce() -> T) -> Result<T, BoundaryError> {
    catch_unwind(AssertUnwindSafe(work)).map_err(|payload| {
        let detail = payload
            .downcast_ref::<&str>()
            .map(|text| (*text).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| String::from("no message"));
        BoundaryError::internal(format!("coachflow failed internally ({detail}); this is a bug, please report it"))
    })
}

/// The verdict of [`Engagement::check`] as one value: what the JavaScript and Swift
/// bindings return from `check`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct CheckResult {
    /// Whether the event would apply.
    pub ok: bool,
    /// Every violated rule; empty when `ok`.
    pub violations: Vec<Finding>,
    /// The warnings the event would bring; empty when not `ok`.
    pub warnings: Vec<Finding>,
}

impl CheckResult {
    /// The verdict of reading and checking an event: the warnings, or every violation
    /// (a malformed event is a violation, not an error).
    pub fn from_verdict(verdict: Result<Vec<Finding>, Rejection>) -> CheckResult {
        match verdict {
            Ok(warnings) => CheckResult { ok: true, violations: Vec::new(), warnings },
            Err(rejection) => CheckResult { ok: false, violations: rejection.violations, warnings: Vec::new() },
        }
    }

    /// Checks an event written as JSON.
    pub fn of_json(engagement: &Engagement, event: &str) -> CheckResult {
        CheckResult::from_verdict(Event::from_json(event).and_then(|event| engagement.check(&event)))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn limits_must_be_an_object_of_known_whole_numbers() {
        use super::parse_limits;
        let limits = parse_limits(r#"{"max_list_items": 5}"#).unwrap();
        assert_eq!((limits.max_list_items, limits.max_text_chars), (5, 65_536));
        for bad in
            ["[1]", "5", r#"{"max_list_item": 5}"#, r#"{"max_list_items": -5}"#, r#"{"max_list_items": 1.5}"#, "{"]
        {
            let error = parse_limits(bad).unwrap_err();
            assert_eq!(error.code, super::BoundaryCode::InvalidArgument, "{bad}");
            assert!(error.message.starts_with("limits: "), "{bad}: {}", error.message);
        }
        // A value of the wrong kind is named by its kind, never quoted whole.
        let error = parse_limits(r#"[{"engagement": "e-1", "notes": "a long note"}]"#).unwrap_err();
        assert!(error.message.starts_with("limits: expected an object, found an array;"), "{}", error.message);
        assert!(!error.message.contains("a long note"), "{}", error.message);
    }

    use super::*;

    #[test]
    fn names_are_read_or_refused_with_the_accepted_list() {
        assert_eq!(parse_stage("coaching"), Ok(Stage::Coaching));
        let error = parse_stage("Coaching").unwrap_err();
        assert_eq!(error.code, BoundaryCode::InvalidArgument);
        assert!(error.message.contains("pre_work, goal_setting"), "{}", error.message);
        assert_eq!(parse_role("program_admin"), Ok(Role::ProgramAdmin));
        assert!(parse_role("admin").is_err());
        assert_eq!(parse_date("2026-02-28"), Ok(NaiveDate::from_ymd_opt(2026, 2, 28).unwrap()));
        assert_eq!(parse_date("2026-02-30").unwrap_err().code, BoundaryCode::InvalidArgument);
    }

    #[test]
    #[allow(clippy::panic)]
    fn a_panic_becomes_an_internal_error() {
        let error = catch_panic(|| -> u8 { panic!("boom") }).unwrap_err();
        assert_eq!(error.code, BoundaryCode::InternalError);
        assert!(error.message.contains("boom"));
        assert_eq!(catch_panic(|| 7), Ok(7));
    }

    #[test]
    fn a_malformed_event_is_a_violation_not_an_error() {
        let result = CheckResult::of_json(&Engagement::new("e"), "{not json");
        assert!(!result.ok);
        assert_eq!(result.violations[0].code, crate::Code::InvalidEvent);
    }
}
