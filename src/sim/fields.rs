//! Writing into stored objects whose shape nobody promised. Validation keeps wrongly typed
//! objects out of the store, but the controllers must not depend on it: an object from before a
//! rule existed, of a type without a schema, or left by a bug must cost one skipped write, not
//! a panic that stops every controller. serde_json's `value["a"]["b"] = x` panics when `a` is a
//! string or a list; these helpers refuse instead.

use serde_json::{Map, Value};

/// The object at `path` under `value`, made where it is absent or null (as indexing makes
/// it); `None` when something on the path is a string, number, boolean or list.
pub fn object_at<'a>(value: &'a mut Value, path: &[&str]) -> Option<&'a mut Map<String, Value>> {
    let mut current = value;
    for key in path {
        if current.is_null() {
            *current = Value::Object(Map::new());
        }
        current = current
            .as_object_mut()?
            .entry((*key).to_string())
            .or_insert(Value::Null);
    }
    if current.is_null() {
        *current = Value::Object(Map::new());
    }
    current.as_object_mut()
}

/// Sets the field at `path` (its last element names the field). Returns false, having changed
/// nothing, when the path runs through something that is not an object.
pub fn set(value: &mut Value, path: &[&str], new: Value) -> bool {
    let Some((field, parents)) = path.split_last() else {
        return false;
    };
    match object_at(value, parents) {
        Some(object) => {
            object.insert((*field).to_string(), new);
            true
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn sets_through_objects_and_makes_missing_ones() {
        let mut pod = json!({"spec": {"containers": []}});
        assert!(set(&mut pod, &["spec", "nodeName"], json!("worker-1")));
        assert!(set(&mut pod, &["status", "conditions"], json!([])));
        assert_eq!(
            pod,
            json!({"spec": {"containers": [], "nodeName": "worker-1"}, "status": {"conditions": []}})
        );
        let mut empty = Value::Null;
        assert!(set(&mut empty, &["a", "b"], json!(1)));
        assert_eq!(empty, json!({"a": {"b": 1}}));
    }

    #[test]
    fn refuses_to_write_through_anything_else() {
        for shape in [json!("x"), json!(7), json!(true), json!(["x"])] {
            let mut pod = json!({"spec": shape.clone()});
            assert!(!set(&mut pod, &["spec", "nodeName"], json!("worker-1")));
            assert_eq!(pod, json!({"spec": shape}), "unchanged");
            assert!(object_at(&mut pod, &["spec"]).is_none());
        }
        let mut list = json!(["x"]);
        assert!(!set(&mut list, &["a"], json!(1)));
    }
}
