//! Tests of patching. The `upstream_*` tables restate cases of
//! `k8s.io/apimachinery/pkg/util/strategicpatch/patch_test.go` (v0.36) against its own test
//! struct `MergeItem` (see `Ty::MergeItem`): the inputs and the expected patches and results are
//! upstream's. The rest exercise the built-in kinds the way kubectl and controllers patch them.

use proptest::prelude::{Just, ProptestConfig, any, prop, prop_oneof, proptest};
use proptest::strategy::Strategy as ValueStrategy;
use serde_json::{Value, json};

use super::schema::Ty;
use super::*;

fn parse(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|error| panic!("test JSON {text}: {error}"))
}

fn object(value: &Value) -> JsonMap {
    value
        .as_object()
        .cloned()
        .unwrap_or_else(|| panic!("not an object: {value}"))
}

/// Applies `patch` to `original`, both upstream's `MergeItem` test struct.
fn apply_to_item(original: &str, patch: &str) -> Result<Value, PatchError> {
    merge_map(
        object(&parse(original)),
        object(&parse(patch)),
        Ty::MergeItem,
    )
    .map(Value::Object)
}

/// The two-way patch between two `MergeItem`s.
fn diff_items(original: &str, modified: &str) -> Result<Value, PatchError> {
    diff_maps(
        &object(&parse(original)),
        &object(&parse(modified)),
        Ty::MergeItem,
        false,
    )
    .map(Value::Object)
}

/// A two-way case: `diff(original, modified)` is `patch`, and applying `patch` to `original`
/// gives `result` (or `modified` when `result` is empty).
struct TwoWay {
    name: &'static str,
    original: &'static str,
    modified: &'static str,
    patch: &'static str,
    result: &'static str,
}

