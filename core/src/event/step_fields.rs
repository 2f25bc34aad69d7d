//! [`StepFields`]: the fields of a recorded script step, written straight from the log text
//! the engagement kept.
//!
//! Coachee and coach views show every step of every session. Decoding each step into a
//! [`StepContent`] (owned texts, then dropped) was almost all of what such a view cost, so a
//! view lends the kept text instead, and the step's fields are written from it when the
//! view is serialized: each value goes from the parser to the serializer without a copy.
//! The result is what serializing the decoded [`StepContent`] gives (the tests below
//! compare the two for every built-in step, written in many ways): an optional field
//! written as `null` is left out, a single text where a list of texts is declared becomes a
//! list of one, timestamps and dates are written in their canonical form, and only the
//! step's declared fields are written (never the envelope). A programme's own step is
//! decoded as before: its free `fields` object is written with its keys sorted, as a
//! decoded map writes them.

use super::decode::Key;
use super::payloads::{ActionItem, FieldSpec, StepContent};
use super::Timestamp;
use crate::model::BuiltinStep;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{self, Serialize, SerializeMap, SerializeSeq, Serializer};
use serde::Deserialize;
use serde_json::value::RawValue;
use std::cell::Cell;
use std::fmt;

/// The fields of one recorded script step, lent from the engagement's kept log text.
///
/// Serializes as a map of the step's own fields, exactly as its decoded [`StepContent`]
/// would (the key order may differ); [`StepFields::decode`] gives the typed content.
#[derive(Clone, Copy)]
pub struct StepFields<'a> {
    /// The whole `script_step` event as the log kept it.
    text: &'a str,
    /// The step's name.
    step: &'a str,
}

impl<'a> StepFields<'a> {
    /// The fields of the step named `step` in the kept text of its `script_step` event.
    pub(crate) fn new(text: &'a str, step: &'a str) -> StepFields<'a> {
        StepFields { text, step }
    }

    /// The step's fields, decoded.
    pub fn decode(&self) -> Option<StepContent> {
        StepContent::from_step_text(self.text, self.step)
    }

    /// Writes the step's fields as entries of `map` (a view's step entry holds them beside
    /// the step's name and time).
    pub(crate) fn write_entries<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
        let Ok(builtin) = self.step.parse::<BuiltinStep>() else {
            // A programme's own step: its `fields` object, `{}` when it was left out.
            return match self.decode() {
                Some(StepContent::Custom { fields }) => map.serialize_entry("fields", &fields),
                _ => Err(ser::Error::custom("a kept script step no longer reads")),
            };
        };
        write_declared(self.text, builtin.fields(), map)
    }
}

/// Writes the entries of the JSON object `text` whose keys `declared` names, each as
/// decoding would have left it, in one pass over the text; anything else (the envelope,
/// `session`, `step`, an optional field written `null`) is passed over.
fn write_declared<M: SerializeMap>(text: &str, declared: &'static [FieldSpec], map: &mut M) -> Result<(), M::Error> {
    serde_json::Deserializer::from_str(text)
        .deserialize_map(DeclaredEntries { declared, map })
        .map_err(ser::Error::custom)
}

/// Reads an object's entries and writes the declared ones to `map`.
struct DeclaredEntries<'m, M> {
    declared: &'static [FieldSpec],
    map: &'m mut M,
}

impl<'de, M: SerializeMap> Visitor<'de> for DeclaredEntries<'_, M> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut entries: A) -> Result<(), A::Error> {
        while let Some(key) = entries.next_key::<Key<'de>>()? {
            match self.declared.iter().find(|field| field.name == key.0) {
                Some(field) => entries.next_value_seed(DeclaredValue { field, map: &mut *self.map })?,
                None => entries.next_value::<de::IgnoredAny>().map(drop)?,
            }
        }
        Ok(())
    }
}

/// The value of one declared field, written to `map` under the field's name unless it is
/// `null` (an optional field left out, as decoding reads it).
struct DeclaredValue<'m, M> {
    field: &'static FieldSpec,
    map: &'m mut M,
}

impl<'de, M: SerializeMap> DeserializeSeed<'de> for DeclaredValue<'_, M> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, value: D) -> Result<(), D::Error> {
        value.deserialize_option(self)
    }
}

