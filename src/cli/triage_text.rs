//! Findings for people (text, coloured on a terminal) and for an incident channel (Markdown).

use std::io::{self, Write};

use jiff::Timestamp;

use super::explain_text::Palette;
use crate::model::findings::{Finding, Severity};

/// How many members are named before the rest are counted.
const MEMBERS_SHOWN: usize = 8;

/// `3 problems: 2 critical, 1 warning`, or `no problems found`.
pub fn summary(findings: &[Finding]) -> String {
    if findings.is_empty() {
        return "no problems found".to_string();
    }
    let mut parts = Vec::new();
    for severity in [Severity::Critical, Severity::Warning, Severity::Info] {
        let count = findings.iter().filter(|f| f.severity == severity).count();
        if count > 0 {
            parts.push(format!("{count} {}", severity.as_str()));
        }
    }
    format!(
        "{} problem{}: {}",
        findings.len(),
        if findings.len() == 1 { "" } else { "s" },
        parts.join(", ")
    )
}

fn members(finding: &Finding) -> String {
    let mut names: Vec<String> = finding
        .members
        .iter()
        .take(MEMBERS_SHOWN)
        .map(|m| {
            if m.namespace.is_empty() {
                m.display()
            } else {
                format!("{}/{}", m.namespace, m.display())
            }
        })
        .collect();
    if finding.members.len() > MEMBERS_SHOWN {
        names.push(format!(
            "and {} more",
            finding.members.len() - MEMBERS_SHOWN
        ));
    }
    names.join(", ")
}

/// The findings as text: a summary line, then each finding's line, evidence, members and hints.
pub fn write_text(
    out: &mut impl Write,
    findings: &[Finding],
    now: Timestamp,
    palette: &Palette,
) -> io::Result<()> {
    writeln!(
        out,
        "{}{}{}",
        palette.bold,
        summary(findings),
        palette.reset
    )?;
    for finding in findings {
        let colour = match finding.severity {
            Severity::Critical => palette.red,
            Severity::Warning => palette.yellow,
            Severity::Info => palette.blue,
        };
        writeln!(out)?;
        writeln!(
            out,
            "{colour}{:<8}{} {}{}{} · {} · {} · since {}",
            finding.severity.as_str().to_uppercase(),
            palette.reset,
            palette.bold,
            finding.cause,
            palette.reset,
            finding.impact(),
            finding.scope.display(),
            finding.since_text(now)
        )?;
        for line in &finding.evidence {
            writeln!(out, "  {}{line}{}", palette.dim, palette.reset)?;
        }
        writeln!(out, "  affected: {}", members(finding))?;
        for hint in &finding.hints {
            writeln!(out, "  → {hint}")?;
        }
    }
    Ok(())
}

/// The findings as Markdown to paste into an incident channel: a heading, then one list item
/// per finding with its evidence, the affected objects and next steps nested under it.
pub fn write_markdown(
    out: &mut impl Write,
    findings: &[Finding],
    now: Timestamp,
) -> io::Result<()> {
    writeln!(out, "### Triage at {now:.0}: {}", summary(findings))?;
    if !findings.is_empty() {
        writeln!(out)?;
    }
    for (index, finding) in findings.iter().enumerate() {
        writeln!(
            out,
            "{}. **{}** {} — {} in `{}`, since {}",
            index + 1,
            finding.severity.as_str(),
            escape(&finding.cause),
            finding.impact(),
            finding.scope.display(),
            finding.since_text(now)
        )?;
        for line in &finding.evidence {
            writeln!(out, "   - {}", escape(line))?;
        }
        writeln!(out, "   - affected: `{}`", members(finding))?;
        for hint in &finding.hints {
            writeln!(out, "   - next: {hint}")?;
        }
    }
    Ok(())
}

/// Characters Markdown would read as formatting, outside code spans.
fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}
