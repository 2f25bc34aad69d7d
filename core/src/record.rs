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
    /// assert!(RecordRef::parse("session:01").is_err());
    /// ```
    ///
    /// Only the canonical spelling is accepted, so one record has one name: no spaces or
    /// control characters anywhere, the kind in lower case, a session number without sign or
    /// leading zeros (`session:01` and `session:+1` are refused). The error names what was
    /// expected, never the text itself.
    pub fn parse(text: &str) -> Result<RecordRef, String> {
        let (kind, id) =
            text.split_once(':').ok_or_else(|| String::from("a record is written kind:id, e.g. assessment:a1"))?;
        if id.is_empty() {
            return Err(String::from("a record reference needs an id after the colon"));
        }
        if text.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(String::from("a record reference has no spaces or control characters"));
        }
        match kind {
            "assessment" => Ok(RecordRef::Assessment(id.to_owned())),
            "action" => Ok(RecordRef::Action(id.to_owned())),
            "session" => match id.parse::<u32>() {
                Ok(number) if number > 0 && id.bytes().all(|byte| byte.is_ascii_digit()) && !id.starts_with('0') => {
                    Ok(RecordRef::Session(number))
                }
                _ => {
                    Err(String::from("a session record is named by its number, written without sign or leading zeros"))
                }
            },
            "goal_progress" => Ok(RecordRef::GoalProgress(id.to_owned())),
            "survey" => Ok(RecordRef::Survey(id.to_owned())),
            _ => Err(String::from(
                "the kinds of record a coachee can share are assessment, action, session, goal_progress, survey",
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
