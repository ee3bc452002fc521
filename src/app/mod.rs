//! The explorer's state machine: what the user sees and selects, updated by typed actions and
//! by messages from the cluster. Deterministic and testable without a terminal or a cluster.

pub mod action;
pub mod columns;
mod commands;
pub mod drain_view;
pub mod draining;
mod drill;
pub mod event_store;
pub mod explain_lines;
pub mod filter;
pub mod findings_job;
pub mod forward_dialog;
pub mod forwards;
pub mod history;
mod ingest;
mod inspect;
pub mod interned;
pub mod keymap;
pub mod line;
pub mod log_buffer;
pub mod log_view;
pub mod logs;
pub mod operation;
mod panes;
pub mod patching;
pub mod pod_readings;
mod pod_search;
pub mod pulse;
pub mod reader;
pub mod request;
pub mod resources;
mod router;
pub mod row_text;
pub mod row_texts;
pub mod scroll;
pub mod selection;
pub mod settings;
pub mod state;
pub mod stream;
pub mod tables;
pub mod terminal_session;
pub mod triage;
pub mod views;
pub mod xray;
mod xray_routes;
pub mod yaml;

/// A user's file: the one `$VAR` names, else `name` in kscope's config directory; None when
/// it does not exist.
pub(crate) fn user_file(var: &str, name: &str) -> Option<std::path::PathBuf> {
    let path = match std::env::var_os(var) {
        Some(path) => Some(std::path::PathBuf::from(path)),
        None => directories::ProjectDirs::from("dev", "kscope", "kscope")
            .map(|dirs| dirs.config_dir().join(name)),
    };
    path.filter(|p| p.exists())
}
