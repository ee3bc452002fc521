//! Keys a JSON body gives twice in one object: what sigs.k8s.io/json's strict decoding reports
//! (`duplicate field "spec.replicas"`) for the `fieldValidation` of creates, updates and
//! patches. Paths are written as that decoder writes them: keys joined by dots, list items as
//! `[index]` (`spec.containers[0].name`, `[0].op` in a JSON patch). Every key met is numbered
//! in the order the decoder meets it, so that duplicate and unknown fields can be reported in
//! that one order.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

/// The keys of a body: where each path was first met, and the duplicates, each with where it
/// was met (numbers counting keys from the start of the body).
#[derive(Debug, Default)]
pub struct Keys {
    first_met: HashMap<String, usize>,
    pub duplicates: Vec<(String, usize)>,
}

impl Keys {
    /// Where the key at `path` was first met, if it was.
    pub fn first_met(&self, path: &str) -> Option<usize> {
        self.first_met.get(path).copied()
    }
}

/// The keys of a JSON body, or `None` when it is not JSON (its other errors are reported
/// elsewhere). A duplicate is reported once per path, as the decoder dedupes its errors.
pub fn keys(body: &[u8]) -> Option<Keys> {
    let state = RefCell::new(State::default());
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    Walk {
        path: String::new(),
        state: &state,
    }
    .deserialize(&mut deserializer)
    .ok()?;
    deserializer.end().ok()?;
    let state = state.into_inner();
    Some(state.keys)
}

#[derive(Default)]
struct State {
    met: usize,
    keys: Keys,
    reported: HashSet<String>,
}

/// One value at `path`.
struct Walk<'a> {
    path: String,
    state: &'a RefCell<State>,
}

impl<'de> DeserializeSeed<'de> for Walk<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Walk<'_> {
    type Value = ();

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("any JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut seen = HashSet::new();
        while let Some(key) = map.next_key::<String>()? {
            let path = if self.path.is_empty() {
                key.clone()
            } else {
                format!("{}.{key}", self.path)
            };
            {
                let mut state = self.state.borrow_mut();
                state.met += 1;
                let met = state.met;
                if !seen.insert(key) {
                    if state.reported.insert(path.clone()) {
                        state.keys.duplicates.push((path.clone(), met));
                    }
                } else {
                    state.keys.first_met.entry(path.clone()).or_insert(met);
                }
            }
            map.next_value_seed(Walk {
                path,
                state: self.state,
            })?;
        }
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut index = 0;
        while seq
            .next_element_seed(Walk {
                path: format!("{}[{index}]", self.path),
                state: self.state,
            })?
            .is_some()
        {
            index += 1;
        }
        Ok(())
    }

    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::keys;

    fn duplicates(body: &str) -> Vec<String> {
        keys(body.as_bytes())
            .expect("JSON")
            .duplicates
            .into_iter()
            .map(|(path, _)| path)
            .collect()
    }

    #[test]
    fn duplicates_are_named_by_their_path_once_each() {
        assert_eq!(
            duplicates(
                r#"{"kind":"Pod","kind":"Pod","spec":{"replicas":1,"replicas":2,"replicas":3}}"#
            ),
            ["kind", "spec.replicas"]
        );
        assert_eq!(
            duplicates(
                r#"{"spec":{"containers":[{"name":"a"},{"name":"b","image":"x","name":"c"}]}}"#
            ),
            ["spec.containers[1].name"]
        );
        assert_eq!(
            duplicates(r#"[{"op":"add","op":"replace","value":{"a":1,"a":2}}]"#),
            ["[0].op", "[0].value.a"]
        );
        // The same key in different objects is no duplicate.
        assert!(duplicates(r#"{"a":{"x":1},"b":{"x":1}}"#).is_empty());
        assert!(keys(b"{\"a\":").is_none());
        assert!(keys(b"{} {}").is_none());
    }

    #[test]
    fn keys_are_numbered_in_the_order_they_are_met() {
        let keys = keys(br#"{"a":1,"b":{"c":1,"c":2},"a":3}"#).expect("JSON");
        assert_eq!(keys.first_met("a"), Some(1));
        assert_eq!(keys.first_met("b.c"), Some(3));
        assert_eq!(
            keys.duplicates,
            [("b.c".to_string(), 4), ("a".to_string(), 5)]
        );
    }
}
