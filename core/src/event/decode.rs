//! The building blocks of decoding. A well-formed event is read in one pass: [`Envelope`]
//! takes the envelope fields as they come and [`Fields`] hands the payload fields to the
//! payload's `Deserialize` straight from the parser. An event with a problem is split into
//! its raw fields ([`RawEvent`]) and decoded field by field, through the same [`Fields`],
//! by helpers that turn each problem into an `invalid_event` finding naming the field.

use super::payloads::read_body;
use super::{Event, EventBody, EventType, Timestamp, SCHEMA_VERSION};
use crate::codes::Code;
use crate::finding::Finding;
use crate::rules::Rule;
use serde::de::{self, Deserializer, IntoDeserializer, MapAccess, Visitor};
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::fmt;

/// An object key, borrowed from the input when it has no escapes.
pub(crate) struct Key<'a>(pub(crate) Cow<'a, str>);

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

impl<'de, E: de::Error> IntoDeserializer<'de, E> for Key<'de> {
    type Deserializer = de::value::CowStrDeserializer<'de, E>;
    fn into_deserializer(self) -> Self::Deserializer {
        self.0.into_deserializer()
    }
}

/// The top-level fields of an event, each still as raw JSON.
#[derive(Default)]
pub(crate) struct RawEvent<'a> {
    pub(crate) schema: Option<&'a RawValue>,
    pub(crate) engagement: Option<&'a RawValue>,
    pub(crate) seq: Option<&'a RawValue>,
    pub(crate) at: Option<&'a RawValue>,
    pub(crate) actor: Option<&'a RawValue>,
    pub(crate) kind: Option<&'a RawValue>,
    pub(crate) meta: Option<&'a RawValue>,
    pub(crate) payload: Vec<(Key<'a>, &'a RawValue)>,
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

/// An `invalid_event` finding (rule L2).
pub(crate) fn invalid(message: impl Into<String>) -> Finding {
    Finding::new(Code::InvalidEvent, Rule::L2, message)
}

/// Says whether JSON text was malformed or just not an event object.
pub(crate) fn describe_json_error(error: &serde_json::Error) -> String {
    match error.classify() {
        serde_json::error::Category::Syntax | serde_json::error::Category::Eof => {
            format!("not valid JSON: {error}")
        }
        _ => format!("not an event object: {error}"),
    }
}

/// Reads an optional envelope field, treating `null` as absent.
pub(crate) fn envelope_field<'a, T: Deserialize<'a>>(
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
            problems.push(invalid(format!("field `{name}` must be {expected}")));
            None
        }
    }
}

/// Reports a required envelope field that is absent or `null` (a present field of the wrong
/// type was already reported by [`envelope_field`]).
pub(crate) fn required<T>(
    value: Option<T>,
    name: &str,
    problems: &mut Vec<Finding>,
    raw: Option<&RawValue>,
) -> Option<T> {
    if value.is_none() && raw.is_none_or(|raw| raw.get() == "null") {
        problems.push(invalid(format!("missing field `{name}`")));
    }
    value
}

/// The payload fields of an event object, handed to a payload's `Deserialize` one by one:
/// first those collected before the event's type was known (`collected`, raw), then those
/// still to come from the parser (`map`), starting with a key already taken from it
/// (`pending`) when there is one. Envelope fields met on the way go to `envelope`
/// when reading a whole event in one pass; `last_key` names the field being read, so that a
/// failure can say which field was wrong (serde's messages do not name it).
pub(crate) struct Fields<'a, 'de, A> {
    map: &'a mut A,
    collected: std::vec::IntoIter<(Key<'de>, &'de RawValue)>,
    collected_value: Option<&'de RawValue>,
    pending: Option<Key<'de>>,
    envelope: Option<&'a mut Envelope>,
    last_key: &'a mut Option<Cow<'de, str>>,
}

