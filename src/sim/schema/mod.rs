//! The Go API types of the built-in kinds, as data: for each struct (a protobuf message), its
//! fields in Go's order, by number, with their JSON names, types and shapes. Two readers walk
//! it: the protobuf decoder (what kubectl's typed clients send) and the decoding check every
//! write goes through (`sim::decoding`, the type errors Go's decoders would report).
//!
//! Transcribed from the Kubernetes API types (`k8s.io/api` core/v1, apps/v1, batch/v1, policy/v1,
//! autoscaling/v1 and `k8s.io/apimachinery` meta/v1, as of Kubernetes 1.36): field numbers and
//! wire types from the `protobuf:"..."` tags, JSON names from the `json:"..."` tags (which is what
//! `generated.proto` names the fields), pointer-ness from the Go field types, and embedded
//! structs (`json:",inline"`) as [`Shape::Inline`]. Fields a newer client knows and this table
//! does not are skipped by the decoder.

use std::collections::HashMap;
use std::sync::OnceLock;

use Kind::{
    Bool, Bytes, FieldsV1, I32, I64, IntOrString, MicroTime, Msg, Quantity, RawExtension, Str, Time,
};
use Shape::{Defaulted, Inline, Map, Opt, Ptr, Rep, Req};

mod autoscaling;
mod certificates;
mod go_names;
mod rbac;
mod scheduling;

pub use go_names::named_type;

/// A message: its name (the Go struct's, as errors print it) and its fields.
#[derive(Debug)]
pub struct Message {
    pub name: &'static str,
    pub fields: &'static [Field],
    /// The fields that are not inlined, by JSON name (made at first use): an object's keys are
    /// each looked up once, whatever the number of fields the message has.
    by_name: OnceLock<HashMap<&'static str, &'static Field, foldhash::fast::FixedState>>,
}

impl Message {
    /// The field with this number, if the schema knows it.
    pub fn field(&self, number: u32) -> Option<&'static Field> {
        self.fields.iter().find(|f| f.number == number)
    }

    /// The field that is not inlined with this JSON name, if the message has one.
    pub fn named(&'static self, name: &str) -> Option<&'static Field> {
        self.by_name
            .get_or_init(|| {
                self.fields
                    .iter()
                    .filter(|field| field.shape != Shape::Inline)
                    .map(|field| (field.name, field))
                    .collect()
            })
            .get(name)
            .copied()
    }
}

/// One field of a message.
#[derive(Debug)]
pub struct Field {
    pub number: u32,
    /// The JSON name (for an inlined struct, the proto name, used only in errors).
    pub name: &'static str,
    pub kind: Kind,
    pub shape: Shape,
}

/// What one value of a field is.
#[derive(Clone, Copy, Debug)]
pub enum Kind {
    /// `string` (also Go string enums and UIDs).
    Str,
    /// `bool`.
    Bool,
    /// `int32` (varint).
    I32,
    /// `int64` (varint).
    I64,
    /// `bytes`: a base64 string in JSON.
    Bytes,
    /// meta/v1 Time `{seconds=1, nanos=2}`: RFC 3339 with whole seconds.
    Time,
    /// meta/v1 MicroTime `{seconds=1, nanos=2}`: RFC 3339 with microseconds.
    MicroTime,
    /// meta/v1 Duration `{duration=1}` in nanoseconds: a Go duration string. No field of the
    /// kinds served today has this type; it is here for the next one that does.
    #[allow(dead_code)]
    Duration,
    /// resource.Quantity `{string=1}`: that string.
    Quantity,
    /// intstr.IntOrString `{type=1, intVal=2, strVal=3}`: a JSON number or string.
    IntOrString,
    /// runtime.RawExtension `{raw=1}`: the raw bytes, which are JSON (or a nested protobuf object).
    RawExtension,
    /// meta/v1 FieldsV1 `{Raw=1}`: the raw bytes, which are JSON.
    FieldsV1,
    /// A nested message.
    Msg(&'static Message),
}

/// How a field holds its values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// A non-pointer Go field: the encoder always writes it, so a zero scalar (empty string, 0,
    /// false, zero Time) means unset and is left out of the JSON, letting defaulting apply. An
    /// empty struct is kept as `{}`, as Go's JSON writes it.
    Opt,
    /// A non-pointer struct the API server defaults when it is empty (a Deployment's strategy, a
    /// StatefulSet's or DaemonSet's updateStrategy): left out when empty, so defaulting applies.
    Defaulted,
    /// A pointer Go field: written only when set, so every value (zero included) is kept.
    Ptr,
    /// A non-pointer scalar without `omitempty` (required in the OpenAPI schema), or one whose
    /// zero the simulator needs (Scale's replicas): kept even when zero, as Go's JSON keeps it.
    Req,
    /// `repeated`: a JSON array (packed or not).
    Rep,
    /// `map<string, kind>`: repeated `{key=1, value=2}` entries, a JSON object.
    Map,
    /// An embedded Go struct (`json:",inline"`): its fields are merged into this object.
    Inline,
}

const fn f(number: u32, name: &'static str, kind: Kind, shape: Shape) -> Field {
    Field {
        number,
        name,
        kind,
        shape,
    }
}

const fn message(name: &'static str, fields: &'static [Field]) -> Message {
    Message {
        name,
        fields,
        by_name: OnceLock::new(),
    }
}

/// The message of a top-level object, by its apiVersion and kind.
pub fn kind_schema(api_version: &str, kind: &str) -> Option<&'static Message> {
    match kind {
        // Registered in every group version.
        "DeleteOptions" => return Some(&DELETE_OPTIONS),
        "Status" => return Some(&STATUS),
        _ => {}
    }
    KINDS
        .iter()
        .find(|(v, k, _)| *v == api_version && *k == kind)
        .map(|(_, _, m)| *m)
}

/// metav1.ListMeta, the metadata of every list.
pub fn list_meta() -> &'static Message {
    &LIST_META
}

/// metav1.ObjectMeta, the metadata of every kind (custom resources' too).
pub fn object_meta() -> &'static Message {
    &OBJECT_META
}

static METADATA: Field = f(1, "metadata", Msg(&OBJECT_META), Opt);

/// The `metadata` field every kind has, for a kind whose other fields the schema does not know.
pub fn metadata_field() -> &'static Field {
    &METADATA
}

/// The top-level kinds: (apiVersion, kind, message).
static KINDS: &[(&str, &str, &Message)] = &[
    ("v1", "Pod", &POD),
    ("v1", "Namespace", &NAMESPACE),
    ("v1", "ConfigMap", &CONFIG_MAP),
    ("v1", "Secret", &SECRET),
    ("v1", "Service", &SERVICE),
    ("v1", "ServiceAccount", &SERVICE_ACCOUNT),
    ("v1", "Node", &NODE),
    ("v1", "Event", &EVENT),
    ("v1", "Binding", &BINDING),
    ("v1", "Endpoints", &ENDPOINTS),
    ("v1", "PersistentVolumeClaim", &PERSISTENT_VOLUME_CLAIM),
    ("v1", "PodTemplate", &POD_TEMPLATE),
    ("v1", "ReplicationController", &REPLICATION_CONTROLLER),
    ("v1", "ResourceQuota", &RESOURCE_QUOTA),
    ("v1", "LimitRange", &LIMIT_RANGE),
    ("apps/v1", "Deployment", &DEPLOYMENT),
    ("apps/v1", "ReplicaSet", &REPLICA_SET),
    ("apps/v1", "StatefulSet", &STATEFUL_SET),
    ("apps/v1", "DaemonSet", &DAEMON_SET),
    ("apps/v1", "ControllerRevision", &CONTROLLER_REVISION),
    ("batch/v1", "Job", &JOB),
    ("batch/v1", "CronJob", &CRON_JOB),
    ("policy/v1", "PodDisruptionBudget", &POD_DISRUPTION_BUDGET),
    ("policy/v1", "Eviction", &EVICTION),
    ("autoscaling/v1", "Scale", &SCALE),
    (
        "autoscaling/v2",
        "HorizontalPodAutoscaler",
        &autoscaling::HORIZONTAL_POD_AUTOSCALER,
    ),
    (
        "scheduling.k8s.io/v1",
        "PriorityClass",
        &scheduling::PRIORITY_CLASS,
    ),
    (
        "certificates.k8s.io/v1",
        "CertificateSigningRequest",
        &certificates::CERTIFICATE_SIGNING_REQUEST,
    ),
    ("rbac.authorization.k8s.io/v1", "Role", &rbac::ROLE),
    (
        "rbac.authorization.k8s.io/v1",
        "ClusterRole",
        &rbac::CLUSTER_ROLE,
    ),
    (
        "rbac.authorization.k8s.io/v1",
        "RoleBinding",
        &rbac::ROLE_BINDING,
    ),
    (
        "rbac.authorization.k8s.io/v1",
        "ClusterRoleBinding",
        &rbac::CLUSTER_ROLE_BINDING,
    ),
    (
        "authorization.k8s.io/v1",
        "SelfSubjectAccessReview",
        &rbac::SELF_SUBJECT_ACCESS_REVIEW,
    ),
    (
        "authorization.k8s.io/v1",
        "SelfSubjectRulesReview",
        &rbac::SELF_SUBJECT_RULES_REVIEW,
    ),
    (
        "authorization.k8s.io/v1",
        "SubjectAccessReview",
        &rbac::SUBJECT_ACCESS_REVIEW,
    ),
    (
        "authentication.k8s.io/v1",
        "SelfSubjectReview",
        &rbac::SELF_SUBJECT_REVIEW,
    ),
];

// meta/v1

static LIST_META: Message = message(
    "ListMeta",
    &[
        f(1, "selfLink", Str, Opt),
        f(2, "resourceVersion", Str, Opt),
        f(3, "continue", Str, Opt),
        f(4, "remainingItemCount", I64, Ptr),
    ],
);
static OBJECT_META: Message = message(
    "ObjectMeta",
    &[
        f(1, "name", Str, Opt),
        f(2, "generateName", Str, Opt),
        f(3, "namespace", Str, Opt),
        f(4, "selfLink", Str, Opt),
        f(5, "uid", Str, Opt),
        f(6, "resourceVersion", Str, Opt),
        f(7, "generation", I64, Opt),
        f(8, "creationTimestamp", Time, Opt),
        f(9, "deletionTimestamp", Time, Ptr),
        f(10, "deletionGracePeriodSeconds", I64, Ptr),
        f(11, "labels", Str, Map),
        f(12, "annotations", Str, Map),
        f(13, "ownerReferences", Msg(&OWNER_REFERENCE), Rep),
        f(14, "finalizers", Str, Rep),
        f(17, "managedFields", Msg(&MANAGED_FIELDS_ENTRY), Rep),
    ],
);
static OWNER_REFERENCE: Message = message(
    "OwnerReference",
    &[
        f(5, "apiVersion", Str, Req),
        f(1, "kind", Str, Req),
        f(3, "name", Str, Req),
        f(4, "uid", Str, Req),
        f(6, "controller", Bool, Ptr),
        f(7, "blockOwnerDeletion", Bool, Ptr),
    ],
);
static DELETE_OPTIONS: Message = message(
    "DeleteOptions",
    &[
        f(1, "gracePeriodSeconds", I64, Ptr),
        f(2, "preconditions", Msg(&PRECONDITIONS), Ptr),
        f(3, "orphanDependents", Bool, Ptr),
        f(4, "propagationPolicy", Str, Ptr),
        f(5, "dryRun", Str, Rep),
        f(
            6,
            "ignoreStoreReadErrorWithClusterBreakingPotential",
            Bool,
            Ptr,
        ),
    ],
);
static PRECONDITIONS: Message = message(
    "Preconditions",
    &[f(1, "uid", Str, Ptr), f(2, "resourceVersion", Str, Ptr)],
);
static STATUS: Message = message(
    "Status",
    &[
        f(1, "metadata", Msg(&LIST_META), Opt),
        f(2, "status", Str, Opt),
        f(3, "message", Str, Opt),
        f(4, "reason", Str, Opt),
        f(5, "details", Msg(&STATUS_DETAILS), Ptr),
        f(6, "code", I32, Opt),
    ],
);
static STATUS_DETAILS: Message = message(
    "StatusDetails",
    &[
        f(1, "name", Str, Opt),
        f(2, "group", Str, Opt),
        f(3, "kind", Str, Opt),
        f(6, "uid", Str, Opt),
        f(4, "causes", Msg(&STATUS_CAUSE), Rep),
        f(5, "retryAfterSeconds", I32, Opt),
    ],
);
static STATUS_CAUSE: Message = message(
    "StatusCause",
    &[
        f(1, "reason", Str, Opt),
        f(2, "message", Str, Opt),
        f(3, "field", Str, Opt),
    ],
);
static LABEL_SELECTOR: Message = message(
    "LabelSelector",
    &[
        f(1, "matchLabels", Str, Map),
        f(2, "matchExpressions", Msg(&LABEL_SELECTOR_REQUIREMENT), Rep),
    ],
);
static LABEL_SELECTOR_REQUIREMENT: Message = message(
    "LabelSelectorRequirement",
    &[
        f(1, "key", Str, Req),
        f(2, "operator", Str, Req),
        f(3, "values", Str, Rep),
    ],
);
static MANAGED_FIELDS_ENTRY: Message = message(
    "ManagedFieldsEntry",
    &[
        f(1, "manager", Str, Opt),
        f(2, "operation", Str, Opt),
        f(3, "apiVersion", Str, Opt),
        f(4, "time", Time, Ptr),
        f(6, "fieldsType", Str, Opt),
        f(7, "fieldsV1", FieldsV1, Ptr),
        f(8, "subresource", Str, Opt),
    ],
);
static CONDITION: Message = message(
    "Condition",
    &[
        f(1, "type", Str, Req),
        f(2, "status", Str, Req),
        f(3, "observedGeneration", I64, Opt),
        f(4, "lastTransitionTime", Time, Opt),
        f(5, "reason", Str, Req),
        f(6, "message", Str, Req),
    ],
);