impl<'de, M: SerializeMap> Visitor<'de> for DeclaredValue<'_, M> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field's value")
    }
    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_some<D: Deserializer<'de>>(self, value: D) -> Result<(), D::Error> {
        let name = self.field.name;
        let written = match ValueKind::of(self.field.rust_type) {
            ValueKind::AsGiven => self.map.serialize_entry(name, &Once(Cell::new(Some(value)))),
            kind => {
                let raw = <&RawValue>::deserialize(value)?;
                self.map.serialize_entry(name, &Written { raw, kind })
            }
        };
        written.map_err(de::Error::custom)
    }
}

/// How a declared field's value is written.
#[derive(Clone, Copy, Debug, PartialEq)]
enum ValueKind {
    /// As given (texts, lists of texts, numbers, dates: a date has one way to be written).
    AsGiven,
    /// A list of texts that may be given as one text.
    TextList,
    /// A timestamp, in its canonical form.
    Timestamp,
    /// A list of action items, each with its own declared fields.
    ActionItems,
}

impl ValueKind {
    /// The way a field declared with `rust_type` is written ([`FieldSpec::rust_type`]).
    fn of(rust_type: &str) -> ValueKind {
        match rust_type {
            "TextList" => ValueKind::TextList,
            "Timestamp" => ValueKind::Timestamp,
            "Vec<ActionItem>" => ValueKind::ActionItems,
            _ => ValueKind::AsGiven,
        }
    }
}

/// A declared field's raw value that decoding would have changed, written as decoding
/// would have left it.
struct Written<'a> {
    raw: &'a RawValue,
    kind: ValueKind,
}

impl Serialize for Written<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let text = self.raw.get();
        match self.kind {
            ValueKind::TextList if text.starts_with('"') => {
                let mut list = serializer.serialize_seq(Some(1))?;
                list.serialize_element(&AsGiven(self.raw))?;
                list.end()
            }
            ValueKind::Timestamp => read::<Timestamp, S::Error>(text)?.serialize(serializer),
            ValueKind::ActionItems => {
                let items: Vec<&RawValue> = read(text)?;
                let mut list = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    list.serialize_element(&ActionItemWritten(item))?;
                }
                list.end()
            }
            ValueKind::AsGiven | ValueKind::TextList => AsGiven(self.raw).serialize(serializer),
        }
    }
}

/// One action item of an `action_commitment` step.
struct ActionItemWritten<'a>(&'a RawValue);

impl Serialize for ActionItemWritten<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        write_declared(self.0.get(), ActionItem::FIELDS, &mut map)?;
        map.end()
    }
}

/// Reads a value the engagement decoded once already; failing would mean the kept text
/// changed, which is reported as a serialization error rather than a panic.
fn read<'a, T: Deserialize<'a>, E: ser::Error>(text: &'a str) -> Result<T, E> {
    serde_json::from_str(text).map_err(E::custom)
}

/// A value still in the parser, handed to the one serializer that writes it.
struct Once<D>(Cell<Option<D>>);

impl<'de, D: Deserializer<'de>> Serialize for Once<D> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let value = self.0.take().ok_or_else(|| ser::Error::custom("a value is written once"))?;
        value.deserialize_any(Pass(serializer)).map_err(ser::Error::custom)
    }
}

/// A JSON value passed from the parser to any serializer as it is read: texts without
/// escapes are lent, not copied.
struct AsGiven<'a>(&'a RawValue);

impl Serialize for AsGiven<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serde_json::Deserializer::from_str(self.0.get()).deserialize_any(Pass(serializer)).map_err(ser::Error::custom)
    }
}

/// Hands each value the parser reads to the serializer it holds.
struct Pass<S>(S);

