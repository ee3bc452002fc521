//! Pure Kubernetes logic: what kubectl prints, and why. No IO, no async; the clock is always an
//! argument, so every answer is reproducible.

pub mod api_error;
pub mod container_rows;
pub mod custom_columns;
pub mod deletion;
pub mod describe;
pub mod diff;
pub mod drain;
pub mod drain_progress;
pub mod duration;
pub mod event;
pub mod explanation;
pub mod findings;
pub(crate) mod go_quantity;
pub mod health;
pub mod inbox;
pub mod kind;
pub(crate) mod limit_range;
pub mod log_stream;
mod lz4_block;
pub mod manifest;
pub mod meta;
pub mod metrics;
pub mod namespace;
pub mod namespace_status;
pub mod node;
pub mod node_status;
pub mod owner_tree;
pub mod packed_text;
pub mod patch_review;
pub mod patch_text;
pub mod pod;
pub mod pod_hints;
mod pod_lean;
pub mod pod_resources;
pub mod pod_row;
pub mod pod_status;
pub mod port_forward;
pub mod qos;
pub mod quantity;
pub(crate) mod quota;
pub mod resource_info;
pub(crate) mod resource_list;
pub mod selector;
pub mod spread;
pub mod strategic_merge;
pub mod table;
pub mod table_feed;
pub mod time;
pub mod trace;
pub mod watched;
pub mod watched_pod;
pub mod workload_explain;
pub mod yaml;

#[cfg(test)]
mod upstream_printer_cases;
