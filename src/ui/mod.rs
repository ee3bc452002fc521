//! Rendering only: draws the app state with ratatui. Never blocks, never awaits, never calls
//! the API.

mod columns;
mod confirm_view;
mod containers_view;
mod drain_view;
mod explain_view;
mod forward_view;
mod help_view;
mod log_view;
mod panes;
mod patch_view;
mod reading;
mod tables;
pub mod theme;
mod triage_view;
mod xray_view;
mod yaml_view;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::app::state::{App, Drill, Mode, Pane, WatchHealth};
use crate::model::duration::human_duration;
use theme::Theme;

/// Draws the whole screen.
pub fn draw(frame: &mut Frame<'_>, app: &App, theme: &Theme) {
    draw_frame(frame, app, theme);
}

/// What a frame showed that the app's needs depend on.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Drawn {
    /// The pane drawn and the headers of its columns that fitted; None when a view covers it.
    pub pane: Option<(Pane, Vec<String>)>,
}

/// Draws the whole screen and tells what it showed (the runtime hands it to the app: metrics
/// are read only while a usage column is in sight).
pub fn draw_frame(frame: &mut Frame<'_>, app: &App, theme: &Theme) -> Drawn {
    let [header, body, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(3),
        Constraint::Length(1),
    ])
    .areas(frame.area());
    draw_header(frame, header, app, theme);
    let columns = tables::draw_pane(frame, body, app, theme);
    // A question asked from the owner tree (a confirmation, a value) is asked over the tree.
    if let Some(view) = &app.xray_under
        && matches!(app.mode, Mode::Prompt { .. } | Mode::Confirm { .. })
    {
        xray_view::draw(frame, body, view, theme);
    }
    draw_footer(frame, footer, app, theme);
    // The command line typed over a view leaves the view in sight.
    let shown = match (&app.mode, &app.under) {
        (Mode::Command(_), Some(view)) => view.as_ref(),
        (mode, _) => mode,
    };
    let pane_in_sight = matches!(
        shown,
        Mode::Normal | Mode::Filter { .. } | Mode::Command(_) | Mode::Prompt { .. }
    );
    let drawn = Drawn {
        pane: pane_in_sight.then_some((app.pane, columns)),
    };
    match shown {
        Mode::Describe {
            title,
            text,
            reader,
            ..
        } => describe_view(frame, body, title, text, reader, theme),
        Mode::Yaml {
            title,
            raw,
            revealed,
            managed_fields,
            reader,
            ..
        } => yaml_view::draw(
            frame,
            body,
            title,
            &crate::app::yaml::view_text(raw, *revealed, *managed_fields),
            raw.get("kind").and_then(serde_json::Value::as_str) == Some("Secret") && !*revealed,
            reader,
            theme,
        ),
        Mode::Fetching { title, .. } => describe_view(
            frame,
            body,
            title,
            "Fetching the object from the API server... (esc cancels)",
            &crate::app::reader::Reader::default(),
            theme,
        ),
        Mode::Containers { key, selected } => {
            containers_view::draw(frame, body, app, key, *selected, theme)
        }
        Mode::Triage { selected } => triage_view::draw(frame, body, app, *selected, theme),
        Mode::Xray(view) => xray_view::draw(frame, body, view, theme),
        Mode::Forward(dialog) => forward_view::draw_dialog(frame, body, dialog, theme),
        Mode::Forwards {
            selected,
            confirming,
        } => forward_view::draw_forwards(frame, body, app, *selected, *confirming, theme),
        Mode::Help { scroll } => help_view::draw(frame, body, &app.keymap, *scroll, theme),
        Mode::Confirm { operation, .. } => confirm_view::draw(frame, body, operation, theme),
        Mode::Logs(view) => log_view::draw(frame, body, view, &app.keymap, theme),
        Mode::Drain(view) => drain_view::draw(frame, body, view, &app.keymap, theme),
        Mode::PatchCompose {
            target,
            key,
            patch_type,
            inline,
        } => patch_view::draw_compose(
            frame,
            body,
            target,
            key,
            *patch_type,
            inline.as_deref(),
            theme,
        ),
        Mode::PatchReview { review, scroll } => {
            patch_view::draw_review(frame, body, review, *scroll, theme)
        }
        Mode::PatchConflict { review } => patch_view::draw_conflict(frame, body, review, theme),
        Mode::Explain {
            explanation,
            reader,
        } => explain_view::draw(frame, body, explanation, reader, theme),
        _ => {}
    }
    drawn
}