// core/v1

static VOLUME: Message = message(
    "Volume",
    &[
        f(1, "name", Str, Req),
        f(2, "volumeSource", Msg(&VOLUME_SOURCE), Inline),
    ],
);
static VOLUME_SOURCE: Message = message(
    "VolumeSource",
    &[
        f(1, "hostPath", Msg(&HOST_PATH_VOLUME_SOURCE), Ptr),
        f(2, "emptyDir", Msg(&EMPTY_DIR_VOLUME_SOURCE), Ptr),
        f(
            3,
            "gcePersistentDisk",
            Msg(&GCE_PERSISTENT_DISK_VOLUME_SOURCE),
            Ptr,
        ),
        f(
            4,
            "awsElasticBlockStore",
            Msg(&AWS_ELASTIC_BLOCK_STORE_VOLUME_SOURCE),
            Ptr,
        ),
        f(5, "gitRepo", Msg(&GIT_REPO_VOLUME_SOURCE), Ptr),
        f(6, "secret", Msg(&SECRET_VOLUME_SOURCE), Ptr),
        f(7, "nfs", Msg(&NFS_VOLUME_SOURCE), Ptr),
        f(8, "iscsi", Msg(&ISCSI_VOLUME_SOURCE), Ptr),
        f(9, "glusterfs", Msg(&GLUSTERFS_VOLUME_SOURCE), Ptr),
        f(
            10,
            "persistentVolumeClaim",
            Msg(&PERSISTENT_VOLUME_CLAIM_VOLUME_SOURCE),
            Ptr,
        ),
        f(11, "rbd", Msg(&RBD_VOLUME_SOURCE), Ptr),
        f(12, "flexVolume", Msg(&FLEX_VOLUME_SOURCE), Ptr),
        f(13, "cinder", Msg(&CINDER_VOLUME_SOURCE), Ptr),
        f(14, "cephfs", Msg(&CEPH_FS_VOLUME_SOURCE), Ptr),
        f(15, "flocker", Msg(&FLOCKER_VOLUME_SOURCE), Ptr),
        f(16, "downwardAPI", Msg(&DOWNWARD_API_VOLUME_SOURCE), Ptr),
        f(17, "fc", Msg(&FC_VOLUME_SOURCE), Ptr),
        f(18, "azureFile", Msg(&AZURE_FILE_VOLUME_SOURCE), Ptr),
        f(19, "configMap", Msg(&CONFIG_MAP_VOLUME_SOURCE), Ptr),
        f(
            20,
            "vsphereVolume",
            Msg(&VSPHERE_VIRTUAL_DISK_VOLUME_SOURCE),
            Ptr,
        ),
        f(21, "quobyte", Msg(&QUOBYTE_VOLUME_SOURCE), Ptr),
        f(22, "azureDisk", Msg(&AZURE_DISK_VOLUME_SOURCE), Ptr),
        f(
            23,
            "photonPersistentDisk",
            Msg(&PHOTON_PERSISTENT_DISK_VOLUME_SOURCE),
            Ptr,
        ),
        f(26, "projected", Msg(&PROJECTED_VOLUME_SOURCE), Ptr),
        f(24, "portworxVolume", Msg(&PORTWORX_VOLUME_SOURCE), Ptr),
        f(25, "scaleIO", Msg(&SCALE_IO_VOLUME_SOURCE), Ptr),
        f(27, "storageos", Msg(&STORAGE_OS_VOLUME_SOURCE), Ptr),
        f(28, "csi", Msg(&CSI_VOLUME_SOURCE), Ptr),
        f(29, "ephemeral", Msg(&EPHEMERAL_VOLUME_SOURCE), Ptr),
        f(30, "image", Msg(&IMAGE_VOLUME_SOURCE), Ptr),
    ],
);
static PERSISTENT_VOLUME_CLAIM_VOLUME_SOURCE: Message = message(
    "PersistentVolumeClaimVolumeSource",
    &[f(1, "claimName", Str, Req), f(2, "readOnly", Bool, Opt)],
);
static PERSISTENT_VOLUME_CLAIM: Message = message(
    "PersistentVolumeClaim",
    &[
        f(1, "metadata", Msg(&OBJECT_META), Opt),
        f(2, "spec", Msg(&PERSISTENT_VOLUME_CLAIM_SPEC), Opt),
        f(3, "status", Msg(&PERSISTENT_VOLUME_CLAIM_STATUS), Opt),
    ],
);
static PERSISTENT_VOLUME_CLAIM_SPEC: Message = message(
    "PersistentVolumeClaimSpec",
    &[
        f(1, "accessModes", Str, Rep),
        f(4, "selector", Msg(&LABEL_SELECTOR), Ptr),
        f(2, "resources", Msg(&VOLUME_RESOURCE_REQUIREMENTS), Opt),
        f(3, "volumeName", Str, Opt),
        f(5, "storageClassName", Str, Ptr),
        f(6, "volumeMode", Str, Ptr),
        f(7, "dataSource", Msg(&TYPED_LOCAL_OBJECT_REFERENCE), Ptr),
        f(8, "dataSourceRef", Msg(&TYPED_OBJECT_REFERENCE), Ptr),
        f(9, "volumeAttributesClassName", Str, Ptr),
    ],
);
static TYPED_OBJECT_REFERENCE: Message = message(
    "TypedObjectReference",
    &[
        f(1, "apiGroup", Str, Ptr),
        f(2, "kind", Str, Req),
        f(3, "name", Str, Req),
        f(4, "namespace", Str, Ptr),
    ],
);
static MODIFY_VOLUME_STATUS: Message = message(
    "ModifyVolumeStatus",
    &[
        f(1, "targetVolumeAttributesClassName", Str, Opt),
        f(2, "status", Str, Req),
    ],
);
static PERSISTENT_VOLUME_CLAIM_CONDITION: Message = message(
    "PersistentVolumeClaimCondition",
    &[
        f(1, "type", Str, Req),
        f(2, "status", Str, Req),
        f(3, "lastProbeTime", Time, Opt),
        f(4, "lastTransitionTime", Time, Opt),
        f(5, "reason", Str, Opt),
        f(6, "message", Str, Opt),
    ],
);
static PERSISTENT_VOLUME_CLAIM_STATUS: Message = message(
    "PersistentVolumeClaimStatus",
    &[
        f(1, "phase", Str, Opt),
        f(2, "accessModes", Str, Rep),
        f(3, "capacity", Quantity, Map),
        f(
            4,
            "conditions",
            Msg(&PERSISTENT_VOLUME_CLAIM_CONDITION),
            Rep,
        ),
        f(5, "allocatedResources", Quantity, Map),
        f(7, "allocatedResourceStatuses", Str, Map),
        f(8, "currentVolumeAttributesClassName", Str, Ptr),
        f(9, "modifyVolumeStatus", Msg(&MODIFY_VOLUME_STATUS), Ptr),
    ],
);
static HOST_PATH_VOLUME_SOURCE: Message = message(
    "HostPathVolumeSource",
    &[f(1, "path", Str, Req), f(2, "type", Str, Ptr)],
);
static EMPTY_DIR_VOLUME_SOURCE: Message = message(
    "EmptyDirVolumeSource",
    &[f(1, "medium", Str, Opt), f(2, "sizeLimit", Quantity, Ptr)],
);
static GLUSTERFS_VOLUME_SOURCE: Message = message(
    "GlusterfsVolumeSource",
    &[
        f(1, "endpoints", Str, Req),
        f(2, "path", Str, Req),
        f(3, "readOnly", Bool, Opt),
    ],
);
static RBD_VOLUME_SOURCE: Message = message(
    "RBDVolumeSource",
    &[
        f(1, "monitors", Str, Rep),
        f(2, "image", Str, Req),
        f(3, "fsType", Str, Opt),
        f(4, "pool", Str, Opt),
        f(5, "user", Str, Opt),
        f(6, "keyring", Str, Opt),
        f(7, "secretRef", Msg(&LOCAL_OBJECT_REFERENCE), Ptr),
        f(8, "readOnly", Bool, Opt),
    ],
);
static CINDER_VOLUME_SOURCE: Message = message(
    "CinderVolumeSource",
    &[
        f(1, "volumeID", Str, Req),
        f(2, "fsType", Str, Opt),
        f(3, "readOnly", Bool, Opt),
        f(4, "secretRef", Msg(&LOCAL_OBJECT_REFERENCE), Ptr),
    ],
);
static CEPH_FS_VOLUME_SOURCE: Message = message(
    "CephFSVolumeSource",
    &[
        f(1, "monitors", Str, Rep),
        f(2, "path", Str, Opt),
        f(3, "user", Str, Opt),
        f(4, "secretFile", Str, Opt),
        f(5, "secretRef", Msg(&LOCAL_OBJECT_REFERENCE), Ptr),
        f(6, "readOnly", Bool, Opt),
    ],
);
static FLOCKER_VOLUME_SOURCE: Message = message(
    "FlockerVolumeSource",
    &[f(1, "datasetName", Str, Opt), f(2, "datasetUUID", Str, Opt)],
);
static GCE_PERSISTENT_DISK_VOLUME_SOURCE: Message = message(
    "GCEPersistentDiskVolumeSource",
    &[
        f(1, "pdName", Str, Req),
        f(2, "fsType", Str, Opt),
        f(3, "partition", I32, Opt),
        f(4, "readOnly", Bool, Opt),
    ],
);
static QUOBYTE_VOLUME_SOURCE: Message = message(
    "QuobyteVolumeSource",
    &[
        f(1, "registry", Str, Req),
        f(2, "volume", Str, Req),
        f(3, "readOnly", Bool, Opt),
        f(4, "user", Str, Opt),
        f(5, "group", Str, Opt),
        f(6, "tenant", Str, Opt),
    ],
);
static FLEX_VOLUME_SOURCE: Message = message(
    "FlexVolumeSource",
    &[
        f(1, "driver", Str, Req),
        f(2, "fsType", Str, Opt),
        f(3, "secretRef", Msg(&LOCAL_OBJECT_REFERENCE), Ptr),
        f(4, "readOnly", Bool, Opt),
        f(5, "options", Str, Map),
    ],
);
static AWS_ELASTIC_BLOCK_STORE_VOLUME_SOURCE: Message = message(
    "AWSElasticBlockStoreVolumeSource",
    &[
        f(1, "volumeID", Str, Req),
        f(2, "fsType", Str, Opt),
        f(3, "partition", I32, Opt),
        f(4, "readOnly", Bool, Opt),
    ],
);
static GIT_REPO_VOLUME_SOURCE: Message = message(
    "GitRepoVolumeSource",
    &[
        f(1, "repository", Str, Req),
        f(2, "revision", Str, Opt),
        f(3, "directory", Str, Opt),
    ],
);
static SECRET_VOLUME_SOURCE: Message = message(
    "SecretVolumeSource",
    &[
        f(1, "secretName", Str, Opt),
        f(2, "items", Msg(&KEY_TO_PATH), Rep),
        f(3, "defaultMode", I32, Ptr),
        f(4, "optional", Bool, Ptr),
    ],
);
static SECRET_PROJECTION: Message = message(
    "SecretProjection",
    &[
        f(
            1,
            "localObjectReference",
            Msg(&LOCAL_OBJECT_REFERENCE),
            Inline,
        ),
        f(2, "items", Msg(&KEY_TO_PATH), Rep),
        f(4, "optional", Bool, Ptr),
    ],
);
static NFS_VOLUME_SOURCE: Message = message(
    "NFSVolumeSource",
    &[
        f(1, "server", Str, Req),
        f(2, "path", Str, Req),
        f(3, "readOnly", Bool, Opt),
    ],
);
static ISCSI_VOLUME_SOURCE: Message = message(
    "ISCSIVolumeSource",
    &[
        f(1, "targetPortal", Str, Req),
        f(2, "iqn", Str, Req),
        f(3, "lun", I32, Req),
        f(4, "iscsiInterface", Str, Opt),
        f(5, "fsType", Str, Opt),
        f(6, "readOnly", Bool, Opt),
        f(7, "portals", Str, Rep),
        f(8, "chapAuthDiscovery", Bool, Opt),
        f(11, "chapAuthSession", Bool, Opt),
        f(10, "secretRef", Msg(&LOCAL_OBJECT_REFERENCE), Ptr),
        f(12, "initiatorName", Str, Ptr),
    ],
);
static FC_VOLUME_SOURCE: Message = message(
    "FCVolumeSource",
    &[
        f(1, "targetWWNs", Str, Rep),
        f(2, "lun", I32, Ptr),
        f(3, "fsType", Str, Opt),
        f(4, "readOnly", Bool, Opt),
        f(5, "wwids", Str, Rep),
    ],
);
static AZURE_FILE_VOLUME_SOURCE: Message = message(
    "AzureFileVolumeSource",
    &[
        f(1, "secretName", Str, Req),
        f(2, "shareName", Str, Req),
        f(3, "readOnly", Bool, Opt),
    ],
);
static VSPHERE_VIRTUAL_DISK_VOLUME_SOURCE: Message = message(
    "VsphereVirtualDiskVolumeSource",
    &[
        f(1, "volumePath", Str, Req),
        f(2, "fsType", Str, Opt),
        f(3, "storagePolicyName", Str, Opt),
        f(4, "storagePolicyID", Str, Opt),
    ],
);
static PHOTON_PERSISTENT_DISK_VOLUME_SOURCE: Message = message(
    "PhotonPersistentDiskVolumeSource",
    &[f(1, "pdID", Str, Req), f(2, "fsType", Str, Opt)],
);
static AZURE_DISK_VOLUME_SOURCE: Message = message(
    "AzureDiskVolumeSource",
    &[
        f(1, "diskName", Str, Req),
        f(2, "diskURI", Str, Req),
        f(3, "cachingMode", Str, Ptr),
        f(4, "fsType", Str, Ptr),
        f(5, "readOnly", Bool, Ptr),
        f(6, "kind", Str, Ptr),
    ],
);
static PORTWORX_VOLUME_SOURCE: Message = message(
    "PortworxVolumeSource",
    &[
        f(1, "volumeID", Str, Req),
        f(2, "fsType", Str, Opt),
        f(3, "readOnly", Bool, Opt),
    ],
);
static SCALE_IO_VOLUME_SOURCE: Message = message(
    "ScaleIOVolumeSource",
    &[
        f(1, "gateway", Str, Req),
        f(2, "system", Str, Req),
        f(3, "secretRef", Msg(&LOCAL_OBJECT_REFERENCE), Ptr),
        f(4, "sslEnabled", Bool, Opt),
        f(5, "protectionDomain", Str, Opt),
        f(6, "storagePool", Str, Opt),
        f(7, "storageMode", Str, Opt),
        f(8, "volumeName", Str, Opt),
        f(9, "fsType", Str, Opt),
        f(10, "readOnly", Bool, Opt),
    ],
);
static STORAGE_OS_VOLUME_SOURCE: Message = message(
    "StorageOSVolumeSource",
    &[
        f(1, "volumeName", Str, Opt),
        f(2, "volumeNamespace", Str, Opt),
        f(3, "fsType", Str, Opt),
        f(4, "readOnly", Bool, Opt),
        f(5, "secretRef", Msg(&LOCAL_OBJECT_REFERENCE), Ptr),
    ],
);
static CONFIG_MAP_VOLUME_SOURCE: Message = message(
    "ConfigMapVolumeSource",
    &[
        f(
            1,
            "localObjectReference",
            Msg(&LOCAL_OBJECT_REFERENCE),
            Inline,
        ),
        f(2, "items", Msg(&KEY_TO_PATH), Rep),
        f(3, "defaultMode", I32, Ptr),
        f(4, "optional", Bool, Ptr),
    ],
);
static CONFIG_MAP_PROJECTION: Message = message(
    "ConfigMapProjection",
    &[
        f(
            1,
            "localObjectReference",
            Msg(&LOCAL_OBJECT_REFERENCE),
            Inline,
        ),
        f(2, "items", Msg(&KEY_TO_PATH), Rep),
        f(4, "optional", Bool, Ptr),
    ],
);
static SERVICE_ACCOUNT_TOKEN_PROJECTION: Message = message(
    "ServiceAccountTokenProjection",
    &[
        f(1, "audience", Str, Opt),
        f(2, "expirationSeconds", I64, Ptr),
        f(3, "path", Str, Req),
    ],
);
static CLUSTER_TRUST_BUNDLE_PROJECTION: Message = message(
    "ClusterTrustBundleProjection",
    &[
        f(1, "name", Str, Ptr),
        f(2, "signerName", Str, Ptr),
        f(3, "labelSelector", Msg(&LABEL_SELECTOR), Ptr),
        f(5, "optional", Bool, Ptr),
        f(4, "path", Str, Req),
    ],
);
static POD_CERTIFICATE_PROJECTION: Message = message(
    "PodCertificateProjection",
    &[
        f(1, "signerName", Str, Req),
        f(2, "keyType", Str, Req),
        f(3, "maxExpirationSeconds", I32, Ptr),
        f(4, "credentialBundlePath", Str, Opt),
        f(5, "keyPath", Str, Opt),
        f(6, "certificateChainPath", Str, Opt),
        f(7, "userAnnotations", Str, Map),
    ],
);
static PROJECTED_VOLUME_SOURCE: Message = message(
    "ProjectedVolumeSource",
    &[
        f(1, "sources", Msg(&VOLUME_PROJECTION), Rep),
        f(2, "defaultMode", I32, Ptr),
    ],
);
static VOLUME_PROJECTION: Message = message(
    "VolumeProjection",
    &[
        f(1, "secret", Msg(&SECRET_PROJECTION), Ptr),
        f(2, "downwardAPI", Msg(&DOWNWARD_API_PROJECTION), Ptr),
        f(3, "configMap", Msg(&CONFIG_MAP_PROJECTION), Ptr),
        f(
            4,
            "serviceAccountToken",
            Msg(&SERVICE_ACCOUNT_TOKEN_PROJECTION),
            Ptr,
        ),
        f(
            5,
            "clusterTrustBundle",
            Msg(&CLUSTER_TRUST_BUNDLE_PROJECTION),
            Ptr,
        ),
        f(6, "podCertificate", Msg(&POD_CERTIFICATE_PROJECTION), Ptr),
    ],
);
static KEY_TO_PATH: Message = message(
    "KeyToPath",
    &[
        f(1, "key", Str, Req),
        f(2, "path", Str, Req),
        f(3, "mode", I32, Ptr),
    ],
);
static CSI_VOLUME_SOURCE: Message = message(
    "CSIVolumeSource",
    &[
        f(1, "driver", Str, Req),
        f(2, "readOnly", Bool, Ptr),
        f(3, "fsType", Str, Ptr),
        f(4, "volumeAttributes", Str, Map),
        f(5, "nodePublishSecretRef", Msg(&LOCAL_OBJECT_REFERENCE), Ptr),
    ],
);
static EPHEMERAL_VOLUME_SOURCE: Message = message(
    "EphemeralVolumeSource",
    &[f(
        1,
        "volumeClaimTemplate",
        Msg(&PERSISTENT_VOLUME_CLAIM_TEMPLATE),
        Ptr,
    )],
);
static PERSISTENT_VOLUME_CLAIM_TEMPLATE: Message = message(
    "PersistentVolumeClaimTemplate",
    &[
        f(1, "metadata", Msg(&OBJECT_META), Opt),
        f(2, "spec", Msg(&PERSISTENT_VOLUME_CLAIM_SPEC), Opt),
    ],
);
static CONTAINER_PORT: Message = message(
    "ContainerPort",
    &[
        f(1, "name", Str, Opt),
        f(2, "hostPort", I32, Opt),
        f(3, "containerPort", I32, Req),
        f(4, "protocol", Str, Opt),
        f(5, "hostIP", Str, Opt),
    ],
);
static VOLUME_MOUNT: Message = message(
    "VolumeMount",
    &[
        f(1, "name", Str, Req),
        f(2, "readOnly", Bool, Opt),
        f(7, "recursiveReadOnly", Str, Ptr),
        f(3, "mountPath", Str, Req),
        f(4, "subPath", Str, Opt),
        f(5, "mountPropagation", Str, Ptr),
        f(6, "subPathExpr", Str, Opt),
    ],
);
static VOLUME_DEVICE: Message = message(
    "VolumeDevice",
    &[f(1, "name", Str, Req), f(2, "devicePath", Str, Req)],
);
static ENV_VAR: Message = message(
    "EnvVar",
    &[
        f(1, "name", Str, Req),
        f(2, "value", Str, Opt),
        f(3, "valueFrom", Msg(&ENV_VAR_SOURCE), Ptr),
    ],
);
static ENV_VAR_SOURCE: Message = message(
    "EnvVarSource",
    &[
        f(1, "fieldRef", Msg(&OBJECT_FIELD_SELECTOR), Ptr),
        f(2, "resourceFieldRef", Msg(&RESOURCE_FIELD_SELECTOR), Ptr),
        f(3, "configMapKeyRef", Msg(&CONFIG_MAP_KEY_SELECTOR), Ptr),
        f(4, "secretKeyRef", Msg(&SECRET_KEY_SELECTOR), Ptr),
        f(5, "fileKeyRef", Msg(&FILE_KEY_SELECTOR), Ptr),
    ],
);
static FILE_KEY_SELECTOR: Message = message(
    "FileKeySelector",
    &[
        f(1, "volumeName", Str, Req),
        f(2, "path", Str, Req),
        f(3, "key", Str, Req),
        f(4, "optional", Bool, Ptr),
    ],
);
static OBJECT_FIELD_SELECTOR: Message = message(
    "ObjectFieldSelector",
    &[f(1, "apiVersion", Str, Opt), f(2, "fieldPath", Str, Req)],
);
static RESOURCE_FIELD_SELECTOR: Message = message(
    "ResourceFieldSelector",
    &[
        f(1, "containerName", Str, Opt),
        f(2, "resource", Str, Req),
        f(3, "divisor", Quantity, Opt),
    ],
);
static CONFIG_MAP_KEY_SELECTOR: Message = message(
    "ConfigMapKeySelector",
    &[
        f(
            1,
            "localObjectReference",
            Msg(&LOCAL_OBJECT_REFERENCE),
            Inline,
        ),
        f(2, "key", Str, Req),
        f(3, "optional", Bool, Ptr),
    ],
);
static SECRET_KEY_SELECTOR: Message = message(
    "SecretKeySelector",
    &[
        f(
            1,
            "localObjectReference",
            Msg(&LOCAL_OBJECT_REFERENCE),
            Inline,
        ),
        f(2, "key", Str, Req),
        f(3, "optional", Bool, Ptr),
    ],
);
static ENV_FROM_SOURCE: Message = message(
    "EnvFromSource",
    &[
        f(1, "prefix", Str, Opt),
        f(2, "configMapRef", Msg(&CONFIG_MAP_ENV_SOURCE), Ptr),
        f(3, "secretRef", Msg(&SECRET_ENV_SOURCE), Ptr),
    ],
);
static CONFIG_MAP_ENV_SOURCE: Message = message(
    "ConfigMapEnvSource",
    &[
        f(
            1,
            "localObjectReference",
            Msg(&LOCAL_OBJECT_REFERENCE),
            Inline,
        ),
        f(2, "optional", Bool, Ptr),
    ],
);
static SECRET_ENV_SOURCE: Message = message(
    "SecretEnvSource",
    &[
        f(
            1,
            "localObjectReference",
            Msg(&LOCAL_OBJECT_REFERENCE),
            Inline,
        ),
        f(2, "optional", Bool, Ptr),
    ],
);
static HTTP_HEADER: Message = message(
    "HTTPHeader",
    &[f(1, "name", Str, Req), f(2, "value", Str, Req)],
);
static HTTP_GET_ACTION: Message = message(
    "HTTPGetAction",
    &[
        f(1, "path", Str, Opt),
        f(2, "port", IntOrString, Req),
        f(3, "host", Str, Opt),
        f(4, "scheme", Str, Opt),
        f(5, "httpHeaders", Msg(&HTTP_HEADER), Rep),
    ],
);
static TCP_SOCKET_ACTION: Message = message(
    "TCPSocketAction",
    &[f(1, "port", IntOrString, Req), f(2, "host", Str, Opt)],
);
static GRPC_ACTION: Message = message(
    "GRPCAction",
    &[f(1, "port", I32, Req), f(2, "service", Str, Ptr)],
);
static EXEC_ACTION: Message = message("ExecAction", &[f(1, "command", Str, Rep)]);
static SLEEP_ACTION: Message = message("SleepAction", &[f(1, "seconds", I64, Req)]);
static PROBE: Message = message(
    "Probe",
    &[
        f(1, "probeHandler", Msg(&PROBE_HANDLER), Inline),
        f(2, "initialDelaySeconds", I32, Opt),
        f(3, "timeoutSeconds", I32, Opt),
        f(4, "periodSeconds", I32, Opt),
        f(5, "successThreshold", I32, Opt),
        f(6, "failureThreshold", I32, Opt),
        f(7, "terminationGracePeriodSeconds", I64, Ptr),
    ],
);
static CONTAINER_RESIZE_POLICY: Message = message(
    "ContainerResizePolicy",
    &[
        f(1, "resourceName", Str, Req),
        f(2, "restartPolicy", Str, Req),
    ],
);
static CAPABILITIES: Message = message(
    "Capabilities",
    &[f(1, "add", Str, Rep), f(2, "drop", Str, Rep)],
);
static RESOURCE_REQUIREMENTS: Message = message(
    "ResourceRequirements",
    &[
        f(1, "limits", Quantity, Map),
        f(2, "requests", Quantity, Map),
        f(3, "claims", Msg(&RESOURCE_CLAIM), Rep),
    ],
);
static VOLUME_RESOURCE_REQUIREMENTS: Message = message(
    "VolumeResourceRequirements",
    &[
        f(1, "limits", Quantity, Map),
        f(2, "requests", Quantity, Map),
    ],
);
static RESOURCE_CLAIM: Message = message(
    "ResourceClaim",
    &[f(1, "name", Str, Req), f(2, "request", Str, Opt)],
);
static CONTAINER: Message = message(
    "Container",
    &[
        f(1, "name", Str, Req),
        f(2, "image", Str, Opt),
        f(3, "command", Str, Rep),
        f(4, "args", Str, Rep),
        f(5, "workingDir", Str, Opt),
        f(6, "ports", Msg(&CONTAINER_PORT), Rep),
        f(19, "envFrom", Msg(&ENV_FROM_SOURCE), Rep),
        f(7, "env", Msg(&ENV_VAR), Rep),
        f(8, "resources", Msg(&RESOURCE_REQUIREMENTS), Opt),
        f(23, "resizePolicy", Msg(&CONTAINER_RESIZE_POLICY), Rep),
        f(24, "restartPolicy", Str, Ptr),
        f(25, "restartPolicyRules", Msg(&CONTAINER_RESTART_RULE), Rep),
        f(9, "volumeMounts", Msg(&VOLUME_MOUNT), Rep),
        f(21, "volumeDevices", Msg(&VOLUME_DEVICE), Rep),
        f(10, "livenessProbe", Msg(&PROBE), Ptr),
        f(11, "readinessProbe", Msg(&PROBE), Ptr),
        f(22, "startupProbe", Msg(&PROBE), Ptr),
        f(12, "lifecycle", Msg(&LIFECYCLE), Ptr),
        f(13, "terminationMessagePath", Str, Opt),
        f(20, "terminationMessagePolicy", Str, Opt),
        f(14, "imagePullPolicy", Str, Opt),
        f(15, "securityContext", Msg(&SECURITY_CONTEXT), Ptr),
        f(16, "stdin", Bool, Opt),
        f(17, "stdinOnce", Bool, Opt),
        f(18, "tty", Bool, Opt),
    ],
);
static PROBE_HANDLER: Message = message(
    "ProbeHandler",
    &[
        f(1, "exec", Msg(&EXEC_ACTION), Ptr),
        f(2, "httpGet", Msg(&HTTP_GET_ACTION), Ptr),
        f(3, "tcpSocket", Msg(&TCP_SOCKET_ACTION), Ptr),
        f(4, "grpc", Msg(&GRPC_ACTION), Ptr),
    ],
);
static LIFECYCLE_HANDLER: Message = message(
    "LifecycleHandler",
    &[
        f(1, "exec", Msg(&EXEC_ACTION), Ptr),
        f(2, "httpGet", Msg(&HTTP_GET_ACTION), Ptr),
        f(3, "tcpSocket", Msg(&TCP_SOCKET_ACTION), Ptr),
        f(4, "sleep", Msg(&SLEEP_ACTION), Ptr),
    ],
);
static LIFECYCLE: Message = message(
    "Lifecycle",
    &[
        f(1, "postStart", Msg(&LIFECYCLE_HANDLER), Ptr),
        f(2, "preStop", Msg(&LIFECYCLE_HANDLER), Ptr),
        f(3, "stopSignal", Str, Ptr),
    ],
);
static CONTAINER_STATE_WAITING: Message = message(
    "ContainerStateWaiting",
    &[f(1, "reason", Str, Opt), f(2, "message", Str, Opt)],
);
static CONTAINER_STATE_RUNNING: Message =
    message("ContainerStateRunning", &[f(1, "startedAt", Time, Opt)]);
