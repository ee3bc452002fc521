//! The rows of PersistentVolumeClaims, PersistentVolumes and StorageClasses
//! (`printPersistentVolumeClaim`, `printPersistentVolume`, `printStorageClass`).

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

/// NAME, CAPACITY, ACCESS MODES, RECLAIM POLICY, STATUS (`Terminating` once deleted), CLAIM
/// (`namespace/name`), STORAGECLASS, VOLUMEATTRIBUTESCLASS (`<unset>`), REASON, AGE; wide:
/// VOLUMEMODE (`<unset>`).
pub(super) fn persistent_volume(object: &Value, now: Timestamp, options: Options) -> Row {
    let o = Field::of(object);
    let spec = o.get("spec");
    let status = if o.at(&["metadata", "deletionTimestamp"]).is_set() {
        "Terminating"
    } else {
        o.at(&["status", "phase"]).str()
    };
    let claim = match spec.get("claimRef").object() {
        Some(_) => format!(
            "{}/{}",
            spec.at(&["claimRef", "namespace"]).str(),
            spec.at(&["claimRef", "name"]).str()
        ),
        None => String::new(),
    };
    let class = o
        .at(&["metadata", "annotations", BETA_STORAGE_CLASS])
        .opt_str()
        .or_else(|| spec.get("storageClassName").opt_str())
        .unwrap_or("");
    let unset_or = |field: Field<'_>| match field.opt_str() {
        Some(text) if !text.is_empty() => text.to_string(),
        _ => "<unset>".to_string(),
    };
    let mut cells = vec![
        name_of(o),
        spec.at(&["capacity", "storage"]).str().into(),
        access_modes(spec.get("accessModes").strings()).into(),
        spec.get("persistentVolumeReclaimPolicy").str().into(),
        status.into(),
        claim.into(),
        class.into(),
        unset_or(spec.get("volumeAttributesClassName")).into(),
        o.at(&["status", "reason"]).str().into(),
        age_of(o, now),
    ];
    if options.wide {
        cells.push(unset_or(spec.get("volumeMode")).into());
    }
    Row {
        cells,
        conditions: Vec::new(),
    }
}

/// The annotations that make a class the default one.
const DEFAULT_CLASS: [&str; 2] = [
    "storageclass.kubernetes.io/is-default-class",
    "storageclass.beta.kubernetes.io/is-default-class",
];

/// NAME (` (default)` after the default class), PROVISIONER, RECLAIMPOLICY (`Delete` unset),
/// VOLUMEBINDINGMODE (`Immediate` unset), ALLOWVOLUMEEXPANSION, AGE.
pub(super) fn storage_class(object: &Value, now: Timestamp) -> Row {
    let o = Field::of(object);
    let mut name = o.at(&["metadata", "name"]).str().to_string();
    if DEFAULT_CLASS
        .iter()
        .any(|key| o.at(&["metadata", "annotations", key]).str() == "true")
    {
        name.push_str(" (default)");
    }
    let or = |field: Field<'_>, default: &str| match field.opt_str() {
        Some(text) if !text.is_empty() => text.to_string(),
        _ => default.to_string(),
    };
    Row {
        cells: vec![
            name.into(),
            o.get("provisioner").str().into(),
            or(o.get("reclaimPolicy"), "Delete").into(),
            or(o.get("volumeBindingMode"), "Immediate").into(),
            o.get("allowVolumeExpansion")
                .opt_bool()
                .unwrap_or(false)
                .to_string()
                .into(),
            age_of(o, now),
        ],
        conditions: Vec::new(),
    }
}
