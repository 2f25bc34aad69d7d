#![forbid(unsafe_code)]
//! coachflow core (work in progress)
pub mod codes;
pub mod event;
pub mod model;
pub use codes::{Code, Finding, Rejection};
pub use event::{Event, EventBody, EventType};
