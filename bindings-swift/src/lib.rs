//! The uniffi layer of the Swift package.
//!
//! Only conversions: events arrive as JSON text, results leave as records or JSON text, and
//! errors as [`CoachflowError`] with the stable codes. The Swift facade in
//! `Sources/Coachflow` wraps these generated types so that apps never see them. Every call
//! runs inside [`catch_panic`], so a bug becomes an `internal_error`, never a crash.

use coachflow::boundary::{
    self, catch_panic, parse_limits, replay_texts, BoundaryError, CheckResult as CoreCheckResult, ErrorPayload,
};
use serde::Serialize;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

mod store;

uniffi::setup_scaffolding!();

/// One violated rule or one warning.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Finding {
    /// The stable code, e.g. `coach_not_assigned`.
    pub code: String,
    /// The rule reference, e.g. `S1`.
    pub rule: String,
    /// The finding in words.
    pub message: String,
}

impl From<coachflow::Finding> for Finding {
    fn from(finding: coachflow::Finding) -> Finding {
        Finding {
            code: finding.code.as_str().to_owned(),
            rule: finding.rule.as_str().to_owned(),
            message: finding.message,
        }
    }
}

fn findings(list: Vec<coachflow::Finding>) -> Vec<Finding> {
    list.into_iter().map(Finding::from).collect()
}

/// An engagement stage, in contract order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum Stage {
    /// `pre_work`.
    PreWork,
    /// `goal_setting`.
    GoalSetting,
    /// `coaching`.
    Coaching,
    /// `final_review`.
    FinalReview,
    /// `completed`.
    Completed,
    /// `discontinued`.
    Discontinued,
}

impl From<coachflow::Stage> for Stage {
    fn from(stage: coachflow::Stage) -> Stage {
        match stage {
            coachflow::Stage::PreWork => Stage::PreWork,
            coachflow::Stage::GoalSetting => Stage::GoalSetting,
            coachflow::Stage::Coaching => Stage::Coaching,
            coachflow::Stage::FinalReview => Stage::FinalReview,
            coachflow::Stage::Completed => Stage::Completed,
            coachflow::Stage::Discontinued => Stage::Discontinued,
        }
    }
}

impl From<Stage> for coachflow::Stage {
    fn from(stage: Stage) -> coachflow::Stage {
        match stage {
            Stage::PreWork => coachflow::Stage::PreWork,
            Stage::GoalSetting => coachflow::Stage::GoalSetting,
            Stage::Coaching => coachflow::Stage::Coaching,
            Stage::FinalReview => coachflow::Stage::FinalReview,
            Stage::Completed => coachflow::Stage::Completed,
            Stage::Discontinued => coachflow::Stage::Discontinued,
        }
    }
}

/// A participant's role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum Role {
    /// `coachee`.
    Coachee,
    /// `supervisor`.
    Supervisor,
    /// `coach`.
    Coach,
    /// `program_admin`.
    ProgramAdmin,
}

impl From<Role> for coachflow::Role {
    fn from(role: Role) -> coachflow::Role {
        match role {
            Role::Coachee => coachflow::Role::Coachee,
            Role::Supervisor => coachflow::Role::Supervisor,
            Role::Coach => coachflow::Role::Coach,
            Role::ProgramAdmin => coachflow::Role::ProgramAdmin,
        }
    }
}

/// One guard of a target stage and whether it holds.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Requirement {
    /// The code reported when the guard is unmet.
    pub code: String,
    /// The rule reference, `S1` ... `S12`.
    pub rule: String,
    /// Whether the guard holds now.
    pub met: bool,
    /// What the guard asks, and what is missing.
    pub message: String,
}

/// The verdict of `check`.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct CheckResult {
    /// Whether the event would apply.
    pub ok: bool,
    /// Every violated rule; empty when `ok`.
    pub violations: Vec<Finding>,
    /// The warnings the event would bring.
    pub warnings: Vec<Finding>,
}

impl From<CoreCheckResult> for CheckResult {
    fn from(result: CoreCheckResult) -> CheckResult {
        CheckResult { ok: result.ok, violations: findings(result.violations), warnings: findings(result.warnings) }
    }
}

