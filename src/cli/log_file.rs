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
    let file = open_private(&path)
        .with_context(|| format!("cannot open the log file {}", path.display()))?;
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

/// Opens the log for appending, readable by its owner only: errors quote what the API server
/// said, names and all. Created with mode 0600, never readable by others even for a moment; a
/// regular file made before (by an older kscope, or by hand) is made private too. Anything
/// else (`KSCOPE_LOG_FILE=/dev/null`) keeps its mode: it is not ours to change.
fn open_private(path: &std::path::Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
    let file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .mode(0o600)
        .open(path)?;
    let metadata = file.metadata()?;
    if metadata.is_file() && metadata.permissions().mode() & 0o077 != 0 {
        file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    }
    Ok(file)
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    fn mode(path: &std::path::Path) -> u32 {
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn the_log_is_created_private_and_an_old_one_made_private() {
        let dir = tempfile::tempdir().unwrap();
        let fresh = dir.path().join("kscope.log");
        drop(super::open_private(&fresh).unwrap());
        assert_eq!(mode(&fresh), 0o600);

        let old = dir.path().join("old.log");
        std::fs::write(&old, "earlier\n").unwrap();
        std::fs::set_permissions(&old, std::fs::Permissions::from_mode(0o644)).unwrap();
        use std::io::Write;
        writeln!(super::open_private(&old).unwrap(), "later").unwrap();
        assert_eq!(mode(&old), 0o600);
        assert_eq!(std::fs::read_to_string(&old).unwrap(), "earlier\nlater\n");
    }
}