static CONTAINER_STATE_TERMINATED: Message = message(
    "ContainerStateTerminated",
    &[
        f(1, "exitCode", I32, Req),
        f(2, "signal", I32, Opt),
        f(3, "reason", Str, Opt),
        f(4, "message", Str, Opt),
        f(5, "startedAt", Time, Opt),
        f(6, "finishedAt", Time, Opt),
        f(7, "containerID", Str, Opt),
    ],
);
static CONTAINER_STATE: Message = message(
    "ContainerState",
    &[
        f(1, "waiting", Msg(&CONTAINER_STATE_WAITING), Ptr),
        f(2, "running", Msg(&CONTAINER_STATE_RUNNING), Ptr),
        f(3, "terminated", Msg(&CONTAINER_STATE_TERMINATED), Ptr),
    ],
);
static CONTAINER_STATUS: Message = message(
    "ContainerStatus",
    &[
        f(1, "name", Str, Req),
        f(2, "state", Msg(&CONTAINER_STATE), Opt),
        f(3, "lastState", Msg(&CONTAINER_STATE), Opt),
        f(4, "ready", Bool, Req),
        f(5, "restartCount", I32, Req),
        f(6, "image", Str, Req),
        f(7, "imageID", Str, Req),
        f(8, "containerID", Str, Opt),
        f(9, "started", Bool, Ptr),
        f(10, "allocatedResources", Quantity, Map),
        f(11, "resources", Msg(&RESOURCE_REQUIREMENTS), Ptr),
        f(12, "volumeMounts", Msg(&VOLUME_MOUNT_STATUS), Rep),
        f(13, "user", Msg(&CONTAINER_USER), Ptr),
        f(14, "allocatedResourcesStatus", Msg(&RESOURCE_STATUS), Rep),
        f(15, "stopSignal", Str, Ptr),
    ],
);
static RESOURCE_STATUS: Message = message(
    "ResourceStatus",
    &[
        f(1, "name", Str, Req),
        f(2, "resources", Msg(&RESOURCE_HEALTH), Rep),
    ],
);
static RESOURCE_HEALTH: Message = message(
    "ResourceHealth",
    &[
        f(1, "resourceID", Str, Req),
        f(2, "health", Str, Opt),
        f(6, "message", Str, Ptr),
    ],
);
static CONTAINER_USER: Message = message(
    "ContainerUser",
    &[f(1, "linux", Msg(&LINUX_CONTAINER_USER), Ptr)],
);
static LINUX_CONTAINER_USER: Message = message(
    "LinuxContainerUser",
    &[
        f(1, "uid", I64, Req),
        f(2, "gid", I64, Req),
        f(3, "supplementalGroups", I64, Rep),
    ],
);
static POD_CONDITION: Message = message(
    "PodCondition",
    &[
        f(1, "type", Str, Req),
        f(7, "observedGeneration", I64, Opt),
        f(2, "status", Str, Req),
        f(3, "lastProbeTime", Time, Opt),
        f(4, "lastTransitionTime", Time, Opt),
        f(5, "reason", Str, Opt),
        f(6, "message", Str, Opt),
    ],
);
static VOLUME_MOUNT_STATUS: Message = message(
    "VolumeMountStatus",
    &[
        f(1, "name", Str, Req),
        f(2, "mountPath", Str, Req),
        f(3, "readOnly", Bool, Opt),
        f(4, "recursiveReadOnly", Str, Ptr),
        f(5, "volumeStatus", Msg(&VOLUME_STATUS), Ptr),
    ],
);
static VOLUME_STATUS: Message = message(
    "VolumeStatus",
    &[f(1, "image", Msg(&IMAGE_VOLUME_STATUS), Ptr)],
);
static IMAGE_VOLUME_STATUS: Message = message("ImageVolumeStatus", &[f(1, "imageRef", Str, Opt)]);
static CONTAINER_RESTART_RULE: Message = message(
    "ContainerRestartRule",
    &[
        f(1, "action", Str, Req),
        f(
            2,
            "exitCodes",
            Msg(&CONTAINER_RESTART_RULE_ON_EXIT_CODES),
            Ptr,
        ),
    ],
);
static CONTAINER_RESTART_RULE_ON_EXIT_CODES: Message = message(
    "ContainerRestartRuleOnExitCodes",
    &[f(1, "operator", Str, Req), f(2, "values", I32, Rep)],
);
static NODE_SELECTOR: Message = message(
    "NodeSelector",
    &[f(1, "nodeSelectorTerms", Msg(&NODE_SELECTOR_TERM), Rep)],
);
static NODE_SELECTOR_TERM: Message = message(
    "NodeSelectorTerm",
    &[
        f(1, "matchExpressions", Msg(&NODE_SELECTOR_REQUIREMENT), Rep),
        f(2, "matchFields", Msg(&NODE_SELECTOR_REQUIREMENT), Rep),
    ],
);
static NODE_SELECTOR_REQUIREMENT: Message = message(
    "NodeSelectorRequirement",
    &[
        f(1, "key", Str, Req),
        f(2, "operator", Str, Req),
        f(3, "values", Str, Rep),
    ],
);
static AFFINITY: Message = message(
    "Affinity",
    &[
        f(1, "nodeAffinity", Msg(&NODE_AFFINITY), Ptr),
        f(2, "podAffinity", Msg(&POD_AFFINITY), Ptr),
        f(3, "podAntiAffinity", Msg(&POD_ANTI_AFFINITY), Ptr),
    ],
);
static POD_AFFINITY: Message = message(
    "PodAffinity",
    &[
        f(
            1,
            "requiredDuringSchedulingIgnoredDuringExecution",
            Msg(&POD_AFFINITY_TERM),
            Rep,
        ),
        f(
            2,
            "preferredDuringSchedulingIgnoredDuringExecution",
            Msg(&WEIGHTED_POD_AFFINITY_TERM),
            Rep,
        ),
    ],
);
static POD_ANTI_AFFINITY: Message = message(
    "PodAntiAffinity",
    &[
        f(
            1,
            "requiredDuringSchedulingIgnoredDuringExecution",
            Msg(&POD_AFFINITY_TERM),
            Rep,
        ),
        f(
            2,
            "preferredDuringSchedulingIgnoredDuringExecution",
            Msg(&WEIGHTED_POD_AFFINITY_TERM),
            Rep,
        ),
    ],
);
static WEIGHTED_POD_AFFINITY_TERM: Message = message(
    "WeightedPodAffinityTerm",
    &[
        f(1, "weight", I32, Req),
        f(2, "podAffinityTerm", Msg(&POD_AFFINITY_TERM), Opt),
    ],
);
static POD_AFFINITY_TERM: Message = message(
    "PodAffinityTerm",
    &[
        f(1, "labelSelector", Msg(&LABEL_SELECTOR), Ptr),
        f(2, "namespaces", Str, Rep),
        f(3, "topologyKey", Str, Req),
        f(4, "namespaceSelector", Msg(&LABEL_SELECTOR), Ptr),
        f(5, "matchLabelKeys", Str, Rep),
        f(6, "mismatchLabelKeys", Str, Rep),
    ],
);
static NODE_AFFINITY: Message = message(
    "NodeAffinity",
    &[
        f(
            1,
            "requiredDuringSchedulingIgnoredDuringExecution",
            Msg(&NODE_SELECTOR),
            Ptr,
        ),
        f(
            2,
            "preferredDuringSchedulingIgnoredDuringExecution",
            Msg(&PREFERRED_SCHEDULING_TERM),
            Rep,
        ),
    ],
);
static PREFERRED_SCHEDULING_TERM: Message = message(
    "PreferredSchedulingTerm",
    &[
        f(1, "weight", I32, Req),
        f(2, "preference", Msg(&NODE_SELECTOR_TERM), Opt),
    ],
);
static TAINT: Message = message(
    "Taint",
    &[
        f(1, "key", Str, Req),
        f(2, "value", Str, Opt),
        f(3, "effect", Str, Req),
        f(4, "timeAdded", Time, Ptr),
    ],
);
static TOLERATION: Message = message(
    "Toleration",
    &[
        f(1, "key", Str, Opt),
        f(2, "operator", Str, Opt),
        f(3, "value", Str, Opt),
        f(4, "effect", Str, Opt),
        f(5, "tolerationSeconds", I64, Ptr),
    ],
);
static POD_READINESS_GATE: Message =
    message("PodReadinessGate", &[f(1, "conditionType", Str, Req)]);
