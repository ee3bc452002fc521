//! The explainer for people: the object's row, the steps that produced it, and what to do.

use std::io::{self, Write};

use crate::model::explanation::Explanation;
use crate::model::health::Health;
use crate::model::trace::Step;

/// ANSI styles, or empty strings when colour is off.
pub struct Palette {
    pub(super) bold: &'static str,
    pub(super) dim: &'static str,
    pub(super) reset: &'static str,
    pub(super) green: &'static str,
    pub(super) yellow: &'static str,
    pub(super) red: &'static str,
    pub(super) blue: &'static str,
}

impl Palette {
    /// Colour on a terminal unless NO_COLOR is set (https://no-color.org) or the terminal is
    /// `dumb`; plain otherwise.
    pub fn for_stream(is_terminal: bool) -> Self {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
            || std::env::var_os("TERM").is_some_and(|term| term == "dumb");
        if is_terminal && !no_color {
            Self::colour()
        } else {
            Self::plain()
        }
    }

    fn colour() -> Self {
        Self {
            bold: "\x1b[1m",
            dim: "\x1b[2m",
            reset: "\x1b[0m",
            green: "\x1b[32m",
            yellow: "\x1b[33m",
            red: "\x1b[31m",
            blue: "\x1b[34m",
        }
    }

    /// No escape sequences at all.
    pub fn plain() -> Self {
        Self {
            bold: "",
            dim: "",
            reset: "",
            green: "",
            yellow: "",
            red: "",
            blue: "",
        }
    }

    fn health(&self, health: Health) -> &'static str {
        match health {
            Health::Healthy | Health::Done => self.green,
            Health::Progressing => self.yellow,
            Health::Failing => self.red,
            Health::Unknown => self.blue,
        }
    }
}

/// Writes one explanation.
pub fn write_explanation(
    out: &mut impl Write,
    explanation: &Explanation,
    p: &Palette,
) -> io::Result<()> {
    match explanation {
        Explanation::Pod(pod) => {
            let name = if pod.namespace.is_empty() {
                pod.name.clone()
            } else {
                format!("{}/{}", pod.namespace, pod.name)
            };
            writeln!(
                out,
                "{}Pod {name}{}  {}{}{}{}",
                p.bold,
                p.reset,
                p.bold,
                p.health(pod.health),
                pod.status,
                p.reset
            )?;
            writeln!(
                out,
                "  READY {}   RESTARTS {}   QoS {}   AGE {}{}",
                pod.ready,
                pod.restarts,
                pod.qos,
                pod.age,
                if pod.node.is_empty() {
                    String::new()
                } else {
                    format!("   NODE {}", pod.node)
                }
            )?;
            write_steps(out, &pod.steps, p)?;
            write_hints(out, &pod.hints, p)
        }
        Explanation::Node(node) => {
            writeln!(
                out,
                "{}Node {}{}  {}{}{}{}",
                p.bold,
                node.name,
                p.reset,
                p.bold,
                p.health(node.health),
                node.status,
                p.reset
            )?;
            writeln!(
                out,
                "  ROLES {}   AGE {}   VERSION {}",
                node.roles,
                node.age,
                if node.version.is_empty() {
                    "<none>"
                } else {
                    &node.version
                }
            )?;
            write_steps(out, &node.steps, p)?;
            write_hints(out, &node.hints, p)
        }
        Explanation::Namespace(namespace) => {
            writeln!(
                out,
                "{}Namespace {}{}  {}{}{}{}",
                p.bold,
                namespace.name,
                p.reset,
                p.bold,
                p.health(namespace.health),
                if namespace.status.is_empty() {
                    "(no phase)"
                } else {
                    &namespace.status
                },
                p.reset
            )?;
            writeln!(out, "  AGE {}", namespace.age)?;
            write_steps(out, &namespace.steps, p)?;
            write_hints(out, &namespace.hints, p)
        }
        other => {
            let Some((kind, workload)) = other.workload() else {
                return Ok(());
            };
            writeln!(
                out,
                "{}{kind} {}/{}{}  {}{}{}{}",
                p.bold,
                workload.namespace,
                workload.name,
                p.reset,
                p.bold,
                p.health(workload.health),
                workload.status,
                p.reset
            )?;
            let columns: Vec<String> = workload
                .columns
                .iter()
                .map(|c| format!("{} {}", c.name, c.value))
                .collect();
            writeln!(out, "  {}", columns.join("   "))?;
            write_steps(out, &workload.steps, p)?;
            if !workload.members.is_empty() {
                writeln!(out)?;
                writeln!(
                    out,
                    "{}{}s holding it back{}",
                    p.bold, workload.members[0].kind, p.reset
                )?;
                for member in &workload.members {
                    writeln!(
                        out,
                        "  {}{}{}  {}{}{}  {}",
                        p.bold, member.name, p.reset, p.red, member.status, p.reset, member.why
                    )?;
                }
            }
            write_hints(out, &workload.hints, p)
        }
    }
}

fn write_steps(out: &mut impl Write, steps: &[Step], p: &Palette) -> io::Result<()> {
    writeln!(out)?;
    writeln!(out, "{}Why{}", p.bold, p.reset)?;
    for step in steps {
        // Column results close the chain; they read best set apart.
        if step.is_result() {
            writeln!(
                out,
                "  {}= {} {}{}  {}{}",
                p.bold, step.field, step.value, p.reset, p.dim, step.rule
            )?;
            write!(out, "{}", p.reset)?;
        } else {
            writeln!(out, "  {}{}{} = {}", p.dim, step.field, p.reset, step.value)?;
            writeln!(out, "      {}", step.rule)?;
        }
    }
    Ok(())
}

fn write_hints(out: &mut impl Write, hints: &[String], p: &Palette) -> io::Result<()> {
    if hints.is_empty() {
        return Ok(());
    }
    writeln!(out)?;
    writeln!(out, "{}What to do{}", p.bold, p.reset)?;
    for hint in hints {
        writeln!(out, "  - {hint}")?;
    }
    Ok(())
}
