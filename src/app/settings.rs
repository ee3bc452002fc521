//! The user's settings: `config.yaml` in kscope's config directory (`$KSCOPE_CONFIG` names
//! another file). Today one: what the explorer opens on.
//!
//! ```yaml
//! open: triage        # or a pane (pods, nodes, ns, events, stream, deploy, ...), or `xray deploy`
//! ```

use anyhow::{Context, Result, anyhow, bail};
use serde::Deserialize;

use super::state::Pane;
use super::xray::TREE_KINDS;
use crate::model::kind::WatchedKind;

/// What the settings file says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings {
    /// The command (as typed after `:`) the explorer runs when it opens; None for the pods.
    pub open: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    open: Option<String>,
}

impl Settings {
    /// The user's settings, or the defaults when there is no file.
    pub fn load() -> Result<Self> {
        match super::user_file("KSCOPE_CONFIG", "config.yaml") {
            Some(path) => {
                let text = std::fs::read_to_string(&path)
                    .with_context(|| format!("cannot read config {}", path.display()))?;
                Self::parse(&text, &format!("config {}", path.display()))
            }
            None => Ok(Self::default()),
        }
    }

    /// Reads a settings file; `source` names it in errors.
    pub fn parse(text: &str, source: &str) -> Result<Self> {
        if text.trim().is_empty() {
            return Ok(Self::default());
        }
        let file: File = crate::model::yaml::from_str(text)
            .map_err(|e| anyhow!("{source}: expected `open: triage` or `open: PANE`: {e}"))?;
        let Some(open) = file
            .open
            .map(|o| o.trim().trim_start_matches(':').to_string())
        else {
            return Ok(Self::default());
        };
        let mut words = open.split_whitespace();
        let name = words.next().unwrap_or("");
        let known = match name {
            "triage" | "problems" | "pf" | "port-forward" | "portforwards" => {
                words.next().is_none()
            }
            "xray" | "x" => words.next().is_some_and(|word| {
                WatchedKind::named(word).is_some_and(|kind| TREE_KINDS.contains(&kind))
            }),
            name => Pane::from_command(name).is_some(),
        };
        if !known {
            bail!(
                "{source}: open: {open:?} is not a view kscope opens on (triage, a pane such as pods, nodes, ns, events, stream or deploy, or xray KIND)"
            );
        }
        Ok(Settings { open: Some(open) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_names_triage_a_pane_or_an_owner_tree() {
        for (text, open) in [
            ("", None),
            ("open: triage", Some("triage")),
            ("open: ':nodes'", Some("nodes")),
            ("open: deploy kube-system", Some("deploy kube-system")),
            ("open: xray deploy", Some("xray deploy")),
        ] {
            assert_eq!(
                Settings::parse(text, "config test")
                    .unwrap()
                    .open
                    .as_deref(),
                open,
                "{text}"
            );
        }
    }

    #[test]
    fn a_bad_file_is_one_line_naming_what_is_wrong() {
        let error = Settings::parse("open: triages", "config c.yaml")
            .unwrap_err()
            .to_string();
        assert!(
            error.starts_with("config c.yaml: open: \"triages\" is not a view"),
            "{error}"
        );
        let error = Settings::parse("opne: triage", "config c.yaml")
            .unwrap_err()
            .to_string();
        assert!(error.contains("opne"), "{error}");
        assert!(!error.contains('\n'), "{error}");
        assert!(Settings::parse("open: xray cm", "c").is_err());
    }
}
