//! The drain dialog over the body: the options form, the plan with its y/N prompt, the pods'
//! live states while the drain runs, and the summary. Colours come from the typed decisions and
//! pod states, read as [`Health`].

use crate::app::action::Action;
use crate::app::drain_view::DRAIN;
use crate::app::keymap::Keymap;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Clear, Paragraph, Row, Table};

use super::theme::Theme;
use crate::app::drain_view::{
    DrainStage, DrainView, OptionRow, decision_text, pod_state_text, unblock_hints,
};
use crate::model::drain::{Decision, DrainPlan};
use crate::model::drain_progress::{DrainSummary, PodState};
use crate::model::health::Health;

/// The widest the NAMESPACE and NAME columns grow, so REASON and STATE keep room.
const NAMESPACE_WIDTH: usize = 20;
const NAME_WIDTH: usize = 40;
/// The most lines one pod's row takes.
const ROW_LINES: usize = 3;

/// Draws the drain dialog of `view` over `area`.
pub fn draw(frame: &mut Frame<'_>, area: Rect, view: &DrainView, keymap: &Keymap, theme: &Theme) {
    frame.render_widget(Clear, area);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(
            format!(" Drain node {} ", view.node),
            theme.title,
        ))
        .title_bottom(key_hints(view, keymap, theme));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    match &view.stage {
        DrainStage::Options => draw_options(frame, inner, view, theme),
        DrainStage::Planned(plan) => draw_plan(frame, inner, view, plan, theme),
        DrainStage::Running => draw_running(frame, inner, view, theme),
        DrainStage::Finished(summary) => draw_finished(frame, inner, view, summary, theme),
    }
}

/// How healthy a decision is: removal under way, left alone, or stopping the drain.
fn decision_health(decision: Decision) -> Health {
    match decision {
        Decision::Evict | Decision::Delete => Health::Progressing,
        Decision::Skip(_) => Health::Done,
        Decision::Blocked(_) => Health::Failing,
    }
}

/// How healthy a pod's removal is: on its way, held up (it needs someone's attention), or over.
fn pod_state_health(state: &PodState) -> Health {
    match state {
        PodState::Pending | PodState::Evicting | PodState::Deleting => Health::Progressing,
        PodState::BlockedByBudget { .. } | PodState::Retrying(_) | PodState::Failed(_) => {
            Health::Failing
        }
        PodState::Deleted | PodState::Skipped(_) => Health::Done,
    }
}

/// The keys of the stage, on the bottom border.
fn key_hints(view: &DrainView, keymap: &Keymap, theme: &Theme) -> Line<'static> {
    // The keys in force (the `drain` context): all of an action's, joined with `/`.
    let keys = |action: Action| keymap.view_keys_for(DRAIN, &action).join("/");
    let first = |action: Action| keymap.view_key(DRAIN, &action).unwrap_or_default();
    let move_keys = format!("{}/{}", first(Action::Down), first(Action::Up));
    let hints: Vec<(String, &str)> = match &view.stage {
        DrainStage::Options if view.editing.is_some() => vec![
            ("0-9".into(), "seconds"),
            ("backspace".into(), "erase"),
            ("enter".into(), "keep"),
            ("esc".into(), "undo"),
        ],
        DrainStage::Options if view.planning => vec![(keys(Action::Back), "close")],
        DrainStage::Options => vec![
            (move_keys, "move"),
            (keys(Action::Submit), "change"),
            (keys(Action::ShowPlan), "show plan"),
            (keys(Action::Back), "close"),
        ],
        DrainStage::Planned(plan) if plan.can_proceed() => vec![
            (keys(Action::Confirm(true)), "drain"),
            (
                [Action::Confirm(false), Action::Submit, Action::Back]
                    .into_iter()
                    .map(&keys)
                    .filter(|k| !k.is_empty())
                    .collect::<Vec<_>>()
                    .join("/"),
                "back",
            ),
            (move_keys, "scroll"),
        ],
        DrainStage::Planned(_) => vec![
            (keys(Action::Back), "back to the options"),
            (move_keys, "scroll"),
        ],
        DrainStage::Running if view.cancelling => vec![(move_keys, "scroll")],
        DrainStage::Running => vec![(keys(Action::Back), "cancel"), (move_keys, "scroll")],
        DrainStage::Finished(_) => vec![
            (
                format!("{}/{}", keys(Action::Back), keys(Action::Submit)),
                "close",
            ),
            (move_keys, "scroll"),
        ],
    };
    let mut spans = Vec::new();
    for (key, what) in hints.into_iter().filter(|(key, _)| !key.is_empty()) {
        spans.push(Span::styled(format!(" {key}"), theme.key));
        spans.push(Span::styled(format!(" {what} "), theme.muted));
    }
    Line::from(spans)
}

