//! Events: the envelope every line of a log carries, one payload type per event type, and
//! the parser that turns a JSON object into an [`Event`] with precise rule codes.

use crate::codes::{Code, Finding, Rejection};
use crate::limits::{Measured, Meter};
use crate::model::{EngagementLevel, GoalOutcome, MeetingKind, Policy, RaterGroup, Role};
use chrono::{DateTime, FixedOffset, NaiveDate, SecondsFormat};
use serde::de::value::MapDeserializer;
use serde::de::{self, Deserializer, IntoDeserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use serde_json::value::RawValue;
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

/// The only log schema version this library reads and writes.
pub const SCHEMA_VERSION: u64 = 1;

/// The longest participant id, in characters (section 1).
pub const MAX_PARTICIPANT_ID_CHARS: usize = 128;

/// An RFC 3339 instant that keeps the offset it was written with.
///
/// Two timestamps compare by instant, whatever their offsets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(pub DateTime<FixedOffset>);

impl Timestamp {
    /// Parses an RFC 3339 timestamp such as `2026-02-02T15:00:00Z`.
    pub fn parse(text: &str) -> Result<Timestamp, chrono::ParseError> {
        DateTime::parse_from_rfc3339(text).map(Timestamp)
    }

    /// The calendar date in the timestamp's own offset.
    pub fn date(&self) -> NaiveDate {
        self.0.date_naive()
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.to_rfc3339_opts(SecondsFormat::AutoSi, true))
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Timestamp, D::Error> {
        struct TimestampVisitor;
        impl Visitor<'_> for TimestampVisitor {
            type Value = Timestamp;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an RFC 3339 timestamp")
            }
            fn visit_str<E: de::Error>(self, text: &str) -> Result<Timestamp, E> {
                Timestamp::parse(text)
                    .map_err(|error| E::custom(format!("`{text}` is not an RFC 3339 timestamp ({error})")))
            }
        }
        deserializer.deserialize_str(TimestampVisitor)
    }
}

/// A list of texts that may also be written as a single text (`"a"` reads as `["a"]`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(transparent)]
pub struct TextList(pub Vec<String>);

impl TextList {
    /// Whether the list holds at least one text that is not blank.
    pub fn has_content(&self) -> bool {
        self.0.iter().any(|text| !text.trim().is_empty())
    }
}

impl<'de> Deserialize<'de> for TextList {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<TextList, D::Error> {
        struct TextListVisitor;
        impl<'de> Visitor<'de> for TextListVisitor {
            type Value = TextList;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a text or a list of texts")
            }
            fn visit_str<E: de::Error>(self, text: &str) -> Result<TextList, E> {
                Ok(TextList(vec![text.to_owned()]))
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<TextList, A::Error> {
                let mut texts = Vec::with_capacity(seq.size_hint().unwrap_or(1));
                while let Some(text) = seq.next_element::<String>()? {
                    texts.push(text);
                }
                Ok(TextList(texts))
            }
        }
        deserializer.deserialize_any(TextListVisitor)
    }
}

