//! What a container does when it runs, decided by its image: the simulated registry and the
//! programs in it. Seeded workloads use images whose behaviour tells a story (a service that
//! leaks memory, a migration that cannot reach its database); any other well-formed image runs
//! and serves, so that users can set images freely.

/// A container's life, as a program.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Behavior {
    /// Runs and is ready, forever.
    Serve,
    /// Runs forever but its readiness probe keeps failing.
    NeverReady,
    /// Runs for `run_seconds`, then dies with `exit_code` (OOMKilled when 137 and `oom`).
    Crash {
        run_seconds: i64,
        exit_code: i32,
        oom: bool,
    },
    /// Finishes successfully after `run_seconds`.
    Complete { run_seconds: i64 },
    /// Exits non-zero after `run_seconds` (a failing batch job).
    Fail { run_seconds: i64, exit_code: i32 },
    /// The registry has no such image.
    PullNotFound,
    /// The reference cannot be parsed.
    InvalidName,
}

/// Images of the seeded workloads and what they do.
const CATALOGUE: &[(&str, Behavior)] = &[
    (
        "registry.example.com/shop/checkout:1.14.2",
        Behavior::Crash {
            run_seconds: 95,
            exit_code: 137,
            oom: true,
        },
    ),
    (
        "registry.example.com/shop/orders:5.1.0-migrate",
        Behavior::Crash {
            run_seconds: 12,
            exit_code: 1,
            oom: false,
        },
    ),
    (
        "registry.example.com/search/indexer:4.0.1",
        Behavior::NeverReady,
    ),
    ("envoyproxy/envoy:v1.32.0-rc1", Behavior::NeverReady),
    (
        "registry.example.com/batch/nightly-report:2.3.0",
        Behavior::Complete { run_seconds: 45 },
    ),
    (
        "registry.example.com/batch/etl:0.9.4",
        Behavior::Fail {
            run_seconds: 30,
            exit_code: 2,
        },
    ),
    ("registry.example.com/tools/wait-for:1.2", Behavior::Serve),
    ("registry.k8s.io/pause:3.10", Behavior::Serve),
    ("registry.example.com/data/migrator:3.1.0", Behavior::Serve),
    ("busybox:1.37", Behavior::Complete { run_seconds: 5 }),
];

/// Programs that ignore SIGTERM and are only stopped when their grace period runs out.
const IGNORES_SIGTERM: &[&str] = &["registry.example.com/data/migrator:3.1.0"];

/// Whether a container running `image` stops only when its grace period is over.
pub fn ignores_sigterm(image: &str) -> bool {
    IGNORES_SIGTERM.contains(&image)
}

/// Tags that do not exist in the simulated registry.
const MISSING: &[&str] = &[
    "nginx:1.27-alpne",
    "registry.example.com/shop/web:v2.0.0-rc9",
];

/// What a container running `image` does.
pub fn behavior(image: &str) -> Behavior {
    if !is_valid_reference(image) {
        return Behavior::InvalidName;
    }
    if MISSING.contains(&image) {
        return Behavior::PullNotFound;
    }
    CATALOGUE
        .iter()
        .find(|(known, _)| *known == image)
        .map_or(Behavior::Serve, |(_, behavior)| *behavior)
}

/// The image that logs as fast as it is asked to (for measuring the log tail).
const LOG_FLOOD: &str = "kscope/log-flood";
/// Lines a second a log flood writes when its tag is not a number.
const LOG_FLOOD_DEFAULT_RATE: u32 = 20_000;

/// Lines a second a container running `image` writes while its log is followed, when it is a
/// log flood (`kscope/log-flood:RATE`, e.g. `kscope/log-flood:20000`); it otherwise serves like
/// any other image, so this is a property of its log only.
pub fn log_flood_rate(image: &str) -> Option<u32> {
    let rest = image.strip_prefix(LOG_FLOOD)?;
    if rest.is_empty() {
        return Some(LOG_FLOOD_DEFAULT_RATE);
    }
    let tag = rest.strip_prefix(':')?;
    Some(
        tag.parse::<u32>()
            .ok()
            .filter(|rate| *rate > 0)
            .unwrap_or(LOG_FLOOD_DEFAULT_RATE),
    )
}

/// A loose check of the image reference grammar: lowercase repository path, optional tag or
/// digest, no whitespace.
pub fn is_valid_reference(image: &str) -> bool {
    if image.is_empty() || image.chars().any(char::is_whitespace) {
        return false;
    }
    let (name, _) = image.split_once('@').unwrap_or((image, ""));
    let (repository, tag) = match name.rsplit_once(':') {
        // A colon before the last slash is a registry port, not a tag.
        Some((repository, tag)) if !tag.contains('/') => (repository, Some(tag)),
        _ => (name, None),
    };
    let path = repository
        .split_once('/')
        .map_or(repository, |(first, rest)| {
            if first.contains('.') || first.contains(':') || first == "localhost" {
                rest
            } else {
                repository
            }
        });
    let path_ok = !path.is_empty()
        && path.split('/').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b))
                && part.as_bytes()[0].is_ascii_alphanumeric()
        });
    let tag_ok = tag.is_none_or(|t| {
        !t.is_empty()
            && t.len() <= 128
            && t.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b))
    });
    path_ok && tag_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references() {
        for good in [
            "nginx",
            "nginx:1.27",
            "registry.example.com/shop/web:1",
            "localhost:5000/a/b:c",
            "a@sha256:abc",
        ] {
            assert!(is_valid_reference(good), "{good}");
        }
        for bad in [
            "",
            "Nginx",
            "nginx:",
            "web app",
            "registry.example.com/Shop/web",
            ":tag",
        ] {
            assert!(!is_valid_reference(bad), "{bad}");
        }
        assert_eq!(behavior("Registry.Example.com/Web"), Behavior::InvalidName);
        assert_eq!(behavior("nginx:1.27-alpne"), Behavior::PullNotFound);
        assert_eq!(behavior("nginx:1.27"), Behavior::Serve);
    }

    #[test]
    fn log_flood_rates() {
        assert_eq!(log_flood_rate("kscope/log-flood:5000"), Some(5000));
        assert_eq!(log_flood_rate("kscope/log-flood"), Some(20_000));
        assert_eq!(log_flood_rate("kscope/log-flood:latest"), Some(20_000));
        assert_eq!(log_flood_rate("kscope/log-flooder"), None);
        assert_eq!(log_flood_rate("nginx:1.27"), None);
        assert_eq!(behavior("kscope/log-flood:5000"), Behavior::Serve);
    }
}
