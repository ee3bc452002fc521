//! What the app asks of the cluster. The app stays free of IO: it queues a request, the runtime
//! carries it out on a task and answers with a `ClusterMessage`.

use super::resources::Key;
use crate::model::kind::Target;

/// Why an object is being fetched: what to do once it arrives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Yaml,
    Describe,
    /// Open it in `$EDITOR` for this job.
    Editor(EditorJob),
}

/// An object to open in `$EDITOR`, as fetched.
#[derive(Debug, Clone, PartialEq)]
pub struct Editing {
    pub job: EditorJob,
    pub target: Target,
    pub key: Key,
    pub object: serde_json::Value,
}

/// What `$EDITOR` is opened for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditorJob {
    /// The whole object, sent as the patch of what changed (`e`).
    Edit,
    /// A commented template for a patch of this type (`p`, then `e`).
    Patch(crate::model::strategic_merge::PatchType),
}

/// One request.
#[derive(Debug, Clone, PartialEq)]
pub enum Request {
    /// GET one object, whole (the watches keep only what the panes need).
    Fetch {
        target: Target,
        key: Key,
        purpose: Purpose,
    },
    /// Watch a kind through the server's Table output (its table's index in the app).
    WatchTable(crate::model::resource_info::ResourceInfo),
    /// Carry out a confirmed mutation.
    Run(super::operation::Operation),
    /// A terminal effect: open the fetched object (or a patch template made from it) in
    /// `$EDITOR`, with the screen handed over, then preview what was written.
    OpenEditor(Box<Editing>),
    /// Preview a patch typed inline (server dry run).
    PreviewPatch {
        target: Target,
        key: Key,
        patch_type: crate::model::strategic_merge::PatchType,
        patch: serde_json::Value,
    },
    /// Apply a reviewed patch.
    ApplyPatch(Box<crate::model::patch_review::PatchReview>),
    /// After a conflict: read the object again and preview the same change onto it.
    Repreview(Box<crate::model::patch_review::PatchReview>),
    /// Follow logs (replacing any tail running); lines come back tagged with `generation`.
    TailLogs {
        generation: u64,
        request: crate::model::log_stream::LogRequest,
    },
    /// Stop the log tail.
    StopLogs,
    /// Write the log view's lines to this file.
    SaveLogs(std::path::PathBuf),
    /// Work out the drain plan for a node (no change made).
    PlanDrain {
        node: String,
        options: crate::model::drain::DrainOptions,
    },
    /// Drain a node: cordon, evict, wait.
    Drain {
        node: String,
        options: crate::model::drain::DrainOptions,
    },
    /// Stop a running drain (the node stays cordoned).
    CancelDrain,
    /// Connect to another context of the kubeconfig; the screen then shows that cluster.
    SwitchContext(String),
}
