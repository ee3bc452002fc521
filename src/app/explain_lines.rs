//! The explainer's answer as the lines its view shows: the text the view's search reads, each
//! part marked with what it is so the UI can style it (the summary in the health's colour,
//! headings, a column's result, the muted field names).

use crate::model::explanation::Explanation;
use crate::model::health::Health;
use crate::model::trace::Step;

/// What a part of a line is, for its style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// The summary line, coloured by the object's health.
    Summary(Health),
    Heading,
    /// A printed column's result (`= READY 1/2`).
    Result,
    Muted,
    Plain,
    /// A member's status.
    Failing,
}

/// One line: its parts in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextLine(pub Vec<(Part, String)>);

impl TextLine {
    fn of(parts: Vec<(Part, String)>) -> Self {
        Self(parts)
    }

    fn plain(text: impl Into<String>) -> Self {
        Self(vec![(Part::Plain, text.into())])
    }

    /// The line's text, as the search reads it.
    pub fn text(&self) -> String {
        self.0.iter().map(|(_, text)| text.as_str()).collect()
    }
}

/// The view's title: what is explained and what it shows.
pub fn explanation_title(explanation: &Explanation) -> String {
    match explanation {
        Explanation::Pod(pod) => format!("Why {}/{} is {}", pod.namespace, pod.name, pod.status),
        Explanation::Node(node) => format!("Why node {} is {}", node.name, node.status),
        Explanation::Namespace(namespace) => {
            format!("Why namespace {} is {}", namespace.name, namespace.status)
        }
        other => match other.workload() {
            Some((kind, w)) => format!("{kind} {}/{}: {}", w.namespace, w.name, w.status),
            None => String::new(),
        },
    }
}

/// The lines of the explanation: the summary, why (step by step), what holds it back, what
/// to do.
pub fn explanation_lines(explanation: &Explanation) -> Vec<TextLine> {
    let mut members: &[crate::model::workload_explain::Member] = &[];
    let (summary, steps, hints, health) = match explanation {
        Explanation::Pod(pod) => (
            format!(
                "READY {}   RESTARTS {}   QoS {}   AGE {}   NODE {}",
                pod.ready,
                pod.restarts,
                pod.qos,
                pod.age,
                if pod.node.is_empty() {
                    "<none>"
                } else {
                    &pod.node
                }
            ),
            &pod.steps,
            &pod.hints,
            pod.health,
        ),
        Explanation::Node(node) => (
            format!(
                "ROLES {}   AGE {}   VERSION {}",
                node.roles, node.age, node.version
            ),
            &node.steps,
            &node.hints,
            node.health,
        ),
        Explanation::Namespace(namespace) => (
            format!("AGE {}", namespace.age),
            &namespace.steps,
            &namespace.hints,
            namespace.health,
        ),
        other => {
            let Some((_, workload)) = other.workload() else {
                return Vec::new();
            };
            members = &workload.members;
            (
                workload
                    .columns
                    .iter()
                    .map(|c| format!("{} {}", c.name, c.value))
                    .collect::<Vec<_>>()
                    .join("   "),
                &workload.steps,
                &workload.hints,
                workload.health,
            )
        }
    };
    let mut lines = vec![
        TextLine::of(vec![(Part::Summary(health), summary)]),
        TextLine::plain(""),
        TextLine::of(vec![(Part::Heading, "Why".to_string())]),
    ];
    for step in steps {
        let Step { field, value, rule } = step;
        if step.is_result() {
            lines.push(TextLine::of(vec![
                (Part::Result, format!("  = {field} {value}  ")),
                (Part::Muted, rule.clone()),
            ]));
        } else {
            lines.push(TextLine::of(vec![
                (Part::Muted, format!("  {field}")),
                (Part::Plain, format!(" = {value}")),
            ]));
            lines.push(TextLine::plain(format!("      {rule}")));
        }
    }
    if let Some(first) = members.first() {
        lines.push(TextLine::plain(""));
        lines.push(TextLine::of(vec![(
            Part::Heading,
            format!("{}s holding it back", first.kind),
        )]));
        for member in members {
            lines.push(TextLine::of(vec![
                (Part::Plain, format!("  {} ", member.name)),
                (Part::Failing, member.status.clone()),
                (Part::Muted, format!("  {}", member.why)),
            ]));
        }
    }
    if !hints.is_empty() {
        lines.push(TextLine::plain(""));
        lines.push(TextLine::of(vec![(
            Part::Heading,
            "What to do".to_string(),
        )]));
        for hint in hints {
            lines.push(TextLine::plain(format!("  - {hint}")));
        }
    }
    lines
}
