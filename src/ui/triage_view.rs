//! The triage view: one line per finding (severity, cause, how many it affects, scope, since),
//! resolved ones greyed under them, and the selected finding's evidence, affected objects and
//! next steps below.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Clear, Paragraph, Row, Table, Wrap};

use super::columns::cut;
use super::theme::Theme;
use crate::app::state::App;
use crate::model::duration::human_duration;
use crate::model::findings::{Finding, Severity};
use crate::model::metrics::Usage;

/// How many affected objects the detail names before counting the rest.
const MEMBERS_SHOWN: usize = 6;

/// Draws the findings over `area`, `selected` highlighted and explained.
pub fn draw(frame: &mut Frame<'_>, area: Rect, app: &App, selected: usize, theme: &Theme) {
    frame.render_widget(Clear, area);
    let triage = &app.triage;
    let title = match triage.findings.len() {
        _ if triage.computed.is_none() => " Triage ".to_string(),
        0 => " Triage: no problems ".to_string(),
        1 => " Triage: 1 problem ".to_string(),
        n => format!(" Triage: {n} problems "),
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(title, theme.title));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let [pulse, inner] = Layout::vertical([Constraint::Length(2), Constraint::Min(0)]).areas(inner);
    if triage.computed.is_some() {
        let lines = vec![
            pulse_line(&triage.pulse, theme),
            trend_line(&triage.pulse, &triage.history, theme),
        ];
        frame.render_widget(Paragraph::new(lines), pulse);
    }
    if triage.is_empty() {
        let text = if triage.computed.is_some() {
            "Nothing found in what the watches hold: no failing pods, lost nodes or stuck namespaces."
        } else {
            "Reading the cluster..."
        };
        frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), inner);
        return;
    }
    let selected = selected.min(triage.len() - 1);
    // The list takes up to half the height, the explanation the rest.
    let list_height = (triage.len() as u16 + 1).min(inner.height / 2).max(2);
    let [list, detail] =
        Layout::vertical([Constraint::Length(list_height), Constraint::Min(0)]).areas(inner);
    let visible = list_height.saturating_sub(1) as usize;
    let offset = selected.saturating_sub(visible.saturating_sub(1));
    let widths = [
        Constraint::Length(8),
        Constraint::Fill(3),
        Constraint::Length(9),
        Constraint::Fill(2),
        Constraint::Length(12),
    ];
    // Each column's width as the table will lay it out, so a cut cell ends in `…`.
    let columns = Layout::horizontal(widths).spacing(1).split(list);
    let cell = |text: String, style: Style, column: usize| {
        Cell::from(cut(
            Line::from(Span::styled(text, style)),
            columns[column].width,
        ))
    };
    let rows: Vec<Row<'_>> = triage
        .lines()
        .enumerate()
        .skip(offset)
        .take(visible)
        .map(|(index, (finding, resolved))| {
            let severity_style = if resolved.is_some() {
                theme.muted
            } else {
                severity_style(finding.severity, theme)
            };
            let text_style = if resolved.is_some() {
                theme.muted
            } else {
                Style::default()
            };
            let since = match resolved {
                Some(at) => format!(
                    "resolved {} ago",
                    human_duration(app.now.duration_since(at))
                ),
                None => finding.since_text(app.now),
            };
            let row = Row::new(vec![
                cell(finding.severity.as_str().to_string(), severity_style, 0),
                cell(finding.cause.clone(), text_style, 1),
                cell(finding.impact(), text_style, 2),
                cell(finding.scope.display(), text_style, 3),
                cell(since, text_style, 4),
            ]);
            if index == selected {
                row.style(theme.selected)
            } else {
                row
            }
        })
        .collect();
    let header = Row::new(["SEVERITY", "CAUSE", "AFFECTED", "SCOPE", "SINCE"]).style(theme.header);
    frame.render_widget(Table::new(rows, widths).header(header), list);
    if let Some((finding, resolved)) = app.selected_finding(selected) {
        let lines = detail_lines(
            finding,
            resolved.map(|at| app.now.duration_since(at)),
            app,
            theme,
        );
        frame.render_widget(
            Paragraph::new(lines)
                .wrap(Wrap { trim: false })
                .block(Block::default().borders(Borders::TOP)),
            detail,
        );
    }
}