const TWO_WAY: &[TwoWay] = &[
    TwoWay {
        name: "nil patch",
        original: r#"{"name":1}"#,
        modified: r#"{"name":1}"#,
        patch: "{}",
        result: "",
    },
    TwoWay {
        name: "add field to map",
        original: r#"{"name":1}"#,
        modified: r#"{"name":1,"value":1}"#,
        patch: r#"{"value":1}"#,
        result: "",
    },
    TwoWay {
        name: "add field and delete field from map",
        original: r#"{"name":1}"#,
        modified: r#"{"value":1}"#,
        patch: r#"{"name":null,"value":1}"#,
        result: "",
    },
    TwoWay {
        name: "delete field from nested map",
        original: r#"{"simpleMap":{"key1":1,"key2":1}}"#,
        modified: r#"{"simpleMap":{"key1":1}}"#,
        patch: r#"{"simpleMap":{"key2":null}}"#,
        result: "",
    },
    TwoWay {
        name: "delete all fields from map",
        original: r#"{"name":1,"value":1}"#,
        modified: "{}",
        patch: r#"{"name":null,"value":null}"#,
        result: "",
    },
    TwoWay {
        name: "add field and delete all fields from map",
        original: r#"{"name":1,"value":1}"#,
        modified: r#"{"other":"a"}"#,
        patch: r#"{"name":null,"value":null,"other":"a"}"#,
        result: "",
    },
    TwoWay {
        name: "replace list of scalars",
        original: r#"{"nonMergingIntList":[1,2]}"#,
        modified: r#"{"nonMergingIntList":[2,3]}"#,
        patch: r#"{"nonMergingIntList":[2,3]}"#,
        result: "",
    },
    TwoWay {
        name: "delete all maps from merging list",
        original: r#"{"mergingList":[{"name":1},{"name":2}]}"#,
        modified: r#"{"mergingList":[]}"#,
        patch: r#"{"mergingList":[{"name":1,"$patch":"delete"},{"name":2,"$patch":"delete"}]}"#,
        result: "",
    },
    TwoWay {
        name: "merge empty merging lists",
        original: r#"{"mergingList":[]}"#,
        modified: r#"{"mergingList":[]}"#,
        patch: "{}",
        result: "",
    },
    TwoWay {
        name: "defined null values should propagate overwrite current fields",
        original: r#"{"name":2}"#,
        modified: r#"{"name":1,"value":1,"other":null}"#,
        patch: r#"{"name":1,"value":1,"other":null}"#,
        result: r#"{"name":1,"value":1}"#,
    },
    TwoWay {
        name: "defined null values should propagate removing original fields",
        original: r#"{"name":"original-name","value":"original-value"}"#,
        modified: r#"{"name":"modified-name","value":null}"#,
        patch: r#"{"name":"modified-name","value":null}"#,
        result: r#"{"name":"modified-name"}"#,
    },
    TwoWay {
        name: "retainKeys map with no change should not be present",
        original: r#"{"name":"a","retainKeysMap":{"name":"foo"}}"#,
        modified: r#"{"name":"a","value":"b","retainKeysMap":{"name":"foo"}}"#,
        patch: r#"{"value":"b"}"#,
        result: "",
    },
    TwoWay {
        name: "delete items in lists of scalars",
        original: r#"{"mergingIntList":[1,2,3]}"#,
        modified: r#"{"mergingIntList":[1,2]}"#,
        patch: r#"{"$setElementOrder/mergingIntList":[1,2],"$deleteFromPrimitiveList/mergingIntList":[3]}"#,
        result: "",
    },
    TwoWay {
        name: "delete all duplicate items in lists of scalars",
        original: r#"{"mergingIntList":[1,2,3,3]}"#,
        modified: r#"{"mergingIntList":[1,2]}"#,
        patch: r#"{"$setElementOrder/mergingIntList":[1,2],"$deleteFromPrimitiveList/mergingIntList":[3]}"#,
        result: "",
    },
    TwoWay {
        name: "add and delete items in lists of scalars",
        original: r#"{"mergingIntList":[1,2,3]}"#,
        modified: r#"{"mergingIntList":[1,2,4]}"#,
        patch: r#"{"$setElementOrder/mergingIntList":[1,2,4],"$deleteFromPrimitiveList/mergingIntList":[3],"mergingIntList":[4]}"#,
        result: "",
    },
    TwoWay {
        name: "merge lists of maps",
        original: r#"{"mergingList":[{"name":1},{"name":2,"value":2}]}"#,
        modified: r#"{"mergingList":[{"name":4,"value":4},{"name":1},{"name":2,"value":2},{"name":3,"value":3}]}"#,
        patch: r#"{"$setElementOrder/mergingList":[{"name":4},{"name":1},{"name":2},{"name":3}],"mergingList":[{"name":4,"value":4},{"name":3,"value":3}]}"#,
        result: "",
    },
    TwoWay {
        name: "add field to map in merging list",
        original: r#"{"mergingList":[{"name":1},{"name":2,"value":2}]}"#,
        modified: r#"{"mergingList":[{"name":1,"value":1},{"name":2,"value":2}]}"#,
        patch: r#"{"$setElementOrder/mergingList":[{"name":1},{"name":2}],"mergingList":[{"name":1,"value":1}]}"#,
        result: "",
    },
    TwoWay {
        name: "add an item that already exists in current object in merging list",
        original: r#"{"mergingList":[{"name":1,"value":"a"},{"name":2}]}"#,
        modified: r#"{"mergingList":[{"name":1,"value":"a"},{"name":2},{"name":3}]}"#,
        patch: r#"{"$setElementOrder/mergingList":[{"name":1},{"name":2},{"name":3}],"mergingList":[{"name":3}]}"#,
        result: "",
    },
    TwoWay {
        name: "replace map field value in merging list",
        original: r#"{"mergingList":[{"name":1,"value":1},{"name":2,"value":2}]}"#,
        modified: r#"{"mergingList":[{"name":1,"value":"a"},{"name":2,"value":2}]}"#,
        patch: r#"{"$setElementOrder/mergingList":[{"name":1},{"name":2}],"mergingList":[{"name":1,"value":"a"}]}"#,
        result: "",
    },
    TwoWay {
        name: "delete map from merging list",
        original: r#"{"mergingList":[{"name":1},{"name":2}]}"#,
        modified: r#"{"mergingList":[{"name":2}]}"#,
        patch: r#"{"$setElementOrder/mergingList":[{"name":2}],"mergingList":[{"name":1,"$patch":"delete"}]}"#,
        result: "",
    },
    TwoWay {
        name: "add map and delete map from merging list",
        original: r#"{"mergingList":[{"name":1},{"name":2}]}"#,
        modified: r#"{"mergingList":[{"name":2},{"name":3}]}"#,
        patch: r#"{"$setElementOrder/mergingList":[{"name":2},{"name":3}],"mergingList":[{"name":3},{"name":1,"$patch":"delete"}]}"#,
        result: "",
    },
    TwoWay {
        name: "delete field from map in merging list",
        original: r#"{"mergingList":[{"name":1,"value":1},{"name":2,"value":2}]}"#,
        modified: r#"{"mergingList":[{"name":1},{"name":2,"value":2}]}"#,
        patch: r#"{"$setElementOrder/mergingList":[{"name":1},{"name":2}],"mergingList":[{"name":1,"value":null}]}"#,
        result: "",
    },
    TwoWay {
        name: "replace non merging list nested in merging list",
        original: r#"{"mergingList":[{"name":1,"nonMergingList":[{"name":1},{"name":2,"value":2}]},{"name":2}]}"#,
        modified: r#"{"mergingList":[{"name":1,"nonMergingList":[{"name":1,"value":1}]},{"name":2}]}"#,
        patch: r#"{"$setElementOrder/mergingList":[{"name":1},{"name":2}],"mergingList":[{"name":1,"nonMergingList":[{"name":1,"value":1}]}]}"#,
        result: "",
    },
    TwoWay {
        name: "add field to map in merging list nested in merging list",
        original: r#"{"mergingList":[{"name":1,"mergingList":[{"name":1},{"name":2,"value":2}]},{"name":2}]}"#,
        modified: r#"{"mergingList":[{"name":1,"mergingList":[{"name":1,"value":1},{"name":2,"value":2}]},{"name":2}]}"#,
        patch: r#"{"$setElementOrder/mergingList":[{"name":1},{"name":2}],"mergingList":[{"$setElementOrder/mergingList":[{"name":1},{"name":2}],"name":1,"mergingList":[{"name":1,"value":1}]}]}"#,
        result: "",
    },
    TwoWay {
        name: "add field to map and reorder in merging list nested in merging list",
        original: r#"{"mergingList":[{"name":1,"mergingList":[{"name":1},{"name":2,"value":2}]},{"name":2}]}"#,
        modified: r#"{"mergingList":[{"name":1,"mergingList":[{"name":2,"value":2},{"name":1,"value":1}]},{"name":2}]}"#,
        patch: r#"{"$setElementOrder/mergingList":[{"name":1},{"name":2}],"mergingList":[{"$setElementOrder/mergingList":[{"name":2},{"name":1}],"name":1,"mergingList":[{"name":1,"value":1}]}]}"#,
        result: "",
    },
    TwoWay {
        name: "add map to merging list by pointer",
        original: r#"{"mergeItemPtr":[{"name":1}]}"#,
        modified: r#"{"mergeItemPtr":[{"name":1},{"name":2}]}"#,
        patch: r#"{"$setElementOrder/mergeItemPtr":[{"name":1},{"name":2}],"mergeItemPtr":[{"name":2}]}"#,
        result: "",
    },
    TwoWay {
        name: "merge lists of scalars",
        original: r#"{"mergingIntList":[1,2]}"#,
        modified: r#"{"mergingIntList":[1,2,3]}"#,
        patch: r#"{"$setElementOrder/mergingIntList":[1,2,3],"mergingIntList":[3]}"#,
        result: "",
    },
    TwoWay {
        name: "add an item in a list of primitives and preserve order",
        original: r#"{"mergingIntList":[1,2]}"#,
        modified: r#"{"mergingIntList":[3,1,2]}"#,
        patch: r#"{"$setElementOrder/mergingIntList":[3,1,2],"mergingIntList":[3]}"#,
        result: "",
    },
    TwoWay {
        name: "delete an item in a list of primitives and preserve order",
        original: r#"{"mergingIntList":[1,2,3]}"#,
        modified: r#"{"mergingIntList":[2,1]}"#,
        patch: r#"{"$setElementOrder/mergingIntList":[2,1],"$deleteFromPrimitiveList/mergingIntList":[3]}"#,
        result: "",
    },
    TwoWay {
        name: "add an item in a list and preserve order",
        original: r#"{"mergingList":[{"name":1},{"name":2,"value":2}]}"#,
        modified: r#"{"mergingList":[{"name":3,"value":3},{"name":1},{"name":2,"value":2}]}"#,
        patch: r#"{"$setElementOrder/mergingList":[{"name":3},{"name":1},{"name":2}],"mergingList":[{"name":3,"value":3}]}"#,
        result: "",
    },
    TwoWay {
        name: "add multiple items in a list and preserve order",
        original: r#"{"mergingList":[{"name":1},{"name":2,"value":2}]}"#,
        modified: r#"{"mergingList":[{"name":1},{"name":4,"value":4},{"name":2,"value":2},{"name":3,"value":3}]}"#,
        patch: r#"{"$setElementOrder/mergingList":[{"name":1},{"name":4},{"name":2},{"name":3}],"mergingList":[{"name":4,"value":4},{"name":3,"value":3}]}"#,
        result: "",
    },
    TwoWay {
        name: "delete an item in a list and preserve order",
        original: r#"{"mergingList":[{"name":1},{"name":3,"value":3},{"name":2,"value":2}]}"#,
        modified: r#"{"mergingList":[{"name":2,"value":2},{"name":1}]}"#,
        patch: r#"{"$setElementOrder/mergingList":[{"name":2},{"name":1}],"mergingList":[{"name":3,"$patch":"delete"}]}"#,
        result: "",
    },
    TwoWay {
        name: "change an item in a list and preserve order",
        original: r#"{"mergingList":[{"name":1},{"name":3,"value":3},{"name":2,"value":2}]}"#,
        modified: r#"{"mergingList":[{"name":2,"value":2},{"name":3,"value":"x"},{"name":1}]}"#,
        patch: r#"{"$setElementOrder/mergingList":[{"name":2},{"name":3},{"name":1}],"mergingList":[{"name":3,"value":"x"}]}"#,
        result: "",
    },
    TwoWay {
        name: "add and delete an item in a list and preserve order",
        original: r#"{"mergingList":[{"name":1},{"name":3,"value":3},{"name":2,"value":2}]}"#,
        modified: r#"{"mergingList":[{"name":4,"value":4},{"name":2,"value":2},{"name":1}]}"#,
        patch: r#"{"$setElementOrder/mergingList":[{"name":4},{"name":2},{"name":1}],"mergingList":[{"name":4,"value":4},{"name":3,"$patch":"delete"}]}"#,
        result: "",
    },
    TwoWay {
        name: "set elements order in a list",
        original: r#"{"mergingList":[{"name":1},{"name":3,"value":3},{"name":4,"value":4},{"name":2,"value":2}]}"#,
        modified: r#"{"mergingList":[{"name":4,"value":4},{"name":2,"value":2},{"name":3,"value":3},{"name":1}]}"#,
        patch: r#"{"$setElementOrder/mergingList":[{"name":4},{"name":2},{"name":3},{"name":1}]}"#,
        result: "",
    },
    TwoWay {
        name: "set elements order in a int list",
        original: r#"{"mergingIntList":[1,3,4,2]}"#,
        modified: r#"{"mergingIntList":[4,2,3,1]}"#,
        patch: r#"{"$setElementOrder/mergingIntList":[4,2,3,1]}"#,
        result: "",
    },
    TwoWay {
        name: "add and delete an item in a int list and preserve order",
        original: r#"{"mergingIntList":[1,3,2]}"#,
        modified: r#"{"mergingIntList":[4,2,1]}"#,
        patch: r#"{"$setElementOrder/mergingIntList":[4,2,1],"mergingIntList":[4],"$deleteFromPrimitiveList/mergingIntList":[3]}"#,
        result: "",
    },
    TwoWay {
        name: "behavior of set element order for a merging list with duplicate",
        original: r#"{"mergingList":[{"name":1},{"name":2,"value":"dup1"},{"name":3},{"name":2,"value":"dup2"},{"name":4}]}"#,
        modified: r#"{"mergingList":[{"name":2,"value":"dup1"},{"name":1},{"name":4},{"name":3},{"name":2,"value":"dup2"}]}"#,
        patch: r#"{"$setElementOrder/mergingList":[{"name":2},{"name":1},{"name":4},{"name":3},{"name":2}]}"#,
        result: r#"{"mergingList":[{"name":2,"value":"dup1"},{"name":2,"value":"dup2"},{"name":1},{"name":4},{"name":3}]}"#,
    },
    TwoWay {
        name: "behavior of set element order for a merging int list with duplicate",
        original: r#"{"mergingIntList":[1,2,3,2,4]}"#,
        modified: r#"{"mergingIntList":[2,1,4,3,2]}"#,
        patch: r#"{"$setElementOrder/mergingIntList":[2,1,4,3,2]}"#,
        result: r#"{"mergingIntList":[2,2,1,4,3]}"#,
    },
    TwoWay {
        name: "retainKeys map should clear defaulted field",
        original: "{}",
        modified: r#"{"retainKeysMap":{"other":"bar"}}"#,
        patch: r#"{"retainKeysMap":{"other":"bar"}}"#,
        result: "",
    },
    TwoWay {
        name: "retainKeys map adds a field",
        original: r#"{"retainKeysMap":{"name":"foo"}}"#,
        modified: r#"{"retainKeysMap":{"name":"foo","value":"bar"}}"#,
        patch: r#"{"retainKeysMap":{"$retainKeys":["name","value"],"value":"bar"}}"#,
        result: "",
    },
    TwoWay {
        name: "retainKeys map deletes a field",
        original: r#"{"retainKeysMap":{"name":"foo","value":"bar"}}"#,
        modified: r#"{"retainKeysMap":{"name":"foo"}}"#,
        patch: r#"{"retainKeysMap":{"$retainKeys":["name"],"value":null}}"#,
        result: "",
    },
    TwoWay {
        name: "retainKeys map clears a field",
        original: r#"{"retainKeysMap":{"name":"foo","value":"bar"}}"#,
        modified: r#"{"retainKeysMap":{"name":"foo","value":"bar"}}"#,
        patch: "{}",
        result: "",
    },
    TwoWay {
        name: "retainKeys map nested map with no change",
        original: r#"{"retainKeysMap":{"name":"foo","simpleMap":{"key1":"a"}}}"#,
        modified: r#"{"retainKeysMap":{"name":"foo","value":"bar","simpleMap":{"key1":"a"}}}"#,
        patch: r#"{"retainKeysMap":{"$retainKeys":["name","simpleMap","value"],"value":"bar"}}"#,
        result: "",
    },
    TwoWay {
        name: "retainKeys map adds a field in a nested map",
        original: r#"{"retainKeysMap":{"name":"foo","value":"bar","simpleMap":{"key1":"a"}}}"#,
        modified: r#"{"retainKeysMap":{"name":"foo","value":"bar","simpleMap":{"key1":"a","key2":"b"}}}"#,
        patch: r#"{"retainKeysMap":{"$retainKeys":["name","simpleMap","value"],"simpleMap":{"key2":"b"}}}"#,
        result: "",
    },
    TwoWay {
        name: "retainKeys map replaces non-merging list",
        original: r#"{"retainKeysMap":{"name":"foo","value":"bar","nonMergingList":[{"name":"a"},{"name":"b"}]}}"#,
        modified: r#"{"retainKeysMap":{"name":"foo","value":"bar","nonMergingList":[{"name":"a"},{"name":"c"},{"name":"b"}]}}"#,
        patch: r#"{"retainKeysMap":{"$retainKeys":["name","nonMergingList","value"],"nonMergingList":[{"name":"a"},{"name":"c"},{"name":"b"}]}}"#,
        result: "",
    },
    TwoWay {
        name: "retainKeys map deletes nested non-merging list",
        original: r#"{"retainKeysMap":{"name":"foo","nonMergingList":[{"name":"a"},{"name":"b"}]}}"#,
        modified: r#"{"retainKeysMap":{"name":"foo","value":"bar"}}"#,
        patch: r#"{"retainKeysMap":{"$retainKeys":["name","value"],"value":"bar","nonMergingList":null}}"#,
        result: "",
    },
    TwoWay {
        name: "retainKeys map adds an item in nested merging int list",
        original: r#"{"retainKeysMap":{"name":"foo","mergingIntList":[1,2]}}"#,
        modified: r#"{"retainKeysMap":{"name":"foo","mergingIntList":[1,2,4]}}"#,
        patch: r#"{"retainKeysMap":{"$setElementOrder/mergingIntList":[1,2,4],"$retainKeys":["mergingIntList","name"],"mergingIntList":[4]}}"#,
        result: "",
    },
    TwoWay {
        name: "retainKeys map deletes an item in nested merging int list",
        original: r#"{"retainKeysMap":{"name":"foo","mergingIntList":[1,2,3]}}"#,
        modified: r#"{"retainKeysMap":{"name":"foo","mergingIntList":[1,3]}}"#,
        patch: r#"{"retainKeysMap":{"$retainKeys":["mergingIntList","name"],"$deleteFromPrimitiveList/mergingIntList":[2],"$setElementOrder/mergingIntList":[1,3]}}"#,
        result: "",
    },
    TwoWay {
        name: "retainKeys map adds an item in nested merging list",
        original: r#"{"retainKeysMap":{"name":"foo","mergingList":[{"name":"a"},{"name":"b"}]}}"#,
        modified: r#"{"retainKeysMap":{"name":"foo","mergingList":[{"name":"a"},{"name":"b"},{"name":"c"}]}}"#,
        patch: r#"{"retainKeysMap":{"$retainKeys":["mergingList","name"],"$setElementOrder/mergingList":[{"name":"a"},{"name":"b"},{"name":"c"}],"mergingList":[{"name":"c"}]}}"#,
        result: "",
    },
    TwoWay {
        name: "retainKeys map deletes an item in nested merging list",
        original: r#"{"retainKeysMap":{"name":"foo","mergingList":[{"name":"a"},{"name":"b"}]}}"#,
        modified: r#"{"retainKeysMap":{"name":"foo","mergingList":[{"name":"a"}]}}"#,
        patch: r#"{"retainKeysMap":{"$retainKeys":["mergingList","name"],"$setElementOrder/mergingList":[{"name":"a"}],"mergingList":[{"name":"b","$patch":"delete"}]}}"#,
        result: "",
    },
    TwoWay {
        name: "retainKeys list of maps adds a field",
        original: r#"{"retainKeysMergingList":[{"name":"bar"},{"name":"foo"}]}"#,
        modified: r#"{"retainKeysMergingList":[{"name":"bar"},{"name":"foo","value":"a"}]}"#,
        patch: r#"{"$setElementOrder/retainKeysMergingList":[{"name":"bar"},{"name":"foo"}],"retainKeysMergingList":[{"$retainKeys":["name","value"],"name":"foo","value":"a"}]}"#,
        result: "",
    },
    TwoWay {
        name: "retainKeys list of maps deletes a field",
        original: r#"{"retainKeysMergingList":[{"name":"bar"},{"name":"foo","value":"a"}]}"#,
        modified: r#"{"retainKeysMergingList":[{"name":"bar"},{"name":"foo"}]}"#,
        patch: r#"{"$setElementOrder/retainKeysMergingList":[{"name":"bar"},{"name":"foo"}],"retainKeysMergingList":[{"$retainKeys":["name"],"name":"foo","value":null}]}"#,
        result: "",
    },
    TwoWay {
        name: "delete and reorder in one list, reorder in another",
        original: r#"{"mergingList":[{"name":"a","value":"a"},{"name":"b","value":"b"}],"mergeItemPtr":[{"name":"c","value":"c"},{"name":"d","value":"d"}]}"#,
        modified: r#"{"mergingList":[{"name":"b","value":"b"}],"mergeItemPtr":[{"name":"d","value":"d"},{"name":"c","value":"c"}]}"#,
        patch: r#"{"$setElementOrder/mergingList":[{"name":"b"}],"$setElementOrder/mergeItemPtr":[{"name":"d"},{"name":"c"}],"mergingList":[{"$patch":"delete","name":"a"}]}"#,
        result: "",
    },
    TwoWay {
        name: "replace RawExtension field and merge list",
        original: r#"{"name":"my-object","mergingList":[{"name":1}],"replacingItem":{"Some":"Generic","Yaml":"Inside","Field":"Period"}}"#,
        modified: r#"{"name":"my-object","mergingList":[{"name":1},{"name":2}],"replacingItem":{"Newly":"Modified","Yaml":"Inside"}}"#,
        patch: r#"{"$setElementOrder/mergingList":[{"name":1},{"name":2}],"mergingList":[{"name":2}],"replacingItem":{"Newly":"Modified","Yaml":"Inside"}}"#,
        result: "",
    },
    TwoWay {
        name: "nested patch merge with empty list",
        original: r#"{"name":"hi"}"#,
        modified: r#"{"name":"hi","mergingList":[{"name":"hello"},{"$patch":"delete","name":"doesntexist"}]}"#,
        patch: r#"{"mergingList":[{"name":"hello"},{"$patch":"delete","name":"doesntexist"}]}"#,
        result: r#"{"name":"hi","mergingList":[{"name":"hello"}]}"#,
    },
    TwoWay {
        name: "unknown field: no diff even if modified null",
        original: r#"{"array":[1,2,3],"complex":{"nested":true},"name":"foo","scalar":true}"#,
        modified: r#"{"array":[1,2,3],"complex":{"nested":true},"complex_nullable":{"key":null},"name":"foo","scalar":true}"#,
        patch: r#"{"complex_nullable":{"key":null}}"#,
        result: r#"{"array":[1,2,3],"complex":{"nested":true},"complex_nullable":{},"name":"foo","scalar":true}"#,
    },
    TwoWay {
        name: "unknown field: discard nulls in nested and adds not nulls",
        original: r#"{"name":"foo"}"#,
        modified: r#"{"complex_nullable":{"key":{"keynotnull":"value","keynull":null}},"name":"foo"}"#,
        patch: r#"{"complex_nullable":{"key":{"keynotnull":"value","keynull":null}}}"#,
        result: r#"{"complex_nullable":{"key":{"keynotnull":"value"}},"name":"foo"}"#,
    },
    TwoWay {
        name: "unknown field: null values in original are preserved",
        original: r#"{"complex":{"key":null},"thing":null}"#,
        modified: r#"{"complex":{"key":null},"nested":{"value":5},"thing":null}"#,
        patch: r#"{"nested":{"value":5}}"#,
        result: "",
    },
    TwoWay {
        name: "unknown field: filter nulls from nested slices",
        original: "{}",
        modified: r#"{"complex_nullable":[{"inner_one":{"key_one":"foo","key_two":null}}]}"#,
        patch: r#"{"complex_nullable":[{"inner_one":{"key_one":"foo","key_two":null}}]}"#,
        result: r#"{"complex_nullable":[{"inner_one":{"key_one":"foo"}}]}"#,
    },
    TwoWay {
        name: "unknown field: not filter nulls from non-associative slice",
        original: "{}",
        modified: r#"{"complex_nullable":["key1",null,"key2"]}"#,
        patch: r#"{"complex_nullable":["key1",null,"key2"]}"#,
        result: "",
    },
    TwoWay {
        name: "unknown field: add empty slices",
        original: r#"{"name":"foo"}"#,
        modified: r#"{"complex_nullable":[],"name":"foo"}"#,
        patch: r#"{"complex_nullable":[]}"#,
        result: "",
    },
    TwoWay {
        name: "unknown field: removed only",
        original: r#"{"name":"foo","scalar":true,"complex":{"nested":true}}"#,
        modified: r#"{"name":"foo"}"#,
        patch: r#"{"complex":null,"scalar":null}"#,
        result: "",
    },
    TwoWay {
        name: "number conversion: int64 max",
        original: r#"{"int64":9223372036854775807}"#,
        modified: r#"{"int64":9223372036854775807,"name":"newname"}"#,
        patch: r#"{"name":"newname"}"#,
        result: "",
    },
    TwoWay {
        name: "number conversion: float64 max",
        original: r#"{"float64":1.7976931348623157e+308}"#,
        modified: r#"{"float64":1.7976931348623157e+308,"name":"newname"}"#,
        patch: r#"{"name":"newname"}"#,
        result: "",
    },
];

