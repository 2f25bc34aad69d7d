//! [`StoreError`]: what can go wrong in a store, each with a stable code.

use coachflow::{Code, Rejection};
use std::fmt;

/// Why a store call failed. The spelling ([`StoreCode::as_str`]) is stable, the same in
/// every language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum StoreCode {
    /// The event broke rules of the contract and was not stored; the error carries the
    /// violations with their rule codes, as `Engagement::apply` returns them.
    Rejected,
    /// Another writer stored an event at this `seq` first: reload and try again.
    ConcurrentUpdate,
    /// The database cannot be reached (a server that is down or restarting, a file that
    /// cannot be opened); trying again later may succeed.
    StoreUnavailable,
    /// The database file is not a readable SQLite database, or stored events no longer
    /// replay.
    StoreCorrupt,
    /// The database holds other tables and no coachflow store: it is left alone.
    StoreForeign,
    /// The store was written by a newer coachflow-store; this one does not change it.
    StoreTooNew,
    /// The URL names no backend this build has.
    InvalidStoreUrl,
    /// Reading an input file or writing the output failed.
    IoError,
}

impl StoreCode {
    /// Every store code.
    pub const ALL: &'static [StoreCode] = &[
        StoreCode::Rejected,
        StoreCode::ConcurrentUpdate,
        StoreCode::StoreUnavailable,
        StoreCode::StoreCorrupt,
        StoreCode::StoreForeign,
        StoreCode::StoreTooNew,
        StoreCode::InvalidStoreUrl,
        StoreCode::IoError,
    ];

    /// The stable snake_case spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            StoreCode::Rejected => "event_rejected",
            StoreCode::ConcurrentUpdate => "concurrent_update",
            StoreCode::StoreUnavailable => "store_unavailable",
            StoreCode::StoreCorrupt => "store_corrupt",
            StoreCode::StoreForeign => "store_foreign",
            StoreCode::StoreTooNew => "store_too_new",
            StoreCode::InvalidStoreUrl => "invalid_store_url",
            StoreCode::IoError => "io_error",
        }
    }
}

impl fmt::Display for StoreCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A failed store call: its code, a message, and for a rejected event every violation.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct StoreError {
    /// What went wrong.
    pub code: StoreCode,
    /// In words. It never quotes event content.
    pub message: String,
    /// The rule violations, when `code` is [`StoreCode::Rejected`].
    pub rejection: Option<Rejection>,
    /// The kind of I/O failure, when `code` is [`StoreCode::IoError`].
    pub io_kind: Option<std::io::ErrorKind>,
}

impl StoreError {
    /// An error with this code and message.
    pub fn new(code: StoreCode, message: impl Into<String>) -> StoreError {
        StoreError { code, message: message.into(), rejection: None, io_kind: None }
    }

    /// A rejected event.
    pub fn rejected(rejection: Rejection) -> StoreError {
        StoreError {
            code: StoreCode::Rejected,
            message: rejection.to_string(),
            rejection: Some(rejection),
            io_kind: None,
        }
    }

    /// An I/O failure.
    pub(crate) fn io(error: std::io::Error) -> StoreError {
        StoreError { io_kind: Some(error.kind()), ..StoreError::new(StoreCode::IoError, error.to_string()) }
    }

    /// An I/O failure on the file at `path` (an import's input, an export's output).
    pub fn file(path: &std::path::Path, error: std::io::Error) -> StoreError {
        let kind = error.kind();
        StoreError {
            io_kind: Some(kind),
            ..StoreError::new(StoreCode::IoError, format!("{}: {error}", path.display()))
        }
    }

    /// The rule codes of a rejected event (empty for other errors).
    pub fn rule_codes(&self) -> Vec<Code> {
        self.rejection.as_ref().map(Rejection::codes).unwrap_or_default()
    }
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for StoreError {}