macro_rules! payload {
    ($(#[$doc:meta])* $name:ident { $( $(#[doc = $fdoc:literal])* $field:ident : $ty:ty, )* } $( optional { $( $(#[doc = $odoc:literal])* $ofield:ident : $oty:ty, )* } )?) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct $name {
            $( $(#[doc = $fdoc])* pub $field: $ty, )*
            $($(
                $(#[doc = $odoc])*
                #[serde(default, skip_serializing_if = "Option::is_none")]
                pub $ofield: Option<$oty>,
            )*)?
        }

        impl Payload for $name {
            fn decode(fields: Vec<(Key<'_>, &RawValue)>) -> Result<Self, Finding> {
                decode_fields(fields)
            }
        }

        impl Measured for $name {
            fn measure(&self, meter: &mut Meter<'_>) {
                $( meter.field(stringify!($field), &self.$field); )*
                $($( meter.field(stringify!($ofield), &self.$ofield); )*)?
            }
        }

        impl $name {
            /// The payload's fields, for schema and type generators.
            pub const FIELDS: &'static [FieldSpec] = &[
                $( FieldSpec { name: stringify!($field), rust_type: stringify!($ty), optional: false, description: concat!($($fdoc),*) }, )*
                $($( FieldSpec { name: stringify!($ofield), rust_type: stringify!($oty), optional: true, description: concat!($($odoc),*) }, )*)?
            ];
        }
    };
}

/// One payload field of an event type, as declared: what type generators for other
/// languages (the TypeScript definitions of the WebAssembly package) are built from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldSpec {
    /// The field's name in the JSON event; `*` stands for further fields that depend on a
    /// value (the fields of a script step).
    pub name: &'static str,
    /// The Rust type, as written in the source (`String`, `Vec<String>`, `TextList`, ...).
    pub rust_type: &'static str,
    /// Whether the field may be left out.
    pub optional: bool,
    /// What the field holds, in words (its doc comment).
    pub description: &'static str,
}

/// Decoding of a payload from the fields of an event object that are not envelope fields.
trait Payload: Sized {
    fn decode(fields: Vec<(Key<'_>, &RawValue)>) -> Result<Self, Finding>;
}

payload! {
    /// `engagement_opened`: who takes part, and the programme's policy.
    EngagementOpened { /** The coachee's participant id. */ coachee: String, /** The supervisor's participant id. */ supervisor: String, }
    optional { /** The coach, when already known. */ coach: String, /** Programme admins (0..n). */ program_admins: Vec<String>, /** Overrides of the default policy. */ policy: Policy, }
}
payload! {
    /// `coach_assigned`.
    CoachAssigned { /** The coach's participant id. */ coach: String, }
}
payload! {
    /// `coach_replaced`: the former coach stops being a participant.
    CoachReplaced { /** The new coach's participant id. */ coach: String, /** Why. */ reason: String, }
}
payload! {
    /// `preliminary_goals_discussed`: the coachee-supervisor pre-work conversation.
    PreliminaryGoalsDiscussed {}
    optional { /** Notes of the conversation. */ notes: String, }
}
payload! {
    /// `meeting_scheduled`.
    MeetingScheduled { /** Meeting id, unique in the engagement. */ meeting: String, /** The kind of meeting. */ kind: MeetingKind, /** When it starts. */ starts_at: Timestamp, }
}
payload! {
    /// `meeting_held`.
    MeetingHeld { /** The meeting id. */ meeting: String, /** Participant ids present. */ attendees: Vec<String>, }
}
payload! {
    /// `meeting_cancelled`.
    MeetingCancelled { /** The meeting id. */ meeting: String, }
    optional { /** Why. */ reason: String, }
}
payload! {
    /// `confidentiality_agreed` (F1, F2).
    ConfidentialityAgreed { /** Date of the three-way meeting where it was reviewed. */ reviewed_on: NaiveDate, /** The stated limits. */ limits: TextList, }
}
payload! {
    /// `goal_agreed` (G1).
    GoalAgreed { /** Goal id. */ goal: String, /** The goal. */ statement: String, /** The organisational priority it serves. */ org_priority: String, /** How success is measured. */ success_measures: TextList, }
    optional { /** Development activities. */ activities: TextList, }
}
payload! {
    /// `goal_revised`: any of the goal fields.
    GoalRevised { /** Goal id. */ goal: String, }
    optional { /** New statement. */ statement: String, /** New priority. */ org_priority: String, /** New measures. */ success_measures: TextList, /** New activities. */ activities: TextList, }
}
payload! {
    /// `goal_progress_noted`.
    GoalProgressNoted { /** Goal id. */ goal: String, /** The note. */ note: String, }
    optional { /** Progress, 0-100. */ percent: f64, }
}
payload! {
    /// `goal_assessed`.
    GoalAssessed { /** Goal id. */ goal: String, /** The outcome. */ outcome: GoalOutcome, }
    optional { /** What shows it. */ evidence: String, }
}
payload! {
    /// `final_review_recorded` (002 "Identifying Progress and Ongoing Support").
    FinalReviewRecorded { /** Successes. */ successes: TextList, /** Opportunities for further development. */ development_opportunities: TextList, /** Resources for continued growth. */ resources: TextList, }
}
payload! {
    /// `session_scheduled` and `session_rescheduled`.
    SessionTime { /** Session number. */ session: u32, /** When it starts. */ starts_at: Timestamp, }
}
payload! {
    /// `session_cancelled`.
    SessionCancelled { /** Session number. */ session: u32, }
    optional { /** Why. */ reason: String, }
}
payload! {
    /// `session_missed` and `session_ended`.
    SessionRef { /** Session number. */ session: u32, }
}
payload! {
    /// `session_started`.
    SessionStarted { /** Session number. */ session: u32, /** Participant ids present. */ attendees: Vec<String>, }
}
payload! {
    /// `action_completed` and `action_dropped`.
    ActionClosed { /** Action id. */ action: String, }
    optional { /** Why. */ reason: String, }
}
payload! {
    /// `assessment_recorded`: owned by the coachee.
    AssessmentRecorded { /** Assessment id. */ assessment: String, /** The instrument used. */ instrument: String, /** Summary. */ summary: String, }
    optional { /** Detailed results. */ results: Map<String, Value>, }
}
payload! {
    /// `rater_feedback_recorded`: one rater's answers to a 360 survey.
    RaterFeedbackRecorded { /** Survey id. */ survey: String, /** Rater id, never shown. */ rater: String, /** The rater's group. */ group: RaterGroup, /** Scores by name. */ scores: BTreeMap<String, f64>, }
    optional { /** Free comment, shown unattributed. */ comment: String, }
}
payload! {
    /// `progress_feedback_given`: the sponsor's regular feedback.
    ProgressFeedbackGiven { /** The feedback. */ note: String, }
}
payload! {
    /// `engagement_level_rated`.
    EngagementLevelRated { /** The level. */ level: EngagementLevel, }
    optional { /** A note kept between coachee and coach. */ note: String, }
}
payload! {
    /// `summary_shared`: the coachee's summary to the supervisor.
    SummaryShared { /** The summary. */ summary: String, }
}
payload! {
    /// `consent_granted` and `consent_revoked` (F4).
    Consent { /** The record, e.g. `assessment:a1`, `session:2`. */ record: String, /** `supervisor` or `program_admin`. */ to: Role, }
}
payload! {
    /// `disclosure_recorded` (F5).
    DisclosureRecorded { /** Recipient. */ to: String, /** The agreed limit it falls under. */ limit: String, /** What was disclosed. */ summary: String, }
}
payload! {
    /// `stage_advanced`. `to` is kept as text so that an unknown stage is `invalid_transition`.
    StageAdvanced { /** The target stage. */ to: String, }
}
payload! {
    /// `engagement_discontinued`.
    EngagementDiscontinued { /** Who ends it: `coachee`, `coach` or `program_admin`. */ initiated_by: Role, /** Why. */ reason: String, }
    optional { /** Whether coachee and coach discussed it first; absent reads as false. */ mutual_discussion: bool, }
}
payload! {
    /// `sponsor_informed`: the coachee's explanation to the sponsor after a discontinuation.
    SponsorInformed { /** The explanation. */ explanation: String, }
}

payload! {
    /// Fields of the `check_in` step.
    CheckIn {}
    optional { /** How the coachee is. */ mood: String, /** What happened since last time. */ since_last: String, }
}
payload! {
    /// Fields of the `session_goal` step.
    SessionGoal { /** The outcome wanted from this session. */ outcome: String, }
    optional { /** How the coachee will know. */ success_looks_like: String, /** Where the coachee is now. */ current_position: String, }
}
payload! {
    /// Fields of the `assignment_review` step.
    AssignmentReview {}
    optional { /** Learned. */ learned: String, /** Went well. */ went_well: String, /** Struggles. */ struggles: String, /** Would do differently. */ do_differently: String, /** Action ids reviewed. */ actions_reviewed: Vec<String>, }
}
payload! {
    /// Fields of the `coaching` step.
    CoachingStep { /** Approaches used, e.g. `role_play`, `strategies`, `problem_solving`. */ approaches: TextList, }
    optional { /** Notes. */ notes: String, }
}
payload! {
    /// One action a coachee commits to.
    ActionItem { /** Action id, unique in the engagement. */ id: String, /** The action. */ description: String, }
    optional { /** Due date. */ due: NaiveDate, }
}
payload! {
    /// Fields of the `action_commitment` step.
    ActionCommitment { /** The actions. */ actions: Vec<ActionItem>, }
    optional { /** What may get in the way. */ obstacles: String, /** Support the coachee needs. */ support: String, }
}
payload! {
    /// Fields of the `key_outcomes` step.
    KeyOutcomes { /** The coachee's takeaways. */ takeaways: TextList, }
    optional { /** Learned. */ learned: String, /** How it helps going forward. */ going_forward: String, }
}
payload! {
    /// Fields of the `next_assignment` step.
    NextAssignment { /** Homework until next time. */ assignment: String, }
    optional { /** The next appointment. */ next_session_at: Timestamp, }
}
payload! {
    /// Fields of the `session_feedback` step.
    SessionFeedback { /** Rating, 1-5. */ rating: u8, }
    optional { /** Comment. */ comment: String, }
}

/// The content of one `script_step`, by step name.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum StepContent {
    /// `check_in`.
    CheckIn(CheckIn),
    /// `session_goal`.
    SessionGoal(SessionGoal),
    /// `assignment_review`.
    AssignmentReview(AssignmentReview),
    /// `coaching`.
    Coaching(CoachingStep),
    /// `action_commitment`.
    ActionCommitment(ActionCommitment),
    /// `key_outcomes`.
    KeyOutcomes(KeyOutcomes),
    /// `next_assignment`.
    NextAssignment(NextAssignment),
    /// `session_feedback`.
    SessionFeedback(SessionFeedback),
    /// A programme's own step (P4): a free `fields` object.
    Custom {
        /// The step's fields.
        fields: Map<String, Value>,
    },
}

/// `script_step`: one step of a started session's script.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScriptStep {
    /// Session number.
    pub session: u32,
    /// Step name.
    pub step: String,
    /// The step's fields.
    #[serde(flatten)]
    pub content: StepContent,
}

impl Measured for ScriptStep {
    fn measure(&self, meter: &mut Meter<'_>) {
        meter.field("step", &self.step);
        self.content.measure(meter);
    }
}

impl ScriptStep {
    /// The fields of a `script_step`; the step's own fields (section 5) are the `*` entry.
    pub const FIELDS: &'static [FieldSpec] = &[
        FieldSpec { name: "session", rust_type: "u32", optional: false, description: " Session number." },
        FieldSpec { name: "step", rust_type: "String", optional: false, description: " Step name." },
        FieldSpec {
            name: "*",
            rust_type: "StepContent",
            optional: true,
            description: " The step's own fields, as the session script names them.",
        },
    ];
}

macro_rules! event_types {
    ($( $(#[doc = $doc:literal])* $variant:ident $( ($payload:ty) )? = $name:literal, )*) => {
        /// The event types of the contract (section 4).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum EventType {
            $( $(#[doc = $doc])* $variant, )*
        }

        impl EventType {
            /// Every event type, in contract order.
            pub const ALL: &'static [EventType] = &[ $( EventType::$variant, )* ];

            /// The contract's spelling.
            pub fn as_str(self) -> &'static str {
                match self { $( EventType::$variant => $name, )* }
            }

            /// The event type with this spelling.
            pub fn from_name(name: &str) -> Option<EventType> {
                match name { $( $name => Some(EventType::$variant), )* _ => None }
            }

            /// What this event type records, in one sentence.
            pub fn description(self) -> &'static str {
                match self { $( EventType::$variant => concat!($($doc),*).trim_ascii(), )* }
            }

            /// The payload fields of this event type (besides the envelope's).
            pub fn fields(self) -> &'static [FieldSpec] {
                match self { $( EventType::$variant => payload_fields!($($payload)?), )* }
            }
        }

        /// The payload of an event, one variant per [`EventType`].
        #[derive(Debug, Clone, PartialEq, Serialize)]
        #[serde(tag = "type", rename_all = "snake_case")]
        pub enum EventBody {
            $( $(#[doc = $doc])* $variant $( ($payload) )?, )*
        }

        impl EventBody {
            /// This payload's event type.
            pub fn event_type(&self) -> EventType {
                match self { $( EventBody::$variant { .. } => EventType::$variant, )* }
            }
        }

        impl Measured for EventBody {
            fn measure(&self, meter: &mut Meter<'_>) {
                match self { $( EventBody::$variant { .. } => measure_variant!(self, meter, $variant $(, $payload)?), )* }
            }
        }

        fn decode_body(kind: EventType, fields: Vec<(Key<'_>, &RawValue)>) -> Result<EventBody, Finding> {
            match kind {
                $( EventType::$variant => decode_variant!(fields, $variant $(, $payload)?), )*
            }
        }
    };
}

macro_rules! payload_fields {
    () => {
        &[]
    };
    ($payload:ty) => {
        <$payload>::FIELDS
    };
}

macro_rules! measure_variant {
    ($body:ident, $meter:ident, $variant:ident) => {
        ()
    };
    ($body:ident, $meter:ident, $variant:ident, $payload:ty) => {
        if let EventBody::$variant(payload) = $body {
            payload.measure($meter)
        }
    };
}

macro_rules! decode_variant {
    ($fields:ident, $variant:ident) => {
        match $fields.first() {
            None => Ok(EventBody::$variant),
            Some((key, _)) => {
                Err(invalid(format!("unknown field `{}`: `{}` has no payload", key.0, EventType::$variant.as_str())))
            }
        }
    };
    ($fields:ident, $variant:ident, $payload:ty) => {
        <$payload as Payload>::decode($fields).map(EventBody::$variant)
    };
}

event_types! {
    /// Opens the engagement (first event only).
    EngagementOpened(EngagementOpened) = "engagement_opened",
    /// A coach is assigned in pre-work.
    CoachAssigned(CoachAssigned) = "coach_assigned",
    /// The programme replaces the coach.
    CoachReplaced(CoachReplaced) = "coach_replaced",
    /// The coachee completed the orientation.
    OrientationCompleted = "orientation_completed",
    /// Coachee and supervisor held the preliminary goal discussion.
    PreliminaryGoalsDiscussed(PreliminaryGoalsDiscussed) = "preliminary_goals_discussed",
    /// The actor acknowledges their role's responsibilities.
    ResponsibilitiesAcknowledged = "responsibilities_acknowledged",
    /// A three-way meeting is scheduled.
    MeetingScheduled(MeetingScheduled) = "meeting_scheduled",
    /// A three-way meeting took place.
    MeetingHeld(MeetingHeld) = "meeting_held",
    /// A scheduled meeting is called off.
    MeetingCancelled(MeetingCancelled) = "meeting_cancelled",
    /// The coach states the confidentiality agreement.
    ConfidentialityAgreed(ConfidentialityAgreed) = "confidentiality_agreed",
    /// A goal is agreed.
    GoalAgreed(GoalAgreed) = "goal_agreed",
    /// A goal is revised during coaching.
    GoalRevised(GoalRevised) = "goal_revised",
    /// Progress on a goal is noted.
    GoalProgressNoted(GoalProgressNoted) = "goal_progress_noted",
    /// A goal's outcome is recorded.
    GoalAssessed(GoalAssessed) = "goal_assessed",
    /// The final review's successes, opportunities and resources.
    FinalReviewRecorded(FinalReviewRecorded) = "final_review_recorded",
    /// A coaching session is scheduled.
    SessionScheduled(SessionTime) = "session_scheduled",
    /// A scheduled session moves.
    SessionRescheduled(SessionTime) = "session_rescheduled",
    /// A scheduled session is called off.
    SessionCancelled(SessionCancelled) = "session_cancelled",
    /// The coachee did not come.
    SessionMissed(SessionRef) = "session_missed",
    /// A session begins.
    SessionStarted(SessionStarted) = "session_started",
    /// One step of the session script.
    ScriptStep(ScriptStep) = "script_step",
    /// A session ends; it counts as held.
    SessionEnded(SessionRef) = "session_ended",
    /// The coachee completed an action.
    ActionCompleted(ActionClosed) = "action_completed",
    /// The coachee dropped an action.
    ActionDropped(ActionClosed) = "action_dropped",
    /// An assessment's results.
    AssessmentRecorded(AssessmentRecorded) = "assessment_recorded",
    /// One rater's 360 answers.
    RaterFeedbackRecorded(RaterFeedbackRecorded) = "rater_feedback_recorded",
    /// The sponsor's regular feedback.
    ProgressFeedbackGiven(ProgressFeedbackGiven) = "progress_feedback_given",
    /// The coach rates how engaged the coachee is.
    EngagementLevelRated(EngagementLevelRated) = "engagement_level_rated",
    /// The coachee shares a summary with the supervisor.
    SummaryShared(SummaryShared) = "summary_shared",
    /// The coachee opens one record to one role.
    ConsentGranted(Consent) = "consent_granted",
    /// The coachee closes a record again.
    ConsentRevoked(Consent) = "consent_revoked",
    /// The coach discloses under an agreed limit.
    DisclosureRecorded(DisclosureRecorded) = "disclosure_recorded",
    /// The engagement moves one stage forward.
    StageAdvanced(StageAdvanced) = "stage_advanced",
    /// The engagement ends early.
    EngagementDiscontinued(EngagementDiscontinued) = "engagement_discontinued",
    /// The coachee explained the discontinuation to the sponsor.
    SponsorInformed(SponsorInformed) = "sponsor_informed",
}

impl fmt::Display for EventType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One event of an engagement's log: the envelope and the payload.
///
/// ```
/// use coachflow::{Event, EventType};
/// let event = Event::from_json(
///     r#"{"engagement":"eng-7","seq":3,"at":"2026-02-02T15:00:00Z","actor":"ann","type":"orientation_completed"}"#,
/// ).unwrap();
/// assert_eq!(event.event_type(), EventType::OrientationCompleted);
/// assert_eq!(event.to_json(), r#"{"engagement":"eng-7","seq":3,"at":"2026-02-02T15:00:00Z","actor":"ann","type":"orientation_completed"}"#);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Event {
    /// The engagement id.
    pub engagement: String,
    /// 1-based position in the engagement; `None` lets `apply` assign it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seq: Option<u64>,
    /// When the event happened.
    pub at: Timestamp,
    /// The participant who records it.
    pub actor: String,
    /// The type and its payload.
    #[serde(flatten)]
    pub body: EventBody,
    /// Caller data, kept in the log, never interpreted, never shown in a view.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub meta: Option<Map<String, Value>>,
}

impl Event {
    /// The event's type.
    pub fn event_type(&self) -> EventType {
        self.body.event_type()
    }

    /// Parses one event from JSON text. Every envelope problem is reported together;
    /// a payload problem is reported as `invalid_event` naming the field.
    pub fn from_json(text: &str) -> Result<Event, Rejection> {
        let raw: RawEvent<'_> = serde_json::from_str(text)
            .map_err(|error| Rejection::single(Code::InvalidEvent, "L2", describe_json_error(&error)))?;
        raw.decode()
    }

    /// Parses one event from a JSON value (for callers that already hold parsed JSON).
    pub fn from_value(value: &Value) -> Result<Event, Rejection> {
        Event::from_json(&value.to_string())
    }

    /// The event as one line of JSON, in the log format.
    pub fn to_json(&self) -> String {
        // Serializing plain data to a String cannot fail; fall back to an empty object
        // rather than panic if serde_json ever says otherwise.
        serde_json::to_string(self).unwrap_or_else(|_| String::from("{}"))
    }
}

/// An object key, borrowed from the input when it has no escapes.
struct Key<'a>(Cow<'a, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Key<'de>, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a field name")
            }
            fn visit_borrowed_str<E: de::Error>(self, text: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(text)))
            }
            fn visit_str<E: de::Error>(self, text: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(text.to_owned())))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

