//! What the user can ask for, named for what it does.

use super::state::SortColumn;

/// A user intent, produced from keys by the keymap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Quit,
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    /// Open what is selected (node, namespace or workload -> its pods; pod -> its containers).
    Enter,
    /// Close a view, clear the filter, or go back where the user came from (esc).
    Back,
    /// One step back in the history (`[`).
    HistoryBack,
    /// One step forward in the history (`]`).
    HistoryForward,
    /// The view before this one, and again (`-`).
    LastView,
    /// Show why the selected object shows its status.
    Explain,
    /// Show the selected object as YAML.
    Yaml,
    /// Describe the selected object, as `kubectl describe` does.
    Describe,
    /// In the YAML view of a Secret: show or hide its values.
    Reveal,
    /// In the YAML view: show or hide metadata.managedFields.
    ManagedFields,
    /// Copy the selected name (or the YAML shown) to the clipboard, over OSC 52.
    Copy,
    Help,
    /// Start typing a command (`:pods`, `:nodes`, …).
    CommandMode,
    /// Start typing a filter.
    FilterMode,
    /// A character typed into the command or filter line.
    Type(char),
    /// Complete the typed command to its first match (tab).
    Complete,
    /// Delete the last typed character.
    Erase,
    /// Move or delete in the command or filter line, or recall a line from its history.
    Line(super::line::LineEdit),
    /// Run the typed command or keep the typed filter.
    Submit,
    /// Mark or unmark the selected object for a delete of several.
    Mark,
    /// Pause or resume the watch stream.
    Pause,
    /// Show every namespace (`0`).
    AllNamespaces,
    /// Scope to favourite namespace 1 to 9 (the ones chosen before).
    Favourite(u8),
    /// Delete the marked objects, or the selected one.
    Delete,
    /// Scale the selected workload.
    Scale,
    /// Restart a workload's rollout.
    RestartRollout,
    /// Drain the selected node (the dialog: options, plan, confirmation, progress).
    Drain,
    /// Cordon the selected node.
    Cordon,
    /// Uncordon the selected node.
    Uncordon,
    /// Set a container's image.
    SetImage,
    /// Create a Job from the selected CronJob.
    TriggerJob,
    /// Patch the selected object.
    Patch,
    /// Edit the selected object in `$EDITOR`.
    Edit,
    /// Follow the logs of the selected pod, container or workload.
    Logs,
    /// Open a shell in the selected pod's container, with the screen handed to it.
    Shell,
    /// Attach to the selected pod's container, with the screen handed to it.
    Attach,
    /// Forward a local port to a port of the selected pod, Service or workload.
    PortForward,
    /// A key for a view that reads keys itself (the log view, the drain dialog).
    Key(crossterm::event::KeyEvent),
    /// A mouse click on this screen row (with `--mouse`): selects the table row there; a click
    /// on the row already selected opens it.
    Click(u16),
    /// Answer a confirmation: yes (`y`) or no (anything else).
    Confirm(bool),
    /// Sort the pane by a column (again: reverse).
    Sort(SortColumn),
    /// Show or hide the wide set of columns.
    ToggleWide,
    /// Scroll the columns sideways: right when true.
    ScrollColumns(bool),
    /// In the log view: wrap long lines, or cut them at the edge.
    Wrap,
    /// In the log view: show JSON lines indented.
    PrettyJson,
    /// In the log view: show each line's time.
    Timestamps,
    /// In the log view: the previous run of the containers (again: the current one).
    PreviousRun,
    /// In the log view: the next container of the pod.
    NextContainer,
    /// In the log view: since preset 0 to 5 (0: the last lines only).
    Since(u8),
    /// In the log view: type a search.
    Search,
    /// In the log view: the next match, and the previous one.
    NextMatch,
    PreviousMatch,
    /// In the log view: save the lines to a file.
    SaveLines,
    /// In the drain dialog: work out the plan for the options chosen.
    ShowPlan,
    /// The owner tree from the selected object (k9s's xray).
    Xray,
    /// Jump from the selected object to its owner (a pod to its ReplicaSet, a Job to its
    /// CronJob).
    Owner,
    /// In the owner tree: fold the line, or step to its owner's line.
    Fold,
    /// In the owner tree: unfold the line, or step to the first line under it.
    Unfold,
}

/// One action a keymap can bind: its name in keymap files and what it does, for the help.
pub struct Bindable {
    pub name: &'static str,
    pub action: Action,
    pub does: &'static str,
}

const fn bindable(name: &'static str, action: Action, does: &'static str) -> Bindable {
    Bindable { name, action, does }
}

