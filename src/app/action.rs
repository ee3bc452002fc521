//! What the user can ask for.

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
    /// Open what is selected (node, namespace or workload -> its pods; pod -> its explanation).
    Enter,
    /// Leave a drill-down, close a view, clear a filter.
    Back,
    /// Show why the selected object shows its status.
    Explain,
    /// Show the selected object as YAML.
    Yaml,
    /// Describe the selected pod or node, as `kubectl describe` does.
    Describe,
    /// In the YAML view of a Secret: show or hide its values.
    Reveal,
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
    /// Run the typed command or keep the typed filter.
    Submit,
    /// Pause or resume the watch stream.
    TogglePause,
    /// Show every namespace (`0`).
    AllNamespaces,
    /// Scope to favourite namespace 1 to 9 (the ones chosen before).
    Favourite(u8),
    /// Delete the marked objects, or the selected one (`ctrl-d`).
    Delete,
    /// Scale the selected workload (`s`).
    Scale,
    /// Restart a workload's rollout; on a node, drain it (`r`).
    Restart,
    /// Set a container's image (`i`).
    SetImage,
    /// Create a Job from the selected CronJob (`t`).
    TriggerJob,
    /// Uncordon the selected node (`u`; `c` cordons on the nodes pane).
    Uncordon,
    /// Patch the selected object (`p`).
    Patch,
    /// Edit the selected object in `$EDITOR` (`e`).
    Edit,
    /// Follow the logs of the selected pod, container or workload (`l`).
    Logs,
    /// A key for a view that reads keys itself (the log view, the drain dialog).
    Key(crossterm::event::KeyEvent),
    /// A mouse click on this screen row (with `--mouse`): selects the table row there; a click
    /// on the row already selected opens it.
    Click(u16),
    /// Answer a confirmation: yes (`y`) or no (anything else).
    Confirm(bool),
    /// Sort the pods pane by a column (again: reverse).
    Sort(super::state::SortColumn),
}