fn draw_options(frame: &mut Frame<'_>, area: Rect, view: &DrainView, theme: &Theme) {
    let [command, _, form, _, status] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(OptionRow::ALL.len() as u16),
        Constraint::Length(1),
        Constraint::Min(0),
    ])
    .areas(area);
    frame.render_widget(
        Paragraph::new(Span::styled(view.kubectl_command(), theme.muted)),
        command,
    );
    let selected = view.selected_row();
    let rows: Vec<Row<'_>> = OptionRow::ALL
        .iter()
        .map(|&row| {
            let value = match (row.flag(&view.options), row.flag_value(&view.options)) {
                (Some(flag), Some(set)) => format!("[{}] {flag}", if set { 'x' } else { ' ' }),
                (Some(flag), None) => match (&view.editing, row == selected) {
                    (Some(typed), true) => {
                        let name = flag.split_once('=').map_or(flag.as_str(), |(name, _)| name);
                        format!("{name}={typed}_")
                    }
                    _ => flag,
                },
                (None, _) => "p".to_string(),
            };
            let style = if row == selected {
                theme.selected
            } else {
                Style::default()
            };
            Row::new(vec![
                Cell::from(row.label()),
                Cell::from(value),
                Cell::from(Span::styled(row.meaning(&view.options), theme.muted)),
            ])
            .style(style)
        })
        .collect();
    frame.render_widget(
        Table::new(
            rows,
            [
                Constraint::Length(22),
                Constraint::Length(28),
                Constraint::Min(10),
            ],
        ),
        form,
    );
    let (text, style) = if view.planning {
        (
            "Computing the plan: listing the node's pods (nothing is changed)...".to_string(),
            theme.health(Health::Progressing),
        )
    } else if let Some(error) = &view.plan_error {
        (
            format!("The plan could not be made: {error}"),
            theme.health(Health::Failing),
        )
    } else if view.editing.is_some() && selected == OptionRow::GracePeriod {
        (
            "Seconds every pod gets to stop; -1 leaves each pod its own.".to_string(),
            theme.muted,
        )
    } else if view.editing.is_some() {
        (
            "Seconds the whole drain may take; 0 waits forever.".to_string(),
            theme.muted,
        )
    } else {
        (
            "Nothing on the cluster changes until the plan is confirmed.".to_string(),
            theme.muted,
        )
    };
    frame.render_widget(
        Paragraph::new(wrapped_lines(&[(text, style)], status.width)),
        status,
    );
}

fn draw_plan(frame: &mut Frame<'_>, area: Rect, view: &DrainView, plan: &DrainPlan, theme: &Theme) {
    let removed = plan.pods.iter().filter(|pod| pod.is_removed()).count();
    let skipped = plan
        .pods
        .iter()
        .filter(|pod| matches!(pod.decision, Decision::Skip(_)))
        .count();
    let blocked = plan.blocked_pods().len();
    let verb = if view.options.disable_eviction {
        "delete"
    } else {
        "evict"
    };
    let mut top = vec![
        (view.kubectl_command(), theme.muted),
        (
            format!(
                "{} pods on the node: {removed} to {verb}, {skipped} to skip, {blocked} blocked",
                plan.pods.len()
            ),
            theme.header,
        ),
    ];
    if plan.pods.is_empty() {
        top.push(("No pods on the node to consider.".to_string(), theme.muted));
    }
    let mut bottom = Vec::new();
    if let Some(warning) = plan.warning_text() {
        bottom.push((
            format!("Warning: {warning}"),
            theme.health(Health::Progressing),
        ));
    }
    match view.prompt() {
        Some(prompt) => bottom.push((prompt, theme.title)),
        None => {
            if let Some(line) = plan.failure_line() {
                bottom.push((line, theme.health(Health::Failing)));
            }
            bottom.push((
                format!(
                    "Node {} cannot be drained with these options: nothing is removed while a pod is blocked.",
                    view.node
                ),
                theme.header,
            ));
            for hint in unblock_hints(plan) {
                bottom.push((format!("- {hint}"), theme.key));
            }
        }
    }
    let rows: Vec<(String, String, &'static str, String, Style)> = plan
        .pods
        .iter()
        .map(|pod| {
            (
                pod.namespace.clone(),
                pod.name.clone(),
                decision_text(pod.decision),
                pod.reason.clone(),
                theme.health(decision_health(pod.decision)),
            )
        })
        .collect();
    let table = |frame: &mut Frame<'_>, table_area: Rect| {
        draw_pod_table(
            frame,
            table_area,
            &["NAMESPACE", "NAME", "DECISION", "REASON"],
            rows.iter()
                .map(|(namespace, name, decision, reason, style)| {
                    (
                        [namespace.as_str(), name.as_str(), decision, reason.as_str()],
                        *style,
                    )
                })
                .collect(),
            view.scroll,
            theme,
        )
    };
    draw_framed(frame, area, &top, &bottom, table);
}

