//! Measuring an event's texts and lists against the size caps of [`Limits`](crate::Limits):
//! [`Measured`] is implemented next to each type that holds texts or lists.

use crate::codes::Code;
use crate::finding::Finding;
use crate::rules::Rule;
use chrono::NaiveDate;
use serde_json::{Map, Value};

/// A `limit_exceeded` finding (rule H1).
pub(crate) fn exceeded(message: String) -> Finding {
    Finding::new(Code::LimitExceeded, Rule::H1, message)
}

/// Walks an event's texts and lists, remembering the first one over a cap.
pub(crate) struct Meter {
    max_text_chars: usize,
    max_list_items: usize,
    field: &'static str,
    problem: Option<Finding>,
}

impl Meter {
    /// A meter for these two caps, with nothing measured yet.
    pub(crate) fn new(max_text_chars: usize, max_list_items: usize) -> Meter {
        Meter { max_text_chars, max_list_items, field: "", problem: None }
    }

    /// The first text or list found over a cap.
    pub(crate) fn finish(self) -> Result<(), Finding> {
        self.problem.map_or(Ok(()), Err)
    }

    /// Measures `value` as the content of field `name`.
    pub(crate) fn field(&mut self, name: &'static str, value: &impl Measured) {
        if self.problem.is_none() {
            self.field = name;
            value.measure(self);
        }
    }

    /// Measures one text.
    pub(crate) fn text(&mut self, text: &str) {
        // A text has at most as many characters as bytes, so short texts need no count.
        if self.problem.is_none() && text.len() > self.max_text_chars {
            let chars = text.chars().count();
            if chars > self.max_text_chars {
                self.problem = Some(exceeded(format!(
                    "a text in field `{}` has {chars} characters; the most allowed is {} (max_text_chars)",
                    self.field, self.max_text_chars
                )));
            }
        }
    }

    /// Measures one list of `items` items.
    pub(crate) fn list(&mut self, items: usize) {
        if self.problem.is_none() && items > self.max_list_items {
            self.problem = Some(exceeded(format!(
                "a list in field `{}` has {items} items; the most allowed is {} (max_list_items)",
                self.field, self.max_list_items
            )));
        }
    }
}

/// Something whose texts and lists can be measured against [`Limits`].
pub(crate) trait Measured {
    /// Reports every text and list in `self` to the meter.
    fn measure(&self, meter: &mut Meter);
}

impl Measured for String {
    fn measure(&self, meter: &mut Meter) {
        meter.text(self);
    }
}

impl<T: Measured> Measured for Option<T> {
    fn measure(&self, meter: &mut Meter) {
        if let Some(value) = self {
            value.measure(meter);
        }
    }
}

impl<T: Measured> Measured for [T] {
    fn measure(&self, meter: &mut Meter) {
        meter.list(self.len());
        self.iter().for_each(|item| item.measure(meter));
    }
}

impl<T: Measured> Measured for Vec<T> {
    fn measure(&self, meter: &mut Meter) {
        self.as_slice().measure(meter);
    }
}

impl Measured for Value {
    fn measure(&self, meter: &mut Meter) {
        match self {
            Value::String(text) => meter.text(text),
            Value::Array(items) => items.measure(meter),
            Value::Object(entries) => entries.measure(meter),
            Value::Null | Value::Bool(_) | Value::Number(_) => {}
        }
    }
}

impl Measured for Map<String, Value> {
    fn measure(&self, meter: &mut Meter) {
        meter.list(self.len());
        for (key, value) in self {
            meter.text(key);
            value.measure(meter);
        }
    }
}

/// Types with no text or list inside.
macro_rules! nothing_to_measure {
    ($($ty:ty),*) => {
        $( impl $crate::measure::Measured for $ty { fn measure(&self, _: &mut $crate::measure::Meter) {} } )*
    };
}
pub(crate) use nothing_to_measure;

nothing_to_measure!(u8, u32, f64, bool, NaiveDate);