impl<'de> IntoDeserializer<'de, serde_json::Error> for Key<'de> {
    type Deserializer = de::value::CowStrDeserializer<'de, serde_json::Error>;
    fn into_deserializer(self) -> Self::Deserializer {
        self.0.into_deserializer()
    }
}

/// The top-level fields of an event, each still as raw JSON.
#[derive(Default)]
struct RawEvent<'a> {
    schema: Option<&'a RawValue>,
    engagement: Option<&'a RawValue>,
    seq: Option<&'a RawValue>,
    at: Option<&'a RawValue>,
    actor: Option<&'a RawValue>,
    kind: Option<&'a RawValue>,
    meta: Option<&'a RawValue>,
    payload: Vec<(Key<'a>, &'a RawValue)>,
}

impl<'de> Deserialize<'de> for RawEvent<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<RawEvent<'de>, D::Error> {
        struct RawEventVisitor;
        impl<'de> Visitor<'de> for RawEventVisitor {
            type Value = RawEvent<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an event object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawEvent<'de>, A::Error> {
                let mut raw = RawEvent::default();
                while let Some(key) = map.next_key::<Key<'de>>()? {
                    let value: &'de RawValue = map.next_value()?;
                    let slot = match key.0.as_ref() {
                        "schema" => &mut raw.schema,
                        "engagement" => &mut raw.engagement,
                        "seq" => &mut raw.seq,
                        "at" => &mut raw.at,
                        "actor" => &mut raw.actor,
                        "type" => &mut raw.kind,
                        "meta" => &mut raw.meta,
                        _ => {
                            if raw.payload.iter().any(|(seen, _)| seen.0 == key.0) {
                                return Err(de::Error::custom(format!("field `{}` appears twice", key.0)));
                            }
                            raw.payload.push((key, value));
                            continue;
                        }
                    };
                    if slot.replace(value).is_some() {
                        return Err(de::Error::custom(format!("field `{}` appears twice", key.0)));
                    }
                }
                Ok(raw)
            }
        }
        deserializer.deserialize_map(RawEventVisitor)
    }
}

