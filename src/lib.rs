//! kscope: a keyboard-driven terminal explorer for Kubernetes that explains what it shows.
//!
//! Layers (data flows one way): `model` is pure Kubernetes logic; `cluster` talks to the API;
//! `sim` is the simulated API server; `cli` is the command line on top of them.

pub mod app;
pub mod cli;
pub mod cluster;
pub mod model;
pub mod runtime;
pub mod sim;
pub mod ui;