static POD_SPEC: Message = message(
    "PodSpec",
    &[
        f(1, "volumes", Msg(&VOLUME), Rep),
        f(20, "initContainers", Msg(&CONTAINER), Rep),
        f(2, "containers", Msg(&CONTAINER), Rep),
        f(34, "ephemeralContainers", Msg(&EPHEMERAL_CONTAINER), Rep),
        f(3, "restartPolicy", Str, Opt),
        f(4, "terminationGracePeriodSeconds", I64, Ptr),
        f(5, "activeDeadlineSeconds", I64, Ptr),
        f(6, "dnsPolicy", Str, Opt),
        f(7, "nodeSelector", Str, Map),
        f(8, "serviceAccountName", Str, Opt),
        f(9, "serviceAccount", Str, Opt),
        f(21, "automountServiceAccountToken", Bool, Ptr),
        f(10, "nodeName", Str, Opt),
        f(11, "hostNetwork", Bool, Opt),
        f(12, "hostPID", Bool, Opt),
        f(13, "hostIPC", Bool, Opt),
        f(27, "shareProcessNamespace", Bool, Ptr),
        f(14, "securityContext", Msg(&POD_SECURITY_CONTEXT), Ptr),
        f(15, "imagePullSecrets", Msg(&LOCAL_OBJECT_REFERENCE), Rep),
        f(16, "hostname", Str, Opt),
        f(17, "subdomain", Str, Opt),
        f(18, "affinity", Msg(&AFFINITY), Ptr),
        f(19, "schedulerName", Str, Opt),
        f(22, "tolerations", Msg(&TOLERATION), Rep),
        f(23, "hostAliases", Msg(&HOST_ALIAS), Rep),
        f(24, "priorityClassName", Str, Opt),
        f(25, "priority", I32, Ptr),
        f(26, "dnsConfig", Msg(&POD_DNS_CONFIG), Ptr),
        f(28, "readinessGates", Msg(&POD_READINESS_GATE), Rep),
        f(29, "runtimeClassName", Str, Ptr),
        f(30, "enableServiceLinks", Bool, Ptr),
        f(31, "preemptionPolicy", Str, Ptr),
        f(32, "overhead", Quantity, Map),
        f(
            33,
            "topologySpreadConstraints",
            Msg(&TOPOLOGY_SPREAD_CONSTRAINT),
            Rep,
        ),
        f(35, "setHostnameAsFQDN", Bool, Ptr),
        f(36, "os", Msg(&POD_OS), Ptr),
        f(37, "hostUsers", Bool, Ptr),
        f(38, "schedulingGates", Msg(&POD_SCHEDULING_GATE), Rep),
        f(39, "resourceClaims", Msg(&POD_RESOURCE_CLAIM), Rep),
        f(40, "resources", Msg(&RESOURCE_REQUIREMENTS), Ptr),
        f(41, "hostnameOverride", Str, Ptr),
        f(43, "schedulingGroup", Msg(&POD_SCHEDULING_GROUP), Ptr),
    ],
);
static POD_RESOURCE_CLAIM: Message = message(
    "PodResourceClaim",
    &[
        f(1, "name", Str, Req),
        f(3, "resourceClaimName", Str, Ptr),
        f(4, "resourceClaimTemplateName", Str, Ptr),
    ],
);
static POD_RESOURCE_CLAIM_STATUS: Message = message(
    "PodResourceClaimStatus",
    &[f(1, "name", Str, Req), f(2, "resourceClaimName", Str, Ptr)],
);
static POD_EXTENDED_RESOURCE_CLAIM_STATUS: Message = message(
    "PodExtendedResourceClaimStatus",
    &[
        f(
            1,
            "requestMappings",
            Msg(&CONTAINER_EXTENDED_RESOURCE_REQUEST),
            Rep,
        ),
        f(2, "resourceClaimName", Str, Req),
    ],
);
static CONTAINER_EXTENDED_RESOURCE_REQUEST: Message = message(
    "ContainerExtendedResourceRequest",
    &[
        f(1, "containerName", Str, Req),
        f(2, "resourceName", Str, Req),
        f(3, "requestName", Str, Req),
    ],
);
static POD_OS: Message = message("PodOS", &[f(1, "name", Str, Req)]);
static POD_SCHEDULING_GATE: Message = message("PodSchedulingGate", &[f(1, "name", Str, Req)]);
static POD_SCHEDULING_GROUP: Message =
    message("PodSchedulingGroup", &[f(1, "podGroupName", Str, Ptr)]);
