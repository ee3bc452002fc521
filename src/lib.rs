//! kscope: a keyboard-driven terminal explorer for Kubernetes that explains what it shows.
//!
//! Layers (data flows one way): `model` is pure Kubernetes logic; `cluster` talks to the API;
//! `cli` is the command line on top of both.

pub mod cli;
pub mod cluster;
pub mod model;
