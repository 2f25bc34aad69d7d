//! Events: the envelope every line of a log carries ([`Event`]), one payload type per event
//! type (the private `payloads` module, re-exported here), and the decoder that turns a JSON
//! object into an [`Event`] with precise rule codes (its building blocks are in `decode`).

mod decode;
mod json_schema;
mod payloads;
mod step_fields;

pub use json_schema::{json_schema, SCHEMA_ID};
pub use payloads::*;
pub use step_fields::StepFields;

use crate::codes::Code;
use crate::finding::{Finding, Rejection};
use crate::measure::{nothing_to_measure, Measured, Meter};
use crate::rules::Rule;
use crate::sorted::{position, sorted_unique};
use chrono::{DateTime, FixedOffset, NaiveDate, SecondsFormat};
use decode::{
    decode_collected, describe_json_error, envelope_field, invalid, put_in_reading_order, required, Envelope, Fields,
    Key, RawEvent,
};
pub(crate) use decode::{next_field, read_fields, read_once, struct_reader, Payload};
pub(crate) use payloads::read_object;
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use serde_json::value::RawValue;
use serde_json::{Map, Value};
use std::fmt;

/// The newest log schema version this library reads and writes; it reads every version
/// from 1 up to this one (`docs/schema.md`).
pub const SCHEMA_VERSION: u64 = 2;

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
        match Timestamp::parse_whole_seconds_utc(text) {
            Some(timestamp) => Ok(timestamp),
            None => DateTime::parse_from_rfc3339(text).map(Timestamp),
        }
    }

    /// Reads the shape nearly every log writes, `YYYY-MM-DDTHH:MM:SSZ`, without chrono's
    /// general parser (about 3% of decoding an event); `None` for anything else, a leap
    /// second or an impossible date included, which chrono then reads or refuses. The
    /// property test `whole_seconds_utc_read_as_chrono_reads_them` holds the two together.
    fn parse_whole_seconds_utc(text: &str) -> Option<Timestamp> {
        let date = calendar_date(text.get(..10)?)?;
        let bytes: [u8; 10] = text.as_bytes().get(10..)?.try_into().ok()?;
        let [b'T', h1, h2, b':', mi1, mi2, b':', s1, s2, b'Z'] = bytes else {
            return None;
        };
        let time = date.and_hms_opt(two_digits(h1, h2)?, two_digits(mi1, mi2)?, two_digits(s1, s2)?)?;
        Some(Timestamp(time.and_utc().fixed_offset()))
    }

    /// The calendar date in the timestamp's own offset.
    pub fn date(&self) -> NaiveDate {
        self.0.date_naive()
    }

    /// Writes the shape nearly every log holds, a whole second in UTC of a four-digit year,
    /// as `YYYY-MM-DDTHH:MM:SSZ` without chrono's formatting machinery (about a tenth of
    /// writing a view as JSON); `None` for anything else, which chrono writes. The property
    /// test `whole_seconds_utc_written_as_chrono_writes_them` holds the two together.
    fn whole_seconds_utc_text(&self) -> Option<[u8; 20]> {
        use chrono::{Datelike, Timelike};
        if self.0.offset().local_minus_utc() != 0 {
            return None;
        }
        let time = self.0.naive_utc();
        if time.nanosecond() != 0 {
            return None;
        }
        let year = u32::try_from(time.year()).ok().filter(|year| *year <= 9999)?;
        let mut text = *b"0000-00-00T00:00:00Z";
        let fields = [
            (0, year / 100),
            (2, year % 100),
            (5, time.month()),
            (8, time.day()),
            (11, time.hour()),
            (14, time.minute()),
            (17, time.second()),
        ];
        for (at, value) in fields {
            let digits = text.get_mut(at..at + 2)?;
            digits.copy_from_slice(&[b'0' + (value / 10) as u8, b'0' + (value % 10) as u8]);
        }
        Some(text)
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.whole_seconds_utc_text() {
            Some(text) => f.write_str(std::str::from_utf8(&text).map_err(|_| fmt::Error)?),
            None => f.write_str(&self.0.to_rfc3339_opts(SecondsFormat::AutoSi, true)),
        }
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.whole_seconds_utc_text() {
            Some(text) => serializer.serialize_str(std::str::from_utf8(&text).map_err(serde::ser::Error::custom)?),
            None => serializer.collect_str(self),
        }
    }
}