static TOPOLOGY_SPREAD_CONSTRAINT: Message = message(
    "TopologySpreadConstraint",
    &[
        f(1, "maxSkew", I32, Req),
        f(2, "topologyKey", Str, Req),
        f(3, "whenUnsatisfiable", Str, Req),
        f(4, "labelSelector", Msg(&LABEL_SELECTOR), Ptr),
        f(5, "minDomains", I32, Ptr),
        f(6, "nodeAffinityPolicy", Str, Ptr),
        f(7, "nodeTaintsPolicy", Str, Ptr),
        f(8, "matchLabelKeys", Str, Rep),
    ],
);
static HOST_ALIAS: Message = message(
    "HostAlias",
    &[f(1, "ip", Str, Req), f(2, "hostnames", Str, Rep)],
);
static POD_SECURITY_CONTEXT: Message = message(
    "PodSecurityContext",
    &[
        f(1, "seLinuxOptions", Msg(&SE_LINUX_OPTIONS), Ptr),
        f(
            8,
            "windowsOptions",
            Msg(&WINDOWS_SECURITY_CONTEXT_OPTIONS),
            Ptr,
        ),
        f(2, "runAsUser", I64, Ptr),
        f(6, "runAsGroup", I64, Ptr),
        f(3, "runAsNonRoot", Bool, Ptr),
        f(4, "supplementalGroups", I64, Rep),
        f(12, "supplementalGroupsPolicy", Str, Ptr),
        f(5, "fsGroup", I64, Ptr),
        f(7, "sysctls", Msg(&SYSCTL), Rep),
        f(9, "fsGroupChangePolicy", Str, Ptr),
        f(10, "seccompProfile", Msg(&SECCOMP_PROFILE), Ptr),
        f(11, "appArmorProfile", Msg(&APP_ARMOR_PROFILE), Ptr),
        f(13, "seLinuxChangePolicy", Str, Ptr),
    ],
);
static SECCOMP_PROFILE: Message = message(
    "SeccompProfile",
    &[f(1, "type", Str, Req), f(2, "localhostProfile", Str, Ptr)],
);
static APP_ARMOR_PROFILE: Message = message(
    "AppArmorProfile",
    &[f(1, "type", Str, Req), f(2, "localhostProfile", Str, Ptr)],
);
static POD_DNS_CONFIG: Message = message(
    "PodDNSConfig",
    &[
        f(1, "nameservers", Str, Rep),
        f(2, "searches", Str, Rep),
        f(3, "options", Msg(&POD_DNS_CONFIG_OPTION), Rep),
    ],
);
static POD_DNS_CONFIG_OPTION: Message = message(
    "PodDNSConfigOption",
    &[f(1, "name", Str, Opt), f(2, "value", Str, Ptr)],
);
static POD_IP: Message = message("PodIP", &[f(1, "ip", Str, Req)]);
static HOST_IP: Message = message("HostIP", &[f(1, "ip", Str, Req)]);
static EPHEMERAL_CONTAINER_COMMON: Message = message(
    "EphemeralContainerCommon",
    &[
        f(1, "name", Str, Opt),
        f(2, "image", Str, Opt),
        f(3, "command", Str, Rep),
        f(4, "args", Str, Rep),
        f(5, "workingDir", Str, Opt),
        f(6, "ports", Msg(&CONTAINER_PORT), Rep),
        f(19, "envFrom", Msg(&ENV_FROM_SOURCE), Rep),
        f(7, "env", Msg(&ENV_VAR), Rep),
        f(8, "resources", Msg(&RESOURCE_REQUIREMENTS), Opt),
        f(23, "resizePolicy", Msg(&CONTAINER_RESIZE_POLICY), Rep),
        f(24, "restartPolicy", Str, Ptr),
        f(25, "restartPolicyRules", Msg(&CONTAINER_RESTART_RULE), Rep),
        f(9, "volumeMounts", Msg(&VOLUME_MOUNT), Rep),
        f(21, "volumeDevices", Msg(&VOLUME_DEVICE), Rep),
        f(10, "livenessProbe", Msg(&PROBE), Ptr),
        f(11, "readinessProbe", Msg(&PROBE), Ptr),
        f(22, "startupProbe", Msg(&PROBE), Ptr),
        f(12, "lifecycle", Msg(&LIFECYCLE), Ptr),
        f(13, "terminationMessagePath", Str, Opt),
        f(20, "terminationMessagePolicy", Str, Opt),
        f(14, "imagePullPolicy", Str, Opt),
        f(15, "securityContext", Msg(&SECURITY_CONTEXT), Ptr),
        f(16, "stdin", Bool, Opt),
        f(17, "stdinOnce", Bool, Opt),
        f(18, "tty", Bool, Opt),
    ],
);
static EPHEMERAL_CONTAINER: Message = message(
    "EphemeralContainer",
    &[
        f(
            1,
            "ephemeralContainerCommon",
            Msg(&EPHEMERAL_CONTAINER_COMMON),
            Inline,
        ),
        f(2, "targetContainerName", Str, Opt),
    ],
);
static POD_STATUS: Message = message(
    "PodStatus",
    &[
        f(17, "observedGeneration", I64, Opt),
        f(1, "phase", Str, Opt),
        f(2, "conditions", Msg(&POD_CONDITION), Rep),
        f(3, "message", Str, Opt),
        f(4, "reason", Str, Opt),
        f(11, "nominatedNodeName", Str, Opt),
        f(5, "hostIP", Str, Opt),
        f(16, "hostIPs", Msg(&HOST_IP), Rep),
        f(6, "podIP", Str, Opt),
        f(12, "podIPs", Msg(&POD_IP), Rep),
        f(7, "startTime", Time, Ptr),
        f(10, "initContainerStatuses", Msg(&CONTAINER_STATUS), Rep),
        f(8, "containerStatuses", Msg(&CONTAINER_STATUS), Rep),
        f(9, "qosClass", Str, Opt),
        f(
            13,
            "ephemeralContainerStatuses",
            Msg(&CONTAINER_STATUS),
            Rep,
        ),
        f(14, "resize", Str, Opt),
        f(
            15,
            "resourceClaimStatuses",
            Msg(&POD_RESOURCE_CLAIM_STATUS),
            Rep,
        ),
        f(
            18,
            "extendedResourceClaimStatus",
            Msg(&POD_EXTENDED_RESOURCE_CLAIM_STATUS),
            Ptr,
        ),
        f(19, "allocatedResources", Quantity, Map),
        f(20, "resources", Msg(&RESOURCE_REQUIREMENTS), Ptr),
        f(
            21,
            "nodeAllocatableResourceClaimStatuses",
            Msg(&NODE_ALLOCATABLE_RESOURCE_CLAIM_STATUS),
            Rep,
        ),
    ],
);
static POD: Message = message(
    "Pod",
    &[
        f(1, "metadata", Msg(&OBJECT_META), Opt),
        f(2, "spec", Msg(&POD_SPEC), Opt),
        f(3, "status", Msg(&POD_STATUS), Opt),
    ],
);
static POD_TEMPLATE_SPEC: Message = message(
    "PodTemplateSpec",
    &[
        f(1, "metadata", Msg(&OBJECT_META), Opt),
        f(2, "spec", Msg(&POD_SPEC), Opt),
    ],
);
static POD_TEMPLATE: Message = message(
    "PodTemplate",
    &[
        f(1, "metadata", Msg(&OBJECT_META), Opt),
        f(2, "template", Msg(&POD_TEMPLATE_SPEC), Opt),
    ],
);
static REPLICATION_CONTROLLER_SPEC: Message = message(
    "ReplicationControllerSpec",
    &[
        f(1, "replicas", I32, Ptr),
        f(4, "minReadySeconds", I32, Opt),
        f(2, "selector", Str, Map),
        f(3, "template", Msg(&POD_TEMPLATE_SPEC), Ptr),
    ],
);
static REPLICATION_CONTROLLER_STATUS: Message = message(
    "ReplicationControllerStatus",
    &[
        f(1, "replicas", I32, Req),
        f(2, "fullyLabeledReplicas", I32, Opt),
        f(4, "readyReplicas", I32, Opt),
        f(5, "availableReplicas", I32, Opt),
        f(3, "observedGeneration", I64, Opt),
        f(6, "conditions", Msg(&REPLICATION_CONTROLLER_CONDITION), Rep),
    ],
);
static REPLICATION_CONTROLLER_CONDITION: Message = message(
    "ReplicationControllerCondition",
    &[
        f(1, "type", Str, Req),
        f(2, "status", Str, Req),
        f(3, "lastTransitionTime", Time, Opt),
        f(4, "reason", Str, Opt),
        f(5, "message", Str, Opt),
    ],
);
static REPLICATION_CONTROLLER: Message = message(
    "ReplicationController",
    &[
        f(1, "metadata", Msg(&OBJECT_META), Opt),
        f(2, "spec", Msg(&REPLICATION_CONTROLLER_SPEC), Opt),
        f(3, "status", Msg(&REPLICATION_CONTROLLER_STATUS), Opt),
    ],
);
static SESSION_AFFINITY_CONFIG: Message = message(
    "SessionAffinityConfig",
    &[f(1, "clientIP", Msg(&CLIENT_IP_CONFIG), Ptr)],
);
static CLIENT_IP_CONFIG: Message = message("ClientIPConfig", &[f(1, "timeoutSeconds", I32, Ptr)]);
static SERVICE_STATUS: Message = message(
    "ServiceStatus",
    &[
        f(1, "loadBalancer", Msg(&LOAD_BALANCER_STATUS), Opt),
        f(2, "conditions", Msg(&CONDITION), Rep),
    ],
);
static LOAD_BALANCER_STATUS: Message = message(
    "LoadBalancerStatus",
    &[f(1, "ingress", Msg(&LOAD_BALANCER_INGRESS), Rep)],
);
static LOAD_BALANCER_INGRESS: Message = message(
    "LoadBalancerIngress",
    &[
        f(1, "ip", Str, Opt),
        f(2, "hostname", Str, Opt),
        f(3, "ipMode", Str, Ptr),
        f(4, "ports", Msg(&PORT_STATUS), Rep),
    ],
);
static SERVICE_SPEC: Message = message(
    "ServiceSpec",
    &[
        f(1, "ports", Msg(&SERVICE_PORT), Rep),
        f(2, "selector", Str, Map),
        f(3, "clusterIP", Str, Opt),
        f(18, "clusterIPs", Str, Rep),
        f(4, "type", Str, Opt),
        f(5, "externalIPs", Str, Rep),
        f(7, "sessionAffinity", Str, Opt),
        f(8, "loadBalancerIP", Str, Opt),
        f(9, "loadBalancerSourceRanges", Str, Rep),
        f(10, "externalName", Str, Opt),
        f(11, "externalTrafficPolicy", Str, Opt),
        f(12, "healthCheckNodePort", I32, Opt),
        f(13, "publishNotReadyAddresses", Bool, Opt),
        f(
            14,
            "sessionAffinityConfig",
            Msg(&SESSION_AFFINITY_CONFIG),
            Ptr,
        ),
        f(19, "ipFamilies", Str, Rep),
        f(17, "ipFamilyPolicy", Str, Ptr),
        f(20, "allocateLoadBalancerNodePorts", Bool, Ptr),
        f(21, "loadBalancerClass", Str, Ptr),
        f(22, "internalTrafficPolicy", Str, Ptr),
        f(23, "trafficDistribution", Str, Ptr),
    ],
);
static SERVICE_PORT: Message = message(
    "ServicePort",
    &[
        f(1, "name", Str, Opt),
        f(2, "protocol", Str, Opt),
        f(6, "appProtocol", Str, Ptr),
        f(3, "port", I32, Req),
        f(4, "targetPort", IntOrString, Opt),
        f(5, "nodePort", I32, Opt),
    ],
);
static SERVICE: Message = message(
    "Service",
    &[
        f(1, "metadata", Msg(&OBJECT_META), Opt),
        f(2, "spec", Msg(&SERVICE_SPEC), Opt),
        f(3, "status", Msg(&SERVICE_STATUS), Opt),
    ],
);
static SERVICE_ACCOUNT: Message = message(
    "ServiceAccount",
    &[
        f(1, "metadata", Msg(&OBJECT_META), Opt),
        f(2, "secrets", Msg(&OBJECT_REFERENCE), Rep),
        f(3, "imagePullSecrets", Msg(&LOCAL_OBJECT_REFERENCE), Rep),
        f(4, "automountServiceAccountToken", Bool, Ptr),
    ],
);
static ENDPOINTS: Message = message(
    "Endpoints",
    &[
        f(1, "metadata", Msg(&OBJECT_META), Opt),
        f(2, "subsets", Msg(&ENDPOINT_SUBSET), Rep),
    ],
);
static ENDPOINT_SUBSET: Message = message(
    "EndpointSubset",
    &[
        f(1, "addresses", Msg(&ENDPOINT_ADDRESS), Rep),
        f(2, "notReadyAddresses", Msg(&ENDPOINT_ADDRESS), Rep),
        f(3, "ports", Msg(&ENDPOINT_PORT), Rep),
    ],
);
static ENDPOINT_ADDRESS: Message = message(
    "EndpointAddress",
    &[
        f(1, "ip", Str, Req),
        f(3, "hostname", Str, Opt),
        f(4, "nodeName", Str, Ptr),
        f(2, "targetRef", Msg(&OBJECT_REFERENCE), Ptr),
    ],
);
static ENDPOINT_PORT: Message = message(
    "EndpointPort",
    &[
        f(1, "name", Str, Opt),
        f(2, "port", I32, Req),
        f(3, "protocol", Str, Opt),
        f(4, "appProtocol", Str, Ptr),
    ],
);
static NODE_SPEC: Message = message(
    "NodeSpec",
    &[
        f(1, "podCIDR", Str, Opt),
        f(7, "podCIDRs", Str, Rep),
        f(3, "providerID", Str, Opt),
        f(4, "unschedulable", Bool, Opt),
        f(5, "taints", Msg(&TAINT), Rep),
        f(6, "configSource", Msg(&NODE_CONFIG_SOURCE), Ptr),
        f(2, "externalID", Str, Opt),
    ],
);
static NODE_CONFIG_SOURCE: Message = message(
    "NodeConfigSource",
    &[f(2, "configMap", Msg(&CONFIG_MAP_NODE_CONFIG_SOURCE), Ptr)],
);
static CONFIG_MAP_NODE_CONFIG_SOURCE: Message = message(
    "ConfigMapNodeConfigSource",
    &[
        f(1, "namespace", Str, Req),
        f(2, "name", Str, Req),
        f(3, "uid", Str, Opt),
        f(4, "resourceVersion", Str, Opt),
        f(5, "kubeletConfigKey", Str, Req),
    ],
);
static DAEMON_ENDPOINT: Message = message("DaemonEndpoint", &[f(1, "Port", I32, Req)]);
static NODE_DAEMON_ENDPOINTS: Message = message(
    "NodeDaemonEndpoints",
    &[f(1, "kubeletEndpoint", Msg(&DAEMON_ENDPOINT), Opt)],
);
static NODE_RUNTIME_HANDLER_FEATURES: Message = message(
    "NodeRuntimeHandlerFeatures",
    &[
        f(1, "recursiveReadOnlyMounts", Bool, Ptr),
        f(2, "userNamespaces", Bool, Ptr),
    ],
);
static NODE_RUNTIME_HANDLER: Message = message(
    "NodeRuntimeHandler",
    &[
        f(1, "name", Str, Opt),
        f(2, "features", Msg(&NODE_RUNTIME_HANDLER_FEATURES), Ptr),
    ],
);
static NODE_FEATURES: Message = message(
    "NodeFeatures",
    &[f(1, "supplementalGroupsPolicy", Bool, Ptr)],
);
static NODE_SYSTEM_INFO: Message = message(
    "NodeSystemInfo",
    &[
        f(1, "machineID", Str, Req),
        f(2, "systemUUID", Str, Req),
        f(3, "bootID", Str, Req),
        f(4, "kernelVersion", Str, Req),
        f(5, "osImage", Str, Req),
        f(6, "containerRuntimeVersion", Str, Req),
        f(7, "kubeletVersion", Str, Req),
        f(8, "kubeProxyVersion", Str, Req),
        f(9, "operatingSystem", Str, Req),
        f(10, "architecture", Str, Req),
        f(11, "swap", Msg(&NODE_SWAP_STATUS), Ptr),
    ],
);
static NODE_SWAP_STATUS: Message = message("NodeSwapStatus", &[f(1, "capacity", I64, Ptr)]);
static NODE_CONFIG_STATUS: Message = message(
    "NodeConfigStatus",
    &[
        f(1, "assigned", Msg(&NODE_CONFIG_SOURCE), Ptr),
        f(2, "active", Msg(&NODE_CONFIG_SOURCE), Ptr),
        f(3, "lastKnownGood", Msg(&NODE_CONFIG_SOURCE), Ptr),
        f(4, "error", Str, Opt),
    ],
);
static NODE_STATUS: Message = message(
    "NodeStatus",
    &[
        f(1, "capacity", Quantity, Map),
        f(2, "allocatable", Quantity, Map),
        f(3, "phase", Str, Opt),
        f(4, "conditions", Msg(&NODE_CONDITION), Rep),
        f(5, "addresses", Msg(&NODE_ADDRESS), Rep),
        f(6, "daemonEndpoints", Msg(&NODE_DAEMON_ENDPOINTS), Opt),
        f(7, "nodeInfo", Msg(&NODE_SYSTEM_INFO), Opt),
        f(8, "images", Msg(&CONTAINER_IMAGE), Rep),
        f(9, "volumesInUse", Str, Rep),
        f(10, "volumesAttached", Msg(&ATTACHED_VOLUME), Rep),
        f(11, "config", Msg(&NODE_CONFIG_STATUS), Ptr),
        f(12, "runtimeHandlers", Msg(&NODE_RUNTIME_HANDLER), Rep),
        f(13, "features", Msg(&NODE_FEATURES), Ptr),
        f(14, "declaredFeatures", Str, Rep),
    ],
);
static ATTACHED_VOLUME: Message = message(
    "AttachedVolume",
    &[f(1, "name", Str, Req), f(2, "devicePath", Str, Req)],
);
static CONTAINER_IMAGE: Message = message(
    "ContainerImage",
    &[f(1, "names", Str, Rep), f(2, "sizeBytes", I64, Opt)],
);
static NODE_CONDITION: Message = message(
    "NodeCondition",
    &[
        f(1, "type", Str, Req),
        f(2, "status", Str, Req),
        f(3, "lastHeartbeatTime", Time, Opt),
        f(4, "lastTransitionTime", Time, Opt),
        f(5, "reason", Str, Opt),
        f(6, "message", Str, Opt),
    ],
);
static NODE_ADDRESS: Message = message(
    "NodeAddress",
    &[f(1, "type", Str, Req), f(2, "address", Str, Req)],
);
static NODE: Message = message(
    "Node",
    &[
        f(1, "metadata", Msg(&OBJECT_META), Opt),
        f(2, "spec", Msg(&NODE_SPEC), Opt),
        f(3, "status", Msg(&NODE_STATUS), Opt),
    ],
);
static NAMESPACE_SPEC: Message = message("NamespaceSpec", &[f(1, "finalizers", Str, Rep)]);
static NAMESPACE_STATUS: Message = message(
    "NamespaceStatus",
    &[
        f(1, "phase", Str, Opt),
        f(2, "conditions", Msg(&NAMESPACE_CONDITION), Rep),
    ],
);
static NAMESPACE_CONDITION: Message = message(
    "NamespaceCondition",
    &[
        f(1, "type", Str, Req),
        f(2, "status", Str, Req),
        f(4, "lastTransitionTime", Time, Opt),
        f(5, "reason", Str, Opt),
        f(6, "message", Str, Opt),
    ],
);
static NAMESPACE: Message = message(
    "Namespace",
    &[
        f(1, "metadata", Msg(&OBJECT_META), Opt),
        f(2, "spec", Msg(&NAMESPACE_SPEC), Opt),
        f(3, "status", Msg(&NAMESPACE_STATUS), Opt),
    ],
);
static BINDING: Message = message(
    "Binding",
    &[
        f(1, "metadata", Msg(&OBJECT_META), Opt),
        f(2, "target", Msg(&OBJECT_REFERENCE), Opt),
    ],
);
static OBJECT_REFERENCE: Message = message(
    "ObjectReference",
    &[
        f(1, "kind", Str, Opt),
        f(2, "namespace", Str, Opt),
        f(3, "name", Str, Opt),
        f(4, "uid", Str, Opt),
        f(5, "apiVersion", Str, Opt),
        f(6, "resourceVersion", Str, Opt),
        f(7, "fieldPath", Str, Opt),
    ],
);
static LOCAL_OBJECT_REFERENCE: Message = message("LocalObjectReference", &[f(1, "name", Str, Req)]);
static TYPED_LOCAL_OBJECT_REFERENCE: Message = message(
    "TypedLocalObjectReference",
    &[
        f(1, "apiGroup", Str, Ptr),
        f(2, "kind", Str, Req),
        f(3, "name", Str, Req),
    ],
);
static EVENT_SOURCE: Message = message(
    "EventSource",
    &[f(1, "component", Str, Opt), f(2, "host", Str, Opt)],
);
static EVENT: Message = message(
    "Event",
    &[
        f(1, "metadata", Msg(&OBJECT_META), Opt),
        f(2, "involvedObject", Msg(&OBJECT_REFERENCE), Opt),
        f(3, "reason", Str, Opt),
        f(4, "message", Str, Opt),
        f(5, "source", Msg(&EVENT_SOURCE), Opt),
        f(6, "firstTimestamp", Time, Opt),
        f(7, "lastTimestamp", Time, Opt),
        f(8, "count", I32, Opt),
        f(9, "type", Str, Opt),
        f(10, "eventTime", MicroTime, Opt),
        f(11, "series", Msg(&EVENT_SERIES), Ptr),
        f(12, "action", Str, Opt),
        f(13, "related", Msg(&OBJECT_REFERENCE), Ptr),
        f(14, "reportingComponent", Str, Opt),
        f(15, "reportingInstance", Str, Opt),
    ],
);
static EVENT_SERIES: Message = message(
    "EventSeries",
    &[
        f(1, "count", I32, Opt),
        f(2, "lastObservedTime", MicroTime, Opt),
    ],
);
static LIMIT_RANGE_ITEM: Message = message(
    "LimitRangeItem",
    &[
        f(1, "type", Str, Req),
        f(2, "max", Quantity, Map),
        f(3, "min", Quantity, Map),
        f(4, "default", Quantity, Map),
        f(5, "defaultRequest", Quantity, Map),
        f(6, "maxLimitRequestRatio", Quantity, Map),
    ],
);
static LIMIT_RANGE_SPEC: Message = message(
    "LimitRangeSpec",
    &[f(1, "limits", Msg(&LIMIT_RANGE_ITEM), Rep)],
);
static LIMIT_RANGE: Message = message(
    "LimitRange",
    &[
        f(1, "metadata", Msg(&OBJECT_META), Opt),
        f(2, "spec", Msg(&LIMIT_RANGE_SPEC), Opt),
    ],
);
static RESOURCE_QUOTA_SPEC: Message = message(
    "ResourceQuotaSpec",
    &[
        f(1, "hard", Quantity, Map),
        f(2, "scopes", Str, Rep),
        f(3, "scopeSelector", Msg(&SCOPE_SELECTOR), Ptr),
    ],
);
static SCOPE_SELECTOR: Message = message(
    "ScopeSelector",
    &[f(
        1,
        "matchExpressions",
        Msg(&SCOPED_RESOURCE_SELECTOR_REQUIREMENT),
        Rep,
    )],
);
static SCOPED_RESOURCE_SELECTOR_REQUIREMENT: Message = message(
    "ScopedResourceSelectorRequirement",
    &[
        f(1, "scopeName", Str, Req),
        f(2, "operator", Str, Req),
        f(3, "values", Str, Rep),
    ],
);
static RESOURCE_QUOTA_STATUS: Message = message(
    "ResourceQuotaStatus",
    &[f(1, "hard", Quantity, Map), f(2, "used", Quantity, Map)],
);
static RESOURCE_QUOTA: Message = message(
    "ResourceQuota",
    &[
        f(1, "metadata", Msg(&OBJECT_META), Opt),
        f(2, "spec", Msg(&RESOURCE_QUOTA_SPEC), Opt),
        f(3, "status", Msg(&RESOURCE_QUOTA_STATUS), Opt),
    ],
);
static SECRET: Message = message(
    "Secret",
    &[
        f(1, "metadata", Msg(&OBJECT_META), Opt),
        f(5, "immutable", Bool, Ptr),
        f(2, "data", Bytes, Map),
        f(4, "stringData", Str, Map),
        f(3, "type", Str, Opt),
    ],
);
static CONFIG_MAP: Message = message(
    "ConfigMap",
    &[
        f(1, "metadata", Msg(&OBJECT_META), Opt),
        f(4, "immutable", Bool, Ptr),
        f(2, "data", Str, Map),
        f(3, "binaryData", Bytes, Map),
    ],
);
static DOWNWARD_API_VOLUME_SOURCE: Message = message(
    "DownwardAPIVolumeSource",
    &[
        f(1, "items", Msg(&DOWNWARD_API_VOLUME_FILE), Rep),
        f(2, "defaultMode", I32, Ptr),
    ],
);
static DOWNWARD_API_VOLUME_FILE: Message = message(
    "DownwardAPIVolumeFile",
    &[
        f(1, "path", Str, Req),
        f(2, "fieldRef", Msg(&OBJECT_FIELD_SELECTOR), Ptr),
        f(3, "resourceFieldRef", Msg(&RESOURCE_FIELD_SELECTOR), Ptr),
        f(4, "mode", I32, Ptr),
    ],
);
static DOWNWARD_API_PROJECTION: Message = message(
    "DownwardAPIProjection",
    &[f(1, "items", Msg(&DOWNWARD_API_VOLUME_FILE), Rep)],
);
static SECURITY_CONTEXT: Message = message(
    "SecurityContext",
    &[
        f(1, "capabilities", Msg(&CAPABILITIES), Ptr),
        f(2, "privileged", Bool, Ptr),
        f(3, "seLinuxOptions", Msg(&SE_LINUX_OPTIONS), Ptr),
        f(
            10,
            "windowsOptions",
            Msg(&WINDOWS_SECURITY_CONTEXT_OPTIONS),
            Ptr,
        ),
        f(4, "runAsUser", I64, Ptr),
        f(8, "runAsGroup", I64, Ptr),
        f(5, "runAsNonRoot", Bool, Ptr),
        f(6, "readOnlyRootFilesystem", Bool, Ptr),
        f(7, "allowPrivilegeEscalation", Bool, Ptr),
        f(9, "procMount", Str, Ptr),
        f(11, "seccompProfile", Msg(&SECCOMP_PROFILE), Ptr),
        f(12, "appArmorProfile", Msg(&APP_ARMOR_PROFILE), Ptr),
    ],
);
static SE_LINUX_OPTIONS: Message = message(
    "SELinuxOptions",
    &[
        f(1, "user", Str, Opt),
        f(2, "role", Str, Opt),
        f(3, "type", Str, Opt),
        f(4, "level", Str, Opt),
    ],
);
static WINDOWS_SECURITY_CONTEXT_OPTIONS: Message = message(
    "WindowsSecurityContextOptions",
    &[
        f(1, "gmsaCredentialSpecName", Str, Ptr),
        f(2, "gmsaCredentialSpec", Str, Ptr),
        f(3, "runAsUserName", Str, Ptr),
        f(4, "hostProcess", Bool, Ptr),
    ],
);
static SYSCTL: Message = message("Sysctl", &[f(1, "name", Str, Req), f(2, "value", Str, Req)]);
static PORT_STATUS: Message = message(
    "PortStatus",
    &[
        f(1, "port", I32, Req),
        f(2, "protocol", Str, Req),
        f(3, "error", Str, Ptr),
    ],
);
static IMAGE_VOLUME_SOURCE: Message = message(
    "ImageVolumeSource",
    &[f(1, "reference", Str, Opt), f(2, "pullPolicy", Str, Opt)],
);
static NODE_ALLOCATABLE_RESOURCE_CLAIM_STATUS: Message = message(
    "NodeAllocatableResourceClaimStatus",
    &[
        f(1, "resourceClaimName", Str, Opt),
        f(2, "containers", Str, Rep),
        f(3, "resources", Quantity, Map),
    ],
);