/// `nodes 5/6 Ready   pods 7: 2 running · 1 starting · 4 failing`, the nodes first (they fit
/// at 80 columns), counts of nothing left out.
fn pulse_line(pulse: &crate::app::pulse::Pulse, theme: &Theme) -> Line<'static> {
    let nodes_style = if pulse.nodes_ready < pulse.nodes {
        theme.failing
    } else {
        theme.healthy
    };
    let total = pulse.healthy + pulse.progressing + pulse.failing + pulse.unknown + pulse.done;
    let mut spans = vec![
        Span::styled("nodes ", theme.header),
        Span::styled(
            format!("{}/{} Ready", pulse.nodes_ready, pulse.nodes),
            nodes_style,
        ),
        Span::styled(format!("   pods {total}:"), theme.header),
    ];
    let parts = [
        (pulse.healthy, "running", theme.healthy),
        (pulse.progressing, "starting", theme.progressing),
        (pulse.failing, "failing", theme.failing),
        (pulse.unknown, "unknown", theme.unknown),
        (pulse.done, "completed", theme.done),
    ];
    let mut first = true;
    for (count, word, style) in parts {
        if count == 0 {
            continue;
        }
        spans.push(Span::raw(if first { " " } else { " · " }));
        first = false;
        spans.push(Span::styled(format!("{count} {word}"), style));
    }
    Line::from(spans)
}

/// How many samples a sparkline shows.
const SPARK_WIDTH: usize = 20;

/// `cpu 12.3/64 cores 19% ▂▃▃▄   memory 40.1/256Gi 16% ▂▂▃   events 37/s ▁▁▂▇`: the nodes'
/// usage against allocatable (when metrics.k8s.io is read) and the watch events a second, each
/// with its last minutes.
fn trend_line(
    pulse: &crate::app::pulse::Pulse,
    history: &crate::app::pulse::PulseHistory,
    theme: &Theme,
) -> Line<'static> {
    let mut spans = Vec::new();
    if let Some(used) = history.latest_usage() {
        let allocatable = pulse.allocatable;
        // Scaled to the window's peak, so the trend shows, but never to less than a tenth of
        // what is allocatable, so a flat line stays flat.
        let samples = |part: fn(&Usage) -> i64, of: i64| -> String {
            let values: Vec<f64> = history
                .usage
                .iter()
                .map(|(_, usage)| part(usage) as f64)
                .collect();
            let peak = values.iter().copied().fold(of as f64 / 10.0, f64::max);
            sparkline(&values, peak.max(1.0))
        };
        let cpu = |u: &Usage| u.cpu_millis;
        let memory = |u: &Usage| u.memory_bytes;
        spans.push(Span::styled("cpu ", theme.header));
        spans.push(Span::raw(format!(
            "{}/{} cores{} ",
            cores(used.cpu_millis),
            cores(allocatable.cpu_millis),
            percent(used.cpu_millis, allocatable.cpu_millis)
        )));
        spans.push(Span::styled(
            samples(cpu, allocatable.cpu_millis),
            theme.progressing,
        ));
        spans.push(Span::styled("   memory ", theme.header));
        spans.push(Span::raw(format!(
            "{}/{}{} ",
            gibibytes(used.memory_bytes),
            gibibytes(allocatable.memory_bytes),
            percent(used.memory_bytes, allocatable.memory_bytes)
        )));
        spans.push(Span::styled(
            samples(memory, allocatable.memory_bytes),
            theme.progressing,
        ));
        spans.push(Span::raw("   "));
    }
    spans.push(Span::styled("events ", theme.header));
    let rates: Vec<f64> = history.events.iter().map(|(_, rate)| *rate).collect();
    let rate = history.latest_rate().unwrap_or(0.0);
    spans.push(Span::raw(format!("{}/s ", rate.round() as u64)));
    let peak = rates.iter().copied().fold(1.0, f64::max);
    spans.push(Span::styled(sparkline(&rates, peak), theme.progressing));
    Line::from(spans)
}