impl<'a, 'de, A: MapAccess<'de>> Fields<'a, 'de, A> {
    /// The fields `collected` so far followed by the rest of `map`.
    pub(crate) fn new(
        map: &'a mut A,
        collected: Vec<(Key<'de>, &'de RawValue)>,
        envelope: Option<&'a mut Envelope>,
        last_key: &'a mut Option<Cow<'de, str>>,
    ) -> Fields<'a, 'de, A> {
        Fields { map, collected: collected.into_iter(), collected_value: None, pending: None, envelope, last_key }
    }

    /// The field `key`, whose value is the parser's next, followed by the rest of `map`.
    pub(crate) fn starting_with(
        map: &'a mut A,
        key: Key<'de>,
        envelope: &'a mut Envelope,
        last_key: &'a mut Option<Cow<'de, str>>,
    ) -> Fields<'a, 'de, A> {
        Fields { pending: Some(key), ..Fields::new(map, Vec::new(), Some(envelope), last_key) }
    }
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Fields<'_, 'de, A> {
    type Error = A::Error;

    fn next_key_seed<K: de::DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, A::Error> {
        let key = if let Some(key) = self.pending.take() {
            key
        } else if let Some((key, value)) = self.collected.next() {
            self.collected_value = Some(value);
            key
        } else {
            loop {
                let Some(key) = self.map.next_key::<Key<'de>>()? else {
                    // A field found missing at the end is not the fault of the last one read.
                    *self.last_key = None;
                    return Ok(None);
                };
                let envelope_field = match self.envelope.as_deref_mut() {
                    Some(envelope) => envelope.read_field(&key.0, self.map)?,
                    None => false,
                };
                if !envelope_field {
                    break key;
                }
            }
        };
        *self.last_key = Some(key.0.clone());
        seed.deserialize(key.into_deserializer()).map(Some)
    }

    fn next_value_seed<V: de::DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, A::Error> {
        match self.collected_value.take() {
            Some(raw) => seed.deserialize(raw).map_err(de::Error::custom),
            None => self.map.next_value_seed(seed),
        }
    }
}

impl<'de, A: MapAccess<'de>> Deserializer<'de> for Fields<'_, 'de, A> {
    type Error = A::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, A::Error> {
        visitor.visit_map(self)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf option unit
        unit_struct newtype_struct seq tuple tuple_struct map struct enum identifier ignored_any
    }
}

/// Reading of a payload from the fields of an event object that are not envelope fields
/// ([`Fields`]), or from a JSON object of its own; also of the other objects an event holds
/// ([`struct_reader!`]).
pub(crate) trait Payload: Sized {
    /// Reads the payload from its fields; an error stops the read.
    fn read<'de, A: MapAccess<'de>>(fields: A) -> Result<Self, A::Error>;
}

/// Reads an object's fields into their slots, each an `Option` that must still be empty
/// (`read_fields!(map; slot => name, ...)`): the one loop every payload and every other
/// object of an event is read with. A field's name is found by its position in the names
/// ([`next_field`]), so an unknown one is an error naming the expected ones, and a field
/// given twice is an error too ([`read_once`]).
macro_rules! read_fields {
    ($map:ident; $( $slot:expr => $name:ident ),* $(,)?) => {{
        #[allow(non_camel_case_types, reason = "one variant per field, named as the field")]
        enum Field { $( $name, )* }
        const NAMES: &[&str] = &[ $( stringify!($name), )* ];
        const ORDER: &[Field] = &[ $( Field::$name, )* ];
        while let Some(index) = $crate::event::next_field(&mut $map, NAMES)? {
            match ORDER.get(index) {
                $( Some(Field::$name) => $crate::event::read_once(&mut $map, &mut $slot, stringify!($name))?, )*
                None => {}
            }
        }
    }};
}
pub(crate) use read_fields;