impl<'de, S: Serializer> Visitor<'de> for Pass<S> {
    type Value = S::Ok;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E: de::Error>(self, value: bool) -> Result<S::Ok, E> {
        self.0.serialize_bool(value).map_err(E::custom)
    }
    fn visit_i64<E: de::Error>(self, value: i64) -> Result<S::Ok, E> {
        self.0.serialize_i64(value).map_err(E::custom)
    }
    fn visit_u64<E: de::Error>(self, value: u64) -> Result<S::Ok, E> {
        self.0.serialize_u64(value).map_err(E::custom)
    }
    fn visit_f64<E: de::Error>(self, value: f64) -> Result<S::Ok, E> {
        self.0.serialize_f64(value).map_err(E::custom)
    }
    fn visit_str<E: de::Error>(self, value: &str) -> Result<S::Ok, E> {
        self.0.serialize_str(value).map_err(E::custom)
    }
    fn visit_unit<E: de::Error>(self) -> Result<S::Ok, E> {
        self.0.serialize_unit().map_err(E::custom)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut items: A) -> Result<S::Ok, A::Error> {
        let mut raws: Vec<&'de RawValue> = Vec::with_capacity(items.size_hint().unwrap_or(4));
        while let Some(raw) = items.next_element()? {
            raws.push(raw);
        }
        let mut list = self.0.serialize_seq(Some(raws.len())).map_err(de::Error::custom)?;
        for raw in raws {
            list.serialize_element(&AsGiven(raw)).map_err(de::Error::custom)?;
        }
        list.end().map_err(de::Error::custom)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<S::Ok, A::Error> {
        let mut out = self.0.serialize_map(None).map_err(de::Error::custom)?;
        while let Some(key) = map.next_key::<Key<'de>>()? {
            let raw: &'de RawValue = map.next_value()?;
            out.serialize_entry(key.0.as_ref(), &AsGiven(raw)).map_err(de::Error::custom)?;
        }
        out.end().map_err(de::Error::custom)
    }
}

/// A map of the step's fields.
impl Serialize for StepFields<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        self.write_entries(&mut map)?;
        map.end()
    }
}

/// Two steps' fields are equal when they decode to the same content, however their texts
/// were written.
impl PartialEq for StepFields<'_> {
    fn eq(&self, other: &StepFields<'_>) -> bool {
        self.step == other.step && self.decode() == other.decode()
    }
}