fn draw_running(frame: &mut Frame<'_>, area: Rect, view: &DrainView, theme: &Theme) {
    let mut top = Vec::new();
    match &view.cordon {
        Some(line) => {
            let health = if view.cordon_failed {
                Health::Failing
            } else {
                Health::Healthy
            };
            top.push((line.clone(), theme.health(health)));
        }
        None => top.push((
            format!("Cordoning node {}...", view.node),
            theme.health(Health::Progressing),
        )),
    }
    top.push((view.counts_text(), theme.header));
    if let Some(warning) = view.run_plan.as_ref().and_then(DrainPlan::warning_text) {
        top.push((
            format!("Warning: {warning}"),
            theme.health(Health::Progressing),
        ));
    }
    let bottom = if view.cancelling {
        vec![(
            "Cancelling: no further evictions are started; those granted go on.".to_string(),
            theme.health(Health::Progressing),
        )]
    } else if view.cordon_failed {
        vec![("esc cancels further evictions".to_string(), theme.muted)]
    } else {
        vec![(
            "esc cancels further evictions; the node stays cordoned".to_string(),
            theme.muted,
        )]
    };
    draw_framed(frame, area, &top, &bottom, |frame, table_area| {
        draw_state_table(frame, table_area, view, theme)
    });
}

fn draw_finished(
    frame: &mut Frame<'_>,
    area: Rect,
    view: &DrainView,
    summary: &DrainSummary,
    theme: &Theme,
) {
    let health = if view.drained() {
        Health::Healthy
    } else if summary.cancelled {
        Health::Progressing
    } else {
        Health::Failing
    };
    let node_state = if summary.node_left_cordoned {
        "the node stays cordoned"
    } else {
        "the node is not cordoned"
    };
    let mut top = vec![
        (summary.text.clone(), theme.health(health)),
        (
            format!(
                "{} evicted, {} deleted, {} failed, {} skipped; {node_state}",
                summary.evicted, summary.deleted, summary.failed, summary.skipped
            ),
            theme.header,
        ),
    ];
    if let Some(line) = &view.cordon {
        let health = if view.cordon_failed {
            Health::Failing
        } else {
            Health::Healthy
        };
        top.push((line.clone(), theme.health(health)));
    }
    // A drain stopped by its own plan removed nothing: what blocked it is worth more than an
    // empty table.
    let blocked_plan = view
        .run_plan
        .as_ref()
        .filter(|plan| view.pods.is_empty() && !plan.can_proceed());
    match blocked_plan {
        Some(plan) => {
            let rows: Vec<([&str; 4], Style)> = plan
                .pods
                .iter()
                .map(|pod| {
                    (
                        [
                            pod.namespace.as_str(),
                            pod.name.as_str(),
                            decision_text(pod.decision),
                            pod.reason.as_str(),
                        ],
                        theme.health(decision_health(pod.decision)),
                    )
                })
                .collect();
            draw_framed(frame, area, &top, &[], |frame, table_area| {
                draw_pod_table(
                    frame,
                    table_area,
                    &["NAMESPACE", "NAME", "DECISION", "REASON"],
                    rows,
                    view.scroll,
                    theme,
                )
            });
        }
        None => draw_framed(frame, area, &top, &[], |frame, table_area| {
            draw_state_table(frame, table_area, view, theme)
        }),
    }
}

/// The pods the drain removes with their latest states.
fn draw_state_table(frame: &mut Frame<'_>, area: Rect, view: &DrainView, theme: &Theme) {
    let states: Vec<(String, Style)> = view
        .pods
        .iter()
        .map(|(_, _, state)| (pod_state_text(state), theme.health(pod_state_health(state))))
        .collect();
    let rows: Vec<([&str; 3], Style)> = view
        .pods
        .iter()
        .zip(&states)
        .map(|((namespace, name, _), (state, style))| {
            ([namespace.as_str(), name.as_str(), state.as_str()], *style)
        })
        .collect();
    draw_pod_table(
        frame,
        area,
        &["NAMESPACE", "NAME", "STATE"],
        rows,
        view.scroll,
        theme,
    );
}

