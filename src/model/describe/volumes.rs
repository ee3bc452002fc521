//! kubectl's `describeVolumes` for a pod or a pod template: each volume's source, in kubectl's
//! order of precedence, with the fields kubectl prints for it.

use super::metadata::{annotations_multiline, labels_multiline, shorten};
use super::raw::Raw;
use super::tabwriter::DescribeWriter;
use super::values::go_string_slice;
use crate::model::go_quantity::GoQuantity;

/// kubectl's `describeVolumes`; `space` is a template's indent (`"  "`), under which names are
/// indented one more space.
pub(super) fn volumes(w: &mut DescribeWriter, volumes: Raw<'_>, space: &str) {
    if volumes.is_empty() {
        put!(w, 0, "{space}Volumes:\t<none>\n");
        return;
    }
    put!(w, 0, "{space}Volumes:\n");
    let name_indent = if space.is_empty() { "" } else { " " };
    for volume in volumes.items() {
        put!(w, 1, "{name_indent}{}:\n", volume.at("name").str());
        volume_source(w, volume);
    }
}

/// How a field of a volume source is printed (Go's `%v` of its type).
#[derive(Clone, Copy)]
enum Field {
    Text(&'static str),
    /// A string the API server always sets, printed with that default when absent.
    TextOr(&'static str, &'static str),
    Number(&'static str),
    Flag(&'static str),
    /// A `[]string`, as `[a b]`.
    List(&'static str),
    /// A `*LocalObjectReference`, as its generated `String()` prints it.
    SecretRef(&'static str),
    /// A `map[string]string`, as `map[k:v]`.
    Map(&'static str),
}

/// A volume source kubectl describes as a `Type:` line and plain fields.
struct PlainSource {
    /// The field of the volume that holds the source.
    key: &'static str,
    /// What kubectl prints after `Type:`.
    description: &'static str,
    /// Labels (as kubectl writes them, colon included) and fields.
    fields: &'static [(&'static str, Field)],
}

impl PlainSource {
    const fn new(
        key: &'static str,
        description: &'static str,
        fields: &'static [(&'static str, Field)],
    ) -> Self {
        PlainSource {
            key,
            description,
            fields,
        }
    }
}

// The sources kubectl describes as a `Type:` line and plain fields, in groups named by where they
// sit in kubectl's order of precedence; [`volume_source`] walks that order, handling the sources
// with their own layouts between the groups.

/// Plain sources checked right after `emptyDir`.
const SOURCES_AFTER_EMPTY_DIR: &[PlainSource] = &[
    PlainSource::new(
        "gcePersistentDisk",
        "GCEPersistentDisk (a Persistent Disk resource in Google Compute Engine)",
        &[
            ("PDName:", Field::Text("pdName")),
            ("FSType:", Field::Text("fsType")),
            ("Partition:", Field::Number("partition")),
            ("ReadOnly:", Field::Flag("readOnly")),
        ],
    ),
    PlainSource::new(
        "awsElasticBlockStore",
        "AWSElasticBlockStore (a Persistent Disk resource in AWS)",
        &[
            ("VolumeID:", Field::Text("volumeID")),
            ("FSType:", Field::Text("fsType")),
            ("Partition:", Field::Number("partition")),
            ("ReadOnly:", Field::Flag("readOnly")),
        ],
    ),
    PlainSource::new(
        "gitRepo",
        "GitRepo (a volume that is pulled from git when the pod is created)",
        &[
            ("Repository:", Field::Text("repository")),
            ("Revision:", Field::Text("revision")),
        ],
    ),
];

/// Plain sources checked right after `configMap`.
const SOURCES_AFTER_CONFIG_MAP: &[PlainSource] = &[
    PlainSource::new(
        "nfs",
        "NFS (an NFS mount that lasts the lifetime of a pod)",
        &[
            ("Server:", Field::Text("server")),
            ("Path:", Field::Text("path")),
            ("ReadOnly:", Field::Flag("readOnly")),
        ],
    ),
    PlainSource::new(
        "iscsi",
        "ISCSI (an ISCSI Disk resource that is attached to a kubelet's host machine and then \
         exposed to the pod)",
        &[
            ("TargetPortal:", Field::Text("targetPortal")),
            ("IQN:", Field::Text("iqn")),
            ("Lun:", Field::Number("lun")),
            // Sic: kubectl prints this label without a colon.
            ("ISCSIInterface", Field::Text("iscsiInterface")),
            ("FSType:", Field::Text("fsType")),
            ("ReadOnly:", Field::Flag("readOnly")),
            ("Portals:", Field::List("portals")),
            ("DiscoveryCHAPAuth:", Field::Flag("chapAuthDiscovery")),
            ("SessionCHAPAuth:", Field::Flag("chapAuthSession")),
            ("SecretRef:", Field::SecretRef("secretRef")),
            ("InitiatorName:", Field::TextOr("initiatorName", "<none>")),
        ],
    ),
    PlainSource::new(
        "glusterfs",
        "Glusterfs (a Glusterfs mount on the host that shares a pod's lifetime)",
        &[
            ("EndpointsName:", Field::Text("endpoints")),
            ("Path:", Field::Text("path")),
            ("ReadOnly:", Field::Flag("readOnly")),
        ],
    ),
];

/// Plain sources checked right after `ephemeral`.
const SOURCES_AFTER_EPHEMERAL: &[PlainSource] = &[
    PlainSource::new(
        "rbd",
        "RBD (a Rados Block Device mount on the host that shares a pod's lifetime)",
        &[
            ("CephMonitors:", Field::List("monitors")),
            ("RBDImage:", Field::Text("image")),
            ("FSType:", Field::Text("fsType")),
            ("RBDPool:", Field::Text("pool")),
            ("RadosUser:", Field::Text("user")),
            ("Keyring:", Field::Text("keyring")),
            ("SecretRef:", Field::SecretRef("secretRef")),
            ("ReadOnly:", Field::Flag("readOnly")),
        ],
    ),
    PlainSource::new(
        "quobyte",
        "Quobyte (a Quobyte mount on the host that shares a pod's lifetime)",
        &[
            ("Registry:", Field::Text("registry")),
            ("Volume:", Field::Text("volume")),
            ("ReadOnly:", Field::Flag("readOnly")),
        ],
    ),
];

/// Plain sources checked right after `downwardAPI`.
const SOURCES_AFTER_DOWNWARD_API: &[PlainSource] = &[
    PlainSource::new(
        "azureDisk",
        "AzureDisk (an Azure Data Disk mount on the host and bind mount to the pod)",
        &[
            ("DiskName:", Field::Text("diskName")),
            ("DiskURI:", Field::Text("diskURI")),
            ("Kind: ", Field::TextOr("kind", "Shared")),
            ("FSType:", Field::TextOr("fsType", "ext4")),
            ("CachingMode:", Field::TextOr("cachingMode", "ReadWrite")),
            ("ReadOnly:", Field::Flag("readOnly")),
        ],
    ),
    PlainSource::new(
        "vsphereVolume",
        "vSphereVolume (a Persistent Disk resource in vSphere)",
        &[
            ("VolumePath:", Field::Text("volumePath")),
            ("FSType:", Field::Text("fsType")),
            ("StoragePolicyName:", Field::Text("storagePolicyName")),
        ],
    ),
    PlainSource::new(
        "cinder",
        "Cinder (a Persistent Disk resource in OpenStack)",
        &[
            ("VolumeID:", Field::Text("volumeID")),
            ("FSType:", Field::Text("fsType")),
            ("ReadOnly:", Field::Flag("readOnly")),
            ("SecretRef:", Field::SecretRef("secretRef")),
        ],
    ),
    PlainSource::new(
        "photonPersistentDisk",
        "PhotonPersistentDisk (a Persistent Disk resource in photon platform)",
        &[
            ("PdID:", Field::Text("pdID")),
            ("FSType:", Field::Text("fsType")),
        ],
    ),
    PlainSource::new(
        "portworxVolume",
        "PortworxVolume (a Portworx Volume resource)",
        &[("VolumeID:", Field::Text("volumeID"))],
    ),
    PlainSource::new(
        "scaleIO",
        "ScaleIO (a persistent volume backed by a block device in ScaleIO)",
        &[
            ("Gateway:", Field::Text("gateway")),
            ("System:", Field::Text("system")),
            ("Protection Domain:", Field::Text("protectionDomain")),
            ("Storage Pool:", Field::Text("storagePool")),
            ("Storage Mode:", Field::Text("storageMode")),
            ("VolumeName:", Field::Text("volumeName")),
            ("FSType:", Field::Text("fsType")),
            ("ReadOnly:", Field::Flag("readOnly")),
        ],
    ),
    PlainSource::new(
        "cephfs",
        "CephFS (a CephFS mount on the host that shares a pod's lifetime)",
        &[
            ("Monitors:", Field::List("monitors")),
            ("Path:", Field::Text("path")),
            ("User:", Field::Text("user")),
            ("SecretFile:", Field::Text("secretFile")),
            ("SecretRef:", Field::SecretRef("secretRef")),
            ("ReadOnly:", Field::Flag("readOnly")),
        ],
    ),
    PlainSource::new(
        "storageos",
        "StorageOS (a StorageOS Persistent Disk resource)",
        &[
            ("VolumeName:", Field::Text("volumeName")),
            ("VolumeNamespace:", Field::Text("volumeNamespace")),
            ("FSType:", Field::Text("fsType")),
            ("ReadOnly:", Field::Flag("readOnly")),
        ],
    ),
];

/// Plain sources checked right after `fc`.
const SOURCES_AFTER_FC: &[PlainSource] = &[
    PlainSource::new(
        "azureFile",
        "AzureFile (an Azure File Service mount on the host and bind mount to the pod)",
        &[
            ("SecretName:", Field::Text("secretName")),
            ("ShareName:", Field::Text("shareName")),
            ("ReadOnly:", Field::Flag("readOnly")),
        ],
    ),
    PlainSource::new(
        "flexVolume",
        "FlexVolume (a generic volume resource that is provisioned/attached using an exec based \
         plugin)",
        &[
            ("Driver:", Field::Text("driver")),
            ("FSType:", Field::Text("fsType")),
            ("SecretRef:", Field::SecretRef("secretRef")),
            ("ReadOnly:", Field::Flag("readOnly")),
            ("Options:", Field::Map("options")),
        ],
    ),
    PlainSource::new(
        "flocker",
        "Flocker (a Flocker volume mounted by the Flocker agent)",
        &[
            ("DatasetName:", Field::Text("datasetName")),
            ("DatasetUUID:", Field::Text("datasetUUID")),
        ],
    ),
];

/// Writes a plain source if the volume has it; whether it did.
fn plain_source(w: &mut DescribeWriter, volume: Raw<'_>, sources: &[PlainSource]) -> bool {
    let Some((source, plain)) = sources.iter().find_map(|plain| {
        let source = volume.at(plain.key);
        source.exists().then_some((source, plain))
    }) else {
        return false;
    };
    put!(w, 2, "Type:\t{}\n", plain.description);
    for (label, field) in plain.fields {
        let value = match *field {
            Field::Text(key) => source.at(key).str().to_string(),
            Field::TextOr(key, default) => source.at(key).opt_str().unwrap_or(default).to_string(),
            Field::Number(key) => source.at(key).int().to_string(),
            Field::Flag(key) => source.at(key).bool().to_string(),
            Field::List(key) => go_string_slice(source.at(key).items().map(Raw::str)),
            Field::SecretRef(key) => match source.at(key) {
                reference if reference.exists() => format!(
                    "&LocalObjectReference{{Name:{},}}",
                    reference.at("name").str()
                ),
                _ => "nil".to_string(),
            },
            Field::Map(key) => format!(
                "map[{}]",
                source
                    .at(key)
                    .string_map()
                    .iter()
                    .map(|(k, v)| format!("{k}:{v}"))
                    .collect::<Vec<_>>()
                    .join(" ")
            ),
        };
        put!(w, 2, "{label}\t{value}\n");
    }
    true
}

/// The source of one volume, in kubectl's order of precedence.
fn volume_source(w: &mut DescribeWriter, volume: Raw<'_>) {
    let host_path = volume.at("hostPath");
    if host_path.exists() {
        put!(
            w,
            2,
            "Type:\tHostPath (bare host directory volume)\n    Path:\t{}\n    HostPathType:\t{}\n",
            host_path.at("path").str(),
            host_path.at("type").opt_str().unwrap_or("<none>")
        );
        return;
    }
    let empty_dir = volume.at("emptyDir");
    if empty_dir.exists() {
        let size_limit = empty_dir
            .at("sizeLimit")
            .go_quantity()
            .filter(|limit| limit.compare(GoQuantity::default()).is_gt())
            .map_or_else(|| "<unset>".to_string(), |limit| limit.to_string());
        put!(
            w,
            2,
            "Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n    \
             Medium:\t{}\n    SizeLimit:\t{size_limit}\n",
            empty_dir.at("medium").str()
        );
        return;
    }
    if plain_source(w, volume, SOURCES_AFTER_EMPTY_DIR) {
        return;
    }
    let secret = volume.at("secret");
    if secret.exists() {
        put!(
            w,
            2,
            "Type:\tSecret (a volume populated by a Secret)\n    SecretName:\t{}\n    \
             Optional:\t{}\n",
            secret.at("secretName").str(),
            secret.at("optional").bool()
        );
        return;
    }
    let config_map = volume.at("configMap");
    if config_map.exists() {
        put!(
            w,
            2,
            "Type:\tConfigMap (a volume populated by a ConfigMap)\n    Name:\t{}\n    \
             Optional:\t{}\n",
            config_map.at("name").str(),
            config_map.at("optional").bool()
        );
        return;
    }
    if plain_source(w, volume, SOURCES_AFTER_CONFIG_MAP) {
        return;
    }
    let claim = volume.at("persistentVolumeClaim");
    if claim.exists() {
        put!(
            w,
            2,
            "Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same \
             namespace)\n    ClaimName:\t{}\n    ReadOnly:\t{}\n",
            claim.at("claimName").str(),
            claim.at("readOnly").bool()
        );
        return;
    }
    let ephemeral = volume.at("ephemeral");
    if ephemeral.exists() {
        ephemeral_volume(w, ephemeral);
        return;
    }
    if plain_source(w, volume, SOURCES_AFTER_EPHEMERAL) {
        return;
    }
    let downward_api = volume.at("downwardAPI");
    if downward_api.exists() {
        w.write(
            2,
            "Type:\tDownwardAPI (a volume populated by information about the pod)\n    Items:\n",
        );
        for item in downward_api.at("items").items() {
            let path = item.at("path").str();
            if item.at("fieldRef").exists() {
                put!(
                    w,
                    3,
                    "{} -> {path}\n",
                    item.at("fieldRef").at("fieldPath").str()
                );
            }
            if item.at("resourceFieldRef").exists() {
                put!(
                    w,
                    3,
                    "{} -> {path}\n",
                    item.at("resourceFieldRef").at("resource").str()
                );
            }
        }
        return;
    }
    if plain_source(w, volume, SOURCES_AFTER_DOWNWARD_API) {
        return;
    }
    let fc = volume.at("fc");
    if fc.exists() {
        let lun = fc
            .at("lun")
            .opt_int()
            .map_or("<none>".to_string(), |lun| lun.to_string());
        let wwns: Vec<&str> = fc.at("targetWWNs").items().map(Raw::str).collect();
        put!(
            w,
            2,
            "Type:\tFC (a Fibre Channel disk)\n    TargetWWNs:\t{}\n    LUN:\t{lun}\n    \
             FSType:\t{}\n    ReadOnly:\t{}\n",
            wwns.join(", "),
            fc.at("fsType").str(),
            fc.at("readOnly").bool()
        );
        return;
    }
    if plain_source(w, volume, SOURCES_AFTER_FC) {
        return;
    }
    let projected = volume.at("projected");
    if projected.exists() {
        projected_volume(w, projected);
        return;
    }
    let csi = volume.at("csi");
    if csi.exists() {
        csi_volume(w, csi);
        return;
    }
    let image = volume.at("image");
    if image.exists() {
        put!(
            w,
            2,
            "Type:\tImage (a container image or OCI artifact)\n    Reference:\t{}\n    \
             PullPolicy:\t{}\n",
            image.at("reference").str(),
            image.at("pullPolicy").str()
        );
        return;
    }
    w.write(1, "<unknown>\n");
}

/// kubectl's `printProjectedVolumeSource`.
fn projected_volume(w: &mut DescribeWriter, projected: Raw<'_>) {
    w.write(
        2,
        "Type:\tProjected (a volume that contains injected data from multiple sources)\n",
    );
    for source in projected.at("sources").items() {
        let secret = source.at("secret");
        let config_map = source.at("configMap");
        let token = source.at("serviceAccountToken");
        if secret.exists() {
            put!(
                w,
                2,
                "SecretName:\t{}\n    Optional:\t{}\n",
                secret.at("name").str(),
                secret.at("optional").bool()
            );
        } else if source.at("downwardAPI").exists() {
            w.write(2, "DownwardAPI:\ttrue\n");
        } else if config_map.exists() {
            put!(
                w,
                2,
                "ConfigMapName:\t{}\n    Optional:\t{}\n",
                config_map.at("name").str(),
                config_map.at("optional").bool()
            );
        } else if token.exists() {
            // The API server defaults the expiry to an hour.
            let seconds = token.at("expirationSeconds").opt_int().unwrap_or(3600);
            put!(w, 2, "TokenExpirationSeconds:\t{seconds}\n");
        }
    }
}

/// kubectl's `printCSIVolumeSource`, with its volume attributes one per line.
fn csi_volume(w: &mut DescribeWriter, csi: Raw<'_>) {
    put!(
        w,
        2,
        "Type:\tCSI (a Container Storage Interface (CSI) volume source)\n    Driver:\t{}\n    \
         FSType:\t{}\n    ReadOnly:\t{}\n",
        csi.at("driver").str(),
        csi.at("fsType").str(),
        csi.at("readOnly").bool()
    );
    w.write(2, "VolumeAttributes:\t");
    let attributes = csi.at("volumeAttributes").string_map();
    if attributes.is_empty() {
        w.write_line("<none>");
        return;
    }
    for (index, (key, value)) in attributes.iter().enumerate() {
        if index != 0 {
            // kubectl writes the (empty) initial indent and then the tab, each at level 2.
            w.write(2, "");
            w.write(2, "\t");
        }
        put!(w, 2, "{}\n", shorten(&format!("{key}={value}"), 140));
    }
}

/// kubectl's `printEphemeralVolumeSource`: the claim template as a nested claim description.
fn ephemeral_volume(w: &mut DescribeWriter, ephemeral: Raw<'_>) {
    w.write(
        2,
        "Type:\tEphemeralVolume (an inline specification for a volume that gets created and \
         deleted with the pod)\n",
    );
    let template = ephemeral.at("volumeClaimTemplate");
    if !template.exists() {
        return;
    }
    let metadata = template.at("metadata");
    let spec = template.at("spec");
    w.nested(2, |w| {
        let storage_class = spec.at("storageClassName").opt_str().unwrap_or_else(|| {
            metadata
                .at("annotations")
                .at("volume.beta.kubernetes.io/storage-class")
                .str()
        });
        put!(w, 0, "StorageClass:\t{storage_class}\n");
        let volume_name = spec.at("volumeName").str();
        put!(w, 0, "Volume:\t{volume_name}\n");
        labels_multiline(w, "Labels", metadata.at("labels"));
        annotations_multiline(w, "Annotations", metadata.at("annotations"));
        // A template has no status: once bound, its capacity reads as zero and its access
        // modes as none.
        let capacity = if volume_name.is_empty() { "" } else { "0" };
        put!(w, 0, "Capacity:\t{capacity}\n");
        w.write(0, "Access Modes:\t\n");
        if let Some(mode) = spec.at("volumeMode").opt_str() {
            put!(w, 0, "VolumeMode:\t{mode}\n");
        }
        let data_source = spec.at("dataSource");
        if data_source.exists() {
            w.write(0, "DataSource:\n");
            if let Some(group) = data_source.at("apiGroup").opt_str() {
                put!(w, 1, "APIGroup:\t{group}\n");
            }
            put!(w, 1, "Kind:\t{}\n", data_source.at("kind").str());
            put!(w, 1, "Name:\t{}\n", data_source.at("name").str());
        }
    });
}