// apps/v1

static STATEFUL_SET: Message = message(
    "StatefulSet",
    &[
        f(1, "metadata", Msg(&OBJECT_META), Opt),
        f(2, "spec", Msg(&STATEFUL_SET_SPEC), Opt),
        f(3, "status", Msg(&STATEFUL_SET_STATUS), Opt),
    ],
);
static STATEFUL_SET_UPDATE_STRATEGY: Message = message(
    "StatefulSetUpdateStrategy",
    &[
        f(1, "type", Str, Opt),
        f(
            2,
            "rollingUpdate",
            Msg(&ROLLING_UPDATE_STATEFUL_SET_STRATEGY),
            Ptr,
        ),
    ],
);
static ROLLING_UPDATE_STATEFUL_SET_STRATEGY: Message = message(
    "RollingUpdateStatefulSetStrategy",
    &[
        f(1, "partition", I32, Ptr),
        f(2, "maxUnavailable", IntOrString, Ptr),
    ],
);
static STATEFUL_SET_PERSISTENT_VOLUME_CLAIM_RETENTION_POLICY: Message = message(
    "StatefulSetPersistentVolumeClaimRetentionPolicy",
    &[f(1, "whenDeleted", Str, Opt), f(2, "whenScaled", Str, Opt)],
);
static STATEFUL_SET_ORDINALS: Message = message("StatefulSetOrdinals", &[f(1, "start", I32, Req)]);
static STATEFUL_SET_SPEC: Message = message(
    "StatefulSetSpec",
    &[
        f(1, "replicas", I32, Ptr),
        f(2, "selector", Msg(&LABEL_SELECTOR), Ptr),
        f(3, "template", Msg(&POD_TEMPLATE_SPEC), Opt),
        f(
            4,
            "volumeClaimTemplates",
            Msg(&PERSISTENT_VOLUME_CLAIM),
            Rep,
        ),
        f(5, "serviceName", Str, Opt),
        f(6, "podManagementPolicy", Str, Opt),
        f(
            7,
            "updateStrategy",
            Msg(&STATEFUL_SET_UPDATE_STRATEGY),
            Defaulted,
        ),
        f(8, "revisionHistoryLimit", I32, Ptr),
        f(9, "minReadySeconds", I32, Opt),
        f(
            10,
            "persistentVolumeClaimRetentionPolicy",
            Msg(&STATEFUL_SET_PERSISTENT_VOLUME_CLAIM_RETENTION_POLICY),
            Ptr,
        ),
        f(11, "ordinals", Msg(&STATEFUL_SET_ORDINALS), Ptr),
    ],
);
static STATEFUL_SET_STATUS: Message = message(
    "StatefulSetStatus",
    &[
        f(1, "observedGeneration", I64, Opt),
        f(2, "replicas", I32, Req),
        f(3, "readyReplicas", I32, Opt),
        f(4, "currentReplicas", I32, Opt),
        f(5, "updatedReplicas", I32, Opt),
        f(6, "currentRevision", Str, Opt),
        f(7, "updateRevision", Str, Opt),
        f(9, "collisionCount", I32, Ptr),
        f(10, "conditions", Msg(&STATEFUL_SET_CONDITION), Rep),
        f(11, "availableReplicas", I32, Req),
    ],
);
static STATEFUL_SET_CONDITION: Message = message(
    "StatefulSetCondition",
    &[
        f(1, "type", Str, Req),
        f(2, "status", Str, Req),
        f(3, "lastTransitionTime", Time, Opt),
        f(4, "reason", Str, Opt),
        f(5, "message", Str, Opt),
    ],
);
static DEPLOYMENT: Message = message(
    "Deployment",
    &[
        f(1, "metadata", Msg(&OBJECT_META), Opt),
        f(2, "spec", Msg(&DEPLOYMENT_SPEC), Opt),
        f(3, "status", Msg(&DEPLOYMENT_STATUS), Opt),
    ],
);
static DEPLOYMENT_SPEC: Message = message(
    "DeploymentSpec",
    &[
        f(1, "replicas", I32, Ptr),
        f(2, "selector", Msg(&LABEL_SELECTOR), Ptr),
        f(3, "template", Msg(&POD_TEMPLATE_SPEC), Opt),
        f(4, "strategy", Msg(&DEPLOYMENT_STRATEGY), Defaulted),
        f(5, "minReadySeconds", I32, Opt),
        f(6, "revisionHistoryLimit", I32, Ptr),
        f(7, "paused", Bool, Opt),
        f(9, "progressDeadlineSeconds", I32, Ptr),
        f(10, "podReplacementPolicy", Str, Ptr),
    ],
);
static DEPLOYMENT_STRATEGY: Message = message(
    "DeploymentStrategy",
    &[
        f(1, "type", Str, Opt),
        f(2, "rollingUpdate", Msg(&ROLLING_UPDATE_DEPLOYMENT), Ptr),
    ],
);
static ROLLING_UPDATE_DEPLOYMENT: Message = message(
    "RollingUpdateDeployment",
    &[
        f(1, "maxUnavailable", IntOrString, Ptr),
        f(2, "maxSurge", IntOrString, Ptr),
    ],
);
static DEPLOYMENT_STATUS: Message = message(
    "DeploymentStatus",
    &[
        f(1, "observedGeneration", I64, Opt),
        f(2, "replicas", I32, Opt),
        f(3, "updatedReplicas", I32, Opt),
        f(7, "readyReplicas", I32, Opt),
        f(4, "availableReplicas", I32, Opt),
        f(5, "unavailableReplicas", I32, Opt),
        f(9, "terminatingReplicas", I32, Ptr),
        f(6, "conditions", Msg(&DEPLOYMENT_CONDITION), Rep),
        f(8, "collisionCount", I32, Ptr),
    ],
);
static DEPLOYMENT_CONDITION: Message = message(
    "DeploymentCondition",
    &[
        f(1, "type", Str, Req),
        f(2, "status", Str, Req),
        f(6, "lastUpdateTime", Time, Opt),
        f(7, "lastTransitionTime", Time, Opt),
        f(4, "reason", Str, Opt),
        f(5, "message", Str, Opt),
    ],
);
static DAEMON_SET_UPDATE_STRATEGY: Message = message(
    "DaemonSetUpdateStrategy",
    &[
        f(1, "type", Str, Opt),
        f(2, "rollingUpdate", Msg(&ROLLING_UPDATE_DAEMON_SET), Ptr),
    ],
);
static ROLLING_UPDATE_DAEMON_SET: Message = message(
    "RollingUpdateDaemonSet",
    &[
        f(1, "maxUnavailable", IntOrString, Ptr),
        f(2, "maxSurge", IntOrString, Ptr),
    ],
);
static DAEMON_SET_SPEC: Message = message(
    "DaemonSetSpec",
    &[
        f(1, "selector", Msg(&LABEL_SELECTOR), Ptr),
        f(2, "template", Msg(&POD_TEMPLATE_SPEC), Opt),
        f(
            3,
            "updateStrategy",
            Msg(&DAEMON_SET_UPDATE_STRATEGY),
            Defaulted,
        ),
        f(4, "minReadySeconds", I32, Opt),
        f(6, "revisionHistoryLimit", I32, Ptr),
    ],
);
static DAEMON_SET_STATUS: Message = message(
    "DaemonSetStatus",
    &[
        f(1, "currentNumberScheduled", I32, Req),
        f(2, "numberMisscheduled", I32, Req),
        f(3, "desiredNumberScheduled", I32, Req),
        f(4, "numberReady", I32, Req),
        f(5, "observedGeneration", I64, Opt),
        f(6, "updatedNumberScheduled", I32, Opt),
        f(7, "numberAvailable", I32, Opt),
        f(8, "numberUnavailable", I32, Opt),
        f(9, "collisionCount", I32, Ptr),
        f(10, "conditions", Msg(&DAEMON_SET_CONDITION), Rep),
    ],
);
static DAEMON_SET_CONDITION: Message = message(
    "DaemonSetCondition",
    &[
        f(1, "type", Str, Req),
        f(2, "status", Str, Req),
        f(3, "lastTransitionTime", Time, Opt),
        f(4, "reason", Str, Opt),
        f(5, "message", Str, Opt),
    ],
);
static DAEMON_SET: Message = message(
    "DaemonSet",
    &[
        f(1, "metadata", Msg(&OBJECT_META), Opt),
        f(2, "spec", Msg(&DAEMON_SET_SPEC), Opt),
        f(3, "status", Msg(&DAEMON_SET_STATUS), Opt),
    ],
);
static REPLICA_SET: Message = message(
    "ReplicaSet",
    &[
        f(1, "metadata", Msg(&OBJECT_META), Opt),
        f(2, "spec", Msg(&REPLICA_SET_SPEC), Opt),
        f(3, "status", Msg(&REPLICA_SET_STATUS), Opt),
    ],
);
static REPLICA_SET_SPEC: Message = message(
    "ReplicaSetSpec",
    &[
        f(1, "replicas", I32, Ptr),
        f(4, "minReadySeconds", I32, Opt),
        f(2, "selector", Msg(&LABEL_SELECTOR), Ptr),
        f(3, "template", Msg(&POD_TEMPLATE_SPEC), Opt),
    ],
);
static REPLICA_SET_STATUS: Message = message(
    "ReplicaSetStatus",
    &[
        f(1, "replicas", I32, Req),
        f(2, "fullyLabeledReplicas", I32, Opt),
        f(4, "readyReplicas", I32, Opt),
        f(5, "availableReplicas", I32, Opt),
        f(7, "terminatingReplicas", I32, Ptr),
        f(3, "observedGeneration", I64, Opt),
        f(6, "conditions", Msg(&REPLICA_SET_CONDITION), Rep),
    ],
);
static REPLICA_SET_CONDITION: Message = message(
    "ReplicaSetCondition",
    &[
        f(1, "type", Str, Req),
        f(2, "status", Str, Req),
        f(3, "lastTransitionTime", Time, Opt),
        f(4, "reason", Str, Opt),
        f(5, "message", Str, Opt),
    ],
);
static CONTROLLER_REVISION: Message = message(
    "ControllerRevision",
    &[
        f(1, "metadata", Msg(&OBJECT_META), Opt),
        f(2, "data", RawExtension, Opt),
        f(3, "revision", I64, Req),
    ],
);