/// A number written with two ASCII digits.
fn two_digits(tens: u8, ones: u8) -> Option<u32> {
    let digit = |byte: u8| byte.is_ascii_digit().then(|| u32::from(byte - b'0'));
    Some(digit(tens)? * 10 + digit(ones)?)
}

/// Reads a calendar date written `YYYY-MM-DD` (contract section 2), the one form the event
/// schema allows; `None` for any other text and for a date that does not exist. (chrono's
/// own reading also takes `2026-3-2`, `+2026-03-02` and spaces around the parts, and its
/// general parser is about 10 KB of the WebAssembly module.)
pub(crate) fn calendar_date(text: &str) -> Option<NaiveDate> {
    let bytes: [u8; 10] = text.as_bytes().try_into().ok()?;
    let [y1, y2, y3, y4, b'-', m1, m2, b'-', d1, d2] = bytes else {
        return None;
    };
    let year = i32::try_from(two_digits(y1, y2)? * 100 + two_digits(y3, y4)?).ok()?;
    NaiveDate::from_ymd_opt(year, two_digits(m1, m2)?, two_digits(d1, d2)?)
}

/// A calendar date as an event holds it, read by [`calendar_date`].
pub(crate) struct CalendarDate(NaiveDate);

impl From<CalendarDate> for NaiveDate {
    fn from(date: CalendarDate) -> NaiveDate {
        date.0
    }
}

impl<'de> Deserialize<'de> for CalendarDate {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<CalendarDate, D::Error> {
        struct DateVisitor;
        impl Visitor<'_> for DateVisitor {
            type Value = CalendarDate;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a date written YYYY-MM-DD")
            }
            fn visit_str<E: de::Error>(self, text: &str) -> Result<CalendarDate, E> {
                calendar_date(text).map(CalendarDate).ok_or_else(|| E::custom("not a date written YYYY-MM-DD"))
            }
        }
        deserializer.deserialize_str(DateVisitor)
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
                Timestamp::parse(text).map_err(|_| E::custom("not an RFC 3339 timestamp"))
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

impl Measured for TextList {
    fn measure(&self, meter: &mut Meter) {
        self.0.measure(meter);
    }
}

nothing_to_measure!(Timestamp);

/// Numeric scores by item name (a rater's answers, a rater group's averages), written as a
/// JSON object of numbers. Kept as a list sorted by name, each name once; a name given twice
/// keeps its last score, as a JSON object read into a map does.
///
/// ```
/// use coachflow::event::Scores;
/// let scores: Scores = serde_json::from_str(r#"{"trust": 4, "clarity": 3.5, "trust": 5}"#).unwrap();
/// assert_eq!(scores.get("trust"), Some(5.0));
/// assert_eq!(scores.iter().map(|(item, _)| item).collect::<Vec<_>>(), ["clarity", "trust"]);
/// assert_eq!(serde_json::to_string(&scores).unwrap(), r#"{"clarity":3.5,"trust":5.0}"#);
/// ```
//
// A list rather than a `BTreeMap`: a rater answers a handful of items, and the map's code
// (insertion, search, iteration, freeing) was about 10 KB of the WebAssembly module.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Scores(Vec<(String, f64)>);

impl Scores {
    /// The score of `item`, if it has one.
    pub fn get(&self, item: &str) -> Option<f64> {
        self.place(item).ok().and_then(|found| self.0.get(found)).map(|(_, score)| *score)
    }

