//! A simulated shell per container: a small command interpreter over a virtual filesystem
//! built from the pod, so that `kubectl exec`, `kubectl cp` and an interactive `sh` behave as
//! in a real container while nothing runs on the host.

mod commands;
pub mod container;
mod fs;
mod interp;
pub mod io;
pub mod parse;
mod tar;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use serde_json::Value;

pub use container::{Container, ImageShell};
pub use fs::Fs;
pub use interp::Io;

use super::state::Sim;

/// Namespace, pod name, pod uid, container.
type ContainerKey = (String, String, String, String);

/// The filesystems of the containers sessions have entered, kept while their pod lives, so
/// that a file copied in is there for the next exec (keyed by pod uid: a pod recreated under
/// the same name starts afresh).
#[derive(Default)]
pub struct Filesystems {
    open: Mutex<HashMap<ContainerKey, Arc<Mutex<Fs>>>>,
}

impl Filesystems {
    /// The container as a process sees it now, and its filesystem (built on first use).
    pub fn enter(
        &self,
        sim: &Sim,
        pod: &Value,
        container: &str,
    ) -> Option<(Arc<Container>, Arc<Mutex<Fs>>)> {
        let text = |v: &Value| v.as_str().unwrap_or("").to_string();
        let key = (
            text(&pod["metadata"]["namespace"]),
            text(&pod["metadata"]["name"]),
            text(&pod["metadata"]["uid"]),
            container.to_string(),
        );
        let ca = sim.ca_pem.get().cloned().unwrap_or_default();
        let (view, fresh) = container::build(sim, pod, container, &ca)?;
        let mut open = self.open.lock().unwrap_or_else(|p| p.into_inner());
        // Filesystems of pods that are gone (or replaced) are let go.
        open.retain(|kept, _| {
            let (namespace, name, uid, _) = kept;
            *kept == key
                || sim
                    .get("v1", "Pod", namespace, name)
                    .is_some_and(|p| p["metadata"]["uid"].as_str() == Some(uid.as_str()))
        });
        let fs = open
            .entry(key)
            .or_insert_with(|| Arc::new(Mutex::new(fresh)))
            .clone();
        Some((Arc::new(view), fs))
    }
}

/// Why a program could not start: the runtime's words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotFound(pub String);

/// Runs a command in a container, as the runtime's exec does: the first word is a program the
/// image has, or the exec fails.
pub async fn exec(
    container: Arc<Container>,
    fs: Arc<Mutex<Fs>>,
    argv: &[String],
    io: &mut Io,
) -> Result<i32, NotFound> {
    let first = argv.first().cloned().unwrap_or_default();
    let Some(program) = interp::find_program(&container, &fs, &first) else {
        return Err(NotFound(first));
    };
    let mut shell = interp::Shell::new(container, fs, &program, 7);
    Ok(commands::run(&mut shell, &program, argv, io).await)
}

#[cfg(test)]
mod tests;
