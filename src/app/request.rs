//! What the app asks for, as data. The app stays free of IO: it queues requests of the cluster,
//! which the session carries out on tasks and answers with a `ClusterMessage`, and effects the
//! runtime carries out itself (the editor, the clipboard, a file, a context switch).

use super::resources::Key;
use crate::model::kind::Target;

/// Why an object is being fetched: what to do once it arrives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Yaml,
    /// The YAML with metadata.managedFields shown.
    YamlWithManagedFields,
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
    /// Listen on a local port and forward each connection to a pod's port.
    Forward(ForwardSpec),
    /// Stop the forward numbered so.
    StopForward(u64),
}

/// A port-forward, fully decided: the pod as chosen (its uid too: the forward stops when the
/// pod is gone or replaced), its port, and where to listen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForwardSpec {
    pub id: u64,
    pub namespace: String,
    pub pod: String,
    pub uid: Option<String>,
    pub remote: u16,
    pub address: String,
    pub local: u16,
    /// The local port is the default one: when it is taken, a free one is used instead (a
    /// port the user typed is used or fails).
    pub any_free: bool,
}

/// What the runtime does itself, with the terminal, the clipboard, a file or the connection:
/// never a call to the API server from its loop.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Open the fetched object (or a patch template made from it) in `$EDITOR` with the screen
    /// handed over, then have what was written previewed.
    OpenEditor(Box<Editing>),
    /// Write the log view's lines to this file.
    SaveLogs(std::path::PathBuf),
    /// Put this text on the terminal's clipboard (OSC 52).
    Copy(String),
    /// Connect to another context of the kubeconfig, off the loop; the screen then shows that
    /// cluster.
    SwitchContext(String),
    /// Open a shell in a container, or attach to it, and hand the screen to it until it ends.
    Terminal(Box<TerminalSession>),
}

/// What the screen is handed to: a shell in a container, or the container's own process.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionKind {
    /// `s`: exec k9s's shell check (bash where the image has it, else sh) with a TTY.
    Shell,
    /// `a`: attach to the container's process (its stdin and TTY when the spec gives them).
    Attach,
}

/// A shell or attach session, naming the pod as it was chosen (its uid too: a pod replaced
/// under the same name is refused) and the container.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TerminalSession {
    pub kind: SessionKind,
    pub namespace: String,
    pub pod: String,
    pub uid: Option<String>,
    pub container: String,
    /// Whether keys are sent to the process (always for a shell; for attach, when the
    /// container has `stdin: true`).
    pub stdin: bool,
    /// Whether the process has a terminal (always for a shell; for attach, `tty: true`).
    pub tty: bool,
}

impl TerminalSession {
    /// How the footer names it: `shell in shop/web-1 (nginx)`.
    pub fn title(&self) -> String {
        let what = match self.kind {
            SessionKind::Shell => "shell in",
            SessionKind::Attach => "attach to",
        };
        format!(
            "{what} {}/{} ({})",
            self.namespace, self.pod, self.container
        )
    }
}