/// Every action a keymap file may name, in the order the help lists them.
pub const BINDABLE: &[Bindable] = &[
    bindable(
        "command",
        Action::CommandMode,
        "type a command: a pane or kind, :ctx, :delete-failed, :q",
    ),
    bindable(
        "filter",
        Action::FilterMode,
        "filter as you type: regex over the row, !inverse, -f fuzzy name, -l app=web labels, -F status.phase=Running fields",
    ),
    bindable("up", Action::Up, "move up"),
    bindable("down", Action::Down, "move down"),
    bindable("page_up", Action::PageUp, "a page up"),
    bindable("page_down", Action::PageDown, "a page down"),
    bindable("top", Action::Top, "the first row"),
    bindable("bottom", Action::Bottom, "the last row"),
    bindable(
        "enter",
        Action::Enter,
        "open: node or workload -> its pods; namespace -> scope; pod -> containers and events",
    ),
    bindable(
        "back",
        Action::Back,
        "close the view, clear the filter, or go back where you came from",
    ),
    bindable("history_back", Action::HistoryBack, "back in the history"),
    bindable(
        "history_forward",
        Action::HistoryForward,
        "forward in the history",
    ),
    bindable(
        "last_view",
        Action::LastView,
        "the view before this one (again: back here)",
    ),
    bindable(
        "explain",
        Action::Explain,
        "explain why the selected object shows its status",
    ),
    bindable(
        "describe",
        Action::Describe,
        "describe the selected object, as kubectl describe does",
    ),
    bindable(
        "yaml",
        Action::Yaml,
        "YAML of the selected object (Secrets masked; x reveals)",
    ),
    bindable(
        "copy",
        Action::Copy,
        "copy the name (in the YAML view: the YAML shown) to the clipboard (OSC 52)",
    ),
    bindable(
        "reveal",
        Action::Reveal,
        "in the YAML view of a Secret: show or hide its values",
    ),
    bindable(
        "managed_fields",
        Action::ManagedFields,
        "in the YAML view: show or hide metadata.managedFields",
    ),
    bindable(
        "logs",
        Action::Logs,
        "follow logs: a pod (all containers), a container (in enter's view), a workload's pods",
    ),
    bindable(
        "shell",
        Action::Shell,
        "a shell in the pod's container (bash if it has it, else sh); exit returns here",
    ),
    bindable(
        "attach",
        Action::Attach,
        "attach to the pod's container (ctrl-p ctrl-q detaches)",
    ),
    bindable(
        "port_forward",
        Action::PortForward,
        "forward a local port to a pod, service or workload (:pf lists the forwards)",
    ),
    bindable(
        "mark",
        Action::Mark,
        "mark or unmark for a delete of several (marks belong to the pane's kind)",
    ),
    bindable(
        "delete",
        Action::Delete,
        "delete the marked objects, or the selected one (grace period, ! forces)",
    ),
    bindable(
        "scale",
        Action::Scale,
        "scale a deployment, statefulset or replicaset",
    ),
    bindable(
        "restart_rollout",
        Action::RestartRollout,
        "restart a rollout (deployment, statefulset, daemonset)",
    ),
    bindable(
        "set_image",
        Action::SetImage,
        "set a container's image (container=image)",
    ),
    bindable(
        "trigger_job",
        Action::TriggerJob,
        "create a Job from the selected CronJob now",
    ),
    bindable(
        "patch",
        Action::Patch,
        "patch: strategic, merge or JSON; in $EDITOR or inline; dry-run diff first",
    ),
    bindable(
        "edit",
        Action::Edit,
        "edit the whole object in $EDITOR; dry-run diff first; a conflict offers re-apply",
    ),
    bindable(
        "drain",
        Action::Drain,
        "drain the node: kubectl's options, the plan, confirm, live progress",
    ),
    bindable("cordon", Action::Cordon, "cordon the node"),
    bindable("uncordon", Action::Uncordon, "uncordon the node"),
    bindable("pause", Action::Pause, "pause or resume the stream"),
    bindable("all_namespaces", Action::AllNamespaces, "all namespaces"),
    bindable(
        "favourite_1",
        Action::Favourite(1),
        "favourite namespace 1 (the ones chosen in :ns)",
    ),
    bindable("favourite_2", Action::Favourite(2), "favourite namespace 2"),
    bindable("favourite_3", Action::Favourite(3), "favourite namespace 3"),
    bindable("favourite_4", Action::Favourite(4), "favourite namespace 4"),
    bindable("favourite_5", Action::Favourite(5), "favourite namespace 5"),
    bindable("favourite_6", Action::Favourite(6), "favourite namespace 6"),
    bindable("favourite_7", Action::Favourite(7), "favourite namespace 7"),
    bindable("favourite_8", Action::Favourite(8), "favourite namespace 8"),
    bindable("favourite_9", Action::Favourite(9), "favourite namespace 9"),
    bindable(
        "wide",
        Action::ToggleWide,
        "show or hide the wide set of columns (IP, node, labels, ... as -o wide)",
    ),
    bindable(
        "scroll_left",
        Action::ScrollColumns(false),
        "scroll the columns left (when they do not all fit)",
    ),
    bindable(
        "scroll_right",
        Action::ScrollColumns(true),
        "scroll the columns right (when they do not all fit)",
    ),
    bindable(
        "sort_name",
        Action::Sort(SortColumn::Name),
        "sort by name (again: reverse)",
    ),
    bindable("sort_age", Action::Sort(SortColumn::Age), "sort by age"),
    bindable(
        "sort_status",
        Action::Sort(SortColumn::Status),
        "sort by status",
    ),
    bindable(
        "sort_restarts",
        Action::Sort(SortColumn::Restarts),
        "sort by restarts",
    ),
    bindable("sort_cpu", Action::Sort(SortColumn::Cpu), "sort by cpu"),
    bindable(
        "sort_memory",
        Action::Sort(SortColumn::Memory),
        "sort by memory",
    ),
    bindable(
        "wrap",
        Action::Wrap,
        "wrap long lines, or cut them at the edge",
    ),
    bindable("json", Action::PrettyJson, "show JSON lines indented"),
    bindable("timestamps", Action::Timestamps, "show each line's time"),
    bindable(
        "previous_run",
        Action::PreviousRun,
        "the previous run of the containers (again: the current one)",
    ),
    bindable(
        "next_container",
        Action::NextContainer,
        "the next container of the pod",
    ),
    bindable(
        "since_0",
        Action::Since(0),
        "since preset 0: the last lines only",
    ),
    bindable(
        "since_1",
        Action::Since(1),
        "since preset 1: the last minute",
    ),
    bindable(
        "since_2",
        Action::Since(2),
        "since preset 2: the last 5 minutes",
    ),
    bindable(
        "since_3",
        Action::Since(3),
        "since preset 3: the last 15 minutes",
    ),
    bindable("since_4", Action::Since(4), "since preset 4: the last hour"),
    bindable("since_5", Action::Since(5), "since preset 5: the whole log"),
    bindable(
        "search",
        Action::Search,
        "search (smart case); enter searches, esc gives up",
    ),
    bindable("next_match", Action::NextMatch, "the next match"),
    bindable(
        "previous_match",
        Action::PreviousMatch,
        "the previous match",
    ),
    bindable("save", Action::SaveLines, "save the lines to a file"),
    bindable(
        "plan",
        Action::ShowPlan,
        "in the drain dialog: the plan for the options chosen",
    ),
    bindable("yes", Action::Confirm(true), "yes: go ahead"),
    bindable("no", Action::Confirm(false), "no: back"),
    bindable(
        "change",
        Action::Submit,
        "change the selected option (a flag, or type a number)",
    ),
    bindable(
        "xray",
        Action::Xray,
        "the owner tree from the selected object: workload -> pods -> containers (:xray KIND for a kind)",
    ),
    bindable(
        "owner",
        Action::Owner,
        "jump to the selected object's owner (pod -> ReplicaSet -> Deployment, Job -> CronJob)",
    ),
    bindable(
        "fold",
        Action::Fold,
        "in the owner tree: fold the line, or go to its owner's line",
    ),
    bindable(
        "unfold",
        Action::Unfold,
        "in the owner tree: unfold the line, or go to the first line under it",
    ),
    bindable("help", Action::Help, "this help"),
    bindable("quit", Action::Quit, "quit"),
];

impl Action {
    /// The edit of a typed line this action makes (a character, backspace, a line key).
    pub fn line_edit(&self) -> Option<super::line::LineEdit> {
        use super::line::LineEdit;
        match self {
            Action::Type(c) => Some(LineEdit::Insert(*c)),
            Action::Erase => Some(LineEdit::DeleteBack),
            Action::Line(edit) => Some(*edit),
            _ => None,
        }
    }

    /// The action a keymap file names (`restart` and `pause` are the names of earlier files).
    pub fn named(name: &str) -> Option<Action> {
        let name = match name {
            "restart" => "restart_rollout",
            other => other,
        };
        BINDABLE
            .iter()
            .find(|b| b.name == name)
            .map(|b| b.action.clone())
    }

    /// What it does, for the help and the footer.
    pub fn does(&self) -> &'static str {
        BINDABLE
            .iter()
            .find(|b| b.action == *self)
            .map_or("", |b| b.does)
    }
}