// batch/v1

static JOB: Message = message(
    "Job",
    &[
        f(1, "metadata", Msg(&OBJECT_META), Opt),
        f(2, "spec", Msg(&JOB_SPEC), Opt),
        f(3, "status", Msg(&JOB_STATUS), Opt),
    ],
);
static POD_FAILURE_POLICY_ON_EXIT_CODES_REQUIREMENT: Message = message(
    "PodFailurePolicyOnExitCodesRequirement",
    &[
        f(1, "containerName", Str, Ptr),
        f(2, "operator", Str, Req),
        f(3, "values", I32, Rep),
    ],
);
static POD_FAILURE_POLICY_ON_POD_CONDITIONS_PATTERN: Message = message(
    "PodFailurePolicyOnPodConditionsPattern",
    &[f(1, "type", Str, Req), f(2, "status", Str, Opt)],
);
static POD_FAILURE_POLICY_RULE: Message = message(
    "PodFailurePolicyRule",
    &[
        f(1, "action", Str, Req),
        f(
            2,
            "onExitCodes",
            Msg(&POD_FAILURE_POLICY_ON_EXIT_CODES_REQUIREMENT),
            Ptr,
        ),
        f(
            3,
            "onPodConditions",
            Msg(&POD_FAILURE_POLICY_ON_POD_CONDITIONS_PATTERN),
            Rep,
        ),
    ],
);
static POD_FAILURE_POLICY: Message = message(
    "PodFailurePolicy",
    &[f(1, "rules", Msg(&POD_FAILURE_POLICY_RULE), Rep)],
);
static SUCCESS_POLICY: Message = message(
    "SuccessPolicy",
    &[f(1, "rules", Msg(&SUCCESS_POLICY_RULE), Rep)],
);
static SUCCESS_POLICY_RULE: Message = message(
    "SuccessPolicyRule",
    &[
        f(1, "succeededIndexes", Str, Ptr),
        f(2, "succeededCount", I32, Ptr),
    ],
);
static JOB_SPEC: Message = message(
    "JobSpec",
    &[
        f(1, "parallelism", I32, Ptr),
        f(2, "completions", I32, Ptr),
        f(3, "activeDeadlineSeconds", I64, Ptr),
        f(11, "podFailurePolicy", Msg(&POD_FAILURE_POLICY), Ptr),
        f(16, "successPolicy", Msg(&SUCCESS_POLICY), Ptr),
        f(7, "backoffLimit", I32, Ptr),
        f(12, "backoffLimitPerIndex", I32, Ptr),
        f(13, "maxFailedIndexes", I32, Ptr),
        f(4, "selector", Msg(&LABEL_SELECTOR), Ptr),
        f(5, "manualSelector", Bool, Ptr),
        f(6, "template", Msg(&POD_TEMPLATE_SPEC), Opt),
        f(8, "ttlSecondsAfterFinished", I32, Ptr),
        f(9, "completionMode", Str, Ptr),
        f(10, "suspend", Bool, Ptr),
        f(14, "podReplacementPolicy", Str, Ptr),
        f(15, "managedBy", Str, Ptr),
    ],
);
static JOB_STATUS: Message = message(
    "JobStatus",
    &[
        f(1, "conditions", Msg(&JOB_CONDITION), Rep),
        f(2, "startTime", Time, Ptr),
        f(3, "completionTime", Time, Ptr),
        f(4, "active", I32, Opt),
        f(5, "succeeded", I32, Opt),
        f(6, "failed", I32, Opt),
        f(11, "terminating", I32, Ptr),
        f(7, "completedIndexes", Str, Opt),
        f(10, "failedIndexes", Str, Ptr),
        f(
            8,
            "uncountedTerminatedPods",
            Msg(&UNCOUNTED_TERMINATED_PODS),
            Ptr,
        ),
        f(9, "ready", I32, Ptr),
    ],
);
static UNCOUNTED_TERMINATED_PODS: Message = message(
    "UncountedTerminatedPods",
    &[f(1, "succeeded", Str, Rep), f(2, "failed", Str, Rep)],
);
static JOB_CONDITION: Message = message(
    "JobCondition",
    &[
        f(1, "type", Str, Req),
        f(2, "status", Str, Req),
        f(3, "lastProbeTime", Time, Opt),
        f(4, "lastTransitionTime", Time, Opt),
        f(5, "reason", Str, Opt),
        f(6, "message", Str, Opt),
    ],
);
static JOB_TEMPLATE_SPEC: Message = message(
    "JobTemplateSpec",
    &[
        f(1, "metadata", Msg(&OBJECT_META), Opt),
        f(2, "spec", Msg(&JOB_SPEC), Opt),
    ],
);
static CRON_JOB: Message = message(
    "CronJob",
    &[
        f(1, "metadata", Msg(&OBJECT_META), Opt),
        f(2, "spec", Msg(&CRON_JOB_SPEC), Opt),
        f(3, "status", Msg(&CRON_JOB_STATUS), Opt),
    ],
);
static CRON_JOB_SPEC: Message = message(
    "CronJobSpec",
    &[
        f(1, "schedule", Str, Req),
        f(8, "timeZone", Str, Ptr),
        f(2, "startingDeadlineSeconds", I64, Ptr),
        f(3, "concurrencyPolicy", Str, Opt),
        f(4, "suspend", Bool, Ptr),
        f(5, "jobTemplate", Msg(&JOB_TEMPLATE_SPEC), Opt),
        f(6, "successfulJobsHistoryLimit", I32, Ptr),
        f(7, "failedJobsHistoryLimit", I32, Ptr),
    ],
);
static CRON_JOB_STATUS: Message = message(
    "CronJobStatus",
    &[
        f(1, "active", Msg(&OBJECT_REFERENCE), Rep),
        f(4, "lastScheduleTime", Time, Ptr),
        f(5, "lastSuccessfulTime", Time, Ptr),
    ],
);

