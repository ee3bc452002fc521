//! The explorer's log: a file in the data directory, never the screen (the screen belongs to
//! the interface). kube-rs's own records (watch errors, retries) land there too.

use std::path::PathBuf;

use anyhow::{Context, Result};

/// Where the log goes: `$KSCOPE_LOG_FILE`, else `kscope.log` in the data directory.
pub fn log_path() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("KSCOPE_LOG_FILE").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(path));
    }
    directories::ProjectDirs::from("dev", "kscope", "kscope")
        .map(|dirs| dirs.data_dir().join("kscope.log"))
}

/// Sends `tracing` records at `$KSCOPE_LOG` level (default `info`) to the log file, appending.
pub fn start_logging() -> Result<Option<PathBuf>> {
    let Some(path) = log_path() else {
        return Ok(None);
    };
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create the log directory {}", dir.display()))?;
    }
    // Only its owner reads it: errors quote what the API server said, names and all.
    use std::os::unix::fs::OpenOptionsExt;
    let file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .mode(0o600)
        .open(&path)
        .with_context(|| format!("cannot open the log file {}", path.display()))?;
    // A file made before (by an older kscope) is made private too.
    let _ = file.set_permissions(std::os::unix::fs::PermissionsExt::from_mode(0o600));
    let level = std::env::var("KSCOPE_LOG")
        .ok()
        .and_then(|l| l.parse::<tracing::Level>().ok())
        .unwrap_or(tracing::Level::INFO);
    let subscriber = tracing_subscriber::fmt()
        .with_writer(std::sync::Mutex::new(file))
        .with_ansi(false)
        .with_max_level(level)
        .finish();
    // A second start in one process (tests) keeps the first.
    let _ = tracing::subscriber::set_global_default(subscriber);
    Ok(Some(path))
}
