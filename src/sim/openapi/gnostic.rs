//! `/openapi/v2` in protobuf: the JSON document written as gnostic's `openapi.v2.Document`
//! (google/gnostic-models, openapiv2/OpenAPIv2.proto), the only form client-go's
//! `OpenAPISchema()` asks for. kubectl falls back to it when the v3 document has no PATCH
//! operation for a kind it checks (`create -f` of a SelfSubjectAccessReview), and `explain
//! --output plaintext-openapiv2` reads it.
//!
//! The API server makes it by compiling its JSON document with gnostic; this walks the JSON the
//! same way: each object into its message, `$ref` into `_ref`, a parameter into the message
//! its `in` names, `x-` keys into vendor extensions whose values (as any `Any`) are carried as
//! YAML text (JSON, which is YAML). Keys gnostic's Swagger 2.0 messages have no field for
//! (`oneOf`) are left out, as a Swagger 2.0 document has none. Fields are written in number
//! order and proto3's zero values are not written, as Go's marshaller writes them.

use serde_json::{Map, Value};

use crate::sim::protobuf::wire::{WireType, write_key, write_len_field, write_varint_field};

/// The media type clients ask for (the `@` form) and the one the API server answers with.
pub const REQUESTED: [&str; 2] = [
    "application/com.github.proto-openapi.spec.v2@v1.0+protobuf",
    "application/com.github.proto-openapi.spec.v2.v1.0+protobuf",
];
pub const CONTENT_TYPE: &str = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf";

/// The document's protobuf encoding.
pub fn document(json: &Value) -> Vec<u8> {
    let mut m = Message::default();
    m.string(1, &json["swagger"]);
    m.message_of(2, &json["info"], info);
    m.string(3, &json["host"]);
    m.string(4, &json["basePath"]);
    m.strings(5, &json["schemes"]);
    m.strings(6, &json["consumes"]);
    m.strings(7, &json["produces"]);
    m.message_of(8, &json["paths"], paths);
    m.message_of(9, &json["definitions"], |d| named(d, 1, schema));
    if let Some(requirements) = json["security"].as_array() {
        for requirement in requirements {
            m.message(12, security_requirement(requirement));
        }
    }
    m.message_of(13, &json["securityDefinitions"], |d| {
        named(d, 1, security_definition)
    });
    m.extensions(16, json);
    m.bytes
}

/// A protobuf message being written.
#[derive(Default)]
struct Message {
    bytes: Vec<u8>,
}

impl Message {
    fn length_delimited(&mut self, field: u32, data: &[u8]) {
        write_len_field(&mut self.bytes, field, data);
    }

    /// A string field, unless absent or empty.
    fn string(&mut self, field: u32, value: &Value) {
        if let Some(text) = value.as_str().filter(|t| !t.is_empty()) {
            self.length_delimited(field, text.as_bytes());
        }
    }

    /// A repeated string field from an array (or one string, as a type may be given).
    fn strings(&mut self, field: u32, value: &Value) {
        match value {
            Value::Array(items) => {
                for item in items.iter().filter_map(Value::as_str) {
                    self.length_delimited(field, item.as_bytes());
                }
            }
            Value::String(text) => self.length_delimited(field, text.as_bytes()),
            _ => {}
        }
    }

    fn boolean(&mut self, field: u32, value: &Value) {
        if value.as_bool() == Some(true) {
            write_varint_field(&mut self.bytes, field, 1);
        }
    }

    fn int64(&mut self, field: u32, value: &Value) {
        if let Some(number) = value.as_i64().filter(|n| *n != 0) {
            write_varint_field(&mut self.bytes, field, number as u64);
        }
    }

    fn double(&mut self, field: u32, value: &Value) {
        if let Some(number) = value.as_f64().filter(|n| *n != 0.0) {
            write_key(&mut self.bytes, field, WireType::Fixed64);
            self.bytes.extend_from_slice(&number.to_le_bytes());
        }
    }

    fn message(&mut self, field: u32, message: Message) {
        self.length_delimited(field, &message.bytes);
    }

    /// A message field made from a JSON value, when the key is there (a present but empty
    /// object is still a message, as gnostic sets it).
    fn message_of(&mut self, field: u32, value: &Value, make: impl Fn(&Value) -> Message) {
        if !value.is_null() {
            self.message(field, make(value));
        }
    }

