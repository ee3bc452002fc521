//! Everything that talks to the Kubernetes API (through kube-rs). Knows nothing about views.

pub mod actions;
pub mod api_error;
mod body;
pub mod connect;
pub mod decode;
pub mod discovery;
pub mod drain;
pub mod fetch;
pub mod logs;
pub mod metrics;
pub mod patch;
pub mod port_forward;
pub mod table_watch;
pub mod terminal;
pub mod watch;
pub mod watch_lines;