    /// Each item and its score, in the order of the item names.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&str, f64)> + '_ {
        self.0.iter().map(|(item, score)| (item.as_str(), *score))
    }

    /// The number of items.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are no scores.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Sets the score of `item`, replacing the one it had.
    pub fn insert(&mut self, item: String, score: f64) {
        match self.place(&item) {
            Ok(found) => {
                if let Some((_, old)) = self.0.get_mut(found) {
                    *old = score;
                }
            }
            Err(place) => self.0.insert(place, (item, score)),
        }
    }

    /// Scores whose names are already sorted and each given once ([`sorted_unique`]).
    pub(crate) fn from_sorted(items: Vec<(String, f64)>) -> Scores {
        Scores(items)
    }

    /// Where `item` is, or where it would go.
    fn place(&self, item: &str) -> Result<usize, usize> {
        self.0.binary_search_by(|(known, _)| known.as_str().cmp(item))
    }
}

impl FromIterator<(String, f64)> for Scores {
    /// The scores, sorted by name; a name given twice keeps its last score. The names are
    /// sorted once, so this is `O(n log n)` whatever their order (inserting one by one into
    /// the sorted list would be quadratic for a hostile object of many names in reverse).
    fn from_iter<I: IntoIterator<Item = (String, f64)>>(items: I) -> Scores {
        let items: Vec<(String, f64)> = items.into_iter().collect();
        let names = sorted_unique(items.iter().map(|(name, _)| name.clone()));
        let mut scores = vec![0.0; names.len()];
        for (name, score) in &items {
            if let Some(slot) = position(&names, name).and_then(|place| scores.get_mut(place)) {
                *slot = *score;
            }
        }
        Scores::from_sorted(names.into_iter().zip(scores).collect())
    }
}

impl Serialize for Scores {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (item, score) in &self.0 {
            map.serialize_entry(item, score)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Scores {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Scores, D::Error> {
        struct ScoresVisitor;
        impl<'de> Visitor<'de> for ScoresVisitor {
            type Value = Scores;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object of numbers")
            }
            fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Scores, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = map.next_entry::<String, f64>()? {
                    items.push(item);
                }
                Ok(items.into_iter().collect())
            }
        }
        deserializer.deserialize_map(ScoresVisitor)
    }
}

impl Measured for Scores {
    fn measure(&self, meter: &mut Meter) {
        meter.list(self.0.len());
        self.0.iter().for_each(|(item, _)| meter.text(item));
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
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// The engagement id.
    pub engagement: String,
    /// 1-based position in the engagement; `None` lets `apply` assign it.
    pub seq: Option<u64>,
    /// When the event happened.
    pub at: Timestamp,
    /// The participant who records it.
    pub actor: String,
    /// The type and its payload.
    pub body: EventBody,
    /// Caller data, kept in the log, never interpreted, never shown in a view.
    pub meta: Option<Map<String, Value>>,
}

/// One object: the envelope, `type`, the payload's fields, then `meta`; `seq` and `meta`
/// only when present (the canonical order of `to_json`).
impl Serialize for Event {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("engagement", &self.engagement)?;
        if let Some(seq) = self.seq {
            map.serialize_entry("seq", &seq)?;
        }
        map.serialize_entry("at", &self.at)?;
        map.serialize_entry("actor", &self.actor)?;
        self.body.write_fields(&mut map)?;
        if let Some(meta) = &self.meta {
            map.serialize_entry("meta", meta)?;
        }
        map.end()
    }
}

impl Event {
    /// The event's type.
    pub fn event_type(&self) -> EventType {
        self.body.event_type()
    }

    /// Parses one event from JSON text. Every envelope problem is reported together;
    /// a payload problem is reported as `invalid_event` naming the field.
    ///
    /// A well-formed event is read in one pass, its payload straight from the parser; only
    /// an event with a problem (or a `null`, or a repeated field) is decoded a second time,
    /// field by field, to say exactly what is wrong.
    pub fn from_json(text: &str) -> Result<Event, Rejection> {
        match read_in_one_pass(text) {
            Some(event) => Ok(event),
            None => decode_field_by_field(text),
        }
    }