    /// An `Any`: the value as YAML text.
    fn any(&mut self, field: u32, value: &Value) {
        if !value.is_null() {
            self.message(field, any(value));
        }
    }

    /// Every `x-` key of an object as a `NamedAny`.
    fn extensions(&mut self, field: u32, object: &Value) {
        for (name, value) in object.as_object().into_iter().flatten() {
            if name.starts_with("x-") {
                self.message(field, named_any(name, value));
            }
        }
    }
}

fn any(value: &Value) -> Message {
    let mut m = Message::default();
    m.length_delimited(2, value.to_string().as_bytes());
    m
}

fn named_any(name: &str, value: &Value) -> Message {
    let mut m = Message::default();
    m.length_delimited(1, name.as_bytes());
    m.message(2, any(value));
    m
}

/// A map of named values (`Definitions`, `Properties`, ...): a `Named*` entry per key, in the
/// document's order, in field `field`.
fn named(map: &Value, field: u32, make: impl Fn(&Value) -> Message) -> Message {
    let mut m = Message::default();
    for (name, value) in map.as_object().into_iter().flatten() {
        let mut entry = Message::default();
        entry.length_delimited(1, name.as_bytes());
        entry.message(2, make(value));
        m.message(field, entry);
    }
    m
}

fn info(json: &Value) -> Message {
    let mut m = Message::default();
    m.string(1, &json["title"]);
    m.string(2, &json["version"]);
    m.string(3, &json["description"]);
    m.string(4, &json["termsOfService"]);
    m.extensions(7, json);
    m
}

fn paths(json: &Value) -> Message {
    let mut m = Message::default();
    m.extensions(1, json);
    let items: Map<String, Value> = json
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(path, _)| !path.starts_with("x-"))
        .map(|(path, item)| (path.clone(), item.clone()))
        .collect();
    m.bytes
        .extend(named(&Value::Object(items), 2, path_item).bytes);
    m
}

fn path_item(json: &Value) -> Message {
    let mut m = Message::default();
    m.string(1, &json["$ref"]);
    for (field, method) in [
        (2, "get"),
        (3, "put"),
        (4, "post"),
        (5, "delete"),
        (6, "options"),
        (7, "head"),
        (8, "patch"),
    ] {
        m.message_of(field, &json[method], operation);
    }
    for parameter in json["parameters"].as_array().into_iter().flatten() {
        m.message(9, parameters_item(parameter));
    }
    m.extensions(10, json);
    m
}

fn operation(json: &Value) -> Message {
    let mut m = Message::default();
    m.strings(1, &json["tags"]);
    m.string(2, &json["summary"]);
    m.string(3, &json["description"]);
    m.string(5, &json["operationId"]);
    m.strings(6, &json["produces"]);
    m.strings(7, &json["consumes"]);
    for parameter in json["parameters"].as_array().into_iter().flatten() {
        m.message(8, parameters_item(parameter));
    }
    m.message_of(9, &json["responses"], responses);
    m.strings(10, &json["schemes"]);
    m.boolean(11, &json["deprecated"]);
    if let Some(requirements) = json["security"].as_array() {
        for requirement in requirements {
            m.message(12, security_requirement(requirement));
        }
    }
    m.extensions(13, json);
    m
}

/// A parameter or a reference to one.
fn parameters_item(json: &Value) -> Message {
    let mut m = Message::default();
    if json.get("$ref").is_some() {
        m.message(2, json_reference(json));
    } else {
        m.message(1, parameter(json));
    }
    m
}

fn json_reference(json: &Value) -> Message {
    let mut m = Message::default();
    m.string(1, &json["$ref"]);
    m.string(2, &json["description"]);
    m
}

fn parameter(json: &Value) -> Message {
    let mut m = Message::default();
    if json["in"] == "body" {
        let mut body = Message::default();
        body.string(1, &json["description"]);
        body.string(2, &json["name"]);
        body.string(3, &json["in"]);
        body.boolean(4, &json["required"]);
        body.message_of(5, &json["schema"], schema);
        body.extensions(6, json);
        m.message(1, body);
        return m;
    }
    // Query and formData parameters have `allowEmptyValue` fifth, which moves every later
    // field one on from header and path parameters'.
    let (which, allow_empty) = match json["in"].as_str() {
        Some("header") => (1, false),
        Some("formData") => (2, true),
        Some("query") => (3, true),
        _ => (4, false),
    };
    let mut sub = Message::default();
    sub.boolean(1, &json["required"]);
    sub.string(2, &json["in"]);
    sub.string(3, &json["description"]);
    sub.string(4, &json["name"]);
    let shift = if allow_empty {
        sub.boolean(5, &json["allowEmptyValue"]);
        1
    } else {
        0
    };
    primitive_fields(&mut sub, json, 5 + shift);
    sub.extensions(22 + shift, json);
    let mut non_body = Message::default();
    non_body.message(which, sub);
    m.message(2, non_body);
    m
}