#[test]
fn upstream_two_way_cases() {
    for case in TWO_WAY {
        let patch = diff_items(case.original, case.modified)
            .unwrap_or_else(|error| panic!("{}: creating the patch failed: {error}", case.name));
        assert_eq!(patch, parse(case.patch), "{}: created patch", case.name);
        let result = apply_to_item(case.original, case.patch)
            .unwrap_or_else(|error| panic!("{}: applying failed: {error}", case.name));
        let expected = if case.result.is_empty() {
            case.modified
        } else {
            case.result
        };
        assert_eq!(result, parse(expected), "{}: applied", case.name);
    }
}

/// An apply-only case: patches a client wrote by hand (upstream's "custom" cases) and the
/// three-way patches of upstream's table applied to its `current` object.
struct Apply {
    name: &'static str,
    original: &'static str,
    patch: &'static str,
    result: &'static str,
}

const APPLY: &[Apply] = &[
    Apply {
        name: "unique scalars when merging lists",
        original: r#"{"mergingIntList":[1,2]}"#,
        patch: r#"{"mergingIntList":[2,3]}"#,
        result: r#"{"mergingIntList":[1,2,3]}"#,
    },
    Apply {
        name: "delete map from nested map",
        original: r#"{"simpleMap":{"key1":1,"key2":1}}"#,
        patch: r#"{"simpleMap":{"$patch":"delete"}}"#,
        result: r#"{"simpleMap":{}}"#,
    },
    Apply {
        name: "delete all items from merging list",
        original: r#"{"mergingList":[{"name":1},{"name":2}]}"#,
        patch: r#"{"mergingList":[{"$patch":"replace"}]}"#,
        result: r#"{"mergingList":[]}"#,
    },
    Apply {
        name: "merge empty merging lists",
        original: r#"{"mergingList":[]}"#,
        patch: r#"{"mergingList":[]}"#,
        result: r#"{"mergingList":[]}"#,
    },
    Apply {
        name: "delete all keys from map",
        original: r#"{"name":1,"value":1}"#,
        patch: r#"{"$patch":"replace"}"#,
        result: "{}",
    },
    Apply {
        name: "add key and delete all keys from map",
        original: r#"{"name":1,"value":1}"#,
        patch: r#"{"other":"a","$patch":"replace"}"#,
        result: r#"{"other":"a"}"#,
    },
    Apply {
        name: "delete all duplicate entries in a merging list",
        original: r#"{"mergingList":[{"name":1},{"name":1},{"name":2,"value":"a"},{"name":3},{"name":3}]}"#,
        patch: r#"{"mergingList":[{"name":1,"$patch":"delete"},{"name":3,"$patch":"delete"}]}"#,
        result: r#"{"mergingList":[{"name":2,"value":"a"}]}"#,
    },
    Apply {
        name: "retainKeys map can add a field when no retainKeys directive present",
        original: r#"{"retainKeysMap":{"name":"foo"}}"#,
        patch: r#"{"retainKeysMap":{"value":"bar"}}"#,
        result: r#"{"retainKeysMap":{"name":"foo","value":"bar"}}"#,
    },
    Apply {
        name: "retainKeys map merge an empty map",
        original: r#"{"retainKeysMap":{"name":"foo","value":"a"}}"#,
        patch: r#"{"retainKeysMap":{}}"#,
        result: r#"{"retainKeysMap":{"name":"foo","value":"a"}}"#,
    },
    Apply {
        name: "retainKeys list can delete a field when no retainKeys directive present",
        original: r#"{"retainKeysMergingList":[{"name":"bar"},{"name":"foo","value":"a"}]}"#,
        patch: r#"{"retainKeysMergingList":[{"name":"foo","value":null}]}"#,
        result: r#"{"retainKeysMergingList":[{"name":"bar"},{"name":"foo"}]}"#,
    },
    Apply {
        name: "preserve the order from the patch in a merging list",
        original: r#"{"mergingList":[{"name":1},{"name":2,"value":"b"},{"name":3}]}"#,
        patch: r#"{"mergingList":[{"name":3,"value":"c"},{"name":1,"value":"a"},{"name":2,"other":"x"}]}"#,
        result: r#"{"mergingList":[{"name":3,"value":"c"},{"name":1,"value":"a"},{"name":2,"value":"b","other":"x"}]}"#,
    },
    Apply {
        name: "preserve the order from the patch in a merging list 2",
        original: r#"{"mergingList":[{"name":1},{"name":2,"value":"b"},{"name":3}]}"#,
        patch: r#"{"mergingList":[{"name":3,"value":"c"},{"name":1,"value":"a"}]}"#,
        result: r#"{"mergingList":[{"name":2,"value":"b"},{"name":3,"value":"c"},{"name":1,"value":"a"}]}"#,
    },
    Apply {
        name: "preserve the order from the patch in a merging int list",
        original: r#"{"mergingIntList":[1,2,3]}"#,
        patch: r#"{"mergingIntList":[3,1,2]}"#,
        result: r#"{"mergingIntList":[3,1,2]}"#,
    },
    Apply {
        name: "preserve the order from the patch in a merging int list 2",
        original: r#"{"mergingIntList":[1,2,3]}"#,
        patch: r#"{"mergingIntList":[3,1]}"#,
        result: r#"{"mergingIntList":[2,3,1]}"#,
    },
    Apply {
        name: "$setElementOrder contains item that is not present in the list to be merged",
        original: r#"{"mergingList":[{"name":1},{"name":3}]}"#,
        patch: r#"{"$setElementOrder/mergingList":[{"name":3},{"name":2},{"name":1}],"mergingList":[{"name":3,"value":3},{"name":1,"value":1}]}"#,
        result: r#"{"mergingList":[{"name":3,"value":3},{"name":1,"value":1}]}"#,
    },
    Apply {
        name: "$setElementOrder contains item that is not present in the int list to be merged",
        original: r#"{"mergingIntList":[1,3]}"#,
        patch: r#"{"$setElementOrder/mergingIntList":[3,2,1]}"#,
        result: r#"{"mergingIntList":[3,1]}"#,
    },
    Apply {
        name: "$deleteFromPrimitiveList of nonexistent item should not add the item",
        original: r#"{"mergingIntList":[1,2]}"#,
        patch: r#"{"$deleteFromPrimitiveList/mergingIntList":[3]}"#,
        result: r#"{"mergingIntList":[1,2]}"#,
    },
    Apply {
        name: "$deleteFromPrimitiveList on empty primitive list should not add the item",
        original: r#"{"mergingIntList":null}"#,
        patch: r#"{"$deleteFromPrimitiveList/mergingIntList":[3]}"#,
        result: r#"{"mergingIntList":null}"#,
    },
    Apply {
        name: "$deleteFromPrimitiveList on nonexistent primitive list should not add the list",
        original: r#"{"foo":["bar"]}"#,
        patch: r#"{"$deleteFromPrimitiveList/mergingIntList":[3]}"#,
        result: r#"{"foo":["bar"]}"#,
    },
    Apply {
        name: "$deleteFromPrimitiveList should delete item from a list with merge patch strategy",
        original: r#"{"mergingIntList":[1,2,3]}"#,
        patch: r#"{"$deleteFromPrimitiveList/mergingIntList":[2]}"#,
        result: r#"{"mergingIntList":[1,3]}"#,
    },
    Apply {
        name: "$deleteFromPrimitiveList should delete item from a list without merge patch strategy",
        original: r#"{"nonMergingIntList":[1,2,3]}"#,
        patch: r#"{"$deleteFromPrimitiveList/nonMergingIntList":[2]}"#,
        result: r#"{"nonMergingIntList":[1,3]}"#,
    },
    Apply {
        name: "three-way: delete items in lists of scalars",
        original: r#"{"mergingIntList":[1,2,3,4]}"#,
        patch: r#"{"$setElementOrder/mergingIntList":[1,2],"$deleteFromPrimitiveList/mergingIntList":[3]}"#,
        result: r#"{"mergingIntList":[1,2,4]}"#,
    },
    Apply {
        name: "three-way: delete all duplicate items in lists of scalars",
        original: r#"{"mergingIntList":[1,2,3,3,4]}"#,
        patch: r#"{"$setElementOrder/mergingIntList":[1,2],"$deleteFromPrimitiveList/mergingIntList":[3]}"#,
        result: r#"{"mergingIntList":[1,2,4]}"#,
    },
    Apply {
        name: "three-way: merge lists of maps",
        original: r#"{"mergingList":[{"name":1,"other":"a"},{"name":2,"value":2,"other":"b"}]}"#,
        patch: r#"{"$setElementOrder/mergingList":[{"name":4},{"name":1},{"name":2},{"name":3}],"mergingList":[{"name":4,"value":4},{"name":3,"value":3}]}"#,
        result: r#"{"mergingList":[{"name":4,"value":4},{"name":1,"other":"a"},{"name":2,"value":2,"other":"b"},{"name":3,"value":3}]}"#,
    },
    Apply {
        name: "three-way: add field to map in merging list with conflict",
        original: r#"{"mergingList":[{"name":1,"other":"a"},{"name":3,"value":2,"other":"b"}]}"#,
        patch: r#"{"$setElementOrder/mergingList":[{"name":1},{"name":2}],"mergingList":[{"name":1,"value":1},{"name":2,"value":2}]}"#,
        result: r#"{"mergingList":[{"name":1,"value":1,"other":"a"},{"name":2,"value":2},{"name":3,"value":2,"other":"b"}]}"#,
    },
    Apply {
        name: "three-way: delete missing map from merging list with conflict",
        original: r#"{"mergingList":[{"name":3,"other":"a"}]}"#,
        patch: r#"{"$setElementOrder/mergingList":[{"name":2}],"mergingList":[{"name":2},{"name":1,"$patch":"delete"}]}"#,
        result: r#"{"mergingList":[{"name":2},{"name":3,"other":"a"}]}"#,
    },
    Apply {
        name: "three-way: add map and delete map from merging list",
        original: r#"{"mergingList":[{"name":1},{"name":2,"other":"b"},{"name":4,"other":"c"}]}"#,
        patch: r#"{"$setElementOrder/mergingList":[{"name":2},{"name":3}],"mergingList":[{"name":3},{"name":1,"$patch":"delete"}]}"#,
        result: r#"{"mergingList":[{"name":2,"other":"b"},{"name":4,"other":"c"},{"name":3}]}"#,
    },
    Apply {
        name: "three-way: add map and delete map from merging list with conflict",
        original: r#"{"mergingList":[{"name":1,"other":"a"},{"name":4,"other":"c"}]}"#,
        patch: r#"{"$setElementOrder/mergingList":[{"name":2},{"name":3}],"mergingList":[{"name":2},{"name":3},{"name":1,"$patch":"delete"}]}"#,
        result: r#"{"mergingList":[{"name":4,"other":"c"},{"name":2},{"name":3}]}"#,
    },
    Apply {
        name: "three-way: add field to map in merging list nested in merging list with deletion conflict",
        original: r#"{"mergingList":[{"name":1,"other":"a","mergingList":[{"name":2,"value":2,"other":"d"}]},{"name":2,"other":"b"}]}"#,
        patch: r#"{"$setElementOrder/mergingList":[{"name":1},{"name":2}],"mergingList":[{"$setElementOrder/mergingList":[{"name":2},{"name":1}],"name":1,"mergingList":[{"name":1,"value":1}]}]}"#,
        result: r#"{"mergingList":[{"name":1,"other":"a","mergingList":[{"name":2,"value":2,"other":"d"},{"name":1,"value":1}]},{"name":2,"other":"b"}]}"#,
    },
    Apply {
        name: "three-way: set elements order in a list with server-only items",
        original: r#"{"mergingList":[{"name":1,"other":"a"},{"name":3,"value":3},{"name":4,"value":4},{"name":2,"value":2},{"name":9}]}"#,
        patch: r#"{"$setElementOrder/mergingList":[{"name":4},{"name":2},{"name":3},{"name":1}]}"#,
        result: r#"{"mergingList":[{"name":4,"value":4},{"name":2,"value":2},{"name":3,"value":3},{"name":1,"other":"a"},{"name":9}]}"#,
    },
    Apply {
        name: "three-way: set elements order in a list with server-only items 2",
        original: r#"{"mergingList":[{"name":1,"other":"a"},{"name":2,"value":2},{"name":9},{"name":3,"value":3},{"name":4,"value":4}]}"#,
        patch: r#"{"$setElementOrder/mergingList":[{"name":2},{"name":1},{"name":4},{"name":3}]}"#,
        result: r#"{"mergingList":[{"name":2,"value":2},{"name":1,"other":"a"},{"name":9},{"name":4,"value":4},{"name":3,"value":3}]}"#,
    },
    Apply {
        name: "three-way: set elements order in a int list with server-only items 3",
        original: r#"{"mergingIntList":[1,2,7,9,8,3,4]}"#,
        patch: r#"{"$setElementOrder/mergingIntList":[2,1,4,3]}"#,
        result: r#"{"mergingIntList":[2,1,7,9,8,4,3]}"#,
    },
    Apply {
        name: "three-way: add an item in a list of primitives and preserve order",
        original: r#"{"mergingIntList":[1,4,2]}"#,
        patch: r#"{"$setElementOrder/mergingIntList":[3,1,2],"mergingIntList":[3]}"#,
        result: r#"{"mergingIntList":[3,1,4,2]}"#,
    },
    Apply {
        name: "three-way: retainKeys map should clear defaulted field with conflict (discriminated union)",
        original: r#"{"retainKeysMap":{"name":"type1","value":"foo"}}"#,
        patch: r#"{"retainKeysMap":{"$retainKeys":["name","other"],"name":"type2","other":"bar"}}"#,
        result: r#"{"retainKeysMap":{"name":"type2","other":"bar"}}"#,
    },
    Apply {
        name: "three-way: retainKeys map adds an item in nested merging int list",
        original: r#"{"retainKeysMap":{"name":"foo","mergingIntList":[1,2,3]}}"#,
        patch: r#"{"retainKeysMap":{"$setElementOrder/mergingIntList":[1,2,4],"$retainKeys":["mergingIntList","name"],"mergingIntList":[4]}}"#,
        result: r#"{"retainKeysMap":{"name":"foo","mergingIntList":[1,2,4,3]}}"#,
    },
    Apply {
        name: "three-way: retainKeys map adds an item in nested merging list",
        original: r#"{"retainKeysMap":{"name":"foo","mergingList":[{"name":"a"},{"name":"b"},{"name":"x"}]}}"#,
        patch: r#"{"retainKeysMap":{"$retainKeys":["mergingList","name"],"$setElementOrder/mergingList":[{"name":"a"},{"name":"b"},{"name":"c"}],"mergingList":[{"name":"c"}]}}"#,
        result: r#"{"retainKeysMap":{"name":"foo","mergingList":[{"name":"a"},{"name":"b"},{"name":"c"},{"name":"x"}]}}"#,
    },
    Apply {
        name: "three-way: retainKeys map deletes an item in nested merging list",
        original: r#"{"retainKeysMap":{"name":"foo","mergingList":[{"name":"a"},{"name":"b"},{"name":"x"}]}}"#,
        patch: r#"{"retainKeysMap":{"$retainKeys":["mergingList","name"],"$setElementOrder/mergingList":[{"name":"a"}],"mergingList":[{"name":"b","$patch":"delete"}]}}"#,
        result: r#"{"retainKeysMap":{"name":"foo","mergingList":[{"name":"a"},{"name":"x"}]}}"#,
    },
    Apply {
        name: "three-way: retainKeys list of maps clears a field",
        original: r#"{"retainKeysMergingList":[{"name":"bar"},{"name":"foo","value":"a","other":"x"}]}"#,
        patch: r#"{"$setElementOrder/retainKeysMergingList":[{"name":"bar"},{"name":"foo"}],"retainKeysMergingList":[{"$retainKeys":["name","value"],"name":"foo"}]}"#,
        result: r#"{"retainKeysMergingList":[{"name":"bar"},{"name":"foo","value":"a"}]}"#,
    },
    Apply {
        name: "three-way: replace RawExtension field and merge list",
        original: r#"{"name":"my-object","mergingList":[{"name":1},{"name":3}],"replacingItem":{"Some":"Generic"}}"#,
        patch: r#"{"$setElementOrder/mergingList":[{"name":1},{"name":2}],"mergingList":[{"name":2}],"replacingItem":{"Newly":"Modified"}}"#,
        result: r#"{"name":"my-object","mergingList":[{"name":1},{"name":2},{"name":3}],"replacingItem":{"Newly":"Modified"}}"#,
    },
    Apply {
        name: "unknown field: discard if modified all nulls",
        original: "{}",
        patch: r#"{"complex":{"nested":null}}"#,
        result: r#"{"complex":{}}"#,
    },
    Apply {
        name: "unknown field: filter if slice is all empty",
        original: "{}",
        patch: r#"{"complex_nullable":[{"inner_one":{"key_one":null,"key_two":null}}]}"#,
        result: r#"{"complex_nullable":[{"inner_one":{}}]}"#,
    },
];

