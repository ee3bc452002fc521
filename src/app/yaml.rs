//! An object as YAML for the YAML view, from the raw object (so no field is lost), with a
//! Secret's values masked until the user asks for them.

use serde_json::Value;

/// The mask shown instead of a secret value.
pub const MASK: &str = "********";

/// `raw` as YAML; Secret `data` and `stringData` values are masked unless `reveal`.
pub fn yaml_text(raw: &Value, reveal: bool) -> String {
    let mut object = raw.clone();
    let is_secret = object.get("kind").and_then(Value::as_str) == Some("Secret");
    if is_secret && !reveal {
        for field in ["data", "stringData"] {
            if let Some(values) = object.get_mut(field).and_then(Value::as_object_mut) {
                for value in values.values_mut() {
                    *value = Value::String(MASK.to_string());
                }
            }
        }
        // The last-applied annotation would carry the values too.
        if let Some(annotations) = object
            .pointer_mut("/metadata/annotations")
            .and_then(Value::as_object_mut)
        {
            annotations.remove("kubectl.kubernetes.io/last-applied-configuration");
        }
    }
    crate::model::yaml::to_string(&object)
}

/// A Secret's data decoded from base64, for the revealed view.
pub fn decoded_secret(raw: &Value) -> Value {
    use base64::Engine;
    let mut object = raw.clone();
    if let Some(values) = object.get_mut("data").and_then(Value::as_object_mut) {
        for value in values.values_mut() {
            let decoded = value
                .as_str()
                .and_then(|text| base64::engine::general_purpose::STANDARD.decode(text).ok())
                .and_then(|bytes| String::from_utf8(bytes).ok());
            if let Some(decoded) = decoded {
                *value = Value::String(decoded);
            }
        }
    }
    object
}

/// The YAML a view shows: a Secret's values masked unless `revealed` (then decoded), and
/// metadata.managedFields only when asked for (kubectl hides them too).
pub fn view_text(raw: &Value, revealed: bool, managed_fields: bool) -> String {
    let mut object = if revealed {
        decoded_secret(raw)
    } else {
        raw.clone()
    };
    if !managed_fields
        && let Some(metadata) = object.get_mut("metadata").and_then(Value::as_object_mut)
    {
        metadata.remove("managedFields");
    }
    yaml_text(&object, revealed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn secrets_are_masked_until_revealed() {
        let secret = json!({"kind": "Secret", "metadata": {"name": "db", "annotations": {"kubectl.kubernetes.io/last-applied-configuration": "{\"data\":{\"password\":\"czNjcjN0\"}}"}}, "data": {"password": "czNjcjN0"}});
        let masked = yaml_text(&secret, false);
        assert!(
            masked.contains("password: '********'") || masked.contains("password: \"********\""),
            "{masked}"
        );
        assert!(!masked.contains("czNjcjN0"), "{masked}");
        let revealed = yaml_text(&decoded_secret(&secret), true);
        assert!(revealed.contains("password: s3cr3t"), "{revealed}");
        let pod = json!({"kind": "Pod", "metadata": {"name": "web"}, "spec": {"containers": [{"name": "c", "image": "nginx"}]}});
        assert!(yaml_text(&pod, false).contains("image: nginx"));
    }
}
