//! Everything that talks to the Kubernetes API (through kube-rs). Knows nothing about views.

pub mod connect;
pub mod decode;
pub mod discovery;
pub mod fetch;
pub mod metrics;
pub mod table_watch;
pub mod watch;