/// Shows the decoded content (never the rest of the kept text, such as the envelope).
impl fmt::Debug for StepFields<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("StepFields").field(&self.decode()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::Event;
    use proptest::prelude::*;
    use serde_json::Value;

    /// The step's fields as this module writes them and as the decoded content writes them.
    fn both_ways(text: &str) -> (Value, Value) {
        let event = Event::from_json(text).unwrap();
        let crate::event::EventBody::ScriptStep(step) = &event.body else { panic!("not a script step: {text}") };
        let fields = StepFields::new(text, &step.step);
        (serde_json::to_value(fields).unwrap(), serde_json::to_value(&step.content).unwrap())
    }

    const ENVELOPE: &str = r#""engagement":"e","seq":4,"at":"2026-01-05T09:00:00Z","actor":"c","type":"script_step","meta":{"secret":"CANARY-META"},"session":1"#;

    #[test]
    fn steps_are_written_as_their_decoded_content_writes_them() {
        let steps = [
            r#""step":"check_in","mood":"fine \"really\" \u00e9","since_last":null"#,
            r#""step":"coaching","approaches":"role_play""#,
            r#""step":"coaching","approaches":["role_play","strategies"],"notes":"n""#,
            r#""step":"next_assignment","assignment":"a","next_session_at":"2026-01-05T11:00:00+02:00""#,
            r#""step":"next_assignment","assignment":"a","next_session_at":"2026-01-05T09:00:00.500Z""#,
            r#""step":"action_commitment","actions":[{"id":"a1","description":"d","due":"2026-01-09"},{"due":null,"description":"e","id":"a2"}]"#,
            r#""step":"session_feedback","rating":4,"comment":null"#,
            r#""step":"key_outcomes","takeaways":[],"learned":"l","going_forward":"g""#,
            r#""step":"assignment_review","actions_reviewed":["a1"],"struggles":"s""#,
            r#""step":"warm_up","fields":{"z":1,"a":[true,null,2.5],"m":{"k":"v"}}"#,
            r#""step":"warm_up""#,
        ];
        for step in steps {
            for text in [format!("{{{ENVELOPE},{step}}}"), format!("{{{step},{ENVELOPE}}}")] {
                let (written, decoded) = both_ways(&text);
                assert_eq!(written, decoded, "{text}");
                assert!(!serde_json::to_string(&written).unwrap().contains("CANARY"), "{text}");
            }
        }
    }

    /// A value of the declared type, written in one of the ways decoding accepts (or
    /// sometimes refuses: such events are passed over).
    fn arb_value(rust_type: &'static str) -> BoxedStrategy<Value> {
        let text = prop_oneof![
            Just("plain"),
            Just("a \"quote\" and a \\ backslash"),
            Just("caf\u{e9} \u{1F600}"),
            Just("line\nbreak\ttab"),
            Just(""),
        ]
        .prop_map(Value::from);
        match rust_type {
            "TextList" => prop_oneof![text.clone(), prop::collection::vec(text, 0..3).prop_map(Value::from)].boxed(),
            "Vec<String>" => prop::collection::vec(text, 0..3).prop_map(Value::from).boxed(),
            "u8" => (0u64..300).prop_map(Value::from).boxed(),
            "Timestamp" => prop_oneof![
                Just("2026-01-05T09:00:00Z"),
                Just("2026-01-05T09:00:00+02:00"),
                Just("2026-01-05T09:00:00.250-05:30"),
                Just("2026-01-05t09:00:00z"),
                Just("2026-01-05 09:00:00Z"),
            ]
            .prop_map(Value::from)
            .boxed(),
            "NaiveDate" => prop_oneof![Just("2026-01-09"), Just("2026-1-9"), Just("+2026-01-09"), Just("09/01/2026")]
                .prop_map(Value::from)
                .boxed(),
            "Vec<ActionItem>" => {
                prop::collection::vec(arb_object(ActionItem::FIELDS), 0..3).prop_map(Value::from).boxed()
            }
            _ => text.boxed(),
        }
    }

    /// An object of the declared fields, each left out, `null` or a value, in a random order.
    fn arb_object(declared: &'static [FieldSpec]) -> BoxedStrategy<Value> {
        let entries: Vec<_> = declared
            .iter()
            .map(|field| {
                // A required field is mostly there, so that most events decode.
                let missing = if field.optional { 2 } else { 1 };
                (0..8u8, arb_value(field.rust_type)).prop_map(move |(form, value)| match form {
                    form if form < missing => None,
                    form if form < 2 * missing => Some((field.name, Value::Null)),
                    _ => Some((field.name, value)),
                })
            })
            .collect();
        (entries, any::<prop::sample::Index>())
            .prop_map(|(entries, turn)| {
                let mut entries: Vec<_> = entries.into_iter().flatten().collect();
                let turn = if entries.is_empty() { 0 } else { turn.index(entries.len()) };
                entries.rotate_left(turn);
                Value::Object(entries.into_iter().map(|(key, value)| (key.to_owned(), value)).collect())
            })
            .boxed()
    }

    proptest! {
        /// Whatever way a step's fields were written, the view writes what serializing the
        /// decoded content writes, and nothing of the envelope.
        #[test]
        fn a_step_is_written_as_its_decoded_content_whatever_way_it_was_given(
            (step, fields) in prop::sample::select(BuiltinStep::ALL)
                .prop_flat_map(|step| (Just(step), arb_object(step.fields()))),
            envelope_first in any::<bool>(),
        ) {
            let fields = serde_json::to_string(&fields).unwrap();
            let fields = fields.trim_start_matches('{').trim_end_matches('}');
            let step_entry = format!(r#""step":"{}""#, step.as_str());
            let text = match (envelope_first, fields.is_empty()) {
                (_, true) => format!("{{{ENVELOPE},{step_entry}}}"),
                (true, false) => format!("{{{ENVELOPE},{step_entry},{fields}}}"),
                (false, false) => format!("{{{fields},{step_entry},{ENVELOPE}}}"),
            };
            if Event::from_json(&text).is_ok() {
                let (written, decoded) = both_ways(&text);
                prop_assert_eq!(written, decoded);
            }
        }
    }

    #[test]
    fn a_free_fields_object_keeps_its_sorted_keys() {
        let text = format!(r#"{{{ENVELOPE},"step":"warm_up","fields":{{"z":1,"a":2}}}}"#);
        let fields = StepFields::new(&text, "warm_up");
        assert_eq!(serde_json::to_string(&fields).unwrap(), r#"{"fields":{"a":2,"z":1}}"#);
    }

    #[test]
    fn every_declared_step_field_has_a_known_way_to_be_written() {
        // A field type that decoding normalises must have its own `ValueKind`; the others
        // are written as given. Adding a step field of a new type fails here until it is
        // placed in one list or the other.
        const AS_GIVEN: [&str; 4] = ["String", "Vec<String>", "u8", "NaiveDate"];
        let declared = BuiltinStep::ALL.iter().flat_map(|step| step.fields()).chain(ActionItem::FIELDS);
        for field in declared {
            let kind = ValueKind::of(field.rust_type);
            assert!(
                kind != ValueKind::AsGiven || AS_GIVEN.contains(&field.rust_type),
                "{}: {} needs a ValueKind",
                field.name,
                field.rust_type
            );
        }
    }
}
