//! coachflow: supervisor-partnered workplace coaching engagements as typed, replayable
//! state machines.
//!
//! An engagement between a coachee, their supervisor (the sponsor) and a coach is the fold
//! of its [`Event`]s. [`Engagement::apply`] applies an event atomically or returns a
//! [`Rejection`] listing every violated rule, each with a stable [`Code`];
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
//! Modules: [`event`] (the log format and parser), [`engine`] (the rules), [`rules`] (the
//! stage table as data), [`log`] (JSON Lines logs of many engagements), [`limits`] (size caps for untrusted input), [`obligations`],
//! [`conformance`] (the shared test vectors), [`state`] (what an engagement records).
#![forbid(unsafe_code)]
pub mod boundary;
pub mod codes;
pub mod conformance;
pub mod engine;
pub mod event;
pub mod explain;
pub mod limits;
pub mod log;
pub mod metrics;
pub mod model;
pub mod obligations;
pub mod record;
pub mod rules;
pub mod state;
pub mod views;
pub use codes::{Code, Finding, Rejection};
pub use engine::{Applied, Engagement, ReplayError, Requirement};
pub use event::{Event, EventBody, EventType, FieldSpec, Timestamp};
pub use limits::Limits;
pub use model::{Policy, Role, Stage};
pub use record::RecordRef;
pub use views::View;

#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