#[test]
fn upstream_apply_cases() {
    for case in APPLY {
        let result = apply_to_item(case.original, case.patch)
            .unwrap_or_else(|error| panic!("{}: applying failed: {error}", case.name));
        assert_eq!(result, parse(case.result), "{}", case.name);
    }
}

#[test]
fn upstream_error_cases() {
    let cases: &[(&str, &str, &str, &str)] = &[
        (
            "should check if order in $setElementOrder and patch list match",
            r#"{"mergingList":[{"name":1},{"name":3},{"name":2}]}"#,
            r#"{"$setElementOrder/mergingList":[{"name":1},{"name":2},{"name":3}],"mergingList":[{"name":3,"value":3},{"name":1,"value":1}]}"#,
            "doesn't match",
        ),
        (
            "should check if order in $setElementOrder and int patch list match",
            r#"{"mergingIntList":[1,3,2]}"#,
            r#"{"$setElementOrder/mergingIntList":[1,2,3],"mergingIntList":[3,1]}"#,
            "doesn't match",
        ),
        (
            "missing merge key should error out",
            r#"{"mergingList":[{"name":1,"value":"a"}]}"#,
            r#"{"mergingList":[{"value":"b"}]}"#,
            "does not contain declared merge key",
        ),
    ];
    for (name, original, patch, message) in cases {
        let error = apply_to_item(original, patch).expect_err(name);
        assert!(
            matches!(error, PatchError::MergeFailed { .. }),
            "{name}: {error:?}"
        );
        assert!(error.to_string().contains(message), "{name}: {error}");
        assert_eq!(error.http_status(), 500, "{name}");
    }
}