    /// Reads a well-formed event in one pass from any reader of serde's data model, such as
    /// a binding's reader of its own language's objects (and [`Event::from_json`]'s own
    /// reader of JSON text); `None` when anything is unusual (a `null` envelope field, a value
    /// of the wrong type, a missing field, or a script step's fields before its `session` and
    /// `step`). The caller then writes the event as JSON and reads it with
    /// [`Event::from_json`], which accepts whatever this accepts and says what is wrong with
    /// the rest. A reader other than serde_json's must give the payload fields after `type`:
    /// those before it are kept as raw JSON until the type is known, which only serde_json
    /// can lend.
    ///
    /// ```
    /// use coachflow::Event;
    /// let value = serde_json::json!({"type": "orientation_completed", "engagement": "e",
    ///     "at": "2026-01-05T09:00:00Z", "actor": "c"});
    /// let event = Event::read_well_formed(&value).unwrap();
    /// assert_eq!(Some(event), Event::from_json(&value.to_string()).ok());
    /// assert_eq!(Event::read_well_formed(&serde_json::json!({"type": 7})), None);
    /// ```
    pub fn read_well_formed<'de, D: Deserializer<'de>>(deserializer: D) -> Option<Event> {
        read_well_formed_as(deserializer, None)
    }

    /// Parses one event from a JSON value (for callers that already hold parsed JSON).
    pub fn from_value(value: &Value) -> Result<Event, Rejection> {
        Event::from_json(&value.to_string())
    }

    /// The event as one line of JSON, in the log format. A line that uses something newer
    /// than schema 1 says so first (`"schema":2`), so that an older reader refuses exactly
    /// that line with `unsupported_schema`.
    pub fn to_json(&self) -> String {
        // Serializing plain data to a String cannot fail; fall back to an empty object
        // rather than panic if serde_json ever says otherwise.
        let json = serde_json::to_string(self).unwrap_or_else(|_| String::from("{}"));
        match self.schema_field() {
            None => json,
            Some(schema) => format!("{{{schema}{}", json.get(1..).unwrap_or("}")),
        }
    }

    /// Appends the line [`Event::to_json`] makes to `out`: for callers that collect many
    /// lines in one buffer.
    ///
    /// ```
    /// use coachflow::Event;
    /// let event = Event::from_json(r#"{"engagement":"e","at":"2026-02-02T15:00:00Z","actor":"ann","type":"orientation_completed"}"#).unwrap();
    /// let mut lines = b"[".to_vec();
    /// event.write_json(&mut lines);
    /// assert_eq!(lines, [b"[", event.to_json().as_bytes()].concat());
    /// ```
    pub fn write_json(&self, out: &mut Vec<u8>) {
        let start = out.len();
        if serde_json::to_writer(&mut *out, self).is_err() {
            out.truncate(start);
            out.extend_from_slice(b"{}");
        }
        if let Some(schema) = self.schema_field() {
            out.splice(start + 1..start + 1, schema.into_bytes());
        }
    }

    /// The `"schema":N,` field that opens the line of an event newer than schema 1.
    fn schema_field(&self) -> Option<String> {
        match self.event_type().schema() {
            1 => None,
            version => Some(format!("\"schema\":{version},")),
        }
    }
}

/// [`Event::read_well_formed`], reading the payload as `type_named_last` when payload fields
/// come before the `type` field (which must then name that type), instead of keeping them
/// raw and reading them again once the type is known.
fn read_well_formed_as<'de, D: Deserializer<'de>>(
    deserializer: D,
    type_named_last: Option<EventType>,
) -> Option<Event> {
    // The visitor puts the event it reads in place instead of returning it: an event is a
    // few hundred bytes, and returning it through serde's layers of `Result` copied it at
    // each one (about 5% of the time of `apply` from Python).
    struct EventVisitor<'r>(&'r mut Option<Event>, Option<EventType>);
    impl<'de> Visitor<'de> for EventVisitor<'_> {
        type Value = ();
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an event object")
        }
        fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
            let mut envelope = Envelope::default();
            let mut collected = Vec::new();
            let mut last_key = None;
            while let Some(key) = map.next_key::<Key<'de>>()? {
                if key.0 == "type" {
                    let kind = map.next_value::<EventType>()?;
                    put_in_reading_order(kind, &mut collected);
                    let fields = Fields::new(&mut map, collected, Some(&mut envelope), &mut last_key);
                    let body = payloads::read_body(kind, fields)?;
                    *self.0 = envelope.into_event(body);
                    return Ok(());
                }
                if envelope.read_field(&key.0, &mut map)? {
                    continue;
                }
                if let Some(kind) = self.1 {
                    envelope.expect_type(kind);
                    let body =
                        payloads::read_body(kind, Fields::starting_with(&mut map, key, &mut envelope, &mut last_key))?;
                    *self.0 = envelope.into_event(body);
                    return Ok(());
                }
                // A payload field before `type`: kept raw until the type is known.
                collected.push((key, map.next_value::<&'de RawValue>()?));
            }
            Err(de::Error::custom("`type` is missing"))
        }
    }
    let mut read = None;
    deserializer.deserialize_map(EventVisitor(&mut read, type_named_last)).ok()?;
    read
}

