//! The explainer: why the selected object shows its status, step by step, and what to do.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use super::theme::Theme;
use crate::model::explanation::Explanation;
use crate::model::health::Health;
use crate::model::trace::Step;

/// Draws the explanation over `area`, scrolled by `scroll` lines.
pub fn draw(
    frame: &mut Frame<'_>,
    area: Rect,
    explanation: &Explanation,
    scroll: usize,
    theme: &Theme,
) {
    let mut members: &[crate::model::workload_explain::Member] = &[];
    let (title, summary, steps, hints, health) = match explanation {
        Explanation::Pod(pod) => (
            format!(" Why {}/{} is {} ", pod.namespace, pod.name, pod.status),
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
            format!(" Why node {} is {} ", node.name, node.status),
            format!(
                "ROLES {}   AGE {}   VERSION {}",
                node.roles, node.age, node.version
            ),
            &node.steps,
            &node.hints,
            node.health,
        ),
        Explanation::Namespace(namespace) => (
            format!(" Why namespace {} is {} ", namespace.name, namespace.status),
            format!("AGE {}", namespace.age),
            &namespace.steps,
            &namespace.hints,
            namespace.health,
        ),
        other => {
            let Some((kind, workload)) = other.workload() else {
                return;
            };
            members = &workload.members;
            (
                format!(
                    " {kind} {}/{}: {} ",
                    workload.namespace, workload.name, workload.status
                ),
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
        Line::from(Span::styled(
            summary,
            theme.health(health).add_modifier(Modifier::BOLD),
        )),
        Line::raw(""),
    ];
    lines.push(Line::from(Span::styled("Why", theme.header)));
    for step in steps {
        let Step { field, value, rule } = step;
        if step.is_result() {
            lines.push(Line::from(vec![
                Span::styled(format!("  = {field} {value}  "), theme.header),
                Span::styled(rule.clone(), theme.muted),
            ]));
        } else {
            lines.push(Line::from(vec![
                Span::styled(format!("  {field}"), theme.muted),
                Span::raw(format!(" = {value}")),
            ]));
            lines.push(Line::from(Span::raw(format!("      {rule}"))));
        }
    }
    if let Some(first) = members.first() {
        lines.push(Line::raw(""));
        lines.push(Line::from(Span::styled(
            format!("{}s holding it back", first.kind),
            theme.header,
        )));
        for member in members {
            lines.push(Line::from(vec![
                Span::raw(format!("  {} ", member.name)),
                Span::styled(member.status.clone(), theme.health(Health::Failing)),
                Span::styled(format!("  {}", member.why), theme.muted),
            ]));
        }
    }
    if !hints.is_empty() {
        lines.push(Line::raw(""));
        lines.push(Line::from(Span::styled("What to do", theme.header)));
        for hint in hints {
            lines.push(Line::from(Span::raw(format!("  - {hint}"))));
        }
    }
    let popup = area;
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((scroll.min(u16::MAX as usize) as u16, 0))
            .block(
                Block::default()
                    .borders(Borders::ALL)
                    .title(super::columns::cut(
                        Line::from(Span::styled(title, theme.header)),
                        popup.width.saturating_sub(2),
                    )),
            ),
        popup,
    );
}