// ----- The built-in kinds, patched as kubectl and controllers do -----

fn pod() -> ObjectKind {
    ObjectKind::new("v1", "Pod")
}

fn deployment_kind() -> ObjectKind {
    ObjectKind::new("apps/v1", "Deployment")
}

fn strategic(kind: &ObjectKind, original: &Value, patch: Value) -> Value {
    let body = serde_json::to_vec(&patch).expect("serializable patch");
    apply_patch(kind, original, PatchType::StrategicMerge, &body)
        .unwrap_or_else(|error| panic!("patch {patch} failed: {error}"))
}

fn pod_spec() -> Value {
    json!({
        "containers": [
            {
                "name": "web",
                "image": "nginx:1.25",
                "args": ["--port=8080", "--verbose"],
                "ports": [{"containerPort": 8080, "protocol": "TCP"}],
                "env": [{"name": "MODE", "value": "prod"}, {"name": "LOG", "value": "info"}],
                "volumeMounts": [{"name": "data", "mountPath": "/data"}],
                "resources": {"limits": {"cpu": "500m", "memory": "256Mi"}}
            },
            {"name": "sidecar", "image": "envoy:1.30"}
        ],
        "volumes": [{"name": "data", "emptyDir": {}}],
        "tolerations": [{"key": "dedicated", "operator": "Equal", "value": "web", "effect": "NoSchedule"}],
        "nodeSelector": {"disk": "ssd"}
    })
}

fn deployment() -> Value {
    json!({
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web", "namespace": "default", "labels": {"app": "web"}, "finalizers": ["example.com/guard"]},
        "spec": {
            "replicas": 3,
            "selector": {"matchLabels": {"app": "web"}},
            "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}},
            "template": {"metadata": {"labels": {"app": "web"}}, "spec": pod_spec()}
        },
        "status": {"conditions": [
            {"type": "Available", "status": "True", "reason": "MinimumReplicasAvailable"},
            {"type": "Progressing", "status": "True", "reason": "NewReplicaSetAvailable"}
        ]}
    })
}

fn containers_of(object: &Value, pointer: &str) -> Vec<Value> {
    object
        .pointer(pointer)
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
}

#[test]
fn kubectl_set_image_keeps_the_other_containers_and_fields() {
    let original = deployment();
    let patched = strategic(
        &deployment_kind(),
        &original,
        json!({"spec":{"template":{"spec":{"containers":[{"name":"web","image":"nginx:1.27"}]}}}}),
    );
    let mut expected = original.clone();
    expected["spec"]["template"]["spec"]["containers"][0]["image"] = json!("nginx:1.27");
    assert_eq!(patched, expected);
}

#[test]
fn cordon_sets_unschedulable_on_a_node() {
    let node = json!({"apiVersion":"v1","kind":"Node","metadata":{"name":"n1"},"spec":{"podCIDR":"10.0.0.0/24"}});
    let patched = strategic(
        &ObjectKind::new("v1", "Node"),
        &node,
        json!({"spec":{"unschedulable":true}}),
    );
    assert_eq!(
        patched["spec"],
        json!({"podCIDR":"10.0.0.0/24","unschedulable":true})
    );
}

#[test]
fn null_finalizers_removes_them() {
    let patched = strategic(
        &deployment_kind(),
        &deployment(),
        json!({"metadata":{"finalizers":null}}),
    );
    assert!(patched["metadata"].get("finalizers").is_none());
    assert_eq!(patched["metadata"]["labels"], json!({"app":"web"}));
}

#[test]
fn finalizers_merge_and_new_ones_go_first() {
    // ObjectMeta.finalizers has patchStrategy merge: the patch adds, it does not replace. Items
    // the patch brings without $setElementOrder go before the ones only the server had.
    let patched = strategic(
        &deployment_kind(),
        &deployment(),
        json!({"metadata":{"finalizers":["example.com/other"]}}),
    );
    assert_eq!(
        patched["metadata"]["finalizers"],
        json!(["example.com/other", "example.com/guard"])
    );
    let removed = strategic(
        &deployment_kind(),
        &patched,
        json!({"metadata":{"$deleteFromPrimitiveList/finalizers":["example.com/guard"]}}),
    );
    assert_eq!(
        removed["metadata"]["finalizers"],
        json!(["example.com/other"])
    );
}

#[test]
fn delete_directive_removes_one_container() {
    let patched = strategic(
        &deployment_kind(),
        &deployment(),
        json!({"spec":{"template":{"spec":{"containers":[{"name":"sidecar","$patch":"delete"}]}}}}),
    );
    let containers = containers_of(&patched, "/spec/template/spec/containers");
    assert_eq!(containers.len(), 1);
    assert_eq!(containers[0]["name"], "web");
    assert_eq!(containers[0]["env"].as_array().map(Vec::len), Some(2));
}

#[test]
fn args_are_replaced_not_merged() {
    let patched = strategic(
        &deployment_kind(),
        &deployment(),
        json!({"spec":{"template":{"spec":{"containers":[{"name":"web","args":["--port=9090"]}]}}}}),
    );
    assert_eq!(
        patched["spec"]["template"]["spec"]["containers"][0]["args"],
        json!(["--port=9090"])
    );
}

#[test]
fn env_ports_and_mounts_merge_by_their_keys() {
    let patched = strategic(
        &deployment_kind(),
        &deployment(),
        json!({"spec":{"template":{"spec":{"containers":[{
            "name": "web",
            "env": [{"name": "LOG", "value": "debug"}, {"name": "NEW", "value": "1"}],
            "ports": [{"containerPort": 9090, "name": "metrics"}],
            "volumeMounts": [{"name": "data", "mountPath": "/data", "readOnly": true}]
        }]}}}}),
    );
    let web = &patched["spec"]["template"]["spec"]["containers"][0];
    // MODE, which only the server had, stays ahead of LOG as in the original; NEW, which the
    // original lacked, follows the patch's order.
    assert_eq!(
        web["env"],
        json!([{"name":"MODE","value":"prod"},{"name":"LOG","value":"debug"},{"name":"NEW","value":"1"}])
    );
    assert_eq!(
        web["ports"],
        json!([{"containerPort":9090,"name":"metrics"},{"containerPort":8080,"protocol":"TCP"}])
    );
    assert_eq!(
        web["volumeMounts"],
        json!([{"name":"data","mountPath":"/data","readOnly":true}])
    );
}