/// The event type a text names in its last field (`…,"type":"goal_agreed"}`), where a
/// writer that sorts keys puts it; a script step's name is not taken, as its `session` and
/// `step` fields must be read before the step's own. A guess: the reader checks it against
/// the `type` field when it gets there.
fn type_named_last(text: &str) -> Option<EventType> {
    let rest = text.trim_ascii_end().strip_suffix("\"}")?;
    // The name is short: a plain loop finds its opening quote sooner than `memrchr`.
    let quote = rest.bytes().rposition(|byte| byte == b'"')?;
    let (rest, name) = (rest.get(..quote)?, rest.get(quote + 1..)?);
    // Most texts whose type comes first end with some other field: the key is cheaper to
    // check than the name is to look up.
    if !rest.ends_with("\"type\":") {
        return None;
    }
    EventType::from_name(name).filter(|kind| *kind != EventType::ScriptStep)
}

/// Reads a well-formed event in one pass over its text: the envelope fields typed as they
/// come, the payload read straight from the parser once `type` has named it (payload fields
/// before `type` are kept raw until then, unless the text names its type last). `None` when
/// anything is unusual (a `null`, a repeated field, a value of the wrong type, a missing
/// field): [`decode_field_by_field`] then decodes the event and says what is wrong. Whatever this reads, that reads the same
/// (the property test `one_pass_reads_what_field_by_field_reads` below).
fn read_in_one_pass(text: &str) -> Option<Event> {
    let mut parser = serde_json::Deserializer::from_str(text);
    let event = read_well_formed_as(&mut parser, type_named_last(text))?;
    parser.end().ok()?;
    Some(event)
}

impl StepContent {
    /// Reads only the step's own fields from the JSON text of a `script_step` event whose
    /// step name is known (a view shows a recorded step from the kept log text); `None` when
    /// the text does not hold them.
    pub(crate) fn from_step_text(text: &str, step: &str) -> Option<StepContent> {
        struct ContentVisitor<'a> {
            step: &'a str,
        }
        impl<'de> Visitor<'de> for ContentVisitor<'_> {
            type Value = StepContent;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a script step")
            }
            fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<StepContent, A::Error> {
                let (mut envelope, mut last_key) = (Envelope::skipping(), None);
                StepContent::read(self.step, Fields::new(&mut map, Vec::new(), Some(&mut envelope), &mut last_key))
            }
        }
        serde_json::Deserializer::from_str(text).deserialize_map(ContentVisitor { step }).ok()
    }
}

/// Decodes an event field by field, reporting every envelope problem together.
fn decode_field_by_field(text: &str) -> Result<Event, Rejection> {
    let raw: RawEvent<'_> = serde_json::from_str(text)
        .map_err(|error| Rejection::single(Code::InvalidEvent, Rule::L2, describe_json_error(&error)))?;
    decode_event(raw)
}

