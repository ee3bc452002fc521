//! What kubectl says about deletions.

/// What kubectl prints (after `Warning: `) when it deletes with `--force` and grace period 0.
pub const FORCE_DELETE_WARNING: &str = "Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.";