/// Reads a struct of named fields with [`read_fields!`], as `payload!` does for payloads: for
/// the objects an event holds that are not payloads, whose missing fields either take their
/// default (`defaults`: those of the type's `Default`) or are an error. Each field is read
/// as the type written after its name and converted into the field's type. Implements
/// [`Payload`] and `Deserialize` (an object of the fields).
macro_rules! struct_reader {
    ($name:ident, defaults { $( $field:ident : $read:ty ),* $(,)? }) => {
        struct_reader!(@read $name { $( $field : $read ),* } |fields| {
            let defaults = $name::default();
            $name { $( $field: fields.$field.map_or(defaults.$field, Into::into), )* }
        });
    };
    ($name:ident { $( $field:ident : $read:ty ),* $(,)? }) => {
        struct_reader!(@read $name { $( $field : $read ),* } |fields| {
            $name { $(
                $field: fields.$field.ok_or_else(|| serde::de::Error::missing_field(stringify!($field)))?.into(),
            )* }
        });
    };
    (@read $name:ident { $( $field:ident : $read:ty ),* } |$fields:ident| $build:block) => {
        impl $crate::event::Payload for $name {
            fn read<'de, A: serde::de::MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {
                #[derive(Default)]
                struct Slots { $( $field: Option<$read>, )* }
                let mut $fields = Slots::default();
                $crate::event::read_fields!(map; $( $fields.$field => $field ),*);
                Ok($build)
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<$name, D::Error> {
                $crate::event::read_object(deserializer)
            }
        }
    };
}
pub(crate) use struct_reader;

/// The position in `names` of the next field's name; `None` when there are no more fields,
/// and an error naming the field when it is not one of `names`.
#[inline]
pub(crate) fn next_field<'de, A: MapAccess<'de>>(
    fields: &mut A,
    names: &'static [&'static str],
) -> Result<Option<usize>, A::Error> {
    fields.next_key_seed(FieldName(names))
}

/// Reads a field's name as its position in the names it is one of.
struct FieldName(&'static [&'static str]);

impl<'de> de::DeserializeSeed<'de> for FieldName {
    type Value = usize;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<usize, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl Visitor<'_> for FieldName {
    type Value = usize;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }
    fn visit_str<E: de::Error>(self, name: &str) -> Result<usize, E> {
        self.0.iter().position(|known| *known == name).ok_or_else(|| E::unknown_field(name, self.0))
    }
}

/// Reads the value of the field `name` into `slot`, which must still be empty: a field
/// given twice is an error.
#[inline]
pub(crate) fn read_once<'de, A: MapAccess<'de>, T: Deserialize<'de>>(
    fields: &mut A,
    slot: &mut Option<T>,
    name: &'static str,
) -> Result<(), A::Error> {
    if slot.is_some() {
        return Err(de::Error::duplicate_field(name));
    }
    *slot = Some(fields.next_value()?);
    Ok(())
}

/// The envelope of an event read in one pass, each field typed as it is read. Anything
/// unusual (a `null`, a repeated field, a value of the wrong type, an unsupported schema)
/// stops the one-pass read, and the event is decoded again field by field to say what is
/// wrong.
#[derive(Default)]
pub(crate) struct Envelope {
    engagement: Option<String>,
    seq: Option<u64>,
    at: Option<Timestamp>,
    actor: Option<String>,
    meta: Option<Map<String, Value>>,
    schema: bool,
    /// The type a payload is being read as before its `type` field was met: that field,
    /// when it comes, must name it.
    type_to_come: Option<EventType>,
    /// Whether the envelope was read before: its fields, the type, and a script step's
    /// `session` and `step` are passed over unread.
    skipping: bool,
}

impl Envelope {
    /// An envelope already read elsewhere, for reading only a script step's own fields from
    /// a kept log text.
    pub(crate) fn skipping() -> Envelope {
        Envelope { skipping: true, ..Envelope::default() }
    }