fn invalid(message: impl Into<String>) -> Finding {
    Finding::new(Code::InvalidEvent, "L2", message)
}

fn describe_json_error(error: &serde_json::Error) -> String {
    match error.classify() {
        serde_json::error::Category::Syntax | serde_json::error::Category::Eof => {
            format!("not valid JSON: {error}")
        }
        _ => format!("not an event object: {error}"),
    }
}

/// Reads an optional envelope field, treating `null` as absent.
fn envelope_field<'a, T: Deserialize<'a>>(
    raw: Option<&'a RawValue>,
    name: &str,
    expected: &str,
    problems: &mut Vec<Finding>,
) -> Option<T> {
    let raw = raw?;
    if raw.get() == "null" {
        return None;
    }
    match serde_json::from_str::<T>(raw.get()) {
        Ok(value) => Some(value),
        Err(_) => {
            problems.push(invalid(format!("field `{name}` must be {expected}, found {}", raw.get())));
            None
        }
    }
}

/// Reports a required envelope field that is absent or `null` (a present field of the wrong
/// type was already reported by [`envelope_field`]).
fn required<T>(value: Option<T>, name: &str, problems: &mut Vec<Finding>, raw: Option<&RawValue>) -> Option<T> {
    if value.is_none() && raw.is_none_or(|raw| raw.get() == "null") {
        problems.push(invalid(format!("missing field `{name}`")));
    }
    value
}