/// The fields a non-body parameter, a header and `PrimitivesItems` share, in their order from
/// `type` (numbered `first`) to `multipleOf` (`first + 16`).
fn primitive_fields(m: &mut Message, json: &Value, first: u32) {
    m.string(first, &json["type"]);
    m.string(first + 1, &json["format"]);
    m.message_of(first + 2, &json["items"], primitives_items);
    m.string(first + 3, &json["collectionFormat"]);
    m.any(first + 4, &json["default"]);
    m.double(first + 5, &json["maximum"]);
    m.boolean(first + 6, &json["exclusiveMaximum"]);
    m.double(first + 7, &json["minimum"]);
    m.boolean(first + 8, &json["exclusiveMinimum"]);
    m.int64(first + 9, &json["maxLength"]);
    m.int64(first + 10, &json["minLength"]);
    m.string(first + 11, &json["pattern"]);
    m.int64(first + 12, &json["maxItems"]);
    m.int64(first + 13, &json["minItems"]);
    m.boolean(first + 14, &json["uniqueItems"]);
    for value in json["enum"].as_array().into_iter().flatten() {
        m.message(first + 15, any(value));
    }
    m.double(first + 16, &json["multipleOf"]);
}

fn primitives_items(json: &Value) -> Message {
    let mut m = Message::default();
    primitive_fields(&mut m, json, 1);
    m.extensions(18, json);
    m
}

fn responses(json: &Value) -> Message {
    let mut m = Message::default();
    for (code, value) in json.as_object().into_iter().flatten() {
        if code.starts_with("x-") {
            continue;
        }
        let mut response_value = Message::default();
        if value.get("$ref").is_some() {
            response_value.message(2, json_reference(value));
        } else {
            response_value.message(1, response(value));
        }
        let mut entry = Message::default();
        entry.length_delimited(1, code.as_bytes());
        entry.message(2, response_value);
        m.message(1, entry);
    }
    m.extensions(2, json);
    m
}

fn response(json: &Value) -> Message {
    let mut m = Message::default();
    m.string(1, &json["description"]);
    m.message_of(2, &json["schema"], |s| {
        // A file response is a FileSchema; anything else a Schema.
        let mut item = Message::default();
        item.message(if s["type"] == "file" { 2 } else { 1 }, schema(s));
        item
    });
    m.message_of(3, &json["headers"], |h| named(h, 1, header));
    m.message_of(4, &json["examples"], |e| {
        let mut examples = Message::default();
        for (name, value) in e.as_object().into_iter().flatten() {
            examples.message(1, named_any(name, value));
        }
        examples
    });
    m.extensions(5, json);
    m
}

fn header(json: &Value) -> Message {
    let mut m = Message::default();
    primitive_fields(&mut m, json, 1);
    // A header's description comes after its primitive fields.
    m.string(18, &json["description"]);
    m.extensions(19, json);
    m
}