    /// Reads the value of `key` when it is an envelope field; `false` for a payload field.
    pub(crate) fn read_field<'de, A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<bool, A::Error> {
        fn once<T, E: de::Error>(slot: &mut Option<T>, value: T) -> Result<(), E> {
            match slot.replace(value) {
                None => Ok(()),
                Some(_) => Err(E::custom("a field appears twice")),
            }
        }
        if self.skipping {
            return match key {
                "engagement" | "seq" | "at" | "actor" | "meta" | "schema" | "type" | "session" | "step" => {
                    map.next_value::<de::IgnoredAny>().map(|_| true)
                }
                _ => Ok(false),
            };
        }
        match key {
            "engagement" => once(&mut self.engagement, map.next_value()?)?,
            "seq" => once(&mut self.seq, map.next_value()?)?,
            "at" => once(&mut self.at, map.next_value()?)?,
            "actor" => once(&mut self.actor, map.next_value()?)?,
            "meta" => once(&mut self.meta, map.next_value()?)?,
            "schema" => {
                let version: i64 = map.next_value()?;
                if self.schema || !(1..=SCHEMA_VERSION as i64).contains(&version) {
                    return Err(de::Error::custom("an unsupported or repeated schema"));
                }
                self.schema = true;
            }
            "type" => {
                let kind: EventType = map.next_value()?;
                if self.type_to_come.take() != Some(kind) {
                    return Err(de::Error::custom("`type` appears twice, or not as expected"));
                }
            }
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// Reads the payload as `kind` before the `type` field, which must then name it.
    pub(crate) fn expect_type(&mut self, kind: EventType) {
        self.type_to_come = Some(kind);
    }

    /// The event, when every envelope field is present and valid.
    pub(crate) fn into_event(self, body: EventBody) -> Option<Event> {
        let Envelope {
            engagement: Some(engagement),
            seq,
            at: Some(at),
            actor: Some(actor),
            meta,
            type_to_come: None,
            ..
        } = self
        else {
            return None;
        };
        (!engagement.is_empty() && seq != Some(0)).then_some(Event { engagement, seq, at, actor, body, meta })
    }
}

/// Puts payload fields collected before the event's type was known in the order the payload
/// reads them: a script step's `session` and `step` first (they say which fields follow),
/// the others as given. (A partition rather than a stable sort, which is about 3.5 KB of
/// the WebAssembly module for this one use.)
pub(crate) fn put_in_reading_order<'a>(kind: EventType, fields: &mut Vec<(Key<'a>, &'a RawValue)>) {
    if kind == EventType::ScriptStep {
        let (mut first, rest): (Vec<_>, Vec<_>) =
            std::mem::take(fields).into_iter().partition(|(key, _)| matches!(key.0.as_ref(), "session" | "step"));
        first.extend(rest);
        *fields = first;
    }
}

/// Decodes a payload from fields collected before the event's type was known; a failure
/// names the field that is wrong.
pub(crate) fn decode_collected<'de>(
    kind: EventType,
    mut fields: Vec<(Key<'de>, &'de RawValue)>,
) -> Result<EventBody, Finding> {
    put_in_reading_order(kind, &mut fields);
    struct BodyVisitor<'a, 'de> {
        kind: EventType,
        fields: Vec<(Key<'de>, &'de RawValue)>,
        last_key: &'a mut Option<Cow<'de, str>>,
    }
    impl<'de> Visitor<'de> for BodyVisitor<'_, 'de> {
        type Value = EventBody;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("the payload fields")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<EventBody, A::Error> {
            read_body(self.kind, Fields::new(&mut map, self.fields, None, self.last_key))
        }
    }
    // The fields go through the same reader as an event read in one pass, behind an empty
    // object: one copy of every payload's decoder serves both.
    let mut last_key = None;
    let body =
        serde_json::Deserializer::from_str("{}").deserialize_map(BodyVisitor { kind, fields, last_key: &mut last_key });
    body.map_err(|error| {
        let problem = without_values(&error.to_string());
        match last_key {
            Some(key) if !problem.contains(&format!("`{key}`")) => invalid(format!("field `{key}`: {problem}")),
            _ => invalid(problem),
        }
    })
}

/// A parser's message with the offending value taken out: a refused line's message names
/// the field and what was expected, never the value, which may be confidential text.
pub(crate) fn without_values(message: &str) -> String {
    let message = message.split(" at line ").next().unwrap_or(message);
    let expected = |rest: &str| rest.split_once(", expected ").map(|(_, wanted)| wanted.to_owned());
    let shape = [
        ("invalid type: ", "wrong type"),
        ("invalid value: ", "value out of range"),
        ("unknown variant ", "unknown value"),
    ];
    for (prefix, what) in shape {
        if let Some(rest) = message.strip_prefix(prefix) {
            return match expected(rest) {
                Some(wanted) => format!("{what}, expected {wanted}"),
                None => what.to_owned(),
            };
        }
    }
    if message.starts_with('`') {
        // Messages of coachflow's own visitors that start by quoting the value.
        return message.split_once("` ").map_or_else(|| String::from("not readable"), |(_, rest)| rest.to_owned());
    }
    message.to_owned()
}
