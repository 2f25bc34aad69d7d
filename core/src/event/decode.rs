//! The building blocks of decoding: an event object split into its envelope fields and the
//! raw payload fields, without allocating for the common case, and the helpers that turn a
//! problem into an `invalid_event` finding naming the field.

use crate::codes::Code;
use crate::finding::Finding;
use crate::rules::Rule;
use serde::de::value::MapDeserializer;
use serde::de::{self, Deserializer, IntoDeserializer, MapAccess, Visitor};
use serde::Deserialize;
use serde_json::value::RawValue;
use std::borrow::Cow;
use std::cell::Cell;
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

impl<'de> IntoDeserializer<'de, serde_json::Error> for Key<'de> {
    type Deserializer = de::value::CowStrDeserializer<'de, serde_json::Error>;
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

/// Decodes a payload struct from its fields, naming the wrong field on failure.
pub(crate) fn decode_fields<'a, T: Deserialize<'a>>(fields: Vec<(Key<'a>, &'a RawValue)>) -> Result<T, Finding> {
    LAST_KEY.with(|last| last.set(usize::MAX));
    let keyed = fields.iter().enumerate().map(|(index, (key, value))| (KeyAt { index, name: key.0.clone() }, *value));
    T::deserialize(MapDeserializer::<_, serde_json::Error>::new(keyed)).map_err(|error| {
        let problem = without_values(&error.to_string());
        match fields.get(LAST_KEY.with(Cell::get)) {
            Some((key, _)) if !problem.contains(&format!("`{}`", key.0)) => {
                invalid(format!("field `{}`: {problem}", key.0))
            }
            _ => invalid(problem),
        }
    })
}

thread_local! {
    /// The position of the last field name handed to a payload's deserializer: when the
    /// payload fails, the field that failed (serde's messages do not name it).
    static LAST_KEY: Cell<usize> = const { Cell::new(usize::MAX) };
}

/// A field name that remembers its position when a deserializer reads it.
struct KeyAt<'a> {
    index: usize,
    name: Cow<'a, str>,
}

impl<'de> IntoDeserializer<'de, serde_json::Error> for KeyAt<'de> {
    type Deserializer = de::value::CowStrDeserializer<'de, serde_json::Error>;
    fn into_deserializer(self) -> Self::Deserializer {
        LAST_KEY.with(|last| last.set(self.index));
        self.name.into_deserializer()
    }
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

/// Decoding of a payload from the fields of an event object that are not envelope fields.
pub(crate) trait Payload: Sized {
    /// Decodes the payload; the finding names the field that is wrong.
    fn decode(fields: Vec<(Key<'_>, &RawValue)>) -> Result<Self, Finding>;
}