/// Lines above and below a table that takes the rest: the lines wrap to the width, and the
/// bottom ones get at most half the height.
fn draw_framed(
    frame: &mut Frame<'_>,
    area: Rect,
    top: &[(String, Style)],
    bottom: &[(String, Style)],
    table: impl FnOnce(&mut Frame<'_>, Rect),
) {
    let top = wrapped_lines(top, area.width);
    let bottom = wrapped_lines(bottom, area.width);
    let top_height = (top.len() as u16).min(area.height / 3);
    let bottom_height = (bottom.len() as u16).min(area.height / 2);
    let [top_area, table_area, bottom_area] = Layout::vertical([
        Constraint::Length(top_height),
        Constraint::Min(0),
        Constraint::Length(bottom_height),
    ])
    .areas(area);
    frame.render_widget(Paragraph::new(top), top_area);
    table(frame, table_area);
    frame.render_widget(Paragraph::new(bottom), bottom_area);
}

/// A table of pods: NAMESPACE and NAME as wide as their longest (capped), the middle columns as
/// wide as theirs, the last taking the rest and wrapping onto up to [`ROW_LINES`] lines (a
/// budget's numbers or a pod's reason are what the row is about); each row in its style; from
/// row `scroll`, kept so the last row stays in sight.
fn draw_pod_table<const N: usize>(
    frame: &mut Frame<'_>,
    area: Rect,
    headers: &[&'static str; N],
    rows: Vec<([&str; N], Style)>,
    scroll: usize,
    theme: &Theme,
) {
    let leading: Vec<usize> = (0..N - 1)
        .map(|column| {
            let widest = rows
                .iter()
                .map(|(cells, _)| cells[column].chars().count())
                .chain([headers[column].len()])
                .max()
                .unwrap_or(0);
            let cap = match column {
                0 => NAMESPACE_WIDTH,
                1 => NAME_WIDTH,
                _ => usize::MAX,
            };
            widest.min(cap)
        })
        .collect();
    // The table puts one column of space between columns.
    let last_width = usize::from(area.width)
        .saturating_sub(leading.iter().sum::<usize>() + (N - 1))
        .max(1);
    let rows: Vec<(Row<'_>, usize)> = rows
        .into_iter()
        .map(|(cells, style)| {
            let mut last = wrap(cells[N - 1], last_width);
            last.truncate(ROW_LINES);
            let height = last.len();
            let mut row: Vec<Cell<'_>> = cells[..N - 1]
                .iter()
                .map(|cell| Cell::from(cell.to_string()))
                .collect();
            row.push(Cell::from(last.join("\n")));
            (Row::new(row).height(height as u16).style(style), height)
        })
        .collect();
    // One line for the header.
    let room = usize::from(area.height).saturating_sub(1);
    let mut last_page_start = rows.len();
    let mut used = 0;
    while last_page_start > 0 && used + rows[last_page_start - 1].1 <= room {
        last_page_start -= 1;
        used += rows[last_page_start].1;
    }
    let first = scroll.min(last_page_start);
    let body: Vec<Row<'_>> = rows.into_iter().skip(first).map(|(row, _)| row).collect();
    let mut widths: Vec<Constraint> = leading
        .iter()
        .map(|width| Constraint::Length(*width as u16))
        .collect();
    widths.push(Constraint::Min(10));
    let header = Row::new(headers.map(|header| Cell::from(Span::styled(header, theme.header))));
    frame.render_widget(Table::new(body, widths).header(header), area);
}

/// Each text as lines no wider than `width`, in its style.
fn wrapped_lines(texts: &[(String, Style)], width: u16) -> Vec<Line<'static>> {
    texts
        .iter()
        .flat_map(|(text, style)| {
            wrap(text, usize::from(width))
                .into_iter()
                .map(|line| Line::from(Span::styled(line, *style)))
        })
        .collect()
}

/// `text` broken at spaces into lines of at most `width` columns; a word longer than a line
/// is cut. Done here rather than by the paragraph so the lines can be counted for the layout.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let options =
        textwrap::Options::new(width.max(1)).word_splitter(textwrap::WordSplitter::NoHyphenation);
    let lines: Vec<String> = textwrap::wrap(text, options)
        .into_iter()
        .map(|line| line.into_owned())
        .collect();
    if lines.is_empty() {
        vec![String::new()]
    } else {
        lines
    }
}

#[cfg(test)]
#[path = "drain_view_tests.rs"]
mod tests;
