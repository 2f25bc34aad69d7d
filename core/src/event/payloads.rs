//! One payload type per event type, the [`EventType`] list, and the reading and writing of
//! each payload's fields. A payload is declared once, with `payload!`: its struct, its
//! reader, its writer, its size measurement and its field list ([`FieldSpec`]) all come
//! from that. A field read as another type that converts into its own names that type
//! after its own (`due: NaiveDate = CalendarDate`).

use super::decode::{read_fields, struct_reader, Fields, Key, Payload};
use super::{CalendarDate, Scores, TextList, Timestamp};
use crate::measure::{Measured, Meter};
use crate::model::{
    BuiltinStep, EngagementLevel, GoalOutcome, MeetingKind, PartneringSignal, Policy, RaterGroup, Role,
};
use chrono::NaiveDate;
use serde::de::{self, MapAccess};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::fmt;

macro_rules! payload {
    ($(#[$doc:meta])* $name:ident { $( $(#[doc = $fdoc:literal])* $field:ident : $ty:ty $(= $read:ty)?, )* } $( optional { $( $(#[doc = $odoc:literal])* $ofield:ident : $oty:ty $(= $oread:ty)?, )* } )?) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq)]
        pub struct $name {
            $( $(#[doc = $fdoc])* pub $field: $ty, )*
            $($(
                $(#[doc = $odoc])*
                pub $ofield: Option<$oty>,
            )*)?
        }

        impl Payload for $name {
            // One loop over the fields, shared by every payload (`read_fields!`), where
            // serde's derived reader is a visitor of its own for each payload (about 1.5 KB
            // of the WebAssembly module apiece).
            fn read<'de, A: MapAccess<'de>>(mut fields: A) -> Result<Self, A::Error> {
                $( let mut $field: Option<read_as!($ty $(, $read)?)> = None; )*
                $($( let mut $ofield: Option<Option<read_as!($oty $(, $oread)?)>> = None; )*)?
                read_fields!(fields; $( $field => $field, )* $($( $ofield => $ofield, )*)?);
                Ok($name {
                    $( $field: <$ty>::from($field.ok_or_else(|| de::Error::missing_field(stringify!($field)))?), )*
                    $($( $ofield: $ofield.flatten().map(<$oty>::from), )*)?
                })
            }
        }

        impl $name {
            /// Writes the payload's fields as entries of an event's object; an optional
            /// field left out is not written.
            pub(crate) fn write_fields<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
                $( map.serialize_entry(stringify!($field), &self.$field)?; )*
                $($(
                    if let Some(value) = &self.$ofield {
                        map.serialize_entry(stringify!($ofield), value)?;
                    }
                )*)?
                Ok(())
            }
        }

        /// An object of the fields, as an event holds them.
        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let mut map = serializer.serialize_map(None)?;
                self.write_fields(&mut map)?;
                map.end()
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                read_object(deserializer)
            }
        }

        impl Measured for $name {
            fn measure(&self, meter: &mut Meter) {
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

/// The type a payload field is read as: its own, or the one named after `=`, which
/// converts into it.
macro_rules! read_as {
    ($ty:ty) => {
        $ty
    };
    ($ty:ty, $read:ty) => {
        $read
    };
}

/// Reads a payload from a JSON object of its fields (a payload inside another, such as an
/// action of `action_commitment`).
struct PayloadVisitor<T>(std::marker::PhantomData<T>);

/// Reads a [`Payload`] written as a JSON object of its own.
pub(crate) fn read_object<'de, D: de::Deserializer<'de>, T: Payload>(deserializer: D) -> Result<T, D::Error> {
    deserializer.deserialize_map(PayloadVisitor(std::marker::PhantomData))
}

impl<'de, T: Payload> de::Visitor<'de> for PayloadVisitor<T> {
    type Value = T;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object")
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::read(map)
    }
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
    ConfidentialityAgreed { /** Date of the three-way meeting where it was reviewed. */ reviewed_on: NaiveDate = CalendarDate, /** The stated limits. */ limits: TextList, }
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
    RaterFeedbackRecorded { /** Survey id. */ survey: String, /** Rater id, never shown. */ rater: String, /** The rater's group. */ group: RaterGroup, /** Scores by name. */ scores: Scores, }
    optional { /** Free comment, shown unattributed. */ comment: String, }
}
payload! {
    /// `survey_closed`: a 360 survey takes no more responses, and its results are shown (R3).
    SurveyClosed { /** Survey id. */ survey: String, }
}
payload! {
    /// The five phases of a session as `partnership_reviewed` judges them: each named exactly
    /// once, `true` when the coach partnered in it.
    #[derive(Copy, Eq)]
    PhaseChecks { /** Agreeing how to work together today. */ opening: bool, /** Checking in on progress. */ checking_in: bool, /** Letting the coachee make their own meaning. */ meaning_making: bool, /** Planning the coachee's actions. */ action_planning: bool, /** Closing the conversation. */ closing: bool, }
}

payload! {
    /// `partnership_reviewed`: the coach's own review of how they partnered in a session that
    /// has ended (section 5, K1). Only the coach's view shows it.
    PartnershipReviewed { /** The session reviewed. */ session: u32, /** Each of the five phases, `true` when the coach partnered in it. */ phases: PhaseChecks, }
    optional { /** Signs of not partnering the coach noticed. */ signals: Vec<PartneringSignal>, /** The coach's own note. */ note: String, }
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
    optional { /** Due date. */ due: NaiveDate = CalendarDate, }
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

/// The content of one `script_step`, by step name. It is written as an object of the step's
/// own fields.
#[derive(Debug, Clone, PartialEq)]
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

impl StepContent {
    /// Writes the step's own fields as entries of an object.
    pub(crate) fn write_fields<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
        match self {
            StepContent::CheckIn(content) => content.write_fields(map),
            StepContent::SessionGoal(content) => content.write_fields(map),
            StepContent::AssignmentReview(content) => content.write_fields(map),
            StepContent::Coaching(content) => content.write_fields(map),
            StepContent::ActionCommitment(content) => content.write_fields(map),
            StepContent::KeyOutcomes(content) => content.write_fields(map),
            StepContent::NextAssignment(content) => content.write_fields(map),
            StepContent::SessionFeedback(content) => content.write_fields(map),
            StepContent::Custom { fields } => map.serialize_entry("fields", fields),
        }
    }
}

impl Serialize for StepContent {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        self.write_fields(&mut map)?;
        map.end()
    }
}

/// `script_step`: one step of a started session's script. It is written as an object of
/// `session`, `step` and the step's own fields.
#[derive(Debug, Clone, PartialEq)]
pub struct ScriptStep {
    /// Session number.
    pub session: u32,
    /// Step name.
    pub step: String,
    /// The step's fields.
    pub content: StepContent,
}

impl ScriptStep {
    /// Writes `session`, `step` and the step's own fields as entries of an event's object.
    pub(crate) fn write_fields<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
        map.serialize_entry("session", &self.session)?;
        map.serialize_entry("step", &self.step)?;
        self.content.write_fields(map)
    }
}

impl Serialize for ScriptStep {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        self.write_fields(&mut map)?;
        map.end()
    }
}

impl Measured for ScriptStep {
    fn measure(&self, meter: &mut Meter) {
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
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
        #[serde(rename_all = "snake_case")]
        pub enum EventType {
            $( $(#[doc = $doc])* $variant, )*
        }

        impl EventType {
            /// Every event type, in contract order.
            pub const ALL: &'static [EventType] = &[ $( EventType::$variant, )* ];

            /// The contract's spelling.
            pub const fn as_str(self) -> &'static str {
                match self { $( EventType::$variant => $name, )* }
            }

            /// The event type with this spelling.
            //
            // A hash table built when the crate is compiled (`EVENT_TYPES_BY_HASH`): one
            // probe and one comparison for a known name. A binary search over the sorted
            // names cost about 50 ns a lookup, most of it in mispredicted branches, a tenth
            // of decoding an event.
            pub fn from_name(name: &str) -> Option<EventType> {
                let mut slot = name_slot(name.as_bytes());
                loop {
                    let kind = (*EVENT_TYPES_BY_HASH.get(slot)?)?;
                    if kind.as_str() == name {
                        return Some(kind);
                    }
                    slot = (slot + 1) % NAME_SLOTS;
                }
            }

            /// The log schema version that introduced this event type (`docs/schema.md`).
            pub fn schema(self) -> u64 {
                match self {
                    EventType::SurveyClosed | EventType::PartnershipReviewed => 2,
                    _ => 1,
                }
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

        /// The payload of an event, one variant per [`EventType`]. It is written as an
        /// object of its `type` and its fields.
        #[derive(Debug, Clone, PartialEq)]
        pub enum EventBody {
            $( $(#[doc = $doc])* $variant $( ($payload) )?, )*
        }

        impl EventBody {
            /// This payload's event type.
            pub fn event_type(&self) -> EventType {
                match self { $( EventBody::$variant { .. } => EventType::$variant, )* }
            }

            /// Writes `type` and the payload's fields as entries of an event's object.
            // Written by hand rather than by serde's `tag` and `flatten`, whose wrappers
            // made a second copy of every payload's writer (about 9 KB of the WebAssembly
            // module); the text is the same.
            pub(crate) fn write_fields<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
                map.serialize_entry("type", self.event_type().as_str())?;
                match self { $( EventBody::$variant { .. } => write_variant!(self, map, $variant $(, $payload)?), )* }
            }
        }

        impl Serialize for EventBody {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let mut map = serializer.serialize_map(None)?;
                self.write_fields(&mut map)?;
                map.end()
            }
        }

        impl Measured for EventBody {
            fn measure(&self, meter: &mut Meter) {
                match self { $( EventBody::$variant { .. } => measure_variant!(self, meter, $variant $(, $payload)?), )* }
            }
        }

        /// Reads the payload of an event of type `kind` from its fields.
        pub(crate) fn read_body<'de, A: MapAccess<'de>>(kind: EventType, fields: Fields<'_, 'de, A>) -> Result<EventBody, A::Error> {
            match kind {
                $( EventType::$variant => read_variant!(fields, $variant $(, $payload)?), )*
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

macro_rules! write_variant {
    ($body:ident, $map:ident, $variant:ident) => {
        Ok(())
    };
    ($body:ident, $map:ident, $variant:ident, $payload:ty) => {
        match $body {
            EventBody::$variant(payload) => payload.write_fields($map),
            _ => Ok(()),
        }
    };
}

macro_rules! read_variant {
    ($fields:ident, $variant:ident) => {
        read_no_payload($fields, EventType::$variant).map(|()| EventBody::$variant)
    };
    ($fields:ident, $variant:ident, $payload:ty) => {
        <$payload as Payload>::read($fields).map(EventBody::$variant)
    };
}

/// Reads the fields of an event type without a payload: there must be none.
fn read_no_payload<'de, A: MapAccess<'de>>(mut fields: Fields<'_, 'de, A>, kind: EventType) -> Result<(), A::Error> {
    match fields.next_key::<Key<'de>>()? {
        None => Ok(()),
        Some(key) => Err(de::Error::custom(format!("unknown field `{}`: `{}` has no payload", key.0, kind.as_str()))),
    }
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
    /// A 360 survey is closed; its results are shown from now on.
    SurveyClosed(SurveyClosed) = "survey_closed",
    /// The coach reviews how they partnered in a session.
    PartnershipReviewed(PartnershipReviewed) = "partnership_reviewed",
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

impl Payload for ScriptStep {
    /// `session` and `step` come first (the step names the fields that follow).
    fn read<'de, A: MapAccess<'de>>(mut fields: A) -> Result<ScriptStep, A::Error> {
        let custom = |message: &str| <A::Error as de::Error>::custom(message);
        let (mut session, mut step) = (None, None);
        while session.is_none() || step.is_none() {
            let Some(key) = fields.next_key::<Key<'de>>()? else { break };
            match key.0.as_ref() {
                "session" if session.is_none() => {
                    session = Some(
                        fields.next_value::<u32>().map_err(|_| custom("field `session` must be a session number"))?,
                    );
                }
                "step" if step.is_none() => {
                    step = Some(fields.next_value::<String>().map_err(|_| custom("field `step` must be a text"))?);
                }
                _ => break,
            }
        }
        let session = session.ok_or_else(|| custom("missing field `session`"))?;
        let step = step.ok_or_else(|| custom("missing field `step`"))?;
        let content = StepContent::read(&step, fields)?;
        Ok(ScriptStep { session, step, content })
    }
}

impl StepContent {
    /// Reads the fields of the step named `step`: a built-in step's own, or a programme
    /// step's `fields` object.
    pub(crate) fn read<'de, A: MapAccess<'de>>(step: &str, fields: A) -> Result<StepContent, A::Error> {
        Ok(match step.parse::<BuiltinStep>() {
            Ok(BuiltinStep::CheckIn) => StepContent::CheckIn(CheckIn::read(fields)?),
            Ok(BuiltinStep::SessionGoal) => StepContent::SessionGoal(SessionGoal::read(fields)?),
            Ok(BuiltinStep::AssignmentReview) => StepContent::AssignmentReview(AssignmentReview::read(fields)?),
            Ok(BuiltinStep::Coaching) => StepContent::Coaching(CoachingStep::read(fields)?),
            Ok(BuiltinStep::ActionCommitment) => StepContent::ActionCommitment(ActionCommitment::read(fields)?),
            Ok(BuiltinStep::KeyOutcomes) => StepContent::KeyOutcomes(KeyOutcomes::read(fields)?),
            Ok(BuiltinStep::NextAssignment) => StepContent::NextAssignment(NextAssignment::read(fields)?),
            Ok(BuiltinStep::SessionFeedback) => StepContent::SessionFeedback(SessionFeedback::read(fields)?),
            Err(_) => StepContent::Custom { fields: CustomFields::read(fields)?.fields },
        })
    }
}

/// The fields of a step of a programme's own script: `fields`, any object, or none.
#[derive(Default)]
struct CustomFields {
    fields: Map<String, Value>,
}

struct_reader! {
    CustomFields, defaults { fields: Map<String, Value> }
}

impl BuiltinStep {
    /// The step's own fields (section 5), as declared.
    pub(crate) fn fields(self) -> &'static [FieldSpec] {
        match self {
            BuiltinStep::CheckIn => CheckIn::FIELDS,
            BuiltinStep::SessionGoal => SessionGoal::FIELDS,
            BuiltinStep::AssignmentReview => AssignmentReview::FIELDS,
            BuiltinStep::Coaching => CoachingStep::FIELDS,
            BuiltinStep::ActionCommitment => ActionCommitment::FIELDS,
            BuiltinStep::KeyOutcomes => KeyOutcomes::FIELDS,
            BuiltinStep::NextAssignment => NextAssignment::FIELDS,
            BuiltinStep::SessionFeedback => SessionFeedback::FIELDS,
        }
    }
}

impl Measured for StepContent {
    fn measure(&self, meter: &mut Meter) {
        match self {
            StepContent::CheckIn(content) => content.measure(meter),
            StepContent::SessionGoal(content) => content.measure(meter),
            StepContent::AssignmentReview(content) => content.measure(meter),
            StepContent::Coaching(content) => content.measure(meter),
            StepContent::ActionCommitment(content) => content.measure(meter),
            StepContent::KeyOutcomes(content) => content.measure(meter),
            StepContent::NextAssignment(content) => content.measure(meter),
            StepContent::SessionFeedback(content) => content.measure(meter),
            StepContent::Custom { fields } => fields.measure(meter),
        }
    }
}

/// The number of slots of [`EVENT_TYPES_BY_HASH`]: a power of two, more than three times
/// the number of event types, so that most names have a slot of their own.
const NAME_SLOTS: usize = 128;

/// Where the search for `name` starts in [`EVENT_TYPES_BY_HASH`]: a multiplicative hash of
/// the name's first eight bytes, its last eight (fewer for a shorter name) and its length.
/// The multiplier gives every name of this version a slot of its own; a name added later
/// that shares one is still found, a slot further on.
#[allow(clippy::indexing_slicing, reason = "every index is below the name's length")]
pub(crate) const fn name_slot(name: &[u8]) -> usize {
    let length = name.len();
    let (first, last) = if length >= 8 {
        let end = length - 8;
        (
            u64::from_le_bytes([name[0], name[1], name[2], name[3], name[4], name[5], name[6], name[7]]),
            u64::from_le_bytes([
                name[end],
                name[end + 1],
                name[end + 2],
                name[end + 3],
                name[end + 4],
                name[end + 5],
                name[end + 6],
                name[end + 7],
            ]),
        )
    } else {
        let (mut bytes, mut index) = (0u64, 0);
        while index < length {
            bytes |= (name[index] as u64) << (8 * index);
            index += 1;
        }
        (bytes, bytes)
    };
    let key = first ^ last.rotate_left(1) ^ length as u64;
    (key.wrapping_mul(0x403e_5ee3_8ad2_bd7b) >> (64 - NAME_SLOTS.trailing_zeros())) as usize
}

/// Every event type in the slot of [`NAME_SLOTS`] its name hashes to ([`name_slot`]), or
/// the next free one (for [`EventType::from_name`]); built when the crate is compiled.
#[allow(clippy::indexing_slicing, reason = "evaluated at compile time: an index out of range fails the build")]
const EVENT_TYPES_BY_HASH: [Option<EventType>; NAME_SLOTS] = {
    // A free slot always remains, so that a search for an unknown name ends.
    assert!(EventType::ALL.len() < NAME_SLOTS, "more event types than NAME_SLOTS can hold");
    let mut table = [None; NAME_SLOTS];
    let mut index = 0;
    while index < EventType::ALL.len() {
        let kind = EventType::ALL[index];
        let mut slot = name_slot(kind.as_str().as_bytes());
        while table[slot].is_some() {
            slot = (slot + 1) % NAME_SLOTS;
        }
        table[slot] = Some(kind);
        index += 1;
    }
    table
};

/// An event type is read from its name only, by [`EventType::from_name`]: a JSON text and
/// nothing else. (serde's derived reading of an enum would also take an object with the name
/// as its one key, `{"orientation_completed": null}`, which the schema refuses.)
impl<'de> Deserialize<'de> for EventType {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<EventType, D::Error> {
        struct NameVisitor;
        impl de::Visitor<'_> for NameVisitor {
            type Value = EventType;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a text naming an event type")
            }
            fn visit_str<E: de::Error>(self, name: &str) -> Result<EventType, E> {
                EventType::from_name(name)
                    .ok_or_else(|| E::invalid_value(de::Unexpected::Other("an unknown name"), &self))
            }
        }
        deserializer.deserialize_str(NameVisitor)
    }
}
