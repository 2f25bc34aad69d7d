//! [`Finding`] (one violated rule or one warning) and [`Rejection`] (why an event was refused).

use crate::codes::Code;
use crate::rules::Rule;
use serde::Serialize;
use std::fmt;

/// One violated rule, or one warning: a stable code, the rule's reference and a message for people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Finding {
    /// The stable code.
    pub code: Code,
    /// The rule of the contract it comes from, e.g. `S3`, `Q1` (see `docs/rules.md`).
    pub rule: Rule,
    /// What went wrong, in words, naming the field, person or id involved.
    pub message: String,
}

impl Finding {
    /// A finding with the given code, rule reference and message.
    pub fn new(code: Code, rule: Rule, message: impl Into<String>) -> Finding {
        Finding { code, rule, message: message.into() }
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({}): {}", self.code, self.rule, self.message)
    }
}

/// Why an event was refused: every violated rule, never just the first.
///
/// A rejection changes nothing: the engagement is exactly as it was before the event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{}", render_findings(.violations))]
#[non_exhaustive]
pub struct Rejection {
    /// Every violated rule, in the order the rules were checked. Never empty.
    pub violations: Vec<Finding>,
}

impl Rejection {
    /// A rejection with one violation.
    pub fn single(code: Code, rule: Rule, message: impl Into<String>) -> Rejection {
        Rejection { violations: vec![Finding::new(code, rule, message)] }
    }

    /// The codes of the violations, in order.
    pub fn codes(&self) -> Vec<Code> {
        self.violations.iter().map(|finding| finding.code).collect()
    }

    /// Whether one of the violations has this code.
    pub fn has(&self, code: Code) -> bool {
        self.violations.iter().any(|finding| finding.code == code)
    }
}

impl From<Finding> for Rejection {
    /// A rejection for one violated rule, e.g. the finding of a view asked of a stranger.
    fn from(finding: Finding) -> Rejection {
        Rejection { violations: vec![finding] }
    }
}

fn render_findings(findings: &[Finding]) -> String {
    let parts: Vec<String> = findings.iter().map(ToString::to_string).collect();
    parts.join("; ")
}
