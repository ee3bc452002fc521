//! The integration tests, one binary so `cargo test` links once: each module is one area.

mod support;

mod actions;
mod actions_e2e;
mod cluster_tables;
mod connect_e2e;
mod describe_kubectl;
mod drain_action;
mod drain_plan;
mod explain_cli;
mod explain_examples;
mod explain_fuzz;
mod explorer_app;
mod explorer_e2e;
mod explorer_ui;
mod faults_e2e;
mod filters;
mod identity;
mod identity_e2e;
mod kubectl_compat;
mod log_tail;
mod on_demand;
mod owners;
mod patch_action;
mod port_forward_keys;
mod sim_api;
mod sim_exec;
mod sim_faults;
mod sim_lists;
mod sim_portforward;
mod stream_pane;
mod terminal_e2e;
mod terminal_keys;
mod triage_cli;
mod triage_e2e;
mod triage_pane;
