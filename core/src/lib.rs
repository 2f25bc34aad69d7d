#![forbid(unsafe_code)]
//! coachflow core (work in progress)
pub mod codes;
pub mod conformance;
pub mod engine;
pub mod event;
pub mod log;
pub mod model;
pub mod obligations;
pub mod record;
pub mod rules;
pub mod state;
pub use codes::{Code, Finding, Rejection};
pub use engine::{Applied, Engagement, ReplayError, Requirement};
pub use event::{Event, EventBody, EventType, Timestamp};
pub use model::{Policy, Role, Stage};
pub use record::RecordRef;
