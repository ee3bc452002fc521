//! Everything that talks to the Kubernetes API (through kube-rs). Knows nothing about views.

pub mod connect;
pub mod fetch;
pub mod metrics;
pub mod watch;