/// The last `SPARK_WIDTH` values as bars from empty (0) to full (`max`).
fn sparkline(values: &[f64], max: f64) -> String {
    let bars = ratatui::symbols::bar::NINE_LEVELS;
    let levels = [
        bars.empty,
        bars.one_eighth,
        bars.one_quarter,
        bars.three_eighths,
        bars.half,
        bars.five_eighths,
        bars.three_quarters,
        bars.seven_eighths,
        bars.full,
    ];
    let start = values.len().saturating_sub(SPARK_WIDTH);
    values[start..]
        .iter()
        .map(|value| {
            let level = (value / max * 8.0).round().clamp(0.0, 8.0) as usize;
            // An empty bar for a value above zero would read as nothing at all.
            levels[if *value > 0.0 { level.max(1) } else { 0 }]
        })
        .collect()
}

/// Millicores as cores: `0.25`, `12.3`, `64`.
fn cores(millis: i64) -> String {
    let cores = millis as f64 / 1000.0;
    if cores >= 100.0 || millis % 1000 == 0 {
        format!("{}", cores.round() as i64)
    } else if cores >= 10.0 {
        format!("{cores:.1}")
    } else {
        format!("{cores:.2}")
    }
}

/// Bytes as `40.1Gi`, or `512Mi` under a gibibyte.
fn gibibytes(bytes: i64) -> String {
    const GI: f64 = (1u64 << 30) as f64;
    const MI: f64 = (1u64 << 20) as f64;
    let value = bytes as f64;
    if value >= GI {
        format!("{:.1}Gi", value / GI)
    } else {
        format!("{}Mi", (value / MI).round() as i64)
    }
}

/// ` 19%` of what is allocatable, or nothing when nothing is.
fn percent(used: i64, of: i64) -> String {
    if of <= 0 {
        String::new()
    } else {
        format!(" {}%", (used as f64 * 100.0 / of as f64).round() as i64)
    }
}

fn severity_style(severity: Severity, theme: &Theme) -> Style {
    match severity {
        Severity::Critical => theme.failing.add_modifier(Modifier::BOLD),
        Severity::Warning => theme.progressing,
        Severity::Info => theme.unknown,
    }
}

/// The selected finding: its cause, evidence, what it affects and the next steps.
fn detail_lines<'a>(
    finding: &'a Finding,
    resolved: Option<jiff::SignedDuration>,
    app: &'a App,
    theme: &Theme,
) -> Vec<Line<'a>> {
    let mut lines = vec![Line::from(vec![
        Span::styled(finding.cause.clone(), theme.title),
        Span::styled(
            format!(
                "  {} · {} · since {}",
                finding.impact(),
                finding.scope.display(),
                finding.since_text(app.now)
            ),
            theme.muted,
        ),
    ])];
    if let Some(ago) = resolved {
        lines.push(Line::styled(
            format!("resolved {} ago: no longer found", human_duration(ago)),
            theme.healthy,
        ));
    }
    for evidence in &finding.evidence {
        lines.push(Line::styled(format!("  {evidence}"), theme.muted));
    }
    let mut names: Vec<String> = finding
        .members
        .iter()
        .take(MEMBERS_SHOWN)
        .map(|m| m.display())
        .collect();
    if finding.members.len() > MEMBERS_SHOWN {
        names.push(format!(
            "and {} more",
            finding.members.len() - MEMBERS_SHOWN
        ));
    }
    lines.push(Line::from(vec![
        Span::styled("affected: ", theme.header),
        Span::raw(names.join(", ")),
    ]));
    for hint in app.triage.hints(finding) {
        lines.push(Line::from(vec![
            Span::styled("→ ", theme.key),
            Span::raw(hint.as_str()),
        ]));
    }
    lines
}