// policy/v1 and autoscaling/v1

static POD_DISRUPTION_BUDGET_SPEC: Message = message(
    "PodDisruptionBudgetSpec",
    &[
        f(1, "minAvailable", IntOrString, Ptr),
        f(2, "selector", Msg(&LABEL_SELECTOR), Ptr),
        f(3, "maxUnavailable", IntOrString, Ptr),
        f(4, "unhealthyPodEvictionPolicy", Str, Ptr),
        f(5, "availabilityMode", Str, Ptr),
    ],
);
static POD_DISRUPTION_BUDGET_STATUS: Message = message(
    "PodDisruptionBudgetStatus",
    &[
        f(1, "observedGeneration", I64, Opt),
        f(2, "disruptedPods", Time, Map),
        f(3, "disruptionsAllowed", I32, Req),
        f(4, "currentHealthy", I32, Req),
        f(5, "desiredHealthy", I32, Req),
        f(6, "expectedPods", I32, Req),
        f(7, "conditions", Msg(&CONDITION), Rep),
    ],
);
static POD_DISRUPTION_BUDGET: Message = message(
    "PodDisruptionBudget",
    &[
        f(1, "metadata", Msg(&OBJECT_META), Opt),
        f(2, "spec", Msg(&POD_DISRUPTION_BUDGET_SPEC), Opt),
        f(3, "status", Msg(&POD_DISRUPTION_BUDGET_STATUS), Opt),
    ],
);
static EVICTION: Message = message(
    "Eviction",
    &[
        f(1, "metadata", Msg(&OBJECT_META), Opt),
        f(2, "deleteOptions", Msg(&DELETE_OPTIONS), Ptr),
    ],
);
static SCALE: Message = message(
    "Scale",
    &[
        f(1, "metadata", Msg(&OBJECT_META), Opt),
        f(2, "spec", Msg(&SCALE_SPEC), Opt),
        f(3, "status", Msg(&SCALE_STATUS), Opt),
    ],
);
static SCALE_SPEC: Message = message("ScaleSpec", &[f(1, "replicas", I32, Req)]);
static SCALE_STATUS: Message = message(
    "ScaleStatus",
    &[f(1, "replicas", I32, Req), f(2, "selector", Str, Opt)],
);