/// Rows of table content the body can show at this terminal size (for paging).
pub fn page_rows(area: Rect) -> usize {
    // Header, footer, the table's border (2) and its column header.
    (area.height as usize).saturating_sub(5).max(1)
}

fn draw_header(frame: &mut Frame<'_>, area: Rect, app: &App, theme: &Theme) {
    let scope = app.namespace.clone().unwrap_or_else(|| "all".to_string());
    // Freshness first: on a narrow terminal the counts are what gets cut, not "stale".
    let freshness = match app.pane_health() {
        Some(WatchHealth::Live) | None => Span::styled("live", theme.healthy),
        Some(WatchHealth::Syncing) => Span::styled("syncing", theme.progressing),
        Some(WatchHealth::Stale {
            since,
            error,
            forbidden: true,
        }) => Span::styled(
            format!(
                "forbidden {}: {error}",
                human_duration(app.now.duration_since(*since))
            ),
            theme.failing,
        ),
        Some(WatchHealth::Stale { since, error, .. }) => Span::styled(
            format!(
                "stale {}: {error}",
                human_duration(app.now.duration_since(*since))
            ),
            theme.failing,
        ),
    };
    let mut spans = vec![Span::styled(" kscope ", theme.title)];
    if app.readonly {
        spans.push(Span::styled(
            " read-only ",
            theme.progressing.add_modifier(Modifier::BOLD),
        ));
    }
    // Where the user is: `Nodes › worker-5 › Pods`.
    spans.push(Span::raw(" "));
    spans.push(Span::styled(app.breadcrumb().join(" › "), theme.header));
    spans.extend([Span::raw("  "), freshness]);
    // The problem count, on every pane, once the findings have been worked out.
    if app.triage.computed.is_some() {
        let count = app.triage.findings.len();
        spans.push(Span::raw("  "));
        spans.push(match count {
            0 => Span::styled("no problems", theme.healthy),
            1 => Span::styled("1 problem", theme.failing),
            n => Span::styled(format!("{n} problems"), theme.failing),
        });
    }
    spans.extend([
        Span::raw("  "),
        Span::styled(
            match &app.server_version {
                Some(version) => format!("ctx {} ({version})", app.context),
                None => format!("ctx {}", app.context),
            },
            theme.muted,
        ),
    ]);
    // A context being connected to: its credentials are being got (a plugin may take long).
    if let Some(next) = &app.switching {
        spans.push(Span::styled(
            format!(" → {next} authenticating…"),
            theme.progressing,
        ));
    }
    spans.extend([
        Span::raw("  "),
        Span::styled(format!("ns {scope}"), theme.muted),
        Span::raw("  "),
        Span::styled(
            format!(
                "pods {}  nodes {}  ns {}",
                app.resources.pods.len(),
                app.resources.nodes.len(),
                app.resources.namespaces.len()
            ),
            theme.muted,
        ),
    ]);
    // Namespace favourites, as k9s shows them: the key, then the namespace.
    if !app.favourites.is_empty() {
        spans.push(Span::raw("  "));
        spans.push(Span::styled("0", theme.key));
        spans.push(Span::styled(" all", theme.muted));
        for (number, namespace) in app.favourites.iter().enumerate() {
            spans.push(Span::styled(format!(" {}", number + 1), theme.key));
            spans.push(Span::styled(format!(" {namespace}"), theme.muted));
        }
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn draw_footer(frame: &mut Frame<'_>, area: Rect, app: &App, theme: &Theme) {
    let line = match &app.mode {
        Mode::Command(line) => {
            let text = line.text();
            let mut spans = typed_line(":", line, theme);
            let completions = app.command_completions(text);
            if !text.is_empty() && !completions.is_empty() {
                spans.push(Span::styled("   tab: ", theme.key));
                spans.push(Span::styled(
                    completions
                        .into_iter()
                        .take(8)
                        .collect::<Vec<_>>()
                        .join(" "),
                    theme.muted,
                ));
            }
            Line::from(spans)
        }
        Mode::Prompt { prompt, text } => Line::from(vec![
            Span::styled(format!("{}: ", prompt.question()), theme.title),
            Span::raw(text.clone()),
            Span::styled("_", theme.muted),
            Span::styled("   enter: ok  esc: cancel", theme.muted),
        ]),
        Mode::Filter { line, .. } => {
            let mut spans = typed_line("/", line, theme);
            match app.filter_problem() {
                Some(problem) => spans.push(Span::styled(format!("   {problem}"), theme.failing)),
                None => spans.push(Span::styled(
                    "   regex  !inverse  -f fuzzy  -l labels  -F fields",
                    theme.muted,
                )),
            }
            Line::from(spans)
        }
        _ => match &app.message {
            Some(message) => Line::from(Span::styled(message.clone(), theme.failing)),
            None => {
                let mut spans = Vec::new();
                for (keys, what) in footer_hints(app) {
                    spans.push(Span::styled(format!(" {keys}"), theme.key));
                    spans.push(Span::styled(format!(" {what} "), theme.muted));
                }
                if !app.filter.is_empty() {
                    spans.push(Span::styled(
                        format!(" filter: {}", app.filter.text()),
                        theme.progressing.add_modifier(Modifier::BOLD),
                    ));
                    if let Some(problem) = app.filter_problem() {
                        spans.push(Span::styled(format!(" ({problem})"), theme.failing));
                    }
                }
                match &app.drill {
                    Some(Drill::Node(node)) => {
                        spans.push(Span::styled(format!(" node: {node}"), theme.progressing))
                    }
                    Some(
                        Drill::Workload { title, .. }
                        | Drill::Owned { title, .. }
                        | Drill::Members { title, .. },
                    ) => spans.push(Span::styled(format!(" {title}"), theme.progressing)),
                    None => {}
                }
                Line::from(spans)
            }
        },
    };
    frame.render_widget(Paragraph::new(line), area);
}

/// A line being typed after its prompt, the character under the cursor shown reversed.
fn typed_line<'a>(
    prompt: &'a str,
    line: &crate::app::line::LineInput,
    theme: &Theme,
) -> Vec<Span<'a>> {
    let text: Vec<char> = line.text().chars().collect();
    let cursor = line.cursor().min(text.len());
    let before: String = text[..cursor].iter().collect();
    let under = text.get(cursor).map_or(" ".to_string(), char::to_string);
    let after: String = text.get(cursor + 1..).unwrap_or_default().iter().collect();
    vec![
        Span::styled(prompt, theme.title),
        Span::raw(before),
        Span::styled(under, theme.selected),
        Span::raw(after),
    ]
}

