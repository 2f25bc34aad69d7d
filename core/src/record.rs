//! References to the records a coachee can open by consent (F4): `assessment:<id>`,
//! `action:<id>`, `session:<n>`, `goal_progress:<goal id>`, `survey:<id>`.

use std::fmt;

/// A record a coachee can share with the supervisor or the programme admin.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RecordRef {
    /// An assessment's results.
    Assessment(String),
    /// One action.
    Action(String),
    /// A session's script content.
    Session(u32),
    /// A goal's progress notes.
    GoalProgress(String),
    /// A 360 survey's thresholded aggregate.
    Survey(String),
}

impl RecordRef {
    /// Parses `kind:id`; the error says what was wrong.
    ///
    /// ```
    /// use coachflow::RecordRef;
    /// assert_eq!(RecordRef::parse("session:2"), Ok(RecordRef::Session(2)));
    /// assert!(RecordRef::parse("notes:1").is_err());
    /// ```
    pub fn parse(text: &str) -> Result<RecordRef, String> {
        let (kind, id) = text
            .split_once(':')
            .ok_or_else(|| format!("record `{text}` must be written kind:id, e.g. assessment:a1"))?;
        if id.is_empty() {
            return Err(format!("record `{text}` has no id"));
        }
        match kind {
            "assessment" => Ok(RecordRef::Assessment(id.to_owned())),
            "action" => Ok(RecordRef::Action(id.to_owned())),
            "session" => id
                .parse::<u32>()
                .map(RecordRef::Session)
                .map_err(|_| format!("record `{text}`: a session is named by its number")),
            "goal_progress" => Ok(RecordRef::GoalProgress(id.to_owned())),
            "survey" => Ok(RecordRef::Survey(id.to_owned())),
            _ => Err(format!(
                "record kind `{kind}` cannot be shared; the kinds are assessment, action, session, goal_progress, survey"
            )),
        }
    }
}

impl fmt::Display for RecordRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RecordRef::Assessment(id) => write!(f, "assessment:{id}"),
            RecordRef::Action(id) => write!(f, "action:{id}"),
            RecordRef::Session(number) => write!(f, "session:{number}"),
            RecordRef::GoalProgress(id) => write!(f, "goal_progress:{id}"),
            RecordRef::Survey(id) => write!(f, "survey:{id}"),
        }
    }
}
