//! The explainer: why the selected object shows its status, step by step, and what to do.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use super::theme::Theme;
use crate::model::explanation::Explanation;
use crate::model::trace::Step;

/// Draws the explanation over `area`, scrolled by `scroll` lines.
pub fn draw(
    frame: &mut Frame<'_>,
    area: Rect,
    explanation: &Explanation,
    scroll: usize,
    theme: &Theme,
) {
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
    };
    let mut lines = vec![
        Line::from(Span::styled(
            summary,
            theme.health(health).add_modifier(Modifier::BOLD),
        )),
        Line::raw(""),
    ];
    lines.push(Line::from(Span::styled("Why", theme.header)));
    for Step { field, value, rule } in steps {
        if field.chars().all(|c| c.is_ascii_uppercase()) {
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
                    .title(Span::styled(title, theme.header)),
            ),
        popup,
    );
}
