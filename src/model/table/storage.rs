//! The row of a PersistentVolumeClaim (`printPersistentVolumeClaim`).

use jiff::Timestamp;
use serde_json::Value;

use super::field::Field;
use super::{Options, Row, age_of, name_of};

/// The beta annotation that named the class before `spec.storageClassName`, and still wins.
const BETA_STORAGE_CLASS: &str = "volume.beta.kubernetes.io/storage-class";

/// NAME, STATUS (the phase, `Terminating` once deleted), VOLUME, CAPACITY and ACCESS MODES
/// (of the bound volume, empty until bound), STORAGECLASS, VOLUMEATTRIBUTESCLASS (`<unset>`),
/// AGE; wide: VOLUMEMODE (`<unset>`).
pub(super) fn persistent_volume_claim(object: &Value, now: Timestamp, options: Options) -> Row {
    let o = Field::of(object);
    let phase = if o.at(&["metadata", "deletionTimestamp"]).is_set() {
        "Terminating"
    } else {
        o.at(&["status", "phase"]).str()
    };
    let volume = o.at(&["spec", "volumeName"]).str();
    let (capacity, access_modes) = if volume.is_empty() {
        (String::new(), String::new())
    } else {
        (
            o.at(&["status", "capacity", "storage"]).str().to_string(),
            access_modes(o.at(&["status", "accessModes"]).strings()),
        )
    };
    let class = o
        .at(&["metadata", "annotations", BETA_STORAGE_CLASS])
        .opt_str()
        .or_else(|| o.at(&["spec", "storageClassName"]).opt_str())
        .unwrap_or("");
    let unset_or = |field: Field<'_>| match field.opt_str() {
        Some(text) if !text.is_empty() => text.to_string(),
        _ => "<unset>".to_string(),
    };
    let mut cells = vec![
        name_of(o),
        phase.into(),
        volume.into(),
        capacity.into(),
        access_modes.into(),
        class.into(),
        unset_or(o.at(&["spec", "volumeAttributesClassName"])).into(),
        age_of(o, now),
    ];
    if options.wide {
        cells.push(unset_or(o.at(&["spec", "volumeMode"])).into());
    }
    Row {
        cells,
        conditions: Vec::new(),
    }
}

/// `GetAccessModesAsString`: the short names, each once, in the API's order of modes.
fn access_modes(modes: Vec<&str>) -> String {
    [
        ("ReadWriteOnce", "RWO"),
        ("ReadOnlyMany", "ROX"),
        ("ReadWriteMany", "RWX"),
        ("ReadWriteOncePod", "RWOP"),
    ]
    .iter()
    .filter(|(mode, _)| modes.contains(mode))
    .map(|(_, short)| *short)
    .collect::<Vec<_>>()
    .join(",")
}