/// Every error of the Swift package.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, uniffi::Error)]
pub enum CoachflowError {
    /// An event broke rules; nothing changed. `code` is the first violation's.
    #[error("{message}")]
    RuleViolation {
        /// The first violation's code.
        code: String,
        /// Every violation, in words.
        message: String,
        /// Every violated rule.
        violations: Vec<Finding>,
        /// For replays: the position of the rejected event.
        index: Option<u64>,
    },
    /// Not a rule problem: `invalid_argument`, `io_error` or `internal_error`.
    #[error("{message}")]
    Boundary {
        /// The boundary code.
        code: String,
        /// What went wrong.
        message: String,
    },
    /// A store call failed: `concurrent_update`, `store_unavailable`, `store_corrupt`, ...
    /// (docs/store.md).
    #[error("{message}")]
    Store {
        /// The store code.
        code: String,
        /// What went wrong.
        message: String,
    },
}

impl From<BoundaryError> for CoachflowError {
    fn from(error: BoundaryError) -> CoachflowError {
        CoachflowError::Boundary { code: error.code.as_str().to_owned(), message: error.message }
    }
}

/// Size caps from JSON, or the defaults.
fn read_limits(limits_json: Option<String>) -> Result<coachflow::Limits, CoachflowError> {
    Ok(limits_json.as_deref().map(parse_limits).transpose()?.unwrap_or_default())
}

impl From<ErrorPayload> for CoachflowError {
    fn from(error: ErrorPayload) -> CoachflowError {
        if !error.is_rule_violation() {
            return CoachflowError::Boundary { code: error.code.to_owned(), message: error.message };
        }
        CoachflowError::RuleViolation {
            code: error.code.to_owned(),
            message: error.message,
            violations: findings(error.violations),
            index: error.index.map(|index| index as u64),
        }
    }
}

/// The binding protocol's error for anything that can become one.
fn raise(error: impl Into<ErrorPayload>) -> CoachflowError {
    error.into().into()
}

/// Runs a call with panics caught.
fn guarded<T>(work: impl FnOnce() -> Result<T, CoachflowError>) -> Result<T, CoachflowError> {
    catch_panic(work)?
}

fn json<T: Serialize>(value: &T) -> Result<String, CoachflowError> {
    serde_json::to_string(value).map_err(|error| raise(BoundaryError::internal(error.to_string())))
}

/// One coaching engagement: the fold of its events. Safe to share between threads.
#[derive(uniffi::Object)]
pub struct Engagement {
    inner: Mutex<coachflow::Engagement>,
}

impl Engagement {
    /// A poisoned lock still holds a whole engagement: `apply` changes nothing until its fold,
    /// which cannot fail.
    fn lock(&self) -> MutexGuard<'_, coachflow::Engagement> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn wrap(engagement: coachflow::Engagement) -> Arc<Engagement> {
        Arc::new(Engagement { inner: Mutex::new(engagement) })
    }
}

#[uniffi::export]
impl Engagement {
    /// An engagement with this id and no events yet.
    #[uniffi::constructor]
    pub fn new(id: String) -> Arc<Engagement> {
        Engagement::wrap(coachflow::Engagement::new(id))
    }

    /// An engagement with this id and no events yet, under size caps given as JSON.
    #[uniffi::constructor]
    pub fn with_limits(id: String, limits_json: String) -> Result<Arc<Engagement>, CoachflowError> {
        guarded(|| Ok(Engagement::wrap(coachflow::Engagement::new(id).with_limits(parse_limits(&limits_json)?))))
    }

    /// Replays a log given as one JSON string per event, under the default size caps or those
    /// given as JSON.
    #[uniffi::constructor]
    pub fn replay(events: Vec<String>, limits_json: Option<String>) -> Result<Arc<Engagement>, CoachflowError> {
        guarded(|| {
            let limits = read_limits(limits_json)?;
            replay_texts(events.iter().map(Ok), &limits).map(Engagement::wrap).map_err(raise)
        })
    }

    /// Replays a log written as JSON Lines, under the default size caps or those given as JSON.
    #[uniffi::constructor]
    pub fn replay_jsonl(text: String, limits_json: Option<String>) -> Result<Arc<Engagement>, CoachflowError> {
        guarded(|| {
            let limits = read_limits(limits_json)?;
            coachflow::Engagement::replay_jsonl_with_limits(&text, &limits).map(Engagement::wrap).map_err(raise)
        })
    }

    /// Applies an event (JSON); returns its warnings.
    pub fn apply(&self, event: String) -> Result<Vec<Finding>, CoachflowError> {
        guarded(|| {
            let applied = self.lock().apply_json(&event).map_err(raise)?;
            Ok(findings(applied.warnings))
        })
    }

    /// What `apply` would do, without changing anything.
    pub fn check(&self, event: String) -> Result<CheckResult, CoachflowError> {
        guarded(|| Ok(CoreCheckResult::of_json(&self.lock(), &event).into()))
    }

