//! [`Id`]: an engagement or participant id, kept in place when it is short.
//!
//! Every event names its engagement and its actor, and checking it compares those with the
//! engagement's own id and its participants' ids. Kept as `String`s, those ids are bytes
//! elsewhere on the heap: when thousands of engagements interleave, each comparison is one
//! more cold cache line (about a tenth of replaying decoded events, `docs/decisions.md`,
//! "Twelfth round"). An [`Id`] of up to [`Id::INLINE`] bytes holds them itself, in the
//! same 24 bytes a `String` takes; a longer one is boxed.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::borrow::Borrow;
use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};

/// An engagement or participant id. It compares, orders, hashes, prints and serializes as
/// its text, and lends it as a `&str` (`Deref`).
///
/// ```
/// use coachflow::Id;
/// let id = Id::from("eng-000042-coachee");
/// assert_eq!(id.as_str(), "eng-000042-coachee");
/// assert!(id == *"eng-000042-coachee");
/// assert_eq!(serde_json::to_string(&id).unwrap(), r#""eng-000042-coachee""#);
/// ```
#[derive(Clone)]
pub struct Id(Repr);

/// The empty id.
impl Default for Id {
    fn default() -> Id {
        Id(Repr::Inline(0, [0; Id::INLINE]))
    }
}

#[derive(Clone)]
enum Repr {
    /// An id of at most [`Id::INLINE`] bytes: its length and its bytes (UTF-8, as given).
    Inline(u8, [u8; Id::INLINE]),
    /// A longer id.
    Boxed(Box<str>),
}

impl Id {
    /// The longest id kept in place.
    pub const INLINE: usize = 22;

    /// The id's text.
    pub fn as_str(&self) -> &str {
        match &self.0 {
            // The bytes were copied from a `str`, so they are UTF-8.
            Repr::Inline(..) => std::str::from_utf8(self.as_bytes()).unwrap_or_default(),
            Repr::Boxed(text) => text,
        }
    }

    /// The id's text as bytes.
    pub fn as_bytes(&self) -> &[u8] {
        match &self.0 {
            Repr::Inline(length, bytes) => bytes.get(..usize::from(*length)).unwrap_or_default(),
            Repr::Boxed(text) => text.as_bytes(),
        }
    }
}

impl From<&str> for Id {
    fn from(text: &str) -> Id {
        let mut inline = [0; Id::INLINE];
        match (inline.get_mut(..text.len()), u8::try_from(text.len())) {
            (Some(room), Ok(length)) => {
                room.copy_from_slice(text.as_bytes());
                Id(Repr::Inline(length, inline))
            }
            _ => Id(Repr::Boxed(text.into())),
        }
    }
}

impl From<&String> for Id {
    fn from(text: &String) -> Id {
        Id::from(text.as_str())
    }
}

impl PartialEq for Id {
    fn eq(&self, other: &Id) -> bool {
        self.as_bytes() == other.as_bytes()
    }
}

impl Eq for Id {}

impl PartialEq<str> for Id {
    fn eq(&self, other: &str) -> bool {
        self.as_bytes() == other.as_bytes()
    }
}

impl PartialEq<&str> for Id {
    fn eq(&self, other: &&str) -> bool {
        self.as_bytes() == other.as_bytes()
    }
}

impl PartialEq<String> for Id {
    fn eq(&self, other: &String) -> bool {
        self.as_bytes() == other.as_bytes()
    }
}

impl PartialOrd for Id {
    fn partial_cmp(&self, other: &Id) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// The order of the texts (UTF-8 bytes sort as their characters do).
impl Ord for Id {
    fn cmp(&self, other: &Id) -> Ordering {
        self.as_bytes().cmp(other.as_bytes())
    }
}

// Hashed as its bytes, as `Borrow<[u8]>` requires (a table of ids is searched by bytes).
impl Hash for Id {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_bytes().hash(state);
    }
}

impl Borrow<[u8]> for Id {
    fn borrow(&self) -> &[u8] {
        self.as_bytes()
    }
}

impl std::ops::Deref for Id {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl Serialize for Id {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Id {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Id, D::Error> {
        String::deserialize(deserializer).map(|text| Id::from(&text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn an_id_takes_the_room_of_a_string() {
        assert_eq!(std::mem::size_of::<Id>(), std::mem::size_of::<String>());
    }

    proptest! {
        /// Whatever its length and characters, an id is its text: the same bytes, the same
        /// order, equality and hash as the text, and the same JSON.
        #[test]
        fn an_id_behaves_as_its_text(left in "\\PC{0,30}", right in "\\PC{0,30}") {
            let (left_id, right_id) = (Id::from(left.as_str()), Id::from(&right));
            let left_id = &left_id;
            prop_assert_eq!(left_id.as_str(), left.as_str());
            prop_assert_eq!(right_id.as_str(), right.as_str());
            prop_assert_eq!(*left_id == right_id, left == right);
            prop_assert_eq!(*left_id == *right.as_str(), left == right);
            prop_assert_eq!(left_id.cmp(&right_id), left.as_str().cmp(right.as_str()));
            let hash = |bytes: &[u8]| {
                let mut hasher = std::collections::hash_map::DefaultHasher::new();
                bytes.hash(&mut hasher);
                hasher.finish()
            };
            let mut hasher = std::collections::hash_map::DefaultHasher::new();
            left_id.hash(&mut hasher);
            prop_assert_eq!(hasher.finish(), hash(left.as_bytes()));
            prop_assert_eq!(serde_json::to_string(&left_id).unwrap(), serde_json::to_string(&left).unwrap());
            let read: Id = serde_json::from_str(&serde_json::to_string(&left).unwrap()).unwrap();
            prop_assert_eq!(&read, left_id);
            prop_assert_eq!(format!("{left_id}"), left.clone());
            prop_assert_eq!(format!("{left_id:?}"), format!("{left:?}"));
        }
    }
}