#[test]
fn set_element_order_reorders_containers() {
    let patched = strategic(
        &deployment_kind(),
        &deployment(),
        json!({"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"sidecar"},{"name":"web"}]}}}}),
    );
    let names: Vec<Value> = containers_of(&patched, "/spec/template/spec/containers")
        .iter()
        .map(|c| c["name"].clone())
        .collect();
    assert_eq!(names, vec![json!("sidecar"), json!("web")]);
}

#[test]
fn replace_directive_replaces_a_list() {
    let patched = strategic(
        &deployment_kind(),
        &deployment(),
        json!({"spec":{"template":{"spec":{"containers":[{"name":"only","image":"busybox"},{"$patch":"replace"}]}}}}),
    );
    assert_eq!(
        patched["spec"]["template"]["spec"]["containers"],
        json!([{"name":"only","image":"busybox"}])
    );
}

#[test]
fn replace_directive_on_a_map_and_delete_directive_on_a_map() {
    let replaced = strategic(
        &deployment_kind(),
        &deployment(),
        json!({"spec":{"template":{"spec":{"nodeSelector":{"$patch":"replace","zone":"a"}}}}}),
    );
    assert_eq!(
        replaced["spec"]["template"]["spec"]["nodeSelector"],
        json!({"zone":"a"})
    );
    let deleted = strategic(
        &deployment_kind(),
        &deployment(),
        json!({"spec":{"template":{"spec":{"nodeSelector":{"$patch":"delete"}}}}}),
    );
    // Upstream leaves an empty map rather than removing the key.
    assert_eq!(
        deleted["spec"]["template"]["spec"]["nodeSelector"],
        json!({})
    );
    // On a key the object lacks, a directive map adds nothing.
    let absent = strategic(
        &deployment_kind(),
        &deployment(),
        json!({"spec":{"paused":{"$patch":"delete"}}}),
    );
    assert!(absent["spec"].get("paused").is_none());
}

#[test]
fn tolerations_and_taints_are_replaced_whole() {
    let patched = strategic(
        &deployment_kind(),
        &deployment(),
        json!({"spec":{"template":{"spec":{"tolerations":[{"key":"gpu","operator":"Exists"}]}}}}),
    );
    assert_eq!(
        patched["spec"]["template"]["spec"]["tolerations"],
        json!([{"key":"gpu","operator":"Exists"}])
    );

    let node = json!({"metadata":{"name":"n1"},"spec":{"taints":[{"key":"a","effect":"NoSchedule"}],"podCIDRs":["10.0.0.0/24"]}});
    let patched = strategic(
        &ObjectKind::new("v1", "Node"),
        &node,
        json!({"spec":{"taints":[{"key":"b","effect":"NoExecute"}],"podCIDRs":["fd00::/64"]}}),
    );
    assert_eq!(
        patched["spec"]["taints"],
        json!([{"key":"b","effect":"NoExecute"}])
    );
    // podCIDRs has patchStrategy merge.
    assert_eq!(
        patched["spec"]["podCIDRs"],
        json!(["fd00::/64", "10.0.0.0/24"])
    );
}

#[test]
fn status_conditions_merge_by_type() {
    let node = json!({"metadata":{"name":"n1"},"status":{
        "conditions":[{"type":"Ready","status":"True"},{"type":"DiskPressure","status":"False"}],
        "addresses":[{"type":"InternalIP","address":"10.0.0.1"},{"type":"Hostname","address":"n1"}]
    }});
    let patched = strategic(
        &ObjectKind::new("v1", "Node"),
        &node,
        json!({"status":{"conditions":[{"type":"Ready","status":"False","reason":"KubeletNotReady"}]}}),
    );
    assert_eq!(
        patched["status"]["conditions"],
        json!([{"type":"Ready","status":"False","reason":"KubeletNotReady"},{"type":"DiskPressure","status":"False"}])
    );
    assert_eq!(patched["status"]["addresses"], node["status"]["addresses"]);

    let patched = strategic(
        &deployment_kind(),
        &deployment(),
        json!({"status":{"conditions":[{"type":"Available","status":"False"}]}}),
    );
    assert_eq!(
        patched["status"]["conditions"].as_array().map(Vec::len),
        Some(2)
    );
    assert_eq!(patched["status"]["conditions"][0]["status"], "False");
    assert_eq!(
        patched["status"]["conditions"][0]["reason"],
        "MinimumReplicasAvailable"
    );
}

#[test]
fn service_ports_merge_by_port() {
    let service = json!({"metadata":{"name":"web"},"spec":{"selector":{"app":"web"},"ports":[
        {"name":"http","port":80,"targetPort":8080},{"name":"https","port":443,"targetPort":8443}
    ]}});
    let patched = strategic(
        &ObjectKind::new("v1", "Service"),
        &service,
        json!({"spec":{"ports":[{"port":443,"targetPort":9443}]}}),
    );
    assert_eq!(
        patched["spec"]["ports"],
        json!([{"name":"http","port":80,"targetPort":8080},{"name":"https","port":443,"targetPort":9443}])
    );
    let patched = strategic(
        &ObjectKind::new("v1", "Service"),
        &service,
        json!({"spec":{"ports":[{"name":"grpc","port":9000}]}}),
    );
    assert_eq!(
        patched["spec"]["ports"][0],
        json!({"name":"grpc","port":9000})
    );
    assert_eq!(patched["spec"]["ports"].as_array().map(Vec::len), Some(3));
}

#[test]
fn workload_pod_templates_merge_like_pod_specs() {
    let template = json!({"metadata":{"labels":{"app":"x"}},"spec":pod_spec()});
    let cases = [
        (
            "apps/v1",
            "StatefulSet",
            json!({"spec":{"template":template.clone()}}),
            "/spec/template/spec/containers",
        ),
        (
            "apps/v1",
            "DaemonSet",
            json!({"spec":{"template":template.clone()}}),
            "/spec/template/spec/containers",
        ),
        (
            "apps/v1",
            "ReplicaSet",
            json!({"spec":{"template":template.clone()}}),
            "/spec/template/spec/containers",
        ),
        (
            "batch/v1",
            "Job",
            json!({"spec":{"template":template.clone()}}),
            "/spec/template/spec/containers",
        ),
        (
            "v1",
            "ReplicationController",
            json!({"spec":{"template":template.clone()}}),
            "/spec/template/spec/containers",
        ),
        (
            "v1",
            "PodTemplate",
            json!({"template":template.clone()}),
            "/template/spec/containers",
        ),
        (
            "batch/v1",
            "CronJob",
            json!({"spec":{"schedule":"*/5 * * * *","jobTemplate":{"spec":{"template":template.clone()}}}}),
            "/spec/jobTemplate/spec/template/spec/containers",
        ),
    ];
    for (api_version, kind, original, pointer) in cases {
        // Build a patch that sets web's image at the same place as the containers.
        let mut patch = json!({});
        let mut cursor = &mut patch;
        let segments: Vec<&str> = pointer.trim_start_matches('/').split('/').collect();
        for segment in &segments[..segments.len() - 1] {
            cursor = cursor
                .as_object_mut()
                .map(|map| map.entry(*segment).or_insert(json!({})))
                .expect("object");
        }
        cursor["containers"] = json!([{"name":"web","image":"nginx:1.27"}]);
        let patched = strategic(&ObjectKind::new(api_version, kind), &original, patch);
        let containers = containers_of(&patched, pointer);
        assert_eq!(containers.len(), 2, "{kind}");
        assert_eq!(containers[0]["image"], "nginx:1.27", "{kind}");
        assert_eq!(
            containers[0]["env"].as_array().map(Vec::len),
            Some(2),
            "{kind}"
        );
    }
}

#[test]
fn deployment_strategy_uses_retain_keys() {
    let patched = strategic(
        &deployment_kind(),
        &deployment(),
        json!({"spec":{"strategy":{"$retainKeys":["type"],"type":"Recreate"}}}),
    );
    assert_eq!(patched["spec"]["strategy"], json!({"type":"Recreate"}));
    // Without the directive the old keys stay (and validation would reject the object).
    let patched = strategic(
        &deployment_kind(),
        &deployment(),
        json!({"spec":{"strategy":{"type":"Recreate"}}}),
    );
    assert_eq!(
        patched["spec"]["strategy"]["rollingUpdate"]["maxSurge"],
        "25%"
    );
}

#[test]
fn volumes_use_retain_keys() {
    let patched = strategic(
        &pod(),
        &json!({"metadata":{"name":"p"},"spec":pod_spec()}),
        json!({"spec":{"volumes":[{"name":"data","$retainKeys":["configMap","name"],"configMap":{"name":"cfg"}}]}}),
    );
    assert_eq!(
        patched["spec"]["volumes"],
        json!([{"name":"data","configMap":{"name":"cfg"}}])
    );
}

#[test]
fn pod_disruption_budget_selector_is_replaced() {
    let pdb = json!({"metadata":{"name":"p"},"spec":{"minAvailable":1,"selector":{"matchLabels":{"app":"web","tier":"front"}}}});
    let patched = strategic(
        &ObjectKind::new("policy/v1", "PodDisruptionBudget"),
        &pdb,
        json!({"spec":{"selector":{"matchLabels":{"app":"api"}}}}),
    );
    assert_eq!(
        patched["spec"],
        json!({"minAvailable":1,"selector":{"matchLabels":{"app":"api"}}})
    );
}

#[test]
fn owner_references_merge_by_uid_and_secrets_by_name() {
    let original = json!({"metadata":{"name":"sa","ownerReferences":[{"uid":"1","kind":"A","name":"a"}]},
        "secrets":[{"name":"token"}],"imagePullSecrets":[{"name":"old"}]});
    let patched = strategic(
        &ObjectKind::new("v1", "ServiceAccount"),
        &original,
        json!({"metadata":{"ownerReferences":[{"uid":"2","kind":"B","name":"b"}]},
            "secrets":[{"name":"extra"}],"imagePullSecrets":[{"name":"new"}]}),
    );
    assert_eq!(
        patched["metadata"]["ownerReferences"],
        json!([{"uid":"2","kind":"B","name":"b"},{"uid":"1","kind":"A","name":"a"}])
    );
    assert_eq!(
        patched["secrets"],
        json!([{"name":"extra"},{"name":"token"}])
    );
    assert_eq!(patched["imagePullSecrets"], json!([{"name":"new"}]));
}

#[test]
fn plain_maps_and_unlisted_lists() {
    let config_map = json!({"metadata":{"name":"c"},"data":{"a":"1","b":"2"}});
    let patched = strategic(
        &ObjectKind::new("v1", "ConfigMap"),
        &config_map,
        json!({"data":{"a":null,"c":"3"}}),
    );
    assert_eq!(patched["data"], json!({"b":"2","c":"3"}));

    let endpoints = json!({"metadata":{"name":"e"},"subsets":[{"addresses":[{"ip":"10.0.0.1"}],"ports":[{"port":80}]}]});
    let patched = strategic(
        &ObjectKind::new("v1", "Endpoints"),
        &endpoints,
        json!({"subsets":[{"addresses":[{"ip":"10.0.0.2"}]}]}),
    );
    assert_eq!(
        patched["subsets"],
        json!([{"addresses":[{"ip":"10.0.0.2"}]}])
    );
}

#[test]
fn element_order_for_an_empty_list_keeps_it_empty() {
    let original = json!({"metadata":{"name":"p","finalizers":[]}});
    let patched = strategic(
        &pod(),
        &original,
        json!({"metadata":{"$setElementOrder/finalizers":["a"]}}),
    );
    assert_eq!(patched, original);
}

#[test]
fn empty_and_null_strategic_patches_change_nothing() {
    let original = deployment();
    assert_eq!(
        apply_patch(
            &deployment_kind(),
            &original,
            PatchType::StrategicMerge,
            b"{}"
        ),
        Ok(original.clone())
    );
    assert_eq!(
        apply_patch(
            &deployment_kind(),
            &original,
            PatchType::StrategicMerge,
            b"null"
        ),
        Ok(original.clone())
    );
}

#[test]
fn custom_resources_take_no_strategic_merge_patch() {
    let widget = ObjectKind::new("example.com/v1", "Widget");
    assert!(widget.is_custom());
    let original = json!({"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"w"},"spec":{"size":1}});
    let error = apply_patch(
        &widget,
        &original,
        PatchType::StrategicMerge,
        br#"{"spec":{"size":2}}"#,
    )
    .expect_err("415");
    assert_eq!(error, PatchError::StrategicMergeUnsupported);
    assert_eq!(error.http_status(), 415);
    assert_eq!(error.status_reason(), "UnsupportedMediaType");
    assert_eq!(
        error.to_string(),
        "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml"
    );
    let merged = apply_patch(
        &widget,
        &original,
        PatchType::Merge,
        br#"{"spec":{"size":2}}"#,
    )
    .expect("merge patch");
    assert_eq!(merged["spec"]["size"], 2);
    let patched = apply_patch(
        &widget,
        &original,
        PatchType::Json,
        br#"[{"op":"replace","path":"/spec/size","value":3}]"#,
    )
    .expect("JSON patch");
    assert_eq!(patched["spec"]["size"], 3);
    assert_eq!(
        create_strategic_merge_patch(&widget, &original, &merged),
        Err(PatchError::StrategicMergeUnsupported)
    );
}

// ----- Malformed strategic merge patches -----

fn strategic_error(patch: &str) -> PatchError {
    apply_patch(
        &deployment_kind(),
        &deployment(),
        PatchType::StrategicMerge,
        patch.as_bytes(),
    )
    .expect_err("the patch should fail")
}

#[test]
fn malformed_strategic_patches_fail_with_the_right_status() {
    let cases: &[(&str, u16, &str)] = &[
        ("{not json", 400, "invalid"),
        ("", 400, "invalid"),
        ("[1,2]", 400, "an array"),
        (r#""spec""#, 400, "a string"),
        (
            r#"{"spec":{"$patch":"bogus"}}"#,
            500,
            "unknown patch type: bogus",
        ),
        (r#"{"spec":{"$patch":5}}"#, 500, "unknown patch type: 5"),
        (
            r#"{"spec":{"template":{"spec":{"containers":[{"name":"web","$patch":"bogus"}]}}}}"#,
            500,
            "unknown patch type",
        ),
        (
            r#"{"spec":{"template":{"spec":{"containers":[{"name":"web","$patch":"merge"}]}}}}"#,
            500,
            "cannot yet",
        ),
        (
            r#"{"spec":{"template":{"spec":{"containers":[{"image":"x"}]}}}}"#,
            500,
            "merge key: name",
        ),
        (
            r#"{"spec":{"template":{"spec":{"containers":["web"]}}}}"#,
            500,
            "not identical",
        ),
        (
            r#"{"spec":{"strategy":{"$retainKeys":"type","type":"Recreate"}}}"#,
            400,
            "retainKeys",
        ),
        (
            r#"{"spec":{"strategy":{"$retainKeys":["type"],"type":"Recreate","other":1}}}"#,
            400,
            "retainKeys",
        ),
        (
            r#"{"spec":{"template":{"spec":{"$setElementOrder/containers":"web"}}}}"#,
            500,
            "expected a list",
        ),
        (
            r#"{"spec":{"template":{"spec":{"$setElementOrder":[{"name":"web"}]}}}}"#,
            400,
            "setElementOrder",
        ),
        (
            r#"{"metadata":{"$deleteFromPrimitiveList":["x"]}}"#,
            400,
            "primitive list",
        ),
        (
            r#"{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"web"}],"containers":[{"name":"sidecar"}]}}}}"#,
            500,
            "doesn't match",
        ),
        (
            r#"{"metadata":{"finalizers":[["a"]]}}"#,
            500,
            "not identical",
        ),
    ];
    for (patch, status, message) in cases {
        let error = strategic_error(patch);
        assert_eq!(error.http_status(), *status, "{patch}: {error:?}");
        assert!(error.to_string().contains(message), "{patch}: {error}");
    }
    let list_of_lists = apply_patch(
        &deployment_kind(),
        &json!({"metadata":{"finalizers":[]}}),
        PatchType::StrategicMerge,
        br#"{"metadata":{"finalizers":[["a"]]}}"#,
    );
    assert_eq!(list_of_lists, Err(PatchError::ListOfLists));
    assert_eq!(PatchError::ListOfLists.http_status(), 422);
}

// ----- JSON merge patch (RFC 7386 appendix A) -----

#[test]
fn merge_patch_rfc_examples() {
    let cases: &[(Value, &str, Value)] = &[
        (json!({"a":"b"}), r#"{"a":"c"}"#, json!({"a":"c"})),
        (json!({"a":"b"}), r#"{"b":"c"}"#, json!({"a":"b","b":"c"})),
        (json!({"a":"b"}), r#"{"a":null}"#, json!({})),
        (json!({"a":"b","b":"c"}), r#"{"a":null}"#, json!({"b":"c"})),
        (json!({"a":["b"]}), r#"{"a":"c"}"#, json!({"a":"c"})),
        (json!({"a":"c"}), r#"{"a":["b"]}"#, json!({"a":["b"]})),
        (
            json!({"a":{"b":"c"}}),
            r#"{"a":{"b":"d","c":null}}"#,
            json!({"a":{"b":"d"}}),
        ),
        (json!({"a":[{"b":"c"}]}), r#"{"a":[1]}"#, json!({"a":[1]})),
        (json!({"e":null}), r#"{"a":1}"#, json!({"e":null,"a":1})),
        (json!([1, 2]), r#"{"a":"b","c":null}"#, json!({"a":"b"})),
        (
            json!({}),
            r#"{"a":{"bb":{"ccc":null}}}"#,
            json!({"a":{"bb":{}}}),
        ),
    ];
    let kind = pod();
    for (original, patch, expected) in cases {
        let patched =
            apply_patch(&kind, original, PatchType::Merge, patch.as_bytes()).expect(patch);
        assert_eq!(&patched, expected, "{original} + {patch}");
    }
}

#[test]
fn merge_patch_replaces_lists_and_drops_nulls_inside_them() {
    let original = deployment();
    let patched = apply_patch(
        &deployment_kind(),
        &original,
        PatchType::Merge,
        br#"{"spec":{"template":{"spec":{"containers":[{"name":"web","image":"nginx:1.27","command":null}]}}}}"#,
    )
    .expect("merge patch");
    assert_eq!(
        patched["spec"]["template"]["spec"]["containers"],
        json!([{"name":"web","image":"nginx:1.27"}])
    );
    assert_eq!(patched["spec"]["replicas"], 3);
}

#[test]
fn malformed_merge_patches_are_bad_requests() {
    for body in ["{", "[1]", "\"x\"", "5", "null", ""] {
        let error =
            apply_patch(&pod(), &json!({}), PatchType::Merge, body.as_bytes()).expect_err(body);
        assert!(
            matches!(
                error,
                PatchError::InvalidBody {
                    patch_type: PatchType::Merge,
                    ..
                }
            ),
            "{body}: {error:?}"
        );
        assert_eq!(error.http_status(), 400, "{body}");
    }
}

// ----- JSON patch (RFC 6902) -----

fn json_patch_result(original: &Value, body: &str) -> Result<Value, PatchError> {
    apply_patch(&pod(), original, PatchType::Json, body.as_bytes())
}

#[test]
fn json_patch_operations() {
    let original = json!({"metadata":{"name":"p","labels":{"a":"1"},"annotations":{"example.com/owner":"x"}},
        "spec":{"containers":[{"name":"a"},{"name":"b"}]}});
    let cases: &[(&str, Value)] = &[
        (
            r#"[{"op":"add","path":"/metadata/labels/b","value":"2"}]"#,
            json!({"a":"1","b":"2"}),
        ),
        (
            r#"[{"op":"remove","path":"/metadata/labels/a"}]"#,
            json!({}),
        ),
        (
            r#"[{"op":"replace","path":"/metadata/labels/a","value":"9"}]"#,
            json!({"a":"9"}),
        ),
        (
            r#"[{"op":"move","from":"/metadata/labels/a","path":"/metadata/labels/z"}]"#,
            json!({"z":"1"}),
        ),
        (
            r#"[{"op":"copy","from":"/metadata/labels/a","path":"/metadata/labels/c"}]"#,
            json!({"a":"1","c":"1"}),
        ),
        (
            r#"[{"op":"test","path":"/metadata/labels/a","value":"1"},{"op":"add","path":"/metadata/labels/t","value":"y"}]"#,
            json!({"a":"1","t":"y"}),
        ),
        // evanphx/json-patch takes a missing value as null.
        (
            r#"[{"op":"add","path":"/metadata/labels/n"}]"#,
            json!({"a":"1","n":null}),
        ),
    ];
    for (body, labels) in cases {
        let patched =
            json_patch_result(&original, body).unwrap_or_else(|error| panic!("{body}: {error}"));
        assert_eq!(&patched["metadata"]["labels"], labels, "{body}");
    }
    let patched = json_patch_result(
        &original,
        r#"[{"op":"add","path":"/spec/containers/1","value":{"name":"mid"}},{"op":"add","path":"/spec/containers/-","value":{"name":"end"}},{"op":"remove","path":"/spec/containers/0"}]"#,
    )
    .expect("list operations");
    assert_eq!(
        patched["spec"]["containers"],
        json!([{"name":"mid"},{"name":"b"},{"name":"end"}])
    );
    let patched = json_patch_result(
        &original,
        r#"[{"op":"remove","path":"/metadata/annotations/example.com~1owner"}]"#,
    )
    .expect("escaped pointer");
    assert_eq!(patched["metadata"]["annotations"], json!({}));
    assert_eq!(json_patch_result(&original, "[]"), Ok(original.clone()));
    assert_eq!(json_patch_result(&original, "null"), Ok(original.clone()));
}

#[test]
fn failing_json_patch_operations_are_invalid() {
    let original = json!({"metadata":{"name":"p","labels":{"a":"1"}}});
    for body in [
        r#"[{"op":"test","path":"/metadata/labels/a","value":"2"}]"#,
        r#"[{"op":"remove","path":"/metadata/labels/missing"}]"#,
        r#"[{"op":"replace","path":"/spec/replicas","value":1}]"#,
        r#"[{"op":"add","path":"/spec/nested/deeper","value":1}]"#,
        r#"[{"op":"frobnicate","path":"/metadata"}]"#,
        r#"[{"path":"/metadata"}]"#,
        r#"[{"op":"add","value":1}]"#,
        r#"[null]"#,
    ] {
        let error = json_patch_result(&original, body).expect_err(body);
        assert!(
            matches!(error, PatchError::OperationFailed { .. }),
            "{body}: {error:?}"
        );
        assert_eq!(error.http_status(), 422, "{body}");
        assert_eq!(error.status_reason(), "Invalid");
        assert_eq!(
            error.status_message(),
            "the server rejected our request due to an error in our request"
        );
    }
    let error = json_patch_result(&original, r#"[{"op":"replace","path":"","value":[1]}]"#)
        .expect_err("root");
    assert_eq!(error, PatchError::NotAnObject);
    assert_eq!(error.http_status(), 422);
}

#[test]
fn malformed_json_patches_are_bad_requests() {
    let original = json!({"metadata":{"name":"p"}});
    for body in [
        "",
        "[",
        r#"{"op":"add"}"#,
        "5",
        "[1]",
        r#"[{"op":1,"path":"/a"}]"#,
        r#"[{"op":"add","path":["a"]}]"#,
    ] {
        let error = json_patch_result(&original, body).expect_err(body);
        assert!(
            matches!(
                error,
                PatchError::InvalidBody {
                    patch_type: PatchType::Json,
                    ..
                }
            ),
            "{body}: {error:?}"
        );
        assert_eq!(error.http_status(), 400, "{body}");
    }
    let too_many = serde_json::to_vec(&vec![
        json!({"op":"test","path":"/metadata/name","value":"p"});
        10_001
    ])
    .expect("serializable");
    let error = apply_patch(&pod(), &original, PatchType::Json, &too_many).expect_err("too many");
    assert_eq!(error, PatchError::TooManyOperations { count: 10_001 });
    assert_eq!(error.http_status(), 413);
}

// ----- Round trips: create a patch from an edit, apply it, get the edit back -----

fn round_trip(kind: &ObjectKind, before: &Value, after: &Value) {
    let (patch_type, patch) =
        create_patch(kind, before, after).unwrap_or_else(|error| panic!("{error}"));
    let body = serde_json::to_vec(&patch).expect("serializable patch");
    let applied = apply_patch(kind, before, patch_type, &body)
        .unwrap_or_else(|error| panic!("{patch}: {error}"));
    assert_eq!(&applied, after, "{} patch {patch}", kind.kind());
}

fn edited(mut value: Value, edit: impl FnOnce(&mut Value)) -> Value {
    edit(&mut value);
    value
}

#[test]
fn round_trips_over_realistic_edits() {
    let deploy = deployment();
    let containers = "/spec/template/spec/containers";
    assert!(deploy.pointer(containers).is_some());
    let edits: Vec<(ObjectKind, Value, Value)> = vec![
        (
            deployment_kind(),
            deploy.clone(),
            edited(deploy.clone(), |d| {
                let spec = &mut d["spec"]["template"]["spec"];
                spec["containers"][0]["resources"] =
                    json!({"requests":{"cpu":"100m"},"limits":{"memory":"512Mi"}});
                spec["containers"][0]["volumeMounts"] = json!([{"name":"data","mountPath":"/data"},{"name":"cache","mountPath":"/cache"}]);
                spec["volumes"] =
                    json!([{"name":"cache","emptyDir":{}},{"name":"data","emptyDir":{}}]);
            }),
        ),
        (
            deployment_kind(),
            deploy.clone(),
            edited(deploy.clone(), |d| {
                d["spec"]["template"]["spec"]["containers"][0]["image"] = json!("nginx:1.27");
                d["spec"]["replicas"] = json!(5);
            }),
        ),
        (
            deployment_kind(),
            deploy.clone(),
            edited(deploy.clone(), |d| {
                let list = d
                    .pointer_mut(containers)
                    .and_then(Value::as_array_mut)
                    .expect("containers");
                list.push(json!({"name":"logger","image":"fluent-bit:3"}));
                list.swap(0, 1);
            }),
        ),
        (
            deployment_kind(),
            deploy.clone(),
            edited(deploy.clone(), |d| {
                let web = &mut d["spec"]["template"]["spec"]["containers"][0];
                web["env"] = json!([{"name":"LOG","value":"debug"},{"name":"EXTRA","valueFrom":{"fieldRef":{"fieldPath":"metadata.name"}}}]);
                web["ports"] = json!([{"containerPort":9090}]);
                web["args"] = json!(["--port=9090"]);
                d["spec"]["template"]["spec"]["containers"]
                    .as_array_mut()
                    .expect("list")
                    .remove(1);
            }),
        ),
        (
            deployment_kind(),
            deploy.clone(),
            edited(deploy.clone(), |d| {
                d["spec"]["strategy"] = json!({"type":"Recreate"});
                d["metadata"]["finalizers"] = json!(["example.com/new"]);
                d["metadata"]["labels"]["tier"] = json!("front");
            }),
        ),
        (
            pod(),
            json!({"metadata":{"name":"p","labels":{"a":"1"},"annotations":{"x":"y"},"finalizers":["b","a"],
                "ownerReferences":[{"uid":"u1","kind":"ReplicaSet","name":"rs"}]},"spec":pod_spec(),
                "status":{"phase":"Running","conditions":[{"type":"Ready","status":"True"}]}}),
            json!({"metadata":{"name":"p","labels":{"a":"2","b":"3"},"finalizers":["c","a"],
                "ownerReferences":[{"uid":"u2","kind":"ReplicaSet","name":"rs2"}]},
                "spec":edited(pod_spec(), |s| {
                    s["volumes"] = json!([{"name":"data","configMap":{"name":"cfg"}},{"name":"tmp","emptyDir":{"medium":"Memory"}}]);
                    s["containers"][0]["volumeMounts"] = json!([{"name":"tmp","mountPath":"/tmp"},{"name":"data","mountPath":"/data","readOnly":true}]);
                    s["tolerations"] = json!([]);
                    s["initContainers"] = json!([{"name":"init","image":"busybox","command":["sh","-c","true"]}]);
                }),
                "status":{"phase":"Running","conditions":[{"type":"Ready","status":"False"},{"type":"PodScheduled","status":"True"}]}}),
        ),
        (
            ObjectKind::new("v1", "Node"),
            json!({"metadata":{"name":"n"},"spec":{"podCIDRs":["10.0.0.0/24"],"taints":[{"key":"a","effect":"NoSchedule"}]},
                "status":{"addresses":[{"type":"InternalIP","address":"10.0.0.1"}]}}),
            json!({"metadata":{"name":"n"},"spec":{"unschedulable":true,"podCIDRs":["10.0.0.0/24","fd00::/64"],"taints":[]},
                "status":{"addresses":[{"type":"Hostname","address":"n"},{"type":"InternalIP","address":"10.0.0.2"}]}}),
        ),
        (
            ObjectKind::new("v1", "Service"),
            json!({"metadata":{"name":"s"},"spec":{"selector":{"app":"a"},"ports":[{"name":"http","port":80,"targetPort":8080}]}}),
            json!({"metadata":{"name":"s"},"spec":{"selector":{"app":"b"},"ports":[{"name":"https","port":443,"targetPort":8443},{"name":"http","port":80,"targetPort":"http"}]}}),
        ),
        (
            ObjectKind::new("v1", "ConfigMap"),
            json!({"metadata":{"name":"c"},"data":{"a":"1","b":"2"},"binaryData":{"x":"AA=="}}),
            json!({"metadata":{"name":"c"},"data":{"b":"3","c":"4"}}),
        ),
        (
            ObjectKind::new("batch/v1", "CronJob"),
            json!({"metadata":{"name":"cj"},"spec":{"schedule":"0 * * * *","jobTemplate":{"spec":{"template":{"spec":pod_spec()}}}}}),
            json!({"metadata":{"name":"cj"},"spec":{"schedule":"*/5 * * * *","suspend":true,"jobTemplate":{"spec":{"backoffLimit":2,"template":{"spec":edited(pod_spec(), |s| s["containers"][1]["args"] = json!(["--once"]))}}}}}),
        ),
        (
            ObjectKind::new("policy/v1", "PodDisruptionBudget"),
            json!({"metadata":{"name":"p"},"spec":{"minAvailable":1,"selector":{"matchLabels":{"app":"a"}}}}),
            json!({"metadata":{"name":"p"},"spec":{"maxUnavailable":"10%","selector":{"matchExpressions":[{"key":"app","operator":"In","values":["a","b"]}]}}}),
        ),
        (
            ObjectKind::new("v1", "ServiceAccount"),
            json!({"metadata":{"name":"sa"},"secrets":[{"name":"t1"},{"name":"t2"}],"imagePullSecrets":[{"name":"r"}]}),
            json!({"metadata":{"name":"sa"},"secrets":[{"name":"t2"}],"automountServiceAccountToken":false}),
        ),
        (
            ObjectKind::new("apps/v1", "StatefulSet"),
            json!({"metadata":{"name":"db"},"spec":{"replicas":1,"template":{"spec":pod_spec()},
                "volumeClaimTemplates":[{"metadata":{"name":"data"},"spec":{"resources":{"requests":{"storage":"1Gi"}}}}]}}),
            json!({"metadata":{"name":"db"},"spec":{"replicas":3,"template":{"spec":pod_spec()},
                "volumeClaimTemplates":[{"metadata":{"name":"data"},"spec":{"resources":{"requests":{"storage":"5Gi"}}}}]}}),
        ),
        (
            ObjectKind::new("example.com/v1", "Widget"),
            json!({"metadata":{"name":"w"},"spec":{"items":[{"name":"a"},{"name":"b"}],"size":1,"gone":true}}),
            json!({"metadata":{"name":"w"},"spec":{"items":[{"name":"b"}],"size":2,"color":"red"}}),
        ),
    ];
    for (kind, before, after) in &edits {
        round_trip(kind, before, after);
        round_trip(kind, after, before);
    }
}

#[test]
fn unchanged_objects_give_empty_patches() {
    let patch = create_strategic_merge_patch(&deployment_kind(), &deployment(), &deployment())
        .expect("diff");
    assert_eq!(patch, json!({}));
    assert_eq!(create_merge_patch(&deployment(), &deployment()), json!({}));
}

#[test]
fn created_patches_look_like_kubectl_edit() {
    let after = edited(deployment(), |d| {
        d["spec"]["template"]["spec"]["containers"][0]["image"] = json!("nginx:1.27");
        d["spec"]["strategy"] = json!({"type":"Recreate"});
    });
    let patch =
        create_strategic_merge_patch(&deployment_kind(), &deployment(), &after).expect("diff");
    assert_eq!(
        patch,
        json!({"spec":{
            "strategy":{"$retainKeys":["type"],"rollingUpdate":null,"type":"Recreate"},
            "template":{"spec":{
                "$setElementOrder/containers":[{"name":"web"},{"name":"sidecar"}],
                "containers":[{"name":"web","image":"nginx:1.27"}]
            }}
        }})
    );
    // An unchanged merged list of primitives out of sorted order still gets an order list, as
    // upstream's diff sorts the original in place before comparing.
    let pod_before = json!({"metadata":{"name":"p","finalizers":["b","a"]}});
    let pod_after = json!({"metadata":{"name":"p","finalizers":["b","a"],"labels":{"x":"y"}}});
    let patch = create_strategic_merge_patch(&pod(), &pod_before, &pod_after).expect("diff");
    assert_eq!(
        patch,
        json!({"metadata":{"$setElementOrder/finalizers":["b","a"],"labels":{"x":"y"}}})
    );
}

#[test]
fn creating_a_patch_reports_unmergeable_edits() {
    let after = edited(deployment(), |d| {
        d["spec"]["template"]["spec"]["containers"][1] = json!({"image":"x"})
    });
    let error = create_strategic_merge_patch(&deployment_kind(), &deployment(), &after)
        .expect_err("no name");
    assert!(error.to_string().contains("merge key: name"), "{error}");
    assert_eq!(
        create_strategic_merge_patch(&pod(), &json!([]), &json!({})),
        Err(PatchError::NotAnObject)
    );
}

// ----- Content types, kinds and statuses -----

#[test]
fn patch_types_from_content_types() {
    assert_eq!(
        PatchType::from_content_type("application/json-patch+json"),
        Some(PatchType::Json)
    );
    assert_eq!(
        PatchType::from_content_type("application/merge-patch+json; charset=utf-8"),
        Some(PatchType::Merge)
    );
    assert_eq!(
        PatchType::from_content_type(" application/strategic-merge-patch+json;charset=UTF-8 "),
        Some(PatchType::StrategicMerge)
    );
    for other in [
        "application/json",
        "application/apply-patch+yaml",
        "",
        ";application/json-patch+json",
        "APPLICATION/JSON-PATCH+JSON",
    ] {
        assert_eq!(PatchType::from_content_type(other), None, "{other}");
    }
    for patch_type in [PatchType::Json, PatchType::Merge, PatchType::StrategicMerge] {
        assert_eq!(
            PatchType::from_content_type(patch_type.content_type()),
            Some(patch_type)
        );
    }
}

#[test]
fn object_kinds_know_custom_resources() {
    let deployment = ObjectKind::new("apps/v1", "Deployment");
    assert_eq!(
        (
            deployment.group(),
            deployment.api_version(),
            deployment.kind()
        ),
        ("apps", "apps/v1", "Deployment")
    );
    assert!(!deployment.is_custom());
    assert!(!ObjectKind::new("v1", "Pod").is_custom());
    assert!(!ObjectKind::new("networking.k8s.io/v1", "Ingress").is_custom());
    assert!(ObjectKind::new("cert-manager.io/v1", "Certificate").is_custom());
    assert!(ObjectKind::custom("apps/v1", "Odd").is_custom());
    assert!(!ObjectKind::built_in("example.com/v1", "Odd").is_custom());
}

#[test]
fn statuses_and_messages() {
    let cases = [
        (
            PatchError::InvalidBody {
                patch_type: PatchType::Json,
                reason: "x".into(),
            },
            400,
            "BadRequest",
        ),
        (
            PatchError::TooManyOperations { count: 10_001 },
            413,
            "RequestEntityTooLarge",
        ),
        (
            PatchError::OperationFailed { reason: "x".into() },
            422,
            "Invalid",
        ),
        (
            PatchError::StrategicMergeUnsupported,
            415,
            "UnsupportedMediaType",
        ),
        (
            PatchError::InvalidDirective { reason: "x".into() },
            400,
            "BadRequest",
        ),
        (PatchError::UnknownDirective { reason: "x".into() }, 500, ""),
        (PatchError::MergeFailed { reason: "x".into() }, 500, ""),
        (PatchError::ListOfLists, 422, "Invalid"),
        (PatchError::NotAnObject, 422, "Invalid"),
    ];
    for (error, status, reason) in cases {
        assert_eq!(error.http_status(), status, "{error:?}");
        assert_eq!(error.status_reason(), reason, "{error:?}");
        assert!(!error.to_string().contains('\n'), "{error:?}");
        assert!(!error.status_message().is_empty(), "{error:?}");
    }
}

// ----- Arbitrary input never panics -----

fn arbitrary_json() -> impl ValueStrategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i32>().prop_map(|n| json!(n)),
        prop_oneof![
            Just("name".to_string()),
            Just("$patch".to_string()),
            Just("delete".to_string()),
            Just("replace".to_string()),
            "[a-z]{0,3}",
        ]
        .prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        let key = prop_oneof![
            Just("name".to_string()),
            Just("containers".to_string()),
            Just("spec".to_string()),
            Just("env".to_string()),
            Just("finalizers".to_string()),
            Just("$patch".to_string()),
            Just("$retainKeys".to_string()),
            Just("$setElementOrder/containers".to_string()),
            Just("$deleteFromPrimitiveList/finalizers".to_string()),
            "[a-z]{1,3}",
        ];
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(key, inner, 0..4)
                .prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn arbitrary_patches_never_panic(original in arbitrary_json(), patch in arbitrary_json()) {
        let body = serde_json::to_vec(&patch).expect("serializable");
        let original = json!({"metadata":{"name":"p","finalizers":["a"]},"spec":original,"containers":[{"name":"a"}]});
        for patch_type in [PatchType::Json, PatchType::Merge, PatchType::StrategicMerge] {
            let _ = apply_patch(&pod(), &original, patch_type, &body);
        }
        let _ = apply_patch(&pod(), &original, PatchType::StrategicMerge, &serde_json::to_vec(&json!({"spec": patch.clone()})).expect("serializable"));
        let _ = create_strategic_merge_patch(&pod(), &original, &json!({"spec": patch}));
    }
}
