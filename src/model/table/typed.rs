//! Reading a raw object into one of the model's typed kinds (`Pod`, `Node`) without failing:
//! `null` reads as absent (as Go's decoder reads it), and a field of the wrong type is dropped
//! and the read retried, so one bad field costs that field only.

use serde::de::DeserializeOwned;
use serde_json::Value;
use serde_path_to_error::Segment;

/// How many bad fields one object may have before it reads as the empty object.
const MAX_REPAIRS: usize = 64;

/// `value` as a `T`, dropping the fields that do not fit; `T::default()` when nothing does.
pub(super) fn lenient<T: DeserializeOwned + Default>(value: &Value) -> T {
    let mut value = value.clone();
    strip_nulls(&mut value);
    let mut last_failure: Option<Vec<Segment>> = None;
    for _ in 0..MAX_REPAIRS {
        let error = match serde_path_to_error::deserialize::<_, T>(&value) {
            Ok(typed) => return typed,
            Err(error) => error,
        };
        let path: Vec<Segment> = error.path().iter().cloned().collect();
        // A sequence element is first emptied (`{}` keeps the list's length, so a malformed
        // container still counts); if that fails too, it is removed.
        let remove = last_failure
            .as_ref()
            .is_some_and(|last| same_path(last, &path));
        if path.is_empty() || !repair(&mut value, &path, remove) {
            return T::default();
        }
        last_failure = Some(path);
    }
    T::default()
}

fn same_path(a: &[Segment], b: &[Segment]) -> bool {
    a.len() == b.len()
        && a.iter().zip(b).all(|pair| match pair {
            (Segment::Seq { index: x }, Segment::Seq { index: y }) => x == y,
            (Segment::Map { key: x }, Segment::Map { key: y }) => x == y,
            _ => false,
        })
}

/// Replaces or removes the value at `path`; false when the path does not lead anywhere.
fn repair(value: &mut Value, path: &[Segment], remove: bool) -> bool {
    let Some((last, parents)) = path.split_last() else {
        return false;
    };
    let mut current = value;
    for segment in parents {
        let next = match (segment, current) {
            (Segment::Seq { index }, Value::Array(items)) => items.get_mut(*index),
            (Segment::Map { key }, Value::Object(map)) => map.get_mut(key),
            _ => None,
        };
        match next {
            Some(next) => current = next,
            None => return false,
        }
    }
    match (last, current) {
        (Segment::Seq { index }, Value::Array(items)) if *index < items.len() => {
            if remove {
                items.remove(*index);
            } else {
                items[*index] = Value::Object(Default::default());
            }
            true
        }
        (Segment::Map { key }, Value::Object(map)) => map.remove(key).is_some(),
        _ => false,
    }
}

fn strip_nulls(value: &mut Value) {
    match value {
        Value::Object(map) => {
            map.retain(|_, v| !v.is_null());
            map.values_mut().for_each(strip_nulls);
        }
        Value::Array(items) => items.iter_mut().for_each(strip_nulls),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::model::pod::Pod;

    #[test]
    fn drops_only_the_bad_fields() {
        let pod: Pod = lenient(&json!({
            "metadata": {"name": "web", "creationTimestamp": "yesterday", "labels": null},
            "spec": {"containers": [{"name": "a"}, 7, {"name": 3}], "nodeName": ["x"]},
            "status": {"phase": "Running", "containerStatuses": [{"restartCount": "lots"}]},
        }));
        assert_eq!(pod.metadata.name, "web");
        assert_eq!(pod.metadata.creation_timestamp, None);
        assert_eq!(pod.spec.containers.len(), 3);
        assert_eq!(pod.spec.containers[0].name, "a");
        assert_eq!(pod.spec.node_name, "");
        assert_eq!(pod.status.phase, "Running");
        assert_eq!(pod.status.container_statuses.len(), 1);
        assert_eq!(pod.status.container_statuses[0].restart_count, 0);
    }

    #[test]
    fn non_objects_read_as_empty() {
        let pod: Pod = lenient(&json!("a pod"));
        assert_eq!(pod.metadata.name, "");
        let pod: Pod = lenient(&json!({"spec": "x", "status": [1]}));
        assert!(pod.spec.containers.is_empty());
        let pod: Pod = lenient(&json!({"spec": {"initContainers": ["a", "b"]}}));
        assert_eq!(pod.spec.init_containers.len(), 2);
    }
}