impl<'a> RawEvent<'a> {
    fn decode(self) -> Result<Event, Rejection> {
        let mut problems = Vec::new();
        if let Some(schema) = self.schema.filter(|raw| raw.get() != "null") {
            match serde_json::from_str::<i64>(schema.get()) {
                Ok(version) if version == SCHEMA_VERSION as i64 => {}
                Ok(version) => problems.push(Finding::new(
                    Code::UnsupportedSchema,
                    "L1",
                    format!("schema {version} is not supported; this library reads schema {SCHEMA_VERSION}"),
                )),
                Err(_) => problems.push(invalid(format!("field `schema` must be an integer, found {}", schema.get()))),
            }
        }
        // The common case, a known type, parses without allocating; the rest is diagnosed.
        let kind = match self.kind.filter(|raw| raw.get() != "null") {
            None => required::<()>(None, "type", &mut problems, self.kind).and(None),
            Some(raw) => serde_json::from_str::<EventType>(raw.get()).ok().or_else(|| {
                match serde_json::from_str::<String>(raw.get()) {
                    Ok(name) => problems.push(Finding::new(
                        Code::UnknownEventType,
                        "L6",
                        format!("`{name}` is not an event type"),
                    )),
                    Err(_) => problems.push(invalid(format!(
                        "field `type` must be a text naming the event type, found {}",
                        raw.get()
                    ))),
                }
                None
            }),
        };
        let engagement: Option<String> = envelope_field(self.engagement, "engagement", "a text", &mut problems);
        let engagement = required(engagement, "engagement", &mut problems, self.engagement);
        if engagement.as_deref().is_some_and(|id| id.is_empty()) {
            problems.push(invalid("field `engagement` must not be empty"));
        }
        let seq: Option<u64> = envelope_field(self.seq, "seq", "a positive integer", &mut problems);
        if seq == Some(0) {
            problems.push(invalid("field `seq` starts at 1"));
        }
        let at: Option<Timestamp> = envelope_field(self.at, "at", "an RFC 3339 timestamp", &mut problems);
        let at = required(at, "at", &mut problems, self.at);
        let actor: Option<String> = envelope_field(self.actor, "actor", "a text", &mut problems);
        let actor = required(actor, "actor", &mut problems, self.actor);
        let meta: Option<Map<String, Value>> = envelope_field(self.meta, "meta", "an object", &mut problems);
        let body = kind.and_then(|kind| match decode_body(kind, self.payload) {
            Ok(body) => Some(body),
            Err(problem) => {
                problems.push(problem);
                None
            }
        });
        match (engagement, at, actor, body) {
            (Some(engagement), Some(at), Some(actor), Some(body)) if problems.is_empty() => {
                Ok(Event { engagement, seq, at, actor, body, meta })
            }
            _ => {
                if problems.is_empty() {
                    problems.push(invalid("the event is incomplete"));
                }
                Err(Rejection { violations: problems })
            }
        }
    }
}