/// Builds an event from its raw fields, reporting every envelope problem together.
fn decode_event(raw: RawEvent<'_>) -> Result<Event, Rejection> {
    let mut problems = Vec::new();
    if let Some(schema) = raw.schema.filter(|raw| raw.get() != "null") {
        match serde_json::from_str::<i64>(schema.get()) {
            Ok(version) if (1..=SCHEMA_VERSION as i64).contains(&version) => {}
            Ok(version) => problems.push(Finding::new(
                Code::UnsupportedSchema,
                Rule::L1,
                format!("schema {version} is not supported; this library reads schemas 1 to {SCHEMA_VERSION}"),
            )),
            Err(_) => problems.push(invalid("field `schema` must be an integer")),
        }
    }
    // The common case, a known type, parses without allocating; the rest is diagnosed.
    let kind = match raw.kind.filter(|raw| raw.get() != "null") {
        None => required::<()>(None, "type", &mut problems, raw.kind).and(None),
        Some(raw) => serde_json::from_str::<EventType>(raw.get()).ok().or_else(|| {
            match serde_json::from_str::<String>(raw.get()) {
                Ok(_) => problems.push(Finding::new(
                    Code::UnknownEventType,
                    Rule::L6,
                    format!("`type` names no event type of this library ({} known)", EventType::ALL.len()),
                )),
                Err(_) => problems.push(invalid("field `type` must be a text naming the event type")),
            }
            None
        }),
    };
    let engagement: Option<String> = envelope_field(raw.engagement, "engagement", "a text", &mut problems);
    let engagement = required(engagement, "engagement", &mut problems, raw.engagement);
    if engagement.as_deref().is_some_and(|id| id.is_empty()) {
        problems.push(invalid("field `engagement` must not be empty"));
    }
    let seq: Option<u64> = envelope_field(raw.seq, "seq", "a positive integer", &mut problems);
    if seq == Some(0) {
        problems.push(invalid("field `seq` starts at 1"));
    }
    let at: Option<Timestamp> = envelope_field(raw.at, "at", "an RFC 3339 timestamp", &mut problems);
    let at = required(at, "at", &mut problems, raw.at);
    let actor: Option<String> = envelope_field(raw.actor, "actor", "a text", &mut problems);
    let actor = required(actor, "actor", &mut problems, raw.actor);
    let meta: Option<Map<String, Value>> = envelope_field(raw.meta, "meta", "an object", &mut problems);
    let body = kind.and_then(|kind| match decode_collected(kind, raw.payload) {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(text: &str) -> Vec<Code> {
        Event::from_json(text).unwrap_err().codes()
    }

    const BASE: &str = r#""engagement":"e","at":"2026-01-01T09:00:00Z","actor":"ann""#;

    #[test]
    fn every_event_type_is_found_by_its_name_and_nothing_else_is() {
        for kind in EventType::ALL {
            assert_eq!(EventType::from_name(kind.as_str()), Some(*kind));
            let serde_name = serde_json::to_string(kind).unwrap();
            assert_eq!(serde_name, format!("\"{}\"", kind.as_str()));
            assert_eq!(serde_json::from_str::<EventType>(&serde_name).unwrap(), *kind);
            let tagged = format!("{{{serde_name}:null}}");
            assert!(serde_json::from_str::<EventType>(&tagged).is_err(), "{tagged}");
        }
        // Each name has a slot of its own, so a lookup is one probe. A new type that shares a
        // slot is still found; to keep lookups at one probe, try other odd multipliers in
        // `name_slot` until this holds again.
        let slots: std::collections::BTreeSet<usize> =
            EventType::ALL.iter().map(|kind| payloads::name_slot(kind.as_str().as_bytes())).collect();
        assert_eq!(slots.len(), EventType::ALL.len(), "two event types share a slot");
        let near_misses = ["", "goal", "goal_agreed_", "Goal_agreed", "goal agreed", "zzz", "aaa", "session_step", "é"];
        for name in near_misses {
            assert_eq!(EventType::from_name(name), None, "{name:?}");
        }
    }

    #[test]
    fn a_date_is_read_only_when_written_yyyy_mm_dd_and_a_refusal_does_not_quote_it() {
        let agreed = |date: &str| {
            format!(r#"{{{BASE},"type":"confidentiality_agreed","reviewed_on":"{date}","limits":["risk_of_harm"]}}"#)
        };
        assert!(Event::from_json(&agreed("2026-03-02")).is_ok());
        for date in ["2026-3-2", "+2026-03-02", " 2026-03-02", "2026-03-02T09:00:00Z", "2026-02-30", "02/03/2026"] {
            let rejection = Event::from_json(&agreed(date)).unwrap_err();
            assert_eq!(rejection.codes(), [Code::InvalidEvent], "{date}");
            let message = &rejection.violations[0].message;
            assert!(message.contains("reviewed_on") && message.contains("YYYY-MM-DD"), "{message}");
            assert!(!message.contains(date.trim()), "{message}");
        }
        let step = |due: &str| {
            format!(
                r#"{{{BASE},"type":"script_step","session":1,"step":"action_commitment","actions":[{{"id":"a1","description":"d","due":{due}}}]}}"#
            )
        };
        assert!(Event::from_json(&step(r#""2026-01-09""#)).is_ok());
        assert!(Event::from_json(&step("null")).is_ok());
        assert_eq!(codes(&step(r#""2026-1-9""#)), [Code::InvalidEvent]);
    }

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
    fn write_json_appends_what_to_json_makes_schema_field_included() {
        for text in [
            format!(r#"{{{BASE},"type":"orientation_completed"}}"#),
            format!(r#"{{{BASE},"type":"survey_closed","survey":"s1"}}"#),
        ] {
            let event = Event::from_json(&text).unwrap();
            let mut lines = b"previous line\n".to_vec();
            event.write_json(&mut lines);
            assert_eq!(lines, format!("previous line\n{}", event.to_json()).into_bytes());
        }
        let newer = Event::from_json(&format!(r#"{{{BASE},"type":"survey_closed","survey":"s1"}}"#)).unwrap();
        assert!(newer.to_json().starts_with(r#"{"schema":2,"engagement""#), "{}", newer.to_json());
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
    fn a_missing_payload_field_is_named_alone() {
        let text = format!(r#"{{{BASE},"type":"engagement_opened","coachee":"c","policy":{{"sessions":4}}}}"#);
        let rejection = Event::from_json(&text).unwrap_err();
        assert_eq!(rejection.violations[0].message, "missing field `supervisor`", "not the last field read");
    }

    #[test]
    fn unit_events_refuse_payload_fields() {
        let rejection =
            Event::from_json(&format!(r#"{{{BASE},"type":"orientation_completed","done":true}}"#)).unwrap_err();
        assert!(rejection.violations[0].message.contains("done"));
    }

    #[test]
    fn envelope_problems_are_reported_together() {
        let found = codes(r#"{"schema":3,"engagement":"","seq":"3","at":"yesterday","type":"nope"}"#);
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

    /// The events of every conformance vector, as written there.
    fn vector_events() -> Vec<Value> {
        let folder = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/vectors");
        let mut events = Vec::new();
        for entry in std::fs::read_dir(folder).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|extension| extension == "json") {
                let file: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
                for vector in file["vectors"].as_array().unwrap() {
                    events.extend(vector["events"].as_array().into_iter().flatten().cloned());
                    events.extend(vector["event"].as_object().map(|event| Value::Object(event.clone())));
                }
            }
        }
        events
    }

    /// Writes an object with its fields in the order given.
    fn object_text(fields: &[(String, Value)]) -> String {
        let fields: Vec<String> =
            fields.iter().map(|(key, value)| format!("{}:{value}", Value::from(key.as_str()))).collect();
        format!("{{{}}}", fields.join(","))
    }

    #[test]
    fn canonical_and_sorted_lines_are_read_in_one_pass() {
        let events = vector_events();
        assert!(events.len() > 500, "{} vector events", events.len());
        let mut read = 0;
        for value in &events {
            let Ok(event) = decode_field_by_field(&value.to_string()) else { continue };
            read += 1;
            // serde_json without `preserve_order` writes keys sorted: `type` comes late.
            assert_eq!(read_in_one_pass(&value.to_string()).as_ref(), Some(&event), "{value}");
            assert_eq!(read_in_one_pass(&event.to_json()).as_ref(), Some(&event), "{}", event.to_json());
        }
        assert!(read > 400, "{read} events decode");
    }

    #[test]
    fn a_type_named_last_is_read_before_its_field_and_checked_there() {
        let sorted =
            r#"{"actor":"ann","at":"2026-01-01T09:00:00Z","coach":"kim","engagement":"e","type":"coach_assigned"}"#;
        let read_as = |text: &str, kind| read_well_formed_as(&mut serde_json::Deserializer::from_str(text), Some(kind));
        assert_eq!(type_named_last(sorted), Some(EventType::CoachAssigned));
        assert_eq!(read_as(sorted, EventType::CoachAssigned), decode_field_by_field(sorted).ok());
        assert!(read_as(sorted, EventType::CoachAssigned).is_some());
        // A wrong guess reads nothing, even with the same payload fields.
        assert_eq!(read_as(sorted, EventType::CoachReplaced), None);
        let ended =
            r#"{"actor":"kim","at":"2026-01-01T09:00:00Z","engagement":"e","session":1,"type":"session_ended"}"#;
        assert_eq!(read_as(ended, EventType::SessionMissed), None);
        assert_eq!(Event::from_json(ended).map(|event| event.event_type()), Ok(EventType::SessionEnded));
        // A key that only ends in `type` makes a guess that the reader refuses.
        let fooling = r#"{"actor":"ann","at":"2026-01-01T09:00:00Z","engagement":"e","x\"type":"coach_assigned"}"#;
        assert_eq!(type_named_last(fooling), Some(EventType::CoachAssigned));
        assert_eq!(read_in_one_pass(fooling), None);
        assert_eq!(codes(fooling), [Code::InvalidEvent]);
        // A script step's fields wait for its `session` and `step`; other orders are not guessed.
        let step = r#"{"actor":"c","at":"2026-01-01T09:00:00Z","engagement":"e","mood":"ok","session":1,"step":"check_in","type":"script_step"}"#;
        assert_eq!(type_named_last(step), None);
        assert!(read_in_one_pass(step).is_some());
        assert_eq!(type_named_last(&sorted.replace("\"type\":", "\"type\" :")), None);
        assert_eq!(type_named_last(r#"{"type":"coach_assigned","coach":"kim"}"#), None);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
        /// Whatever the one-pass reader returns, the field-by-field decoder returns too, for
        /// vector events with their fields shuffled, dropped, repeated, nulled or retyped.
        #[test]
        fn one_pass_reads_what_field_by_field_reads(
            pick in 0usize..10_000,
            order in proptest::collection::vec(0usize..1000, 0..20),
            change in 0usize..8,
            target in 0usize..20,
        ) {
            let picked = VECTOR_EVENTS.with(|events| events[pick % events.len()].clone());
            let Value::Object(object) = &picked else { return Ok(()) };
            let mut fields: Vec<(String, Value)> = object.clone().into_iter().collect();
            for (index, swap) in order.iter().enumerate() {
                let len = fields.len();
                fields.swap(index % len, swap % len);
            }
            let at = target % fields.len();
            match change {
                0 => {}
                1 => { fields.remove(at); }
                2 => { let copy = fields[at].clone(); fields.push(copy); }
                3 => fields[at].1 = Value::Null,
                4 => fields[at].1 = Value::from(0),
                5 => fields[at].1 = Value::from("text"),
                6 => fields[at].1 = Value::from(""),
                _ => fields.push((String::from("extra"), Value::from(true))),
            }
            let text = object_text(&fields);
            if let Some(event) = read_in_one_pass(&text) {
                proptest::prop_assert_eq!(decode_field_by_field(&text), Ok(event), "{}", text);
            }
            // Another reader of serde's data model (a binding's, here serde_json's `Value`)
            // reads what the JSON text of the same value reads.
            if let Ok(value) = serde_json::from_str::<Value>(&text) {
                if let Some(event) = Event::read_well_formed(&value) {
                    proptest::prop_assert_eq!(decode_field_by_field(&value.to_string()), Ok(event), "{}", value);
                }
            }
        }
    }

    thread_local! {
        static VECTOR_EVENTS: Vec<Value> = vector_events();
    }
}