    /// Every guard of the target stage, met or not.
    pub fn requirements(&self, stage: Stage) -> Result<Vec<Requirement>, CoachflowError> {
        guarded(|| {
            Ok(self
                .lock()
                .requirements(stage.into())
                .into_iter()
                .map(|requirement| Requirement {
                    code: requirement.code.as_str().to_owned(),
                    rule: requirement.rule.as_str().to_owned(),
                    met: requirement.met,
                    message: requirement.message,
                })
                .collect())
        })
    }

    /// The event types this participant may record now.
    pub fn allowed_events(&self, participant: String) -> Result<Vec<String>, CoachflowError> {
        guarded(|| {
            let types = self.lock().allowed_events(&participant).map_err(raise)?;
            Ok(types.into_iter().map(|event_type| event_type.as_str().to_owned()).collect())
        })
    }

    /// What `viewer` may see of what everyone still owes as of `YYYY-MM-DD`, as JSON.
    pub fn obligations_json(&self, as_of: String, viewer: String) -> Result<String, CoachflowError> {
        guarded(|| json(&self.lock().obligations(boundary::parse_date(&as_of)?, &viewer).map_err(raise)?))
    }

    /// What this participant may see, as JSON.
    pub fn view_json(&self, participant: String) -> Result<String, CoachflowError> {
        guarded(|| json(&self.lock().view(&participant).map_err(raise)?))
    }

    /// What the (first) participant with this role may see, as JSON.
    pub fn view_as_json(&self, role: Role) -> Result<String, CoachflowError> {
        guarded(|| json(&self.lock().view_as(role.into()).map_err(raise)?))
    }

    /// Analytics of this engagement, as JSON.
    pub fn metrics_json(&self) -> Result<String, CoachflowError> {
        guarded(|| json(&self.lock().metrics()))
    }

    /// Whether `viewer` may see `record`, and why, as JSON.
    pub fn explain_visibility_json(&self, viewer: String, record: String) -> Result<String, CoachflowError> {
        guarded(|| json(&self.lock().explain_visibility(&viewer, &record).map_err(raise)?))
    }

    /// The engagement id.
    pub fn id(&self) -> String {
        self.lock().id().to_owned()
    }

    /// The current stage.
    pub fn stage(&self) -> Stage {
        self.lock().stage().into()
    }

    /// The number of events applied.
    pub fn event_count(&self) -> u64 {
        self.lock().log().len() as u64
    }

    /// The log as JSON Lines.
    pub fn to_jsonl(&self) -> String {
        self.lock().to_jsonl()
    }

    /// The log as `viewer` may hold it, as JSON Lines: everything their view does not show
    /// replaced by placeholders (`docs/views.md`, "Redacted logs").
    pub fn redacted_log_jsonl(&self, viewer: String) -> Result<String, CoachflowError> {
        guarded(|| {
            let events = self.lock().redacted_log(&viewer).map_err(raise)?;
            Ok(events.iter().map(|event| event.to_json() + "\n").collect())
        })
    }
}

/// What `role` commits to, as JSON (the coaching guide).
#[uniffi::export]
pub fn responsibilities_json(role: Role) -> Result<String, CoachflowError> {
    guarded(|| json(&coachflow::guide::responsibilities(role.into())))
}

/// What a built-in session step is for, who leads it, and what a coach can ask, as JSON.
#[uniffi::export]
pub fn script_guide_json(step: String) -> Result<String, CoachflowError> {
    guarded(|| json(coachflow::guide::script_guide(boundary::parse_step(&step)?)))
}

/// The questions that show a coach is partnering in one phase of a session, as JSON.
#[uniffi::export]
pub fn partnership_prompts_json(phase: String) -> Result<String, CoachflowError> {
    guarded(|| json(coachflow::guide::partnership_prompts(boundary::parse_phase(&phase)?)))
}

/// The six signs that a coach was not partnering, as JSON.
#[uniffi::export]
pub fn partnering_signals_json() -> Result<String, CoachflowError> {
    guarded(|| json(&coachflow::guide::partnering_signals()))
}

/// The JSON Schema (draft 2020-12) of an event: the envelope and every event type.
#[uniffi::export]
pub fn schema_json() -> Result<String, CoachflowError> {
    guarded(|| json(&coachflow::event::json_schema()))
}

/// The five phases of the coaching process, as JSON.
#[uniffi::export]
pub fn process_phases_json() -> Result<String, CoachflowError> {
    guarded(|| json(&coachflow::guide::process_phases()))
}
