//! Reading an event straight from a Python dict, without writing it as JSON text first.
//!
//! [`read_event`] hands the dict to the core's one-pass reader through serde's data model,
//! which takes a well-formed event (the common case) in one pass over the dict. Anything it
//! does not take (a value JSON cannot hold, a key that is not a string, a `None` where a
//! value is required, a field of the wrong type, an unknown field) sends the caller back to
//! the JSON text path, whose decoder says what is wrong: the codes and messages of a rejected
//! event come from one place.

use crate::MAX_DEPTH;
use coachflow::Event;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use serde::de::value::{BorrowedStrDeserializer, Error};
use serde::de::{self, DeserializeSeed, Deserializer, IntoDeserializer, MapAccess, SeqAccess, Visitor};

/// The event a dict holds when it is well formed; `None` for anything else (the caller then
/// goes through the JSON text path). Only the dict's own entries are read (`PyDict_Next`, as
/// the text path reads them), so no Python code runs.
pub(crate) fn read_event(event: &Bound<'_, PyAny>) -> Option<Event> {
    let dict = event.cast::<PyDict>().ok()?;
    let mut fields: Vec<Field<'_>> = dict.iter().map(|(key, value)| (reading_order(&key), key, value)).collect();
    // The reader must know the event's type before its payload fields, and a script step's
    // name before the step's fields; a dict may hold them in any order.
    fields.sort_by_key(|(order, _, _)| *order);
    Event::read_well_formed(TopLevel { fields: &fields, next: 0 })
}

/// A top-level entry: where it goes in the reading order, its key and its value.
type Field<'py> = (u8, Bound<'py, PyAny>, Bound<'py, PyAny>);

/// `type` first, then `session` and `step`, then the rest as the dict holds them.
fn reading_order(key: &Bound<'_, PyAny>) -> u8 {
    match key.cast::<PyString>().ok().and_then(|key| key.to_str().ok()) {
        Some("type") => 0,
        Some("session" | "step") => 1,
        _ => 2,
    }
}

/// Something the reader does not take; the text path says what is wrong with it.
fn refused() -> Error {
    de::Error::custom("read through JSON text instead")
}

/// The event dict's entries, read in order; keys and texts are lent, not copied.
struct TopLevel<'de, 'py> {
    fields: &'de [Field<'py>],
    next: usize,
}

impl<'de> Deserializer<'de> for TopLevel<'de, '_> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_map(self)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf option unit
        unit_struct newtype_struct seq tuple tuple_struct map struct enum identifier ignored_any
    }
}

impl<'de> MapAccess<'de> for TopLevel<'de, '_> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, Error> {
        let Some((_, key, _)) = self.fields.get(self.next) else { return Ok(None) };
        let key = key.cast::<PyString>().map_err(|_| refused())?.to_str().map_err(|_| refused())?;
        seed.deserialize(BorrowedStrDeserializer::new(key)).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        let (_, _, value) = self.fields.get(self.next).ok_or_else(refused)?;
        self.next += 1;
        seed.deserialize(Value { object: Object::Lent(value), depth: 1 })
    }
}

/// A Python value: lent by the top-level dict (its texts can be lent on), or reached inside
/// a nested dict or list.
enum Object<'de, 'py> {
    Lent(&'de Bound<'py, PyAny>),
    Nested(Bound<'py, PyAny>),
}

/// One value of the event, and how deeply it nests (the text path's limit applies).
struct Value<'de, 'py> {
    object: Object<'de, 'py>,
    depth: usize,
}

impl<'de, 'py> Value<'de, 'py> {
    fn object(&self) -> &Bound<'py, PyAny> {
        match &self.object {
            Object::Lent(object) => object,
            Object::Nested(object) => object,
        }
    }
}

impl<'de> Deserializer<'de> for Value<'de, '_> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        if self.depth > MAX_DEPTH {
            return Err(refused());
        }
        let object = self.object();
        if let Ok(text) = object.cast::<PyString>() {
            // A text of the top-level dict is lent on; a nested one only for the call.
            return match self.object {
                Object::Lent(lent) => visitor.visit_borrowed_str(
                    lent.cast::<PyString>().map_err(|_| refused())?.to_str().map_err(|_| refused())?,
                ),
                Object::Nested(_) => visitor.visit_str(text.to_str().map_err(|_| refused())?),
            };
        }
        let depth = self.depth + 1;
        if let Ok(dict) = object.cast::<PyDict>() {
            return visitor.visit_map(NestedMap { entries: dict.iter(), value: None, depth });
        }
        if let Ok(list) = object.cast::<PyList>() {
            return visitor.visit_seq(Items { items: list.iter(), depth });
        }
        if let Ok(flag) = object.cast::<PyBool>() {
            return visitor.visit_bool(flag.is_true());
        }
        if object.cast::<PyInt>().is_ok() {
            // As the JSON parser reports numbers: a negative one as i64, the others as u64.
            return match object.extract::<i64>() {
                Ok(number) if number < 0 => visitor.visit_i64(number),
                _ => visitor.visit_u64(object.extract::<u64>().map_err(|_| refused())?),
            };
        }
        if object.is_none() {
            return visitor.visit_unit();
        }
        if let Ok(number) = object.cast::<PyFloat>() {
            let number = number.value();
            return if number.is_finite() { visitor.visit_f64(number) } else { Err(refused()) };
        }
        if let Ok(tuple) = object.cast::<PyTuple>() {
            return visitor.visit_seq(Items { items: tuple.iter(), depth });
        }
        Err(refused())
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        if self.object().is_none() {
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, _name: &'static str, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    // A value passed over is still checked whole (`ignored_any` goes through `any`): the text
    // path would refuse an event holding a value JSON cannot hold, wherever it is.
    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf unit
        unit_struct seq tuple tuple_struct map struct enum identifier ignored_any
    }
}

/// The entries of a dict inside the event.
struct NestedMap<'py> {
    entries: pyo3::types::iter::BoundDictIterator<'py>,
    value: Option<Bound<'py, PyAny>>,
    depth: usize,
}

impl<'de, 'py: 'de> MapAccess<'de> for NestedMap<'py> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, Error> {
        let Some((key, value)) = self.entries.next() else { return Ok(None) };
        self.value = Some(value);
        let key = key.cast::<PyString>().map_err(|_| refused())?;
        seed.deserialize(key.to_str().map_err(|_| refused())?.into_deserializer()).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        let value = self.value.take().ok_or_else(refused)?;
        seed.deserialize(Value { object: Object::Nested(value), depth: self.depth })
    }
}

/// The items of a list or tuple inside the event.
struct Items<I> {
    items: I,
    depth: usize,
}

impl<'de, 'py: 'de, I: Iterator<Item = Bound<'py, PyAny>>> SeqAccess<'de> for Items<I> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, Error> {
        match self.items.next() {
            Some(item) => seed.deserialize(Value { object: Object::Nested(item), depth: self.depth }).map(Some),
            None => Ok(None),
        }
    }
}