/// The keys the footer offers on the current pane, from the bindings in force: (keys, what).
fn footer_hints(app: &App) -> Vec<(String, String)> {
    use crate::app::action::Action;
    // The port-forward dialog and the `:pf` view read their keys themselves.
    let own: &[(&str, &str)] = match &app.mode {
        Mode::Forward(_) => &[
            ("up/down", "port"),
            ("0-9", "local port"),
            ("enter", "start"),
            ("esc", "cancel"),
        ],
        Mode::Forwards {
            confirming: true, ..
        } => &[("y", "stop it"), ("any other key", "keep it")],
        Mode::Forwards { .. } => &[
            ("j/k", "move"),
            ("ctrl-d", "stop (an ended one: remove)"),
            ("esc", "close"),
        ],
        _ => &[],
    };
    // The tree: its own keys, then what the pane keys do on the line's object.
    if let Mode::Xray(view) = &app.mode {
        let context = crate::app::xray::XRAY;
        let pane = match view.selected().map(|l| &l.subject) {
            Some(crate::model::owner_tree::Subject::Object(kind, _)) => Pane::of_kind(*kind),
            _ => Pane::Pods,
        };
        let own = [(Action::Back, "close"), (Action::Enter, "fold")]
            .into_iter()
            .filter_map(|(action, what)| Some((app.keymap.view_key(context, &action)?, what)));
        let objects = [
            (Action::Explain, "explain"),
            (Action::Describe, "describe"),
            (Action::Logs, "logs"),
            (Action::Owner, "owner"),
            (Action::Xray, "tree from here"),
            (Action::Help, "help"),
        ]
        .into_iter()
        .filter_map(|(action, what)| {
            Some((app.keymap.keys_for(pane, &action).into_iter().next()?, what))
        });
        return own
            .chain(objects)
            .map(|(key, what)| (key, what.to_string()))
            .collect();
    }
    if !own.is_empty() {
        return own
            .iter()
            .map(|(keys, what)| (keys.to_string(), what.to_string()))
            .collect();
    }
    // A view shows its own keys.
    if let Some(context) = app.mode.context() {
        let reveal = match &app.mode {
            Mode::Yaml { revealed: true, .. } => "hide values",
            Mode::Yaml { raw, .. }
                if raw.get("kind").and_then(serde_json::Value::as_str) == Some("Secret") =>
            {
                "reveal values"
            }
            _ => "",
        };
        let searched = app.mode.reader().is_some_and(|r| r.search.is_some());
        return [
            (Action::Back, "close"),
            (Action::Down, "down"),
            (Action::Up, "up"),
            (Action::Search, "search"),
            (Action::NextMatch, if searched { "next" } else { "" }),
            (Action::Reveal, reveal),
            (Action::ManagedFields, "managedFields"),
            (Action::Copy, "copy"),
            (Action::Logs, "logs"),
            (Action::Explain, "explain"),
        ]
        .into_iter()
        .filter(|(_, what)| !what.is_empty())
        .filter_map(|(action, what)| {
            let key = app.keymap.view_key(context, &action)?;
            Some((key, what.to_string()))
        })
        .chain(
            app.keymap
                .keys_for(app.pane, &Action::CommandMode)
                .into_iter()
                .next()
                .map(|key| (key, "command".to_string())),
        )
        .collect();
    }
    let mut wanted: Vec<(Action, String)> = vec![
        (Action::CommandMode, "pane".into()),
        (Action::FilterMode, "filter".into()),
        (Action::Explain, "explain".into()),
        (Action::Enter, "open".into()),
    ];
    match app.pane {
        Pane::Pods => wanted.push((Action::Logs, "logs".into())),
        Pane::Nodes => {
            wanted.push((Action::Drain, "drain".into()));
            wanted.push((Action::Cordon, "cordon".into()));
        }
        Pane::Stream => wanted.push((
            Action::Pause,
            if app.stream.paused { "resume" } else { "pause" }.into(),
        )),
        Pane::Kind(_) | Pane::Table(_) => wanted.push((Action::Describe, "describe".into())),
        Pane::Namespaces | Pane::Events => {}
    }
    if app.marks_here().is_some() {
        wanted.push((Action::Delete, "delete marked".into()));
    }
    // esc is offered when it leads somewhere.
    if app.history.can_go_back() || !app.filter.is_empty() || app.drill.is_some() {
        wanted.push((Action::Back, "back".into()));
    }
    wanted.extend([(Action::Help, "help".into()), (Action::Quit, "quit".into())]);
    wanted
        .into_iter()
        .filter_map(|(action, what)| {
            let keys = app.keymap.keys_for(app.pane, &action);
            let first = keys.into_iter().next()?;
            Some((first, what))
        })
        .collect()
}

/// The describe text over the body, scrolled.
fn describe_view(
    frame: &mut Frame<'_>,
    area: Rect,
    title: &str,
    text: &str,
    reader: &crate::app::reader::Reader,
    theme: &Theme,
) {
    use ratatui::widgets::Clear;
    let lines: Vec<Line<'_>> = text
        .lines()
        .enumerate()
        .skip(reader.top)
        .take(area.height as usize)
        .map(|(at, line)| {
            let styled = match line.split_once(':') {
                // Section titles and field names in the key style.
                Some((field, rest))
                    if !field.starts_with("  ")
                        || field
                            .trim_start()
                            .chars()
                            .all(|c| c.is_alphanumeric() || c == ' ') =>
                {
                    Line::from(vec![
                        Span::styled(field.to_string(), theme.key),
                        Span::raw(format!(":{rest}")),
                    ])
                }
                _ => Line::raw(line.to_string()),
            };
            match &reader.search {
                Some(search) => reading::highlight(styled, search.on_line(at), theme),
                None => styled,
            }
        })
        .collect();
    let block = reading::frame_of(title, area.width, reader, theme);
    frame.render_widget(Clear, area);
    frame.render_widget(Paragraph::new(lines).block(block), area);
}
