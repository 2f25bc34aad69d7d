//! coachflow: supervisor-partnered workplace coaching engagements as typed, replayable
//! state machines.
//!
//! An engagement between a coachee, their supervisor (the sponsor) and a coach is the fold
//! of its [`Event`]s. [`Engagement::apply`] applies an event atomically or returns a
//! [`Rejection`] listing every violated rule, each with a stable [`Code`] and its [`Rule`];
//! [`Engagement::check`] gives the same verdict without changing anything, and
//! [`Engagement::requirements`] lists the guards of a target stage, met or unmet.
//!
//! ```
//! use coachflow::{Engagement, Event, Stage};
//! let mut engagement = Engagement::new("eng-1");
//! let opened = Event::from_json(r#"{"engagement":"eng-1","at":"2026-01-05T09:00:00Z","actor":"sam",
//!     "type":"engagement_opened","coachee":"cleo","supervisor":"sam","coach":"kim"}"#).unwrap();
//! engagement.apply(opened).unwrap();
//! let unmet: Vec<_> = engagement.requirements(Stage::GoalSetting).into_iter().filter(|r| !r.met).collect();
//! assert_eq!(unmet.len(), 2); // orientation and the preliminary discussion
//! ```
//!
//! The behaviour is specified in `docs/contract.md`; the code cites its sections.
//!
//! # Modules
//!
//! Everything is re-exported from the crate root, except five namespaces for distinct
//! audiences: [`event`] (the log format: payload types of every event type), [`guide`] (the
//! coaching guide as data), [`log`] (JSON
//! Lines logs of many engagements), [`boundary`] (what every language binding shares) and
//! [`conformance`] (the shared test vectors). The private modules, in dependency order:
//!
//! | module | what it holds |
//! |---|---|
//! | `codes` | [`Code`], every stable rule code |
//! | `rules` | [`Rule`], every rule by reference, with its section, summary and codes |
//! | `finding` | [`Finding`] and [`Rejection`] |
//! | `sorted` | lists of texts kept sorted, where a set or map of texts would do |
//! | `id` | [`Id`], an engagement or participant id kept in place when short |
//! | `measure` | measuring texts and lists against size caps |
//! | `model` | roles, stages, meeting kinds, outcomes, the [`Policy`] and the built-in script |
//! | `event` | the envelope, the payloads, the decoder |
//! | `event_log` | [`EventLog`], applied events kept as their JSON text |
//! | `limits` | [`Limits`], the size caps for untrusted input |
//! | `record` | [`RecordRef`], a record a coachee can open by consent |
//! | `state` | what an engagement records (meetings, goals, sessions, ...) |
//! | `survey` | what a 360 survey shows, to whom, and when |
//! | `unicode` | NFKC normalisation for comparing participant ids |
//! | `engine` | [`Engagement`]: apply, check, replay, and one file per rule family |
//! | `obligations` | what each participant still owes |
//! | `views` | each role's [`View`] |
//! | `explain` | why a record is visible or not |
//! | `metrics` | one analytics row per engagement |
//! | `log` | reading logs that interleave engagements |
//! | `boundary` | the binding protocol: boundary codes, parsing names, panics, results |
//! | `conformance` | the conformance vector runner |
#![forbid(unsafe_code)]

mod codes;
mod engine;
mod event_log;
mod explain;
mod finding;
mod id;
mod limits;
mod measure;
mod metrics;
mod model;
mod obligations;
mod record;
mod redact;
mod rules;
mod sorted;
mod state;
mod survey;
mod unicode;
mod views;

pub mod boundary;
pub mod conformance;
pub mod event;
pub mod guide;
pub mod log;

pub use codes::{Code, UnknownCode};
pub use engine::{
    accepted_stages, mermaid_diagram, permitted_roles, xstate_machine, Applied, Engagement, Guard, ReplayError,
    Requirement, RestoreError, GUARDS, XSTATE_GUARD,
};
pub use event::{Event, EventBody, EventType, FieldSpec, Timestamp};
pub use event_log::EventLog;
pub use explain::{Visibility, VisibilityReason};
pub use finding::{Finding, Rejection};
pub use id::Id;
pub use limits::Limits;
pub use metrics::{Metrics, METRICS_COLUMNS};
pub use model::{
    BuiltinStep, EngagementLevel, GoalOutcome, MeetingKind, MidpointCheckIn, PartneringSignal, PartnershipPhase,
    Policy, RaterGroup, Role, ScriptEnforcement, Stage, StepDefinition, UnknownName, DEFAULT_SCRIPT,
};
pub use obligations::{Obligation, ObligationKind};
pub use record::RecordRef;
pub use redact::REDACTED_TEXT;
pub use rules::{rules_table, Rule};
pub use state::{
    Action, ActionStatus, Assessment, CoachChange, ConfidentialityAgreement, ConsentGrant, Disclosure, Discontinuation,
    FinalReview, Goal, GoalAssessment, GoalProgress, LevelRating, Meeting, MeetingStatus, Note, Participants,
    PartnershipReview, RaterResponse, RecordedStep, Session, SessionCancellation, SessionStatus, StageEntry,
    SurveyClosure,
};
pub use survey::{aggregate_survey, GroupScores, SurveyView};
pub use views::{
    ActionView, AdminSession, AgreementView, CommonView, DisclosureFact, DiscontinuationFact, FullSession, FullView,
    LevelFact, MeetingView, ParticipantsView, ProcessFacts, ProgramAdminView, SessionFact, SharedGoalProgress,
    SharedRecords, SharedSession, StepView, SupervisorGoal, SupervisorView, View,
};

#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