fn decode_fields<'a, T: Deserialize<'a>>(fields: Vec<(Key<'a>, &'a RawValue)>) -> Result<T, Finding> {
    let deserializer = MapDeserializer::<_, serde_json::Error>::new(fields.into_iter());
    T::deserialize(deserializer).map_err(|error| invalid(error.to_string()))
}

impl Payload for ScriptStep {
    fn decode(fields: Vec<(Key<'_>, &RawValue)>) -> Result<ScriptStep, Finding> {
        decode_script_step(fields)
    }
}

fn decode_script_step(fields: Vec<(Key<'_>, &RawValue)>) -> Result<ScriptStep, Finding> {
    let mut session = None;
    let mut step = None;
    let mut rest = Vec::with_capacity(fields.len());
    for (key, value) in fields {
        match key.0.as_ref() {
            "session" => {
                session = Some(serde_json::from_str::<u32>(value.get()).map_err(|_| {
                    invalid(format!("field `session` must be a session number, found {}", value.get()))
                })?);
            }
            "step" => {
                step = Some(
                    serde_json::from_str::<String>(value.get())
                        .map_err(|_| invalid(format!("field `step` must be a text, found {}", value.get())))?,
                );
            }
            _ => rest.push((key, value)),
        }
    }
    let session = session.ok_or_else(|| invalid("missing field `session`"))?;
    let step = step.ok_or_else(|| invalid("missing field `step`"))?;
    let content = match step.as_str() {
        "check_in" => StepContent::CheckIn(decode_fields(rest)?),
        "session_goal" => StepContent::SessionGoal(decode_fields(rest)?),
        "assignment_review" => StepContent::AssignmentReview(decode_fields(rest)?),
        "coaching" => StepContent::Coaching(decode_fields(rest)?),
        "action_commitment" => StepContent::ActionCommitment(decode_fields(rest)?),
        "key_outcomes" => StepContent::KeyOutcomes(decode_fields(rest)?),
        "next_assignment" => StepContent::NextAssignment(decode_fields(rest)?),
        "session_feedback" => StepContent::SessionFeedback(decode_fields(rest)?),
        _ => {
            #[derive(Deserialize)]
            #[serde(deny_unknown_fields)]
            struct CustomFields {
                #[serde(default)]
                fields: Map<String, Value>,
            }
            let custom: CustomFields = decode_fields(rest)?;
            StepContent::Custom { fields: custom.fields }
        }
    };
    Ok(ScriptStep { session, step, content })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(text: &str) -> Vec<Code> {
        Event::from_json(text).unwrap_err().codes()
    }

    const BASE: &str = r#""engagement":"e","at":"2026-01-01T09:00:00Z","actor":"ann""#;

    #[test]
    fn parses_and_round_trips_a_payload_event() {
        let text = format!(
            r#"{{{BASE},"type":"meeting_scheduled","meeting":"m1","kind":"goal_setting","starts_at":"2026-01-05T10:00:00+02:00","meta":{{"source":"hr"}}}}"#
        );
        let event = Event::from_json(&text).unwrap();
        assert_eq!(event.event_type(), EventType::MeetingScheduled);
        let again = Event::from_json(&event.to_json()).unwrap();
        assert_eq!(event, again);
        assert!(event.to_json().contains("+02:00"));
    }

    #[test]
    fn unknown_field_is_invalid_event_naming_the_field() {
        let rejection =
            Event::from_json(&format!(r#"{{{BASE},"type":"coach_assigned","coach":"k","coach_name":"x"}}"#))
                .unwrap_err();
        assert_eq!(rejection.codes(), [Code::InvalidEvent]);
        assert!(rejection.violations[0].message.contains("coach_name"), "{rejection}");
    }

    #[test]
    fn unit_events_refuse_payload_fields() {
        let rejection =
            Event::from_json(&format!(r#"{{{BASE},"type":"orientation_completed","done":true}}"#)).unwrap_err();
        assert!(rejection.violations[0].message.contains("done"));
    }

    #[test]
    fn envelope_problems_are_reported_together() {
        let found = codes(r#"{"schema":2,"engagement":"","seq":"3","at":"yesterday","type":"nope"}"#);
        assert!(found.contains(&Code::UnsupportedSchema));
        assert!(found.contains(&Code::UnknownEventType));
        assert_eq!(found.iter().filter(|c| **c == Code::InvalidEvent).count(), 4, "{found:?}");
    }

    #[test]
    fn malformed_json_and_non_objects_are_invalid_event() {
        assert_eq!(codes("{"), [Code::InvalidEvent]);
        assert_eq!(codes("[1,2]"), [Code::InvalidEvent]);
        assert_eq!(codes(&format!(r#"{{{BASE},"type":"orientation_completed","actor":"bob"}}"#)), [Code::InvalidEvent]);
    }

    #[test]
    fn null_required_fields_are_reported_as_missing() {
        let rejection = Event::from_json(
            r#"{"engagement":"e","at":"2026-01-01T09:00:00Z","actor":null,"type":"orientation_completed"}"#,
        )
        .unwrap_err();
        assert_eq!(rejection.codes(), [Code::InvalidEvent]);
        assert!(rejection.violations[0].message.contains("actor"));
    }

    #[test]
    fn single_text_reads_as_a_list() {
        let event = Event::from_json(&format!(
            r#"{{{BASE},"type":"confidentiality_agreed","reviewed_on":"2026-01-05","limits":"risk_of_harm"}}"#
        ))
        .unwrap();
        let EventBody::ConfidentialityAgreed(agreed) = event.body else { panic!("wrong body") };
        assert_eq!(agreed.limits, TextList(vec!["risk_of_harm".into()]));
    }

    #[test]
    fn script_steps_decode_by_step_name() {
        let event = Event::from_json(&format!(
            r#"{{{BASE},"type":"script_step","session":1,"step":"session_feedback","rating":4}}"#
        ))
        .unwrap();
        assert!(matches!(
            event.body,
            EventBody::ScriptStep(ScriptStep { content: StepContent::SessionFeedback(_), .. })
        ));
        let custom = Event::from_json(&format!(
            r#"{{{BASE},"type":"script_step","session":1,"step":"gratitude","fields":{{"x":1}}}}"#
        ))
        .unwrap();
        assert_eq!(Event::from_json(&custom.to_json()).unwrap(), custom);
        assert_eq!(
            codes(&format!(r#"{{{BASE},"type":"script_step","session":1,"step":"session_goal","outcom":"x"}}"#)),
            [Code::InvalidEvent]
        );
    }
}