fn schema(json: &Value) -> Message {
    let mut m = Message::default();
    m.string(1, &json["$ref"]);
    m.string(2, &json["format"]);
    m.string(3, &json["title"]);
    m.string(4, &json["description"]);
    m.any(5, &json["default"]);
    m.double(6, &json["multipleOf"]);
    m.double(7, &json["maximum"]);
    m.boolean(8, &json["exclusiveMaximum"]);
    m.double(9, &json["minimum"]);
    m.boolean(10, &json["exclusiveMinimum"]);
    m.int64(11, &json["maxLength"]);
    m.int64(12, &json["minLength"]);
    m.string(13, &json["pattern"]);
    m.int64(14, &json["maxItems"]);
    m.int64(15, &json["minItems"]);
    m.boolean(16, &json["uniqueItems"]);
    m.int64(17, &json["maxProperties"]);
    m.int64(18, &json["minProperties"]);
    m.strings(19, &json["required"]);
    for value in json["enum"].as_array().into_iter().flatten() {
        m.message(20, any(value));
    }
    match &json["additionalProperties"] {
        Value::Bool(allowed) => {
            let mut item = Message::default();
            write_varint_field(&mut item.bytes, 2, u64::from(*allowed));
            m.message(21, item);
        }
        additional @ Value::Object(_) => {
            let mut item = Message::default();
            item.message(1, schema(additional));
            m.message(21, item);
        }
        _ => {}
    }
    if !json["type"].is_null() {
        let mut types = Message::default();
        types.strings(1, &json["type"]);
        m.message(22, types);
    }
    match &json["items"] {
        Value::Array(items) => {
            let mut item = Message::default();
            for each in items {
                item.message(1, schema(each));
            }
            m.message(23, item);
        }
        single @ Value::Object(_) => {
            let mut item = Message::default();
            item.message(1, schema(single));
            m.message(23, item);
        }
        _ => {}
    }
    for each in json["allOf"].as_array().into_iter().flatten() {
        m.message(24, schema(each));
    }
    m.message_of(25, &json["properties"], |p| named(p, 1, schema));
    m.string(26, &json["discriminator"]);
    m.boolean(27, &json["readOnly"]);
    m.any(30, &json["example"]);
    m.extensions(31, json);
    m
}

/// `{"BearerToken": []}`: a `NamedStringArray` per scheme.
fn security_requirement(json: &Value) -> Message {
    named(json, 1, |scopes| {
        let mut array = Message::default();
        array.strings(1, scopes);
        array
    })
}

fn security_definition(json: &Value) -> Message {
    let mut scheme = Message::default();
    let mut m = Message::default();
    match json["type"].as_str() {
        Some("basic") => {
            scheme.string(1, &json["type"]);
            scheme.string(2, &json["description"]);
            scheme.extensions(3, json);
            m.message(1, scheme);
        }
        _ => {
            scheme.string(1, &json["type"]);
            scheme.string(2, &json["name"]);
            scheme.string(3, &json["in"]);
            scheme.string(4, &json["description"]);
            scheme.extensions(5, json);
            m.message(2, scheme);
        }
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The first bytes of the API server's own answer (a kubectl 1.26 `-v=9` log against a
    /// 1.32 cluster): the version, the info, and the start of the paths.
    #[test]
    fn the_head_is_written_as_the_api_server_writes_it() {
        let encoded = document(&json!({
            "swagger": "2.0",
            "info": {"title": "Kubernetes", "version": "1.32"},
        }));
        assert_eq!(
            encoded,
            [
                0x0a, 0x03, b'2', b'.', b'0', 0x12, 0x12, 0x0a, 0x0a, b'K', b'u', b'b', b'e', b'r',
                b'n', b'e', b't', b'e', b's', 0x12, 0x04, b'1', b'.', b'3', b'2'
            ]
        );
    }

    #[test]
    fn schemas_parameters_and_extensions_take_their_fields() {
        let encoded = schema(&json!({
            "$ref": "#/definitions/a.B",
            "type": "object",
            "x-kubernetes-patch-merge-key": "name",
        }));
        let mut expected = Message::default();
        expected.length_delimited(1, b"#/definitions/a.B");
        let mut types = Message::default();
        types.length_delimited(1, b"object");
        expected.message(22, types);
        expected.message(
            31,
            named_any("x-kubernetes-patch-merge-key", &json!("name")),
        );
        assert_eq!(encoded.bytes, expected.bytes);
        // A query parameter's type is its sixth field; a path parameter's its fifth.
        let query = parameter(&json!({"in": "query", "name": "dryRun", "type": "string"}));
        let path = parameter(&json!({"in": "path", "name": "name", "type": "string"}));
        let sub = |which: u32, type_field: u32, place: &str, name: &[u8]| {
            let mut sub = Message::default();
            sub.length_delimited(2, place.as_bytes());
            sub.length_delimited(4, name);
            sub.length_delimited(type_field, b"string");
            let mut non_body = Message::default();
            non_body.message(which, sub);
            let mut m = Message::default();
            m.message(2, non_body);
            m.bytes
        };
        assert_eq!(query.bytes, sub(3, 6, "query", b"dryRun"));
        assert_eq!(path.bytes, sub(4, 5, "path", b"name"));
        // An extension's value is YAML: JSON text.
        assert_eq!(
            any(&json!([{"group": "", "kind": "Pod", "version": "v1"}])).bytes[2..],
            *br#"[{"group":"","kind":"Pod","version":"v1"}]"#
        );
    }
}
